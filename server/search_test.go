package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/demo"
	"github.com/linklab/linklab/labs"
)

type searchBody struct {
	Terms []string
	Total int
	Items []struct {
		Kind, ID, Title, Document, DocumentID, SectionID, WorkshopID, LabID, Lab, Country string
		Snippet                                                                           []struct {
			Text string
			Hit  bool
		}
		Author any
	}
}

func (b searchBody) keys() []string {
	var out []string
	for _, it := range b.Items {
		out = append(out, it.Kind+":"+it.Country)
	}
	return out
}

func (b searchBody) hits() []string {
	var out []string
	for _, it := range b.Items {
		for _, s := range it.Snippet {
			if s.Hit {
				out = append(out, s.Text)
			}
		}
	}
	return out
}

// withDemo serves the demo labs on a fresh store of the engine, indexed
// for search, and signs in as one of their people.
func withDemo(t *testing.T, open func(testing.TB) labs.Store) (*testServer, func(email string) *client) {
	t.Helper()
	ts := mustServe(t, open(t))
	if _, err := demo.Seed(t.Context(), ts.Store, ts.Auth); err != nil {
		t.Fatal(err)
	}
	if err := ts.Srv.Reindex(t.Context()); err != nil {
		t.Fatal(err)
	}
	return ts, func(email string) *client {
		c := ts.client(t)
		c.mustSignIn(email, demo.Password)
		return c
	}
}

// baselineSection returns the ID of the reader's first baseline (by
// country) and of its section with the key.
func baselineSection(t *testing.T, c *client, country, key string) (doc, section string) {
	t.Helper()
	var list struct {
		Items []struct{ ID, Country string }
	}
	c.do("GET", "/api/baselines", nil).json(t, &list)
	for _, b := range list.Items {
		if b.Country != country {
			continue
		}
		var d struct{ Sections []struct{ ID, Key string } }
		c.do("GET", "/api/documents/"+b.ID, nil).json(t, &d)
		for _, s := range d.Sections {
			if s.Key == key {
				return b.ID, s.ID
			}
		}
	}
	t.Fatalf("no %s baseline with section %s", country, key)
	return "", ""
}

func search(t *testing.T, c *client, query string) (searchBody, response) {
	t.Helper()
	r := c.do("GET", "/api/search?"+query, nil)
	var out searchBody
	if r.Status == http.StatusOK {
		r.json(t, &out)
		if strings.Contains(string(r.Body), `"snippet":null`) {
			t.Fatalf("a result's snippet is null, not a list: %.300s", r.Body)
		}
	}
	return out, r
}

