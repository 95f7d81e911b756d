package labs

import (
	"context"
	"slices"
	"time"
)

// DocumentKind says what a document is for.
type DocumentKind string

// Document kinds.
const (
	KindBaseline  DocumentKind = "baseline"
	KindProposal  DocumentKind = "proposal"
	KindFeedback  DocumentKind = "feedback"
	KindSynthesis DocumentKind = "synthesis"
	KindNotes     DocumentKind = "notes"
)

// DocumentKinds lists the valid kinds.
var DocumentKinds = []DocumentKind{KindBaseline, KindProposal, KindFeedback, KindSynthesis, KindNotes}

// Visibility is who may read an item, from narrowest to widest.
type Visibility string

// Visibility levels, narrowest first.
const (
	VisPrivate    Visibility = "private"    // the author's draft
	VisRestricted Visibility = "restricted" // named members
	VisLab        Visibility = "lab"        // members of the lab
	VisPartners   Visibility = "partners"   // plus national partners
	VisNetwork    Visibility = "network"    // every signed-in user
	VisPublic     Visibility = "public"
)

// Visibilities lists the levels narrowest first.
var Visibilities = []Visibility{VisPrivate, VisRestricted, VisLab, VisPartners, VisNetwork, VisPublic}

// Valid reports whether v is a visibility level.
func (v Visibility) Valid() bool { return slices.Contains(Visibilities, v) }

// Valid reports whether k is a document kind.
func (k DocumentKind) Valid() bool { return slices.Contains(DocumentKinds, k) }

// Document is an ordered list of sections with shared metadata.
type Document struct {
	ID         string
	LabID      string
	Kind       DocumentKind
	Template   string // template name and version, e.g. "baseline@1"
	Title      string
	Visibility Visibility
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Revision counts changes to the title and the list of sections; the
	// store refuses a structure update made against an older revision.
	Revision int
	Sections []Section
}

// Section is one part of a document: Markdown text with its own version.
type Section struct {
	ID       string
	Key      string // template key, stable across translations
	Title    string
	Guidance string // the template's guiding question
	Text     string
	Version  int
}

// Limits on documents.
const (
	MaxSections      = 100
	MaxSectionLength = 256 * 1024 // UTF-16 code units of Markdown, as editors count
)

// DocumentStore persists documents and their sections.
type DocumentStore interface {
	// CreateDocument inserts d with its sections: EConflict if the ID exists.
	CreateDocument(ctx context.Context, d Document) error
	// Document returns a document with its sections in order, or ENotFound.
	Document(ctx context.Context, id string) (Document, error)
	// ListDocuments returns a lab's documents without sections, ordered by ID.
	ListDocuments(ctx context.Context, labID string, p Page) ([]Document, string, error)
	// UpdateStructure replaces a document's title and its list of sections
	// (in order; sections keep their stored starting text and version) and
	// sets Revision to d.Revision+1, if the stored revision is still
	// d.Revision: EConflict otherwise, ENotFound without the document.
	// A section left out is removed from the document; its change log stays.
	UpdateStructure(ctx context.Context, d Document) error
}

// Limits on document structure.
const MaxSectionTitleLength = 200
