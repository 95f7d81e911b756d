package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/linklab/linklab/labs"
)

const labColumns = "id, slug, country, title, target_group, description, languages, created_at, updated_at, default_visibility"

func scanLab(r scanner) (labs.Lab, error) {
	var l labs.Lab
	var langs string
	var created, updated int64
	if err := r.Scan(&l.ID, &l.Slug, &l.Country, &l.Title, &l.TargetGroup, &l.Description, &langs, &created, &updated, &l.DefaultVisibility); err != nil {
		return l, err
	}
	l.CreatedAt, l.UpdatedAt = fromMillis(created), fromMillis(updated)
	if err := json.Unmarshal([]byte(langs), &l.Languages); err != nil {
		return l, fmt.Errorf("decode languages of lab %s: %w", l.ID, err)
	}
	return l, nil
}

func languagesJSON(langs []string) string {
	if langs == nil {
		langs = []string{}
	}
	b, _ := json.Marshal(langs) // a []string always marshals
	return string(b)
}

// CreateLab implements labs.LabStore.
func (s *Store) CreateLab(ctx context.Context, l labs.Lab) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO labs("+labColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		l.ID, l.Slug, l.Country, l.Title, l.TargetGroup, l.Description, languagesJSON(l.Languages), millis(l.CreatedAt), millis(l.UpdatedAt), l.DefaultVisibility)
	if err != nil {
		return fmt.Errorf("create lab %s: %w", l.Slug, translate(err, "Lab"))
	}
	return nil
}

// Lab implements labs.LabStore.
func (s *Store) Lab(ctx context.Context, id string) (labs.Lab, error) {
	l, err := scanLab(s.db.QueryRowContext(ctx, "SELECT "+labColumns+" FROM labs WHERE id = ?", id))
	if err != nil {
		return l, fmt.Errorf("load lab %s: %w", id, translate(err, "Lab"))
	}
	return l, nil
}

// LabBySlug implements labs.LabStore.
func (s *Store) LabBySlug(ctx context.Context, slug string) (labs.Lab, error) {
	l, err := scanLab(s.db.QueryRowContext(ctx, "SELECT "+labColumns+" FROM labs WHERE slug = ?", slug))
	if err != nil {
		return l, fmt.Errorf("load lab %s: %w", slug, translate(err, "Lab"))
	}
	return l, nil
}

// UpdateLab implements labs.LabStore.
func (s *Store) UpdateLab(ctx context.Context, l labs.Lab) error {
	res, err := s.db.ExecContext(ctx, `UPDATE labs SET slug = ?, country = ?, title = ?, target_group = ?,
		description = ?, languages = ?, updated_at = ?, default_visibility = ? WHERE id = ?`,
		l.Slug, l.Country, l.Title, l.TargetGroup, l.Description, languagesJSON(l.Languages), millis(l.UpdatedAt), l.DefaultVisibility, l.ID)
	if err := mustAffect(res, err, "Lab"); err != nil {
		return fmt.Errorf("update lab %s: %w", l.ID, err)
	}
	return nil
}

// ListLabs implements labs.LabStore.
func (s *Store) ListLabs(ctx context.Context, p labs.Page) ([]labs.Lab, string, error) {
	return list(ctx, s.db, "labs", p, scanLab, func(l labs.Lab) string { return l.ID },
		"SELECT "+labColumns+" FROM labs WHERE id > ? ORDER BY id LIMIT ?")
}
