package server

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/content"
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
	switch c.Query("format", "md") {
	case "md":
		c.Set(fiber.HeaderContentType, "text/markdown; charset=utf-8")
		c.Set("X-Report-Document", doc)
		return c.SendString("# " + w.Title + "\n\n" + md)
	case "html":
		body, err := s.markdown.Render(md)
		if err != nil {
			return err
		}
		c.Set("X-Report-Document", doc)
		return sendPage(c, w.Title, "", body)
	}
	return labs.Errorf(labs.EInvalid, "format must be md or html.")
}

// sendPage sends a self-contained HTML page (its own style; nothing else
// loads): title, then body, which must be sanitized HTML. A banner, when
// given, is repeated at the top of every printed page.
func sendPage(c *fiber.Ctx, title, banner, body string) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	page := `<main><h1>` + html.EscapeString(title) + `</h1>` + body + `</main>`
	if banner != "" {
		// A table's head is repeated on every printed page by browsers.
		page = `<table class="page" role="presentation"><thead><tr><td><div class="banner">` + html.EscapeString(banner) +
			`</div></td></tr></thead><tbody><tr><td>` + page + `</td></tr></tbody></table>`
	}
	return c.SendString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>` + html.EscapeString(title) + `</title><style>` + reportCSS + `</style></head><body>` + page + `</body></html>`)
}

// reportCSS makes the HTML report readable on a phone and printable.
var reportCSS = strings.Join([]string{
	"body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b}",
	"main{max-width:50rem;margin:auto;padding:1rem}",
	"table{border-collapse:collapse;display:block;overflow-x:auto;margin:1rem 0}",
	"th,td{border:1px solid #888;padding:.25rem .5rem;text-align:left}",
	".banner{font-size:.85rem;color:#333;border-bottom:1px solid #888;padding:.5rem 1rem}",
	"table.page,table.page>*>tr>td{display:table;border:0;padding:0;margin:0;width:100%}table.page>*>tr>td{display:table-cell}",
	"@media print{main{max-width:none}table{display:table}}",
}, "")
