package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
	"github.com/linklab/linklab/textsearch"
)

// The search index is kept by the store and fed from here. What people
// type reaches it within searchFlush: edits, comments and ideas mark their
// document, section or workshop as changed, and a loop indexes what was
// marked. When the server starts, it indexes everything again and drops
// what it no longer finds, so an edit the process did not live to index,
// or one made while it was down, is never missing for long. Until that
// first pass ends, searches wait for it.
//
// The index only narrows: each result is checked for its reader as it is
// now (see searchResults), so an index a moment behind never shows what
// the reader may not see.

// searchFlush is how often marked items are indexed.
const searchFlush = 500 * time.Millisecond

type indexer struct {
	mu        sync.Mutex
	docs      map[string]struct{}
	sections  map[string]string // section -> its document
	workshops map[string]struct{}
	ready     chan struct{} // closed when the first full pass ended
	// last is the latest stamp given: stamps only grow, by a millisecond
	// (what the stores keep) at least, so what indexing a document again
	// did not find is always older than what it did, whatever the clock.
	last time.Time
}

// stamp returns the time to index at.
func (ix *indexer) stamp(now time.Time) time.Time {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	t := now.Truncate(time.Millisecond)
	if !t.After(ix.last) {
		t = ix.last.Add(time.Millisecond)
	}
	ix.last = t
	return t
}

func newIndexer() *indexer {
	return &indexer{docs: map[string]struct{}{}, sections: map[string]string{}, workshops: map[string]struct{}{}, ready: make(chan struct{})}
}

// documentChanged marks a document (its title, level, sections and
// comments) for indexing.
func (ix *indexer) documentChanged(id string) {
	ix.mu.Lock()
	ix.docs[id] = struct{}{}
	ix.mu.Unlock()
}

// sectionEdited marks a section's text for indexing.
func (ix *indexer) sectionEdited(doc, section string) {
	ix.mu.Lock()
	ix.sections[section] = doc
	ix.mu.Unlock()
}

// workshopChanged marks a workshop's idea wall for indexing.
func (ix *indexer) workshopChanged(id string) {
	ix.mu.Lock()
	ix.workshops[id] = struct{}{}
	ix.mu.Unlock()
}

func (ix *indexer) take() (docs []string, sections map[string]string, workshops []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for id := range ix.docs {
		docs = append(docs, id)
	}
	for id := range ix.workshops {
		workshops = append(workshops, id)
	}
	sections = ix.sections
	ix.docs, ix.sections, ix.workshops = map[string]struct{}{}, map[string]string{}, map[string]struct{}{}
	return docs, sections, workshops
}

