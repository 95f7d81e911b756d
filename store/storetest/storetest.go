// Package storetest is the conformance suite every storage engine passes:
// the same test functions, run once per engine through a factory.
package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/labs"
)

// Factory returns a new, empty store. The store is closed by the factory's
// own cleanup.
type Factory func(tb testing.TB) labs.Store

// Run runs the whole suite against the engine made by newStore.
func Run(t *testing.T, newStore Factory) {
	tests := []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"Accounts", testAccounts},
		{"AccountsPaging", testAccountsPaging},
		{"Sessions", testSessions},
		{"Labs", testLabs},
		{"LabsPagingRandomized", testLabsPagingRandomized},
		{"Memberships", testMemberships},
		{"Invitations", testInvitations},
		{"InvitationRedeemIsAllOrNothing", testRedeemAllOrNothing},
		{"InvitationRevoke", testRevokeInvitations},
		{"Documents", testDocuments},
		{"DocumentStructure", testDocumentStructure},
		{"DocumentMetadata", testDocumentMetadata},
		{"DeleteDocument", testDeleteDocument},
		{"NetworkDocuments", testNetworkDocuments},
		{"MembershipUpdate", testMembershipUpdate},
		{"Comments", testComments},
		{"Feedback", testFeedback},
		{"AuditAndPartners", testAuditAndPartners},
		{"PolicyRules", testPolicyRules},
		{"ConcurrentWriters", testConcurrentWriters},
		{"ConcurrentRedeem", testConcurrentRedeem},
		{"Changes", testChanges},
		{"ConcurrentVersionClaims", testConcurrentVersionClaims},
		{"Workshops", testWorkshops},
		{"RoomLog", testRoomLog},
		{"Votes", testVotes},
		{"NamedVotes", testNamedVotes},
		{"Versions", testVersions},
		{"ThemesAndTags", testThemesAndTags},
		{"Citations", testCitations},
		{"Search", testSearch},
		{"SearchRandom", testSearchRandom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore) })
	}
}

// base is a fixed instant with millisecond precision, the precision every
// engine keeps.
var base = time.Date(2026, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

func ctx(tb testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	tb.Cleanup(cancel)
	return c
}

// seed returns the random source of randomized tests (see testseed).
func seed(tb testing.TB) *rand.Rand {
	tb.Helper()
	s := testseed.Seed(tb)
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := labs.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// ids makes n IDs that sort in creation order.
func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = labs.NewID(base.Add(time.Duration(i) * time.Millisecond))
	}
	return out
}

func newAccount(id, email string) labs.Account {
	return labs.Account{ID: id, Email: email, DisplayName: "Person " + email, PasswordHash: "$argon2id$x",
		CreatedAt: base, UpdatedAt: base}
}

func newLab(id, slug string) labs.Lab {
	return labs.Lab{ID: id, Slug: slug, Country: "NO", Title: "Lab " + slug, TargetGroup: labs.TargetFamilies,
		Description: "A lab.", Languages: []string{"no", "en"}, CreatedAt: base, UpdatedAt: base}
}

func email(i int) string { return fmt.Sprintf("person%03d@example.org", i) }
