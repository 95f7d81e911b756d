package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/linklab/linklab/labs"
)

// AppendChanges implements labs.ChangeStore in one transaction.
func (s *Store) AppendChanges(ctx context.Context, changes []labs.Change) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// Prepared once per batch: in a busy room one commit holds the
		// changes of many pushes.
		insert, err := tx.PrepareContext(ctx, `INSERT INTO changes(section_id, version, client_id, seq, author_id, changes, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insert.Close()
		for _, c := range changes {
			_, err := insert.ExecContext(ctx, c.SectionID, c.Version, c.ClientID, c.Seq, c.AuthorID, string(c.Changes), millis(c.At))
			if err != nil {
				return translate(err, "Change")
			}
		}
		return nil
	})
	if err != nil && len(changes) > 0 {
		return fmt.Errorf("append changes to %s at %d: %w", changes[0].SectionID, changes[0].Version, err)
	}
	return err
}

// Changes implements labs.ChangeStore.
func (s *Store) Changes(ctx context.Context, sectionID string, from, to int) ([]labs.Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, client_id, seq, author_id, changes, at FROM changes
		WHERE section_id = ? AND version > ? AND version <= ? ORDER BY version`, sectionID, from, to)
	if err != nil {
		return nil, fmt.Errorf("load changes of %s: %w", sectionID, err)
	}
	defer rows.Close()
	var out []labs.Change
	for rows.Next() {
		c := labs.Change{SectionID: sectionID}
		var text string
		var at int64
		if err := rows.Scan(&c.Version, &c.ClientID, &c.Seq, &c.AuthorID, &text, &at); err != nil {
			return nil, fmt.Errorf("scan change of %s: %w", sectionID, err)
		}
		c.Changes, c.At = []byte(text), fromMillis(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ClientChange implements labs.ChangeStore.
func (s *Store) ClientChange(ctx context.Context, sectionID, clientID string, seq int64) (labs.Change, error) {
	c := labs.Change{SectionID: sectionID, ClientID: clientID, Seq: seq}
	var text string
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT version, author_id, changes, at FROM changes
		WHERE section_id = ? AND client_id = ? AND seq = ? ORDER BY version DESC LIMIT 1`, sectionID, clientID, seq).
		Scan(&c.Version, &c.AuthorID, &text, &at)
	if err != nil {
		return c, fmt.Errorf("load change %s/%d of %s: %w", clientID, seq, sectionID, translate(err, "Change"))
	}
	c.Changes, c.At = []byte(text), fromMillis(at)
	return c, nil
}

// LastSeq implements labs.ChangeStore.
func (s *Store) LastSeq(ctx context.Context, sectionID, clientID string) (int64, error) {
	var seq int64
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), -1) FROM changes WHERE section_id = ? AND client_id = ?",
		sectionID, clientID).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("last seq of %s in %s: %w", clientID, sectionID, err)
	}
	return seq, nil
}

// LatestVersion implements labs.ChangeStore.
func (s *Store) LatestVersion(ctx context.Context, sectionID string) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM changes WHERE section_id = ?", sectionID).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("latest version of %s: %w", sectionID, err)
	}
	return v, nil
}

// SaveSnapshot implements labs.ChangeStore.
func (s *Store) SaveSnapshot(ctx context.Context, sn labs.Snapshot) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO snapshots(section_id, version, text, at) VALUES (?, ?, ?, ?)
		ON CONFLICT(section_id) DO UPDATE SET version = excluded.version, text = excluded.text, at = excluded.at
		WHERE excluded.version > snapshots.version`, sn.SectionID, sn.Version, sn.Text, millis(sn.At))
	if err != nil {
		return fmt.Errorf("save snapshot of %s at %d: %w", sn.SectionID, sn.Version, err)
	}
	return nil
}

// LatestSnapshot implements labs.ChangeStore.
func (s *Store) LatestSnapshot(ctx context.Context, sectionID string) (labs.Snapshot, error) {
	sn := labs.Snapshot{SectionID: sectionID}
	var at int64
	err := s.db.QueryRowContext(ctx, "SELECT version, text, at FROM snapshots WHERE section_id = ?", sectionID).Scan(&sn.Version, &sn.Text, &at)
	if err != nil {
		return sn, fmt.Errorf("load snapshot of %s: %w", sectionID, translate(err, "Snapshot"))
	}
	sn.At = fromMillis(at)
	return sn, nil
}
