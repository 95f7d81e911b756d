package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// authorView names the author of an item that is not anonymous.
type authorView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type hiddenView struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// authored is what comments and feedback show of their author and text, to
// one reader. An anonymous item has no author for anybody; only its author
// is told it is theirs (mine). A hidden item's text is shown to its author
// only. This is the one place that decides it.
type authored struct {
	Anonymous bool        `json:"anonymous"`
	Author    *authorView `json:"author"`
	Mine      bool        `json:"mine"`
	Body      *string     `json:"body"`
	Hidden    *hiddenView `json:"hidden"`
}

// viewAuthored shows an item to a reader; mine says the reader wrote it
// (never for a broadcast, which no reader owns).
func viewAuthored(authorID string, anonymous bool, body string, hidden labs.Hidden, mine bool, name func(string) string) authored {
	v := authored{Anonymous: anonymous, Mine: mine}
	if !anonymous {
		v.Author = &authorView{ID: authorID, Name: name(authorID)}
	}
	if hidden.IsHidden() {
		v.Hidden = &hiddenView{Reason: hidden.Reason, At: hidden.At}
	}
	if !hidden.IsHidden() || v.Mine {
		v.Body = &body
	}
	return v
}

// commentView is a comment as one reader sees it.
type commentView struct {
	ID         string `json:"id"`
	DocumentID string `json:"documentId"`
	SectionID  string `json:"sectionId"`
	ParentID   string `json:"parentId,omitempty"`
	authored
	// Audience is the level it is read at: who its writer chose, never
	// more than may read the document.
	Audience labs.Visibility `json:"audience"`
	From     int             `json:"from"`
	To       int             `json:"to"`
	Version  int             `json:"version"`
	Detached bool            `json:"detached,omitempty"`
	// Quote is the words a thread is about, as they read now (at most
	// maxQuote characters); empty for a reply, or when the words are gone.
	Quote     string    `json:"quote,omitempty"`
	Resolved  bool      `json:"resolved"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// viewComment shows cm to reader (nil for a broadcast).
func viewComment(d labs.Document, cm labs.Comment, mine bool, name func(string) string) commentView {
	return commentView{ID: cm.ID, DocumentID: cm.DocumentID, SectionID: cm.SectionID, ParentID: cm.ParentID,
		authored: viewAuthored(cm.AuthorID, cm.Anonymous, cm.Body, cm.Hidden, mine, name),
		Audience: d.AudienceLevel(cm.Audience), From: cm.From, To: cm.To, Version: cm.Version, Resolved: cm.Resolved, CreatedAt: cm.CreatedAt, UpdatedAt: cm.UpdatedAt}
}

// listComments returns a document's comments, oldest first, with each
// thread's anchor mapped to the section's current text.
func (s *Server) listComments(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	d, acc, view := documentOf(c), accountOf(c), viewOf(c)
	items, next, err := visiblePage(p,
		func(p labs.Page) ([]labs.Comment, string, error) { return s.cfg.Store.ListComments(ctx, d.ID, p) },
		func(cm labs.Comment) string { return cm.ID },
		func(cm labs.Comment) (bool, error) {
			if ok, err := s.seesSection(subjectOfRequest(c), acc, d, view, cm.SectionID); !ok || err != nil {
				return false, err
			}
			return s.readsItem(subjectOfRequest(c), acc, d, "comment", d.AudienceLevel(cm.Audience))
		})
	if err != nil {
		return err
	}
	names := s.namer(ctx, d.LabID)
	out := make([]commentView, 0, len(items))
	for _, cm := range items {
		v, err := s.placed(ctx, d, viewComment(d, cm, s.wrote(c, cm.AuthorID, cm.Anonymous, cm.ID), names), cm)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return c.JSON(listBody[commentView]{Items: out, Next: next})
}

// maxQuote is how much of a thread's words its view quotes, in characters.
const maxQuote = 280

// placed shows a thread's first comment where its words are now: its range
// mapped to the section's current text, one accepted change at a time, so
// that it keeps covering the same words, and those words quoted. A thread
// whose section is gone, or older than the kept history, is detached:
// shown where it was, marked so. Replies are shown as they are.
func (s *Server) placed(ctx context.Context, d labs.Document, v commentView, cm labs.Comment) (commentView, error) {
	if cm.ParentID != "" {
		return v, nil
	}
	sec, ok := d.Section(cm.SectionID)
	if !ok {
		v.Detached = true
		return v, nil
	}
	err := s.authority.LocateRange(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version}, cm.Version, cm.From, cm.To,
		func(version int, text realtime.Text, start, end int, ok bool) {
			v.Version, v.From, v.To, v.Quote = version, start, end, ""
			if ok {
				v.Quote = quoteOf(text[start:end].String())
			}
		})
	switch {
	case errors.Is(err, realtime.ErrResync) || labs.IsCode(err, labs.EInvalid):
		v.Detached = true
		return v, nil
	case err != nil:
		return v, fmt.Errorf("place comment %s: %w", cm.ID, err)
	}
	return v, nil
}

// quoteOf shortens quoted words to maxQuote characters, at a word's end
// where there is one.
func quoteOf(words string) string {
	r := []rune(words)
	if len(r) <= maxQuote {
		return words
	}
	cut := string(r[:maxQuote])
	if i := strings.LastIndexAny(cut, " \n"); i > maxQuote/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}

type commentRequest struct {
	SectionID string `json:"sectionId"`
	ParentID  string `json:"parentId"`
	Body      string `json:"body"`
	From      int    `json:"from"`
	To        int    `json:"to"`
	Version   *int   `json:"version"`
	Anonymous bool   `json:"anonymous"`
	// Audience is who may read it; empty for the lab (the default).
	Audience labs.Visibility `json:"audience"`
}

// createComment starts a thread on a range of a section, or replies to one.
func (s *Server) createComment(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var in commentRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := fieldLimit("body", in.Body, 4*labs.MaxCommentLength); err != nil {
		return err
	}
	body, err := labs.ValidateBody(in.Body, labs.MaxCommentLength)
	if err != nil {
		return err
	}
	d, acc := documentOf(c), accountOf(c)
	now := s.cfg.Auth.Now()
	cm := labs.Comment{ID: labs.NewID(now), DocumentID: d.ID, Anonymous: in.Anonymous, Body: body,
		CreatedAt: now, UpdatedAt: now}
	cm.AuthorID = s.authorOfNew(c, acc, cm.ID, cm.Anonymous)
	if in.ParentID != "" {
		if !labs.ValidID(in.ParentID) {
			return labs.Errorf(labs.EInvalid, "parentId must be a comment ID.")
		}
		parent, err := s.cfg.Store.Comment(ctx, in.ParentID)
		if labs.IsCode(err, labs.ENotFound) || err == nil && (parent.DocumentID != d.ID || parent.ParentID != "") {
			return labs.Errorf(labs.EInvalid, "parentId must be the first comment of a thread on this document.")
		} else if err != nil {
			return err
		}
		cm.ParentID, cm.SectionID, cm.From, cm.To, cm.Version = parent.ID, parent.SectionID, parent.From, parent.To, parent.Version
		// A reply is read by whoever reads its thread, no one else.
		if in.Audience != "" && in.Audience != d.AudienceLevel(parent.Audience) {
			return labs.Errorf(labs.EInvalid, "A reply has its thread's audience (%s).", d.AudienceLevel(parent.Audience))
		}
		cm.Audience = parent.Audience
	} else {
		if cm.Audience, err = s.audienceFor(c, "comment", d, in.Audience); err != nil {
			return err
		}
		if in.Version == nil {
			return labs.Errorf(labs.EInvalid, "version is required: the section version the range was made at.")
		}
		if in.From < 0 || in.To < in.From {
			return labs.Errorf(labs.EInvalid, "from and to must be a range: 0 <= from <= to.")
		}
		sec, ok := viewOf(c).Section(in.SectionID)
		if !ok {
			return labs.Errorf(labs.EInvalid, "sectionId names no section of this document.")
		}
		err := s.authority.Locate(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version}, *in.Version, []int{in.From, in.To},
			func(v int, m []int) { cm.Version, cm.From, cm.To = v, m[0], max(m[0], m[1]) })
		if errors.Is(err, realtime.ErrResync) {
			return labs.Errorf(labs.EConflict, "The section has moved on too far since version %d; reload it and comment again.", *in.Version).Because("section_moved")
		} else if err != nil {
			return err
		}
		cm.SectionID = sec.ID
	}
	if err := s.cfg.Store.CreateComment(ctx, cm); err != nil {
		return err
	}
	s.index.documentChanged(d.ID)
	return s.respondComment(c, d, cm, fiber.StatusCreated)
}

// respondComment tells the document's live subscribers and the writer
// about a new or changed comment, placed in the current text.
func (s *Server) respondComment(c *fiber.Ctx, d labs.Document, cm labs.Comment, status int) error {
	ctx := c.UserContext()
	names := s.namer(ctx, d.LabID)
	broadcast, err := s.placed(ctx, d, viewComment(d, cm, false, names), cm)
	if err != nil {
		return err
	}
	s.publishItem(ctx, d, cm.SectionID, "comment", d.AudienceLevel(cm.Audience), mustJSON(map[string]any{"type": "comment", "doc": d.ID,
		"comment": broadcast}))
	mine := broadcast
	mine.authored = viewAuthored(cm.AuthorID, cm.Anonymous, cm.Body, cm.Hidden, s.wrote(c, cm.AuthorID, cm.Anonymous, cm.ID), names)
	return c.Status(status).JSON(mine)
}

type commentUpdate struct {
	Body     *string `json:"body"`
	Resolved *bool   `json:"resolved"`
	Reason   *string `json:"reason"`
}

// editComment changes the text of one's own comment.
func (s *Server) editComment(c *fiber.Ctx) error {
	var in commentUpdate
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Body == nil {
		return labs.Errorf(labs.EInvalid, "body is required.")
	}
	if err := fieldLimit("body", *in.Body, 4*labs.MaxCommentLength); err != nil {
		return err
	}
	body, err := labs.ValidateBody(*in.Body, labs.MaxCommentLength)
	if err != nil {
		return err
	}
	return s.changeComment(c, func(cm *labs.Comment) { cm.Body = body })
}

// resolveComment marks a thread resolved or open again.
func (s *Server) resolveComment(c *fiber.Ctx) error {
	var in commentUpdate
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Resolved == nil {
		return labs.Errorf(labs.EInvalid, "resolved (true or false) is required.")
	}
	return s.changeComment(c, func(cm *labs.Comment) { cm.Resolved = *in.Resolved })
}

// hideComment is moderation: the comment stays, its text is withheld from
// everyone but its author, and the reason is shown and recorded.
func (s *Server) hideComment(c *fiber.Ctx) error {
	reason, err := hideReason(c)
	if err != nil {
		return err
	}
	acc := accountOf(c)
	now := s.cfg.Auth.Now()
	if err := s.changeComment(c, func(cm *labs.Comment) { cm.Hidden = labs.Hidden{Reason: reason, By: acc.ID, At: now} }); err != nil {
		return err
	}
	s.audit(c.UserContext(), documentOf(c).LabID, acc.ID, "comment.hide", c.Locals(localComment).(labs.Comment).ID,
		map[string]string{"reason": reason, "document": documentOf(c).ID})
	return nil
}

// unhideComment shows a hidden comment again: moderation can be undone,
// and the undoing is recorded as the hiding was.
func (s *Server) unhideComment(c *fiber.Ctx) error {
	if err := s.changeComment(c, func(cm *labs.Comment) { cm.Hidden = labs.Hidden{} }); err != nil {
		return err
	}
	s.audit(c.UserContext(), documentOf(c).LabID, accountOf(c).ID, "comment.unhide", c.Locals(localComment).(labs.Comment).ID,
		map[string]string{"document": documentOf(c).ID})
	return nil
}

func hideReason(c *fiber.Ctx) (string, error) {
	var in commentUpdate
	if err := decode(c, &in); err != nil {
		return "", err
	}
	if in.Reason == nil {
		return "", labs.Errorf(labs.EInvalid, "reason is required: say why this is hidden.")
	}
	if err := fieldLimit("reason", *in.Reason, 4*labs.MaxHideReasonLength); err != nil {
		return "", err
	}
	return labs.ValidateReason(*in.Reason)
}

func (s *Server) changeComment(c *fiber.Ctx, change func(*labs.Comment)) error {
	ctx := c.UserContext()
	cm := c.Locals(localComment).(labs.Comment)
	change(&cm)
	cm.UpdatedAt = s.cfg.Auth.Now()
	if err := s.cfg.Store.UpdateComment(ctx, cm); err != nil {
		return err
	}
	d := documentOf(c)
	s.index.documentChanged(d.ID)
	return s.respondComment(c, d, cm, fiber.StatusOK)
}

// deleteComment removes one's own comment. Replies to it stay: they are
// other people's words.
func (s *Server) deleteComment(c *fiber.Ctx) error {
	cm := c.Locals(localComment).(labs.Comment)
	if err := s.cfg.Store.DeleteComment(c.UserContext(), cm.ID); err != nil {
		return err
	}
	d := documentOf(c)
	s.index.documentChanged(d.ID)
	s.publishItem(c.UserContext(), d, cm.SectionID, "comment", d.AudienceLevel(cm.Audience),
		mustJSON(map[string]any{"type": "comment_deleted", "doc": cm.DocumentID, "comment": cm.ID}))
	return c.SendStatus(fiber.StatusNoContent)
}
