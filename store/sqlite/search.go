package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/linklab/linklab/labs"
)

var _ labs.SearchStore = (*Store)(nil)

// IndexSearch implements labs.SearchStore.
func (s *Store) IndexSearch(ctx context.Context, items []labs.SearchItem) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, it := range items {
			var rowid int64
			err := tx.QueryRowContext(ctx, `INSERT INTO search_items(kind, item_id, lab_id, document_id, section_id, workshop_id, level, title, text, indexed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (kind, item_id) DO UPDATE SET lab_id = excluded.lab_id, document_id = excluded.document_id,
					section_id = excluded.section_id, workshop_id = excluded.workshop_id, level = excluded.level,
					title = excluded.title, text = excluded.text, indexed_at = excluded.indexed_at
				RETURNING rowid`,
				it.Kind, it.ID, it.LabID, it.DocumentID, it.SectionID, it.WorkshopID, it.Level, it.Title, it.Text, millis(it.IndexedAt)).Scan(&rowid)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM search_words WHERE rowid = ?", rowid); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO search_words(rowid, folded) VALUES (?, ?)", rowid, it.Folded); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("index %d items: %w", len(items), err)
	}
	return nil
}

// unindexWhere removes the items a condition selects, with their words.
func (s *Store) unindexWhere(ctx context.Context, where string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM search_words WHERE rowid IN (SELECT rowid FROM search_items WHERE "+where+")", args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM search_items WHERE "+where, args...)
		return err
	})
}

// UnindexSearch implements labs.SearchStore.
func (s *Store) UnindexSearch(ctx context.Context, kind labs.SearchKind, id string) error {
	if err := s.unindexWhere(ctx, "kind = ? AND item_id = ?", kind, id); err != nil {
		return fmt.Errorf("unindex %s %s: %w", kind, id, err)
	}
	return nil
}

// UnindexDocument implements labs.SearchStore.
func (s *Store) UnindexDocument(ctx context.Context, documentID string, before time.Time) error {
	if err := s.unindexWhere(ctx, "document_id = ? AND document_id <> '' AND indexed_at < ?", documentID, millis(before)); err != nil {
		return fmt.Errorf("unindex document %s: %w", documentID, err)
	}
	return nil
}

// PruneSearch implements labs.SearchStore.
func (s *Store) PruneSearch(ctx context.Context, before time.Time) error {
	if err := s.unindexWhere(ctx, "indexed_at < ?", millis(before)); err != nil {
		return fmt.Errorf("prune search index: %w", err)
	}
	return nil
}

// matchExpression makes an FTS5 query of folded terms: each a quoted
// prefix, all required. Terms are letters and digits, but are quoted
// anyway, so no term is ever read as FTS5 syntax.
func matchExpression(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"*`
	}
	return strings.Join(parts, " AND ")
}

// Search implements labs.SearchStore: ranked by FTS5's bm25.
func (s *Store) Search(ctx context.Context, q labs.SearchQuery) ([]labs.SearchItem, error) {
	if len(q.Terms) == 0 || (len(q.Labs) == 0 && len(q.Levels) == 0) {
		return nil, nil
	}
	var where []string
	args := []any{matchExpression(q.Terms)}
	var scope []string
	if len(q.Labs) > 0 {
		scope = append(scope, "i.lab_id IN ("+placeholders(len(q.Labs))+")")
		for _, l := range q.Labs {
			args = append(args, l)
		}
	}
	if len(q.Levels) > 0 {
		scope = append(scope, "i.level IN ("+placeholders(len(q.Levels))+")")
		for _, l := range q.Levels {
			args = append(args, l)
		}
	}
	where = append(where, "("+strings.Join(scope, " OR ")+")")
	if len(q.Kinds) > 0 {
		where = append(where, "i.kind IN ("+placeholders(len(q.Kinds))+")")
		for _, k := range q.Kinds {
			args = append(args, k)
		}
	}
	if q.LabID != "" {
		where = append(where, "i.lab_id = ?")
		args = append(args, q.LabID)
	}
	args = append(args, q.Limit)
	rows, err := s.db.QueryContext(ctx, `SELECT i.kind, i.item_id, i.lab_id, i.document_id, i.section_id, i.workshop_id, i.level, i.title, i.text, i.indexed_at, w.folded
		FROM search_words w JOIN search_items i ON i.rowid = w.rowid
		WHERE search_words MATCH ? AND `+strings.Join(where, " AND ")+`
		ORDER BY bm25(search_words), i.kind, i.item_id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []labs.SearchItem
	for rows.Next() {
		var it labs.SearchItem
		var at int64
		if err := rows.Scan(&it.Kind, &it.ID, &it.LabID, &it.DocumentID, &it.SectionID, &it.WorkshopID, &it.Level, &it.Title, &it.Text, &at, &it.Folded); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		it.IndexedAt = fromMillis(at)
		out = append(out, it)
	}
	return out, rows.Err()
}
