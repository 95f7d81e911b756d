package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
)

// feedbackView is feedback as one reader sees it (see authored); a hidden
// item's rating is withheld with its text.
type feedbackView struct {
	ID       string              `json:"id"`
	Target   labs.FeedbackTarget `json:"target"`
	TargetID string              `json:"targetId"`
	authored
	// Audience is the level it is read at (see commentView).
	Audience  labs.Visibility `json:"audience"`
	Rating    int             `json:"rating"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

// feedbackLevel is the level feedback is read at: the lab's for feedback
// on the lab, its audience on its proposal otherwise.
func feedbackLevel(d *labs.Document, f labs.Feedback) labs.Visibility {
	if d == nil {
		return labs.VisLab
	}
	return d.AudienceLevel(f.Audience)
}

func viewFeedback(f labs.Feedback, level labs.Visibility, mine bool, name func(string) string) feedbackView {
	v := feedbackView{ID: f.ID, Target: f.Target, TargetID: f.TargetID, Rating: f.Rating, Audience: level,
		authored:  viewAuthored(f.AuthorID, f.Anonymous, f.Body, f.Hidden, mine, name),
		CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
	if v.Body == nil {
		v.Rating = 0
	}
	return v
}

// feedbackTarget resolves what feedback is about and checks the person may
// act on feedback there: the lab (level "lab"), or a proposal of the lab
// (its level, and the person's relation to it). Someone who may not read
// the proposal hears that it does not exist.
func (s *Server) feedbackTarget(ctx context.Context, c *fiber.Ctx, target labs.FeedbackTarget, targetID, act string) (*labs.Document, error) {
	lab, acc := labOf(c), accountOf(c)
	sub, _, err := s.subjectIn(ctx, acc, lab.ID)
	if err != nil {
		return nil, err
	}
	switch target {
	case labs.TargetLab:
		if targetID != "" && targetID != lab.ID {
			return nil, labs.Errorf(labs.EInvalid, "Feedback on the lab takes the lab's own ID as targetId, or none.")
		}
		ok, err := s.cfg.Enforcer.AllowedOn(sub, "feedback", act, labs.VisLab, policies.RelNone)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, hiddenOrForbidden(sub)
		}
		return nil, nil
	case labs.TargetProposal:
		if !labs.ValidID(targetID) {
			return nil, labs.Errorf(labs.EInvalid, "targetId must be the proposal's ID.")
		}
		d, err := s.cfg.Store.Document(ctx, targetID)
		if labs.IsCode(err, labs.ENotFound) || err == nil && d.LabID != lab.ID {
			return nil, errNoDocument
		} else if err != nil {
			return nil, err
		}
		if ok, err := s.mayDocument(sub, acc, d, "read"); err != nil {
			return nil, err
		} else if !ok {
			return nil, errNoDocument
		}
		if d.Kind != labs.KindProposal {
			return nil, labs.Errorf(labs.EInvalid, "Feedback with target proposal must name a proposal.")
		}
		ok, err := s.cfg.Enforcer.AllowedOn(sub, "feedback", act, d.Visibility, relationTo(acc, d))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, hiddenOrForbidden(sub)
		}
		return &d, nil
	case labs.TargetSession:
		return nil, labs.Errorf(labs.EInvalid, "Feedback on a session is given once live sessions exist; give it on the lab or a proposal.")
	}
	return nil, labs.Errorf(labs.EInvalid, "target must be lab or proposal.")
}

func hiddenOrForbidden(sub policies.Subject) error {
	if sub.LabRole == "" {
		return errNoLab
	}
	return labs.Errorf(labs.EForbidden, "You do not have permission to do this.")
}

// listFeedback lists the feedback on the lab or one of its proposals,
// oldest first.
func (s *Server) listFeedback(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	target, targetID := labs.FeedbackTarget(c.Query("target", "lab")), c.Query("targetId")
	if target == labs.TargetLab {
		targetID = labOf(c).ID
	}
	d, err := s.feedbackTarget(ctx, c, target, targetID, "read")
	if err != nil {
		return err
	}
	sub, acc := subjectOfRequest(c), accountOf(c)
	items, next, err := visiblePage(p,
		func(p labs.Page) ([]labs.Feedback, string, error) {
			return s.cfg.Store.ListFeedback(ctx, labOf(c).ID, target, targetID, p)
		},
		func(f labs.Feedback) string { return f.ID },
		func(f labs.Feedback) (bool, error) {
			if d == nil {
				return true, nil // feedback on the lab: the target check decided
			}
			return s.readsItem(sub, acc, *d, "feedback", feedbackLevel(d, f))
		})
	if err != nil {
		return err
	}
	names := s.namer(ctx, labOf(c).ID)
	return c.JSON(list(items, next, func(f labs.Feedback) feedbackView {
		return viewFeedback(f, feedbackLevel(d, f), s.wrote(c, f.AuthorID, f.Anonymous, f.ID), names)
	}))
}

type feedbackRequest struct {
	Target    labs.FeedbackTarget `json:"target"`
	TargetID  string              `json:"targetId"`
	Rating    *int                `json:"rating"`
	Body      *string             `json:"body"`
	Anonymous bool                `json:"anonymous"`
	Reason    *string             `json:"reason"`
	// Audience is who may read feedback on a proposal; empty for the lab.
	Audience labs.Visibility `json:"audience"`
}

func ratingAndBody(in feedbackRequest) (int, string, error) {
	if in.Rating == nil || *in.Rating < labs.MinRating || *in.Rating > labs.MaxRating {
		return 0, "", labs.Errorf(labs.EInvalid, "rating must be a whole number from %d to %d.", labs.MinRating, labs.MaxRating)
	}
	if in.Body == nil {
		return 0, "", labs.Errorf(labs.EInvalid, "body is required.")
	}
	if err := fieldLimit("body", *in.Body, 4*labs.MaxFeedbackLength); err != nil {
		return 0, "", err
	}
	body, err := labs.ValidateBody(*in.Body, labs.MaxFeedbackLength)
	return *in.Rating, body, err
}

// createFeedback gives feedback, by name or anonymously.
func (s *Server) createFeedback(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var in feedbackRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	lab, acc := labOf(c), accountOf(c)
	if in.Target == labs.TargetLab || in.Target == "" {
		in.Target, in.TargetID = labs.TargetLab, lab.ID
	}
	d, err := s.feedbackTarget(ctx, c, in.Target, in.TargetID, "create")
	if err != nil {
		return err
	}
	rating, body, err := ratingAndBody(in)
	if err != nil {
		return err
	}
	now := s.cfg.Auth.Now()
	f := labs.Feedback{ID: labs.NewID(now), LabID: lab.ID, Target: in.Target, TargetID: in.TargetID,
		Anonymous: in.Anonymous, Rating: rating, Body: body, CreatedAt: now, UpdatedAt: now}
	f.AuthorID = s.authorOfNew(c, acc, f.ID, f.Anonymous)
	switch {
	case d != nil:
		if f.Audience, err = s.audienceFor(c, "feedback", *d, in.Audience); err != nil {
			return err
		}
	case in.Audience != "" && in.Audience != labs.VisLab:
		return labs.Errorf(labs.EInvalid, "Feedback on the lab is for the lab: its audience is lab.")
	}
	if err := s.cfg.Store.CreateFeedback(ctx, f); err != nil {
		return err
	}
	s.publishFeedback(ctx, d, f)
	return c.Status(fiber.StatusCreated).JSON(viewFeedback(f, feedbackLevel(d, f), true, s.namer(ctx, lab.ID)))
}

// publishFeedback tells a proposal's live subscribers about feedback on it.
func (s *Server) publishFeedback(ctx context.Context, d *labs.Document, f labs.Feedback) {
	if d == nil {
		return
	}
	level := feedbackLevel(d, f)
	s.publishItem(ctx, *d, "", "feedback", level, mustJSON(map[string]any{"type": "feedback", "doc": d.ID,
		"feedback": viewFeedback(f, level, false, s.namer(ctx, d.LabID))}))
}

func (s *Server) feedbackDocument(c *fiber.Ctx) *labs.Document {
	if d, ok := c.Locals(localDocument).(labs.Document); ok {
		return &d
	}
	return nil
}

// editFeedback changes one's own rating and text.
func (s *Server) editFeedback(c *fiber.Ctx) error {
	var in feedbackRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	rating, body, err := ratingAndBody(in)
	if err != nil {
		return err
	}
	return s.changeFeedback(c, func(f *labs.Feedback) { f.Rating, f.Body = rating, body })
}

// hideFeedback is moderation, as for comments.
func (s *Server) hideFeedback(c *fiber.Ctx) error {
	reason, err := hideReason(c)
	if err != nil {
		return err
	}
	acc := accountOf(c)
	now := s.cfg.Auth.Now()
	if err := s.changeFeedback(c, func(f *labs.Feedback) { f.Hidden = labs.Hidden{Reason: reason, By: acc.ID, At: now} }); err != nil {
		return err
	}
	f := c.Locals(localFeedback).(labs.Feedback)
	s.audit(c.UserContext(), f.LabID, acc.ID, "feedback.hide", f.ID, feedbackPlace(f, map[string]string{"reason": reason}))
	return nil
}

// unhideFeedback shows hidden feedback again, recorded like the hiding.
func (s *Server) unhideFeedback(c *fiber.Ctx) error {
	if err := s.changeFeedback(c, func(f *labs.Feedback) { f.Hidden = labs.Hidden{} }); err != nil {
		return err
	}
	f := c.Locals(localFeedback).(labs.Feedback)
	s.audit(c.UserContext(), f.LabID, accountOf(c).ID, "feedback.unhide", f.ID, feedbackPlace(f, map[string]string{}))
	return nil
}

// feedbackPlace adds to an audit entry's detail where the feedback is, so
// the moderation log can still tell who may read the entry once the
// feedback is deleted.
func feedbackPlace(f labs.Feedback, detail map[string]string) map[string]string {
	detail["target"] = string(f.Target)
	if f.Target == labs.TargetProposal {
		detail["document"] = f.TargetID
	}
	return detail
}

func (s *Server) changeFeedback(c *fiber.Ctx, change func(*labs.Feedback)) error {
	ctx := c.UserContext()
	f := c.Locals(localFeedback).(labs.Feedback)
	change(&f)
	f.UpdatedAt = s.cfg.Auth.Now()
	if err := s.cfg.Store.UpdateFeedback(ctx, f); err != nil {
		return err
	}
	d := s.feedbackDocument(c)
	s.publishFeedback(ctx, d, f)
	return c.JSON(viewFeedback(f, feedbackLevel(d, f), s.wrote(c, f.AuthorID, f.Anonymous, f.ID), s.namer(ctx, f.LabID)))
}

// deleteFeedback removes one's own feedback.
func (s *Server) deleteFeedback(c *fiber.Ctx) error {
	f := c.Locals(localFeedback).(labs.Feedback)
	if err := s.cfg.Store.DeleteFeedback(c.UserContext(), f.ID); err != nil {
		return err
	}
	if d := s.feedbackDocument(c); d != nil {
		s.publishItem(c.UserContext(), *d, "", "feedback", feedbackLevel(d, f),
			mustJSON(map[string]any{"type": "feedback_deleted", "doc": d.ID, "feedback": f.ID}))
	}
	return c.SendStatus(fiber.StatusNoContent)
}
