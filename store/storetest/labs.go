package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func sameLab(a, b labs.Lab) bool {
	la, lb := a.Languages, b.Languages
	a.Languages, b.Languages = nil, nil
	return reflect.DeepEqual(a, b) && slices.Equal(la, lb)
}

func testLabs(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(3)
	l := newLab(id[0], "norway")
	must(t, s.CreateLab(c, l))
	got, err := s.Lab(c, l.ID)
	must(t, err)
	if !sameLab(got, l) {
		t.Fatalf("Lab = %+v, want %+v", got, l)
	}
	got, err = s.LabBySlug(c, "norway")
	must(t, err)
	if got.ID != l.ID {
		t.Fatalf("LabBySlug ID = %s, want %s", got.ID, l.ID)
	}
	wantCode(t, s.CreateLab(c, newLab(id[1], "norway")), labs.EConflict)
	_, err = s.Lab(c, id[1])
	wantCode(t, err, labs.ENotFound)
	_, err = s.LabBySlug(c, "atlantis")
	wantCode(t, err, labs.ENotFound)

	l.Title, l.Languages, l.UpdatedAt = "Norwegian lab", nil, base.Add(time.Minute)
	must(t, s.UpdateLab(c, l))
	got, err = s.Lab(c, l.ID)
	must(t, err)
	if !sameLab(got, l) {
		t.Fatalf("after update Lab = %+v, want %+v", got, l)
	}
	must(t, s.CreateLab(c, newLab(id[1], "sweden")))
	l2 := newLab(id[1], "norway")
	wantCode(t, s.UpdateLab(c, l2), labs.EConflict)
	wantCode(t, s.UpdateLab(c, newLab(id[2], "latvia")), labs.ENotFound)
}

// testLabsPagingRandomized checks, for random counts and page sizes, that
// walking the pages yields every lab exactly once, in ID order.
func testLabsPagingRandomized(t *testing.T, newStore Factory) {
	r := seed(t)
	s, c := newStore(t), ctx(t)
	n := 1 + r.IntN(40)
	id := ids(n)
	order := r.Perm(n)
	for _, i := range order {
		must(t, s.CreateLab(c, newLab(id[i], fmt.Sprintf("lab-%d", i))))
	}
	for round := 0; round < 5; round++ {
		limit := 1 + r.IntN(n+2)
		var seen []string
		after := ""
		for {
			page, next, err := s.ListLabs(c, labs.Page{After: after, Limit: limit})
			must(t, err)
			if len(page) > limit {
				t.Fatalf("page of %d items for limit %d", len(page), limit)
			}
			for _, l := range page {
				seen = append(seen, l.ID)
			}
			if next == "" {
				break
			}
			if len(seen) > n {
				t.Fatalf("paging does not end: %d items seen of %d", len(seen), n)
			}
			after = next
		}
		if !slices.Equal(seen, id) {
			t.Fatalf("n=%d limit=%d: paged IDs differ from the sorted IDs:\n got %v\nwant %v", n, limit, seen, id)
		}
	}
}
