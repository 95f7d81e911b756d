package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
)

var _ labs.WorkshopStore = (*Store)(nil)

const workshopColumns = `id, lab_id, title, code, scheduled_at, agenda, status, phase, ends_at, left_ms, created_by, created_at,
	updated_at, revision`

func scanWorkshop(r scanner) (labs.Workshop, error) {
	var w labs.Workshop
	var agenda string
	var scheduled, ends, left, created, updated int64
	err := r.Scan(&w.ID, &w.LabID, &w.Title, &w.Code, &scheduled, &agenda, &w.Status, &w.Phase, &ends, &left, &w.CreatedBy,
		&created, &updated, &w.Revision)
	if err != nil {
		return w, err
	}
	if err := json.Unmarshal([]byte(agenda), &w.Agenda); err != nil {
		return w, fmt.Errorf("agenda of workshop %s: %w", w.ID, err)
	}
	w.ScheduledAt, w.EndsAt, w.CreatedAt, w.UpdatedAt = fromMillis(scheduled), fromMillis(ends), fromMillis(created), fromMillis(updated)
	w.Left = time.Duration(left) * time.Millisecond
	return w, nil
}

// CreateWorkshop implements labs.WorkshopStore.
func (s *Store) CreateWorkshop(ctx context.Context, w labs.Workshop) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO workshops("+workshopColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		w.ID, w.LabID, w.Title, w.Code, millis(w.ScheduledAt), jsonText(w.Agenda, "[]"), w.Status, w.Phase, millis(w.EndsAt),
		w.Left.Milliseconds(), w.CreatedBy, millis(w.CreatedAt), millis(w.UpdatedAt), w.Revision)
	if err != nil {
		return fmt.Errorf("create workshop: %w", translate(err, "Workshop"))
	}
	return nil
}

// Workshop implements labs.WorkshopStore.
func (s *Store) Workshop(ctx context.Context, id string) (labs.Workshop, error) {
	w, err := scanWorkshop(s.db.QueryRowContext(ctx, "SELECT "+workshopColumns+" FROM workshops WHERE id = ?", id))
	if err != nil {
		return w, fmt.Errorf("load workshop %s: %w", id, translate(err, "Workshop"))
	}
	return w, nil
}

// WorkshopByCode implements labs.WorkshopStore.
func (s *Store) WorkshopByCode(ctx context.Context, code string) (labs.Workshop, error) {
	if code == "" {
		return labs.Workshop{}, labs.Errorf(labs.ENotFound, "Workshop not found.")
	}
	w, err := scanWorkshop(s.db.QueryRowContext(ctx, "SELECT "+workshopColumns+" FROM workshops WHERE code = ?", code))
	if err != nil {
		return w, fmt.Errorf("find workshop by code: %w", translate(err, "Workshop"))
	}
	return w, nil
}

// ListWorkshops implements labs.WorkshopStore.
func (s *Store) ListWorkshops(ctx context.Context, labID string, p labs.Page) ([]labs.Workshop, string, error) {
	return list(ctx, s.db, "workshops", p, scanWorkshop, func(w labs.Workshop) string { return w.ID },
		"SELECT "+workshopColumns+" FROM workshops WHERE lab_id = ? AND id > ? ORDER BY id LIMIT ?", labID)
}

// UpdateWorkshop implements labs.WorkshopStore.
func (s *Store) UpdateWorkshop(ctx context.Context, w labs.Workshop) error {
	res, err := s.db.ExecContext(ctx, `UPDATE workshops SET title = ?, scheduled_at = ?, agenda = ?, status = ?, phase = ?,
		ends_at = ?, left_ms = ?, updated_at = ?, revision = revision + 1 WHERE id = ? AND revision = ?`,
		w.Title, millis(w.ScheduledAt), jsonText(w.Agenda, "[]"), w.Status, w.Phase, millis(w.EndsAt), w.Left.Milliseconds(),
		millis(w.UpdatedAt), w.ID, w.Revision)
	if err := mustAffect(res, err, "Workshop"); err != nil {
		var n int
		if qerr := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM workshops WHERE id = ?", w.ID).Scan(&n); qerr == nil && n > 0 {
			err = labs.Errorf(labs.EConflict, "The workshop changed meanwhile; reload it and try again.")
		}
		return fmt.Errorf("update workshop %s: %w", w.ID, err)
	}
	return nil
}