// eventually searches until check holds: the index follows edits within
// a second or so; the test waits for it, without a time limit of its own
// beyond a generous bound that only a broken indexer reaches.
func eventually(t *testing.T, c *client, query string, what string, check func(searchBody) bool) searchBody {
	t.Helper()
	var got searchBody
	for range 300 {
		var r response
		got, r = search(t, c, query)
		mustStatus(t, r, http.StatusOK, what)
		if check(got) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: search %s still finds %v (%+v)", what, query, got.keys(), got.Items)
	return got
}

// TestSearch: with the six demo labs, search finds what each reader may
// see and nothing else, and counts nothing else: a Norwegian member never
// finds or counts Serbia's lab-level baseline; the partner finds the
// shared baselines only. Serbian is found in either script; edits, ideas
// and comments reach the index as they are made; a hidden comment leaves
// it; an anonymous one never shows its author; bad queries are refused.
func TestSearch(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			srv, as := withDemo(t, e.open)
			no, rs, partner := as(demo.Email(labs.RoleManager, "no")), as(demo.Email(labs.RoleManager, "rs")), as(demo.PartnerEmail)

			// "staff" is in several baselines: each reader finds those they may read.
			for name, tc := range map[string]struct {
				c    *client
				want []string
			}{
				"a Norwegian member": {no, []string{"NO"}},
				"a Serbian member":   {rs, []string{"RS"}},
				"the partner":        {partner, []string{"", "NO", "SI"}}, // "": the network's synthesis
			} {
				got, r := search(t, tc.c, "q=staff&kind=section")
				mustStatus(t, r, http.StatusOK, name+" searches")
				var countries []string
				for _, it := range got.Items {
					if !slices.Contains(countries, it.Country) {
						countries = append(countries, it.Country)
					}
				}
				slices.Sort(countries)
				for _, c := range countries {
					if !slices.Contains(tc.want, c) {
						t.Fatalf("%s finds sections of %s: %+v", name, c, got.Items)
					}
				}
				if got.Total != len(got.Items) || got.Total == 0 {
					t.Fatalf("%s: total %d for %d items", name, got.Total, len(got.Items))
				}
				for _, h := range got.hits() {
					if !strings.HasPrefix(strings.ToLower(h), "staff") {
						t.Fatalf("%s: hit %q", name, h)
					}
				}
			}

			// Serbian in Cyrillic, found by its Latin spelling and without marks.
			rsDoc, rsSection := baselineSection(t, rs, "RS", "welfare-challenges")
			pushText(t, rs, rsDoc, rsSection, "Недостатак стручњака у центрима за социјални рад: ђаци и Ћуприја.")
			found := eventually(t, rs, "q="+url.QueryEscape("strucnjaka Cuprija"), "Serbian in Latin", func(b searchBody) bool { return b.Total == 1 })
			if it := found.Items[0]; it.Kind != "section" || it.SectionID != rsSection || it.Country != "RS" ||
				!slices.Equal(found.hits(), []string{"стручњака", "Ћуприја"}) {
				t.Fatalf("found %+v hits %q", it, found.hits())
			}
			eventually(t, rs, "q="+url.QueryEscape("ђаци"), "Serbian in Cyrillic", func(b searchBody) bool { return b.Total == 1 })
			eventually(t, rs, "q=djaci", "đ typed dj", func(b searchBody) bool { return b.Total == 1 })
			// A Norwegian member and the partner neither find nor count it.
			for _, c := range []*client{no, partner} {
				got, _ := search(t, c, "q=strucnjaka")
				if got.Total != 0 || len(got.Items) != 0 {
					t.Fatalf("Serbia's lab-level baseline found by an outsider: %+v", got)
				}
			}
			// The words that go leave the index.
			pushText(t, rs, rsDoc, rsSection, "Too few staff.")
			eventually(t, rs, "q=strucnjaka", "replaced words", func(b searchBody) bool { return b.Total == 0 })

			// Comments: found by who reads them, never with an author.
			noDoc, noSection := baselineSection(t, no, "NO", "welfare-model")
			r := no.do("POST", "/api/documents/"+noDoc+"/comments", map[string]any{"sectionId": noSection, "version": 0, "from": 0, "to": 6, "body": "Fjordvik kommune har ventelister", "anonymous": true})
			mustStatus(t, r, http.StatusCreated, "anonymous comment")
			var cm struct{ ID string }
			r.json(t, &cm)
			got := eventually(t, no, "q=fjordvik", "a new comment", func(b searchBody) bool { return b.Total == 1 })
			if it := got.Items[0]; it.Kind != "comment" || it.ID != cm.ID || it.Author != nil || it.DocumentID != noDoc {
				t.Fatalf("comment found as %+v", it)
			}
			if got, _ := search(t, rs, "q=fjordvik"); got.Total != 0 {
				t.Fatalf("a Serbian member finds Norway's comment: %+v", got)
			}
			fac := as(demo.Email(labs.RoleFacilitator, "no"))
			mustStatus(t, fac.do("PUT", "/api/comments/"+cm.ID+"/hidden", map[string]any{"reason": "off topic"}), http.StatusOK, "hide")
			// Hidden is hidden at once, whatever the index still holds.
			if got, _ := search(t, no, "q=fjordvik"); got.Total != 0 {
				t.Fatalf("a hidden comment is found: %+v", got)
			}

			// Themes are for everyone signed in.
			got = eventually(t, no, "q=legisl&kind=theme", "a theme", func(b searchBody) bool { return b.Total == 1 })
			if got.Items[0].Title != "Legislation" {
				t.Fatalf("theme found as %+v", got.Items[0])
			}

			// Bad queries: a clear error, nothing else.
			for q, want := range map[string]int{
				"":                                    http.StatusBadRequest,
				"q=a":                                 http.StatusBadRequest,
				"q=" + strings.Repeat("x", 201):       http.StatusBadRequest,
				"q=staff&kind=secret":                 http.StatusBadRequest,
				"q=staff&limit=0":                     http.StatusBadRequest,
				"q=staff&limit=51":                    http.StatusBadRequest,
				"q=staff&offset=-1":                   http.StatusBadRequest,
				"q=staff&lab=" + url.QueryEscape("'"): http.StatusBadRequest,
			} {
				_, r := search(t, no, q)
				if r.Status != want || !strings.Contains(string(r.Body), `"code":"invalid"`) {
					t.Fatalf("search ?%s: %d %s", q, r.Status, r.Body)
				}
			}
			_, r = search(t, as(demo.Email(labs.RoleManager, "lv")), "q=staff&lab="+labs.NewID(time.Now()))
			mustStatus(t, r, http.StatusOK, "a lab that does not exist")
			mustStatus(t, srv.client(t).do("GET", "/api/search?q=staff", nil), http.StatusUnauthorized, "signed out")
		})
	}
}

