package labs

import (
	"context"
	"time"
)

// SearchKind is what a search result is.
type SearchKind string

// What can be searched.
const (
	SearchDocument SearchKind = "document" // a document's title
	SearchSection  SearchKind = "section"  // a section's title and text
	SearchComment  SearchKind = "comment"
	SearchIdea     SearchKind = "idea" // a note on a workshop's idea wall
	SearchTheme    SearchKind = "theme"
)

// SearchKinds lists the kinds.
var SearchKinds = []SearchKind{SearchDocument, SearchSection, SearchComment, SearchIdea, SearchTheme}

// SearchItem is one entry of the search index: enough to find it and to
// narrow candidates to those a reader might see. The index only narrows:
// whoever reads results asks the policy about each, as it is now.
type SearchItem struct {
	Kind SearchKind
	ID   string // the section's, comment's, idea's, ... own ID
	// LabID is the lab it belongs to, "" for the partner network.
	LabID      string
	DocumentID string // for documents, sections and comments
	SectionID  string // for sections and comments
	WorkshopID string // for ideas
	// Level is who reads it as it was indexed: the narrowest of its own
	// level and its document's.
	Level Visibility
	Title string
	Text  string // plain text, for the snippet
	// Folded is the title and text as textsearch.Fold makes them: what
	// the engine matches terms against.
	Folded    string
	IndexedAt time.Time
}

// SearchQuery asks for the items whose folded words are begun by every
// term, in the labs given (any level) or at the levels given (any lab).
type SearchQuery struct {
	Terms  []string
	Labs   []string
	Levels []Visibility
	Kinds  []SearchKind // none: every kind
	LabID  string       // only this lab's items ("" any)
	Limit  int
}

// MaxSearchCandidates bounds the candidates one query reads from the
// index, before each is checked for the reader.
const MaxSearchCandidates = 500

// SearchStore keeps the search index.
type SearchStore interface {
	// IndexSearch adds or replaces items, by kind and ID.
	IndexSearch(ctx context.Context, items []SearchItem) error
	// UnindexSearch removes one item; a missing one is no error.
	UnindexSearch(ctx context.Context, kind SearchKind, id string) error
	// UnindexDocument removes a document's items (its title, sections
	// and comments) indexed before t: those that indexing it again at t
	// did not find; all of them for a t to come.
	UnindexDocument(ctx context.Context, documentID string, before time.Time) error
	// PruneSearch removes the items indexed before t: what a rebuild of
	// the whole index did not find again.
	PruneSearch(ctx context.Context, before time.Time) error
	// Search returns up to q.Limit candidates, the best matches first.
	Search(ctx context.Context, q SearchQuery) ([]SearchItem, error)
}
