package server

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/export"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
	"github.com/linklab/linklab/realtime"
)

// sectionKey is what a template section's key looks like.
var sectionKey = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Limits of a comparison.
const (
	maxCompared  = 12   // baselines side by side
	maxBaselines = 1000 // baselines scanned for one reader
)

// baselineView is a baseline as the comparison lists it: its country
// always (a baseline is a country's), its lab's title only for those who
// may read the lab.
type baselineView struct {
	ID         string          `json:"id"`
	Title      string          `json:"title"`
	LabID      string          `json:"labId"`
	Country    string          `json:"country"`
	Lab        string          `json:"lab"`
	Visibility labs.Visibility `json:"visibility"`
	UpdatedAt  time.Time       `json:"updatedAt"`
	Sections   []sectionRef    `json:"sections"`
}

type sectionRef struct {
	Key   string `json:"key"`
	Title string `json:"title"`
}

// readableBaseline is a baseline the reader may read, with only the
// sections they may read.
type readableBaseline struct {
	doc labs.Document
	lab labs.Lab
	// labKnown says the reader may read the lab's own page.
	labKnown bool
}

// readableBaselines lists the baselines of every lab the reader may read,
// in a stable order: by country, then lab, then document.
func (s *Server) readableBaselines(ctx context.Context, acc *labs.Account) ([]readableBaseline, error) {
	var out []readableBaseline
	after := ""
	for {
		page, next, err := s.cfg.Store.ListLabs(ctx, labs.Page{After: after, Limit: labs.MaxPageLimit})
		if err != nil {
			return nil, fmt.Errorf("compare: list labs: %w", err)
		}
		for _, l := range page {
			sub, _, err := s.subjectIn(ctx, acc, l.ID)
			if err != nil {
				return nil, err
			}
			labKnown, err := s.cfg.Enforcer.AllowedOn(sub, "lab", "read", "", policies.RelNone)
			if err != nil {
				return nil, err
			}
			if err := s.eachDocument(ctx, l.ID, func(d labs.Document) error {
				if ok, err := s.mayDocument(sub, acc, d, "read"); d.Kind != labs.KindBaseline || err != nil || !ok {
					return err
				}
				// The listing has no sections: the document with them,
				// decided on as it is now.
				d, err := s.docs.get(ctx, d.ID)
				if labs.IsCode(err, labs.ENotFound) {
					return nil // deleted meanwhile
				} else if err != nil {
					return err
				}
				ok, err := s.mayDocument(sub, acc, d, "read")
				if err != nil || !ok {
					return err
				}
				if len(out) == maxBaselines {
					return labs.Errorf(labs.ETooLarge, "There are more than %d baselines to compare; choose them by ID.", maxBaselines)
				}
				view, err := s.visibleSections(sub, acc, d)
				if err != nil {
					return err
				}
				out = append(out, readableBaseline{doc: view, lab: l, labKnown: labKnown})
				return nil
			}); err != nil {
				return nil, err
			}
		}
		if next == "" {
			break
		}
		after = next
	}
	slices.SortStableFunc(out, func(a, b readableBaseline) int {
		return cmp.Or(cmp.Compare(a.lab.Country, b.lab.Country), cmp.Compare(a.lab.Slug, b.lab.Slug), cmp.Compare(a.doc.ID, b.doc.ID))
	})
	return out, nil
}

// eachDocument calls fn for each of a lab's documents, page by page.
func (s *Server) eachDocument(ctx context.Context, labID string, fn func(labs.Document) error) error {
	after := ""
	for {
		page, next, err := s.cfg.Store.ListDocuments(ctx, labID, labs.Page{After: after, Limit: labs.MaxPageLimit})
		if err != nil {
			return fmt.Errorf("compare: list documents of %s: %w", labID, err)
		}
		for _, d := range page {
			if err := fn(d); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		after = next
	}
}

func viewBaseline(b readableBaseline) baselineView {
	v := baselineView{ID: b.doc.ID, Title: b.doc.Title, LabID: b.lab.ID, Country: b.lab.Country, Visibility: b.doc.Visibility,
		UpdatedAt: b.doc.UpdatedAt, Sections: make([]sectionRef, 0, len(b.doc.Sections))}
	if b.labKnown {
		v.Lab = b.lab.Title
	}
	for _, sec := range b.doc.Sections {
		v.Sections = append(v.Sections, sectionRef{Key: sec.Key, Title: sec.Title})
	}
	return v
}

// listBaselines lists every baseline the reader may read, across labs, in
// country order: what a comparison can be made of.
func (s *Server) listBaselines(c *fiber.Ctx) error {
	bs, err := s.readableBaselines(c.UserContext(), accountOf(c))
	if err != nil {
		return err
	}
	out := make([]baselineView, len(bs))
	for i, b := range bs {
		out[i] = viewBaseline(b)
	}
	return c.JSON(fiber.Map{"items": out})
}

// comparedSection is one baseline's column: its section rendered, or null
// when it has none of that key (or none the reader may read).
type comparedSection struct {
	baselineView
	Section *renderedSection `json:"section"`
}

type renderedSection struct {
	ID      string `json:"id"`
	Key     string `json:"key"`
	Title   string `json:"title"`
	Version int    `json:"version"`
	HTML    string `json:"html"`
}

// compareBaselines renders one section of several baselines side by side:
// those named in docs (all the reader may read when docs is empty), in
// country order. A named baseline the reader may not read takes no part,
// as one that does not exist.
func (s *Server) compareBaselines(c *fiber.Ctx) error {
	ctx := c.UserContext()
	key := c.Query("section")
	if !sectionKey.MatchString(key) {
		return labs.Errorf(labs.EInvalid, "section is required: the key of a template section, such as welfare-model.")
	}
	bs, err := s.comparedBaselines(c)
	if err != nil {
		return err
	}
	out := make([]comparedSection, len(bs))
	title := ""
	for i, b := range bs {
		out[i] = comparedSection{baselineView: viewBaseline(b)}
		j := slices.IndexFunc(b.doc.Sections, func(sec labs.Section) bool { return sec.Key == key })
		if j < 0 {
			continue
		}
		sec := b.doc.Sections[j]
		st, err := s.authority.Text(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version})
		if err != nil {
			return fmt.Errorf("compare: text of section %s: %w", sec.ID, err)
		}
		html, err := s.markdown.Render(st.Text)
		if err != nil {
			return fmt.Errorf("compare: render section %s: %w", sec.ID, err)
		}
		out[i].Section = &renderedSection{ID: sec.ID, Key: sec.Key, Title: sec.Title, Version: st.Version, HTML: html}
		if title == "" {
			title = sec.Title
		}
	}
	return c.JSON(fiber.Map{"section": key, "title": title, "items": out})
}

