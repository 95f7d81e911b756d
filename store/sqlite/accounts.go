package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
)

const accountColumns = "id, email, display_name, password_hash, admin, disabled, created_at, updated_at, partner_org, language, plain_view"

func scanAccount(r scanner) (labs.Account, error) {
	var a labs.Account
	var admin, disabled, plain int
	var created, updated int64
	err := r.Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &admin, &disabled, &created, &updated, &a.PartnerOrgID,
		&a.Language, &plain)
	a.Admin, a.Disabled, a.PlainView = admin != 0, disabled != 0, plain != 0
	a.CreatedAt, a.UpdatedAt = fromMillis(created), fromMillis(updated)
	return a, err
}

// CreateAccount implements labs.AccountStore.
func (s *Store) CreateAccount(ctx context.Context, a labs.Account) error {
	if err := createAccount(ctx, s.db, a); err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	return nil
}

func createAccount(ctx context.Context, db dbtx, a labs.Account) error {
	_, err := db.ExecContext(ctx, "INSERT INTO accounts("+accountColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		a.ID, a.Email, a.DisplayName, a.PasswordHash, boolInt(a.Admin), boolInt(a.Disabled), millis(a.CreatedAt), millis(a.UpdatedAt), a.PartnerOrgID,
		a.Language, boolInt(a.PlainView))
	return translate(err, "Account")
}

// Account implements labs.AccountStore.
func (s *Store) Account(ctx context.Context, id string) (labs.Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountColumns+" FROM accounts WHERE id = ?", id))
	if err != nil {
		return a, fmt.Errorf("load account %s: %w", id, translate(err, "Account"))
	}
	return a, nil
}

// AccountByEmail implements labs.AccountStore.
func (s *Store) AccountByEmail(ctx context.Context, email string) (labs.Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountColumns+" FROM accounts WHERE email = ?", email))
	if err != nil {
		return a, fmt.Errorf("load account by e-mail: %w", translate(err, "Account"))
	}
	return a, nil
}

// UpdateAccount implements labs.AccountStore.
func (s *Store) UpdateAccount(ctx context.Context, a labs.Account) error {
	res, err := s.db.ExecContext(ctx, `UPDATE accounts SET email = ?, display_name = ?, password_hash = ?,
		admin = ?, disabled = ?, updated_at = ?, partner_org = ? WHERE id = ?`,
		a.Email, a.DisplayName, a.PasswordHash, boolInt(a.Admin), boolInt(a.Disabled), millis(a.UpdatedAt), a.PartnerOrgID, a.ID)
	if err := mustAffect(res, err, "Account"); err != nil {
		return fmt.Errorf("update account %s: %w", a.ID, err)
	}
	return nil
}

// SetPreferences implements labs.AccountStore.
func (s *Store) SetPreferences(ctx context.Context, id, language string, plainView bool, at time.Time) error {
	res, err := s.db.ExecContext(ctx, "UPDATE accounts SET language = ?, plain_view = ?, updated_at = ? WHERE id = ?",
		language, boolInt(plainView), millis(at), id)
	if err := mustAffect(res, err, "Account"); err != nil {
		return fmt.Errorf("set preferences of account %s: %w", id, err)
	}
	return nil
}

// ListAccounts implements labs.AccountStore.
func (s *Store) ListAccounts(ctx context.Context, p labs.Page) ([]labs.Account, string, error) {
	return list(ctx, s.db, "accounts", p, scanAccount, func(a labs.Account) string { return a.ID },
		"SELECT "+accountColumns+" FROM accounts WHERE id > ? ORDER BY id LIMIT ?")
}

// CountAdmins implements labs.AccountStore.
func (s *Store) CountAdmins(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM accounts WHERE admin = 1 AND disabled = 0").Scan(&n); err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}
