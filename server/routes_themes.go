package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

type themeView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// themes returns the network's themes, seeding the default list the
// first time there are none (a default already added by a concurrent
// request is no error).
func (s *Server) themes(ctx context.Context) ([]labs.Theme, error) {
	ths, err := s.cfg.Store.ListThemes(ctx)
	if err != nil || len(ths) > 0 {
		return ths, err
	}
	now := s.cfg.Auth.Now()
	for i, name := range labs.DefaultThemes {
		err := s.cfg.Store.CreateTheme(ctx, labs.Theme{ID: labs.NewID(now.Add(time.Duration(i) * time.Millisecond)), Name: name, CreatedAt: now, UpdatedAt: now})
		if err != nil && !labs.IsCode(err, labs.EConflict) {
			return nil, err
		}
	}
	return s.cfg.Store.ListThemes(ctx)
}

func (s *Server) listThemes(c *fiber.Ctx) error {
	ths, err := s.themes(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]themeView, len(ths))
	for i, th := range ths {
		out[i] = themeView{ID: th.ID, Name: th.Name}
	}
	return c.JSON(fiber.Map{"items": out})
}

type themeRequest struct {
	Name string `json:"name"`
}

func themeName(c *fiber.Ctx) (string, error) {
	var in themeRequest
	if err := decode(c, &in); err != nil {
		return "", err
	}
	if err := fieldLimit("name", in.Name, 4*labs.MaxThemeNameRunes); err != nil {
		return "", err
	}
	return labs.ValidThemeName(in.Name)
}

// createTheme adds a theme to the network's list (partners).
func (s *Server) createTheme(c *fiber.Ctx) error {
	name, err := themeName(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if _, err := s.themes(ctx); err != nil { // the defaults first, so they keep their place
		return err
	}
	now := s.cfg.Auth.Now()
	th := labs.Theme{ID: labs.NewID(now), Name: name, CreatedBy: accountOf(c).ID, CreatedAt: now, UpdatedAt: now}
	if err := s.cfg.Store.CreateTheme(ctx, th); err != nil {
		return err
	}
	s.reindexThemes(ctx)
	s.themesChanged(ctx, nil, "")
	return c.Status(fiber.StatusCreated).JSON(themeView{ID: th.ID, Name: th.Name})
}

// renameTheme renames a theme (partners); its tags keep it.
func (s *Server) renameTheme(c *fiber.Ctx) error {
	id, err := requireID(c, "theme", "a theme")
	if err != nil {
		return err
	}
	name, err := themeName(c)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.RenameTheme(c.UserContext(), id, name, s.cfg.Auth.Now()); err != nil {
		return err
	}
	s.reindexThemes(c.UserContext())
	s.themesChanged(c.UserContext(), nil, "")
	return c.JSON(themeView{ID: id, Name: name})
}

// tagView is a tagged passage as it reads now.
type tagView struct {
	ID        string    `json:"id"`
	Section   string    `json:"section"`
	ThemeID   string    `json:"themeId"`
	Theme     string    `json:"theme"`
	From      int       `json:"from"`
	To        int       `json:"to"`
	Version   int       `json:"version"`
	Quote     string    `json:"quote"`
	Orphaned  bool      `json:"orphaned"`
	CreatedAt time.Time `json:"createdAt"`
}

func viewTag(t labs.Tag, themes map[string]string) tagView {
	return tagView{ID: t.ID, Section: t.SectionID, ThemeID: t.ThemeID, Theme: themes[t.ThemeID], From: t.From, To: t.To, Version: t.Version,
		Quote: t.Quote, Orphaned: t.Orphaned, CreatedAt: t.CreatedAt}
}

// placeTag places a tag in its section's current text (see placePassage)
// and records where it now is when that changed.
func (s *Server) placeTag(ctx context.Context, d labs.Document, t labs.Tag) (labs.Tag, error) {
	p, err := s.placePassage(ctx, d, t.Passage())
	if err != nil {
		return t, fmt.Errorf("place tag %s: %w", t.ID, err)
	}
	if p != t.Passage() {
		if err := s.cfg.Store.MoveTag(ctx, t.At(p)); err != nil && !labs.IsCode(err, labs.ENotFound) {
			return t, err
		}
	}
	return t.At(p), nil
}

// placePassage maps a passage of d to its section's current text.
// Mapping goes through every change accepted since the passage was
// placed; when the changes are not there to go through (a version from
// before the log was kept), the words with their context are looked for
// in the text instead. A passage whose words are all gone is orphaned,
// with its words, and stays so.
func (s *Server) placePassage(ctx context.Context, d labs.Document, p labs.Passage) (labs.Passage, error) {
	sec, ok := d.Section(p.SectionID)
	if p.Orphaned || !ok {
		p.Orphaned = true
		return p, nil
	}
	next := p
	err := s.authority.LocateRange(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version}, p.Version, p.From, p.To,
		func(version int, text realtime.Text, start, end int, ok bool) {
			next.Version, next.From, next.To, next.Orphaned = version, start, end, !ok
			if ok {
				next.Quote, next.Before, next.After = passage(text, start, end)
			}
		})
	if errors.Is(err, realtime.ErrResync) || labs.IsCode(err, labs.EInvalid) {
		st, err := s.authority.Text(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version})
		if err != nil {
			return p, err
		}
		text := realtime.TextOf(st.Text)
		next.Version = st.Version
		next.From, next.To, ok = refind(text, p.Quote, p.Before, p.After)
		next.Orphaned = !ok
		if ok {
			next.Quote, next.Before, next.After = passage(text, next.From, next.To)
		}
	} else if err != nil {
		return p, err
	}
	return next, nil
}

