package policies_test

import (
	"context"
	"slices"
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
)

const testModel = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
`

// TestAdapterRoundTrip drives the adapter through casbin's own API and
// reads the result back from the store and from a second enforcer.
func TestAdapterRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t)
	newEnforcer := func() *casbin.Enforcer {
		m, err := model.NewModelFromString(testModel)
		if err != nil {
			t.Fatal(err)
		}
		e, err := casbin.NewEnforcer(m, policies.NewAdapter(s))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	e := newEnforcer()
	for _, p := range [][]string{{"alice", "doc", "read"}, {"alice", "doc", "write"}, {"bob", "doc", "read"}} {
		if _, err := e.AddPolicy(p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.AddGroupingPolicy("carol", "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.RemovePolicy("bob", "doc", "read"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.RemoveFilteredPolicy(0, "alice", "doc", "write"); err != nil {
		t.Fatal(err)
	}
	rules, err := s.PolicyRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []labs.PolicyRule{{PType: "g", V: [6]string{"carol", "alice"}}, {PType: "p", V: [6]string{"alice", "doc", "read"}}}
	if !slices.Equal(rules, want) {
		t.Fatalf("stored rules = %v, want %v", rules, want)
	}
	e2 := newEnforcer()
	if ok, _ := e2.Enforce("carol", "doc", "read"); !ok {
		t.Fatal("reloaded enforcer lost the inherited permission")
	}
	if ok, _ := e2.Enforce("bob", "doc", "read"); ok {
		t.Fatal("reloaded enforcer kept a removed rule")
	}
	// SavePolicy replaces the stored set with the enforcer's.
	e2.ClearPolicy()
	if _, err := e2.AddPolicy("dave", "doc", "read"); err != nil { // auto-saved
		t.Fatal(err)
	}
	if err := e2.SavePolicy(); err != nil {
		t.Fatal(err)
	}
	rules, _ = s.PolicyRules(ctx)
	if want := []labs.PolicyRule{{PType: "p", V: [6]string{"dave", "doc", "read"}}}; !slices.Equal(rules, want) {
		t.Fatalf("after SavePolicy rules = %v, want %v", rules, want)
	}
}
