package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A rule's _id is its type and values joined, so the primary key itself
// enforces uniqueness.
type ruleDoc struct {
	ID    string `bson:"_id"`
	PType string `bson:"ptype"`
	V0    string `bson:"v0"`
	V1    string `bson:"v1"`
	V2    string `bson:"v2"`
	V3    string `bson:"v3"`
	V4    string `bson:"v4"`
	V5    string `bson:"v5"`
}

func ruleID(r labs.PolicyRule) string {
	return r.PType + "\x1f" + strings.Join(r.V[:], "\x1f")
}

func toRuleDoc(r labs.PolicyRule) ruleDoc {
	return ruleDoc{ID: ruleID(r), PType: r.PType, V0: r.V[0], V1: r.V[1], V2: r.V[2], V3: r.V[3], V4: r.V[4], V5: r.V[5]}
}

// PolicyRules implements labs.PolicyRuleStore.
func (s *Store) PolicyRules(ctx context.Context) ([]labs.PolicyRule, error) {
	sort := bson.D{{Key: "ptype", Value: 1}, {Key: "v0", Value: 1}, {Key: "v1", Value: 1}, {Key: "v2", Value: 1},
		{Key: "v3", Value: 1}, {Key: "v4", Value: 1}, {Key: "v5", Value: 1}}
	cur, err := s.rules.Find(ctx, bson.D{}, options.Find().SetSort(sort))
	if err != nil {
		return nil, fmt.Errorf("load policy rules: %w", err)
	}
	var docs []ruleDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("decode policy rules: %w", err)
	}
	out := make([]labs.PolicyRule, len(docs))
	for i, d := range docs {
		out[i] = labs.PolicyRule{PType: d.PType, V: [6]string{d.V0, d.V1, d.V2, d.V3, d.V4, d.V5}}
	}
	return out, nil
}

// AddPolicyRules implements labs.PolicyRuleStore. Rules are inserted one
// at a time; on a conflict the ones this call inserted are removed again.
func (s *Store) AddPolicyRules(ctx context.Context, rules []labs.PolicyRule) error {
	for i, r := range rules {
		if _, err := s.rules.InsertOne(ctx, toRuleDoc(r)); err != nil {
			undo := s.RemovePolicyRules(context.WithoutCancel(ctx), rules[:i])
			return fmt.Errorf("add policy rules: %w", errors.Join(translate(err, "Policy rule"), undo))
		}
	}
	return nil
}

// RemovePolicyRules implements labs.PolicyRuleStore.
func (s *Store) RemovePolicyRules(ctx context.Context, rules []labs.PolicyRule) error {
	if len(rules) == 0 {
		return nil
	}
	ids := make(bson.A, len(rules))
	for i, r := range rules {
		ids[i] = ruleID(r)
	}
	if _, err := s.rules.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
		return fmt.Errorf("remove policy rules: %w", err)
	}
	return nil
}

// RemoveFilteredPolicyRules implements labs.PolicyRuleStore.
func (s *Store) RemoveFilteredPolicyRules(ctx context.Context, ptype string, field int, values ...string) error {
	if field < 0 || field+len(values) > 6 {
		return labs.Errorf(labs.EInvalid, "Policy filter covers fields %d to %d; there are 6.", field, field+len(values)-1)
	}
	filter := bson.D{{Key: "ptype", Value: ptype}}
	for i, v := range values {
		if v != "" {
			filter = append(filter, bson.E{Key: fmt.Sprintf("v%d", field+i), Value: v})
		}
	}
	if _, err := s.rules.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("remove filtered policy rules: %w", err)
	}
	return nil
}

// ReplacePolicyRules implements labs.PolicyRuleStore. Without a
// transaction a reader may briefly see an empty or partial set; the
// enforcer only loads rules at start-up, after this has finished.
func (s *Store) ReplacePolicyRules(ctx context.Context, rules []labs.PolicyRule) error {
	if _, err := s.rules.DeleteMany(ctx, bson.D{}); err != nil {
		return fmt.Errorf("replace policy rules: %w", err)
	}
	return s.AddPolicyRules(ctx, rules)
}