// TestSearchPaging: pages of results are the readable results in order,
// and the total is theirs.
func TestSearchPaging(t *testing.T) {
	_, as := withDemo(t, engines[0].open)
	no := as(demo.Email(labs.RoleManager, "no"))
	all, r := search(t, no, "q=the&limit=50")
	mustStatus(t, r, http.StatusOK, "search")
	if all.Total < 4 {
		t.Fatalf("only %d results for 'the'", all.Total)
	}
	var paged []string
	for off := 0; off < all.Total; off += 3 {
		p, r := search(t, no, fmt.Sprintf("q=the&limit=3&offset=%d", off))
		mustStatus(t, r, http.StatusOK, "page")
		if p.Total != all.Total {
			t.Fatalf("page at %d: total %d, want %d", off, p.Total, all.Total)
		}
		for _, it := range p.Items {
			paged = append(paged, it.Kind+":"+it.ID)
		}
	}
	var want []string
	for _, it := range all.Items {
		want = append(want, it.Kind+":"+it.ID)
	}
	if !slices.Equal(paged, want) {
		t.Fatalf("pages %v\nwant %v", paged, want)
	}
}

// TestSearchIdeas: an idea on a workshop's wall is found by the members
// of its lab, never with its author, by nobody else, and not once the
// facilitator hid it.
func TestSearchIdeas(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ts, as := withDemo(t, e.open)
			norway, err := ts.Store.LabBySlug(t.Context(), "norway")
			if err != nil {
				t.Fatal(err)
			}
			fac, parent := as(demo.Email(labs.RoleFacilitator, "no")), as(demo.Email(labs.RoleServiceUser, "no"))
			ws := startWorkshop(t, fac, norway)
			mustStatus(t, parent.do("POST", "/api/workshops/"+ws.ID+"/join", nil), http.StatusOK, "join")
			r := parent.do("POST", "/api/workshops/"+ws.ID+"/ideas", map[string]any{"text": "Ein familiekontakt som følgjer heile vegen"})
			mustStatus(t, r, http.StatusCreated, "idea")
			var idea struct{ ID string }
			r.json(t, &idea)
			got := eventually(t, as(demo.Email(labs.RoleManager, "no")), "q=familiekontakt+folgjer", "an idea",
				func(b searchBody) bool { return b.Total == 1 })
			if it := got.Items[0]; it.Kind != "idea" || it.ID != idea.ID || it.WorkshopID != ws.ID || it.Author != nil || it.Country != "NO" {
				t.Fatalf("idea found as %+v", it)
			}
			for _, c := range []*client{as(demo.Email(labs.RoleManager, "rs")), as(demo.PartnerEmail)} {
				if got, _ := search(t, c, "q=familiekontakt"); got.Total != 0 {
					t.Fatalf("an idea found outside its lab: %+v", got)
				}
			}
			mustStatus(t, fac.do("PATCH", "/api/workshops/"+ws.ID+"/ideas/"+idea.ID, map[string]any{"reason": "a name in it"}), http.StatusOK, "hide")
			if got, _ := search(t, parent, "q=familiekontakt"); got.Total != 0 {
				t.Fatalf("a hidden idea is found: %+v", got)
			}
		})
	}
}
