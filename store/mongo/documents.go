package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Sections are embedded in their document: creating a document with its
// sections is then one atomic insert.
type documentDoc struct {
	ID         string            `bson:"_id"`
	LabID      string            `bson:"labId"`
	Kind       labs.DocumentKind `bson:"kind"`
	Template   string            `bson:"template"`
	Title      string            `bson:"title"`
	Visibility labs.Visibility   `bson:"visibility"`
	CreatedBy  string            `bson:"createdBy"`
	CreatedAt  time.Time         `bson:"createdAt"`
	UpdatedAt  time.Time         `bson:"updatedAt"`
	Revision   int               `bson:"revision"`
	Sections   []sectionDoc      `bson:"sections"`
	Members    []string          `bson:"members"`
	Status     labs.Status       `bson:"status"`
	Fields     map[string]string `bson:"fields"`
	LogicMap   labs.LogicMap     `bson:"logicMap"`
}

type sectionDoc struct {
	ID         string          `bson:"id"`
	Key        string          `bson:"key"`
	Title      string          `bson:"title"`
	Guidance   string          `bson:"guidance"`
	Text       string          `bson:"text"`
	Version    int             `bson:"version"`
	Visibility labs.Visibility `bson:"visibility,omitempty"`
}

func (d documentDoc) domain() labs.Document {
	doc := labs.Document{ID: d.ID, LabID: d.LabID, Kind: d.Kind, Template: d.Template, Title: d.Title,
		Visibility: d.Visibility, CreatedBy: d.CreatedBy, CreatedAt: utc(d.CreatedAt), UpdatedAt: utc(d.UpdatedAt), Revision: d.Revision,
		Members: d.Members, Status: d.Status, Fields: d.Fields, LogicMap: d.LogicMap}
	for _, s := range d.Sections {
		doc.Sections = append(doc.Sections, labs.Section(s))
	}
	doc.Tidy()
	return doc
}

func toDocumentDoc(d labs.Document) documentDoc {
	doc := documentDoc{ID: d.ID, LabID: d.LabID, Kind: d.Kind, Template: d.Template, Title: d.Title,
		Visibility: d.Visibility, CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Revision: d.Revision, Sections: make([]sectionDoc, len(d.Sections)),
		Members: d.Members, Status: d.Status, Fields: d.Fields, LogicMap: d.LogicMap}
	for i, sec := range d.Sections {
		doc.Sections[i] = sectionDoc(sec)
	}
	return doc
}

// UpdateDocument implements labs.DocumentStore: one conditional replace
// of the document, which holds its sections.
func (s *Store) UpdateDocument(ctx context.Context, d labs.Document) error {
	cur, err := s.Document(ctx, d.ID)
	if err != nil {
		return fmt.Errorf("update structure: %w", err)
	}
	next := cur
	next.Title, next.UpdatedAt, next.Sections, next.Revision = d.Title, d.UpdatedAt, d.Sections, d.Revision+1
	next.Visibility, next.Members, next.Status, next.Fields, next.LogicMap = d.Visibility, d.Members, d.Status, d.Fields, d.LogicMap
	res, err := s.documents.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "revision", Value: d.Revision}}, toDocumentDoc(next))
	if err != nil {
		return fmt.Errorf("update structure of %s: %w", d.ID, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update structure of %s: %w", d.ID, labs.Errorf(labs.EConflict, "The document changed meanwhile; reload it and try again."))
	}
	return nil
}

// CreateDocument implements labs.DocumentStore.
func (s *Store) CreateDocument(ctx context.Context, d labs.Document) error {
	doc := toDocumentDoc(d)
	if _, err := s.documents.InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("create document %s: %w", d.ID, translate(err, "Document"))
	}
	return nil
}

// Document implements labs.DocumentStore.
func (s *Store) Document(ctx context.Context, id string) (labs.Document, error) {
	var d documentDoc
	if err := s.documents.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return labs.Document{}, fmt.Errorf("load document %s: %w", id, translate(err, "Document"))
	}
	return d.domain(), nil
}

// ListDocuments implements labs.DocumentStore.
func (s *Store) ListDocuments(ctx context.Context, labID string, p labs.Page) ([]labs.Document, string, error) {
	return page(ctx, s.documents, bson.D{{Key: "labId", Value: labID}}, "_id", p,
		func(d documentDoc) string { return d.ID }, func(d documentDoc) labs.Document {
			d.Sections = nil // listings carry no section text
			return d.domain()
		})
}

// DeleteDocument implements labs.DocumentStore. Without transactions, the
// document goes last: a delete cut short leaves it in place to delete
// again, never pieces that belong to nothing.
func (s *Store) DeleteDocument(ctx context.Context, id string) error {
	d, err := s.Document(ctx, id)
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	sections := make(bson.A, 0, len(d.Sections))
	for _, sec := range d.Sections {
		sections = append(sections, sec.ID)
	}
	for _, del := range []struct {
		c      *mongo.Collection
		filter bson.D
	}{
		{s.changes, bson.D{{Key: "sectionId", Value: bson.D{{Key: "$in", Value: sections}}}}},
		{s.snapshots, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: sections}}}}},
		{s.comments, bson.D{{Key: "documentId", Value: id}}},
		{s.feedback, bson.D{{Key: "target", Value: labs.TargetProposal}, {Key: "targetId", Value: id}}},
		{s.versions, bson.D{{Key: "documentId", Value: id}}},
		{s.tags, bson.D{{Key: "documentId", Value: id}}},
		{s.citations, bson.D{{Key: "documentId", Value: id}}},
	} {
		if _, err := del.c.DeleteMany(ctx, del.filter); err != nil {
			return fmt.Errorf("delete document %s: %w", id, err)
		}
	}
	res, err := s.documents.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("delete document %s: %w", id, err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("delete document %s: %w", id, labs.Errorf(labs.ENotFound, "Document not found."))
	}
	return nil
}
