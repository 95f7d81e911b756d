package sqlite

import (
	"context"
	"fmt"

	"github.com/linklab/linklab/labs"
)

const membershipColumns = "lab_id, account_id, role, stakeholder_level, sector, display_name, joined_at"

func scanMembership(r scanner) (labs.Membership, error) {
	var m labs.Membership
	var joined int64
	err := r.Scan(&m.LabID, &m.AccountID, &m.Role, &m.StakeholderLevel, &m.Sector, &m.DisplayName, &joined)
	m.JoinedAt = fromMillis(joined)
	return m, err
}

func addMembership(ctx context.Context, db dbtx, m labs.Membership) error {
	_, err := db.ExecContext(ctx, "INSERT INTO memberships("+membershipColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		m.LabID, m.AccountID, m.Role, m.StakeholderLevel, m.Sector, m.DisplayName, millis(m.JoinedAt))
	return translate(err, "Membership")
}

// AddMembership implements labs.MembershipStore.
func (s *Store) AddMembership(ctx context.Context, m labs.Membership) error {
	if err := addMembership(ctx, s.db, m); err != nil {
		return fmt.Errorf("add member to lab %s: %w", m.LabID, err)
	}
	return nil
}

// Membership implements labs.MembershipStore.
func (s *Store) Membership(ctx context.Context, labID, accountID string) (labs.Membership, error) {
	m, err := scanMembership(s.db.QueryRowContext(ctx,
		"SELECT "+membershipColumns+" FROM memberships WHERE lab_id = ? AND account_id = ?", labID, accountID))
	if err != nil {
		return m, fmt.Errorf("load membership in lab %s: %w", labID, translate(err, "Membership"))
	}
	return m, nil
}

// ListMemberships implements labs.MembershipStore.
func (s *Store) ListMemberships(ctx context.Context, labID string, p labs.Page) ([]labs.Membership, string, error) {
	return list(ctx, s.db, "memberships", p, scanMembership, func(m labs.Membership) string { return m.AccountID },
		"SELECT "+membershipColumns+" FROM memberships WHERE lab_id = ? AND account_id > ? ORDER BY account_id LIMIT ?", labID)
}

// AccountMemberships implements labs.MembershipStore.
func (s *Store) AccountMemberships(ctx context.Context, accountID string) ([]labs.Membership, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT "+membershipColumns+" FROM memberships WHERE account_id = ? ORDER BY lab_id", accountID)
	if err != nil {
		return nil, fmt.Errorf("list memberships of %s: %w", accountID, err)
	}
	defer rows.Close()
	var out []labs.Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, fmt.Errorf("scan membership: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// RemoveMembership implements labs.MembershipStore.
func (s *Store) RemoveMembership(ctx context.Context, labID, accountID string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM memberships WHERE lab_id = ? AND account_id = ?", labID, accountID)
	if err := mustAffect(res, err, "Membership"); err != nil {
		return fmt.Errorf("remove member from lab %s: %w", labID, err)
	}
	return nil
}

// UpdateMembership implements labs.MembershipStore.
func (s *Store) UpdateMembership(ctx context.Context, m labs.Membership) error {
	res, err := s.db.ExecContext(ctx, `UPDATE memberships SET role = ?, stakeholder_level = ?, sector = ?, display_name = ?
		WHERE lab_id = ? AND account_id = ?`, m.Role, m.StakeholderLevel, m.Sector, m.DisplayName, m.LabID, m.AccountID)
	if err := mustAffect(res, err, "Membership"); err != nil {
		return fmt.Errorf("update member of lab %s: %w", m.LabID, err)
	}
	return nil
}
