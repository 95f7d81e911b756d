package labs

import (
	"context"
	"time"
)

// Session is a signed-in browser. The cookie holds a random token; the store
// holds only its SHA-256 (ID), so a copy of the database cannot be used to
// impersonate anyone.
type Session struct {
	ID        string // hex SHA-256 of the cookie token
	AccountID string
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SessionStore persists sessions.
type SessionStore interface {
	// CreateSession inserts s. Returns EConflict if the ID exists.
	CreateSession(ctx context.Context, s Session) error
	// Session returns the session with the ID, or ENotFound. Expired
	// sessions are returned too; callers check ExpiresAt.
	Session(ctx context.Context, id string) (Session, error)
	// DeleteSession removes a session; deleting a missing one is not an error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteAccountSessions removes every session of an account.
	DeleteAccountSessions(ctx context.Context, accountID string) error
	// DeleteExpiredSessions removes sessions that expired before t.
	DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error)
}
