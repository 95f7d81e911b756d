package server

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/export"
	"github.com/linklab/linklab/realtime"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
)

type documentView struct {
	ID         string            `json:"id"`
	LabID      string            `json:"labId,omitempty"` // none for a synthesis
	Kind       labs.DocumentKind `json:"kind"`
	Template   string            `json:"template"`
	Title      string            `json:"title"`
	Visibility labs.Visibility   `json:"visibility"`
	Status     labs.Status       `json:"status,omitempty"`
	// Fields are a proposal's choice fields, listed so that a board of
	// proposals can be filtered without opening each one.
	Fields    map[string]string `json:"fields,omitempty"`
	UpdatedAt time.Time         `json:"updatedAt"`
	// Can says, in a listing of a lab's proposals, which moves the
	// reader may make, so a board offers only those.
	Can *moveCan `json:"can,omitempty"`
}

type moveCan struct {
	Advance bool `json:"advance"`
	Archive bool `json:"archive"`
}

func viewDocument(d labs.Document) documentView {
	return documentView{ID: d.ID, LabID: d.LabID, Kind: d.Kind, Template: d.Template, Title: d.Title,
		Visibility: d.Visibility, Status: d.Status, Fields: d.Fields, UpdatedAt: d.UpdatedAt}
}

// listDocuments lists the lab's documents the person may read.
func (s *Server) listDocuments(c *fiber.Ctx) error {
	sub, _, err := s.subjectIn(c.UserContext(), accountOf(c), labOf(c).ID)
	if err != nil {
		return err
	}
	return s.listReadable(c, labOf(c).ID, sub)
}

// listNetworkDocuments lists the partner network's syntheses the person
// may read, as listDocuments does a lab's.
func (s *Server) listNetworkDocuments(c *fiber.Ctx) error {
	return s.listReadable(c, "", networkSubject(accountOf(c)))
}

func (s *Server) listReadable(c *fiber.Ctx, labID string, sub policies.Subject) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	acc := accountOf(c)
	items, next, err := visiblePage(p,
		func(p labs.Page) ([]labs.Document, string, error) {
			return s.cfg.Store.ListDocuments(c.UserContext(), labID, p)
		},
		func(d labs.Document) string { return d.ID },
		func(d labs.Document) (bool, error) { return s.mayDocument(sub, acc, d, "read") })
	if err != nil {
		return err
	}
	out := make([]documentView, len(items))
	for i, d := range items {
		out[i] = viewDocument(d)
		if d.Kind != labs.KindProposal {
			continue
		}
		out[i].Can = &moveCan{}
		if out[i].Can.Advance, err = s.mayDocument(sub, acc, d, "advance"); err != nil {
			return err
		}
		if out[i].Can.Archive, err = s.mayDocument(sub, acc, d, "archive"); err != nil {
			return err
		}
	}
	return c.JSON(listBody[documentView]{Items: out, Next: next})
}

type createDocumentRequest struct {
	Template   string          `json:"template"`
	Title      string          `json:"title"`
	Visibility labs.Visibility `json:"visibility"`
	Members    []string        `json:"members"`
}

// createDocument makes a document of the lab from a template. The gate
// allowed a document at the lab's default level; a different level asked
// for is checked here.
func (s *Server) createDocument(c *fiber.Ctx) error {
	lab := labOf(c)
	sub, _, err := s.subjectIn(c.UserContext(), accountOf(c), lab.ID)
	if err != nil {
		return err
	}
	return s.newDocument(c, lab.ID, lab.DocumentLevel(), sub)
}

// oneBaseline refuses a second country baseline in a lab: a lab writes
// one baseline, and a new edition of it is a named version. (Two made at
// the very same moment both pass; the lab then removes one.)
func (s *Server) oneBaseline(ctx context.Context, labID string) error {
	errHave := labs.Errorf(labs.EConflict, "This lab has its country baseline already. To start a new edition, keep the current one as a named version (Versions) and write on.").Because("baseline_exists")
	return s.eachDocument(ctx, labID, func(d labs.Document) error {
		if d.Kind == labs.KindBaseline {
			return errHave
		}
		return nil
	})
}

