package storetest

import (
	"reflect"
	"testing"

	"github.com/linklab/linklab/labs"
)

func testMemberships(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(6)
	labA, labB := id[0], id[1]
	must(t, s.CreateLab(c, newLab(labA, "a")))
	must(t, s.CreateLab(c, newLab(labB, "b")))
	people := id[2:]
	for i, p := range people {
		must(t, s.CreateAccount(c, newAccount(p, email(i))))
	}
	mk := func(lab, acc string, role labs.Role) labs.Membership {
		return labs.Membership{LabID: lab, AccountID: acc, Role: role, StakeholderLevel: labs.LevelMicro,
			Sector: "health", DisplayName: "Member", JoinedAt: base}
	}
	m := mk(labA, people[0], labs.RoleServiceUser)
	must(t, s.AddMembership(c, m))
	wantCode(t, s.AddMembership(c, mk(labA, people[0], labs.RoleManager)), labs.EConflict)
	got, err := s.Membership(c, labA, people[0])
	must(t, err)
	if got != m {
		t.Fatalf("Membership = %+v, want %+v", got, m)
	}
	_, err = s.Membership(c, labB, people[0])
	wantCode(t, err, labs.ENotFound)

	for _, p := range people[1:] {
		must(t, s.AddMembership(c, mk(labA, p, labs.RoleFrontlineStaff)))
	}
	must(t, s.AddMembership(c, mk(labB, people[0], labs.RoleFacilitator)))

	page1, next, err := s.ListMemberships(c, labA, labs.Page{Limit: 3})
	must(t, err)
	page2, next2, err := s.ListMemberships(c, labA, labs.Page{After: next, Limit: 3})
	must(t, err)
	var got4 []string
	for _, m := range append(page1, page2...) {
		got4 = append(got4, m.AccountID)
	}
	if !reflect.DeepEqual(got4, people) || next2 != "" {
		t.Fatalf("members of A = %v (next %q), want %v", got4, next2, people)
	}
	mine, err := s.AccountMemberships(c, people[0])
	must(t, err)
	if len(mine) != 2 || mine[0].LabID != labA || mine[1].Role != labs.RoleFacilitator {
		t.Fatalf("AccountMemberships = %+v", mine)
	}
	must(t, s.RemoveMembership(c, labA, people[0]))
	wantCode(t, s.RemoveMembership(c, labA, people[0]), labs.ENotFound)
	if _, err := s.Membership(c, labB, people[0]); err != nil {
		t.Fatalf("removal in lab A touched lab B: %v", err)
	}
}
