package server

import (
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/labs"
)

type sectionView struct {
	ID       string `json:"id"`
	Key      string `json:"key"`
	Title    string `json:"title"`
	Guidance string `json:"guidance,omitempty"`
}

type documentDetail struct {
	documentView
	Revision int               `json:"revision"`
	Sections []sectionView     `json:"sections"`
	Members  []string          `json:"members"`
	Fields   map[string]string `json:"fields"`
	LogicMap labs.LogicMap     `json:"logicMap"`
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
	if out.LogicMap.Elements == nil {
		out.LogicMap.Elements = []labs.LogicElement{}
	}
	if out.LogicMap.Outcomes == nil {
		out.LogicMap.Outcomes = []labs.Outcome{}
	}
	for i, s := range d.Sections {
		out.Sections[i] = sectionView{ID: s.ID, Key: s.Key, Title: s.Title, Guidance: s.Guidance}
	}
	return out
}

// getDocument returns a document's title and sections; their texts come
// over the real-time connection.
func (s *Server) getDocument(c *fiber.Ctx) error {
	return c.JSON(viewDocumentDetail(documentOf(c)))
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

// restructure applies edit to the document, stores it, tells everyone
// subscribed, and answers with the document.
func (s *Server) restructure(c *fiber.Ctx, edit func(d *labs.Document) error) error {
	var d labs.Document
	if err := s.updateDocument(c, edit, &d); err != nil {
		return err
	}
	s.hub.PublishDocument(d)
	return c.JSON(viewDocumentDetail(d))
}

// updateDocument applies edit to the request's document and stores it,
// reloading and trying again when someone else changed it meanwhile; out
// receives the stored result.
func (s *Server) updateDocument(c *fiber.Ctx, edit func(d *labs.Document) error, out *labs.Document) error {
	ctx := c.UserContext()
	d := documentOf(c)
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
	return s.restructure(c, func(d *labs.Document) error {
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
	} else if n := len(documentOf(c).Sections); n > 0 {
		after = documentOf(c).Sections[n-1].ID
	}
	id := labs.NewID(s.cfg.Auth.Now())
	return s.restructure(c, func(d *labs.Document) error {
		if len(d.Sections) >= labs.MaxSections {
			return labs.Errorf(labs.ETooLarge, "A document has at most %d sections.", labs.MaxSections)
		}
		return place(d, labs.Section{ID: id, Title: title}, after)
	})
}

func (s *Server) updateSection(c *fiber.Ctx) error {
	id, err := requireID(c, "section", "a section")
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
	return s.restructure(c, func(d *labs.Document) error {
		i := indexOf(d, id)
		if i < 0 {
			return labs.Errorf(labs.ENotFound, "The document has no such section.")
		}
		sec := d.Sections[i]
		if in.Title != nil {
			sec.Title = title
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
}

// deleteSection takes a section out of the document. Its text stays in its
// change log, so nothing anyone wrote is lost.
func (s *Server) deleteSection(c *fiber.Ctx) error {
	id, err := requireID(c, "section", "a section")
	if err != nil {
		return err
	}
	return s.restructure(c, func(d *labs.Document) error {
		i := indexOf(d, id)
		if i < 0 {
			return labs.Errorf(labs.ENotFound, "The document has no such section.")
		}
		d.Sections = slices.Delete(d.Sections, i, i+1)
		return nil
	})
}
