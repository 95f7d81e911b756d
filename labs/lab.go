package labs

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TargetGroup is whom a lab works with.
type TargetGroup string

// The target groups of the LINK labs.
const (
	TargetFamilies TargetGroup = "families" // families with multiple challenges
	TargetYouths   TargetGroup = "youths"   // youths in vulnerable positions
	TargetElderly  TargetGroup = "elderly"
)

// TargetGroups lists the valid target groups in display order.
var TargetGroups = []TargetGroup{TargetFamilies, TargetYouths, TargetElderly}

// Lab is one country's Learning and Innovation Lab.
type Lab struct {
	ID          string
	Slug        string // unique, URL-friendly
	Country     string // ISO 3166-1 alpha-2, upper case
	Title       string
	TargetGroup TargetGroup
	Description string
	Languages   []string // BCP 47 primary language subtags, e.g. "no", "en"
	// DefaultVisibility is the level new documents of the lab start at.
	DefaultVisibility Visibility
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// DocumentLevel is the level new documents of the lab start at.
func (l Lab) DocumentLevel() Visibility {
	if l.DefaultVisibility == "" {
		return VisLab
	}
	return l.DefaultVisibility
}

// Limits on lab fields.
const (
	MaxTitleLength       = 200
	MaxDescriptionLength = 4000
	MaxLanguages         = 10
)

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	languageRE = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// Validate normalizes and checks a lab's fields, returning EInvalid with a
// message that names the first field at fault.
func (l *Lab) Validate() error {
	l.Slug = strings.TrimSpace(l.Slug)
	l.Country = strings.ToUpper(strings.TrimSpace(l.Country))
	l.Title = strings.TrimSpace(l.Title)
	l.Description = strings.TrimSpace(l.Description)
	switch {
	case !slugRE.MatchString(l.Slug):
		return Errorf(EInvalid, "Slug must be 1-64 lower-case letters, digits or dashes, not starting or ending with a dash.")
	case !countryRE.MatchString(l.Country):
		return Errorf(EInvalid, "Country must be a two-letter ISO 3166 code such as NO or ES.")
	case l.Title == "" || utf8.RuneCountInString(l.Title) > MaxTitleLength:
		return Errorf(EInvalid, "Title is required and at most %d characters.", MaxTitleLength)
	case !slices.Contains(TargetGroups, l.TargetGroup):
		return Errorf(EInvalid, "Target group must be one of families, youths, elderly.")
	case utf8.RuneCountInString(l.Description) > MaxDescriptionLength:
		return Errorf(EInvalid, "Description is longer than %d characters.", MaxDescriptionLength)
	case len(l.Languages) > MaxLanguages:
		return Errorf(EInvalid, "A lab has at most %d languages.", MaxLanguages)
	}
	if l.DefaultVisibility == "" {
		l.DefaultVisibility = VisLab
	}
	if !l.DefaultVisibility.Valid() {
		return Errorf(EInvalid, "Default visibility must be one of private, restricted, lab, partners, network, public.")
	}
	for _, lang := range l.Languages {
		if !languageRE.MatchString(lang) {
			return Errorf(EInvalid, "Language %q is not a two- or three-letter language code such as en or no.", lang)
		}
	}
	return nil
}

// LabStore persists labs.
type LabStore interface {
	// CreateLab inserts l. Returns EConflict if the slug is taken.
	CreateLab(ctx context.Context, l Lab) error
	// Lab returns the lab with the ID, or ENotFound.
	Lab(ctx context.Context, id string) (Lab, error)
	// LabBySlug returns the lab with the slug, or ENotFound.
	LabBySlug(ctx context.Context, slug string) (Lab, error)
	// UpdateLab replaces the stored lab with the same ID: ENotFound, EConflict.
	UpdateLab(ctx context.Context, l Lab) error
	// ListLabs returns labs ordered by ID and the cursor of the next page.
	ListLabs(ctx context.Context, p Page) ([]Lab, string, error)
}
