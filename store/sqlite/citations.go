package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/linklab/linklab/labs"
)

var _ labs.CitationStore = (*Store)(nil)

const citationColumns = `id, document_id, source_id, source_lab_id, section_id, pos_from, pos_to, version, quote, before, after, orphaned,
	cited_quote, cited_version, created_by, created_at`

func scanCitation(r scanner) (labs.Citation, error) {
	var c labs.Citation
	var created int64
	p := &c.Passage
	err := r.Scan(&c.ID, &c.DocumentID, &c.SourceID, &c.SourceLabID, &p.SectionID, &p.From, &p.To, &p.Version, &p.Quote, &p.Before, &p.After,
		&p.Orphaned, &c.CitedQuote, &c.CitedVersion, &c.CreatedBy, &created)
	c.CreatedAt = fromMillis(created)
	return c, err
}

// CreateCitation implements labs.CitationStore.
func (s *Store) CreateCitation(ctx context.Context, c labs.Citation) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM citations WHERE document_id = ?", c.DocumentID).Scan(&n); err != nil {
			return err
		}
		if n >= labs.MaxCitationsPerDoc {
			return labs.Errorf(labs.ETooLarge, "A document has at most %d citations.", labs.MaxCitationsPerDoc)
		}
		p := c.Passage
		_, err := tx.ExecContext(ctx, "INSERT INTO citations("+citationColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			c.ID, c.DocumentID, c.SourceID, c.SourceLabID, p.SectionID, p.From, p.To, p.Version, p.Quote, p.Before, p.After, p.Orphaned,
			c.CitedQuote, c.CitedVersion, c.CreatedBy, millis(c.CreatedAt))
		return translate(err, "Citation")
	})
	if err != nil {
		return fmt.Errorf("create citation: %w", err)
	}
	return nil
}

// MoveCitation implements labs.CitationStore.
func (s *Store) MoveCitation(ctx context.Context, id string, p labs.Passage) error {
	res, err := s.db.ExecContext(ctx, "UPDATE citations SET section_id = ?, pos_from = ?, pos_to = ?, version = ?, quote = ?, before = ?, after = ?, orphaned = ? WHERE id = ?",
		p.SectionID, p.From, p.To, p.Version, p.Quote, p.Before, p.After, p.Orphaned, id)
	if err := mustAffect(res, err, "Citation"); err != nil {
		return fmt.Errorf("move citation %s: %w", id, err)
	}
	return nil
}

// DeleteCitation implements labs.CitationStore.
func (s *Store) DeleteCitation(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM citations WHERE id = ?", id)
	if err := mustAffect(res, err, "Citation"); err != nil {
		return fmt.Errorf("delete citation %s: %w", id, err)
	}
	return nil
}

// Citation implements labs.CitationStore.
func (s *Store) Citation(ctx context.Context, id string) (labs.Citation, error) {
	c, err := scanCitation(s.db.QueryRowContext(ctx, "SELECT "+citationColumns+" FROM citations WHERE id = ?", id))
	if err != nil {
		return c, fmt.Errorf("load citation %s: %w", id, translate(err, "Citation"))
	}
	return c, nil
}

// ListCitations implements labs.CitationStore.
func (s *Store) ListCitations(ctx context.Context, documentID string) ([]labs.Citation, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+citationColumns+" FROM citations WHERE document_id = ? ORDER BY id", documentID)
	if err != nil {
		return nil, fmt.Errorf("list citations of %s: %w", documentID, err)
	}
	defer rows.Close()
	var out []labs.Citation
	for rows.Next() {
		c, err := scanCitation(rows)
		if err != nil {
			return nil, fmt.Errorf("list citations of %s: %w", documentID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
