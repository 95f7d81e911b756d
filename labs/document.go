package labs

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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
	ID string
	// LabID is the lab the document belongs to; "" for the partner
	// network's syntheses.
	LabID      string
	Kind       DocumentKind
	Template   string // template name and version, e.g. "baseline@1"
	Title      string
	Visibility Visibility
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Revision counts changes to everything but the sections' text; the
	// store refuses an update made against an older revision.
	Revision int
	Sections []Section
	// Members are the accounts named on a restricted document.
	Members []string
	// Status is a proposal's lifecycle stage; empty for other kinds.
	Status Status
	// Fields are the template's typed choice fields (proposals), by key.
	Fields map[string]string
	// LogicMap links a proposal's elements to its outcomes.
	LogicMap LogicMap
}

// InNetwork reports whether the document belongs to the partner network
// rather than a lab: syntheses, which compare labs, belong to none.
func (d Document) InNetwork() bool { return d.LabID == "" }

// ValidLevel reports whether the document may have the level: an item of
// the partner network has no lab to be lab-wide in.
func (d Document) ValidLevel(v Visibility) bool {
	return v.Valid() && !(d.InNetwork() && v == VisLab)
}

// ValidSectionLevel reports whether a section of the document may have the
// level: "" (the document's), or lab and wider, so a part of a document can
// stay in the lab (or with the partners) while the rest is shared wider.
// Drafts and named people are for whole documents.
func (d Document) ValidSectionLevel(v Visibility) bool {
	return v == "" || (v != VisPrivate && v != VisRestricted && d.ValidLevel(v))
}

// SectionLevel is who reads the section: its own level or the document's,
// whichever is narrower.
func (d Document) SectionLevel(s Section) Visibility {
	if s.Visibility == "" || slices.Index(Visibilities, s.Visibility) >= slices.Index(Visibilities, d.Visibility) {
		return d.Visibility
	}
	return s.Visibility
}

// Narrowed reports whether the section is read by fewer people than the
// document.
func (d Document) Narrowed(s Section) bool { return d.SectionLevel(s) != d.Visibility }

// Section returns the document's section with the ID.
func (d Document) Section(id string) (Section, bool) {
	i := slices.IndexFunc(d.Sections, func(s Section) bool { return s.ID == id })
	if i < 0 {
		return Section{}, false
	}
	return d.Sections[i], true
}

// Tidy sets a document's empty collections to nil, so a document reads
// back the same whichever engine stored it.
func (d *Document) Tidy() {
	if len(d.Members) == 0 {
		d.Members = nil
	}
	if len(d.Fields) == 0 {
		d.Fields = nil
	}
	if len(d.LogicMap.Elements) == 0 {
		d.LogicMap.Elements = nil
	}
	if len(d.LogicMap.Outcomes) == 0 {
		d.LogicMap.Outcomes = nil
	}
	for i := range d.LogicMap.Elements {
		if len(d.LogicMap.Elements[i].Outcomes) == 0 {
			d.LogicMap.Elements[i].Outcomes = nil
		}
	}
}

// Status is a stage of a proposal's lifecycle.
type Status string

// Lifecycle stages, in order.
const (
	StatusDraft       Status = "draft"
	StatusOpen        Status = "open" // open for feedback
	StatusPrioritised Status = "prioritised"
	StatusPiloting    Status = "piloting"
	StatusEvaluated   Status = "evaluated"
	StatusArchived    Status = "archived"
)

// Statuses lists the stages in order.
var Statuses = []Status{StatusDraft, StatusOpen, StatusPrioritised, StatusPiloting, StatusEvaluated, StatusArchived}

// CanMove reports whether a proposal may move from one stage to another:
// one step forward or back, or to the archive from anywhere, and out of
// the archive only back to draft (a lab that revives an idea starts over).
func CanMove(from, to Status) bool {
	i, j := slices.Index(Statuses, from), slices.Index(Statuses, to)
	switch {
	case i < 0 || j < 0 || i == j:
		return false
	case to == StatusArchived:
		return true
	case from == StatusArchived:
		return to == StatusDraft
	}
	return j == i+1 || j == i-1
}

// LogicMap is a proposal's theory of change, after the family-coordinator
// model's logic map: the elements of the innovation, each linked to the
// short- and long-term outcomes it works towards.
type LogicMap struct {
	Elements []LogicElement `json:"elements"`
	Outcomes []Outcome      `json:"outcomes"`
}

