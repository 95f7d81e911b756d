package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func change(section string, v int, client string) labs.Change {
	return labs.Change{SectionID: section, Version: v, ClientID: client, Seq: int64(v), AuthorID: "author",
		Changes: []byte(fmt.Sprintf(`[%d,[0,"x\r","👍"]]`, v)), At: base.Add(time.Duration(v) * time.Millisecond)}
}

func testChanges(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	if v, err := s.LatestVersion(c, "sec"); err != nil || v != 0 {
		t.Fatalf("LatestVersion of an empty log = %d, %v", v, err)
	}
	must(t, s.AppendChanges(c, []labs.Change{change("sec", 1, "a"), change("sec", 2, "a")}))
	must(t, s.AppendChanges(c, []labs.Change{change("sec", 3, "b")}))
	must(t, s.AppendChanges(c, []labs.Change{change("other", 1, "b")}))
	// Version 3 is taken: the append is refused and version 3 stays b's.
	wantCode(t, s.AppendChanges(c, []labs.Change{change("sec", 3, "c"), change("sec", 4, "c")}), labs.EConflict)
	// A batch that meets a taken version on its way stores at most what
	// comes before it (an engine without transactions keeps that), never
	// the taken one or anything after it.
	must(t, s.AppendChanges(c, []labs.Change{change("race", 2, "x")}))
	wantCode(t, s.AppendChanges(c, []labs.Change{change("race", 1, "c"), change("race", 2, "c"), change("race", 3, "c")}), labs.EConflict)
	race, err := s.Changes(c, "race", 0, 100)
	must(t, err)
	if n := len(race); n < 1 || n > 2 || race[n-1].Version != 2 || race[n-1].ClientID != "x" || n == 2 && race[0].ClientID != "c" {
		t.Fatalf("after a batch met a taken version: %+v; want [2 by x], maybe after [1 by c]", race)
	}
	got, err := s.Changes(c, "sec", 0, 100)
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("%d changes after a refused append, want 3", len(got))
	}
	for i, ch := range got {
		want := change("sec", i+1, []string{"a", "a", "b"}[i])
		if ch.Version != want.Version || ch.ClientID != want.ClientID || string(ch.Changes) != string(want.Changes) || !ch.At.Equal(want.At) || ch.Seq != want.Seq {
			t.Fatalf("change %d = %+v, want %+v", i, ch, want)
		}
	}
	got, err = s.Changes(c, "sec", 1, 2)
	must(t, err)
	if len(got) != 1 || got[0].Version != 2 {
		t.Fatalf("Changes(1, 2) = %+v", got)
	}
	if v, _ := s.LatestVersion(c, "sec"); v != 3 {
		t.Fatalf("LatestVersion = %d, want 3", v)
	}

	// A change is found again by its client and sequence number, in its
	// own section only; a pair used twice (as old web clients did after a
	// reload) finds the latest.
	found, err := s.ClientChange(c, "sec", "a", 2)
	must(t, err)
	if found.Version != 2 || string(found.Changes) != string(change("sec", 2, "a").Changes) {
		t.Fatalf("ClientChange(a, 2) = %+v", found)
	}
	_, err = s.ClientChange(c, "sec", "b", 2)
	wantCode(t, err, labs.ENotFound)
	_, err = s.ClientChange(c, "other", "a", 1)
	wantCode(t, err, labs.ENotFound)
	reused := change("sec", 4, "a")
	reused.Seq = 1
	must(t, s.AppendChanges(c, []labs.Change{reused}))
	if found, err = s.ClientChange(c, "sec", "a", 1); err != nil || found.Version != 4 {
		t.Fatalf("ClientChange of a reused pair = %+v, %v; want version 4", found, err)
	}
	for _, tc := range []struct {
		section, client string
		want            int64
	}{{"sec", "a", 2}, {"sec", "b", 3}, {"sec", "c", -1}, {"other", "b", 1}, {"none", "a", -1}} {
		if seq, err := s.LastSeq(c, tc.section, tc.client); err != nil || seq != tc.want {
			t.Fatalf("LastSeq(%s, %s) = %d, %v; want %d", tc.section, tc.client, seq, err, tc.want)
		}
	}

	_, err = s.LatestSnapshot(c, "sec")
	wantCode(t, err, labs.ENotFound)
	must(t, s.SaveSnapshot(c, labs.Snapshot{SectionID: "sec", Version: 2, Text: "two", At: base}))
	must(t, s.SaveSnapshot(c, labs.Snapshot{SectionID: "sec", Version: 1, Text: "one", At: base})) // older: ignored
	sn, err := s.LatestSnapshot(c, "sec")
	must(t, err)
	if sn.Version != 2 || sn.Text != "two" {
		t.Fatalf("snapshot = %+v, want version 2", sn)
	}
	must(t, s.SaveSnapshot(c, labs.Snapshot{SectionID: "sec", Version: 3, Text: "three 👨‍👩‍👧\r\n", At: base}))
	if sn, _ = s.LatestSnapshot(c, "sec"); sn.Version != 3 || sn.Text != "three 👨‍👩‍👧\r\n" {
		t.Fatalf("snapshot = %+v, want version 3", sn)
	}
}

// testConcurrentVersionClaims: writers racing for the same versions of one
// section; each version is won exactly once.
func testConcurrentVersionClaims(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	const writers, versions = 6, 20
	var wg sync.WaitGroup
	wins := make([]int, writers)
	for w := range writers {
		wg.Go(func() {
			for v := 1; v <= versions; v++ {
				if err := s.AppendChanges(c, []labs.Change{change("sec", v, fmt.Sprint(w))}); err == nil {
					wins[w]++
				} else if !labs.IsCode(err, labs.EConflict) {
					t.Errorf("writer %d version %d: %v", w, v, err)
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for _, n := range wins {
		total += n
	}
	got, err := s.Changes(c, "sec", 0, versions)
	must(t, err)
	if total != versions || len(got) != versions {
		t.Fatalf("%d wins and %d stored changes for %d versions", total, len(got), versions)
	}
}
