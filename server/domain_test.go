package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// createDoc creates a document through the API as c and returns it.
func createDoc(t *testing.T, c *client, lab labs.Lab, body map[string]any) docDetail {
	t.Helper()
	r := c.do("POST", "/api/labs/"+lab.ID+"/documents", body)
	var d docDetail
	r.json(t, &d)
	if r.Status != 201 {
		t.Fatalf("create document %v: %d %s", body, r.Status, r.Body)
	}
	return d
}

type docDetail struct {
	ID, Title, Visibility, Status string
	Revision                      int
	Sections                      []struct{ ID, Key, Title string }
	Fields                        map[string]string
}

// watch subscribes a websocket to a document and collects every message
// it receives as raw JSON, for scanning later.
type watch struct {
	ws   *wsConn
	seen []string
}

func (w *watch) drain(types ...string) map[string]json.RawMessage {
	m := w.ws.next(types...)
	b, _ := json.Marshal(m)
	w.seen = append(w.seen, string(b))
	return m
}

func subscribe(t *testing.T, c *client, doc string) *watch {
	t.Helper()
	w := &watch{ws: c.mustDialWS()}
	w.ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc})
	w.drain("subscribed")
	return w
}

// TestAnonymityIsKept: an anonymous comment and anonymous feedback are
// posted; then every endpoint and websocket stream a facilitator, an admin
// and another member can reach is read, and the author's ID, e-mail and
// names appear in none of them. Only the author is told the items are
// theirs, and only the author may edit or delete them.
func TestAnonymityIsKept(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		author := ts.member(t, w.labA, "sigrid.secret@example.org", labs.RoleServiceUser)
		ac := ts.client(t)
		ac.mustSignIn(author.Email, password)
		if r := ac.do("PATCH", "/api/labs/"+w.labA.ID+"/members/me", map[string]any{"displayName": "Secret Sigrid"}); r.Status != 200 {
			t.Fatalf("pseudonym: %d %s", r.Status, r.Body)
		}
		mgr, fac, admin := ts.client(t), ts.client(t), ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		fac.mustSignIn(w.facA.Email, password)
		admin.mustSignIn(w.admin.Email, password)
		prop := createDoc(t, mgr, w.labA, map[string]any{"template": "proposal", "title": "Family coordinator"})
		mgrWatch, facWatch := subscribe(t, mgr, prop.ID), subscribe(t, fac, prop.ID)

		r := ac.do("POST", "/api/documents/"+prop.ID+"/comments", map[string]any{"sectionId": prop.Sections[0].ID,
			"body": "My family was sent between five offices.", "from": 0, "to": 0, "version": 0, "anonymous": true})
		var cm struct {
			ID     string
			Mine   bool
			Author *struct{ ID string }
		}
		r.json(t, &cm)
		if r.Status != 201 || !cm.Mine || cm.Author != nil {
			t.Fatalf("anonymous comment: %d %s", r.Status, r.Body)
		}
		r = ac.do("POST", "/api/labs/"+w.labA.ID+"/feedback", map[string]any{"target": "proposal", "targetId": prop.ID,
			"rating": 2, "body": "It would not reach us.", "anonymous": true})
		var fb struct{ ID string }
		r.json(t, &fb)
		if r.Status != 201 {
			t.Fatalf("anonymous feedback: %d %s", r.Status, r.Body)
		}
		if r := ac.do("POST", "/api/labs/"+w.labA.ID+"/feedback", map[string]any{"rating": 4, "body": "Good room.", "anonymous": true}); r.Status != 201 {
			t.Fatalf("anonymous lab feedback: %d %s", r.Status, r.Body)
		}
		// The author edits; others may neither edit nor delete.
		if r := ac.do("PATCH", "/api/comments/"+cm.ID, map[string]any{"body": "We were sent between five offices."}); r.Status != 200 {
			t.Fatalf("author edits: %d %s", r.Status, r.Body)
		}
		for _, c := range []*client{mgr, fac} {
			for _, req := range []struct{ method, path string }{{"PATCH", "/api/comments/" + cm.ID}, {"DELETE", "/api/comments/" + cm.ID},
				{"PATCH", "/api/feedback/" + fb.ID}, {"DELETE", "/api/feedback/" + fb.ID}} {
				r := c.do(req.method, req.path, map[string]any{"body": "x", "rating": 1})
				if r.Status != 403 {
					t.Fatalf("%s %s by a non-author: %d %s", req.method, req.path, r.Status, r.Body)
				}
			}
		}
		// Moderation is recorded without the author.
		if r := fac.do("PUT", "/api/feedback/"+fb.ID+"/hidden", map[string]any{"reason": "Names a caseworker"}); r.Status != 200 {
			t.Fatalf("hide: %d %s", r.Status, r.Body)
		}
		if r := fac.do("PUT", "/api/comments/"+cm.ID+"/hidden", map[string]any{"reason": "Too personal"}); r.Status != 200 {
			t.Fatalf("hide comment: %d %s", r.Status, r.Body)
		}
		for _, ww := range []*watch{mgrWatch, facWatch} {
			ww.drain("comment")
			ww.drain("feedback")
		}

		secrets := []string{author.ID, author.Email, author.DisplayName, "Secret Sigrid", "sigrid"}
		paths := []string{
			"/api/labs/" + w.labA.ID, "/api/labs/" + w.labA.ID + "/documents", "/api/documents/" + prop.ID,
			"/api/documents/" + prop.ID + "/comments", "/api/documents/" + prop.ID + "/export",
			"/api/labs/" + w.labA.ID + "/feedback", "/api/labs/" + w.labA.ID + "/feedback?target=proposal&targetId=" + prop.ID,
			"/api/labs/" + w.labA.ID + "/audit", "/api/labs", "/api/auth/session",
		}
		for name, c := range map[string]*client{"facilitator": fac, "admin": admin, "member": mgr} {
			var bodies []string
			for _, p := range paths {
				r := c.do("GET", p, nil)
				if r.Status >= 500 {
					t.Fatalf("%s GET %s: %d", name, p, r.Status)
				}
				bodies = append(bodies, p+" "+string(r.Body))
			}
			// What comes out of a refusal must not tell either.
			r := c.do("DELETE", "/api/comments/"+cm.ID, nil)
			bodies = append(bodies, "refusal "+string(r.Body))
			for _, b := range bodies {
				for _, s := range secrets {
					if strings.Contains(strings.ToLower(b), strings.ToLower(s)) {
						t.Errorf("%s sees %q in %.200s", name, s, b)
					}
				}
			}
		}
		for _, ww := range []*watch{mgrWatch, facWatch} {
			for _, m := range ww.seen {
				for _, s := range secrets {
					if strings.Contains(strings.ToLower(m), strings.ToLower(s)) {
						t.Errorf("a websocket event shows %q: %.200s", s, m)
					}
				}
			}
		}
		// The facilitator's audit view has the moderation, and nobody's
		// authorship.
		r = fac.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil)
		if !strings.Contains(string(r.Body), "feedback.hide") || !strings.Contains(string(r.Body), "comment.hide") {
			t.Fatalf("audit lacks the moderation: %s", r.Body)
		}
		// The author still sees their hidden text; others the reason only.
		r = ac.do("GET", "/api/documents/"+prop.ID+"/comments", nil)
		if !strings.Contains(string(r.Body), "five offices") || !strings.Contains(string(r.Body), `"mine":true`) {
			t.Fatalf("the author's view: %s", r.Body)
		}
		r = mgr.do("GET", "/api/documents/"+prop.ID+"/comments", nil)
		if strings.Contains(string(r.Body), "five offices") || !strings.Contains(string(r.Body), "Too personal") {
			t.Fatalf("another member's view of a hidden comment: %s", r.Body)
		}
		// Moderation can be undone, by a facilitator only, and is recorded.
		for _, p := range []string{"/api/comments/" + cm.ID + "/hidden", "/api/feedback/" + fb.ID + "/hidden"} {
			if r := mgr.do("DELETE", p, nil); r.Status != 403 {
				t.Fatalf("a member shows a hidden item again: %d %s", r.Status, r.Body)
			}
			if r := fac.do("DELETE", p, nil); r.Status != 200 || !strings.Contains(string(r.Body), `"hidden":null`) {
				t.Fatalf("facilitator shows %s again: %d %s", p, r.Status, r.Body)
			}
		}
		r = mgr.do("GET", "/api/documents/"+prop.ID+"/comments", nil)
		if !strings.Contains(string(r.Body), "five offices") || strings.Contains(string(r.Body), "Too personal") {
			t.Fatalf("another member's view of a comment shown again: %s", r.Body)
		}
		r = fac.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil)
		if !strings.Contains(string(r.Body), "feedback.unhide") || !strings.Contains(string(r.Body), "comment.unhide") {
			t.Fatalf("audit lacks the undone moderation: %s", r.Body)
		}
		// The author may delete it.
		if r := ac.do("DELETE", "/api/comments/"+cm.ID, nil); r.Status != 204 {
			t.Fatalf("author deletes: %d %s", r.Status, r.Body)
		}
	})
}

