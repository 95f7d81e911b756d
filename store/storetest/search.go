package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/textsearch"
)

func searchItem(kind labs.SearchKind, id, lab string, level labs.Visibility, text string, at time.Time) labs.SearchItem {
	return labs.SearchItem{Kind: kind, ID: id, LabID: lab, DocumentID: "doc-" + lab, SectionID: id, Level: level, Title: "T " + id,
		Text: text, Folded: textsearch.Fold(text), IndexedAt: at}
}

func keysOf(items []labs.SearchItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it.Kind) + ":" + it.ID
	}
	slices.Sort(out)
	return out
}

func testSearch(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	items := []labs.SearchItem{
		searchItem(labs.SearchSection, "no-staff", "norway", labs.VisLab, "Staff shortage in the municipalities", base),
		searchItem(labs.SearchSection, "rs-staff", "serbia", labs.VisLab, "Недостатак кадрова у општинама: staff", base),
		searchItem(labs.SearchSection, "rs-shared", "serbia", labs.VisPartners, "Zakon o socijalnoj zaštiti", base),
		searchItem(labs.SearchComment, "lv-c", "latvia", labs.VisNetwork, "Pašvaldību darbinieki; staffing", base),
		searchItem(labs.SearchTheme, "th", "", labs.VisNetwork, "Staff", base),
	}
	must(t, s.IndexSearch(c, items))
	q := func(terms string, labsIn []string, levels ...labs.Visibility) []string {
		t.Helper()
		got, err := s.Search(c, labs.SearchQuery{Terms: textsearch.Terms(terms), Labs: labsIn, Levels: levels, Limit: 50})
		must(t, err)
		return keysOf(got)
	}
	for _, tc := range []struct {
		terms  string
		labs   []string
		levels []labs.Visibility
		want   []string
	}{
		// A Norway member: Norway's items, and what is network-wide.
		{"staff", []string{"norway"}, []labs.Visibility{labs.VisNetwork}, []string{"comment:lv-c", "section:no-staff", "theme:th"}},
		// A partner: partner-level and wider, any lab; nothing lab-level.
		{"staff", nil, []labs.Visibility{labs.VisPartners, labs.VisNetwork}, []string{"comment:lv-c", "theme:th"}},
		// Serbian in either script, with or without marks.
		{"кадрова", []string{"serbia"}, nil, []string{"section:rs-staff"}},
		{"kadrova opstinama", []string{"serbia"}, nil, []string{"section:rs-staff"}},
		{"zastiti", nil, []labs.Visibility{labs.VisPartners}, []string{"section:rs-shared"}},
		{"заштити", nil, []labs.Visibility{labs.VisPartners}, []string{"section:rs-shared"}},
		{"pasvaldibu", nil, []labs.Visibility{labs.VisNetwork}, []string{"comment:lv-c"}},
		// Every term must be found; a prefix finds the word.
		{"staff zakon", []string{"serbia"}, nil, []string{}},
		{"sta municip", []string{"norway"}, nil, []string{"section:no-staff"}},
		// No scope, no results.
		{"staff", nil, nil, []string{}},
		// FTS5 syntax in a query is only words.
		{`staff" OR "x`, []string{"norway"}, nil, []string{}},
	} {
		if got := q(tc.terms, tc.labs, tc.levels...); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("search %q in %v at %v = %v, want %v", tc.terms, tc.labs, tc.levels, got, tc.want)
		}
	}
	// Kinds and one lab narrow it.
	got, err := s.Search(c, labs.SearchQuery{Terms: []string{"staff"}, Levels: []labs.Visibility{labs.VisNetwork}, Kinds: []labs.SearchKind{labs.SearchTheme}, Limit: 10})
	must(t, err)
	if k := keysOf(got); !slices.Equal(k, []string{"theme:th"}) {
		t.Fatalf("kind theme = %v", k)
	}
	got, err = s.Search(c, labs.SearchQuery{Terms: []string{"staff"}, Labs: []string{"norway", "serbia"}, LabID: "serbia", Limit: 10})
	must(t, err)
	if k := keysOf(got); !slices.Equal(k, []string{"section:rs-staff"}) {
		t.Fatalf("lab serbia = %v", k)
	}

	// Replacing an item replaces its words.
	moved := searchItem(labs.SearchSection, "no-staff", "norway", labs.VisLab, "Trust between services", base.Add(time.Second))
	must(t, s.IndexSearch(c, []labs.SearchItem{moved}))
	if got := q("staff", []string{"norway"}); len(got) != 0 {
		t.Fatalf("old words still found: %v", got)
	}
	got, err = s.Search(c, labs.SearchQuery{Terms: []string{"trust"}, Labs: []string{"norway"}, Limit: 10})
	must(t, err)
	if len(got) != 1 || got[0].Text != moved.Text || got[0].Title != moved.Title || got[0].Level != labs.VisLab || got[0].DocumentID != "doc-norway" ||
		!got[0].IndexedAt.Equal(moved.IndexedAt) || got[0].Folded != moved.Folded {
		t.Fatalf("replaced item reads back as %+v", got)
	}

	// Removing: one item, a document's, and what a rebuild did not see.
	must(t, s.UnindexSearch(c, labs.SearchTheme, "th"))
	must(t, s.UnindexSearch(c, labs.SearchTheme, "th"))
	if got := q("staff", nil, labs.VisNetwork); !slices.Equal(got, []string{"comment:lv-c"}) {
		t.Fatalf("after unindexing the theme: %v", got)
	}
	// A document indexed again at base+1s: what it no longer has goes.
	must(t, s.IndexSearch(c, []labs.SearchItem{searchItem(labs.SearchSection, "rs-shared", "serbia", labs.VisPartners, "Zakon", base.Add(time.Second))}))
	must(t, s.UnindexDocument(c, "doc-serbia", base.Add(time.Second)))
	if got := q("kadrova", []string{"serbia"}); len(got) != 0 {
		t.Fatalf("a section the document no longer has is found: %v", got)
	}
	if got := q("zakon", nil, labs.VisPartners); !slices.Equal(got, []string{"section:rs-shared"}) {
		t.Fatalf("the section indexed again was removed: %v", got)
	}
	must(t, s.UnindexDocument(c, "doc-serbia", base.Add(time.Hour)))
	if got := q("zakon", nil, labs.VisPartners); len(got) != 0 {
		t.Fatalf("a removed document's section is found: %v", got)
	}
	must(t, s.PruneSearch(c, base.Add(time.Second)))
	if got := q("pasvaldibu", nil, labs.VisNetwork); len(got) != 0 {
		t.Fatalf("pruned item found: %v", got)
	}
	if got := q("trust", []string{"norway"}); !slices.Equal(got, []string{"section:no-staff"}) {
		t.Fatalf("an item indexed at the prune time was pruned: %v", got)
	}
}

