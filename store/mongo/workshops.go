package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
)

var _ labs.WorkshopStore = (*Store)(nil)

type phaseDoc struct {
	Title     string   `bson:"title"`
	Kind      string   `bson:"kind"`
	Minutes   int      `bson:"minutes"`
	Documents []string `bson:"documents"`
}

type workshopDoc struct {
	ID          string     `bson:"_id"`
	LabID       string     `bson:"labId"`
	Title       string     `bson:"title"`
	Code        string     `bson:"code,omitempty"`
	ScheduledAt time.Time  `bson:"scheduledAt"`
	Agenda      []phaseDoc `bson:"agenda"`
	Status      string     `bson:"status"`
	Phase       int        `bson:"phase"`
	EndsAt      time.Time  `bson:"endsAt"`
	LeftMs      int64      `bson:"leftMs"`
	CreatedBy   string     `bson:"createdBy"`
	CreatedAt   time.Time  `bson:"createdAt"`
	UpdatedAt   time.Time  `bson:"updatedAt"`
	Revision    int        `bson:"revision"`
}

func toWorkshopDoc(w labs.Workshop) workshopDoc {
	d := workshopDoc{ID: w.ID, LabID: w.LabID, Title: w.Title, Code: w.Code, ScheduledAt: w.ScheduledAt, Agenda: make([]phaseDoc, len(w.Agenda)),
		Status: string(w.Status), Phase: w.Phase, EndsAt: w.EndsAt, LeftMs: w.Left.Milliseconds(), CreatedBy: w.CreatedBy,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, Revision: w.Revision}
	for i, p := range w.Agenda {
		d.Agenda[i] = phaseDoc{Title: p.Title, Kind: string(p.Kind), Minutes: p.Minutes, Documents: p.Documents}
	}
	return d
}

func (d workshopDoc) domain() labs.Workshop {
	w := labs.Workshop{ID: d.ID, LabID: d.LabID, Title: d.Title, Code: d.Code, ScheduledAt: utc(d.ScheduledAt), Status: labs.WorkshopStatus(d.Status),
		Phase: d.Phase, EndsAt: utc(d.EndsAt), Left: time.Duration(d.LeftMs) * time.Millisecond, CreatedBy: d.CreatedBy,
		CreatedAt: utc(d.CreatedAt), UpdatedAt: utc(d.UpdatedAt), Revision: d.Revision}
	for _, p := range d.Agenda {
		w.Agenda = append(w.Agenda, labs.Phase{Title: p.Title, Kind: labs.PhaseKind(p.Kind), Minutes: p.Minutes, Documents: p.Documents})
	}
	return w
}

func workshopKey(d workshopDoc) string { return d.ID }

// CreateWorkshop implements labs.WorkshopStore.
func (s *Store) CreateWorkshop(ctx context.Context, w labs.Workshop) error {
	return insert(ctx, s.workshops, toWorkshopDoc(w), "Workshop")
}

// Workshop implements labs.WorkshopStore.
func (s *Store) Workshop(ctx context.Context, id string) (labs.Workshop, error) {
	d, err := byID[workshopDoc](ctx, s.workshops, id, "Workshop")
	return d.domain(), err
}

// WorkshopByCode implements labs.WorkshopStore.
func (s *Store) WorkshopByCode(ctx context.Context, code string) (labs.Workshop, error) {
	var d workshopDoc
	if code == "" {
		return labs.Workshop{}, notFound("Workshop")
	}
	if err := s.workshops.FindOne(ctx, bson.D{{Key: "code", Value: code}}).Decode(&d); err != nil {
		return labs.Workshop{}, fmt.Errorf("find workshop by code: %w", translate(err, "Workshop"))
	}
	return d.domain(), nil
}

// ListWorkshops implements labs.WorkshopStore.
func (s *Store) ListWorkshops(ctx context.Context, labID string, p labs.Page) ([]labs.Workshop, string, error) {
	return page(ctx, s.workshops, bson.D{{Key: "labId", Value: labID}}, "_id", p, workshopKey, workshopDoc.domain)
}

// UpdateWorkshop implements labs.WorkshopStore: a replace that matches only
// the revision it was made against.
func (s *Store) UpdateWorkshop(ctx context.Context, w labs.Workshop) error {
	next := w
	next.Revision++
	res, err := s.workshops.ReplaceOne(ctx, bson.D{{Key: "_id", Value: w.ID}, {Key: "revision", Value: w.Revision}}, toWorkshopDoc(next))
	if err != nil {
		return fmt.Errorf("update workshop %s: %w", w.ID, err)
	}
	if res.MatchedCount == 0 {
		if _, err := s.Workshop(ctx, w.ID); err != nil {
			return fmt.Errorf("update workshop %s: %w", w.ID, err)
		}
		return fmt.Errorf("update workshop %s: %w", w.ID, labs.Errorf(labs.EConflict, "The workshop changed meanwhile; reload it and try again."))
	}
	return nil
}
