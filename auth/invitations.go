package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/linklab/linklab/labs"
)

// InviteRequest is an inviter's choice: who (optionally), which lab
// (optionally) and in which role.
type InviteRequest struct {
	Email     string
	LabID     string
	Role      labs.Role
	ExpiresIn time.Duration // zero means the service's maximum
}

// Invite creates an invitation and returns it with its link token, which
// is shown once and never stored.
func (s *Service) Invite(ctx context.Context, inviterID string, r InviteRequest) (labs.Invitation, string, error) {
	if r.Email != "" {
		email, err := labs.NormalizeEmail(r.Email)
		if err != nil {
			return labs.Invitation{}, "", err
		}
		r.Email = email
	}
	if r.LabID != "" && !r.Role.Valid() {
		return labs.Invitation{}, "", labs.Errorf(labs.EInvalid, "Role must be one of %s.", roleList())
	}
	if r.LabID == "" && r.Role != "" {
		return labs.Invitation{}, "", labs.Errorf(labs.EInvalid, "A role can only be given with a lab.")
	}
	if r.ExpiresIn < 0 || r.ExpiresIn > s.inviteTTL {
		return labs.Invitation{}, "", labs.Errorf(labs.EInvalid, "An invitation expires within %d days at most.", int(s.inviteTTL.Hours()/24))
	}
	if r.ExpiresIn == 0 {
		r.ExpiresIn = s.inviteTTL
	}
	token := NewToken()
	now := s.Now()
	inv := labs.Invitation{ID: labs.NewID(now), TokenHash: HashToken(token), Email: r.Email, LabID: r.LabID, Role: r.Role,
		InvitedBy: inviterID, CreatedAt: now, ExpiresAt: now.Add(r.ExpiresIn)}
	if err := s.store.CreateInvitation(ctx, inv); err != nil {
		return labs.Invitation{}, "", fmt.Errorf("invite: %w", err)
	}
	return inv, token, nil
}

func roleList() string {
	names := make([]string, len(labs.Roles))
	for i, r := range labs.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

var errBadInvitation = labs.Errorf(labs.ENotFound, "This invitation link is not valid. Ask for a new one.").Because("invitation_invalid")

// Invitation returns the usable invitation behind a link token. Used and
// expired invitations are refused with a message that says so.
func (s *Service) Invitation(ctx context.Context, token string) (labs.Invitation, error) {
	if !ValidTokenShape(token) {
		return labs.Invitation{}, errBadInvitation
	}
	inv, err := s.store.InvitationByTokenHash(ctx, HashToken(token))
	if labs.IsCode(err, labs.ENotFound) {
		return inv, errBadInvitation
	} else if err != nil {
		return inv, err
	}
	if !inv.UsedAt.IsZero() {
		return inv, labs.Errorf(labs.EConflict, "This invitation has already been used.").Because("invitation_used")
	}
	if !s.now().Before(inv.ExpiresAt) {
		return inv, labs.Errorf(labs.EForbidden, "This invitation has expired. Ask for a new one.").Because("invitation_expired")
	}
	return inv, nil
}

// Acceptance is what the invited person fills in. Email, Password and
// DisplayName create the account when the person has none; the rest
// describes them in the lab.
type Acceptance struct {
	Email            string
	Password         string
	DisplayName      string // also the name shown in the lab: a pseudonym is welcome
	StakeholderLevel labs.StakeholderLevel
	Sector           string
}

// Accept redeems an invitation. current is the signed-in account, or nil
// for a person without an account, who then signs up with it.
func (s *Service) Accept(ctx context.Context, token string, current *labs.Account, a Acceptance) (labs.Account, error) {
	inv, err := s.Invitation(ctx, token)
	if err != nil {
		return labs.Account{}, err
	}
	r := labs.Redemption{InvitationID: inv.ID, At: s.Now()}
	var acc labs.Account
	if current != nil {
		if inv.LabID == "" {
			return labs.Account{}, labs.Errorf(labs.EConflict, "You already have an account; this invitation is for creating one.").Because("invitation_has_account")
		}
		acc = *current
	} else {
		acc, err = s.buildAccount(ctx, NewAccount{Email: a.Email, DisplayName: a.DisplayName, Password: a.Password})
		if err != nil {
			return labs.Account{}, err
		}
		r.NewAccount = &acc
	}
	if inv.Email != "" && inv.Email != acc.Email {
		return labs.Account{}, labs.Errorf(labs.EForbidden, "This invitation is for another e-mail address.").Because("invitation_other_email")
	}
	if inv.InvitedBy == acc.ID && inv.LabID != "" {
		// Whoever may invite may not let themselves in: an administrator
		// would otherwise read any lab by inviting themselves.
		return labs.Account{}, labs.Errorf(labs.EForbidden, "You cannot join a lab with an invitation you made yourself; ask its facilitator or another administrator.").Because("invitation_own")
	}
	r.AccountID = acc.ID
	if inv.LabID != "" {
		m, err := membership(inv, acc, a, r.At)
		if err != nil {
			return labs.Account{}, err
		}
		r.Membership = &m
	}
	if err := s.store.RedeemInvitation(ctx, r); err != nil {
		if labs.IsCode(err, labs.EConflict) {
			return labs.Account{}, labs.Errorf(labs.EConflict,
				"The invitation was already used, the e-mail address already has an account, or you are already a member of this lab.")
		}
		return labs.Account{}, err
	}
	return acc, nil
}

func membership(inv labs.Invitation, acc labs.Account, a Acceptance, at time.Time) (labs.Membership, error) {
	name := a.DisplayName
	if strings.TrimSpace(name) == "" {
		name = acc.DisplayName
	}
	name, err := labs.ValidateDisplayName(name)
	if err != nil {
		return labs.Membership{}, err
	}
	m := labs.Membership{LabID: inv.LabID, AccountID: acc.ID, Role: inv.Role, DisplayName: name, JoinedAt: at}
	if inv.Role == labs.RoleFacilitator {
		return m, nil // facilitators stand outside the stakeholder levels
	}
	switch a.StakeholderLevel {
	case labs.LevelMicro, labs.LevelMeso, labs.LevelMacro:
		m.StakeholderLevel = a.StakeholderLevel
	default:
		return m, labs.Errorf(labs.EInvalid, "Stakeholder level must be micro, meso or macro.")
	}
	m.Sector = labs.SectorOf(a.Sector)
	return m, m.ValidateProfile()
}