// passage is the text of [start, end) and some context either side.
func passage(text realtime.Text, start, end int) (quote, before, after string) {
	quote = string(utf16.Decode(text[start:end]))
	b := []rune(string(utf16.Decode(text[:start])))
	before = string(b[max(0, len(b)-labs.TagContextRunes):])
	a := []rune(string(utf16.Decode(text[end:])))
	after = string(a[:min(len(a), labs.TagContextRunes)])
	return quote, before, after
}

// refind looks for the quote in the text: where its context matches best,
// else its first place; false when it is not there at all.
func refind(text realtime.Text, quote, before, after string) (int, int, bool) {
	if quote == "" {
		return 0, 0, false
	}
	s, q := text.String(), quote
	best, bestScore := -1, -1
	for i := 0; ; {
		j := strings.Index(s[i:], q)
		if j < 0 {
			break
		}
		at := i + j
		score := 0
		if strings.HasSuffix(s[:at], before) {
			score++
		}
		if strings.HasPrefix(s[at+len(q):], after) {
			score++
		}
		if score > bestScore {
			best, bestScore = at, score
		}
		i = at + 1
	}
	if best < 0 {
		return 0, 0, false
	}
	start := len(realtime.TextOf(s[:best]))
	return start, start + len(realtime.TextOf(q)), true
}

// themeNames maps theme IDs to names.
func (s *Server) themeNames(ctx context.Context) (map[string]string, error) {
	ths, err := s.themes(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ths))
	for _, th := range ths {
		out[th.ID] = th.Name
	}
	return out, nil
}

// visibleTags returns the tags on d the reader may read (those on
// sections they read), placed in the current text.
func (s *Server) visibleTags(c *fiber.Ctx, d, view labs.Document, tags []labs.Tag) ([]labs.Tag, error) {
	var out []labs.Tag
	for _, t := range tags {
		if t.DocumentID != d.ID {
			continue
		}
		if ok, err := s.seesSection(subjectOfRequest(c), accountOf(c), d, view, t.SectionID); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		placed, err := s.placeTag(c.UserContext(), d, t)
		if err != nil {
			return nil, err
		}
		out = append(out, placed)
	}
	return out, nil
}

// listTags lists a document's tagged passages, as they read now.
func (s *Server) listTags(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d := documentOf(c)
	tags, err := s.cfg.Store.ListTags(ctx, []string{d.ID})
	if err != nil {
		return err
	}
	placed, err := s.visibleTags(c, d, viewOf(c), tags)
	if err != nil {
		return err
	}
	names, err := s.themeNames(ctx)
	if err != nil {
		return err
	}
	out := make([]tagView, len(placed))
	for i, t := range placed {
		out[i] = viewTag(t, names)
	}
	return c.JSON(fiber.Map{"items": out})
}

