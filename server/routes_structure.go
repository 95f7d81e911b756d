package server

import (
	"maps"
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
)

type sectionView struct {
	ID       string `json:"id"`
	Key      string `json:"key"`
	Title    string `json:"title"`
	Guidance string `json:"guidance,omitempty"`
	// Visibility is the section's own level when it is kept to fewer
	// people than the document.
	Visibility labs.Visibility `json:"visibility,omitempty"`
}

type documentDetail struct {
	documentView
	Revision int               `json:"revision"`
	Sections []sectionView     `json:"sections"`
	Members  []string          `json:"members"`
	Fields   map[string]string `json:"fields"`
	LogicMap labs.LogicMap     `json:"logicMap"`
	Can      documentCan       `json:"can"`
}

// documentCan says what the requester may do with a document, as the
// enforcer decides it, so the app offers only what will be accepted (a
// partner co-writing a synthesis, a facilitator moderating) without
// keeping a copy of the policy.
type documentCan struct {
	Write    bool `json:"write"`
	Advance  bool `json:"advance"`
	Archive  bool `json:"archive"`
	Delete   bool `json:"delete"`
	Share    bool `json:"share"`
	Comment  bool `json:"comment"`
	Feedback bool `json:"feedback"`
	Moderate bool `json:"moderate"`
}

// detail is view (d as the requester may see it) with what they may do.
func (s *Server) detail(c *fiber.Ctx, sub policies.Subject, d, view labs.Document) (documentDetail, error) {
	out := viewDocumentDetail(view)
	rel := relationTo(accountOf(c), d)
	for _, q := range []struct {
		obj, act string
		into     *bool
	}{
		{"document", "write", &out.Can.Write}, {"document", "advance", &out.Can.Advance}, {"document", "archive", &out.Can.Archive},
		{"document", "delete", &out.Can.Delete}, {"document", "share", &out.Can.Share},
		{"comment", "create", &out.Can.Comment}, {"feedback", "create", &out.Can.Feedback}, {"comment", "hide", &out.Can.Moderate},
	} {
		var err error
		if *q.into, err = s.cfg.Enforcer.AllowedOn(sub, q.obj, q.act, d.Visibility, rel); err != nil {
			return documentDetail{}, err
		}
	}
	return out, nil
}

func viewDocumentDetail(d labs.Document) documentDetail {
	out := documentDetail{documentView: viewDocument(d), Revision: d.Revision, Sections: make([]sectionView, len(d.Sections)),
		Members: d.Members, Fields: d.Fields, LogicMap: d.LogicMap}
	if out.Members == nil {
		out.Members = []string{}
	}
	if out.Fields == nil {
		out.Fields = map[string]string{}
	}
	for i, s := range d.Sections {
		out.Sections[i] = sectionView{ID: s.ID, Key: s.Key, Title: s.Title, Guidance: s.Guidance}
		if d.Narrowed(s) {
			out.Sections[i].Visibility = d.SectionLevel(s)
		}
	}
	return out
}

// getDocument returns a document's title and sections; their texts come
// over the real-time connection.
// The gate has already worked out which sections the requester sees.
func (s *Server) getDocument(c *fiber.Ctx) error {
	return s.answerDocument(c, subjectOfRequest(c), documentOf(c), viewOf(c))
}

// showDocument answers with d, changed by this request, as the requester
// may see it.
func (s *Server) showDocument(c *fiber.Ctx, d labs.Document) error {
	sub := subjectOfRequest(c)
	view, err := s.visibleSections(sub, accountOf(c), d)
	if err != nil {
		return err
	}
	return s.answerDocument(c, sub, d, view)
}

