package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/linklab/linklab/labs"
)

const documentColumns = "id, COALESCE(lab_id, ''), kind, template, title, visibility, created_by, created_at, updated_at, revision, members, status, fields, logic_map"

func scanDocument(r scanner) (labs.Document, error) {
	var d labs.Document
	var created, updated int64
	var members, fields, logicMap string
	err := r.Scan(&d.ID, &d.LabID, &d.Kind, &d.Template, &d.Title, &d.Visibility, &d.CreatedBy, &created, &updated, &d.Revision,
		&members, &d.Status, &fields, &logicMap)
	if err != nil {
		return d, err
	}
	d.CreatedAt, d.UpdatedAt = fromMillis(created), fromMillis(updated)
	for _, j := range []struct {
		from string
		to   any
	}{{members, &d.Members}, {fields, &d.Fields}, {logicMap, &d.LogicMap}} {
		if err := json.Unmarshal([]byte(j.from), j.to); err != nil {
			return d, fmt.Errorf("decode document %s: %w", d.ID, err)
		}
	}
	d.Tidy()
	return d, nil
}

// CreateDocument implements labs.DocumentStore.
func (s *Store) CreateDocument(ctx context.Context, d labs.Document) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO documents(id, lab_id, kind, template, title, visibility, created_by, created_at, updated_at, revision,
			members, status, fields, logic_map) VALUES (?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.LabID, d.Kind, d.Template, d.Title, d.Visibility, d.CreatedBy, millis(d.CreatedAt), millis(d.UpdatedAt), d.Revision,
			jsonText(d.Members, "[]"), d.Status, jsonText(d.Fields, "{}"), jsonText(d.LogicMap, "{}"))
		if err != nil {
			return translate(err, "Document")
		}
		return insertSections(ctx, tx, d)
	})
	if err != nil {
		return fmt.Errorf("create document %s: %w", d.ID, err)
	}
	return nil
}

// Document implements labs.DocumentStore.
func (s *Store) Document(ctx context.Context, id string) (labs.Document, error) {
	d, err := scanDocument(s.db.QueryRowContext(ctx, "SELECT "+documentColumns+" FROM documents WHERE id = ?", id))
	if err != nil {
		return d, fmt.Errorf("load document %s: %w", id, translate(err, "Document"))
	}
	rows, err := s.db.QueryContext(ctx,
		"SELECT id, key, title, guidance, text, version, visibility FROM sections WHERE document_id = ? ORDER BY position", id)
	if err != nil {
		return d, fmt.Errorf("load sections of %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var sec labs.Section
		if err := rows.Scan(&sec.ID, &sec.Key, &sec.Title, &sec.Guidance, &sec.Text, &sec.Version, &sec.Visibility); err != nil {
			return d, fmt.Errorf("scan section of %s: %w", id, err)
		}
		d.Sections = append(d.Sections, sec)
	}
	return d, rows.Err()
}

// ListDocuments implements labs.DocumentStore.
func (s *Store) ListDocuments(ctx context.Context, labID string, p labs.Page) ([]labs.Document, string, error) {
	return list(ctx, s.db, "documents", p, scanDocument, func(d labs.Document) string { return d.ID },
		"SELECT "+documentColumns+" FROM documents WHERE lab_id IS NULLIF(?, '') AND id > ? ORDER BY id LIMIT ?", labID)
}

func insertSections(ctx context.Context, tx *sql.Tx, d labs.Document) error {
	for i, sec := range d.Sections {
		_, err := tx.ExecContext(ctx, `INSERT INTO sections(document_id, position, id, key, title, guidance, text, version, visibility)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, i, sec.ID, sec.Key, sec.Title, sec.Guidance, sec.Text, sec.Version, sec.Visibility)
		if err != nil {
			return translate(err, "Section")
		}
	}
	return nil
}

// UpdateDocument implements labs.DocumentStore in one transaction: the
// revision check, the title, and the sections rewritten in their new order.
func (s *Store) UpdateDocument(ctx context.Context, d labs.Document) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE documents SET title = ?, visibility = ?, members = ?, status = ?, fields = ?,
			logic_map = ?, revision = revision + 1, updated_at = ? WHERE id = ? AND revision = ?`,
			d.Title, d.Visibility, jsonText(d.Members, "[]"), d.Status, jsonText(d.Fields, "{}"), jsonText(d.LogicMap, "{}"),
			millis(d.UpdatedAt), d.ID, d.Revision)
		if err := mustAffect(res, err, "Document"); err != nil {
			var n int
			if qerr := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE id = ?", d.ID).Scan(&n); qerr == nil && n > 0 {
				return labs.Errorf(labs.EConflict, "The document changed meanwhile; reload it and try again.")
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sections WHERE document_id = ?", d.ID); err != nil {
			return err
		}
		return insertSections(ctx, tx, d)
	})
	if err != nil {
		return fmt.Errorf("update structure of %s: %w", d.ID, err)
	}
	return nil
}

// jsonText encodes a small structured value for a JSON column; a nil map or
// slice becomes empty.
func jsonText(v any, empty string) string {
	if rv := reflect.ValueOf(v); (rv.Kind() == reflect.Map || rv.Kind() == reflect.Slice) && rv.IsNil() {
		return empty
	}
	b, _ := json.Marshal(v) // strings, maps and structs of strings always encode
	return string(b)
}

// DeleteDocument implements labs.DocumentStore. The foreign keys take the
// sections, comments, versions, tags and citations with the document; the
// change logs, snapshots and feedback, which name it by ID only, go here.
func (s *Store) DeleteDocument(ctx context.Context, id string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			"DELETE FROM changes WHERE section_id IN (SELECT id FROM sections WHERE document_id = ?)",
			"DELETE FROM snapshots WHERE section_id IN (SELECT id FROM sections WHERE document_id = ?)",
			"DELETE FROM feedback WHERE target = '" + string(labs.TargetProposal) + "' AND target_id = ?",
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM documents WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return labs.Errorf(labs.ENotFound, "Document not found.")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete document %s: %w", id, err)
	}
	return nil
}
