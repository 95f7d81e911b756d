package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
)

var _ labs.ThemeStore = (*Store)(nil)

// CreateTheme implements labs.ThemeStore.
func (s *Store) CreateTheme(ctx context.Context, th labs.Theme) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM themes").Scan(&n); err != nil {
			return err
		}
		if n >= labs.MaxThemes {
			return labs.Errorf(labs.ETooLarge, "The network has at most %d themes.", labs.MaxThemes)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO themes(id, name, name_key, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			th.ID, th.Name, labs.ThemeKey(th.Name), th.CreatedBy, millis(th.CreatedAt), millis(th.UpdatedAt))
		return translate(err, "A theme of that name")
	})
	if err != nil {
		return fmt.Errorf("create theme: %w", err)
	}
	return nil
}

// RenameTheme implements labs.ThemeStore.
func (s *Store) RenameTheme(ctx context.Context, id, name string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, "UPDATE themes SET name = ?, name_key = ?, updated_at = ? WHERE id = ?", name, labs.ThemeKey(name), millis(at), id)
	if err != nil {
		return fmt.Errorf("rename theme %s: %w", id, translate(err, "A theme of that name"))
	}
	return mustAffect(res, nil, "Theme")
}

// ListThemes implements labs.ThemeStore.
func (s *Store) ListThemes(ctx context.Context) ([]labs.Theme, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, created_by, created_at, updated_at FROM themes ORDER BY name_key, id")
	if err != nil {
		return nil, fmt.Errorf("list themes: %w", err)
	}
	defer rows.Close()
	var out []labs.Theme
	for rows.Next() {
		var th labs.Theme
		var created, updated int64
		if err := rows.Scan(&th.ID, &th.Name, &th.CreatedBy, &created, &updated); err != nil {
			return nil, fmt.Errorf("list themes: %w", err)
		}
		th.CreatedAt, th.UpdatedAt = fromMillis(created), fromMillis(updated)
		out = append(out, th)
	}
	return out, rows.Err()
}

const tagColumns = "id, document_id, lab_id, section_id, theme_id, pos_from, pos_to, version, quote, before, after, orphaned, created_by, created_at"

func scanTag(r scanner) (labs.Tag, error) {
	var t labs.Tag
	var created int64
	err := r.Scan(&t.ID, &t.DocumentID, &t.LabID, &t.SectionID, &t.ThemeID, &t.From, &t.To, &t.Version, &t.Quote, &t.Before, &t.After,
		&t.Orphaned, &t.CreatedBy, &created)
	t.CreatedAt = fromMillis(created)
	return t, err
}

// CreateTag implements labs.ThemeStore.
func (s *Store) CreateTag(ctx context.Context, t labs.Tag) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM tags WHERE document_id = ?", t.DocumentID).Scan(&n); err != nil {
			return err
		}
		if n >= labs.MaxTagsPerDoc {
			return labs.Errorf(labs.ETooLarge, "A document has at most %d tagged passages.", labs.MaxTagsPerDoc)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO tags("+tagColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			t.ID, t.DocumentID, t.LabID, t.SectionID, t.ThemeID, t.From, t.To, t.Version, t.Quote, t.Before, t.After, t.Orphaned,
			t.CreatedBy, millis(t.CreatedAt))
		return translate(err, "Tag")
	})
	if err != nil {
		return fmt.Errorf("create tag: %w", err)
	}
	return nil
}

// MoveTag implements labs.ThemeStore.
func (s *Store) MoveTag(ctx context.Context, t labs.Tag) error {
	res, err := s.db.ExecContext(ctx, "UPDATE tags SET pos_from = ?, pos_to = ?, version = ?, quote = ?, before = ?, after = ?, orphaned = ? WHERE id = ?",
		t.From, t.To, t.Version, t.Quote, t.Before, t.After, t.Orphaned, t.ID)
	if err := mustAffect(res, err, "Tag"); err != nil {
		return fmt.Errorf("move tag %s: %w", t.ID, err)
	}
	return nil
}

// DeleteTag implements labs.ThemeStore.
func (s *Store) DeleteTag(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM tags WHERE id = ?", id)
	if err := mustAffect(res, err, "Tag"); err != nil {
		return fmt.Errorf("delete tag %s: %w", id, err)
	}
	return nil
}

// Tag implements labs.ThemeStore.
func (s *Store) Tag(ctx context.Context, id string) (labs.Tag, error) {
	t, err := scanTag(s.db.QueryRowContext(ctx, "SELECT "+tagColumns+" FROM tags WHERE id = ?", id))
	if err != nil {
		return t, fmt.Errorf("load tag %s: %w", id, translate(err, "Tag"))
	}
	return t, nil
}

// ListTags implements labs.ThemeStore.
func (s *Store) ListTags(ctx context.Context, documentIDs []string) ([]labs.Tag, error) {
	if len(documentIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(documentIDs))
	for i, id := range documentIDs {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+tagColumns+" FROM tags WHERE document_id IN ("+placeholders(len(args))+") ORDER BY document_id, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	defer rows.Close()
	var out []labs.Tag
	for rows.Next() {
		t, err := scanTag(rows)
		if err != nil {
			return nil, fmt.Errorf("list tags: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