func (s *Server) answerDocument(c *fiber.Ctx, sub policies.Subject, d, view labs.Document) error {
	out, err := s.detail(c, sub, d, view)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func validTitle(what, t string) (string, error) {
	if err := fieldLimit(what, t, 4*labs.MaxSectionTitleLength); err != nil {
		return "", err
	}
	t, err := labs.ValidateDisplayName(t) // the same rules: trimmed, no control characters
	if err != nil || len([]rune(t)) > labs.MaxSectionTitleLength {
		return "", labs.Errorf(labs.EInvalid, "A %s is 1 to %d characters without control characters.", what, labs.MaxSectionTitleLength)
	}
	return t, nil
}

// restructure applies edit to the document, stores it and tells everyone
// subscribed: with a document event, or, when the edit changed who reads
// one of its sections, by cutting them off so that each subscribes again
// and is told which sections it now reads.
func (s *Server) restructure(c *fiber.Ctx, edit func(d *labs.Document) error) (labs.Document, error) {
	var d labs.Document
	if err := s.updateDocument(c, edit, &d); err != nil {
		return d, err
	}
	if maps.Equal(narrowedLevels(documentOf(c)), narrowedLevels(d)) {
		s.publishDocument(d)
	} else {
		s.accessChanged(d)
	}
	return d, nil
}

// reshape restructures the document and answers with it as the requester
// sees it.
func (s *Server) reshape(c *fiber.Ctx, edit func(d *labs.Document) error) error {
	d, err := s.restructure(c, edit)
	if err != nil {
		return err
	}
	return s.showDocument(c, d)
}

// narrowedLevels maps each section read by fewer people than its document
// to its level.
func narrowedLevels(d labs.Document) map[string]labs.Visibility {
	out := map[string]labs.Visibility{}
	for _, sec := range d.Sections {
		if d.Narrowed(sec) {
			out[sec.ID] = d.SectionLevel(sec)
		}
	}
	return out
}

// updateDocument applies edit to the request's document and stores it,
// reloading and trying again when someone else changed it meanwhile; out
// receives the stored result.
func (s *Server) updateDocument(c *fiber.Ctx, edit func(d *labs.Document) error, out *labs.Document) error {
	ctx := c.UserContext()
	d := documentOf(c)
	// The edit works on its own copy of the sections: the request's
	// document stays as it was read, to compare with.
	d.Sections = slices.Clone(d.Sections)
	for attempt := 0; ; attempt++ {
		if err := edit(&d); err != nil {
			return err
		}
		d.UpdatedAt = s.cfg.Auth.Now()
		err := s.cfg.Store.UpdateDocument(ctx, d)
		if err == nil {
			break
		}
		// Document edits are rare and short: a few concurrent ones settle
		// well within ten tries.
		if !labs.IsCode(err, labs.EConflict) || attempt == 9 {
			return err
		}
		if d, err = s.cfg.Store.Document(ctx, d.ID); err != nil {
			return err
		}
	}
	s.docs.forget(d.ID)
	s.index.documentChanged(d.ID)
	stored, err := s.cfg.Store.Document(ctx, d.ID)
	if err != nil {
		return err
	}
	*out = stored
	return nil
}

type documentRequest struct {
	Title    *string           `json:"title"`
	Fields   map[string]string `json:"fields"`
	LogicMap *labs.LogicMap    `json:"logicMap"`
}

// patchDocument changes a document's title, its template's choice fields
// (a value "" clears one) or its logic map (replaced whole).
func (s *Server) patchDocument(c *fiber.Ctx) error {
	var in documentRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Title == nil && in.Fields == nil && in.LogicMap == nil {
		return labs.Errorf(labs.EInvalid, "Send title, fields or logicMap.")
	}
	var title string
	if in.Title != nil {
		var err error
		if title, err = validTitle("title", *in.Title); err != nil {
			return err
		}
	}
	doc := documentOf(c)
	if (in.Fields != nil || in.LogicMap != nil) && doc.Kind != labs.KindProposal {
		return labs.Errorf(labs.EInvalid, "Only proposals have fields and a logic map.")
	}
	var tpl content.Template
	if in.Fields != nil {
		var err error
		if tpl, err = content.LoadTemplate(doc.Template); err != nil {
			return err
		}
	}
	if in.LogicMap != nil {
		if err := in.LogicMap.Validate(); err != nil {
			return err
		}
	}
	return s.reshape(c, func(d *labs.Document) error {
		if in.Title != nil {
			d.Title = title
		}
		if in.Fields != nil {
			merged, err := tpl.MergeFields(d.Fields, in.Fields)
			if err != nil {
				return err
			}
			d.Fields = merged
		}
		if in.LogicMap != nil {
			d.LogicMap = *in.LogicMap
		}
		return nil
	})
}

type sectionRequest struct {
	Title *string `json:"title"`
	// Visibility keeps the section to fewer people than the document; ""
	// makes it follow the document again.
	Visibility *labs.Visibility `json:"visibility"`
	// After places the section after the one with this ID; "" puts it first.
	After *string `json:"after"`
}

func indexOf(d *labs.Document, id string) int {
	return slices.IndexFunc(d.Sections, func(s labs.Section) bool { return s.ID == id })
}

// place inserts sec after the section named by after ("" = first).
func place(d *labs.Document, sec labs.Section, after string) error {
	at := 0
	if after != "" {
		i := indexOf(d, after)
		if i < 0 {
			return labs.Errorf(labs.EInvalid, "after names no section of this document.")
		}
		at = i + 1
	}
	d.Sections = slices.Insert(d.Sections, at, sec)
	return nil
}

func (s *Server) addSection(c *fiber.Ctx) error {
	var in sectionRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Title == nil {
		return labs.Errorf(labs.EInvalid, "title is required.")
	}
	title, err := validTitle("section title", *in.Title)
	if err != nil {
		return err
	}
	after := ""
	if in.After != nil {
		after = *in.After
		if _, ok := viewOf(c).Section(after); !ok && after != "" {
			return labs.Errorf(labs.EInvalid, "after names no section of this document.")
		}
	} else if n := len(documentOf(c).Sections); n > 0 {
		after = documentOf(c).Sections[n-1].ID
	}
	sec := labs.Section{ID: labs.NewID(s.cfg.Auth.Now()), Title: title}
	if in.Visibility != nil {
		if err := s.mayNarrow(c, documentOf(c), *in.Visibility); err != nil {
			return err
		}
		sec.Visibility = *in.Visibility
	}
	return s.reshape(c, func(d *labs.Document) error {
		if len(d.Sections) >= labs.MaxSections {
			return labs.Errorf(labs.ETooLarge, "A document has at most %d sections.", labs.MaxSections)
		}
		return place(d, sec, after)
	})
}

func (s *Server) updateSection(c *fiber.Ctx) error {
	id, err := s.visibleSection(c)
	if err != nil {
		return err
	}
	var in sectionRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	var title string
	if in.Title != nil {
		if title, err = validTitle("section title", *in.Title); err != nil {
			return err
		}
	}
	if in.After != nil {
		if _, ok := viewOf(c).Section(*in.After); !ok && *in.After != "" {
			return labs.Errorf(labs.EInvalid, "after names no section of this document.")
		}
	}
	before := documentOf(c)
	if in.Visibility != nil {
		if err := s.mayNarrow(c, before, *in.Visibility); err != nil {
			return err
		}
	}
	var from labs.Visibility
	d, err := s.restructure(c, func(d *labs.Document) error {
		i := indexOf(d, id)
		if i < 0 {
			return labs.Errorf(labs.ENotFound, "The document has no such section.")
		}
		sec := d.Sections[i]
		if in.Title != nil {
			sec.Title = title
		}
		if in.Visibility != nil {
			from, sec.Visibility = d.SectionLevel(sec), *in.Visibility
		}
		d.Sections[i] = sec
		if in.After != nil {
			if *in.After == id {
				return labs.Errorf(labs.EInvalid, "A section cannot come after itself.")
			}
			d.Sections = slices.Delete(d.Sections, i, i+1)
			return place(d, sec, *in.After)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if sec, _ := d.Section(id); in.Visibility != nil && from != d.SectionLevel(sec) {
		s.audit(c.UserContext(), d.LabID, accountOf(c).ID, "section.visibility", d.ID,
			map[string]string{"section": id, "from": string(from), "to": string(d.SectionLevel(sec))})
	}
	return s.showDocument(c, d)
}

// visibleSection is the route's section, if the requester may read it.
func (s *Server) visibleSection(c *fiber.Ctx) (string, error) {
	id, err := requireID(c, "section", "a section")
	if err != nil {
		return "", err
	}
	if _, ok := viewOf(c).Section(id); !ok {
		return "", labs.Errorf(labs.ENotFound, "The document has no such section.")
	}
	return id, nil
}

// mayNarrow checks a section's new level: one a section may have, and a
// change the requester may make. Keeping a section to fewer people, or
// opening it up again, is sharing: it needs the right to share the
// document, at the document's level and at the section's new one.
func (s *Server) mayNarrow(c *fiber.Ctx, d labs.Document, v labs.Visibility) error {
	if !d.ValidSectionLevel(v) {
		if d.InNetwork() {
			return labs.Errorf(labs.EInvalid, "A section of a synthesis may be kept to partners, network or public, or follow the document (\"\").")
		}
		return labs.Errorf(labs.EInvalid, "A section may be kept to lab, partners, network or public, or follow the document (\"\").")
	}
	if v != "" && slices.Index(labs.Visibilities, v) > slices.Index(labs.Visibilities, d.Visibility) {
		return labs.Errorf(labs.EInvalid, "A section is read by at most the document's readers (%s): share the document wider first.", d.Visibility)
	}
	sub, acc := subjectOfRequest(c), accountOf(c)
	for _, level := range []labs.Visibility{d.Visibility, v} {
		if level == "" {
			continue
		}
		at := d
		at.Visibility = level
		if ok, err := s.mayDocument(sub, acc, at, "share"); err != nil {
			return err
		} else if !ok {
			return labs.Errorf(labs.EForbidden, "You may not change who reads this section.")
		}
	}
	return nil
}

// deleteSection takes a section out of the document. Its text stays in its
// change log, so nothing anyone wrote is lost.
func (s *Server) deleteSection(c *fiber.Ctx) error {
	id, err := s.visibleSection(c)
	if err != nil {
		return err
	}
	return s.reshape(c, func(d *labs.Document) error {
		i := indexOf(d, id)
		if i < 0 {
			return labs.Errorf(labs.ENotFound, "The document has no such section.")
		}
		d.Sections = slices.Delete(d.Sections, i, i+1)
		return nil
	})
}
