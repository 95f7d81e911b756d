package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

// Bench runs the storage benchmarks against one engine: a durable insert,
// a lookup by key, and one page of a listing.
func Bench(b *testing.B, newStore Factory) {
	b.Run("CreateAccount", func(b *testing.B) {
		s, c := newStore(b), ctx(b)
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			if err := s.CreateAccount(c, newAccount(labs.NewID(base), fmt.Sprintf("b%d@example.org", i))); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Membership", func(b *testing.B) {
		s, c := newStore(b), ctx(b)
		id := ids(2)
		must(b, s.CreateLab(c, newLab(id[0], "lab")))
		must(b, s.CreateAccount(c, newAccount(id[1], email(1))))
		must(b, s.AddMembership(c, labs.Membership{LabID: id[0], AccountID: id[1], Role: labs.RoleManager, JoinedAt: base}))
		b.ResetTimer()
		for b.Loop() {
			if _, err := s.Membership(c, id[0], id[1]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ListLabsPage50Of500", func(b *testing.B) {
		s, c := newStore(b), ctx(b)
		for i, id := range ids(500) {
			must(b, s.CreateLab(c, newLab(id, fmt.Sprintf("lab-%d", i))))
		}
		b.ResetTimer()
		for b.Loop() {
			page, _, err := s.ListLabs(c, labs.Page{After: labs.NewID(base.Add(200 * time.Millisecond)), Limit: 50})
			if err != nil || len(page) != 50 {
				b.Fatalf("page of %d, %v", len(page), err)
			}
		}
	})
}
