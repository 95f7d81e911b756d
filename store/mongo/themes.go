package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

var _ labs.ThemeStore = (*Store)(nil)

type themeDoc struct {
	ID        string    `bson:"_id"`
	Name      string    `bson:"name"`
	NameKey   string    `bson:"nameKey"`
	CreatedBy string    `bson:"createdBy"`
	CreatedAt time.Time `bson:"createdAt"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

func (d themeDoc) domain() labs.Theme {
	return labs.Theme{ID: d.ID, Name: d.Name, CreatedBy: d.CreatedBy, CreatedAt: utc(d.CreatedAt), UpdatedAt: utc(d.UpdatedAt)}
}

// CreateTheme implements labs.ThemeStore.
func (s *Store) CreateTheme(ctx context.Context, th labs.Theme) error {
	d := themeDoc{ID: th.ID, Name: th.Name, NameKey: labs.ThemeKey(th.Name), CreatedBy: th.CreatedBy, CreatedAt: th.CreatedAt, UpdatedAt: th.UpdatedAt}
	return insertWithin(ctx, s.themes, bson.D{}, labs.MaxThemes, d, "Theme", fmt.Sprintf("The network has at most %d themes.", labs.MaxThemes))
}

// RenameTheme implements labs.ThemeStore.
func (s *Store) RenameTheme(ctx context.Context, id, name string, at time.Time) error {
	return set(ctx, s.themes, id, "Theme", bson.D{{Key: "name", Value: name}, {Key: "nameKey", Value: labs.ThemeKey(name)}, {Key: "updatedAt", Value: at}})
}

// ListThemes implements labs.ThemeStore.
func (s *Store) ListThemes(ctx context.Context) ([]labs.Theme, error) {
	out, err := findAll(ctx, s.themes, bson.D{}, options.Find().SetSort(bson.D{{Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}}), themeDoc.domain)
	if err != nil {
		return nil, fmt.Errorf("list themes: %w", err)
	}
	return out, nil
}

type tagDoc struct {
	ID         string    `bson:"_id"`
	DocumentID string    `bson:"documentId"`
	LabID      string    `bson:"labId"`
	SectionID  string    `bson:"sectionId"`
	ThemeID    string    `bson:"themeId"`
	From       int       `bson:"from"`
	To         int       `bson:"to"`
	Version    int       `bson:"version"`
	Quote      string    `bson:"quote"`
	Before     string    `bson:"before"`
	After      string    `bson:"after"`
	Orphaned   bool      `bson:"orphaned"`
	CreatedBy  string    `bson:"createdBy"`
	CreatedAt  time.Time `bson:"createdAt"`
}

func (d tagDoc) domain() labs.Tag {
	t := labs.Tag(d)
	t.CreatedAt = utc(t.CreatedAt)
	return t
}

// CreateTag implements labs.ThemeStore.
func (s *Store) CreateTag(ctx context.Context, t labs.Tag) error {
	return insertWithin(ctx, s.tags, bson.D{{Key: "documentId", Value: t.DocumentID}}, labs.MaxTagsPerDoc, tagDoc(t), "Tag",
		fmt.Sprintf("A document has at most %d tagged passages.", labs.MaxTagsPerDoc))
}

// MoveTag implements labs.ThemeStore.
func (s *Store) MoveTag(ctx context.Context, t labs.Tag) error {
	return set(ctx, s.tags, t.ID, "Tag", bson.D{{Key: "from", Value: t.From}, {Key: "to", Value: t.To}, {Key: "version", Value: t.Version},
		{Key: "quote", Value: t.Quote}, {Key: "before", Value: t.Before}, {Key: "after", Value: t.After}, {Key: "orphaned", Value: t.Orphaned}})
}

// DeleteTag implements labs.ThemeStore.
func (s *Store) DeleteTag(ctx context.Context, id string) error {
	return remove(ctx, s.tags, id, "Tag")
}

// Tag implements labs.ThemeStore.
func (s *Store) Tag(ctx context.Context, id string) (labs.Tag, error) {
	d, err := byID[tagDoc](ctx, s.tags, id, "Tag")
	return d.domain(), err
}

// ListTags implements labs.ThemeStore.
func (s *Store) ListTags(ctx context.Context, documentIDs []string) ([]labs.Tag, error) {
	if len(documentIDs) == 0 {
		return nil, nil
	}
	out, err := findAll(ctx, s.tags, bson.D{{Key: "documentId", Value: bson.D{{Key: "$in", Value: documentIDs}}}},
		options.Find().SetSort(bson.D{{Key: "documentId", Value: 1}, {Key: "_id", Value: 1}}), tagDoc.domain)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	return out, nil
}