// createSynthesis makes a synthesis in the partner network, shared with
// the partners unless asked otherwise.
func (s *Server) createSynthesis(c *fiber.Ctx) error {
	return s.newDocument(c, "", labs.VisPartners, networkSubject(accountOf(c)))
}

// newDocument creates a document in a lab, or in the partner network
// (labID ""), where only syntheses are written and only there.
func (s *Server) newDocument(c *fiber.Ctx, labID string, level labs.Visibility, sub policies.Subject) error {
	ctx := c.UserContext()
	var in createDocumentRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if labID == "" && in.Template == "" {
		in.Template = "synthesis"
	}
	tpl, err := content.LoadTemplate(in.Template)
	if err != nil {
		return err
	}
	switch {
	case labID != "" && tpl.Kind == labs.KindSynthesis:
		return labs.Errorf(labs.EInvalid, "Syntheses are written by partners across labs, not inside one lab: create them under /api/network/documents.")
	case labID == "" && tpl.Kind != labs.KindSynthesis:
		return labs.Errorf(labs.EInvalid, "The partner network holds syntheses only; a %s belongs to a lab.", tpl.Kind)
	}
	acc := accountOf(c)
	d := tpl.NewDocument(labID, acc.ID, level, s.cfg.Auth.Now())
	if in.Visibility != "" {
		d.Visibility = in.Visibility
	}
	if err := validLevel(d, d.Visibility); err != nil {
		return err
	}
	if d.Members, err = s.namedMembers(ctx, d, d.Visibility, in.Members); err != nil {
		return err
	}
	if in.Title != "" {
		if d.Title, err = validTitle("title", in.Title); err != nil {
			return err
		}
	} else if d.Kind == labs.KindProposal {
		return labs.Errorf(labs.EInvalid, "title is required: a proposal is known by what it proposes, in a few words.").Because("title_required")
	}
	if ok, err := s.mayDocument(sub, acc, d, "create"); err != nil {
		return err
	} else if !ok {
		return labs.Errorf(labs.EForbidden, "You may not create a document at the %s level.", d.Visibility)
	}
	if d.Kind == labs.KindBaseline {
		if err := s.oneBaseline(ctx, labID); err != nil {
			return err
		}
	}
	if err := s.cfg.Store.CreateDocument(ctx, d); err != nil {
		return err
	}
	s.index.documentChanged(d.ID)
	// A new document has no section kept from its author.
	return s.answerDocument(c.Status(fiber.StatusCreated), sub, d, d)
}

// validLevel checks a level asked for a document.
func validLevel(d labs.Document, v labs.Visibility) error {
	switch {
	case !v.Valid():
		return labs.Errorf(labs.EInvalid, "visibility must be one of private, restricted, lab, partners, network, public.")
	case !d.ValidLevel(v):
		return labs.Errorf(labs.EInvalid, "A synthesis belongs to no lab, so it cannot be lab-wide: choose private, restricted, partners, network or public.")
	}
	return nil
}

// namedMembers checks the people named on a restricted document: each
// must be a member of its lab, or, in the partner network, a partner.
// Other levels name nobody.
func (s *Server) namedMembers(ctx context.Context, d labs.Document, vis labs.Visibility, ids []string) ([]string, error) {
	if vis != labs.VisRestricted {
		if len(ids) > 0 {
			return nil, labs.Errorf(labs.EInvalid, "Only a restricted document names members; leave members out or choose restricted.")
		}
		return nil, nil
	}
	if len(ids) > labs.MaxNamedMembers {
		return nil, labs.Errorf(labs.ETooLarge, "A restricted document names at most %d members.", labs.MaxNamedMembers)
	}
	out := slices.Compact(slices.Sorted(slices.Values(ids)))
	for _, id := range out {
		if !labs.ValidID(id) {
			return nil, labs.Errorf(labs.EInvalid, "members must be account IDs.")
		}
		if d.InNetwork() {
			a, err := s.cfg.Store.Account(ctx, id)
			if labs.IsCode(err, labs.ENotFound) || (err == nil && a.PartnerOrgID == "") {
				return nil, labs.Errorf(labs.EInvalid, "Everyone named on a synthesis must be a national partner; %s is not.", id)
			} else if err != nil {
				return nil, err
			}
			continue
		}
		if _, err := s.cfg.Store.Membership(ctx, d.LabID, id); labs.IsCode(err, labs.ENotFound) {
			return nil, labs.Errorf(labs.EInvalid, "Everyone named must be a member of the lab; %s is not.", id)
		} else if err != nil {
			return nil, err
		}
	}
	return out, nil
}

