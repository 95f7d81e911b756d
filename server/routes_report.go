package server

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/export"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/report"
)

// reportMarkdown builds the session report of a workshop from the room's
// log, the votes and the balance.
func (s *Server) reportMarkdown(ctx context.Context, w labs.Workshop) (string, labs.Room, error) {
	nb, err := s.balance(ctx, w)
	if err != nil {
		return "", labs.Room{}, err
	}
	votes, err := s.cfg.Store.ListVotes(ctx, w.ID)
	if err != nil {
		return "", labs.Room{}, err
	}
	name := func(account string) string {
		if p, ok := nb.room.Present[account]; ok {
			return p.Name
		}
		if m, err := s.cfg.Store.Membership(ctx, w.LabID, account); err == nil {
			return m.DisplayName
		}
		return "a former member"
	}
	return report.Markdown(report.Input{Workshop: w, Room: nb.room, Votes: votes, Balance: nb.Balance, Name: name}), nb.room, nil
}

// writeReport writes an ended workshop's report as a lab document (notes,
// at the lab's default level), once: the room's log records it.
func (s *Server) writeReport(ctx context.Context, w labs.Workshop) (string, error) {
	md, r, err := s.reportMarkdown(ctx, w)
	if err != nil {
		return "", err
	}
	if r.Report != "" {
		return r.Report, nil
	}
	tpl, err := content.LoadTemplate("notes")
	if err != nil {
		return "", err
	}
	lab, err := s.cfg.Store.Lab(ctx, w.LabID)
	if err != nil {
		return "", err
	}
	d := tpl.NewDocument(w.LabID, w.CreatedBy, lab.DocumentLevel(), s.cfg.Auth.Now())
	d.Title = truncateRunes("Report: "+w.Title, labs.MaxWorkshopTitleRune)
	d.Sections[0].Title, d.Sections[0].Text = "Session report", md
	if err := s.cfg.Store.CreateDocument(ctx, d); err != nil {
		return "", err
	}
	s.index.documentChanged(d.ID)
	r, err = s.act(ctx, w, func(r labs.Room) ([]labs.RoomEvent, error) {
		if r.Report != "" { // written meanwhile by another request
			return nil, nil
		}
		return []labs.RoomEvent{{Kind: labs.RoomReport, Document: d.ID}}, nil
	})
	if err != nil {
		return "", fmt.Errorf("record the report of %s: %w", w.ID, err)
	}
	s.audit(ctx, w.LabID, "", "workshop.report", w.ID, map[string]string{"document": r.Report})
	return r.Report, nil
}

// getReport returns the session report: Markdown, or a self-contained
// HTML page (format=html), with the document it was written to. Members
// read it once the workshop has ended; the facilitator also before, as a
// preview.
func (s *Server) getReport(c *fiber.Ctx) error {
	w, ctx := workshopOf(c), c.UserContext()
	runs, err := s.may(c, "workshop", "run")
	if err != nil {
		return err
	}
	if w.Status != labs.WorkshopEnded && !runs {
		return labs.Errorf(labs.EConflict, "The report is written when the workshop ends.")
	}
	doc := ""
	if w.Status == labs.WorkshopEnded {
		if doc, err = s.writeReport(ctx, w); err != nil {
			return err
		}
	}
	md, _, err := s.reportMarkdown(ctx, w)
	if err != nil {
		return err
	}
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	if format != "markdown" {
		s.audit(ctx, w.LabID, accountOf(c).ID, "report.export", w.ID, map[string]string{"format": format})
	}
	lab := labOf(c)
	c.Set("X-Report-Document", doc)
	state := "Session report"
	if w.Status != labs.WorkshopEnded {
		state = "Preview of the session report (the workshop has not ended)"
	}
	out := export.Doc{Title: w.Title, Banner: s.banner(ctx, w.LabID, state, levelWords[lab.DocumentLevel()]),
		Parts: []export.Part{{Title: "Session report", Level: 1, Markdown: md}}}
	return s.sendExport(c, out, format, w.ID)
}

// sendPage sends a self-contained HTML page: its own style, nothing else
// loaded, no script allowed.
func sendPage(c *fiber.Ctx, page string) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	return c.SendString(page)
}