// TestOtherLabsItemsAreNotFound: a member of one lab gets 404, not 403, for
// every lab-level item of another lab, through every route; a partner sees
// the other lab's baseline only once it is shared with partners; an admin
// reads no lab content.
func TestOtherLabsItemsAreNotFound(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		ctx := context.Background()
		b := ts.client(t)
		b.mustSignIn(w.mgrB.Email, password)
		base := createDoc(t, b, w.labB, map[string]any{"template": "baseline"})
		prop := createDoc(t, b, w.labB, map[string]any{"template": "proposal", "title": "A proposal"})
		var cm, fb, labFb struct{ ID string }
		b.do("POST", "/api/documents/"+base.ID+"/comments", map[string]any{"sectionId": base.Sections[0].ID, "body": "Hm",
			"from": 0, "to": 0, "version": 0}).json(t, &cm)
		b.do("POST", "/api/labs/"+w.labB.ID+"/feedback", map[string]any{"target": "proposal", "targetId": prop.ID, "rating": 3, "body": "Ok"}).json(t, &fb)
		b.do("POST", "/api/labs/"+w.labB.ID+"/feedback", map[string]any{"rating": 3, "body": "Ok"}).json(t, &labFb)
		if cm.ID == "" || fb.ID == "" || labFb.ID == "" {
			t.Fatal("setting up the other lab's items failed")
		}

		routes := func(doc string) []struct{ method, path string } {
			L := "/api/labs/" + w.labB.ID
			return []struct{ method, path string }{
				{"GET", "/api/documents/" + doc}, {"PATCH", "/api/documents/" + doc}, {"PUT", "/api/documents/" + doc + "/visibility"},
				{"PUT", "/api/documents/" + doc + "/status"}, {"GET", "/api/documents/" + doc + "/export"},
				{"GET", "/api/documents/" + doc + "/comments"}, {"POST", "/api/documents/" + doc + "/comments"},
				{"POST", "/api/documents/" + doc + "/sections"}, {"PATCH", "/api/documents/" + doc + "/sections/" + base.Sections[0].ID},
				{"DELETE", "/api/documents/" + doc + "/sections/" + base.Sections[0].ID},
				{"PATCH", "/api/comments/" + cm.ID}, {"DELETE", "/api/comments/" + cm.ID},
				{"PUT", "/api/comments/" + cm.ID + "/resolved"}, {"PUT", "/api/comments/" + cm.ID + "/hidden"},
				{"DELETE", "/api/comments/" + cm.ID + "/hidden"},
				{"PATCH", "/api/feedback/" + fb.ID}, {"DELETE", "/api/feedback/" + fb.ID}, {"PUT", "/api/feedback/" + fb.ID + "/hidden"},
				{"DELETE", "/api/feedback/" + fb.ID + "/hidden"},
				{"PATCH", "/api/feedback/" + labFb.ID}, {"DELETE", "/api/feedback/" + labFb.ID}, {"PUT", "/api/feedback/" + labFb.ID + "/hidden"},
				{"DELETE", "/api/feedback/" + labFb.ID + "/hidden"},
				{"GET", L + "/members"}, {"GET", L + "/audit"}, {"GET", L + "/invitations"}, {"POST", L + "/invitations"},
				{"GET", L + "/feedback"}, {"POST", L + "/feedback"}, {"GET", L + "/feedback?target=proposal&targetId=" + prop.ID},
				{"PATCH", L + "/members/me"}, {"POST", L + "/documents"},
			}
		}
		body := map[string]any{}
		a := ts.client(t)
		a.mustSignIn(w.mgrA.Email, password)
		for _, rt := range routes(base.ID) {
			if r := a.do(rt.method, rt.path, body); r.Status != 404 {
				t.Errorf("another lab's member: %s %s = %d %s, want 404", rt.method, rt.path, r.Status, r.Body)
			}
		}
		// Listings do not show the items, and the websocket does not either.
		r := a.do("GET", "/api/labs/"+w.labB.ID+"/documents", nil)
		if r.Status != 200 || strings.Contains(string(r.Body), base.ID) {
			t.Fatalf("another lab's listing: %d %s", r.Status, r.Body)
		}
		ws := a.mustDialWS()
		ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": base.ID})
		if m := ws.next("error", "subscribed"); str(m["code"]) != labs.ENotFound {
			t.Fatalf("subscribe to another lab's document: %v", m)
		}

		// An admin reads no lab content either.
		admin := ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		for _, p := range []string{"/api/documents/" + base.ID, "/api/documents/" + base.ID + "/comments", "/api/documents/" + base.ID + "/export"} {
			if r := admin.do("GET", p, nil); r.Status != 404 {
				t.Errorf("admin GET %s = %d, want 404", p, r.Status)
			}
		}

		// A national partner: nothing until the lab shares with partners.
		var org struct{ ID string }
		admin.do("POST", "/api/admin/partner-orgs", map[string]any{"name": "Swedish partner", "country": "SE"}).json(t, &org)
		partner := ts.member(t, w.labA, "partner@example.org", labs.RoleManager)
		if err := ts.Store.RemoveMembership(ctx, w.labA.ID, partner.ID); err != nil {
			t.Fatal(err)
		}
		if r := admin.do("PATCH", "/api/admin/accounts/"+partner.ID, map[string]any{"partnerOrgId": org.ID}); r.Status != 200 {
			t.Fatalf("make partner: %d %s", r.Status, r.Body)
		}
		if r := admin.do("PATCH", "/api/admin/accounts/"+partner.ID, map[string]any{"partnerOrgId": labs.NewID(ts.Auth.Now())}); r.Status != 400 {
			t.Fatalf("partner of no organisation: %d %s", r.Status, r.Body)
		}
		p := ts.client(t)
		p.mustSignIn(partner.Email, password)
		if r := p.do("GET", "/api/documents/"+base.ID, nil); r.Status != 404 {
			t.Fatalf("partner reads a lab-level baseline: %d", r.Status)
		}
		if r := b.do("PUT", "/api/documents/"+base.ID+"/visibility", map[string]any{"visibility": "partners"}); r.Status != 200 {
			t.Fatalf("share with partners: %d %s", r.Status, r.Body)
		}
		if r := p.do("GET", "/api/documents/"+base.ID, nil); r.Status != 200 {
			t.Fatalf("partner reads the shared baseline: %d %s", r.Status, r.Body)
		}
		if r := p.do("GET", "/api/labs/"+w.labB.ID+"/documents", nil); !strings.Contains(string(r.Body), base.ID) || strings.Contains(string(r.Body), prop.ID) {
			t.Fatalf("partner's listing: %s", r.Body)
		}
		if r := p.do("PATCH", "/api/documents/"+base.ID, map[string]any{"title": "Mine now"}); r.Status != 403 {
			t.Fatalf("partner writes the baseline: %d", r.Status)
		}
		// Still nothing for the other lab's member, and nothing lab-level for the partner.
		if r := a.do("GET", "/api/documents/"+base.ID, nil); r.Status != 404 {
			t.Fatalf("a member of another lab reads a partners-level document: %d", r.Status)
		}
		if r := p.do("GET", "/api/documents/"+prop.ID, nil); r.Status != 404 {
			t.Fatalf("partner reads a lab-level proposal: %d", r.Status)
		}
		// The change of level is recorded.
		r = admin.do("GET", "/api/labs/"+w.labB.ID+"/audit", nil)
		if !strings.Contains(string(r.Body), `"document.visibility"`) || !strings.Contains(string(r.Body), `"to":"partners"`) {
			t.Fatalf("audit: %s", r.Body)
		}
	})
}

