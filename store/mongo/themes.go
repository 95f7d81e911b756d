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

// CreateTheme implements labs.ThemeStore. The count and the insert are
// two operations: two themes added at the same instant may pass the limit
// by one.
func (s *Store) CreateTheme(ctx context.Context, th labs.Theme) error {
	n, err := s.themes.CountDocuments(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("create theme: %w", err)
	}
	if n >= labs.MaxThemes {
		return labs.Errorf(labs.ETooLarge, "The network has at most %d themes.", labs.MaxThemes)
	}
	d := themeDoc{ID: th.ID, Name: th.Name, NameKey: labs.ThemeKey(th.Name), CreatedBy: th.CreatedBy, CreatedAt: th.CreatedAt, UpdatedAt: th.UpdatedAt}
	if _, err := s.themes.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("create theme: %w", translate(err, "A theme of that name"))
	}
	return nil
}

// RenameTheme implements labs.ThemeStore.
func (s *Store) RenameTheme(ctx context.Context, id, name string, at time.Time) error {
	res, err := s.themes.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "name", Value: name}, {Key: "nameKey", Value: labs.ThemeKey(name)}, {Key: "updatedAt", Value: at}}}})
	if err != nil {
		return fmt.Errorf("rename theme %s: %w", id, translate(err, "A theme of that name"))
	}
	if res.MatchedCount == 0 {
		return notFound("Theme")
	}
	return nil
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

// CreateTag implements labs.ThemeStore (count and insert as for themes).
func (s *Store) CreateTag(ctx context.Context, t labs.Tag) error {
	n, err := s.tags.CountDocuments(ctx, bson.D{{Key: "documentId", Value: t.DocumentID}})
	if err != nil {
		return fmt.Errorf("create tag: %w", err)
	}
	if n >= labs.MaxTagsPerDoc {
		return labs.Errorf(labs.ETooLarge, "A document has at most %d tagged passages.", labs.MaxTagsPerDoc)
	}
	if _, err := s.tags.InsertOne(ctx, tagDoc(t)); err != nil {
		return fmt.Errorf("create tag: %w", translate(err, "Tag"))
	}
	return nil
}

// MoveTag implements labs.ThemeStore.
func (s *Store) MoveTag(ctx context.Context, t labs.Tag) error {
	res, err := s.tags.UpdateOne(ctx, bson.D{{Key: "_id", Value: t.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "from", Value: t.From}, {Key: "to", Value: t.To}, {Key: "version", Value: t.Version}, {Key: "quote", Value: t.Quote},
		{Key: "before", Value: t.Before}, {Key: "after", Value: t.After}, {Key: "orphaned", Value: t.Orphaned}}}})
	if err != nil {
		return fmt.Errorf("move tag %s: %w", t.ID, err)
	}
	if res.MatchedCount == 0 {
		return notFound("Tag")
	}
	return nil
}

// DeleteTag implements labs.ThemeStore.
func (s *Store) DeleteTag(ctx context.Context, id string) error {
	res, err := s.tags.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("delete tag %s: %w", id, err)
	}
	if res.DeletedCount == 0 {
		return notFound("Tag")
	}
	return nil
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