type tagRequest struct {
	Section string `json:"sectionId"`
	Theme   string `json:"themeId"`
	From    int    `json:"from"`
	To      int    `json:"to"`
	Version int    `json:"version"`
}

// createTag tags a passage with a theme (whoever may write the document):
// the range is at the given version of the section and is mapped to the
// current text, as the tag will be from then on.
func (s *Server) createTag(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var in tagRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	d, view := documentOf(c), viewOf(c)
	sec, ok := view.Section(in.Section)
	if !ok {
		return labs.Errorf(labs.ENotFound, "There is no such section, or you cannot see it.")
	}
	names, err := s.themeNames(ctx)
	if err != nil {
		return err
	}
	if _, ok := names[in.Theme]; !ok {
		return labs.Errorf(labs.EInvalid, "themeId must be one of the network's themes (GET /api/themes).")
	}
	p, err := s.pinPassage(ctx, sec, in.Version, in.From, in.To, "tag", "tagged")
	if err != nil {
		return err
	}
	now := s.cfg.Auth.Now()
	t := labs.Tag{ID: labs.NewID(now), DocumentID: d.ID, LabID: d.LabID, ThemeID: in.Theme, CreatedBy: accountOf(c).ID, CreatedAt: now}.At(p)
	if err := s.cfg.Store.CreateTag(ctx, t); err != nil {
		return err
	}
	if d.Kind == labs.KindBaseline {
		s.themesChanged(ctx, &d, d.SectionLevel(sec))
	}
	return c.Status(fiber.StatusCreated).JSON(viewTag(t, names))
}

