package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/linklab/linklab/labs"
)

const commentColumns = `id, document_id, section_id, parent_id, author_id, anonymous, body, anchor_from, anchor_to, version,
	resolved, hidden_reason, hidden_by, hidden_at, created_at, updated_at, audience`

func scanComment(r scanner) (labs.Comment, error) {
	var c labs.Comment
	var anon, resolved int
	var hiddenAt, created, updated int64
	err := r.Scan(&c.ID, &c.DocumentID, &c.SectionID, &c.ParentID, &c.AuthorID, &anon, &c.Body, &c.From, &c.To, &c.Version,
		&resolved, &c.Hidden.Reason, &c.Hidden.By, &hiddenAt, &created, &updated, &c.Audience)
	c.Anonymous, c.Resolved = anon != 0, resolved != 0
	c.Hidden.At, c.CreatedAt, c.UpdatedAt = fromMillis(hiddenAt), fromMillis(created), fromMillis(updated)
	return c, err
}

// CreateComment implements labs.CommentStore.
func (s *Store) CreateComment(ctx context.Context, c labs.Comment) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO comments("+commentColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		c.ID, c.DocumentID, c.SectionID, c.ParentID, c.AuthorID, boolInt(c.Anonymous), c.Body, c.From, c.To, c.Version,
		boolInt(c.Resolved), c.Hidden.Reason, c.Hidden.By, millis(c.Hidden.At), millis(c.CreatedAt), millis(c.UpdatedAt), c.Audience)
	if err != nil {
		return fmt.Errorf("create comment: %w", translate(err, "Comment"))
	}
	return nil
}

// Comment implements labs.CommentStore.
func (s *Store) Comment(ctx context.Context, id string) (labs.Comment, error) {
	c, err := scanComment(s.db.QueryRowContext(ctx, "SELECT "+commentColumns+" FROM comments WHERE id = ?", id))
	if err != nil {
		return c, fmt.Errorf("load comment %s: %w", id, translate(err, "Comment"))
	}
	return c, nil
}

// ListComments implements labs.CommentStore.
func (s *Store) ListComments(ctx context.Context, documentID string, p labs.Page) ([]labs.Comment, string, error) {
	return list(ctx, s.db, "comments", p, scanComment, func(c labs.Comment) string { return c.ID },
		"SELECT "+commentColumns+" FROM comments WHERE document_id = ? AND id > ? ORDER BY id LIMIT ?", documentID)
}

// UpdateComment implements labs.CommentStore.
func (s *Store) UpdateComment(ctx context.Context, c labs.Comment) error {
	res, err := s.db.ExecContext(ctx, `UPDATE comments SET body = ?, anchor_from = ?, anchor_to = ?, version = ?, resolved = ?,
		hidden_reason = ?, hidden_by = ?, hidden_at = ?, updated_at = ? WHERE id = ?`,
		c.Body, c.From, c.To, c.Version, boolInt(c.Resolved), c.Hidden.Reason, c.Hidden.By, millis(c.Hidden.At), millis(c.UpdatedAt), c.ID)
	if err := mustAffect(res, err, "Comment"); err != nil {
		return fmt.Errorf("update comment %s: %w", c.ID, err)
	}
	return nil
}

// DeleteComment implements labs.CommentStore.
func (s *Store) DeleteComment(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM comments WHERE id = ?", id)
	if err := mustAffect(res, err, "Comment"); err != nil {
		return fmt.Errorf("delete comment %s: %w", id, err)
	}
	return nil
}

const feedbackColumns = `id, lab_id, target, target_id, author_id, anonymous, rating, body, hidden_reason, hidden_by, hidden_at,
	created_at, updated_at, audience`

func scanFeedback(r scanner) (labs.Feedback, error) {
	var f labs.Feedback
	var anon int
	var hiddenAt, created, updated int64
	err := r.Scan(&f.ID, &f.LabID, &f.Target, &f.TargetID, &f.AuthorID, &anon, &f.Rating, &f.Body,
		&f.Hidden.Reason, &f.Hidden.By, &hiddenAt, &created, &updated, &f.Audience)
	f.Anonymous = anon != 0
	f.Hidden.At, f.CreatedAt, f.UpdatedAt = fromMillis(hiddenAt), fromMillis(created), fromMillis(updated)
	return f, err
}

// CreateFeedback implements labs.FeedbackStore.
func (s *Store) CreateFeedback(ctx context.Context, f labs.Feedback) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO feedback("+feedbackColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		f.ID, f.LabID, f.Target, f.TargetID, f.AuthorID, boolInt(f.Anonymous), f.Rating, f.Body,
		f.Hidden.Reason, f.Hidden.By, millis(f.Hidden.At), millis(f.CreatedAt), millis(f.UpdatedAt), f.Audience)
	if err != nil {
		return fmt.Errorf("create feedback: %w", translate(err, "Feedback"))
	}
	return nil
}

// Feedback implements labs.FeedbackStore.
func (s *Store) Feedback(ctx context.Context, id string) (labs.Feedback, error) {
	f, err := scanFeedback(s.db.QueryRowContext(ctx, "SELECT "+feedbackColumns+" FROM feedback WHERE id = ?", id))
	if err != nil {
		return f, fmt.Errorf("load feedback %s: %w", id, translate(err, "Feedback"))
	}
	return f, nil
}

