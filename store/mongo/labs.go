package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
)

type labDoc struct {
	ID                string           `bson:"_id"`
	Slug              string           `bson:"slug"`
	Country           string           `bson:"country"`
	Title             string           `bson:"title"`
	TargetGroup       labs.TargetGroup `bson:"targetGroup"`
	Description       string           `bson:"description"`
	Languages         []string         `bson:"languages"`
	DefaultVisibility labs.Visibility  `bson:"defaultVisibility"`
	CreatedAt         time.Time        `bson:"createdAt"`
	UpdatedAt         time.Time        `bson:"updatedAt"`
}

func toLabDoc(l labs.Lab) labDoc {
	d := labDoc(l)
	if d.Languages == nil {
		d.Languages = []string{}
	}
	return d
}

func (d labDoc) domain() labs.Lab {
	l := labs.Lab(d)
	l.CreatedAt, l.UpdatedAt = utc(l.CreatedAt), utc(l.UpdatedAt)
	return l
}

// CreateLab implements labs.LabStore.
func (s *Store) CreateLab(ctx context.Context, l labs.Lab) error {
	if _, err := s.labs.InsertOne(ctx, toLabDoc(l)); err != nil {
		return fmt.Errorf("create lab %s: %w", l.Slug, translate(err, "Lab"))
	}
	return nil
}

func (s *Store) findLab(ctx context.Context, key, value string) (labs.Lab, error) {
	var d labDoc
	if err := s.labs.FindOne(ctx, bson.D{{Key: key, Value: value}}).Decode(&d); err != nil {
		return labs.Lab{}, fmt.Errorf("load lab %s: %w", value, translate(err, "Lab"))
	}
	return d.domain(), nil
}

// Lab implements labs.LabStore.
func (s *Store) Lab(ctx context.Context, id string) (labs.Lab, error) {
	return s.findLab(ctx, "_id", id)
}

// LabBySlug implements labs.LabStore.
func (s *Store) LabBySlug(ctx context.Context, slug string) (labs.Lab, error) {
	return s.findLab(ctx, "slug", slug)
}

// UpdateLab implements labs.LabStore.
func (s *Store) UpdateLab(ctx context.Context, l labs.Lab) error {
	res, err := s.labs.ReplaceOne(ctx, bson.D{{Key: "_id", Value: l.ID}}, toLabDoc(l))
	if err != nil {
		return fmt.Errorf("update lab %s: %w", l.ID, translate(err, "Lab"))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update lab %s: %w", l.ID, notFound("Lab"))
	}
	return nil
}

// ListLabs implements labs.LabStore.
func (s *Store) ListLabs(ctx context.Context, p labs.Page) ([]labs.Lab, string, error) {
	return page(ctx, s.labs, bson.D{}, "_id", p, func(d labDoc) string { return d.ID }, labDoc.domain)
}
