package storetest

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

// testWorkshops: a workshop reads back as written, with its agenda and its
// timer in both forms (an end time while running, the time left while
// paused); an update made against an older revision is a conflict, so of
// two facilitators acting at once exactly one wins; listing is per lab.
func testWorkshops(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(8)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	must(t, s.CreateLab(c, newLab(id[1], "other")))
	w := labs.Workshop{ID: id[2], LabID: id[0], Title: "Ideas for families 👨‍👩‍👧", Code: "K7M2QX", ScheduledAt: base.Add(time.Hour),
		Agenda: []labs.Phase{
			{Title: "Explore the baseline", Kind: labs.PhaseExplore, Minutes: 20, Documents: []string{id[5]}},
			{Title: "Ideas", Kind: labs.PhaseIdeas, Minutes: 30, Documents: []string{}},
		},
		Status: labs.WorkshopScheduled, Phase: -1, CreatedBy: "facilitator", CreatedAt: base, UpdatedAt: base}
	must(t, s.CreateWorkshop(c, w))
	wantCode(t, s.CreateWorkshop(c, w), labs.EConflict)
	got, err := s.Workshop(c, w.ID)
	must(t, err)
	if !reflect.DeepEqual(got, w) {
		t.Fatalf("Workshop = %+v, want %+v", got, w)
	}
	_, err = s.Workshop(c, id[7])
	wantCode(t, err, labs.ENotFound)

	// Running: an end time; paused: the time left.
	running, err := w.Start(base.Add(time.Hour))
	must(t, err)
	running.UpdatedAt = base.Add(time.Hour)
	must(t, s.UpdateWorkshop(c, running))
	got, _ = s.Workshop(c, w.ID)
	running.Revision++
	if !reflect.DeepEqual(got, running) {
		t.Fatalf("running = %+v, want %+v", got, running)
	}
	paused, err := running.Pause(base.Add(time.Hour + 7*time.Minute + 500*time.Millisecond))
	must(t, err)
	must(t, s.UpdateWorkshop(c, paused))
	got, _ = s.Workshop(c, w.ID)
	if got.Status != labs.WorkshopPaused || got.Left != 12*time.Minute+59500*time.Millisecond || !got.EndsAt.IsZero() || got.Revision != 2 {
		t.Fatalf("paused = %+v", got)
	}
	// An update from the older revision is refused.
	wantCode(t, s.UpdateWorkshop(c, running), labs.EConflict)
	gone := w
	gone.ID = id[6]
	wantCode(t, s.UpdateWorkshop(c, gone), labs.ENotFound)

	// Two facilitators press at once: one wins.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			next, _ := got.Extend(base.Add(2*time.Hour), i+1)
			errs[i] = s.UpdateWorkshop(c, next)
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else if labs.ErrorCode(err) != labs.EConflict {
			t.Fatalf("concurrent update: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d of %d concurrent updates won, want 1", wins, len(errs))
	}

	// Join codes are unique; workshops without one (made before codes)
	// are many.
	byCode, err := s.WorkshopByCode(c, "K7M2QX")
	must(t, err)
	if byCode.ID != w.ID {
		t.Fatalf("WorkshopByCode = %s, want %s", byCode.ID, w.ID)
	}
	_, err = s.WorkshopByCode(c, "AAAAAA")
	wantCode(t, err, labs.ENotFound)
	_, err = s.WorkshopByCode(c, "")
	wantCode(t, err, labs.ENotFound)
	other := w
	other.ID, other.LabID = id[3], id[1]
	wantCode(t, s.CreateWorkshop(c, other), labs.EConflict)
	other.Code = ""
	must(t, s.CreateWorkshop(c, other))
	second := other
	second.ID, second.LabID = id[4], id[0]
	must(t, s.CreateWorkshop(c, second))
	page, next, err := s.ListWorkshops(c, id[0], labs.Page{Limit: 1})
	must(t, err)
	if len(page) != 1 || page[0].ID != w.ID || next != w.ID {
		t.Fatalf("first page %v, next %q", page, next)
	}
	page, next, err = s.ListWorkshops(c, id[0], labs.Page{After: next, Limit: 1})
	must(t, err)
	if len(page) != 1 || page[0].ID != second.ID || next != "" {
		t.Fatalf("second page %v, next %q", page, next)
	}
}
