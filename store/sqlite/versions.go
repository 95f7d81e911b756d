package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/linklab/linklab/labs"
)

var _ labs.VersionStore = (*Store)(nil)

// CreateVersion implements labs.VersionStore: counted and inserted in one
// transaction, so two people freezing at once stay within the limit.
func (s *Store) CreateVersion(ctx context.Context, v labs.DocumentVersion) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM document_versions WHERE document_id = ?", v.DocumentID).Scan(&n); err != nil {
			return err
		}
		if n >= labs.MaxVersions {
			return labs.Errorf(labs.ETooLarge, "A document keeps at most %d named versions.", labs.MaxVersions)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO document_versions(id, document_id, name, created_by, created_at, sections)
			VALUES (?, ?, ?, ?, ?, ?)`, v.ID, v.DocumentID, v.Name, v.CreatedBy, millis(v.CreatedAt), jsonText(v.Sections, "[]"))
		return translate(err, "A version of that name")
	})
	if err != nil {
		return fmt.Errorf("create version of %s: %w", v.DocumentID, err)
	}
	return nil
}

func scanVersion(r scanner, withText bool) (labs.DocumentVersion, error) {
	var v labs.DocumentVersion
	var created int64
	var sections string
	if err := r.Scan(&v.ID, &v.DocumentID, &v.Name, &v.CreatedBy, &created, &sections); err != nil {
		return v, err
	}
	v.CreatedAt = fromMillis(created)
	if err := json.Unmarshal([]byte(sections), &v.Sections); err != nil {
		return v, fmt.Errorf("sections of version %s: %w", v.ID, err)
	}
	if !withText {
		for i := range v.Sections {
			v.Sections[i].Text = ""
		}
	}
	return v, nil
}

const versionColumns = "id, document_id, name, created_by, created_at, sections"

// Version implements labs.VersionStore.
func (s *Store) Version(ctx context.Context, id string) (labs.DocumentVersion, error) {
	v, err := scanVersion(s.db.QueryRowContext(ctx, "SELECT "+versionColumns+" FROM document_versions WHERE id = ?", id), true)
	if err != nil {
		return v, fmt.Errorf("load version %s: %w", id, translate(err, "Version"))
	}
	return v, nil
}

// ListVersions implements labs.VersionStore.
func (s *Store) ListVersions(ctx context.Context, documentID string) ([]labs.DocumentVersion, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+versionColumns+" FROM document_versions WHERE document_id = ? ORDER BY id", documentID)
	if err != nil {
		return nil, fmt.Errorf("list versions of %s: %w", documentID, err)
	}
	defer rows.Close()
	var out []labs.DocumentVersion
	for rows.Next() {
		v, err := scanVersion(rows, false)
		if err != nil {
			return nil, fmt.Errorf("list versions of %s: %w", documentID, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
