package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

var _ labs.VersionStore = (*Store)(nil)

type versionSectionDoc struct {
	SectionID string `bson:"sectionId"`
	Key       string `bson:"key"`
	Title     string `bson:"title"`
	Text      string `bson:"text"`
	Version   int    `bson:"version"`
}

type versionDoc struct {
	ID         string              `bson:"_id"`
	DocumentID string              `bson:"documentId"`
	Name       string              `bson:"name"`
	CreatedBy  string              `bson:"createdBy"`
	CreatedAt  time.Time           `bson:"createdAt"`
	Sections   []versionSectionDoc `bson:"sections"`
}

func (d versionDoc) domain() labs.DocumentVersion {
	v := labs.DocumentVersion{ID: d.ID, DocumentID: d.DocumentID, Name: d.Name, CreatedBy: d.CreatedBy, CreatedAt: utc(d.CreatedAt),
		Sections: make([]labs.VersionSection, len(d.Sections))}
	for i, s := range d.Sections {
		v.Sections[i] = labs.VersionSection(s)
	}
	return v
}

// CreateVersion implements labs.VersionStore.
func (s *Store) CreateVersion(ctx context.Context, v labs.DocumentVersion) error {
	d := versionDoc{ID: v.ID, DocumentID: v.DocumentID, Name: v.Name, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt,
		Sections: make([]versionSectionDoc, len(v.Sections))}
	for i, sec := range v.Sections {
		d.Sections[i] = versionSectionDoc(sec)
	}
	return insertWithin(ctx, s.versions, bson.D{{Key: "documentId", Value: v.DocumentID}}, labs.MaxVersions, d, "Version",
		fmt.Sprintf("A document keeps at most %d named versions.", labs.MaxVersions))
}

// Version implements labs.VersionStore.
func (s *Store) Version(ctx context.Context, id string) (labs.DocumentVersion, error) {
	d, err := byID[versionDoc](ctx, s.versions, id, "Version")
	return d.domain(), err
}

// ListVersions implements labs.VersionStore.
func (s *Store) ListVersions(ctx context.Context, documentID string) ([]labs.DocumentVersion, error) {
	out, err := findAll(ctx, s.versions, bson.D{{Key: "documentId", Value: documentID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: "sections.text", Value: 0}}), versionDoc.domain)
	if err != nil {
		return nil, fmt.Errorf("list versions of %s: %w", documentID, err)
	}
	return out, nil
}
