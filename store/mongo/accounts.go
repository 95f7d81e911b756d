package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
)

type accountDoc struct {
	ID           string    `bson:"_id"`
	Email        string    `bson:"email"`
	DisplayName  string    `bson:"displayName"`
	PasswordHash string    `bson:"passwordHash"`
	Admin        bool      `bson:"admin"`
	Disabled     bool      `bson:"disabled"`
	PartnerOrgID string    `bson:"partnerOrgId"`
	Language     string    `bson:"language,omitempty"`
	PlainView    bool      `bson:"plainView,omitempty"`
	CreatedAt    time.Time `bson:"createdAt"`
	UpdatedAt    time.Time `bson:"updatedAt"`
}

func toAccountDoc(a labs.Account) accountDoc { return accountDoc(a) }

func (d accountDoc) domain() labs.Account {
	a := labs.Account(d)
	a.CreatedAt, a.UpdatedAt = utc(a.CreatedAt), utc(a.UpdatedAt)
	return a
}

// CreateAccount implements labs.AccountStore.
func (s *Store) CreateAccount(ctx context.Context, a labs.Account) error {
	if _, err := s.accounts.InsertOne(ctx, toAccountDoc(a)); err != nil {
		return fmt.Errorf("create account: %w", translate(err, "Account"))
	}
	return nil
}

func (s *Store) findAccount(ctx context.Context, filter bson.D) (labs.Account, error) {
	var d accountDoc
	if err := s.accounts.FindOne(ctx, filter).Decode(&d); err != nil {
		return labs.Account{}, translate(err, "Account")
	}
	return d.domain(), nil
}

// Account implements labs.AccountStore.
func (s *Store) Account(ctx context.Context, id string) (labs.Account, error) {
	a, err := s.findAccount(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return a, fmt.Errorf("load account %s: %w", id, err)
	}
	return a, nil
}

// AccountByEmail implements labs.AccountStore.
func (s *Store) AccountByEmail(ctx context.Context, email string) (labs.Account, error) {
	a, err := s.findAccount(ctx, bson.D{{Key: "email", Value: email}})
	if err != nil {
		return a, fmt.Errorf("load account by e-mail: %w", err)
	}
	return a, nil
}

// UpdateAccount implements labs.AccountStore.
// Every field but the preferences is set, so a preference saved meanwhile
// stays (see SetPreferences).
func (s *Store) UpdateAccount(ctx context.Context, a labs.Account) error {
	d := toAccountDoc(a)
	res, err := s.accounts.UpdateOne(ctx, bson.D{{Key: "_id", Value: a.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "email", Value: d.Email}, {Key: "displayName", Value: d.DisplayName}, {Key: "passwordHash", Value: d.PasswordHash},
		{Key: "admin", Value: d.Admin}, {Key: "disabled", Value: d.Disabled}, {Key: "partnerOrgId", Value: d.PartnerOrgID},
		{Key: "createdAt", Value: d.CreatedAt}, {Key: "updatedAt", Value: d.UpdatedAt}}}})
	if err != nil {
		return fmt.Errorf("update account %s: %w", a.ID, translate(err, "Account"))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update account %s: %w", a.ID, notFound("Account"))
	}
	return nil
}

// SetPreferences implements labs.AccountStore.
func (s *Store) SetPreferences(ctx context.Context, id, language string, plainView bool, at time.Time) error {
	res, err := s.accounts.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "language", Value: language}, {Key: "plainView", Value: plainView}, {Key: "updatedAt", Value: at}}}})
	if err != nil {
		return fmt.Errorf("set preferences of account %s: %w", id, translate(err, "Account"))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("set preferences of account %s: %w", id, notFound("Account"))
	}
	return nil
}

// ListAccounts implements labs.AccountStore.
func (s *Store) ListAccounts(ctx context.Context, p labs.Page) ([]labs.Account, string, error) {
	return page(ctx, s.accounts, bson.D{}, "_id", p, func(d accountDoc) string { return d.ID }, accountDoc.domain)
}

// CountAdmins implements labs.AccountStore.
func (s *Store) CountAdmins(ctx context.Context) (int, error) {
	n, err := s.accounts.CountDocuments(ctx, bson.D{{Key: "admin", Value: true}, {Key: "disabled", Value: false}})
	if err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return int(n), nil
}