type shareRequest struct {
	Visibility labs.Visibility `json:"visibility"`
	Members    []string        `json:"members"`
}

// shareDocument changes who may read a document. Leaving a level is a
// "share" at the old level and entering one a "share" at the new: a
// participant may not make a lab-wide document someone's private draft.
// The change is recorded, and live subscribers must subscribe again.
func (s *Server) shareDocument(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var in shareRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	before, acc := documentOf(c), accountOf(c)
	if err := validLevel(before, in.Visibility); err != nil {
		return err
	}
	members, err := s.namedMembers(ctx, before, in.Visibility, in.Members)
	if err != nil {
		return err
	}
	sub, err := s.subjectOf(ctx, acc, before)
	if err != nil {
		return err
	}
	next := before
	next.Visibility, next.Members = in.Visibility, members
	if ok, err := s.mayDocument(sub, acc, next, "share"); err != nil {
		return err
	} else if !ok {
		return labs.Errorf(labs.EForbidden, "You may not make this document %s.", in.Visibility)
	}
	var after labs.Document
	err = s.updateDocument(c, func(d *labs.Document) error {
		d.Visibility, d.Members = in.Visibility, members
		return nil
	}, &after)
	if err != nil {
		return err
	}
	s.accessChanged(after)
	s.audit(ctx, after.LabID, acc.ID, "document.visibility", after.ID, map[string]string{
		"from": string(before.Visibility), "to": string(after.Visibility), "named": strconv.Itoa(len(after.Members))})
	return s.showDocument(c, after)
}

type statusRequest struct {
	Status labs.Status `json:"status"`
}

// moveDocument moves a proposal to another stage of its lifecycle.
func (s *Server) moveDocument(c *fiber.Ctx) error {
	var in statusRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if documentOf(c).Kind != labs.KindProposal {
		return labs.Errorf(labs.EInvalid, "Only proposals have a lifecycle.")
	}
	if in.Status == labs.StatusArchived || documentOf(c).Status == labs.StatusArchived {
		// Shelving a proposal, or taking it back out, is its author's or a
		// facilitator's decision.
		ok, err := s.mayDocument(subjectOfRequest(c), accountOf(c), documentOf(c), "archive")
		if err != nil {
			return err
		} else if !ok {
			return labs.Errorf(labs.EForbidden, "Only the proposal's author or a facilitator archives it, or takes it out of the archive.").Because("archive_not_yours")
		}
	}
	var from labs.Status
	var after labs.Document
	err := s.updateDocument(c, func(d *labs.Document) error {
		if !labs.CanMove(d.Status, in.Status) {
			return labs.Errorf(labs.EConflict, "A proposal cannot move from %s to %q: one step forward or back, or to the archive.", d.Status, in.Status)
		}
		from, d.Status = d.Status, in.Status
		return nil
	}, &after)
	if err != nil {
		return err
	}
	s.audit(c.UserContext(), after.LabID, accountOf(c).ID, "document.status", after.ID,
		map[string]string{"from": string(from), "to": string(after.Status)})
	s.publishDocument(after)
	return s.showDocument(c, after)
}