// TestProposalLifecycleAndFields: a proposal's typed fields and logic map
// are validated; it moves one stage at a time; each move is recorded and
// reaches live subscribers; facilitators record moves but do not write.
func TestProposalLifecycleAndFields(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		mgr, fac := ts.client(t), ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		fac.mustSignIn(w.facA.Email, password)
		prop := createDoc(t, mgr, w.labA, map[string]any{"template": "proposal", "title": "A proposal"})
		if prop.Status != "draft" {
			t.Fatalf("a new proposal is %q", prop.Status)
		}
		path := "/api/documents/" + prop.ID
		watcher := subscribe(t, fac, prop.ID)
		for _, bad := range []map[string]any{
			{"fields": map[string]any{"scope": "mega"}},
			{"fields": map[string]any{"scope": "micro,macro"}},
			{"fields": map[string]any{"colour": "red"}},
			{"logicMap": map[string]any{"elements": []any{map[string]any{"id": "e", "text": "x", "outcomes": []string{"nowhere"}}}}},
			{"logicMap": map[string]any{"outcomes": []any{map[string]any{"id": "o", "text": "x", "term": "medium"}}}},
		} {
			if r := mgr.do("PATCH", path, bad); r.Status != 400 {
				t.Errorf("PATCH %v: %d %s", bad, r.Status, r.Body)
			}
		}
		good := map[string]any{"fields": map[string]any{"scope": "meso", "costs": "funded-project,staffing"},
			"logicMap": map[string]any{
				"elements": []any{map[string]any{"id": "e1", "text": "One coordinator per family", "outcomes": []string{"o1", "o2"}}},
				"outcomes": []any{map[string]any{"id": "o1", "text": "Fewer offices", "term": "short"}, map[string]any{"id": "o2", "text": "Work", "term": "long"}}}}
		r := mgr.do("PATCH", path, good)
		var d docDetail
		r.json(t, &d)
		if r.Status != 200 || d.Fields["costs"] != "staffing,funded-project" || d.Fields["scope"] != "meso" {
			t.Fatalf("PATCH fields: %d %s", r.Status, r.Body)
		}
		if ev := watcher.drain("document"); !strings.Contains(string(ev["logicMap"]), "One coordinator") {
			t.Fatalf("document event: %s", ev["logicMap"])
		}
		if r := fac.do("PATCH", path, map[string]any{"title": "Facilitator's"}); r.Status != 403 {
			t.Fatalf("facilitator writes: %d", r.Status)
		}
		if r := mgr.do("PUT", path+"/status", map[string]any{"status": "prioritised"}); r.Status != 409 {
			t.Fatalf("skipping a stage: %d %s", r.Status, r.Body)
		}
		for i, step := range []struct {
			c    *client
			to   string
			want int
		}{{mgr, "open", 200}, {fac, "prioritised", 200}, {mgr, "piloting", 200}, {mgr, "archived", 200}, {mgr, "open", 409}, {fac, "draft", 200}} {
			r := step.c.do("PUT", path+"/status", map[string]any{"status": step.to})
			if r.Status != step.want {
				t.Fatalf("step %d to %s: %d %s", i, step.to, r.Status, r.Body)
			}
			if r.Status == 200 {
				if ev := watcher.drain("document"); str(ev["status"]) != step.to {
					t.Fatalf("status event: %v", ev["status"])
				}
			}
		}
		r = fac.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil)
		if n := strings.Count(string(r.Body), `"document.status"`); n != 5 {
			t.Fatalf("%d lifecycle moves recorded, want 5: %s", n, r.Body)
		}
		if r := mgr.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil); r.Status != 403 {
			t.Fatalf("a participant reads the audit log: %d", r.Status)
		}
		base := createDoc(t, mgr, w.labA, map[string]any{"template": "baseline"})
		if r := mgr.do("PUT", "/api/documents/"+base.ID+"/status", map[string]any{"status": "open"}); r.Status != 400 {
			t.Fatalf("a baseline has no lifecycle: %d", r.Status)
		}
		if r := mgr.do("POST", "/api/labs/"+w.labA.ID+"/documents", map[string]any{"template": "../../etc"}); r.Status != 400 {
			t.Fatalf("unknown template: %d", r.Status)
		}
	})
}