// ListFeedback implements labs.FeedbackStore.
func (s *Store) ListFeedback(ctx context.Context, labID string, target labs.FeedbackTarget, targetID string, p labs.Page) ([]labs.Feedback, string, error) {
	return list(ctx, s.db, "feedback", p, scanFeedback, func(f labs.Feedback) string { return f.ID },
		"SELECT "+feedbackColumns+" FROM feedback WHERE lab_id = ? AND target = ? AND target_id = ? AND id > ? ORDER BY id LIMIT ?",
		labID, target, targetID)
}

// UpdateFeedback implements labs.FeedbackStore.
func (s *Store) UpdateFeedback(ctx context.Context, f labs.Feedback) error {
	res, err := s.db.ExecContext(ctx, `UPDATE feedback SET rating = ?, body = ?, hidden_reason = ?, hidden_by = ?, hidden_at = ?,
		updated_at = ? WHERE id = ?`, f.Rating, f.Body, f.Hidden.Reason, f.Hidden.By, millis(f.Hidden.At), millis(f.UpdatedAt), f.ID)
	if err := mustAffect(res, err, "Feedback"); err != nil {
		return fmt.Errorf("update feedback %s: %w", f.ID, err)
	}
	return nil
}

// DeleteFeedback implements labs.FeedbackStore.
func (s *Store) DeleteFeedback(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM feedback WHERE id = ?", id)
	if err := mustAffect(res, err, "Feedback"); err != nil {
		return fmt.Errorf("delete feedback %s: %w", id, err)
	}
	return nil
}

const auditColumns = "id, lab_id, actor_id, action, object, detail, at"

func scanAudit(r scanner) (labs.AuditEntry, error) {
	var e labs.AuditEntry
	var detail string
	var at int64
	if err := r.Scan(&e.ID, &e.LabID, &e.ActorID, &e.Action, &e.Object, &detail, &at); err != nil {
		return e, err
	}
	e.At = fromMillis(at)
	if err := json.Unmarshal([]byte(detail), &e.Detail); err != nil {
		return e, fmt.Errorf("decode audit entry %s: %w", e.ID, err)
	}
	return e, nil
}

// AppendAudit implements labs.AuditStore.
func (s *Store) AppendAudit(ctx context.Context, e labs.AuditEntry) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO audit("+auditColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		e.ID, e.LabID, e.ActorID, e.Action, e.Object, jsonText(e.Detail, "{}"), millis(e.At))
	if err != nil {
		return fmt.Errorf("append audit entry: %w", translate(err, "Audit entry"))
	}
	return nil
}

// ListAudit implements labs.AuditStore.
func (s *Store) ListAudit(ctx context.Context, labID string, p labs.Page) ([]labs.AuditEntry, string, error) {
	return list(ctx, s.db, "audit", p, scanAudit, func(e labs.AuditEntry) string { return e.ID },
		"SELECT "+auditColumns+" FROM audit WHERE lab_id = ? AND id > ? ORDER BY id LIMIT ?", labID)
}

// ListAuditActions implements labs.AuditStore.
func (s *Store) ListAuditActions(ctx context.Context, labID string, actions []string, p labs.Page) ([]labs.AuditEntry, string, error) {
	if len(actions) == 0 {
		return nil, "", nil
	}
	args := []any{labID}
	for _, a := range actions {
		args = append(args, a)
	}
	in := placeholders(len(actions))
	return list(ctx, s.db, "audit", p, scanAudit, func(e labs.AuditEntry) string { return e.ID },
		"SELECT "+auditColumns+" FROM audit WHERE lab_id = ? AND action IN ("+in+") AND id > ? ORDER BY id LIMIT ?", args...)
}

const partnerOrgColumns = "id, name, country, created_at"

func scanPartnerOrg(r scanner) (labs.PartnerOrg, error) {
	var o labs.PartnerOrg
	var created int64
	err := r.Scan(&o.ID, &o.Name, &o.Country, &created)
	o.CreatedAt = fromMillis(created)
	return o, err
}

// CreatePartnerOrg implements labs.PartnerOrgStore.
func (s *Store) CreatePartnerOrg(ctx context.Context, o labs.PartnerOrg) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO partner_orgs("+partnerOrgColumns+") VALUES (?, ?, ?, ?)",
		o.ID, o.Name, o.Country, millis(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("create partner organisation: %w", translate(err, "Partner organisation"))
	}
	return nil
}

// PartnerOrg implements labs.PartnerOrgStore.
func (s *Store) PartnerOrg(ctx context.Context, id string) (labs.PartnerOrg, error) {
	o, err := scanPartnerOrg(s.db.QueryRowContext(ctx, "SELECT "+partnerOrgColumns+" FROM partner_orgs WHERE id = ?", id))
	if err != nil {
		return o, fmt.Errorf("load partner organisation %s: %w", id, translate(err, "Partner organisation"))
	}
	return o, nil
}

// ListPartnerOrgs implements labs.PartnerOrgStore.
func (s *Store) ListPartnerOrgs(ctx context.Context, p labs.Page) ([]labs.PartnerOrg, string, error) {
	return list(ctx, s.db, "partner_orgs", p, scanPartnerOrg, func(o labs.PartnerOrg) string { return o.ID },
		"SELECT "+partnerOrgColumns+" FROM partner_orgs WHERE id > ? ORDER BY id LIMIT ?")
}
