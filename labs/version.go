package labs

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// DocumentVersion is a document frozen under a name ("2023 baseline"):
// the text of each of its sections as it was then, so that any two
// versions, or a version and the current text, can be compared.
type DocumentVersion struct {
	ID         string
	DocumentID string
	Name       string
	CreatedBy  string
	CreatedAt  time.Time
	Sections   []VersionSection
}

// VersionSection is a section as it was frozen.
type VersionSection struct {
	SectionID string `json:"sectionId"`
	Key       string `json:"key"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	Version   int    `json:"version"`
}

// Limits of versions.
const (
	MaxVersionNameRunes = 80
	MaxVersions         = 100 // per document
)

// ValidVersionName trims a version's name and checks it.
func ValidVersionName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", Errorf(EInvalid, "name is required: call the version what it is, such as “2023 baseline”.")
	case utf8.RuneCountInString(name) > MaxVersionNameRunes:
		return "", Errorf(ETooLarge, "A version's name has at most %d characters.", MaxVersionNameRunes)
	case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return "", Errorf(EInvalid, "A version's name is one line of text.")
	}
	return name, nil
}

// VersionStore keeps the named versions of documents. Versions are never
// changed; they go with their document.
type VersionStore interface {
	// CreateVersion stores a version: EConflict if its document has a
	// version of that name, ETooLarge past MaxVersions.
	CreateVersion(ctx context.Context, v DocumentVersion) error
	// Version returns one version with its sections, or ENotFound.
	Version(ctx context.Context, id string) (DocumentVersion, error)
	// ListVersions returns a document's versions, oldest first, without
	// their sections' text.
	ListVersions(ctx context.Context, documentID string) ([]DocumentVersion, error)
}
