package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// workshopView is a workshop as the API shows it. The timer is the end of
// the current phase (while running) or the time left (while paused), with
// the server's clock beside it: a device computes the countdown as
// endsAt - serverTime, so phones whose clocks differ still agree.
type workshopView struct {
	ID          string       `json:"id"`
	LabID       string       `json:"labId"`
	Title       string       `json:"title"`
	Code        string       `json:"code"`
	ScheduledAt time.Time    `json:"scheduledAt"`
	Agenda      []labs.Phase `json:"agenda"`
	Status      string       `json:"status"`
	Phase       int          `json:"phase"`
	EndsAt      *time.Time   `json:"endsAt"`
	LeftSeconds float64      `json:"leftSeconds"`
	ServerTime  time.Time    `json:"serverTime"`
	Revision    int          `json:"revision"`
}

func viewWorkshop(w labs.Workshop, now time.Time) workshopView {
	v := workshopView{ID: w.ID, LabID: w.LabID, Title: w.Title, Code: w.Code, ScheduledAt: w.ScheduledAt, Agenda: w.Agenda,
		Status: string(w.Status), Phase: w.Phase, LeftSeconds: w.Remaining(now).Seconds(), ServerTime: now, Revision: w.Revision}
	for i := range v.Agenda {
		if v.Agenda[i].Documents == nil {
			v.Agenda[i].Documents = []string{}
		}
	}
	if w.Status == labs.WorkshopRunning {
		v.EndsAt = &w.EndsAt
	}
	return v
}

type workshopRequest struct {
	Title       string       `json:"title"`
	ScheduledAt time.Time    `json:"scheduledAt"`
	Agenda      []labs.Phase `json:"agenda"`
}

// createWorkshop schedules a workshop of the lab with its agenda.
func (s *Server) createWorkshop(c *fiber.Ctx) error {
	var in workshopRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	now := s.cfg.Auth.Now()
	w := labs.Workshop{ID: labs.NewID(now), LabID: labOf(c).ID, Title: in.Title, ScheduledAt: in.ScheduledAt.UTC().Truncate(time.Millisecond),
		Agenda: in.Agenda, Status: labs.WorkshopScheduled, Phase: -1, CreatedBy: accountOf(c).ID, CreatedAt: now, UpdatedAt: now}
	if err := w.Validate(); err != nil {
		return err
	}
	if err := s.labDocuments(c.UserContext(), w); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		w.Code = newJoinCode()
		err := s.cfg.Store.CreateWorkshop(c.UserContext(), w)
		if err == nil {
			break
		} else if !labs.IsCode(err, labs.EConflict) || attempt == 4 {
			return err
		}
	}
	s.audit(c.UserContext(), w.LabID, accountOf(c).ID, "workshop.create", w.ID, map[string]string{"title": w.Title})
	return c.Status(fiber.StatusCreated).JSON(viewWorkshop(w, now))
}

// labDocuments checks that the agenda names only documents of the lab.
func (s *Server) labDocuments(ctx context.Context, w labs.Workshop) error {
	for i, p := range w.Agenda {
		for _, id := range p.Documents {
			d, err := s.cfg.Store.Document(ctx, id)
			if labs.IsCode(err, labs.ENotFound) || err == nil && d.LabID != w.LabID {
				return labs.Errorf(labs.EInvalid, "Phase %d names a document that is not one of this lab's.", i+1)
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}

// listWorkshops lists the lab's workshops, oldest first.
func (s *Server) listWorkshops(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.cfg.Store.ListWorkshops(c.UserContext(), labOf(c).ID, p)
	if err != nil {
		return err
	}
	now := s.cfg.Auth.Now()
	return c.JSON(list(items, next, func(w labs.Workshop) workshopView { return viewWorkshop(w, now) }))
}

func (s *Server) getWorkshop(c *fiber.Ctx) error {
	return c.JSON(viewWorkshop(c.Locals(localWorkshop).(labs.Workshop), s.cfg.Auth.Now()))
}

type controlRequest struct {
	Action   string `json:"action"`
	Minutes  int    `json:"minutes"`
	Revision *int   `json:"revision"`
}

// controlWorkshop is the facilitator's console: start, pause, resume,
// extend, advance (to the next phase) and end. With revision, the act
// applies only to the workshop as the facilitator saw it.
func (s *Server) controlWorkshop(c *fiber.Ctx) error {
	var in controlRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	w := c.Locals(localWorkshop).(labs.Workshop)
	if in.Revision != nil && *in.Revision != w.Revision {
		return labs.Errorf(labs.EConflict, "The workshop changed meanwhile; look again and choose.")
	}
	now := s.cfg.Auth.Now()
	var next labs.Workshop
	var err error
	switch in.Action {
	case "start":
		next, err = w.Start(now)
	case "pause":
		next, err = w.Pause(now)
	case "resume":
		next, err = w.Resume(now)
	case "extend":
		next, err = w.Extend(now, in.Minutes)
	case "advance":
		next, err = w.Advance(now)
	case "end":
		next, err = w.End(now)
	default:
		return labs.Errorf(labs.EInvalid, "action must be start, pause, resume, extend, advance or end.")
	}
	if err != nil {
		return err
	}
	next.UpdatedAt = now
	if err := s.cfg.Store.UpdateWorkshop(c.UserContext(), next); err != nil {
		return err
	}
	next.Revision++
	s.publishRoom(realtime.WorkshopRoom(w.ID), workshopEvent(next, now))
	s.audit(c.UserContext(), w.LabID, accountOf(c).ID, "workshop."+in.Action, w.ID, nil)
	// The room's log keeps the agenda as it was run, for the report.
	if _, err := s.act(c.UserContext(), next, func(labs.Room) ([]labs.RoomEvent, error) {
		return []labs.RoomEvent{{Kind: labs.RoomControl, Action: in.Action, Phase: next.Phase, Minutes: in.Minutes, Actor: accountOf(c).ID}}, nil
	}); err != nil {
		s.log.WarnContext(c.UserContext(), "room log misses a control", "workshop", w.ID, "action", in.Action, "err", err)
	}
	if next.Status == labs.WorkshopEnded {
		// A report that cannot be written now is written when first asked for.
		if _, err := s.writeReport(c.UserContext(), next); err != nil {
			s.log.WarnContext(c.UserContext(), "workshop report not written", "workshop", w.ID, "err", err)
		}
	}
	return c.JSON(viewWorkshop(next, now))
}

// workshopEvent is the live message with a workshop's whole state, as of
// now on the server's clock; followers keep the highest revision.
func workshopEvent(w labs.Workshop, now time.Time) []byte {
	return mustJSON(map[string]any{"type": "workshop", "workshop": viewWorkshop(w, now)})
}
