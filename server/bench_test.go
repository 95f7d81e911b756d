package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
)

// BenchmarkAPI measures authenticated requests through the whole edge over
// real HTTP on loopback: cookie, session lookup, membership lookup, casbin,
// handler, JSON, on each engine.
func BenchmarkAPI(b *testing.B) {
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			ts := mustServe(b, e.open(b))
			w := ts.seed(b)
			c := ts.client(b)
			c.mustSignIn(w.mgrA.Email, password)
			b.Run("GetLab", func(b *testing.B) {
				for b.Loop() {
					if r := c.do("GET", "/api/labs/"+w.labA.ID, nil); r.Status != http.StatusOK {
						b.Fatal(r.Status)
					}
				}
			})
			// 200 documents at every level, a third of them drafts or
			// restricted documents of someone else: every item is decided
			// by the enforcer on its way out.
			levels := labs.Visibilities
			for i := range 200 {
				d := makeDoc(b, ts, w.labA, "x")
				d.Visibility, d.CreatedBy = levels[i%len(levels)], w.facA.ID
				if d.Visibility == labs.VisRestricted {
					d.Members = []string{w.facA.ID}
				}
				if err := ts.Store.UpdateDocument(context.Background(), d); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("ListDocuments200", func(b *testing.B) {
				for b.Loop() {
					if r := c.do("GET", "/api/labs/"+w.labA.ID+"/documents?limit=200", nil); r.Status != http.StatusOK {
						b.Fatal(r.Status)
					}
				}
			})
			b.Run("ListMembersParallel", func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					pc := ts.client(b)
					pc.mustSignIn(w.mgrA.Email, password)
					for pb.Next() {
						if r := pc.do("GET", "/api/labs/"+w.labA.ID+"/members", nil); r.Status != http.StatusOK {
							b.Error(r.Status)
							return
						}
					}
				})
			})
		})
	}
}

// BenchmarkCatchUp measures a client that resumes N changes behind (more
// than its send queue holds for the larger N): subscribe with version 0,
// read every update, until subscribed. SQLite; the changes are in the store
// and, for the last 2,000 to 3,000, in memory.
func BenchmarkCatchUp(b *testing.B) {
	for _, behind := range []int{1_000, 9_000, 50_000} {
		b.Run(fmt.Sprint(behind), func(b *testing.B) {
			ts := mustServe(b, engines[0].open(b))
			w := ts.seed(b)
			doc := makeDoc(b, ts, w.labA, "")
			sec := doc.Sections[0]
			var changes []labs.Change
			for v := 1; v <= behind; v++ {
				changes = append(changes, labs.Change{SectionID: sec.ID, Version: v, ClientID: "w", Seq: int64(v), AuthorID: w.mgrA.ID,
					Changes: []byte(fmt.Sprintf(`[[0,"x"],%d]`, v-1)), At: time.Now()})
			}
			if err := ts.Store.AppendChanges(context.Background(), changes); err != nil {
				b.Fatal(err)
			}
			c := ts.client(b)
			c.mustSignIn(w.mgrA.Email, password)
			for b.Loop() {
				ws := c.mustDialWS()
				ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID, "versions": map[string]int{sec.ID: 0}})
				for n := 0; n < behind; n++ {
					ws.next("update")
				}
				ws.next("subscribed")
				ws.conn.Close()
			}
			b.ReportMetric(float64(behind)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
		})
	}
}

