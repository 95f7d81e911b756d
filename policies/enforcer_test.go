package policies_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
	"github.com/linklab/linklab/store/sqlite"
)

func mustStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(tb.TempDir(), "p.db")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func mustEnforcer(tb testing.TB) *policies.Enforcer {
	tb.Helper()
	e, _, err := policies.New(context.Background(), mustStore(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// subjectFor turns a matrix role into the subject the server would build:
// lab roles are signed-in members of the lab the request is about.
func subjectFor(role string) policies.Subject {
	switch role {
	case "anonymous":
		return policies.Subject{}
	case "user":
		return policies.Subject{SignedIn: true}
	case "admin":
		return policies.Subject{SignedIn: true, Admin: true}
	}
	return policies.Subject{SignedIn: true, LabRole: labs.Role(role)}
}

// TestMatrix checks the enforcer against every row of the reviewed decision
// table, and that the table covers every role for every permission the
// policy mentions.
func TestMatrix(t *testing.T) {
	e := mustEnforcer(t)
	f, err := os.Open("testdata/matrix.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]int{}
	for i, row := range rows[1:] {
		role, obj, act, want := row[0], row[1], row[2], row[3]
		if want != "allow" && want != "deny" {
			t.Fatalf("row %d: decision %q is neither allow nor deny", i+2, want)
		}
		got, err := e.Allowed(subjectFor(role), obj, act)
		if err != nil {
			t.Fatal(err)
		}
		if got != (want == "allow") {
			t.Errorf("row %d: %s %s %s = %v, table says %s", i+2, role, obj, act, got, want)
		}
		covered[obj+":"+act]++
	}
	rules, err := policies.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	const roles = 8
	for _, r := range rules {
		if r.PType != "p" {
			continue
		}
		if n := covered[r.V[1]+":"+r.V[2]]; n != roles {
			t.Errorf("%s:%s has %d rows in the matrix, want one per role (%d)", r.V[1], r.V[2], n, roles)
		}
	}
}

// TestEqualVoice derives each participant role's permissions from the
// enforcer and requires them to be identical.
func TestEqualVoice(t *testing.T) {
	e := mustEnforcer(t)
	first, err := e.Permissions(string(labs.ParticipantRoles[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 {
		t.Fatal("participants have no permissions at all")
	}
	for _, r := range labs.ParticipantRoles[1:] {
		got, err := e.Permissions(string(r))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, first) {
			t.Errorf("%s may %v, %s may %v: participant roles must be equal", r, got, labs.ParticipantRoles[0], first)
		}
	}
}

func TestUnknownIsDenied(t *testing.T) {
	e := mustEnforcer(t)
	for _, s := range []policies.Subject{{}, {SignedIn: true, Admin: true}, {SignedIn: true, LabRole: labs.RoleFacilitator}} {
		if ok, err := e.Allowed(s, "lab", "delete_everything"); ok || err != nil {
			t.Errorf("%+v may do an action no line mentions (%v)", s, err)
		}
	}
	if e.Decided("lab", "delete_everything") {
		t.Error("Decided reports a decision for an action no line mentions")
	}
	if !e.Decided("lab", "read") {
		t.Error("Decided misses lab:read")
	}
}

// TestStoredPolicy: the adapter persists through the store, and New puts
// the shipped policy back when the stored one differs.
func TestStoredPolicy(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t)
	_, changed, err := policies.New(ctx, s)
	if err != nil || !changed {
		t.Fatalf("first New: changed=%v err=%v, want the default installed", changed, err)
	}
	want, _ := policies.DefaultRules()
	got, err := s.PolicyRules(ctx)
	if err != nil || len(got) != len(want) {
		t.Fatalf("stored %d rules (%v), want %d", len(got), err, len(want))
	}
	if _, changed, err = policies.New(ctx, s); err != nil || changed {
		t.Fatalf("second New: changed=%v err=%v, want nothing to change", changed, err)
	}
	// A tampered store: an extra rule granting admins lab content.
	if err := s.AddPolicyRules(ctx, []labs.PolicyRule{{PType: "p", V: [6]string{"admin", "document", "read"}}}); err != nil {
		t.Fatal(err)
	}
	e, changed, err := policies.New(ctx, s)
	if err != nil || !changed {
		t.Fatalf("New over a tampered store: changed=%v err=%v", changed, err)
	}
	if ok, _ := e.Allowed(policies.Subject{SignedIn: true, Admin: true}, "document", "read"); ok {
		t.Fatal("the tampered rule survived")
	}
}
