package labs

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Theme is one of the partner network's themes, under which passages of
// the countries' baselines are tagged so they can be compared: "which
// countries name legislation as a barrier?".
type Theme struct {
	ID        string
	Name      string
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DefaultThemes seed the list, from the seed baseline's own questions.
var DefaultThemes = []string{"Organisational structure", "Legislation", "Collaboration", "Staff", "Digitalisation",
	"User involvement", "Trust"}

// Tag marks a passage of a section with a theme. From and To are UTF-16
// positions at Version of the section; the server maps them through every
// change accepted since, so the tag stays on the same words. Quote, with
// some text Before and After it, is the passage as it was tagged (or last
// found), to find it again where mapping cannot help. A tag whose words
// were all deleted is Orphaned, never dropped.
type Tag struct {
	ID         string
	DocumentID string
	LabID      string
	SectionID  string
	ThemeID    string
	From, To   int
	Version    int
	Quote      string
	Before     string
	After      string
	Orphaned   bool
	CreatedBy  string
	CreatedAt  time.Time
}

// Limits of themes and tags.
const (
	MaxThemeNameRunes = 60
	MaxThemes         = 100
	MaxTagQuoteRunes  = 2000 // a passage, not a section
	TagContextRunes   = 40
	MaxTagsPerDoc     = 2000
)

// ValidThemeName trims a theme's name and checks it.
func ValidThemeName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", Errorf(EInvalid, "name is required: the theme's name, such as “Staff”.")
	case utf8.RuneCountInString(name) > MaxThemeNameRunes:
		return "", Errorf(ETooLarge, "A theme's name has at most %d characters.", MaxThemeNameRunes)
	case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return "", Errorf(EInvalid, "A theme's name is one line of text.")
	}
	return name, nil
}

// ThemeStore keeps the network's themes and the tags on passages.
type ThemeStore interface {
	// CreateTheme adds a theme: EConflict when one has the name (in any
	// case), ETooLarge past MaxThemes.
	CreateTheme(ctx context.Context, th Theme) error
	// RenameTheme renames one: ENotFound, or EConflict for a taken name.
	RenameTheme(ctx context.Context, id, name string, at time.Time) error
	// ListThemes returns every theme, by name.
	ListThemes(ctx context.Context) ([]Theme, error)
	// CreateTag stores a tag; ETooLarge past MaxTagsPerDoc on its document.
	CreateTag(ctx context.Context, t Tag) error
	// MoveTag records where a tag now is (positions, version, quote and
	// context, orphaned), as mapping found it.
	MoveTag(ctx context.Context, t Tag) error
	// DeleteTag removes a tag: ENotFound if there is none.
	DeleteTag(ctx context.Context, id string) error
	// Tag returns one tag, or ENotFound.
	Tag(ctx context.Context, id string) (Tag, error)
	// ListTags returns the tags on the given documents, by document and ID.
	ListTags(ctx context.Context, documentIDs []string) ([]Tag, error)
}

// ThemeKey is a theme's name as the stores compare names: case folded.
func ThemeKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// Passage is a range of a section's words as the server places it: at a
// version, with the words and their context, or orphaned.
type Passage struct {
	SectionID string
	From, To  int
	Version   int
	Quote     string
	Before    string
	After     string
	Orphaned  bool
}

// Passage is where the tag is.
func (t Tag) Passage() Passage {
	return Passage{SectionID: t.SectionID, From: t.From, To: t.To, Version: t.Version, Quote: t.Quote, Before: t.Before, After: t.After, Orphaned: t.Orphaned}
}

// At is the tag placed at p.
func (t Tag) At(p Passage) Tag {
	t.SectionID, t.From, t.To, t.Version, t.Quote, t.Before, t.After, t.Orphaned = p.SectionID, p.From, p.To, p.Version, p.Quote, p.Before, p.After, p.Orphaned
	return t
}