// comparedBaselines are the baselines a comparison takes: those named in
// docs (all the reader may read when docs is empty, the first 12), in
// country order.
func (s *Server) comparedBaselines(c *fiber.Ctx) ([]readableBaseline, error) {
	var want []string
	if q := c.Query("docs"); q != "" {
		want = strings.Split(q, ",")
		if len(want) > maxCompared {
			return nil, labs.Errorf(labs.EInvalid, "Compare at most %d baselines at once.", maxCompared)
		}
		for _, id := range want {
			if !labs.ValidID(id) {
				return nil, labs.Errorf(labs.EInvalid, "docs must be baseline IDs separated by commas.")
			}
		}
	}
	bs, err := s.readableBaselines(c.UserContext(), accountOf(c))
	if err != nil {
		return nil, err
	}
	if want != nil {
		bs = slices.DeleteFunc(bs, func(b readableBaseline) bool { return !slices.Contains(want, b.doc.ID) })
	} else if len(bs) > maxCompared {
		bs = bs[:maxCompared]
	}
	return bs, nil
}

// exportComparison exports a comparison: one section of each baseline
// (section), or every section, one after the other, in template order.
// Each country's text is its current text; every page says which
// countries and the narrowest level of what it holds. Recorded in the log
// of each lab whose baseline it holds.
func (s *Server) exportComparison(c *fiber.Ctx) error {
	ctx := c.UserContext()
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	key := c.Query("section")
	if key != "" && !sectionKey.MatchString(key) {
		return labs.Errorf(labs.EInvalid, "section must be the key of a template section, such as welfare-model.")
	}
	bs, err := s.comparedBaselines(c)
	if err != nil {
		return err
	}
	var keys []string
	titles := map[string]string{}
	for _, b := range bs {
		for _, sec := range b.doc.Sections {
			if _, ok := titles[sec.Key]; !ok && sec.Key != "" && (key == "" || sec.Key == key) {
				keys, titles[sec.Key] = append(keys, sec.Key), sec.Title
			}
		}
	}
	if key != "" && len(keys) == 0 {
		return labs.Errorf(labs.ENotFound, "None of these baselines has a section %q that you may read.", key)
	}
	var countries []string
	narrowest := labs.VisPublic
	out := export.Doc{Title: "Baselines compared"}
	for _, k := range keys {
		if key == "" {
			out.Parts = append(out.Parts, export.Part{Title: titles[k], Level: 1})
		} else {
			out.Title += ": " + titles[k]
		}
		for _, b := range bs {
			name := b.lab.Country
			if b.labKnown {
				name += " · " + b.lab.Title
			}
			part := export.Part{Title: name, Level: 2, Markdown: "_This baseline has no text for this section._"}
			if j := slices.IndexFunc(b.doc.Sections, func(sec labs.Section) bool { return sec.Key == k }); j >= 0 {
				sec := b.doc.Sections[j]
				st, err := s.authority.Text(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version})
				if err != nil {
					return fmt.Errorf("compare: text of section %s: %w", sec.ID, err)
				}
				part.Markdown = st.Text
				narrowest = narrower(narrowest, b.doc.SectionLevel(sec))
			}
			out.Parts = append(out.Parts, part)
		}
	}
	for _, b := range bs {
		countries = append(countries, b.lab.Country)
		if acc := accountOf(c); acc != nil {
			s.audit(ctx, b.lab.ID, acc.ID, "document.export", b.doc.ID, map[string]string{"format": format, "comparison": strings.Join(countries, ","), "section": key})
		}
	}
	level := "Holds text " + strings.ToLower(levelWords[narrowest][:1]) + levelWords[narrowest][1:]
	out.Banner = fmt.Sprintf("Baselines of %s · Current text · %s · exported %s", strings.Join(countries, ", "), level,
		s.cfg.Auth.Now().UTC().Format("2 January 2006 15:04 UTC"))
	name := "comparison"
	if key != "" {
		name += "-" + key
	}
	return s.sendExport(c, out, format, name)
}
