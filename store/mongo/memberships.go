package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

type membershipDoc struct {
	ID               string                `bson:"_id"` // labId + "/" + accountId: one role per lab
	LabID            string                `bson:"labId"`
	AccountID        string                `bson:"accountId"`
	Role             labs.Role             `bson:"role"`
	StakeholderLevel labs.StakeholderLevel `bson:"stakeholderLevel"`
	Sector           string                `bson:"sector"`
	DisplayName      string                `bson:"displayName"`
	JoinedAt         time.Time             `bson:"joinedAt"`
}

func membershipID(labID, accountID string) string { return labID + "/" + accountID }

func toMembershipDoc(m labs.Membership) membershipDoc {
	return membershipDoc{ID: membershipID(m.LabID, m.AccountID), LabID: m.LabID, AccountID: m.AccountID, Role: m.Role,
		StakeholderLevel: m.StakeholderLevel, Sector: m.Sector, DisplayName: m.DisplayName, JoinedAt: m.JoinedAt}
}

func (d membershipDoc) domain() labs.Membership {
	return labs.Membership{LabID: d.LabID, AccountID: d.AccountID, Role: d.Role, StakeholderLevel: d.StakeholderLevel,
		Sector: d.Sector, DisplayName: d.DisplayName, JoinedAt: utc(d.JoinedAt)}
}

// AddMembership implements labs.MembershipStore.
func (s *Store) AddMembership(ctx context.Context, m labs.Membership) error {
	if _, err := s.memberships.InsertOne(ctx, toMembershipDoc(m)); err != nil {
		return fmt.Errorf("add member to lab %s: %w", m.LabID, translate(err, "Membership"))
	}
	return nil
}

// Membership implements labs.MembershipStore.
func (s *Store) Membership(ctx context.Context, labID, accountID string) (labs.Membership, error) {
	var d membershipDoc
	if err := s.memberships.FindOne(ctx, bson.D{{Key: "_id", Value: membershipID(labID, accountID)}}).Decode(&d); err != nil {
		return labs.Membership{}, fmt.Errorf("load membership in lab %s: %w", labID, translate(err, "Membership"))
	}
	return d.domain(), nil
}

// ListMemberships implements labs.MembershipStore.
func (s *Store) ListMemberships(ctx context.Context, labID string, p labs.Page) ([]labs.Membership, string, error) {
	return page(ctx, s.memberships, bson.D{{Key: "labId", Value: labID}}, "accountId", p,
		func(d membershipDoc) string { return d.AccountID }, membershipDoc.domain)
}

// AccountMemberships implements labs.MembershipStore.
func (s *Store) AccountMemberships(ctx context.Context, accountID string) ([]labs.Membership, error) {
	out, err := findAll(ctx, s.memberships, bson.D{{Key: "accountId", Value: accountID}},
		options.Find().SetSort(bson.D{{Key: "labId", Value: 1}}), membershipDoc.domain)
	if err != nil {
		return nil, fmt.Errorf("list memberships of %s: %w", accountID, err)
	}
	return out, nil
}

// RemoveMembership implements labs.MembershipStore.
func (s *Store) RemoveMembership(ctx context.Context, labID, accountID string) error {
	res, err := s.memberships.DeleteOne(ctx, bson.D{{Key: "_id", Value: membershipID(labID, accountID)}})
	if err != nil {
		return fmt.Errorf("remove member from lab %s: %w", labID, err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("remove member from lab %s: %w", labID, notFound("Membership"))
	}
	return nil
}

// UpdateMembership implements labs.MembershipStore.
func (s *Store) UpdateMembership(ctx context.Context, m labs.Membership) error {
	return set(ctx, s.memberships, membershipID(m.LabID, m.AccountID), "Membership", bson.D{{Key: "role", Value: m.Role},
		{Key: "stakeholderLevel", Value: m.StakeholderLevel}, {Key: "sector", Value: m.Sector}, {Key: "displayName", Value: m.DisplayName}})
}
