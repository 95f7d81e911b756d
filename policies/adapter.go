package policies

import (
	"context"
	"fmt"
	"time"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/linklab/linklab/labs"
)

// Adapter stores casbin rules in a labs.PolicyRuleStore, so both storage
// engines hold the policy. casbin's adapter interface has no context, so
// every call gets its own timeout.
type Adapter struct {
	store   labs.PolicyRuleStore
	timeout time.Duration
}

var _ persist.Adapter = (*Adapter)(nil)

// NewAdapter returns an adapter over store.
func NewAdapter(store labs.PolicyRuleStore) *Adapter {
	return &Adapter{store: store, timeout: 30 * time.Second}
}

func (a *Adapter) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), a.timeout)
}

func toRule(ptype string, values []string) (labs.PolicyRule, error) {
	r := labs.PolicyRule{PType: ptype}
	if len(values) > len(r.V) {
		return r, fmt.Errorf("policy rule %s has %d values, at most %d are stored", ptype, len(values), len(r.V))
	}
	copy(r.V[:], values)
	return r, nil
}

// fromRule returns the rule as casbin's line: the type then the values up
// to the last non-empty one.
func fromRule(r labs.PolicyRule) []string {
	n := len(r.V)
	for n > 0 && r.V[n-1] == "" {
		n--
	}
	return append([]string{r.PType}, r.V[:n]...)
}

// LoadPolicy implements persist.Adapter.
func (a *Adapter) LoadPolicy(m model.Model) error {
	ctx, cancel := a.ctx()
	defer cancel()
	rules, err := a.store.PolicyRules(ctx)
	if err != nil {
		return fmt.Errorf("load policy: %w", err)
	}
	for _, r := range rules {
		if err := persist.LoadPolicyArray(fromRule(r), m); err != nil {
			return fmt.Errorf("load policy rule %v: %w", fromRule(r), err)
		}
	}
	return nil
}

func modelRules(m model.Model) ([]labs.PolicyRule, error) {
	var out []labs.PolicyRule
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			for _, values := range ast.Policy {
				r, err := toRule(ptype, values)
				if err != nil {
					return nil, err
				}
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// SavePolicy implements persist.Adapter.
func (a *Adapter) SavePolicy(m model.Model) error {
	rules, err := modelRules(m)
	if err != nil {
		return err
	}
	ctx, cancel := a.ctx()
	defer cancel()
	return a.store.ReplacePolicyRules(ctx, rules)
}

// AddPolicy implements persist.Adapter.
func (a *Adapter) AddPolicy(_, ptype string, values []string) error {
	r, err := toRule(ptype, values)
	if err != nil {
		return err
	}
	ctx, cancel := a.ctx()
	defer cancel()
	return a.store.AddPolicyRules(ctx, []labs.PolicyRule{r})
}

// RemovePolicy implements persist.Adapter.
func (a *Adapter) RemovePolicy(_, ptype string, values []string) error {
	r, err := toRule(ptype, values)
	if err != nil {
		return err
	}
	ctx, cancel := a.ctx()
	defer cancel()
	return a.store.RemovePolicyRules(ctx, []labs.PolicyRule{r})
}

// RemoveFilteredPolicy implements persist.Adapter.
func (a *Adapter) RemoveFilteredPolicy(_, ptype string, field int, values ...string) error {
	ctx, cancel := a.ctx()
	defer cancel()
	return a.store.RemoveFilteredPolicyRules(ctx, ptype, field, values...)
}