// deleteTag removes a tag (whoever may write the document).
func (s *Server) deleteTag(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := requireID(c, "tag", "a tag")
	if err != nil {
		return err
	}
	t, err := s.cfg.Store.Tag(ctx, id)
	if labs.IsCode(err, labs.ENotFound) || err == nil && t.DocumentID != documentOf(c).ID {
		return labs.Errorf(labs.ENotFound, "This document has no such tag.")
	} else if err != nil {
		return err
	}
	if _, ok := viewOf(c).Section(t.SectionID); !ok && t.SectionID != "" {
		if _, exists := documentOf(c).Section(t.SectionID); exists {
			return labs.Errorf(labs.ENotFound, "This document has no such tag.")
		}
	}
	if err := s.cfg.Store.DeleteTag(ctx, id); err != nil {
		return err
	}
	if d := documentOf(c); d.Kind == labs.KindBaseline {
		level := d.Visibility
		if sec, ok := d.Section(t.SectionID); ok {
			level = d.SectionLevel(sec)
		}
		s.themesChanged(ctx, &d, level)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// matrixCell is one country's baseline on one theme: its passages.
type matrixCell struct {
	Baseline string          `json:"baseline"`
	Theme    string          `json:"theme"`
	Passages []matrixPassage `json:"passages"`
}

type matrixPassage struct {
	Tag          string `json:"tag"`
	Section      string `json:"section"`
	SectionTitle string `json:"sectionTitle"`
	Quote        string `json:"quote"`
}

// themeMatrix is the country × theme matrix over the baselines the reader
// may read: which passages of each baseline address each theme (orphaned
// tags do not count).
func (s *Server) themeMatrix(c *fiber.Ctx) error {
	ctx := c.UserContext()
	bs, err := s.readableBaselines(ctx, accountOf(c))
	if err != nil {
		return err
	}
	ths, err := s.themes(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = b.doc.ID
	}
	tags, err := s.cfg.Store.ListTags(ctx, ids)
	if err != nil {
		return err
	}
	out := struct {
		Themes    []themeView    `json:"themes"`
		Baselines []baselineView `json:"baselines"`
		Cells     []matrixCell   `json:"cells"`
	}{Themes: make([]themeView, len(ths)), Baselines: make([]baselineView, len(bs)), Cells: []matrixCell{}}
	for i, th := range ths {
		out.Themes[i] = themeView{ID: th.ID, Name: th.Name}
	}
	for i, b := range bs {
		out.Baselines[i] = viewBaseline(b)
		full, err := s.docs.get(ctx, b.doc.ID)
		if err != nil {
			return err
		}
		cells := map[string]*matrixCell{}
		for _, t := range tags {
			if t.DocumentID != b.doc.ID {
				continue
			}
			sec, visible := b.doc.Section(t.SectionID) // b.doc has only the sections the reader reads
			if !visible {
				continue
			}
			placed, err := s.placeTag(ctx, full, t)
			if err != nil {
				return err
			}
			if placed.Orphaned {
				continue
			}
			cell := cells[t.ThemeID]
			if cell == nil {
				cell = &matrixCell{Baseline: b.doc.ID, Theme: t.ThemeID}
				cells[t.ThemeID] = cell
			}
			cell.Passages = append(cell.Passages, matrixPassage{Tag: t.ID, Section: sec.ID, SectionTitle: sec.Title, Quote: placed.Quote})
		}
		for _, th := range ths {
			if cell := cells[th.ID]; cell != nil {
				out.Cells = append(out.Cells, *cell)
			}
		}
	}
	return c.JSON(out)
}

// themesChanged tells the theme matrix's live followers that it changed,
// so each reads it again: about a tag on d at level, only those who may
// read it there (nobody else learns that anything happened); about the
// themes themselves (d nil), everyone.
func (s *Server) themesChanged(ctx context.Context, d *labs.Document, level labs.Visibility) {
	s.themesChangedHere(ctx, d, level)
	body := signalBody{Level: level}
	if d != nil {
		body.Doc = d.ID
	}
	s.tell(sigThemes, body)
}

// themesChangedHere is themesChanged for this instance's followers.
func (s *Server) themesChangedHere(ctx context.Context, d *labs.Document, level labs.Visibility) {
	msg := []byte(`{"type":"themes_changed"}`)
	if d == nil {
		s.hub.Publish(realtime.ThemesRoom, msg, nil)
		return
	}
	for _, c := range s.hub.Members(realtime.ThemesRoom) {
		accountID, ok := s.live.accountOf(c)
		if !ok {
			continue
		}
		if ok, err := s.accountReads(ctx, accountID, *d, "document", level); err != nil {
			s.log.ErrorContext(ctx, "live event not sent", "doc", d.ID, "err", err)
		} else if ok {
			c.Enqueue(msg)
		}
	}
}

// pinPassage places the words a person selected (from, to at version of
// sec) in the section's current text, to tag or cite them (verb, and
// done for the passage): refused when the range is not one, the version
// unknown, the words deleted meanwhile, or the passage too long.
func (s *Server) pinPassage(ctx context.Context, sec labs.Section, version, from, to int, verb, done string) (labs.Passage, error) {
	if to <= from || from < 0 || version < 0 {
		return labs.Passage{}, labs.Errorf(labs.EInvalid, "Select the words to %s: from must be before to, at a version of the section.", verb)
	}
	var p labs.Passage
	err := s.authority.LocateRange(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version}, version, from, to,
		func(version int, text realtime.Text, start, end int, ok bool) {
			p = labs.Passage{SectionID: sec.ID, From: start, To: end, Version: version, Orphaned: !ok}
			if ok {
				p.Quote, p.Before, p.After = passage(text, start, end)
			}
		})
	switch {
	case errors.Is(err, realtime.ErrResync):
		return p, labs.Errorf(labs.EInvalid, "That version of the section is unknown; select the words again.")
	case err != nil:
		return p, err
	case p.Orphaned:
		return p, labs.Errorf(labs.EConflict, "The words you selected were deleted meanwhile; select them again.")
	}
	if n := len([]rune(p.Quote)); n > labs.MaxTagQuoteRunes {
		return p, labs.Errorf(labs.ETooLarge, "A %s passage has at most %d characters; this one has %d.", done, labs.MaxTagQuoteRunes, n)
	}
	return p, nil
}
