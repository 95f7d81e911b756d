package server_test

import (
	"context"
	"net/http"
	"testing"

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