// TestCommentsFollowTheText: a thread's anchor stays on its words while
// others type before them; replies, resolving and hiding reach live
// subscribers; private drafts and restricted documents are closed to
// everyone not entitled, live subscribers included.
func TestCommentsFollowTheText(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		doc := makeDoc(t, ts, w.labA, "abcdef")
		mgr := ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		r := mgr.do("POST", "/api/documents/"+doc.ID+"/comments", map[string]any{"sectionId": doc.Sections[0].ID,
			"body": "What is cd?", "from": 2, "to": 4, "version": 0})
		var root struct{ ID string }
		r.json(t, &root)
		if r.Status != 201 {
			t.Fatalf("comment: %d %s", r.Status, r.Body)
		}
		for _, bad := range []map[string]any{
			{"sectionId": doc.Sections[0].ID, "body": "x", "from": 2, "to": 99, "version": 0},
			{"sectionId": doc.Sections[0].ID, "body": "x", "from": 3, "to": 2, "version": 0},
			{"sectionId": doc.Sections[0].ID, "body": "x", "from": 0, "to": 0},
			{"sectionId": labs.NewID(ts.Auth.Now()), "body": "x", "from": 0, "to": 0, "version": 0},
			{"sectionId": doc.Sections[0].ID, "body": "  ", "from": 0, "to": 0, "version": 0},
			{"sectionId": doc.Sections[0].ID, "body": strings.Repeat("x", labs.MaxCommentLength+1), "from": 0, "to": 0, "version": 0},
			{"parentId": labs.NewID(ts.Auth.Now()), "body": "x"},
		} {
			if r := mgr.do("POST", "/api/documents/"+doc.ID+"/comments", bad); r.Status != 400 {
				t.Errorf("bad comment %v: %d %s", bad["body"], r.Status, r.Body)
			}
		}
		// Someone types "XYZ" at the start.
		cc := newCollabClient(t, ts, "typist", w.mgrA.Email, doc)
		sec := doc.Sections[0].ID
		insert, err := realtime.ParseChangeSet([]byte(`[[0,"XYZ"],6]`))
		if err != nil {
			t.Fatal(err)
		}
		s := cc.sections[sec]
		if s.text, err = insert.Apply(s.text); err != nil {
			t.Fatal(err)
		}
		cc.nextSeq++
		s.unconfirmed = append(s.unconfirmed, realtime.Pushed{Seq: cc.nextSeq, Changes: insert})
		cc.push(sec)
		for cc.pushing[sec] {
			cc.handle(t, cc.ws.next("pushed", "update", "error"))
		}
		var list struct {
			Items []struct {
				ID, Body, Quote     string
				From, To, Version   int
				Resolved, Anonymous bool
				Author              *struct{ Name string }
			}
		}
		mgr.do("GET", "/api/documents/"+doc.ID+"/comments", nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].From != 5 || list.Items[0].To != 7 || list.Items[0].Version != 1 || list.Items[0].Author == nil ||
			list.Items[0].Quote != "cd" {
			t.Fatalf("anchor after an insertion before it: %+v", list.Items)
		}
		watcher := subscribe(t, mgr, doc.ID)
		reply := mgr.do("POST", "/api/documents/"+doc.ID+"/comments", map[string]any{"parentId": root.ID, "body": "The middle."})
		if reply.Status != 201 {
			t.Fatalf("reply: %d %s", reply.Status, reply.Body)
		}
		if ev := watcher.drain("comment"); !strings.Contains(string(ev["comment"]), "The middle.") {
			t.Fatalf("comment event: %s", ev["comment"])
		}
		if r := mgr.do("PUT", "/api/comments/"+root.ID+"/resolved", map[string]any{"resolved": true}); r.Status != 200 {
			t.Fatalf("resolve: %d %s", r.Status, r.Body)
		}
		// What reaches the others is placed in the current text, as the
		// listing is: the thread's words, where they are now.
		if ev := watcher.drain("comment"); !strings.Contains(string(ev["comment"]), `"resolved":true`) ||
			!strings.Contains(string(ev["comment"]), `"from":5,"to":7,"version":1,`) || !strings.Contains(string(ev["comment"]), `"quote":"cd"`) {
			t.Fatalf("resolve event: %s", ev["comment"])
		}
		fac := ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		if r := fac.do("PUT", "/api/comments/"+root.ID+"/hidden", map[string]any{"reason": " "}); r.Status != 400 {
			t.Fatalf("hiding without a reason: %d", r.Status)
		}
		if r := mgr.do("PUT", "/api/comments/"+root.ID+"/hidden", map[string]any{"reason": "I dislike it"}); r.Status != 403 {
			t.Fatalf("a participant hides: %d", r.Status)
		}
		if r := fac.do("POST", "/api/documents/"+doc.ID+"/comments", map[string]any{"parentId": root.ID, "body": "Facilitator speaking"}); r.Status != 403 {
			t.Fatalf("a facilitator comments: %d", r.Status)
		}
	})
}

