// Package policies holds LinkLab's authorization: the casbin model and
// default policy, an adapter that keeps the policy in our store, and the
// Enforcer every HTTP route and websocket message asks.
package policies

import (
	"context"
	_ "embed"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/linklab/linklab/labs"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var defaultPolicy string

// Enforcer answers authorization questions. It is safe for concurrent use.
type Enforcer struct {
	e *casbin.SyncedEnforcer
	// decisions memoizes the enforcer's answers by role, object and action.
	// The policy is loaded once at start-up and not changed while running,
	// so an answer never goes stale; a change to the policy at run time
	// would have to clear this.
	decisions sync.Map
}

// DefaultRules returns the shipped policy as rules.
func DefaultRules() ([]labs.PolicyRule, error) {
	var out []labs.PolicyRule
	for i, line := range strings.Split(defaultPolicy, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ",")
		for j := range fields {
			fields[j] = strings.TrimSpace(fields[j])
		}
		r, err := toRule(fields[0], fields[1:])
		if err != nil {
			return nil, fmt.Errorf("policy.csv line %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// New loads the model and the policy from store. The shipped default
// policy is the reviewed one: when the stored rules differ from it (a first
// start, or an upgrade that changed the policy), New replaces them and
// reports changed = true so the caller can log it.
func New(ctx context.Context, store labs.PolicyRuleStore) (enf *Enforcer, changed bool, err error) {
	want, err := DefaultRules()
	if err != nil {
		return nil, false, err
	}
	have, err := store.PolicyRules(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("read stored policy: %w", err)
	}
	if !sameRules(have, want) {
		if err := store.ReplacePolicyRules(ctx, want); err != nil {
			return nil, false, fmt.Errorf("install default policy: %w", err)
		}
		changed = true
	}
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, false, fmt.Errorf("parse policy model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m, NewAdapter(store))
	if err != nil {
		return nil, false, fmt.Errorf("create enforcer: %w", err)
	}
	return &Enforcer{e: e}, changed, nil
}

func sameRules(a, b []labs.PolicyRule) bool {
	key := func(r labs.PolicyRule) string { return r.PType + "\x1f" + strings.Join(r.V[:], "\x1f") }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i, r := range a {
		ka[i] = key(r)
	}
	for i, r := range b {
		kb[i] = key(r)
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return reflect.DeepEqual(ka, kb)
}

// Allowed reports whether any of the subject's roles may do act on a kind
// of object that has no visibility level (accounts, labs, invitations).
func (e *Enforcer) Allowed(s Subject, obj, act string) (bool, error) {
	return e.AllowedOn(s, obj, act, "", RelNone)
}

// AllowedOn reports whether any of the subject's roles may do act on an
// object of the visibility level, given the subject's relation to it.
func (e *Enforcer) AllowedOn(s Subject, obj, act string, vis labs.Visibility, rel Relation) (bool, error) {
	for _, role := range s.Roles() {
		key := role + "\x1f" + obj + "\x1f" + act + "\x1f" + string(vis) + "\x1f" + string(rel)
		ok, cached := e.decisions.Load(key)
		if !cached {
			allowed, err := e.e.Enforce(role, obj, act, string(vis), string(rel))
			if err != nil {
				return false, fmt.Errorf("enforce %s %s %s %s %s: %w", role, obj, act, vis, rel, err)
			}
			e.decisions.Store(key, allowed)
			ok = allowed
		}
		if ok.(bool) {
			return true, nil
		}
	}
	return false, nil
}

// Decided reports whether the policy has any line about act on obj. The
// server refuses to start with a route whose permission no line mentions:
// such a route could never be reached and is almost certainly a mistake.
func (e *Enforcer) Decided(obj, act string) bool {
	rules, err := e.e.GetFilteredPolicy(1, obj, act)
	return err == nil && len(rules) > 0
}

// Permissions returns every "obj:act:level:relation" a role has, directly
// or inherited, derived from the enforcer rather than from the policy text.
func (e *Enforcer) Permissions(role string) ([]string, error) {
	perms, err := e.e.GetImplicitPermissionsForUser(role)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(perms))
	for _, p := range perms {
		out = append(out, strings.Join(p[1:], ":"))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
