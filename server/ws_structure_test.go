package server_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/linklab/linklab/labs"
)

type sectionList []struct{ Section, Key, Title string }

// TestLiveDocumentStructure: adding, moving, renaming and removing sections
// and renaming the document reach every subscriber without a reload; a new
// section is picked up by resubscribing with one's versions, and a removed
// section's text stays in its log.
func TestLiveDocumentStructure(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		doc := makeDoc(t, ts, w.labA, "one", "two")
		a := ts.client(t)
		a.mustSignIn(w.mgrA.Email, password)
		b := newCollabClient(t, ts, "B", w.mgrA.Email, doc)
		base := "/api/documents/" + doc.ID

		r := a.do("POST", base+"/sections", map[string]any{"title": "Three 👨‍👩‍👧", "after": doc.Sections[0].ID})
		var detail struct {
			Revision int
			Sections []struct{ ID, Title string }
		}
		r.json(t, &detail)
		if r.Status != 200 || detail.Revision != 1 || len(detail.Sections) != 3 || detail.Sections[1].Title != "Three 👨‍👩‍👧" {
			t.Fatalf("add section: %d %s", r.Status, r.Body)
		}
		added := detail.Sections[1].ID
		ev := b.ws.next("document")
		var secs sectionList
		json.Unmarshal(ev["sections"], &secs)
		if num(ev["revision"]) != 1 || len(secs) != 3 || secs[1].Section != added {
			t.Fatalf("document event: %s", ev["sections"])
		}
		// B resubscribes with its versions and gets the new section.
		b.connect(t)
		if _, ok := b.sections[added]; !ok {
			t.Fatal("resubscribing did not bring the new section")
		}
		b.edit(rand.New(rand.NewPCG(1, 2)), added)
		b.push(added)
		for b.pushing[added] {
			b.handle(t, b.ws.next("pushed", "update", "error"))
		}

		// B writes into "one", which is about to be removed.
		one := doc.Sections[0].ID
		b.edit(rand.New(rand.NewPCG(3, 4)), one)
		b.push(one)
		for b.pushing[one] {
			b.handle(t, b.ws.next("pushed", "update", "error"))
		}

		// Move "two" first, rename the document, then remove "one".
		if r := a.do("PATCH", base+"/sections/"+doc.Sections[1].ID, map[string]any{"after": ""}); r.Status != 200 {
			t.Fatalf("move: %d %s", r.Status, r.Body)
		}
		if r := a.do("PATCH", base, map[string]any{"title": "Renamed"}); r.Status != 200 {
			t.Fatalf("rename: %d %s", r.Status, r.Body)
		}
		if r := a.do("DELETE", base+"/sections/"+doc.Sections[0].ID, nil); r.Status != 200 {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		var last map[string]json.RawMessage
		for range 3 {
			last = b.ws.next("document")
		}
		json.Unmarshal(last["sections"], &secs)
		if str(last["title"]) != "Renamed" || len(secs) != 2 || secs[0].Section != doc.Sections[1].ID || secs[1].Section != added {
			t.Fatalf("final document event: %s %s", last["title"], last["sections"])
		}
		got, err := ts.Store.Document(context.Background(), doc.ID)
		if err != nil || got.Revision != 4 || len(got.Sections) != 2 {
			t.Fatalf("stored document: %+v %v", got, err)
		}
		// What was written into the removed section stays in its log, and
		// after resubscribing the section takes no more pushes.
		if v, err := ts.Store.LatestVersion(context.Background(), one); err != nil || v != 1 {
			t.Fatalf("removed section's log: version %d, %v", v, err)
		}
		b.connect(t)
		b.ws.send(map[string]any{"type": "push", "id": 5, "doc": doc.ID, "section": one, "version": 1, "clientID": "B",
			"updates": []any{map[string]any{"seq": 99, "changes": []any{[]any{0, "x"}, 1}}}})
		if e := b.ws.next("error"); str(e["code"]) != labs.ENotFound {
			t.Fatalf("push to a removed section: %s", e["code"])
		}
	})
}

func TestDocumentStructureGateAndInput(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	doc := makeDoc(t, ts, w.labA, "one")
	base := "/api/documents/" + doc.ID
	as := func(email string) *client {
		c := ts.client(t)
		c.mustSignIn(email, password)
		return c
	}
	mgr, fac, other := as(w.mgrA.Email), as(w.facA.Email), as(w.mgrB.Email)
	scenarios := []struct {
		name       string
		c          *client
		method     string
		path       string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"anonymous reads", ts.client(t), "GET", base, nil, 401, labs.EUnauthenticated},
		{"member reads", mgr, "GET", base, nil, 200, ""},
		{"facilitator reads", fac, "GET", base, nil, 200, ""},
		{"facilitator adds a section", fac, "POST", base + "/sections", map[string]any{"title": "X"}, 403, labs.EForbidden},
		{"other lab reads", other, "GET", base, nil, 404, labs.ENotFound},
		{"other lab renames", other, "PATCH", base, map[string]any{"title": "X"}, 404, labs.ENotFound},
		{"empty title", mgr, "PATCH", base, map[string]any{"title": "  "}, 400, labs.EInvalid},
		{"control characters", mgr, "POST", base + "/sections", map[string]any{"title": "a\u0007b"}, 400, labs.EInvalid},
		{"huge title", mgr, "POST", base + "/sections", map[string]any{"title": strings.Repeat("x", 5000)}, 413, labs.ETooLarge},
		{"after an unknown section", mgr, "POST", base + "/sections", map[string]any{"title": "X", "after": labs.NewID(ts.Auth.Now())}, 400, labs.EInvalid},
		{"move an unknown section", mgr, "PATCH", base + "/sections/" + labs.NewID(ts.Auth.Now()), map[string]any{"after": ""}, 404, labs.ENotFound},
		{"section after itself", mgr, "PATCH", base + "/sections/" + doc.Sections[0].ID, map[string]any{"after": doc.Sections[0].ID}, 400, labs.EInvalid},
		{"malformed document ID", mgr, "GET", "/api/documents/nope", nil, 400, labs.EInvalid},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			r := sc.c.do(sc.method, sc.path, sc.body)
			if r.Status != sc.wantStatus || r.errorCode() != sc.wantCode {
				t.Fatalf("got %d %q, want %d %q: %s", r.Status, r.errorCode(), sc.wantStatus, sc.wantCode, r.Body)
			}
		})
	}
	if got, _ := ts.Store.Document(context.Background(), doc.ID); got.Revision != 0 || got.Title != doc.Title {
		t.Fatalf("refused requests changed the document: %+v", got)
	}
	// Concurrent structure edits all land: each retries on a stale revision.
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if r := mgr.do("POST", base+"/sections", map[string]any{"title": "Concurrent"}); r.Status != 200 {
				t.Errorf("concurrent add: %d %s", r.Status, r.Body)
			}
		})
	}
	wg.Wait()
	if got, _ := ts.Store.Document(context.Background(), doc.ID); len(got.Sections) != 7 || got.Revision != 6 {
		t.Fatalf("after 6 concurrent adds: %d sections, revision %d", len(got.Sections), got.Revision)
	}
}
