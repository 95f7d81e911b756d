package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

var _ labs.CitationStore = (*Store)(nil)

type passageDoc struct {
	SectionID string `bson:"sectionId"`
	From      int    `bson:"from"`
	To        int    `bson:"to"`
	Version   int    `bson:"version"`
	Quote     string `bson:"quote"`
	Before    string `bson:"before"`
	After     string `bson:"after"`
	Orphaned  bool   `bson:"orphaned"`
}

type citationDoc struct {
	ID           string     `bson:"_id"`
	DocumentID   string     `bson:"documentId"`
	SourceID     string     `bson:"sourceId"`
	SourceLabID  string     `bson:"sourceLabId"`
	Passage      passageDoc `bson:"passage"`
	CitedQuote   string     `bson:"citedQuote"`
	CitedVersion int        `bson:"citedVersion"`
	CreatedBy    string     `bson:"createdBy"`
	CreatedAt    time.Time  `bson:"createdAt"`
}

func (d citationDoc) domain() labs.Citation {
	return labs.Citation{ID: d.ID, DocumentID: d.DocumentID, SourceID: d.SourceID, SourceLabID: d.SourceLabID, Passage: labs.Passage(d.Passage),
		CitedQuote: d.CitedQuote, CitedVersion: d.CitedVersion, CreatedBy: d.CreatedBy, CreatedAt: utc(d.CreatedAt)}
}

// CreateCitation implements labs.CitationStore.
func (s *Store) CreateCitation(ctx context.Context, c labs.Citation) error {
	d := citationDoc{ID: c.ID, DocumentID: c.DocumentID, SourceID: c.SourceID, SourceLabID: c.SourceLabID, Passage: passageDoc(c.Passage),
		CitedQuote: c.CitedQuote, CitedVersion: c.CitedVersion, CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt}
	return insertWithin(ctx, s.citations, bson.D{{Key: "documentId", Value: c.DocumentID}}, labs.MaxCitationsPerDoc, d, "Citation",
		fmt.Sprintf("A document has at most %d citations.", labs.MaxCitationsPerDoc))
}

// MoveCitation implements labs.CitationStore.
func (s *Store) MoveCitation(ctx context.Context, id string, p labs.Passage) error {
	return set(ctx, s.citations, id, "Citation", bson.D{{Key: "passage", Value: passageDoc(p)}})
}

// DeleteCitation implements labs.CitationStore.
func (s *Store) DeleteCitation(ctx context.Context, id string) error {
	return remove(ctx, s.citations, id, "Citation")
}

// Citation implements labs.CitationStore.
func (s *Store) Citation(ctx context.Context, id string) (labs.Citation, error) {
	d, err := byID[citationDoc](ctx, s.citations, id, "Citation")
	return d.domain(), err
}

// ListCitations implements labs.CitationStore.
func (s *Store) ListCitations(ctx context.Context, documentID string) ([]labs.Citation, error) {
	out, err := findAll(ctx, s.citations, bson.D{{Key: "documentId", Value: documentID}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), citationDoc.domain)
	if err != nil {
		return nil, fmt.Errorf("list citations of %s: %w", documentID, err)
	}
	return out, nil
}
