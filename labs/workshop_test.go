package labs_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func agenda(minutes ...int) []labs.Phase {
	out := make([]labs.Phase, len(minutes))
	for i, m := range minutes {
		out[i] = labs.Phase{Title: fmt.Sprintf("Phase %d", i+1), Kind: labs.PhaseDiscussion, Minutes: m}
	}
	return out
}

// TestWorkshopTimer runs a workshop through the facilitator's controls and
// checks the shared timer at each step: kept as an end time while running
// and as the time left while paused, so any clock reading it agrees.
func TestWorkshopTimer(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	w := labs.Workshop{Title: "Ideas for families", Agenda: agenda(20, 30), Status: labs.WorkshopScheduled, Phase: -1}
	type step struct {
		name string
		at   time.Duration // since t0
		act  func(labs.Workshop, time.Time) (labs.Workshop, error)
		// what follows the act
		status labs.WorkshopStatus
		phase  int
		left   time.Duration // Remaining at the same moment
	}
	extend := func(m int) func(labs.Workshop, time.Time) (labs.Workshop, error) {
		return func(w labs.Workshop, now time.Time) (labs.Workshop, error) { return w.Extend(now, m) }
	}
	steps := []step{
		{"start", 0, labs.Workshop.Start, labs.WorkshopRunning, 0, 20 * time.Minute},
		{"pause after 5 min", 5 * time.Minute, labs.Workshop.Pause, labs.WorkshopPaused, 0, 15 * time.Minute},
		{"extend while paused", 7 * time.Minute, extend(5), labs.WorkshopPaused, 0, 20 * time.Minute},
		{"resume 10 min later", 15 * time.Minute, labs.Workshop.Resume, labs.WorkshopRunning, 0, 20 * time.Minute},
		{"extend a phase that ran out", 50 * time.Minute, extend(2), labs.WorkshopRunning, 0, 2 * time.Minute},
		{"move on", 51 * time.Minute, labs.Workshop.Advance, labs.WorkshopRunning, 1, 30 * time.Minute},
		{"end", 60 * time.Minute, labs.Workshop.End, labs.WorkshopEnded, 1, 0},
	}
	for i, st := range steps {
		now := t0.Add(st.at)
		next, err := st.act(w, now)
		if err != nil {
			t.Fatalf("%d_%s: %v", i, st.name, err)
		}
		w = next
		if w.Status != st.status || w.Phase != st.phase || w.Remaining(now) != st.left {
			t.Fatalf("%d_%s: %s, phase %d, %v left; want %s, %d, %v", i, st.name, w.Status, w.Phase, w.Remaining(now), st.status, st.phase, st.left)
		}
	}
}

// TestWorkshopControlsRefuseWhatDoesNotFit: a control that does not fit
// where the workshop stands is a conflict and changes nothing, so a second
// click from a slow connection does no harm.
func TestWorkshopControlsRefuseWhatDoesNotFit(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	scheduled := labs.Workshop{Title: "W", Agenda: agenda(10), Status: labs.WorkshopScheduled, Phase: -1}
	running, _ := scheduled.Start(now)
	paused, _ := running.Pause(now)
	ended, _ := running.End(now)
	scenarios := []struct {
		name string
		w    labs.Workshop
		act  func(labs.Workshop, time.Time) (labs.Workshop, error)
	}{
		{"start twice", running, labs.Workshop.Start},
		{"pause a paused one", paused, labs.Workshop.Pause},
		{"resume a running one", running, labs.Workshop.Resume},
		{"move on past the last phase", running, labs.Workshop.Advance},
		{"move on before the start", scheduled, labs.Workshop.Advance},
		{"end before the start", scheduled, labs.Workshop.End},
		{"end twice", ended, labs.Workshop.End},
		{"start an ended one", ended, labs.Workshop.Start},
	}
	for i, sc := range scenarios {
		t.Run(fmt.Sprintf("%d_%s", i, sc.name), func(t *testing.T) {
			got, err := sc.act(sc.w, now.Add(time.Minute))
			if labs.ErrorCode(err) != labs.EConflict {
				t.Fatalf("error %v, want conflict", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(sc.w) {
				t.Fatalf("a refused act changed the workshop: %+v", got)
			}
		})
	}
	if _, err := running.Extend(now, 0); labs.ErrorCode(err) != labs.EInvalid {
		t.Fatalf("extend by 0: %v", err)
	}
}

// TestWorkshopValidate: titles, phase kinds, lengths and documents are
// bounded.
func TestWorkshopValidate(t *testing.T) {
	ok := labs.Workshop{Title: "Baseline day", Agenda: agenda(15, 45)}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := func(change func(*labs.Workshop)) labs.Workshop {
		w := ok
		w.Agenda = append([]labs.Phase(nil), ok.Agenda...)
		change(&w)
		return w
	}
	scenarios := []struct {
		name string
		w    labs.Workshop
	}{
		{"no title", bad(func(w *labs.Workshop) { w.Title = " " })},
		{"no phases", bad(func(w *labs.Workshop) { w.Agenda = nil })},
		{"too many phases", bad(func(w *labs.Workshop) { w.Agenda = agenda(make([]int, labs.MaxPhases+1)...) })},
		{"a phase of 0 minutes", bad(func(w *labs.Workshop) { w.Agenda[0].Minutes = 0 })},
		{"a phase of a day", bad(func(w *labs.Workshop) { w.Agenda[0].Minutes = 24 * 60 })},
		{"an unknown kind", bad(func(w *labs.Workshop) { w.Agenda[1].Kind = "party" })},
		{"a phase without a title", bad(func(w *labs.Workshop) { w.Agenda[1].Title = "" })},
		{"a document that is no ID", bad(func(w *labs.Workshop) { w.Agenda[0].Documents = []string{"../etc"} })},
	}
	for i, sc := range scenarios {
		t.Run(fmt.Sprintf("%d_%s", i, sc.name), func(t *testing.T) {
			if err := sc.w.Validate(); labs.ErrorCode(err) != labs.EInvalid {
				t.Fatalf("Validate = %v, want invalid", err)
			}
		})
	}
}