// fiftyLabs makes 50 labs, each with a full baseline (17 sections of
// about 2,000 characters, one word of them the lab's own) shared with
// partners and 20 tagged passages, and returns a national partner signed
// in.
func fiftyLabs(b *testing.B, ts *testServer) *client {
	ctx := context.Background()
	partner, err := ts.Auth.CreateAccount(ctx, auth.NewAccount{Email: "partner@example.org", DisplayName: "Partner", Password: password})
	if err != nil {
		b.Fatal(err)
	}
	now := ts.Auth.Now()
	org := labs.PartnerOrg{ID: labs.NewID(now), Name: "Partner", Country: "LV", CreatedAt: now}
	if err := ts.Store.CreatePartnerOrg(ctx, org); err != nil {
		b.Fatal(err)
	}
	partner.PartnerOrgID = org.ID
	if err := ts.Store.UpdateAccount(ctx, partner); err != nil {
		b.Fatal(err)
	}
	c := ts.client(b)
	c.mustSignIn(partner.Email, password)
	var themes struct{ Items []struct{ ID string } }
	c.do("GET", "/api/themes", nil).json(b, &themes)
	paragraph := strings.Repeat("Staff are few and the law is old; families wait for services. ", 32) // about 2,000 characters
	for i := range 50 {
		lab := labs.Lab{ID: labs.NewID(now), Slug: fmt.Sprintf("lab-%02d", i), Country: fmt.Sprintf("C%02d", i), Title: fmt.Sprint("Lab ", i),
			TargetGroup: labs.TargetFamilies, CreatedAt: now, UpdatedAt: now}
		if err := ts.Store.CreateLab(ctx, lab); err != nil {
			b.Fatal(err)
		}
		d := labs.Document{ID: labs.NewID(now), LabID: lab.ID, Kind: labs.KindBaseline, Template: "baseline@1", Title: "Baseline",
			Visibility: labs.VisPartners, CreatedBy: "x", CreatedAt: now, UpdatedAt: now}
		for j := range 17 {
			d.Sections = append(d.Sections, labs.Section{ID: labs.NewID(now), Key: fmt.Sprint("s", j), Title: fmt.Sprint("Section ", j),
				Text: fmt.Sprintf("%s Municipality%02d%02d.", paragraph, i, j)})
		}
		if err := ts.Store.CreateDocument(ctx, d); err != nil {
			b.Fatal(err)
		}
		for j := range 20 {
			t := labs.Tag{ID: labs.NewID(now), DocumentID: d.ID, LabID: lab.ID, SectionID: d.Sections[j%17].ID, ThemeID: themes.Items[j%len(themes.Items)].ID,
				From: 0, To: 5, Quote: "Staff", After: paragraph[5:45], CreatedAt: now}
			if err := ts.Store.CreateTag(ctx, t); err != nil {
				b.Fatal(err)
			}
		}
	}
	return c
}

// BenchmarkThemeMatrix measures the country x theme matrix as a national
// partner reads it over fiftyLabs, on SQLite: every baseline and tag
// decided by the enforcer and every tag placed in its section's current
// text.
func BenchmarkThemeMatrix(b *testing.B) {
	ts := mustServe(b, engines[0].open(b))
	c := fiftyLabs(b, ts)
	for b.Loop() {
		if r := c.do("GET", "/api/themes/matrix", nil); r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"C49"`) {
			b.Fatalf("%d %.200s", r.Status, r.Body)
		}
	}
}

// BenchmarkSearch measures search as a national partner over fiftyLabs,
// on each engine: a word of every section (500 candidates, the most one
// search ranks, each checked for the reader), a word of one section, and
// indexing all of it again (what a start does).
func BenchmarkSearch(b *testing.B) {
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			ts := mustServe(b, e.open(b))
			c := fiftyLabs(b, ts)
			if err := ts.Srv.Reindex(context.Background()); err != nil {
				b.Fatal(err)
			}
			for _, q := range []struct{ name, query, want string }{
				{"every-section", "q=families+staff", `"total":500`},
				{"one-section", "q=municipality4916", `"total":1`},
			} {
				b.Run(q.name, func(b *testing.B) {
					for b.Loop() {
						if r := c.do("GET", "/api/search?"+q.query, nil); r.Status != http.StatusOK || !strings.Contains(string(r.Body), q.want) {
							b.Fatalf("%d %.300s", r.Status, r.Body)
						}
					}
				})
			}
			b.Run("index-all", func(b *testing.B) {
				for b.Loop() {
					if err := ts.Srv.Reindex(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