// exportDocument returns the document as Markdown, as one self-contained
// printable HTML page or as a PDF, saying on every page which lab, which
// version, when and at which level; the current text, or a named
// version's (version=ID). Only the sections the reader may read. Exports
// are recorded.
func (s *Server) exportDocument(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d := viewOf(c)
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	sections, versionName, err := s.exportedSections(c, d)
	if err != nil {
		return err
	}
	if acc := accountOf(c); acc != nil {
		detail := map[string]string{"format": format}
		if v := c.Query("version"); v != "" {
			detail["version"] = v
		}
		s.audit(ctx, d.LabID, acc.ID, "document.export", d.ID, detail)
	}
	level := levelWords[d.Visibility]
	if d.InNetwork() && d.Visibility == labs.VisPartners {
		level = "Read by the national partners" // there is no lab
	}
	out := export.Doc{Title: d.Title, Banner: s.banner(ctx, d.LabID, versionName, level)}
	for _, sec := range sections {
		out.Parts = append(out.Parts, export.Part{Title: sec.Title, Level: 1, Markdown: sec.Text})
	}
	return s.sendExport(c, out, format, d.ID)
}

// banner is what an export says on every page: where it comes from, which
// version, who may read it and when it was exported.
func (s *Server) banner(ctx context.Context, labID, version, level string) string {
	where := "Partner network"
	if labID != "" {
		if l, err := s.cfg.Store.Lab(ctx, labID); err == nil {
			where = l.Title + " (" + l.Country + ")"
		}
	}
	return fmt.Sprintf("%s · %s · %s · exported %s", where, version, level, s.cfg.Auth.Now().UTC().Format("2 January 2006 15:04 UTC"))
}

// exportFormat reads the format of an export: markdown (or md), html or pdf.
func exportFormat(c *fiber.Ctx) (string, error) {
	switch f := c.Query("format", "markdown"); f {
	case "markdown", "md":
		return "markdown", nil
	case "html", "pdf":
		return f, nil
	}
	return "", labs.Errorf(labs.EInvalid, "format must be markdown, html or pdf.")
}

