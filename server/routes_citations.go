package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/textdiff"
)

// citationView is a citation as a reader of the synthesis sees it. The
// words as cited are part of the synthesis (its authors quoted them); the
// source, its words now and what changed only for a reader who may read
// the source's section today ("hidden" for the others).
type citationView struct {
	ID           string    `json:"id"`
	CitedQuote   string    `json:"citedQuote"`
	CitedVersion int       `json:"citedVersion"`
	CreatedAt    time.Time `json:"createdAt"`
	// Status is same, changed (the words differ now), gone (all deleted)
	// or hidden.
	Status       string   `json:"status"`
	SourceID     string   `json:"sourceId,omitempty"`
	SourceTitle  string   `json:"sourceTitle,omitempty"`
	Section      string   `json:"section,omitempty"`
	SectionTitle string   `json:"sectionTitle,omitempty"`
	Quote        string   `json:"quote,omitempty"`
	Diff         []diffOp `json:"diff,omitempty"`
}

// viewCitation places a citation in its source for the reader: the
// passage is mapped (and where it now is recorded) only when they may
// read the source's section.
func (s *Server) viewCitation(ctx context.Context, acc *labs.Account, cit labs.Citation) (citationView, error) {
	v := citationView{ID: cit.ID, CitedQuote: cit.CitedQuote, CitedVersion: cit.CitedVersion, CreatedAt: cit.CreatedAt, Status: "hidden"}
	src, view, ok, err := s.readableSource(ctx, acc, cit.SourceID, cit.Passage.SectionID)
	if err != nil || !ok {
		return v, err
	}
	p, err := s.placePassage(ctx, src, cit.Passage)
	if err != nil {
		return v, err
	}
	if p != cit.Passage {
		if err := s.cfg.Store.MoveCitation(ctx, cit.ID, p); err != nil && !labs.IsCode(err, labs.ENotFound) {
			return v, err
		}
	}
	sec, _ := view.Section(p.SectionID)
	v.SourceID, v.SourceTitle, v.Section, v.SectionTitle = src.ID, src.Title, sec.ID, sec.Title
	switch {
	case p.Orphaned:
		v.Status = "gone"
	case p.Quote == cit.CitedQuote:
		v.Status, v.Quote = "same", p.Quote
	default:
		v.Status, v.Quote = "changed", p.Quote
		for _, o := range textdiff.Words(cit.CitedQuote, p.Quote) {
			v.Diff = append(v.Diff, diffOp{Op: string("=-+"[o.Kind]), Text: o.Text})
		}
	}
	return v, nil
}

// readableSource loads a cited baseline and says whether acc may read the
// section now; the document and the reader's view of it when they may.
func (s *Server) readableSource(ctx context.Context, acc *labs.Account, id, section string) (labs.Document, labs.Document, bool, error) {
	d, err := s.docs.get(ctx, id)
	if labs.IsCode(err, labs.ENotFound) {
		return d, d, false, nil
	} else if err != nil {
		return d, d, false, err
	}
	sub, err := s.subjectOf(ctx, acc, d)
	if err != nil {
		return d, d, false, err
	}
	if ok, err := s.mayDocument(sub, acc, d, "read"); err != nil || !ok {
		return d, d, false, err
	}
	view, err := s.visibleSections(sub, acc, d)
	if err != nil {
		return d, d, false, err
	}
	ok, err := s.seesSection(sub, acc, d, view, section)
	return d, view, ok, err
}

// listCitations lists a synthesis's citations, each placed for the reader.
func (s *Server) listCitations(c *fiber.Ctx) error {
	ctx := c.UserContext()
	cits, err := s.cfg.Store.ListCitations(ctx, documentOf(c).ID)
	if err != nil {
		return err
	}
	out := make([]citationView, 0, len(cits))
	for _, cit := range cits {
		v, err := s.viewCitation(ctx, accountOf(c), cit)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return c.JSON(fiber.Map{"items": out})
}

type citationRequest struct {
	Source  string `json:"sourceId"`
	Section string `json:"sectionId"`
	From    int    `json:"from"`
	To      int    `json:"to"`
	Version int    `json:"version"`
}

// createCitation cites a passage of a baseline in a synthesis: whoever may
// write the synthesis, of words they may read, at a version of the
// section, kept as they are then.
func (s *Server) createCitation(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var in citationRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	d, acc := documentOf(c), accountOf(c)
	if d.Kind != labs.KindSynthesis {
		return labs.Errorf(labs.EInvalid, "Citations of baselines are made in syntheses.")
	}
	if !labs.ValidID(in.Source) {
		return labs.Errorf(labs.EInvalid, "sourceId must be the ID of the baseline cited.")
	}
	src, _, ok, err := s.readableSource(ctx, acc, in.Source, in.Section)
	if err != nil {
		return err
	}
	sec, exists := src.Section(in.Section)
	if !ok || !exists {
		return labs.Errorf(labs.ENotFound, "There is no such passage, or you cannot see it.")
	}
	if src.Kind != labs.KindBaseline {
		return labs.Errorf(labs.EInvalid, "Only baselines are cited.")
	}
	p, err := s.pinPassage(ctx, sec, in.Version, in.From, in.To, "cite", "cited")
	if err != nil {
		return err
	}
	now := s.cfg.Auth.Now()
	cit := labs.Citation{ID: labs.NewID(now), DocumentID: d.ID, SourceID: src.ID, SourceLabID: src.LabID, Passage: p, CreatedBy: acc.ID, CreatedAt: now}
	cit.CitedQuote, cit.CitedVersion = cit.Passage.Quote, cit.Passage.Version
	if err := s.cfg.Store.CreateCitation(ctx, cit); err != nil {
		return err
	}
	v, err := s.viewCitation(ctx, acc, cit)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// deleteCitation removes a citation (whoever may write the synthesis).
func (s *Server) deleteCitation(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := requireID(c, "citation", "a citation")
	if err != nil {
		return err
	}
	cit, err := s.cfg.Store.Citation(ctx, id)
	if labs.IsCode(err, labs.ENotFound) || err == nil && cit.DocumentID != documentOf(c).ID {
		return labs.Errorf(labs.ENotFound, "This document has no such citation.")
	} else if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteCitation(ctx, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