// TestLevelsReachLiveSubscribers: a private draft is its author's alone,
// on every channel; making it restricted opens it to the named members
// only; a subscriber who loses access is cut off at once.
func TestLevelsReachLiveSubscribers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		su := ts.member(t, w.labA, "parent@example.org", labs.RoleServiceUser)
		other := ts.member(t, w.labA, "youth@example.org", labs.RoleServiceUser)
		author, mgr, oc := ts.client(t), ts.client(t), ts.client(t)
		author.mustSignIn(su.Email, password)
		mgr.mustSignIn(w.mgrA.Email, password)
		oc.mustSignIn(other.Email, password)
		d := createDoc(t, author, w.labA, map[string]any{"template": "notes", "title": "My draft", "visibility": "private"})
		for name, c := range map[string]*client{"manager": mgr, "facilitator": func() *client { f := ts.client(t); f.mustSignIn(w.facA.Email, password); return f }()} {
			if r := c.do("GET", "/api/documents/"+d.ID, nil); r.Status != 404 {
				t.Fatalf("%s reads a private draft: %d", name, r.Status)
			}
			if r := c.do("GET", "/api/labs/"+w.labA.ID+"/documents", nil); strings.Contains(string(r.Body), d.ID) {
				t.Fatalf("%s lists a private draft", name)
			}
		}
		if r := mgr.do("PUT", "/api/documents/"+d.ID+"/visibility", map[string]any{"visibility": "lab"}); r.Status != 404 {
			t.Fatalf("someone else shares a private draft: %d", r.Status)
		}
		if r := author.do("PUT", "/api/documents/"+d.ID+"/visibility", map[string]any{"visibility": "restricted",
			"members": []string{w.mgrA.ID, w.mgrB.ID}}); r.Status != 400 {
			t.Fatalf("naming someone outside the lab: %d %s", r.Status, r.Body)
		}
		if r := author.do("PUT", "/api/documents/"+d.ID+"/visibility", map[string]any{"visibility": "restricted",
			"members": []string{w.mgrA.ID}}); r.Status != 200 {
			t.Fatalf("restrict: %d %s", r.Status, r.Body)
		}
		if r := mgr.do("GET", "/api/documents/"+d.ID, nil); r.Status != 200 {
			t.Fatalf("a named member reads: %d", r.Status)
		}
		if r := oc.do("GET", "/api/documents/"+d.ID, nil); r.Status != 404 {
			t.Fatalf("an unnamed member reads: %d", r.Status)
		}
		live := subscribe(t, mgr, d.ID)
		if r := author.do("PUT", "/api/documents/"+d.ID+"/visibility", map[string]any{"visibility": "private"}); r.Status != 200 {
			t.Fatalf("back to private: %d %s", r.Status, r.Body)
		}
		live.drain("revoked")
		live.ws.send(map[string]any{"type": "subscribe", "id": 2, "doc": d.ID})
		if m := live.drain("error", "subscribed"); str(m["code"]) != labs.ENotFound {
			t.Fatalf("resubscribing after losing access: %v", m)
		}
		r := author.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil)
		if r.Status != 403 {
			t.Fatalf("participant reads audit: %d", r.Status)
		}
		entries, _, err := ts.Store.ListAudit(context.Background(), w.labA.ID, labs.Page{})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit entries: %v %v", entries, err)
		}
		// Both changes happened at the same (fake) instant, so their order
		// in the log is not decided; their content is.
		var details []string
		for _, e := range entries {
			details = append(details, e.Action+" "+fmt.Sprint(e.Detail))
		}
		slices.Sort(details)
		if got := strings.Join(details, "; "); got != "document.visibility map[from:private named:1 to:restricted]; document.visibility map[from:restricted named:0 to:private]" {
			t.Fatalf("audit: %s", got)
		}
	})
}