// sendExport sends an export in its format, named after name.
func (s *Server) sendExport(c *fiber.Ctx, d export.Doc, format, name string) error {
	switch format {
	case "html":
		page, err := export.HTML(d, s.markdown)
		if err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
		c.Set(fiber.HeaderContentDisposition, `inline; filename="`+name+`.html"`)
		return sendPage(c, page)
	case "pdf":
		var b bytes.Buffer
		if err := export.PDF(&b, d, s.markdown); err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
		c.Set(fiber.HeaderContentType, "application/pdf")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.pdf"`)
		return c.Send(b.Bytes())
	}
	c.Set(fiber.HeaderContentType, "text/markdown; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.md"`)
	return c.SendString(export.Markdown(d))
}

// levelWords says in words who may read an export, on every page.
var levelWords = map[labs.Visibility]string{
	labs.VisPrivate: "Read only by its author", labs.VisRestricted: "Read only by the people named on it",
	labs.VisLab: "Read only by this lab's members", labs.VisPartners: "Read by this lab and the national partners",
	labs.VisNetwork: "Read by everyone in the network", labs.VisPublic: "Public",
}

// exportedSections is what an export holds: the current text of the
// sections the reader may read, or those of a named version (that the
// reader may read today).
func (s *Server) exportedSections(c *fiber.Ctx, view labs.Document) ([]labs.VersionSection, string, error) {
	ctx := c.UserContext()
	id := c.Query("version")
	if id == "" {
		out := make([]labs.VersionSection, 0, len(view.Sections))
		for _, sec := range view.Sections {
			st, err := s.authority.Text(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version})
			if err != nil {
				return nil, "", err
			}
			out = append(out, labs.VersionSection{SectionID: sec.ID, Key: sec.Key, Title: sec.Title, Text: st.Text, Version: st.Version})
		}
		return out, "Current text", nil
	}
	if !labs.ValidID(id) {
		return nil, "", labs.Errorf(labs.EInvalid, "version must be a version's ID.")
	}
	v, err := s.cfg.Store.Version(ctx, id)
	if labs.IsCode(err, labs.ENotFound) || err == nil && v.DocumentID != view.ID {
		return nil, "", labs.Errorf(labs.ENotFound, "This document has no such version.")
	} else if err != nil {
		return nil, "", err
	}
	d := documentOf(c)
	var out []labs.VersionSection
	for _, sec := range v.Sections {
		ok, err := s.seesSection(subjectOfRequest(c), accountOf(c), d, view, sec.SectionID)
		if err != nil {
			return nil, "", err
		}
		if ok {
			out = append(out, sec)
		}
	}
	return out, "Version “" + v.Name + "”", nil
}

type templateView struct {
	Name     string                  `json:"name"`
	Version  int                     `json:"version"`
	Kind     labs.DocumentKind       `json:"kind"`
	Title    string                  `json:"title"`
	Sections []sectionView           `json:"sections"`
	Fields   []content.TemplateField `json:"fields"`
}

// listTemplates lists the templates a document can start from, with their
// sections and fields, so a client can show a proposal's form.
func (s *Server) listTemplates(c *fiber.Ctx) error {
	var out []templateView
	for _, name := range content.Templates() {
		t, err := content.LoadTemplate(name)
		if err != nil {
			return err
		}
		v := templateView{Name: t.Name, Version: t.Version, Kind: t.Kind, Title: t.Title, Fields: t.Fields}
		if v.Fields == nil {
			v.Fields = []content.TemplateField{}
		}
		for _, sec := range t.Sections {
			v.Sections = append(v.Sections, sectionView{Key: sec.Key, Title: sec.Title, Guidance: sec.Guidance})
		}
		out = append(out, v)
	}
	return c.JSON(listBody[templateView]{Items: out})
}

// deleteDocument removes a private draft at its author's request (the
// policy allows no one else, and no other level). Nobody else could read
// it, so nothing of anyone else's goes with it; should others have written
// in it all the same (it was shared, then made private again), it stays,
// and the author is told to archive or keep it instead.
func (s *Server) deleteDocument(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d := documentOf(c)
	others, err := s.othersWroteIn(c, d)
	if err != nil {
		return err
	}
	if others {
		return labs.Errorf(labs.EConflict, "Others have written in this draft, so it stays: share it again, or archive it if it is a proposal.").Because("draft_has_others")
	}
	if err := s.cfg.Store.DeleteDocument(ctx, d.ID); err != nil {
		return err
	}
	s.index.documentChanged(d.ID)
	s.accessChanged(d)
	// Not in the lab's activity log: the draft was its author's alone.
	s.log.InfoContext(ctx, "draft deleted", "document", d.ID, "by", accountOf(c).ID)
	return c.SendStatus(fiber.StatusNoContent)
}

// othersWroteIn reports whether anyone but the requester changed a
// section of d, commented on it or gave feedback on it.
func (s *Server) othersWroteIn(c *fiber.Ctx, d labs.Document) (bool, error) {
	ctx := c.UserContext()
	me := accountOf(c).ID
	for _, sec := range d.Sections {
		changes, err := s.cfg.Store.Changes(ctx, sec.ID, 0, math.MaxInt)
		if err != nil {
			return false, fmt.Errorf("changes of %s: %w", sec.ID, err)
		}
		for _, ch := range changes {
			if ch.AuthorID != me {
				return true, nil
			}
		}
	}
	others, err := anyOf(func(p labs.Page) ([]labs.Comment, string, error) { return s.cfg.Store.ListComments(ctx, d.ID, p) },
		func(cm labs.Comment) bool { return !s.wrote(c, cm.AuthorID, cm.Anonymous, cm.ID) })
	if err != nil || others || d.Kind != labs.KindProposal || d.LabID == "" {
		return others, err
	}
	return anyOf(func(p labs.Page) ([]labs.Feedback, string, error) {
		return s.cfg.Store.ListFeedback(ctx, d.LabID, labs.TargetProposal, d.ID, p)
	}, func(f labs.Feedback) bool { return !s.wrote(c, f.AuthorID, f.Anonymous, f.ID) })
}

// anyOf reports whether an item of a paged listing satisfies ok.
func anyOf[T any](fetch func(labs.Page) ([]T, string, error), ok func(T) bool) (bool, error) {
	for after := ""; ; {
		items, next, err := fetch(labs.Page{After: after, Limit: labs.MaxPageLimit})
		if err != nil {
			return false, err
		}
		if slices.ContainsFunc(items, ok) {
			return true, nil
		}
		if next == "" {
			return false, nil
		}
		after = next
	}
}