// testSearchRandom indexes random texts and checks that search returns
// exactly the items in scope whose words every term begins, the better
// matches first: a text with every term more often ranks above one
// without.
func testSearchRandom(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	rng := rand.New(rand.NewPCG(3, 9))
	vocab := []string{"staff", "staffing", "trust", "zakon", "Закон", "kadrovi", "кадрови", "legislation", "digital", "digitalisation", "služba", "слузба"}
	levels := []labs.Visibility{labs.VisLab, labs.VisPartners, labs.VisNetwork}
	labIDs := []string{"a", "b", "c"}
	var items []labs.SearchItem
	for i := range 120 {
		var words []string
		for range 1 + rng.IntN(8) {
			words = append(words, vocab[rng.IntN(len(vocab))])
		}
		items = append(items, searchItem(labs.SearchSection, fmt.Sprintf("s%03d", i), labIDs[rng.IntN(3)], levels[rng.IntN(3)],
			strings.Join(words, " "), base))
	}
	must(t, s.IndexSearch(c, items))
	for range 60 {
		terms := textsearch.Terms(vocab[rng.IntN(len(vocab))][:3+rng.IntN(3)] + " " + vocab[rng.IntN(len(vocab))])
		inLabs := labIDs[:rng.IntN(3)]
		atLevels := levels[1+rng.IntN(2):]
		var want []string
		for _, it := range items {
			if !slices.Contains(inLabs, it.LabID) && !slices.Contains(atLevels, it.Level) {
				continue
			}
			all := true
			for _, term := range terms {
				all = all && slices.ContainsFunc(strings.Fields(it.Folded), func(w string) bool { return strings.HasPrefix(w, term) })
			}
			if all {
				want = append(want, "section:"+it.ID)
			}
		}
		slices.Sort(want)
		got, err := s.Search(c, labs.SearchQuery{Terms: terms, Labs: inLabs, Levels: atLevels, Limit: labs.MaxSearchCandidates})
		must(t, err)
		if k := keysOf(got); !slices.Equal(k, want) && len(k)+len(want) > 0 {
			t.Fatalf("search %q in %v at %v:\n got %v\nwant %v", terms, inLabs, atLevels, k, want)
		}
		if len(got) > 3 {
			// Limit keeps the best: asking for fewer returns the head.
			head, err := s.Search(c, labs.SearchQuery{Terms: terms, Labs: inLabs, Levels: atLevels, Limit: 3})
			must(t, err)
			if len(head) != 3 {
				t.Fatalf("limit 3 returned %d", len(head))
			}
			for i := range head {
				if head[i].ID != got[i].ID {
					t.Fatalf("limit 3 returned %v, not the head of %v", keysOf(head), keysOf(got[:3]))
				}
			}
		}
	}
}
