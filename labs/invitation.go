package labs

import (
	"context"
	"time"
)

// Invitation lets one person create an account, join a lab, or both. The
// link carries a random token; the store holds its SHA-256 only. An
// invitation is single-use and expires.
type Invitation struct {
	ID        string
	TokenHash string // hex SHA-256 of the link token; unique
	Email     string // optional: when set, only this address may redeem it
	LabID     string // optional: the lab to join
	Role      Role   // required when LabID is set, fixed by the inviter
	InvitedBy string // account ID
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until redeemed
	UsedBy    string
}

// Redemption is the effect of redeeming an invitation, applied by the store
// as one unit: the invitation is marked used and the new account and the
// membership, when given, are created; if any step fails, none has effect.
type Redemption struct {
	InvitationID string
	AccountID    string      // who redeems
	NewAccount   *Account    // created when the person has no account yet
	Membership   *Membership // created when the invitation is for a lab
	At           time.Time
}

// InvitationStore persists invitations.
type InvitationStore interface {
	// CreateInvitation inserts inv: EConflict if the token hash exists.
	CreateInvitation(ctx context.Context, inv Invitation) error
	// InvitationByTokenHash returns an invitation, or ENotFound.
	InvitationByTokenHash(ctx context.Context, tokenHash string) (Invitation, error)
	// ListInvitations returns the invitations for a lab ("" for account-only
	// invitations) ordered by ID.
	ListInvitations(ctx context.Context, labID string, p Page) ([]Invitation, string, error)
	// RevokeInvitation deletes an unused invitation of a lab ("" for an
	// account-only one), so its link stops working. ENotFound if the lab
	// has no such invitation; EConflict if it was used (a used invitation
	// is kept: it records how the person joined). It never races a
	// redemption into both succeeding.
	RevokeInvitation(ctx context.Context, labID, id string) error
	// RedeemInvitation applies r atomically. Returns ENotFound if the
	// invitation does not exist and EConflict if it was already used, the
	// new account's e-mail is taken, or the person is already a member.
	// Exactly one of several concurrent redemptions succeeds.
	RedeemInvitation(ctx context.Context, r Redemption) error
}
