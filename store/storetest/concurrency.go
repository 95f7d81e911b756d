package storetest

import (
	"sync"
	"testing"

	"github.com/linklab/linklab/labs"
)

// testConcurrentWriters: writers on distinct keys all succeed; writers on
// one unique key produce exactly one success and conflicts for the rest.
func testConcurrentWriters(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	const writers, each = 8, 10
	id := ids(writers*each + writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers*each+writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				n := w*each + i
				errs <- s.CreateAccount(c, newAccount(id[n], email(n)))
			}
		})
	}
	wg.Wait()
	for w := range writers {
		wg.Go(func() {
			errs <- s.CreateLab(c, newLab(id[writers*each+w], "contested"))
		})
	}
	wg.Wait()
	close(errs)
	ok, conflicts := 0, 0
	for err := range errs {
		switch labs.ErrorCode(err) {
		case "":
			ok++
		case labs.EConflict:
			conflicts++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != writers*each+1 || conflicts != writers-1 {
		t.Fatalf("%d writes succeeded and %d conflicted, want %d and %d", ok, conflicts, writers*each+1, writers-1)
	}
	all, _, err := s.ListAccounts(c, labs.Page{Limit: labs.MaxPageLimit})
	must(t, err)
	if len(all) != writers*each {
		t.Fatalf("%d accounts stored, want %d", len(all), writers*each)
	}
	for i, a := range all {
		if a.ID != id[i] {
			t.Fatalf("account %d is %s, want %s", i, a.ID, id[i])
		}
	}
}
