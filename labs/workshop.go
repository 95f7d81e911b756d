package labs

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Workshop is a live session of a lab: an agenda of phases that the
// facilitator runs, with one timer everybody shares. The timer is kept as
// the moment the current phase's time runs out (or, paused, as the time
// left), never as ticks: every device computes the countdown from the
// server's clock, and a restart finds the timer where it was.
type Workshop struct {
	ID    string
	LabID string
	Title string
	// Code is the short code people type (or scan) to join.
	Code        string
	ScheduledAt time.Time
	Agenda      []Phase
	Status      WorkshopStatus
	// Phase is the index in Agenda of the phase under way (running or
	// paused); -1 before the start.
	Phase int
	// EndsAt is when the current phase's time runs out, while running.
	EndsAt time.Time
	// Left is the current phase's time left, while paused.
	Left      time.Duration
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Revision counts changes; the store refuses one made against an
	// older revision, so two facilitators' clicks never cross.
	Revision int
}

// WorkshopStatus is where a workshop stands.
type WorkshopStatus string

// Workshop statuses.
const (
	WorkshopScheduled WorkshopStatus = "scheduled"
	WorkshopRunning   WorkshopStatus = "running"
	WorkshopPaused    WorkshopStatus = "paused"
	WorkshopEnded     WorkshopStatus = "ended"
)

// Phase is one step of a workshop's agenda.
type Phase struct {
	Title   string    `json:"title"`
	Kind    PhaseKind `json:"kind"`
	Minutes int       `json:"minutes"`
	// Documents are the lab documents the phase is about.
	Documents []string `json:"documents"`
}

// PhaseKind is what a phase is for; it decides what the session room
// offers in it (an idea wall in an ideas phase, votes when prioritising).
type PhaseKind string

// Phase kinds, after the LINK workshops.
const (
	PhaseExplore    PhaseKind = "explore" // read and discuss the baseline
	PhaseIdeas      PhaseKind = "ideas"
	PhaseDiscussion PhaseKind = "discussion"
	PhasePrioritise PhaseKind = "prioritise"
	PhaseFeedback   PhaseKind = "feedback"
)

// PhaseKinds lists the phase kinds.
var PhaseKinds = []PhaseKind{PhaseExplore, PhaseIdeas, PhaseDiscussion, PhasePrioritise, PhaseFeedback}

// Limits on a workshop's agenda.
const (
	MaxPhases            = 20
	MaxPhaseMinutes      = 8 * 60
	MaxPhaseDocuments    = 10
	MaxWorkshopTitleRune = 200
)

// Validate checks a workshop's title and agenda.
func (w Workshop) Validate() error {
	if t := strings.TrimSpace(w.Title); t == "" || utf8.RuneCountInString(t) > MaxWorkshopTitleRune {
		return Errorf(EInvalid, "A workshop needs a title of 1 to %d characters.", MaxWorkshopTitleRune)
	}
	if len(w.Agenda) == 0 || len(w.Agenda) > MaxPhases {
		return Errorf(EInvalid, "An agenda has 1 to %d phases.", MaxPhases)
	}
	for i, p := range w.Agenda {
		switch {
		case strings.TrimSpace(p.Title) == "" || utf8.RuneCountInString(p.Title) > MaxWorkshopTitleRune:
			return Errorf(EInvalid, "Phase %d needs a title of 1 to %d characters.", i+1, MaxWorkshopTitleRune)
		case !slices.Contains(PhaseKinds, p.Kind):
			return Errorf(EInvalid, "Phase %d: kind must be explore, ideas, discussion, prioritise or feedback.", i+1)
		case p.Minutes < 1 || p.Minutes > MaxPhaseMinutes:
			return Errorf(EInvalid, "Phase %d lasts 1 to %d minutes.", i+1, MaxPhaseMinutes)
		case len(p.Documents) > MaxPhaseDocuments:
			return Errorf(EInvalid, "Phase %d is about at most %d documents.", i+1, MaxPhaseDocuments)
		}
		for _, d := range p.Documents {
			if !ValidID(d) {
				return Errorf(EInvalid, "Phase %d names a document that is no document ID.", i+1)
			}
		}
	}
	return nil
}

