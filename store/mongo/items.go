package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Comments, feedback, audit entries and partner organisations: one
// document each, keyed by ID, so every write is a single atomic operation.

type hiddenDoc struct {
	Reason string    `bson:"reason"`
	By     string    `bson:"by"`
	At     time.Time `bson:"at"`
}

func (h hiddenDoc) domain() labs.Hidden {
	return labs.Hidden{Reason: h.Reason, By: h.By, At: utc(h.At)}
}

type commentDoc struct {
	ID         string    `bson:"_id"`
	DocumentID string    `bson:"documentId"`
	SectionID  string    `bson:"sectionId"`
	ParentID   string    `bson:"parentId"`
	AuthorID   string    `bson:"authorId"`
	Anonymous  bool      `bson:"anonymous"`
	Audience   string    `bson:"audience,omitempty"`
	Body       string    `bson:"body"`
	From       int       `bson:"from"`
	To         int       `bson:"to"`
	Version    int       `bson:"version"`
	Resolved   bool      `bson:"resolved"`
	Hidden     hiddenDoc `bson:"hidden"`
	CreatedAt  time.Time `bson:"createdAt"`
	UpdatedAt  time.Time `bson:"updatedAt"`
}

func toCommentDoc(c labs.Comment) commentDoc {
	return commentDoc{ID: c.ID, DocumentID: c.DocumentID, SectionID: c.SectionID, ParentID: c.ParentID, AuthorID: c.AuthorID,
		Anonymous: c.Anonymous, Audience: string(c.Audience), Body: c.Body, From: c.From, To: c.To, Version: c.Version,
		Resolved: c.Resolved, Hidden: hiddenDoc(c.Hidden), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func (d commentDoc) domain() labs.Comment {
	return labs.Comment{ID: d.ID, DocumentID: d.DocumentID, SectionID: d.SectionID, ParentID: d.ParentID, AuthorID: d.AuthorID,
		Anonymous: d.Anonymous, Audience: labs.Visibility(d.Audience), Body: d.Body, From: d.From, To: d.To, Version: d.Version,
		Resolved: d.Resolved, Hidden: d.Hidden.domain(), CreatedAt: utc(d.CreatedAt), UpdatedAt: utc(d.UpdatedAt)}
}

func commentKey(d commentDoc) string { return d.ID }

// insert, byID, set and remove are the four single-document operations
// every item kind here needs.
func insert(ctx context.Context, c *mongo.Collection, doc any, what string) error {
	if _, err := c.InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("create %s: %w", what, translate(err, what))
	}
	return nil
}

// insertWithin inserts doc unless the documents matching filter number
// most already (ETooLarge, saying full). The count and the insert are two
// operations: two inserted at the same instant may pass the limit by one,
// which bounds growth all the same.
func insertWithin(ctx context.Context, c *mongo.Collection, filter bson.D, most int, doc any, what, full string) error {
	n, err := c.CountDocuments(ctx, filter)
	if err != nil {
		return fmt.Errorf("create %s: %w", what, err)
	}
	if n >= int64(most) {
		return labs.Errorf(labs.ETooLarge, "%s", full)
	}
	return insert(ctx, c, doc, what)
}

func byID[D any](ctx context.Context, c *mongo.Collection, id, what string) (D, error) {
	var d D
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return d, fmt.Errorf("load %s %s: %w", what, id, translate(err, what))
	}
	return d, nil
}

func set(ctx context.Context, c *mongo.Collection, id, what string, fields bson.D) error {
	res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: fields}})
	if err != nil {
		return fmt.Errorf("update %s %s: %w", what, id, translate(err, what))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update %s %s: %w", what, id, labs.Errorf(labs.ENotFound, "%s not found.", what))
	}
	return nil
}

func remove(ctx context.Context, c *mongo.Collection, id, what string) error {
	res, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("delete %s %s: %w", what, id, err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("delete %s %s: %w", what, id, labs.Errorf(labs.ENotFound, "%s not found.", what))
	}
	return nil
}

// CreateComment implements labs.CommentStore.
func (s *Store) CreateComment(ctx context.Context, c labs.Comment) error {
	return insert(ctx, s.comments, toCommentDoc(c), "Comment")
}

// Comment implements labs.CommentStore.
func (s *Store) Comment(ctx context.Context, id string) (labs.Comment, error) {
	d, err := byID[commentDoc](ctx, s.comments, id, "Comment")
	return d.domain(), err
}

// ListComments implements labs.CommentStore.
func (s *Store) ListComments(ctx context.Context, documentID string, p labs.Page) ([]labs.Comment, string, error) {
	return page(ctx, s.comments, bson.D{{Key: "documentId", Value: documentID}}, "_id", p, commentKey, commentDoc.domain)
}

// UpdateComment implements labs.CommentStore.
func (s *Store) UpdateComment(ctx context.Context, c labs.Comment) error {
	return set(ctx, s.comments, c.ID, "Comment", bson.D{{Key: "body", Value: c.Body}, {Key: "from", Value: c.From},
		{Key: "to", Value: c.To}, {Key: "version", Value: c.Version}, {Key: "resolved", Value: c.Resolved},
		{Key: "hidden", Value: hiddenDoc(c.Hidden)}, {Key: "updatedAt", Value: c.UpdatedAt}})
}

// DeleteComment implements labs.CommentStore.
func (s *Store) DeleteComment(ctx context.Context, id string) error {
	return remove(ctx, s.comments, id, "Comment")
}

