package policies_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// subjectFor turns a matrix row's role and lab column into the subject the
// server would build: a lab role counts only in its own lab; asking about
// another lab's item, the same person is just a signed-in user. The lab
// column "network" is an item of the partner network (a synthesis), where
// partners are coauthors and lab roles count for nothing.
func subjectFor(role, lab string) policies.Subject {
	if lab == "network" {
		sub := subjectFor(role, "other")
		if sub.Partner {
			sub.LabRole = labs.RoleCoauthor
		}
		return sub
	}
	switch role {
	case "anonymous":
		return policies.Subject{}
	case "user":
		return policies.Subject{SignedIn: true}
	case "admin":
		return policies.Subject{SignedIn: true, Admin: true}
	case "partner":
		return policies.Subject{SignedIn: true, Partner: true}
	}
	if lab == "other" {
		return policies.Subject{SignedIn: true}
	}
	return policies.Subject{SignedIn: true, LabRole: labs.Role(role)}
}

var matrixRoles = []string{"anonymous", "user", "admin", "partner", "service_user", "frontline_staff", "manager", "policymaker", "facilitator"}

// TestMatrix checks the enforcer against every row of the reviewed decision
// table, and that the table is complete: for every action the policy
// mentions, a row for every role, own and other lab, and (for items with a
// level) every level and relation.
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
	if got := strings.Join(rows[0], ","); got != "role,lab,object,action,visibility,relation,decision" {
		t.Fatalf("matrix header is %q", got)
	}
	seen := map[string]bool{}
	levels := map[string]map[string]bool{} // obj:act -> visibility seen
	for i, row := range rows[1:] {
		role, lab, obj, act, vis, rel, want := row[0], row[1], row[2], row[3], row[4], row[5], row[6]
		if want != "allow" && want != "deny" {
			t.Fatalf("row %d: decision %q is neither allow nor deny", i+2, want)
		}
		key := strings.Join(row[:6], ",")
		if seen[key] {
			t.Errorf("row %d repeats %s", i+2, key)
		}
		seen[key] = true
		if levels[obj+":"+act] == nil {
			levels[obj+":"+act] = map[string]bool{}
		}
		levels[obj+":"+act][vis] = true
		v, r := labs.Visibility(vis), policies.Relation(rel)
		if vis == "-" {
			v = ""
		}
		if rel == "-" {
			r = policies.RelNone
		}
		got, err := e.AllowedOn(subjectFor(role, lab), obj, act, v, r)
		if err != nil {
			t.Fatal(err)
		}
		if got != (want == "allow") {
			t.Errorf("row %d: %s (%s lab) %s %s at %s as %s = %v, table says %s", i+2, role, lab, obj, act, vis, rel, got, want)
		}
	}
	rules, err := policies.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]bool{}
	for _, r := range rules {
		if r.PType != "p" || checked[r.V[1]+":"+r.V[2]+":"+r.V[4]] {
			continue
		}
		objAct := r.V[1] + ":" + r.V[2]
		checked[objAct+":"+r.V[4]] = true
		lv := levels[objAct]
		if lv == nil {
			t.Errorf("%s is in the policy but not in the matrix", objAct)
			continue
		}
		wantLevels := []string{"-"}
		if !lv["-"] {
			wantLevels = nil
			for _, l := range labs.Visibilities {
				wantLevels = append(wantLevels, string(l))
			}
		}
		rels := []string{"-"}
		if r.V[4] != "*" || !lv["-"] {
			rels = nil
			for _, rel := range policies.Relations {
				if lv["-"] && rel == policies.RelNamed {
					continue // no level, so nobody is named on it
				}
				rels = append(rels, string(rel))
			}
		}
		for _, role := range matrixRoles {
			for _, lab := range []string{"own", "other", "network"} {
				for _, l := range wantLevels {
					for _, rel := range rels {
						if !seen[strings.Join([]string{role, lab, r.V[1], r.V[2], l, rel}, ",")] {
							t.Errorf("matrix has no row for %s (%s lab) %s at %s as %s", role, lab, objAct, l, rel)
						}
					}
				}
			}
		}
	}
	for objAct := range levels {
		obj, act, _ := strings.Cut(objAct, ":")
		if !e.Decided(obj, act) {
			t.Errorf("the matrix lists %s, which no policy line decides", objAct)
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
	if err := s.AddPolicyRules(ctx, []labs.PolicyRule{{PType: "p", V: [6]string{"admin", "document", "read", "lab", "*"}}}); err != nil {
		t.Fatal(err)
	}
	e, changed, err := policies.New(ctx, s)
	if err != nil || !changed {
		t.Fatalf("New over a tampered store: changed=%v err=%v", changed, err)
	}
	if ok, _ := e.AllowedOn(policies.Subject{SignedIn: true, Admin: true}, "document", "read", labs.VisLab, policies.RelNone); ok {
		t.Fatal("the tampered rule survived")
	}
}