// MarshalJSON writes every empty list of the map as [], never null, on
// every channel (API, websocket, export): clients iterate them.
func (m LogicMap) MarshalJSON() ([]byte, error) {
	type plain LogicMap // without this method
	p := plain{Elements: make([]LogicElement, len(m.Elements)), Outcomes: m.Outcomes}
	if p.Outcomes == nil {
		p.Outcomes = []Outcome{}
	}
	for i, e := range m.Elements {
		if e.Outcomes == nil {
			e.Outcomes = []string{}
		}
		p.Elements[i] = e
	}
	return json.Marshal(p)
}

// LogicElement is one thing the innovation does or has.
type LogicElement struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Outcomes []string `json:"outcomes"` // IDs of the outcomes it leads to
}

// Outcome is one effect, short- or long-term.
type Outcome struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Term string `json:"term"` // "short" or "long"
}

// Limits on a logic map.
const (
	MaxLogicItems      = 50
	MaxLogicTextLength = 500
	maxLogicIDLength   = 40
)

// Validate checks a logic map: bounded sizes, unique IDs, known terms, and
// links only to outcomes that exist.
func (m LogicMap) Validate() error {
	if len(m.Elements) > MaxLogicItems || len(m.Outcomes) > MaxLogicItems {
		return Errorf(EInvalid, "A logic map holds at most %d elements and %d outcomes.", MaxLogicItems, MaxLogicItems)
	}
	ids := map[string]bool{}
	checkText := func(what, id, text string) error {
		if id == "" || len(id) > maxLogicIDLength || ids[id] {
			return Errorf(EInvalid, "Every %s needs a unique id of at most %d characters; %q is missing or repeated.", what, maxLogicIDLength, id)
		}
		ids[id] = true
		if t := strings.TrimSpace(text); t == "" || utf8.RuneCountInString(t) > MaxLogicTextLength {
			return Errorf(EInvalid, "The %s %q needs a text of 1 to %d characters.", what, id, MaxLogicTextLength)
		}
		return nil
	}
	outcomes := map[string]bool{}
	for _, o := range m.Outcomes {
		if err := checkText("outcome", o.ID, o.Text); err != nil {
			return err
		}
		if o.Term != "short" && o.Term != "long" {
			return Errorf(EInvalid, "The outcome %q must be short or long term, not %q.", o.ID, o.Term)
		}
		outcomes[o.ID] = true
	}
	for _, e := range m.Elements {
		if err := checkText("element", e.ID, e.Text); err != nil {
			return err
		}
		if len(e.Outcomes) > MaxLogicItems {
			return Errorf(EInvalid, "The element %q links to more than %d outcomes.", e.ID, MaxLogicItems)
		}
		for _, o := range e.Outcomes {
			if !outcomes[o] {
				return Errorf(EInvalid, "The element %q links to %q, which is not an outcome of this map.", e.ID, o)
			}
		}
	}
	return nil
}

// MaxNamedMembers bounds the members named on a restricted document.
const MaxNamedMembers = 200

// Section is one part of a document: Markdown text with its own version.
type Section struct {
	ID       string
	Key      string // template key, stable across translations
	Title    string
	Guidance string // the template's guiding question
	Text     string
	Version  int
	// Visibility narrows who reads this section below the document's
	// level; "" is the document's level. See Document.SectionLevel.
	Visibility Visibility
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
	// ListDocuments returns a lab's documents without sections, ordered by
	// ID; labID "" lists the partner network's documents (syntheses).
	ListDocuments(ctx context.Context, labID string, p Page) ([]Document, string, error)
	// UpdateDocument replaces everything of a document but its sections'
	// text: title, visibility, named members, status, fields, logic map and
	// the list of sections (in order; sections keep their stored starting
	// text and version), and sets Revision to d.Revision+1, if the stored
	// revision is still d.Revision: EConflict otherwise, ENotFound without
	// the document.
	// A section left out is removed from the document; its change log stays.
	UpdateDocument(ctx context.Context, d Document) error
	// DeleteDocument removes a document and what is only about it: its
	// sections and their change logs and snapshots, its comments, the
	// feedback on it, its versions and tags, and the citations in it.
	// Citations of its words in other documents stay (they keep their
	// quote and say the words are gone). ENotFound without the document.
	DeleteDocument(ctx context.Context, id string) error
}

// Limits on document structure.
const MaxSectionTitleLength = 200