type feedbackDoc struct {
	ID        string              `bson:"_id"`
	LabID     string              `bson:"labId"`
	Target    labs.FeedbackTarget `bson:"target"`
	TargetID  string              `bson:"targetId"`
	AuthorID  string              `bson:"authorId"`
	Anonymous bool                `bson:"anonymous"`
	Audience  string              `bson:"audience,omitempty"`
	Rating    int                 `bson:"rating"`
	Body      string              `bson:"body"`
	Hidden    hiddenDoc           `bson:"hidden"`
	CreatedAt time.Time           `bson:"createdAt"`
	UpdatedAt time.Time           `bson:"updatedAt"`
}

func (d feedbackDoc) domain() labs.Feedback {
	return labs.Feedback{ID: d.ID, LabID: d.LabID, Target: d.Target, TargetID: d.TargetID, AuthorID: d.AuthorID,
		Anonymous: d.Anonymous, Audience: labs.Visibility(d.Audience), Rating: d.Rating, Body: d.Body, Hidden: d.Hidden.domain(),
		CreatedAt: utc(d.CreatedAt), UpdatedAt: utc(d.UpdatedAt)}
}

// CreateFeedback implements labs.FeedbackStore.
func (s *Store) CreateFeedback(ctx context.Context, f labs.Feedback) error {
	return insert(ctx, s.feedback, feedbackDoc{ID: f.ID, LabID: f.LabID, Target: f.Target, TargetID: f.TargetID,
		AuthorID: f.AuthorID, Anonymous: f.Anonymous, Audience: string(f.Audience), Rating: f.Rating, Body: f.Body, Hidden: hiddenDoc(f.Hidden),
		CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}, "Feedback")
}

// Feedback implements labs.FeedbackStore.
func (s *Store) Feedback(ctx context.Context, id string) (labs.Feedback, error) {
	d, err := byID[feedbackDoc](ctx, s.feedback, id, "Feedback")
	return d.domain(), err
}

// ListFeedback implements labs.FeedbackStore.
func (s *Store) ListFeedback(ctx context.Context, labID string, target labs.FeedbackTarget, targetID string, p labs.Page) ([]labs.Feedback, string, error) {
	filter := bson.D{{Key: "labId", Value: labID}, {Key: "target", Value: target}, {Key: "targetId", Value: targetID}}
	return page(ctx, s.feedback, filter, "_id", p, func(d feedbackDoc) string { return d.ID }, feedbackDoc.domain)
}

// UpdateFeedback implements labs.FeedbackStore.
func (s *Store) UpdateFeedback(ctx context.Context, f labs.Feedback) error {
	return set(ctx, s.feedback, f.ID, "Feedback", bson.D{{Key: "rating", Value: f.Rating}, {Key: "body", Value: f.Body},
		{Key: "hidden", Value: hiddenDoc(f.Hidden)}, {Key: "updatedAt", Value: f.UpdatedAt}})
}

// DeleteFeedback implements labs.FeedbackStore.
func (s *Store) DeleteFeedback(ctx context.Context, id string) error {
	return remove(ctx, s.feedback, id, "Feedback")
}

type auditDoc struct {
	ID      string            `bson:"_id"`
	LabID   string            `bson:"labId"`
	ActorID string            `bson:"actorId"`
	Action  string            `bson:"action"`
	Object  string            `bson:"object"`
	Detail  map[string]string `bson:"detail"`
	At      time.Time         `bson:"at"`
}

// AppendAudit implements labs.AuditStore.
func (s *Store) AppendAudit(ctx context.Context, e labs.AuditEntry) error {
	return insert(ctx, s.audit, auditDoc(e), "Audit entry")
}

// ListAudit implements labs.AuditStore.
func (s *Store) ListAudit(ctx context.Context, labID string, p labs.Page) ([]labs.AuditEntry, string, error) {
	return s.listAudit(ctx, bson.D{{Key: "labId", Value: labID}}, p)
}

// ListAuditActions implements labs.AuditStore.
func (s *Store) ListAuditActions(ctx context.Context, labID string, actions []string, p labs.Page) ([]labs.AuditEntry, string, error) {
	if len(actions) == 0 {
		return nil, "", nil
	}
	return s.listAudit(ctx, bson.D{{Key: "labId", Value: labID}, {Key: "action", Value: bson.D{{Key: "$in", Value: actions}}}}, p)
}

func (s *Store) listAudit(ctx context.Context, filter bson.D, p labs.Page) ([]labs.AuditEntry, string, error) {
	return page(ctx, s.audit, filter, "_id", p, func(d auditDoc) string { return d.ID },
		func(d auditDoc) labs.AuditEntry {
			e := labs.AuditEntry(d)
			e.At = utc(e.At)
			return e
		})
}

type partnerOrgDoc struct {
	ID        string    `bson:"_id"`
	Name      string    `bson:"name"`
	Country   string    `bson:"country"`
	CreatedAt time.Time `bson:"createdAt"`
}

func (d partnerOrgDoc) domain() labs.PartnerOrg {
	o := labs.PartnerOrg(d)
	o.CreatedAt = utc(o.CreatedAt)
	return o
}

// CreatePartnerOrg implements labs.PartnerOrgStore.
func (s *Store) CreatePartnerOrg(ctx context.Context, o labs.PartnerOrg) error {
	return insert(ctx, s.partnerOrgs, partnerOrgDoc(o), "Partner organisation")
}

// PartnerOrg implements labs.PartnerOrgStore.
func (s *Store) PartnerOrg(ctx context.Context, id string) (labs.PartnerOrg, error) {
	d, err := byID[partnerOrgDoc](ctx, s.partnerOrgs, id, "Partner organisation")
	return d.domain(), err
}

// ListPartnerOrgs implements labs.PartnerOrgStore.
func (s *Store) ListPartnerOrgs(ctx context.Context, p labs.Page) ([]labs.PartnerOrg, string, error) {
	return page(ctx, s.partnerOrgs, nil, "_id", p, func(d partnerOrgDoc) string { return d.ID }, partnerOrgDoc.domain)
}
