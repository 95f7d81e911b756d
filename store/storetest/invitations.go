package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func newInvitation(id, hash, lab string) labs.Invitation {
	inv := labs.Invitation{ID: id, TokenHash: hash, LabID: lab, InvitedBy: "someone", CreatedAt: base, ExpiresAt: base.Add(72 * time.Hour)}
	if lab != "" {
		inv.Role = labs.RolePolicymaker
	}
	return inv
}

func testInvitations(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(5)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	inv := newInvitation(id[1], "hash-1", id[0])
	inv.Email = email(1)
	must(t, s.CreateInvitation(c, inv))
	wantCode(t, s.CreateInvitation(c, newInvitation(id[2], "hash-1", "")), labs.EConflict)
	must(t, s.CreateInvitation(c, newInvitation(id[2], "hash-2", "")))

	got, err := s.InvitationByTokenHash(c, "hash-1")
	must(t, err)
	if got != inv {
		t.Fatalf("InvitationByTokenHash = %+v, want %+v", got, inv)
	}
	_, err = s.InvitationByTokenHash(c, "hash-x")
	wantCode(t, err, labs.ENotFound)
	list, _, err := s.ListInvitations(c, id[0], labs.Page{})
	must(t, err)
	if len(list) != 1 || list[0].ID != inv.ID {
		t.Fatalf("ListInvitations(lab) = %+v", list)
	}

	acc := newAccount(id[3], email(1))
	m := labs.Membership{LabID: id[0], AccountID: acc.ID, Role: inv.Role, StakeholderLevel: labs.LevelMacro, DisplayName: "P", JoinedAt: base}
	at := base.Add(time.Hour)
	must(t, s.RedeemInvitation(c, labs.Redemption{InvitationID: inv.ID, AccountID: acc.ID, NewAccount: &acc, Membership: &m, At: at}))
	if _, err := s.Account(c, acc.ID); err != nil {
		t.Fatalf("account not created by redemption: %v", err)
	}
	if got, err := s.Membership(c, id[0], acc.ID); err != nil || got.Role != labs.RolePolicymaker {
		t.Fatalf("membership after redemption = %+v, %v", got, err)
	}
	got, err = s.InvitationByTokenHash(c, "hash-1")
	must(t, err)
	if !got.UsedAt.Equal(at) || got.UsedBy != acc.ID {
		t.Fatalf("invitation not marked used: %+v", got)
	}
	other := newAccount(id[4], email(2))
	wantCode(t, s.RedeemInvitation(c, labs.Redemption{InvitationID: inv.ID, AccountID: other.ID, NewAccount: &other, At: at}), labs.EConflict)
	if _, err := s.Account(c, other.ID); labs.ErrorCode(err) != labs.ENotFound {
		t.Fatalf("refused redemption created an account: %v", err)
	}
	wantCode(t, s.RedeemInvitation(c, labs.Redemption{InvitationID: id[4], AccountID: other.ID, At: at}), labs.ENotFound)
}

// testRedeemAllOrNothing: when a later step of a redemption fails (the
// e-mail is taken), the invitation stays unused and nothing is created.
func testRedeemAllOrNothing(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(5)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	must(t, s.CreateAccount(c, newAccount(id[1], email(1))))
	inv := newInvitation(id[2], "hash", id[0])
	must(t, s.CreateInvitation(c, inv))

	dup := newAccount(id[3], email(1))
	m := labs.Membership{LabID: id[0], AccountID: dup.ID, Role: inv.Role, JoinedAt: base}
	wantCode(t, s.RedeemInvitation(c, labs.Redemption{InvitationID: inv.ID, AccountID: dup.ID, NewAccount: &dup, Membership: &m, At: base}), labs.EConflict)
	got, err := s.InvitationByTokenHash(c, "hash")
	must(t, err)
	if !got.UsedAt.IsZero() || got.UsedBy != "" {
		t.Fatalf("failed redemption left the invitation used: %+v", got)
	}
	if _, err := s.Membership(c, id[0], dup.ID); labs.ErrorCode(err) != labs.ENotFound {
		t.Fatalf("failed redemption created a membership: %v", err)
	}

	// An existing member redeeming a lab invitation: conflict, invitation unused.
	must(t, s.AddMembership(c, labs.Membership{LabID: id[0], AccountID: id[1], Role: labs.RoleManager, JoinedAt: base}))
	m2 := labs.Membership{LabID: id[0], AccountID: id[1], Role: inv.Role, JoinedAt: base}
	wantCode(t, s.RedeemInvitation(c, labs.Redemption{InvitationID: inv.ID, AccountID: id[1], Membership: &m2, At: base}), labs.EConflict)
	got, err = s.InvitationByTokenHash(c, "hash")
	must(t, err)
	if !got.UsedAt.IsZero() {
		t.Fatalf("failed redemption left the invitation used: %+v", got)
	}
	if mm, _ := s.Membership(c, id[0], id[1]); mm.Role != labs.RoleManager {
		t.Fatalf("failed redemption changed the role to %s", mm.Role)
	}
}