// partnerAccount makes a national partner of a new organisation through
// the admin API.
func partnerAccount(t *testing.T, ts *testServer, admin *client, email, country string) (labs.Account, *client) {
	t.Helper()
	var org struct{ ID string }
	if r := admin.do("POST", "/api/admin/partner-orgs", map[string]any{"name": "Partner " + country, "country": country}); r.Status != 201 {
		t.Fatalf("create partner organisation: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &org)
	}
	a, err := ts.Auth.CreateAccount(context.Background(), auth.NewAccount{Email: email, DisplayName: "Partner " + country, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if r := admin.do("PATCH", "/api/admin/accounts/"+a.ID, map[string]any{"partnerOrgId": org.ID}); r.Status != 200 {
		t.Fatalf("make partner: %d %s", r.Status, r.Body)
	}
	c := ts.client(t)
	c.mustSignIn(email, password)
	return a, c
}

// TestSynthesesArePartnersWork: partners co-write syntheses in the partner
// network, outside every lab. Lab members and admins see a synthesis only
// once it is shared with the network, and never write it; the levels and
// named people fit a space without a lab; changes are audited there.
func TestSynthesesArePartnersWork(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		admin, mgr, anon := ts.client(t), ts.client(t), ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		mgr.mustSignIn(w.mgrA.Email, password)
		_, p1 := partnerAccount(t, ts, admin, "p1@example.org", "NO")
		p2acc, p2 := partnerAccount(t, ts, admin, "p2@example.org", "SI")

		r := p1.do("POST", "/api/network/documents", map[string]any{"title": "Families across NO and SI"})
		var d struct {
			docDetail
			Kind  string
			LabID *string
		}
		r.json(t, &d)
		if r.Status != 201 || d.Kind != "synthesis" || d.Visibility != "partners" || d.LabID != nil || len(d.Sections) == 0 {
			t.Fatalf("create synthesis: %d %s", r.Status, r.Body)
		}
		for _, tc := range []struct {
			name string
			c    *client
			path string
			body map[string]any
			want int
		}{
			{"a baseline in the network", p1, "/api/network/documents", map[string]any{"template": "baseline"}, 400},
			{"a lab-wide synthesis", p1, "/api/network/documents", map[string]any{"visibility": "lab"}, 400},
			{"a lab member", mgr, "/api/network/documents", map[string]any{}, 403},
			{"an admin", admin, "/api/network/documents", map[string]any{}, 403},
			{"nobody signed in", anon, "/api/network/documents", map[string]any{}, 401},
			{"a synthesis in a lab", mgr, "/api/labs/" + w.labA.ID + "/documents", map[string]any{"template": "synthesis"}, 400},
			{"a partner in a lab", p1, "/api/labs/" + w.labA.ID + "/documents", map[string]any{"template": "notes"}, 404},
		} {
			if r := tc.c.do("POST", tc.path, tc.body); r.Status != tc.want {
				t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Body, tc.want)
			}
		}
		if r := p2.do("GET", "/api/network/documents", nil); !strings.Contains(string(r.Body), d.ID) {
			t.Fatalf("the other partner's listing: %s", r.Body)
		}
		for name, c := range map[string]*client{"lab member": mgr, "admin": admin} {
			if r := c.do("GET", "/api/documents/"+d.ID, nil); r.Status != 404 {
				t.Errorf("%s reads a partners' synthesis: %d", name, r.Status)
			}
			if r := c.do("GET", "/api/network/documents", nil); r.Status != 200 || strings.Contains(string(r.Body), d.ID) {
				t.Errorf("%s lists a partners' synthesis: %d %s", name, r.Status, r.Body)
			}
		}
		// The other partner co-writes: the title, the text, a comment.
		if r := p2.do("PATCH", "/api/documents/"+d.ID, map[string]any{"title": "Families compared"}); r.Status != 200 {
			t.Fatalf("partner renames: %d %s", r.Status, r.Body)
		}
		ws := p2.mustDialWS()
		ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": d.ID})
		ws.next("subscribed")
		ws.send(map[string]any{"type": "push", "id": 2, "doc": d.ID, "section": d.Sections[0].ID, "version": 0, "clientID": "p2",
			"updates": []any{map[string]any{"seq": 1, "changes": []any{[]any{0, "Norway and Slovenia"}}}}})
		if m := ws.next("pushed", "error"); str(m["type"]) != "pushed" {
			t.Fatalf("partner's push: %v", m)
		}
		if r := p2.do("POST", "/api/documents/"+d.ID+"/comments", map[string]any{"sectionId": d.Sections[0].ID, "body": "Add Serbia?",
			"from": 0, "to": 6, "version": 1}); r.Status != 201 {
			t.Fatalf("partner comments: %d %s", r.Status, r.Body)
		}
		// Levels and names fit a space without a lab.
		for _, tc := range []struct {
			body map[string]any
			want int
		}{
			{map[string]any{"visibility": "lab"}, 400},
			{map[string]any{"visibility": "restricted", "members": []string{w.mgrA.ID}}, 400},
			{map[string]any{"visibility": "restricted", "members": []string{p2acc.ID}}, 200},
			{map[string]any{"visibility": "network"}, 200},
		} {
			if r := p1.do("PUT", "/api/documents/"+d.ID+"/visibility", tc.body); r.Status != tc.want {
				t.Errorf("share %v: %d %s, want %d", tc.body, r.Status, r.Body, tc.want)
			}
		}
		if r := mgr.do("GET", "/api/documents/"+d.ID+"/export", nil); r.Status != 200 || !strings.Contains(string(r.Body), "Norway and Slovenia") {
			t.Fatalf("a lab member exports a network-wide synthesis: %d %s", r.Status, r.Body)
		}
		if r := mgr.do("PATCH", "/api/documents/"+d.ID, map[string]any{"title": "Mine now"}); r.Status != 403 {
			t.Fatalf("a lab member writes a synthesis: %d %s", r.Status, r.Body)
		}
		if r := p1.do("GET", "/api/network/audit", nil); r.Status != 403 {
			t.Fatalf("a partner reads the network's audit log: %d", r.Status)
		}
		r = admin.do("GET", "/api/network/audit", nil)
		if r.Status != 200 || strings.Count(string(r.Body), `"document.visibility"`) != 2 || !strings.Contains(string(r.Body), `"document.export"`) {
			t.Fatalf("the network's audit log: %d %s", r.Status, r.Body)
		}
		if r := admin.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil); strings.Contains(string(r.Body), d.ID) {
			t.Fatalf("a lab's audit log lists the synthesis: %s", r.Body)
		}
	})
}

