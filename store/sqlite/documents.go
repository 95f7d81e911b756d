package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/linklab/linklab/labs"
)

const documentColumns = "id, lab_id, kind, template, title, visibility, created_by, created_at, updated_at"

func scanDocument(r scanner) (labs.Document, error) {
	var d labs.Document
	var created, updated int64
	err := r.Scan(&d.ID, &d.LabID, &d.Kind, &d.Template, &d.Title, &d.Visibility, &d.CreatedBy, &created, &updated)
	d.CreatedAt, d.UpdatedAt = fromMillis(created), fromMillis(updated)
	return d, err
}

// CreateDocument implements labs.DocumentStore.
func (s *Store) CreateDocument(ctx context.Context, d labs.Document) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO documents("+documentColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			d.ID, d.LabID, d.Kind, d.Template, d.Title, d.Visibility, d.CreatedBy, millis(d.CreatedAt), millis(d.UpdatedAt))
		if err != nil {
			return translate(err, "Document")
		}
		for i, sec := range d.Sections {
			_, err := tx.ExecContext(ctx, `INSERT INTO sections(document_id, position, id, key, title, guidance, text, version)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, i, sec.ID, sec.Key, sec.Title, sec.Guidance, sec.Text, sec.Version)
			if err != nil {
				return translate(err, "Section")
			}
		}
		return nil
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
		"SELECT id, key, title, guidance, text, version FROM sections WHERE document_id = ? ORDER BY position", id)
	if err != nil {
		return d, fmt.Errorf("load sections of %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var sec labs.Section
		if err := rows.Scan(&sec.ID, &sec.Key, &sec.Title, &sec.Guidance, &sec.Text, &sec.Version); err != nil {
			return d, fmt.Errorf("scan section of %s: %w", id, err)
		}
		d.Sections = append(d.Sections, sec)
	}
	return d, rows.Err()
}

// ListDocuments implements labs.DocumentStore.
func (s *Store) ListDocuments(ctx context.Context, labID string, p labs.Page) ([]labs.Document, string, error) {
	return list(ctx, s.db, "documents", p, scanDocument, func(d labs.Document) string { return d.ID },
		"SELECT "+documentColumns+" FROM documents WHERE lab_id = ? AND id > ? ORDER BY id LIMIT ?", labID)
}
