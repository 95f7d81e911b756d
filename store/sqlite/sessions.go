package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
)

// CreateSession implements labs.SessionStore.
func (s *Store) CreateSession(ctx context.Context, se labs.Session) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO sessions(id, account_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		se.ID, se.AccountID, se.CSRFToken, millis(se.CreatedAt), millis(se.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create session: %w", translate(err, "Session"))
	}
	return nil
}

// Session implements labs.SessionStore.
func (s *Store) Session(ctx context.Context, id string) (labs.Session, error) {
	var se labs.Session
	var created, expires int64
	err := s.db.QueryRowContext(ctx, "SELECT id, account_id, csrf_token, created_at, expires_at FROM sessions WHERE id = ?", id).
		Scan(&se.ID, &se.AccountID, &se.CSRFToken, &created, &expires)
	if err != nil {
		return se, fmt.Errorf("load session: %w", translate(err, "Session"))
	}
	se.CreatedAt, se.ExpiresAt = fromMillis(created), fromMillis(expires)
	return se, nil
}

// DeleteSession implements labs.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteAccountSessions implements labs.SessionStore.
func (s *Store) DeleteAccountSessions(ctx context.Context, accountID string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE account_id = ?", accountID); err != nil {
		return fmt.Errorf("delete sessions of %s: %w", accountID, err)
	}
	return nil
}

// DeleteExpiredSessions implements labs.SessionStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ?", millis(t))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