// TestSectionsKeptFromSomeReaders: a baseline shared with the partners
// keeps one section to the lab. Partners do not get that section, its text,
// its comments or its title through any channel; members do; opening it
// again gives it back. Changes are recorded and reach live subscribers.
func TestSectionsKeptFromSomeReaders(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		admin, mgr := ts.client(t), ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		mgr.mustSignIn(w.mgrA.Email, password)
		_, partner := partnerAccount(t, ts, admin, "p@example.org", "NO")
		d := createDoc(t, mgr, w.labA, map[string]any{"template": "baseline", "visibility": "partners"})
		kept, open := d.Sections[1], d.Sections[0]
		const secret = "Names of the three families we worry about"

		// The member writes the text, then keeps the section to the lab,
		// while the partner is subscribed.
		mws := mgr.mustDialWS()
		mws.send(map[string]any{"type": "subscribe", "id": 1, "doc": d.ID})
		mws.next("subscribed")
		mws.send(map[string]any{"type": "push", "id": 2, "doc": d.ID, "section": kept.ID, "version": 0, "clientID": "m",
			"updates": []any{map[string]any{"seq": 1, "changes": []any{[]any{0, secret}}}}})
		mws.next("pushed")
		early := subscribe(t, partner, d.ID)
		for _, tc := range []struct {
			c    *client
			body map[string]any
			want int
		}{
			{mgr, map[string]any{"visibility": "private"}, 400},
			{mgr, map[string]any{"visibility": "public"}, 400}, // wider than the document
			{partner, map[string]any{"visibility": "partners"}, 403},
			{mgr, map[string]any{"visibility": "lab"}, 200},
		} {
			if r := tc.c.do("PATCH", "/api/documents/"+d.ID+"/sections/"+kept.ID, tc.body); r.Status != tc.want {
				t.Fatalf("section level %v: %d %s, want %d", tc.body, r.Status, r.Body, tc.want)
			}
		}
		early.drain("revoked")
		mws.next("revoked")
		mws.send(map[string]any{"type": "subscribe", "id": 3, "doc": d.ID})
		mws.next("subscribed")

		// A comment on each section, by the member.
		var onKept, onOpen struct{ ID string }
		mgr.do("POST", "/api/documents/"+d.ID+"/comments", map[string]any{"sectionId": kept.ID, "body": "Ask them first", "from": 0, "to": 5, "version": 1}).json(t, &onKept)
		// (The one on the open section is written for the partners too: a
		// lab's discussion is the lab's unless its writer chooses wider.)
		mgr.do("POST", "/api/documents/"+d.ID+"/comments", map[string]any{"sectionId": open.ID, "body": "Fine to share", "from": 0, "to": 0, "version": 0,
			"audience": "partners"}).json(t, &onOpen)
		if onKept.ID == "" || onOpen.ID == "" {
			t.Fatal("comments not created")
		}

		// The partner, through every channel.
		var got docDetail
		partner.do("GET", "/api/documents/"+d.ID, nil).json(t, &got)
		if len(got.Sections) != len(d.Sections)-1 || slices.ContainsFunc(got.Sections, func(s struct{ ID, Key, Title string }) bool { return s.ID == kept.ID }) {
			t.Fatalf("the partner's document has %d of %d sections", len(got.Sections), len(d.Sections))
		}
		for _, path := range []string{"/api/documents/" + d.ID, "/api/documents/" + d.ID + "/export", "/api/documents/" + d.ID + "/comments"} {
			r := partner.do("GET", path, nil)
			if r.Status != 200 || strings.Contains(string(r.Body), kept.ID) || strings.Contains(string(r.Body), secret) ||
				strings.Contains(string(r.Body), kept.Title) || strings.Contains(string(r.Body), onKept.ID) {
				t.Errorf("%s shows the partner the kept section: %d %s", path, r.Status, r.Body)
			}
		}
		if r := partner.do("PUT", "/api/comments/"+onKept.ID+"/resolved", map[string]any{"resolved": true}); r.Status != 404 {
			t.Errorf("the partner resolves a comment on the kept section: %d", r.Status)
		}
		if r := partner.do("GET", "/api/documents/"+d.ID+"/comments", nil); !strings.Contains(string(r.Body), onOpen.ID) {
			t.Errorf("the partner misses the comment on the open section: %s", r.Body)
		}
		pw := partner.mustDialWS()
		pw.send(map[string]any{"type": "subscribe", "id": 1, "doc": d.ID})
		for {
			m := pw.next("section", "subscribed")
			if str(m["type"]) == "subscribed" {
				break
			}
			if str(m["section"]) == kept.ID {
				t.Fatal("the partner's subscription sends the kept section")
			}
		}
		pw.send(map[string]any{"type": "presence", "id": 2, "doc": d.ID, "section": kept.ID, "version": 1, "anchor": 0, "head": 0})
		if m := pw.next("error"); str(m["code"]) != labs.ENotFound {
			t.Fatalf("the partner's cursor in the kept section: %v", m)
		}
		// Live: a rename and a new comment on the kept section reach the
		// member whole; the partner gets the rename without the section,
		// and not the comment.
		mgr.do("PATCH", "/api/documents/"+d.ID, map[string]any{"title": "Baseline, renamed"})
		mgr.do("POST", "/api/documents/"+d.ID+"/comments", map[string]any{"sectionId": kept.ID, "body": "Second thought", "from": 0, "to": 0, "version": 1})
		mgr.do("POST", "/api/documents/"+d.ID+"/comments", map[string]any{"sectionId": open.ID, "body": "Marker", "from": 0, "to": 0, "version": 0,
			"audience": "partners"})
		for {
			m := pw.next("document", "comment")
			b, _ := json.Marshal(m)
			if strings.Contains(string(b), kept.ID) || strings.Contains(string(b), "Second thought") {
				t.Fatalf("the partner is sent %s", b)
			}
			if strings.Contains(string(b), "Marker") {
				break
			}
		}
		if m := mws.next("document"); !strings.Contains(string(m["sections"]), kept.ID) {
			t.Fatalf("the member's document event lacks the kept section: %s", m["sections"])
		}

		// Opening it again gives it back, and both changes are recorded.
		if r := mgr.do("PATCH", "/api/documents/"+d.ID+"/sections/"+kept.ID, map[string]any{"visibility": ""}); r.Status != 200 {
			t.Fatalf("open the section again: %d %s", r.Status, r.Body)
		}
		if r := partner.do("GET", "/api/documents/"+d.ID+"/export", nil); !strings.Contains(string(r.Body), secret) {
			t.Fatalf("the partner's export after opening: %s", r.Body)
		}
		r := admin.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil)
		if !strings.Contains(string(r.Body), `"section.visibility"`) || !strings.Contains(string(r.Body), `"to":"lab"`) || !strings.Contains(string(r.Body), `"from":"lab"`) {
			t.Fatalf("audit: %s", r.Body)
		}
	})
}

