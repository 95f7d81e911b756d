package labs

import (
	"context"
	"time"
)

// Citation is a passage of a baseline cited in a synthesis: the words as
// they were cited (CitedQuote, at CitedVersion of the section), and where
// those words are now (the Passage, placed as a tag is), so a reader is
// warned when they changed or are gone.
type Citation struct {
	ID           string
	DocumentID   string // the synthesis
	SourceID     string // the baseline
	SourceLabID  string
	Passage      Passage
	CitedQuote   string
	CitedVersion int
	CreatedBy    string
	CreatedAt    time.Time
}

// MaxCitationsPerDoc bounds a synthesis's citations.
const MaxCitationsPerDoc = 2000

// CitationStore keeps the citations of syntheses.
type CitationStore interface {
	// CreateCitation stores one; ETooLarge past MaxCitationsPerDoc.
	CreateCitation(ctx context.Context, c Citation) error
	// MoveCitation records where the cited words now are.
	MoveCitation(ctx context.Context, id string, p Passage) error
	// DeleteCitation removes one: ENotFound if there is none.
	DeleteCitation(ctx context.Context, id string) error
	// Citation returns one, or ENotFound.
	Citation(ctx context.Context, id string) (Citation, error)
	// ListCitations returns a document's citations, oldest first.
	ListCitations(ctx context.Context, documentID string) ([]Citation, error)
}
