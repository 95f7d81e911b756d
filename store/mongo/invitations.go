package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
)

type invitationDoc struct {
	ID        string    `bson:"_id"`
	TokenHash string    `bson:"tokenHash"`
	Email     string    `bson:"email"`
	LabID     string    `bson:"labId"`
	Role      labs.Role `bson:"role"`
	InvitedBy string    `bson:"invitedBy"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
	UsedAt    time.Time `bson:"usedAt"`
	UsedBy    string    `bson:"usedBy"`
}

func (d invitationDoc) domain() labs.Invitation {
	inv := labs.Invitation(d)
	inv.CreatedAt, inv.ExpiresAt, inv.UsedAt = utc(inv.CreatedAt), utc(inv.ExpiresAt), utc(inv.UsedAt)
	return inv
}

// CreateInvitation implements labs.InvitationStore.
func (s *Store) CreateInvitation(ctx context.Context, inv labs.Invitation) error {
	if _, err := s.invitations.InsertOne(ctx, invitationDoc(inv)); err != nil {
		return fmt.Errorf("create invitation: %w", translate(err, "Invitation"))
	}
	return nil
}

// InvitationByTokenHash implements labs.InvitationStore.
func (s *Store) InvitationByTokenHash(ctx context.Context, tokenHash string) (labs.Invitation, error) {
	var d invitationDoc
	if err := s.invitations.FindOne(ctx, bson.D{{Key: "tokenHash", Value: tokenHash}}).Decode(&d); err != nil {
		return labs.Invitation{}, fmt.Errorf("load invitation: %w", translate(err, "Invitation"))
	}
	return d.domain(), nil
}

// ListInvitations implements labs.InvitationStore.
func (s *Store) ListInvitations(ctx context.Context, labID string, p labs.Page) ([]labs.Invitation, string, error) {
	return page(ctx, s.invitations, bson.D{{Key: "labId", Value: labID}}, "_id", p,
		func(d invitationDoc) string { return d.ID }, invitationDoc.domain)
}

// RevokeInvitation implements labs.InvitationStore. The delete is
// conditional on the invitation being unused, on one document, so it and
// a redemption cannot both succeed.
func (s *Store) RevokeInvitation(ctx context.Context, labID, id string) error {
	mine := bson.D{{Key: "_id", Value: id}, {Key: "labId", Value: labID}}
	res, err := s.invitations.DeleteOne(ctx, append(mine, bson.E{Key: "usedAt", Value: time.Time{}}))
	if err != nil {
		return fmt.Errorf("revoke invitation %s: %w", id, translate(err, "Invitation"))
	}
	if res.DeletedCount == 0 {
		n, err := s.invitations.CountDocuments(ctx, mine)
		if err != nil {
			return fmt.Errorf("revoke invitation %s: %w", id, err)
		}
		if n > 0 {
			return fmt.Errorf("revoke invitation %s: %w", id, labs.Errorf(labs.EConflict, "This invitation has already been used; it stays on record."))
		}
		return fmt.Errorf("revoke invitation %s: %w", id, notFound("Invitation"))
	}
	return nil
}

// RedeemInvitation implements labs.InvitationStore without a transaction:
// the conditional update that claims the invitation is atomic on its own
// document, so one redemption wins; the later steps undo the earlier ones
// if they fail. The undo runs on a context that outlives the caller's, so
// a cancelled request does not leave an invitation half-redeemed.
func (s *Store) RedeemInvitation(ctx context.Context, r labs.Redemption) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("redeem invitation %s: %w", r.InvitationID, err)
		}
	}()
	zero := time.Time{}
	res, err := s.invitations.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: r.InvitationID}, {Key: "usedAt", Value: zero}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: r.At}, {Key: "usedBy", Value: r.AccountID}}}})
	if err != nil {
		return err
	}
	if res.MatchedCount == 0 {
		n, err := s.invitations.CountDocuments(ctx, bson.D{{Key: "_id", Value: r.InvitationID}})
		if err != nil {
			return err
		}
		if n > 0 {
			return labs.Errorf(labs.EConflict, "This invitation has already been used.")
		}
		return notFound("Invitation")
	}
	undo := context.WithoutCancel(ctx)
	release := func() error {
		_, err := s.invitations.UpdateOne(undo, bson.D{{Key: "_id", Value: r.InvitationID}, {Key: "usedBy", Value: r.AccountID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: zero}, {Key: "usedBy", Value: ""}}}})
		return err
	}
	if r.NewAccount != nil {
		if _, err := s.accounts.InsertOne(ctx, toAccountDoc(*r.NewAccount)); err != nil {
			return errors.Join(translate(err, "Account"), release())
		}
	}
	if r.Membership != nil {
		if _, err := s.memberships.InsertOne(ctx, toMembershipDoc(*r.Membership)); err != nil {
			var undoAccount error
			if r.NewAccount != nil {
				_, undoAccount = s.accounts.DeleteOne(undo, bson.D{{Key: "_id", Value: r.NewAccount.ID}})
			}
			return errors.Join(translate(err, "Membership"), undoAccount, release())
		}
	}
	return nil
}