// TestDocumentsSayWhatTheRequesterMay: a document's "can" is the
// enforcer's answer for the one asking, so the app offers what will be
// accepted: participants write and comment, a facilitator moderates, a
// partner co-writes a synthesis, and each answer agrees with the route.
func TestDocumentsSayWhatTheRequesterMay(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		mgr, fac, admin := ts.client(t), ts.client(t), ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		fac.mustSignIn(w.facA.Email, password)
		admin.mustSignIn(w.admin.Email, password)
		prop := createDoc(t, mgr, w.labA, map[string]any{"template": "proposal", "title": "A proposal"})
		type can struct{ Write, Advance, Share, Comment, Feedback, Moderate bool }
		get := func(c *client, id string) can {
			var d struct{ Can can }
			if r := c.do("GET", "/api/documents/"+id, nil); r.Status != 200 {
				t.Fatalf("read %s: %d %s", id, r.Status, r.Body)
			} else {
				r.json(t, &d)
			}
			return d.Can
		}
		if got, want := get(mgr, prop.ID), (can{Write: true, Advance: true, Share: true, Comment: true, Feedback: true}); got != want {
			t.Errorf("the author, a manager: %+v, want %+v", got, want)
		}
		facCan := get(fac, prop.ID)
		if facCan.Write || facCan.Comment || facCan.Feedback || !facCan.Moderate {
			t.Errorf("the facilitator: %+v", facCan)
		}
		// Each answer agrees with what the route then does.
		sec := prop.Sections[0].ID
		r := fac.do("POST", "/api/documents/"+prop.ID+"/comments", map[string]any{"sectionId": sec, "body": "x", "from": 0, "to": 0, "version": 0})
		if (r.Status == 201) != facCan.Comment {
			t.Errorf("facilitator comments: %d, but can.comment is %v", r.Status, facCan.Comment)
		}
		r = fac.do("PUT", "/api/documents/"+prop.ID+"/status", map[string]any{"status": "open"})
		if (r.Status == 200) != facCan.Advance {
			t.Errorf("facilitator moves the proposal: %d %s, but can.advance is %v", r.Status, r.Body, facCan.Advance)
		}

		_, partner := partnerAccount(t, ts, admin, "p@example.org", "NO")
		var syn struct {
			ID  string
			Can can
		}
		partner.do("POST", "/api/network/documents", map[string]any{"title": "Across countries"}).json(t, &syn)
		if !syn.Can.Write || !syn.Can.Comment || syn.Can.Moderate {
			t.Errorf("a partner's new synthesis: %+v", syn.Can)
		}
		if got := get(partner, syn.ID); got != syn.Can {
			t.Errorf("the synthesis read back: %+v, created %+v", got, syn.Can)
		}
	})
}
