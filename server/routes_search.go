package server

import (
	"context"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
	"github.com/linklab/linklab/textsearch"
)

// Limits of one search.
const (
	searchPageMax = 50
	snippetWords  = 28
)

// searchResult is one thing found, as its reader may see it. It names no
// author: a comment or an idea may be anonymous, and a list of results
// is no place to tell which are not.
type searchResult struct {
	Kind       labs.SearchKind      `json:"kind"`
	ID         string               `json:"id"`
	Title      string               `json:"title"`
	Document   string               `json:"document,omitempty"` // the document's title
	DocumentID string               `json:"documentId,omitempty"`
	SectionID  string               `json:"sectionId,omitempty"`
	WorkshopID string               `json:"workshopId,omitempty"`
	LabID      string               `json:"labId,omitempty"`
	Lab        string               `json:"lab,omitempty"` // the lab's title, for who may read the lab
	Country    string               `json:"country,omitempty"`
	Snippet    []textsearch.Segment `json:"snippet"` // empty when the title is all there is
}

// searcher decides, for one reader and one search, which candidates the
// reader may see, remembering what it read along the way.
type searcher struct {
	s     *Server
	acc   *labs.Account
	terms []string
	subs  map[string]policies.Subject
	labs  map[string]*labs.Lab // nil: gone
	known map[string]bool      // the reader may read the lab's page
}

func (q *searcher) subject(ctx context.Context, labID string) (policies.Subject, error) {
	if sub, ok := q.subs[labID]; ok {
		return sub, nil
	}
	var sub policies.Subject
	var err error
	if labID == "" {
		sub = networkSubject(q.acc)
	} else if sub, _, err = q.s.subjectIn(ctx, q.acc, labID); err != nil {
		return sub, err
	}
	q.subs[labID] = sub
	return sub, nil
}

// lab fills in the result's lab: its country always, its title for those
// who may read the lab (as comparisons do).
func (q *searcher) lab(ctx context.Context, r *searchResult) error {
	if r.LabID == "" {
		return nil
	}
	l, ok := q.labs[r.LabID]
	if !ok {
		got, err := q.s.cfg.Store.Lab(ctx, r.LabID)
		if err != nil && !labs.IsCode(err, labs.ENotFound) {
			return err
		}
		if err == nil {
			l = &got
		}
		q.labs[r.LabID] = l
		sub, err := q.subject(ctx, r.LabID)
		if err != nil {
			return err
		}
		if q.known[r.LabID], err = q.s.cfg.Enforcer.AllowedOn(sub, "lab", "read", "", policies.RelNone); err != nil {
			return err
		}
	}
	if l != nil {
		r.Country = l.Country
		if q.known[r.LabID] {
			r.Lab = l.Title
		}
	}
	return nil
}

// document returns the document as the reader may see it, and whether
// they may.
func (q *searcher) document(ctx context.Context, id string) (labs.Document, labs.Document, policies.Subject, bool, error) {
	d, err := q.s.docs.get(ctx, id)
	if labs.IsCode(err, labs.ENotFound) {
		return d, d, policies.Subject{}, false, nil
	} else if err != nil {
		return d, d, policies.Subject{}, false, err
	}
	sub, err := q.subject(ctx, d.LabID)
	if err != nil {
		return d, d, sub, false, err
	}
	if ok, err := q.s.mayDocument(sub, q.acc, d, "read"); err != nil || !ok {
		return d, d, sub, false, err
	}
	view, err := q.s.visibleSections(sub, q.acc, d)
	return d, view, sub, err == nil, err
}

// result returns what the reader may see of a candidate, or nil, and the
// text to show a snippet of ("" for none: a title is its own snippet).
func (q *searcher) result(ctx context.Context, it labs.SearchItem) (*searchResult, string, error) {
	r, text, err := q.check(ctx, it)
	if err != nil || r == nil {
		return nil, "", err
	}
	if err := q.lab(ctx, r); err != nil {
		return nil, "", err
	}
	if it.Kind == labs.SearchTheme || it.Kind == labs.SearchDocument {
		text = ""
	}
	return r, text, nil
}

func (q *searcher) check(ctx context.Context, it labs.SearchItem) (*searchResult, string, error) {
	r := &searchResult{Kind: it.Kind, ID: it.ID, Title: it.Title, LabID: it.LabID}
	text := it.Text
	switch it.Kind {
	case labs.SearchTheme:
		ok, err := q.s.cfg.Enforcer.AllowedOn(networkSubject(q.acc), "theme", "read", "", policies.RelNone)
		if err != nil || !ok {
			return nil, "", err
		}
	case labs.SearchIdea:
		sub, err := q.subject(ctx, it.LabID)
		if err != nil {
			return nil, "", err
		}
		if ok, err := q.s.cfg.Enforcer.AllowedOn(sub, "workshop", "read", "", policies.RelNone); err != nil || !ok {
			return nil, "", err
		}
		room, err := q.s.roomOf(ctx, it.WorkshopID)
		if err != nil {
			return nil, "", err
		}
		i := slices.IndexFunc(room.Ideas, func(i labs.Idea) bool { return i.ID == it.ID })
		if i < 0 || room.Ideas[i].Hidden != "" {
			return nil, "", nil
		}
		r.WorkshopID, text = it.WorkshopID, room.Ideas[i].Text
	default:
		d, view, sub, ok, err := q.document(ctx, it.DocumentID)
		if err != nil || !ok {
			return nil, "", err
		}
		r.DocumentID, r.Document, r.LabID = d.ID, d.Title, d.LabID
		switch it.Kind {
		case labs.SearchDocument:
			r.Title = d.Title
		case labs.SearchSection:
			sec, ok := view.Section(it.SectionID)
			if !ok {
				return nil, "", nil
			}
			r.SectionID, r.Title = sec.ID, sec.Title
		case labs.SearchComment:
			cm, err := q.s.cfg.Store.Comment(ctx, it.ID)
			if labs.IsCode(err, labs.ENotFound) {
				return nil, "", nil
			} else if err != nil {
				return nil, "", err
			}
			if cm.Hidden.IsHidden() || cm.DocumentID != d.ID {
				return nil, "", nil
			}
			if ok, err := q.s.seesSection(sub, q.acc, d, view, cm.SectionID); err != nil || !ok {
				return nil, "", err
			}
			if ok, err := q.s.readsItem(sub, q.acc, d, "comment", d.AudienceLevel(cm.Audience)); err != nil || !ok {
				return nil, "", err
			}
			if sec, ok := view.Section(cm.SectionID); ok {
				r.Title = sec.Title
			}
			r.SectionID, text = cm.SectionID, cm.Body
		}
	}
	return r, text, nil
}