// runIndexer indexes everything once, then what is marked, until ctx ends.
func (s *Server) runIndexer(ctx context.Context) {
	for {
		err := s.indexAll(ctx)
		if err == nil || ctx.Err() != nil {
			break
		}
		s.log.ErrorContext(ctx, "search: indexing everything failed; trying again", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
	}
	close(s.index.ready)
	realtime.Every(ctx, searchFlush, func() { s.flushIndex(ctx) })
}

// flushIndex indexes what was marked. A failure is logged and the item
// marked again, for the next pass.
func (s *Server) flushIndex(ctx context.Context) {
	failed := func(msg string, args ...any) {
		// Stopping cancels what was being indexed: the next start
		// indexes everything again, so it is not worth an error.
		if ctx.Err() == nil {
			s.log.ErrorContext(ctx, msg, args...)
		}
	}
	docs, sections, workshops := s.index.take()
	for _, id := range docs {
		if err := s.indexDocument(ctx, id); err != nil {
			failed("search: index document", "doc", id, "err", err)
			s.index.documentChanged(id)
		}
	}
	for section, doc := range sections {
		if slices.Contains(docs, doc) {
			continue // indexed whole above
		}
		if err := s.indexSection(ctx, doc, section); err != nil {
			failed("search: index section", "section", section, "err", err)
			s.index.sectionEdited(doc, section)
		}
	}
	for _, id := range workshops {
		if err := s.indexWorkshop(ctx, id); err != nil {
			failed("search: index workshop", "workshop", id, "err", err)
			s.index.workshopChanged(id)
		}
	}
}

// Reindex indexes everything again and drops what it no longer finds: for
// data written to the store by other means than this server (an import,
// a restore, the demo labs seeded while it runs).
func (s *Server) Reindex(ctx context.Context) error {
	select {
	case <-s.index.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.indexAll(ctx)
}

// indexAll indexes every lab's documents and workshops, the network's
// syntheses and the themes, then drops what was indexed before and not
// found again.
func (s *Server) indexAll(ctx context.Context) error {
	start := s.index.stamp(s.cfg.Now())
	after := ""
	for {
		page, next, err := s.cfg.Store.ListLabs(ctx, labs.Page{After: after, Limit: labs.MaxPageLimit})
		if err != nil {
			return fmt.Errorf("search: list labs: %w", err)
		}
		for _, l := range page {
			if err := s.indexLab(ctx, l.ID); err != nil {
				return err
			}
		}
		if next == "" {
			break
		}
		after = next
	}
	if err := s.eachDocument(ctx, "", func(d labs.Document) error { return s.indexDocument(ctx, d.ID) }); err != nil {
		return err
	}
	if err := s.indexThemes(ctx); err != nil {
		return err
	}
	return s.cfg.Store.PruneSearch(ctx, start)
}

func (s *Server) indexLab(ctx context.Context, labID string) error {
	if err := s.eachDocument(ctx, labID, func(d labs.Document) error { return s.indexDocument(ctx, d.ID) }); err != nil {
		return err
	}
	after := ""
	for {
		page, next, err := s.cfg.Store.ListWorkshops(ctx, labID, labs.Page{After: after, Limit: labs.MaxPageLimit})
		if err != nil {
			return fmt.Errorf("search: list workshops of %s: %w", labID, err)
		}
		for _, w := range page {
			if err := s.indexWorkshop(ctx, w.ID); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		after = next
	}
}

// sectionItem is a section as the index holds it: its title and its
// current text, without Markdown.
func (s *Server) sectionItem(ctx context.Context, d labs.Document, sec labs.Section, now time.Time) (labs.SearchItem, error) {
	st, err := s.authority.Text(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version})
	if err != nil {
		return labs.SearchItem{}, fmt.Errorf("search: text of section %s: %w", sec.ID, err)
	}
	text := s.markdown.PlainText(st.Text)
	return labs.SearchItem{Kind: labs.SearchSection, ID: sec.ID, LabID: d.LabID, DocumentID: d.ID, SectionID: sec.ID,
		Level: d.SectionLevel(sec), Title: sec.Title, Text: text, Folded: textsearch.Fold(sec.Title + "\n" + text), IndexedAt: now}, nil
}

// indexDocument indexes a document's title, sections and comments as
// they are now, and drops what it no longer has; a document that is gone
// is dropped whole.
func (s *Server) indexDocument(ctx context.Context, id string) error {
	now := s.index.stamp(s.cfg.Now())
	d, err := s.cfg.Store.Document(ctx, id)
	if labs.IsCode(err, labs.ENotFound) {
		return s.cfg.Store.UnindexDocument(ctx, id, now.Add(time.Hour))
	} else if err != nil {
		return fmt.Errorf("search: load document %s: %w", id, err)
	}
	items := []labs.SearchItem{{Kind: labs.SearchDocument, ID: d.ID, LabID: d.LabID, DocumentID: d.ID, Level: d.Visibility,
		Title: d.Title, Folded: textsearch.Fold(d.Title), IndexedAt: now}}
	for _, sec := range d.Sections {
		it, err := s.sectionItem(ctx, d, sec, now)
		if err != nil {
			return err
		}
		items = append(items, it)
	}
	after := ""
	for {
		page, next, err := s.cfg.Store.ListComments(ctx, d.ID, labs.Page{After: after, Limit: labs.MaxPageLimit})
		if err != nil {
			return fmt.Errorf("search: comments of %s: %w", d.ID, err)
		}
		for _, cm := range page {
			sec, ok := d.Section(cm.SectionID)
			if cm.Hidden.IsHidden() || !ok {
				continue // hidden, or on a section since removed
			}
			level := narrower(d.AudienceLevel(cm.Audience), d.SectionLevel(sec))
			items = append(items, labs.SearchItem{Kind: labs.SearchComment, ID: cm.ID, LabID: d.LabID, DocumentID: d.ID, SectionID: sec.ID,
				Level: level, Title: sec.Title, Text: cm.Body, Folded: textsearch.Fold(cm.Body), IndexedAt: now})
		}
		if next == "" {
			break
		}
		after = next
	}
	if err := s.cfg.Store.IndexSearch(ctx, items); err != nil {
		return err
	}
	return s.cfg.Store.UnindexDocument(ctx, d.ID, now)
}

// narrower returns the narrower of two levels.
func narrower(a, b labs.Visibility) labs.Visibility {
	if slices.Index(labs.Visibilities, a) < slices.Index(labs.Visibilities, b) {
		return a
	}
	return b
}

// indexSection indexes one section's current text.
func (s *Server) indexSection(ctx context.Context, docID, sectionID string) error {
	d, err := s.docs.get(ctx, docID)
	if labs.IsCode(err, labs.ENotFound) {
		return nil
	} else if err != nil {
		return fmt.Errorf("search: load document %s: %w", docID, err)
	}
	sec, ok := d.Section(sectionID)
	if !ok {
		return nil // removed: the document's own indexing drops it
	}
	it, err := s.sectionItem(ctx, d, sec, s.index.stamp(s.cfg.Now()))
	if err != nil {
		return err
	}
	return s.cfg.Store.IndexSearch(ctx, []labs.SearchItem{it})
}

// indexWorkshop indexes a workshop's ideas; hidden ones leave the index.
func (s *Server) indexWorkshop(ctx context.Context, id string) error {
	w, err := s.cfg.Store.Workshop(ctx, id)
	if labs.IsCode(err, labs.ENotFound) {
		return nil
	} else if err != nil {
		return fmt.Errorf("search: load workshop %s: %w", id, err)
	}
	r, err := s.roomOf(ctx, id)
	if err != nil {
		return fmt.Errorf("search: room of %s: %w", id, err)
	}
	now := s.index.stamp(s.cfg.Now())
	var items []labs.SearchItem
	for _, idea := range r.Ideas {
		if idea.Hidden != "" {
			if err := s.cfg.Store.UnindexSearch(ctx, labs.SearchIdea, idea.ID); err != nil {
				return err
			}
			continue
		}
		items = append(items, labs.SearchItem{Kind: labs.SearchIdea, ID: idea.ID, LabID: w.LabID, WorkshopID: w.ID, Level: labs.VisLab,
			Title: w.Title, Text: idea.Text, Folded: textsearch.Fold(idea.Text), IndexedAt: now})
	}
	return s.cfg.Store.IndexSearch(ctx, items)
}

// indexThemes indexes the network's themes (the default ones made first).
func (s *Server) indexThemes(ctx context.Context) error {
	themes, err := s.themes(ctx)
	if err != nil {
		return fmt.Errorf("search: list themes: %w", err)
	}
	now := s.index.stamp(s.cfg.Now())
	items := make([]labs.SearchItem, len(themes))
	for i, th := range themes {
		items[i] = labs.SearchItem{Kind: labs.SearchTheme, ID: th.ID, Level: labs.VisNetwork, Title: th.Name, Text: th.Name,
			Folded: textsearch.Fold(th.Name), IndexedAt: now}
	}
	return s.cfg.Store.IndexSearch(ctx, items)
}

// reindexThemes indexes the themes after one was added or renamed; a
// failure is logged (the next start indexes them again).
func (s *Server) reindexThemes(ctx context.Context) {
	if err := s.indexThemes(ctx); err != nil {
		s.log.ErrorContext(ctx, "search: index themes", "err", err)
	}
}

// parseKinds reads a comma-separated list of kinds.
func parseKinds(q string) ([]labs.SearchKind, error) {
	if q == "" {
		return nil, nil
	}
	var out []labs.SearchKind
	for _, k := range strings.Split(q, ",") {
		if !slices.Contains(labs.SearchKinds, labs.SearchKind(k)) {
			return nil, labs.Errorf(labs.EInvalid, "kind must be one or more of document, section, comment, idea and theme, separated by commas.")
		}
		out = append(out, labs.SearchKind(k))
	}
	return out, nil
}
