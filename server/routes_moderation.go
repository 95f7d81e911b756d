package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
)

// moderationView is one act of moderation as every member reads it: what
// was hidden (or shown again), where, when, why and by whom. It never
// carries the item's text or its author.
type moderationView struct {
	ID       string    `json:"id"`
	Action   string    `json:"action"`
	Kind     string    `json:"kind"` // comment, feedback, idea
	Item     string    `json:"item"`
	By       string    `json:"by"`
	Reason   string    `json:"reason,omitempty"`
	At       time.Time `json:"at"`
	Document *placeRef `json:"document"`
	Workshop *placeRef `json:"workshop"`
}

type placeRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type moderationAt struct {
	doc      *labs.Document
	workshop *labs.Workshop
}

// listModeration returns the lab's moderation log, oldest first: every
// member reads it, and each reads the acts on items they may read (an act
// on a comment in a document kept from them is left out, as the comment is).
func (s *Server) listModeration(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	lab, acc := labOf(c), accountOf(c)
	sub, _, err := s.subjectIn(ctx, acc, lab.ID)
	if err != nil {
		return err
	}
	places := map[string]moderationAt{}
	items, next, err := visiblePage(p,
		func(p labs.Page) ([]labs.AuditEntry, string, error) {
			return s.cfg.Store.ListAuditActions(ctx, lab.ID, labs.ModerationActions, p)
		},
		func(e labs.AuditEntry) string { return e.ID },
		func(e labs.AuditEntry) (bool, error) {
			at, ok, err := s.moderatedPlace(ctx, sub, acc, lab.ID, e)
			places[e.ID] = at
			return ok, err
		})
	if err != nil {
		return err
	}
	names := s.namer(ctx, lab.ID)
	return c.JSON(list(items, next, func(e labs.AuditEntry) moderationView {
		v := moderationView{ID: e.ID, Action: e.Action, Item: e.Object, By: names(e.ActorID), Reason: e.Detail["reason"], At: e.At}
		v.Kind, _, _ = strings.Cut(e.Action, ".")
		if at := places[e.ID]; at.doc != nil {
			v.Document = &placeRef{ID: at.doc.ID, Title: at.doc.Title}
		} else if at.workshop != nil {
			v.Workshop = &placeRef{ID: at.workshop.ID, Title: at.workshop.Title}
		}
		return v
	}))
}

// moderatedPlace finds where a moderated item is (or was) and whether the
// reader may read it there. An item deleted since by its author is judged
// by where it was: its document, as read by the fewest.
func (s *Server) moderatedPlace(ctx context.Context, sub policies.Subject, acc *labs.Account, labID string, e labs.AuditEntry) (moderationAt, bool, error) {
	kind, _, _ := strings.Cut(e.Action, ".")
	switch kind {
	case "comment":
		cm, err := s.cfg.Store.Comment(ctx, e.Object)
		docID, level, section := e.Detail["document"], labs.Visibility(""), ""
		if err == nil {
			docID, section = cm.DocumentID, cm.SectionID
		} else if !labs.IsCode(err, labs.ENotFound) {
			return moderationAt{}, false, fmt.Errorf("moderation log: load comment %s: %w", e.Object, err)
		}
		d, ok, err := s.moderatedDoc(ctx, labID, docID)
		if !ok || err != nil {
			return moderationAt{}, false, err
		}
		if cm.ID != "" {
			level = d.AudienceLevel(cm.Audience)
		}
		return s.readsModerated(sub, acc, d, "comment", level, &section)
	case "feedback":
		f, err := s.cfg.Store.Feedback(ctx, e.Object)
		target, docID := labs.FeedbackTarget(e.Detail["target"]), e.Detail["document"]
		if err == nil {
			target, docID = f.Target, ""
			if f.Target == labs.TargetProposal {
				docID = f.TargetID
			}
		} else if !labs.IsCode(err, labs.ENotFound) {
			return moderationAt{}, false, fmt.Errorf("moderation log: load feedback %s: %w", e.Object, err)
		}
		if target == labs.TargetLab {
			ok, err := s.cfg.Enforcer.AllowedOn(sub, "feedback", "read", labs.VisLab, policies.RelNone)
			return moderationAt{}, ok, err
		}
		d, ok, err := s.moderatedDoc(ctx, labID, docID)
		if !ok || err != nil {
			return moderationAt{}, false, err
		}
		level := labs.Visibility("")
		if f.ID != "" {
			level = feedbackLevel(&d, f)
		}
		return s.readsModerated(sub, acc, d, "feedback", level, nil)
	case "idea":
		w, err := s.cfg.Store.Workshop(ctx, e.Detail["workshop"])
		if labs.IsCode(err, labs.ENotFound) || err == nil && w.LabID != labID {
			return moderationAt{}, false, nil
		} else if err != nil {
			return moderationAt{}, false, fmt.Errorf("moderation log: load workshop %s: %w", e.Detail["workshop"], err)
		}
		ok, err := s.cfg.Enforcer.AllowedOn(sub, "workshop", "read", "", policies.RelNone)
		return moderationAt{workshop: &w}, ok, err
	}
	return moderationAt{}, false, nil
}

// moderatedDoc loads the document of a moderated item, if it is the lab's.
func (s *Server) moderatedDoc(ctx context.Context, labID, id string) (labs.Document, bool, error) {
	if !labs.ValidID(id) {
		return labs.Document{}, false, nil
	}
	d, err := s.cfg.Store.Document(ctx, id)
	if labs.IsCode(err, labs.ENotFound) || err == nil && d.LabID != labID {
		return d, false, nil
	} else if err != nil {
		return d, false, fmt.Errorf("moderation log: load document %s: %w", id, err)
	}
	return d, true, nil
}

// readsModerated decides whether the reader reads a moderated item of kind
// obj on d at level ("" when the item is gone: the document's own) and,
// for a comment, in its section (section "" when the comment is gone:
// judged as in a section kept to the fewest).
func (s *Server) readsModerated(sub policies.Subject, acc *labs.Account, d labs.Document, obj string, level labs.Visibility, section *string) (moderationAt, bool, error) {
	if level == "" {
		level = d.Visibility
	}
	ok, err := s.readsItem(sub, acc, d, obj, level)
	if ok && err == nil && section != nil {
		var view labs.Document
		if view, err = s.visibleSections(sub, acc, d); err == nil {
			ok, err = s.seesSection(sub, acc, d, view, *section)
		}
	}
	if !ok || err != nil {
		return moderationAt{}, false, err
	}
	return moderationAt{doc: &d}, true, nil
}