// Remaining is the current phase's time left at now: zero when it has run
// out (the phase goes on until the facilitator moves on), and nothing
// before the start or after the end.
func (w Workshop) Remaining(now time.Time) time.Duration {
	switch w.Status {
	case WorkshopRunning:
		return max(0, w.EndsAt.Sub(now))
	case WorkshopPaused:
		return w.Left
	}
	return 0
}

// The facilitator's controls. Each returns the workshop after the act at
// now, or EConflict when the act does not fit where the workshop stands
// (starting twice, pausing a paused one), so a second click from a slow
// connection changes nothing.

// Start begins the first phase.
func (w Workshop) Start(now time.Time) (Workshop, error) {
	if w.Status != WorkshopScheduled {
		return w, w.wrongState("start")
	}
	return w.enter(0, now), nil
}

// Pause stops the timer, keeping the time left.
func (w Workshop) Pause(now time.Time) (Workshop, error) {
	if w.Status != WorkshopRunning {
		return w, w.wrongState("pause")
	}
	w.Left, w.EndsAt, w.Status = w.Remaining(now), time.Time{}, WorkshopPaused
	return w, nil
}

// Resume restarts the timer with the time that was left.
func (w Workshop) Resume(now time.Time) (Workshop, error) {
	if w.Status != WorkshopPaused {
		return w, w.wrongState("resume")
	}
	w.EndsAt, w.Left, w.Status = now.Add(w.Left), 0, WorkshopRunning
	return w, nil
}

// Extend gives the current phase more minutes (running or paused); a
// phase whose time had run out gets them from now.
func (w Workshop) Extend(now time.Time, minutes int) (Workshop, error) {
	if minutes < 1 || minutes > MaxPhaseMinutes {
		return w, Errorf(EInvalid, "Extend by 1 to %d minutes.", MaxPhaseMinutes)
	}
	d := time.Duration(minutes) * time.Minute
	switch w.Status {
	case WorkshopRunning:
		w.EndsAt = now.Add(w.Remaining(now) + d)
	case WorkshopPaused:
		w.Left += d
	default:
		return w, w.wrongState("extend")
	}
	return w, nil
}

// Advance moves to the next phase, running, with its planned minutes.
// After the last phase there is none to move to: End ends the workshop.
func (w Workshop) Advance(now time.Time) (Workshop, error) {
	if w.Status != WorkshopRunning && w.Status != WorkshopPaused {
		return w, w.wrongState("move on")
	}
	if w.Phase+1 >= len(w.Agenda) {
		return w, Errorf(EConflict, "This is the last phase of the agenda: end the workshop instead.")
	}
	return w.enter(w.Phase+1, now), nil
}

// End ends the workshop, from any phase.
func (w Workshop) End(now time.Time) (Workshop, error) {
	if w.Status == WorkshopScheduled || w.Status == WorkshopEnded {
		return w, w.wrongState("end")
	}
	w.Status, w.EndsAt, w.Left = WorkshopEnded, time.Time{}, 0
	return w, nil
}

func (w Workshop) enter(phase int, now time.Time) Workshop {
	w.Phase, w.Status, w.Left = phase, WorkshopRunning, 0
	w.EndsAt = now.Add(time.Duration(w.Agenda[phase].Minutes) * time.Minute)
	return w
}

func (w Workshop) wrongState(act string) error {
	return Errorf(EConflict, "The workshop is %s: it cannot %s now.", w.Status, act)
}

// WorkshopStore persists workshops.
type WorkshopStore interface {
	// CreateWorkshop inserts w: EConflict if the ID exists.
	CreateWorkshop(ctx context.Context, w Workshop) error
	// Workshop returns a workshop, or ENotFound.
	Workshop(ctx context.Context, id string) (Workshop, error)
	// ListWorkshops returns a lab's workshops ordered by ID.
	ListWorkshops(ctx context.Context, labID string, p Page) ([]Workshop, string, error)
	// WorkshopByCode returns the workshop with a join code, or ENotFound.
	WorkshopByCode(ctx context.Context, code string) (Workshop, error)
	// UpdateWorkshop replaces the stored workshop if it still has
	// w.Revision, and counts the revision up: EConflict if it changed
	// meanwhile, ENotFound if there is none.
	UpdateWorkshop(ctx context.Context, w Workshop) error
}