// scope is where the reader's results can come from: every lab they
// belong to, at any level, and any lab at the levels they read without
// belonging (as a partner, as anyone signed in), as the policy says.
func (s *Server) searchScope(ctx context.Context, acc *labs.Account) ([]string, []labs.Visibility, error) {
	ms, err := s.cfg.Store.AccountMemberships(ctx, acc.ID)
	if err != nil {
		return nil, nil, err
	}
	labIDs := make([]string, len(ms))
	for i, m := range ms {
		labIDs[i] = m.LabID
	}
	var levels []labs.Visibility
	sub := globalSubject(*acc)
	for _, v := range labs.Visibilities {
		for _, obj := range []string{"document", "comment"} {
			ok, err := s.cfg.Enforcer.AllowedOn(sub, obj, "read", v, policies.RelNone)
			if err != nil {
				return nil, nil, err
			}
			if ok && !slices.Contains(levels, v) {
				levels = append(levels, v)
			}
		}
	}
	// The network's syntheses are read as a partner network coauthor.
	if ok, err := s.cfg.Enforcer.AllowedOn(networkSubject(acc), "document", "read", labs.VisPartners, policies.RelNone); err != nil {
		return nil, nil, err
	} else if ok {
		labIDs = append(labIDs, "")
	}
	if ok, err := s.cfg.Enforcer.AllowedOn(networkSubject(acc), "theme", "read", "", policies.RelNone); err != nil {
		return nil, nil, err
	} else if ok && !slices.Contains(levels, labs.VisNetwork) {
		levels = append(levels, labs.VisNetwork)
	}
	return labIDs, levels, nil
}

// search finds what the reader may see, best matches first: q, the words
// (each begins a word of the text; Serbian in either script, marks
// optional); kind and lab narrow it; limit and offset page through the
// results. total counts only what the reader may see.
func (s *Server) search(c *fiber.Ctx) error {
	ctx := c.UserContext()
	text := c.Query("q")
	if utf8.RuneCountInString(text) > textsearch.MaxQueryRunes {
		return labs.Errorf(labs.EInvalid, "Search for at most %d characters.", textsearch.MaxQueryRunes)
	}
	terms := textsearch.Terms(text)
	if len(terms) == 0 {
		return labs.Errorf(labs.EInvalid, "q is required: type a word of at least %d letters.", textsearch.MinTermRunes)
	}
	kinds, err := parseKinds(c.Query("kind"))
	if err != nil {
		return err
	}
	labID := c.Query("lab")
	if labID != "" && !labs.ValidID(labID) {
		return labs.Errorf(labs.EInvalid, "lab must be a lab's ID.")
	}
	limit, err := boundedInt(c.Query("limit"), 20, 1, searchPageMax, "limit")
	if err != nil {
		return err
	}
	offset, err := boundedInt(c.Query("offset"), 0, 0, labs.MaxSearchCandidates, "offset")
	if err != nil {
		return err
	}
	select {
	case <-s.index.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	acc := accountOf(c)
	inLabs, levels, err := s.searchScope(ctx, acc)
	if err != nil {
		return err
	}
	candidates, err := s.cfg.Store.Search(ctx, labs.SearchQuery{Terms: terms, Labs: inLabs, Levels: levels, Kinds: kinds, LabID: labID,
		Limit: labs.MaxSearchCandidates})
	if err != nil {
		return err
	}
	q := &searcher{s: s, acc: acc, terms: terms, subs: map[string]policies.Subject{}, labs: map[string]*labs.Lab{}, known: map[string]bool{}}
	out := []searchResult{}
	total := 0
	for _, it := range candidates {
		r, text, err := q.result(ctx, it)
		if err != nil {
			return err
		}
		if r == nil {
			continue
		}
		if total >= offset && len(out) < limit {
			r.Snippet = []textsearch.Segment{}
			if text != "" {
				r.Snippet = append(r.Snippet, textsearch.Snippet(text, q.terms, snippetWords)...)
			}
			out = append(out, *r)
		}
		total++
	}
	// No word on whether the index had more candidates: they may be ones
	// the reader may not see.
	return c.JSON(fiber.Map{"terms": terms, "items": out, "total": total})
}

// boundedInt reads an optional integer query parameter within [lo, hi].
func boundedInt(q string, def, lo, hi int, name string) (int, error) {
	if q == "" {
		return def, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < lo || n > hi {
		return 0, labs.Errorf(labs.EInvalid, "%s must be a whole number from %d to %d.", name, lo, hi)
	}
	return n, nil
}