// testConcurrentRedeem: many people race for one invitation; exactly one wins.
func testConcurrentRedeem(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	const racers = 12
	id := ids(racers + 2)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	must(t, s.CreateInvitation(c, newInvitation(id[1], "hash", id[0])))
	var wg sync.WaitGroup
	errs := make([]error, racers)
	for i := range racers {
		wg.Go(func() {
			acc := newAccount(id[2+i], email(i))
			m := labs.Membership{LabID: id[0], AccountID: acc.ID, Role: labs.RolePolicymaker, JoinedAt: base}
			errs[i] = s.RedeemInvitation(c, labs.Redemption{InvitationID: id[1], AccountID: acc.ID, NewAccount: &acc, Membership: &m, At: base})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch labs.ErrorCode(err) {
		case "":
			wins++
		case labs.EConflict:
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	members, _, err := s.ListMemberships(c, id[0], labs.Page{})
	must(t, err)
	if wins != 1 || len(members) != 1 {
		t.Fatalf("%d redemptions won and %d members joined, want 1 and 1", wins, len(members))
	}
	accounts, _, err := s.ListAccounts(c, labs.Page{})
	must(t, err)
	if len(accounts) != 1 {
		t.Fatalf("%d accounts created, want 1", len(accounts))
	}
}

// testRevokeInvitations: an unused invitation can be revoked by its own lab
// only; a used one stays; and a revocation racing a redemption never lets
// both succeed.
func testRevokeInvitations(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(40)
	must(t, s.CreateLab(c, newLab(id[0], "lab-a")))
	must(t, s.CreateLab(c, newLab(id[1], "lab-b")))
	inv := newInvitation(id[2], "hash-a", id[0])
	must(t, s.CreateInvitation(c, inv))

	wantCode(t, s.RevokeInvitation(c, id[1], inv.ID), labs.ENotFound) // another lab's
	wantCode(t, s.RevokeInvitation(c, id[0], id[3]), labs.ENotFound)  // none such
	must(t, s.RevokeInvitation(c, id[0], inv.ID))
	_, err := s.InvitationByTokenHash(c, "hash-a")
	wantCode(t, err, labs.ENotFound)
	wantCode(t, s.RevokeInvitation(c, id[0], inv.ID), labs.ENotFound)

	used := newInvitation(id[4], "hash-used", id[0])
	must(t, s.CreateInvitation(c, used))
	must(t, s.RedeemInvitation(c, labs.Redemption{InvitationID: used.ID, AccountID: "someone", At: base}))
	wantCode(t, s.RevokeInvitation(c, id[0], used.ID), labs.EConflict)
	if _, err := s.InvitationByTokenHash(c, "hash-used"); err != nil {
		t.Fatalf("a refused revocation removed the used invitation: %v", err)
	}

	// Races: each of ten invitations is revoked and redeemed at once.
	for i := range 10 {
		race := newInvitation(id[10+i], "hash-race-"+id[10+i], id[0])
		must(t, s.CreateInvitation(c, race))
		var wg sync.WaitGroup
		var revoked, redeemed error
		wg.Go(func() { revoked = s.RevokeInvitation(c, id[0], race.ID) })
		wg.Go(func() {
			redeemed = s.RedeemInvitation(c, labs.Redemption{InvitationID: race.ID, AccountID: "racer", At: base})
		})
		wg.Wait()
		if (revoked == nil) == (redeemed == nil) {
			t.Fatalf("race %d: revoke %v, redeem %v; want exactly one to succeed", i, revoked, redeemed)
		}
		_, err := s.InvitationByTokenHash(c, race.TokenHash)
		if revoked == nil && labs.ErrorCode(err) != labs.ENotFound || redeemed == nil && err != nil {
			t.Fatalf("race %d: after revoke %v / redeem %v the invitation reads %v", i, revoked, redeemed, err)
		}
	}
}
