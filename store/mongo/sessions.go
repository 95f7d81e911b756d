package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
)

type sessionDoc struct {
	ID        string    `bson:"_id"`
	AccountID string    `bson:"accountId"`
	CSRFToken string    `bson:"csrfToken"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// CreateSession implements labs.SessionStore.
func (s *Store) CreateSession(ctx context.Context, se labs.Session) error {
	if _, err := s.sessions.InsertOne(ctx, sessionDoc(se)); err != nil {
		return fmt.Errorf("create session: %w", translate(err, "Session"))
	}
	return nil
}

// Session implements labs.SessionStore.
func (s *Store) Session(ctx context.Context, id string) (labs.Session, error) {
	var d sessionDoc
	if err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return labs.Session{}, fmt.Errorf("load session: %w", translate(err, "Session"))
	}
	se := labs.Session(d)
	se.CreatedAt, se.ExpiresAt = utc(se.CreatedAt), utc(se.ExpiresAt)
	return se, nil
}

// DeleteSession implements labs.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteAccountSessions implements labs.SessionStore.
func (s *Store) DeleteAccountSessions(ctx context.Context, accountID string) error {
	if _, err := s.sessions.DeleteMany(ctx, bson.D{{Key: "accountId", Value: accountID}}); err != nil {
		return fmt.Errorf("delete sessions of %s: %w", accountID, err)
	}
	return nil
}

// DeleteExpiredSessions implements labs.SessionStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error) {
	res, err := s.sessions.DeleteMany(ctx, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: t}}}})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(res.DeletedCount), nil
}
