package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/linklab/linklab/labs"
)

const invitationColumns = "id, token_hash, email, lab_id, role, invited_by, created_at, expires_at, used_at, used_by"

func scanInvitation(r scanner) (labs.Invitation, error) {
	var inv labs.Invitation
	var created, expires, used int64
	err := r.Scan(&inv.ID, &inv.TokenHash, &inv.Email, &inv.LabID, &inv.Role, &inv.InvitedBy, &created, &expires, &used, &inv.UsedBy)
	inv.CreatedAt, inv.ExpiresAt, inv.UsedAt = fromMillis(created), fromMillis(expires), fromMillis(used)
	return inv, err
}

// CreateInvitation implements labs.InvitationStore.
func (s *Store) CreateInvitation(ctx context.Context, inv labs.Invitation) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO invitations("+invitationColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		inv.ID, inv.TokenHash, inv.Email, inv.LabID, inv.Role, inv.InvitedBy, millis(inv.CreatedAt), millis(inv.ExpiresAt), millis(inv.UsedAt), inv.UsedBy)
	if err != nil {
		return fmt.Errorf("create invitation: %w", translate(err, "Invitation"))
	}
	return nil
}

// InvitationByTokenHash implements labs.InvitationStore.
func (s *Store) InvitationByTokenHash(ctx context.Context, tokenHash string) (labs.Invitation, error) {
	inv, err := scanInvitation(s.db.QueryRowContext(ctx, "SELECT "+invitationColumns+" FROM invitations WHERE token_hash = ?", tokenHash))
	if err != nil {
		return inv, fmt.Errorf("load invitation: %w", translate(err, "Invitation"))
	}
	return inv, nil
}

// ListInvitations implements labs.InvitationStore.
func (s *Store) ListInvitations(ctx context.Context, labID string, p labs.Page) ([]labs.Invitation, string, error) {
	return list(ctx, s.db, "invitations", p, scanInvitation, func(i labs.Invitation) string { return i.ID },
		"SELECT "+invitationColumns+" FROM invitations WHERE lab_id = ? AND id > ? ORDER BY id LIMIT ?", labID)
}

// RevokeInvitation implements labs.InvitationStore.
func (s *Store) RevokeInvitation(ctx context.Context, labID, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM invitations WHERE id = ? AND lab_id = ? AND used_at = 0", id, labID)
	if err := mustAffect(res, err, "Invitation"); err != nil {
		var n int
		if qerr := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM invitations WHERE id = ? AND lab_id = ?", id, labID).Scan(&n); qerr != nil {
			return fmt.Errorf("revoke invitation %s: %w", id, qerr)
		}
		if n > 0 {
			err = labs.Errorf(labs.EConflict, "This invitation has already been used; it stays on record.")
		}
		return fmt.Errorf("revoke invitation %s: %w", id, err)
	}
	return nil
}

// RedeemInvitation implements labs.InvitationStore in one transaction.
func (s *Store) RedeemInvitation(ctx context.Context, r labs.Redemption) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at = 0",
			millis(r.At), r.AccountID, r.InvitationID)
		if err := mustAffect(res, err, "Invitation"); err != nil {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM invitations WHERE id = ?", r.InvitationID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return labs.Errorf(labs.EConflict, "This invitation has already been used.")
			}
			return err
		}
		if r.NewAccount != nil {
			if err := createAccount(ctx, tx, *r.NewAccount); err != nil {
				return err
			}
		}
		if r.Membership != nil {
			if err := addMembership(ctx, tx, *r.Membership); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redeem invitation %s: %w", r.InvitationID, err)
	}
	return nil
}
