package storetest

import (
	"reflect"
	"testing"

	"github.com/linklab/linklab/labs"
)

func rule(ptype string, v ...string) labs.PolicyRule {
	r := labs.PolicyRule{PType: ptype}
	copy(r.V[:], v)
	return r
}

func testPolicyRules(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	p1 := rule("p", "admin", "account", "create")
	p2 := rule("p", "user", "lab", "list")
	p3 := rule("p", "admin", "lab", "create")
	g1 := rule("g", "manager", "participant")
	must(t, s.AddPolicyRules(c, []labs.PolicyRule{p2, g1, p1}))
	// All or nothing: p3 is new but p1 exists, so neither is added.
	wantCode(t, s.AddPolicyRules(c, []labs.PolicyRule{p3, p1}), labs.EConflict)
	got, err := s.PolicyRules(c)
	must(t, err)
	if want := []labs.PolicyRule{g1, p1, p2}; !reflect.DeepEqual(got, want) {
		t.Fatalf("PolicyRules = %v, want %v (sorted by type, then values)", got, want)
	}
	must(t, s.AddPolicyRules(c, []labs.PolicyRule{p3}))
	must(t, s.RemovePolicyRules(c, []labs.PolicyRule{p2, rule("p", "missing")}))
	must(t, s.RemoveFilteredPolicyRules(c, "p", 1, "account"))
	got, err = s.PolicyRules(c)
	must(t, err)
	if want := []labs.PolicyRule{g1, p3}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after removals PolicyRules = %v, want %v", got, want)
	}
	wantCode(t, s.RemoveFilteredPolicyRules(c, "p", 5, "a", "b"), labs.EInvalid)
	must(t, s.ReplacePolicyRules(c, []labs.PolicyRule{p1}))
	got, err = s.PolicyRules(c)
	must(t, err)
	if want := []labs.PolicyRule{p1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after replace PolicyRules = %v, want %v", got, want)
	}
}
