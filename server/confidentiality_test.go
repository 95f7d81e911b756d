package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
)

// TestLosingTheRightToReadStopsSilentConnections: a connection that never
// says anything stops receiving the moment its owner loses the right to
// read: disabled by an administrator (the error, then the close), removed
// from the lab (revoked; subscribing again is refused), or past the end of
// its session. On both engines.
func TestLosingTheRightToReadStopsSilentConnections(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		doc := makeDoc(t, ts, w.labA, "hello")
		writer := ts.client(t)
		writer.mustSignIn(w.facA.Email, password)
		admin := ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		subscribed := func(email string) *wsConn {
			c := ts.client(t)
			c.mustSignIn(email, password)
			ws := c.mustDialWS()
			ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
			ws.next("subscribed")
			return ws
		}
		comment := func(body string) {
			if r := writer.do("POST", "/api/documents/"+doc.ID+"/comments", map[string]any{"sectionId": doc.Sections[0].ID,
				"body": body, "from": 0, "to": 5, "version": 0}); r.Status != http.StatusCreated && r.Status != http.StatusForbidden {
				t.Fatalf("comment: %d %s", r.Status, r.Body)
			}
		}

		t.Run("disabled", func(t *testing.T) {
			victim := ts.member(t, w.labA, "disabled@example.org", labs.RoleServiceUser)
			ws := subscribed(victim.Email)
			if r := admin.do("PATCH", "/api/admin/accounts/"+victim.ID, map[string]any{"disabled": true}); r.Status != http.StatusOK {
				t.Fatalf("disable: %d %s", r.Status, r.Body)
			}
			if m := ws.next("error", "comment", "update"); str(m["code"]) != labs.EUnauthenticated {
				t.Fatalf("after disabling: %s %s", m["type"], m["code"])
			}
			if _, ok := <-ws.in; ok {
				t.Fatal("still open after the unauthenticated error")
			}
		})

		t.Run("removed from the lab", func(t *testing.T) {
			victim := ts.member(t, w.labA, "removed@example.org", labs.RoleFrontlineStaff)
			ws := subscribed(victim.Email)
			if r := admin.do("DELETE", "/api/labs/"+w.labA.ID+"/members/"+victim.ID, nil); r.Status != http.StatusNoContent {
				t.Fatalf("remove: %d %s", r.Status, r.Body)
			}
			if m := ws.next("revoked", "comment", "update"); str(m["type"]) != "revoked" {
				t.Fatalf("after removal: %s", m["type"])
			}
			// The lab goes on writing: none of it reaches the silent connection.
			comment("After the removal.")
			mgr := ts.client(t)
			mgr.mustSignIn(w.mgrA.Email, password)
			mws := mgr.mustDialWS()
			mws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
			mws.next("subscribed")
			mws.send(pushMsg(2, doc, sectionNow(t, ts, doc).Version, "mgr", 1, []any{[]any{0, "secret "}, len(sectionNow(t, ts, doc).Text)}))
			mws.next("pushed")
			ws.send(map[string]any{"type": "ping", "id": 5})
			for m := ws.next("pong", "update", "comment", "section"); str(m["type"]) != "pong"; m = ws.next("pong", "update", "comment", "section") {
				t.Fatalf("a removed member's connection received %s", m["type"])
			}
			ws.send(map[string]any{"type": "subscribe", "id": 6, "doc": doc.ID})
			if m := ws.next("error", "subscribed"); str(m["code"]) != labs.ENotFound {
				t.Fatalf("subscribing again after removal: %s %s", m["type"], m["code"])
			}
		})

		t.Run("session expired", func(t *testing.T) {
			victim := ts.member(t, w.labA, "expired@example.org", labs.RoleManager)
			ws := subscribed(victim.Email)
			ts.advance(15 * 24 * time.Hour) // past the session's life
			if m := ws.next("error", "comment", "update"); str(m["code"]) != labs.EUnauthenticated {
				t.Fatalf("after expiry: %s %s", m["type"], m["code"])
			}
			if _, ok := <-ws.in; ok {
				t.Fatal("still open after expiry")
			}
		})
	})
}

// TestCursorsRevealOnlyWhatIsReturned: however the visible and hidden
// items are interleaved, every page is full until the last, every cursor
// is the ID of an item the page returned, and the pages together are
// exactly what the reader may see.
func TestCursorsRevealOnlyWhatIsReturned(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		other := ts.member(t, w.labA, "colleague@example.org", labs.RoleFrontlineStaff)
		var visible []string
		for i := range 13 {
			d := makeDoc(t, ts, w.labA, "x")
			if i%3 != 0 { // two of three are a colleague's private drafts
				d.Visibility, d.CreatedBy = labs.VisPrivate, other.ID
				if err := ts.Store.UpdateDocument(t.Context(), d); err != nil {
					t.Fatal(err)
				}
				continue
			}
			visible = append(visible, d.ID)
		}
		slices.Sort(visible) // listings go by ID
		c := ts.client(t)
		c.mustSignIn(w.mgrA.Email, password)
		for _, limit := range []int{1, 2, 3, 200} {
			var got []string
			after := ""
			for pages := 0; ; pages++ {
				var page struct {
					Items []struct{ ID string }
					Next  string
				}
				r := c.do("GET", fmt.Sprintf("/api/labs/%s/documents?limit=%d&after=%s", w.labA.ID, limit, after), nil)
				json.Unmarshal(r.Body, &page)
				if page.Next != "" && (len(page.Items) != limit || page.Next != page.Items[len(page.Items)-1].ID) {
					t.Fatalf("limit %d: a page of %d with cursor %s: the cursor must be the last item returned", limit, len(page.Items), page.Next)
				}
				for _, it := range page.Items {
					got = append(got, it.ID)
				}
				if page.Next == "" {
					break
				}
				after = page.Next
			}
			if fmt.Sprint(got) != fmt.Sprint(visible) {
				t.Fatalf("limit %d: pages gave %v, want %v", limit, got, visible)
			}
		}
		// Someone of another lab (who would see the lab's network-level
		// documents, of which it has none) learns nothing, not even from a
		// cursor: before, an empty page named a hidden document.
		b := ts.client(t)
		b.mustSignIn(w.mgrB.Email, password)
		if r := b.do("GET", "/api/labs/"+w.labA.ID+"/documents?limit=1", nil); r.Status != http.StatusOK ||
			string(r.Body) != `{"items":[],"next":""}` {
			t.Fatalf("another lab's listing: %d %s", r.Status, r.Body)
		}
	})
}

// TestAdminsLearnNothingOfLabFeedback: an administrator is no reader of
// lab content; acting on real lab feedback answers exactly as acting on
// made-up feedback does.
func TestAdminsLearnNothingOfLabFeedback(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		m := ts.client(t)
		m.mustSignIn(w.mgrA.Email, password)
		var fb struct{ ID string }
		m.do("POST", "/api/labs/"+w.labA.ID+"/feedback", map[string]any{"rating": 4, "body": "Good room."}).json(t, &fb)
		admin := ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		madeUp := labs.NewID(time.Now())
		for _, op := range []struct{ method, path string }{
			{"PATCH", "/api/feedback/%s"}, {"DELETE", "/api/feedback/%s"}, {"PUT", "/api/feedback/%s/hidden"}, {"DELETE", "/api/feedback/%s/hidden"},
		} {
			body := map[string]any{"rating": 1, "body": "x", "reason": "x"}
			real := admin.do(op.method, fmt.Sprintf(op.path, fb.ID), body)
			fake := admin.do(op.method, fmt.Sprintf(op.path, madeUp), body)
			if real.Status != fake.Status || real.errorCode() != fake.errorCode() || real.Status != http.StatusNotFound {
				t.Fatalf("%s %s: real %d %s, made-up %d %s", op.method, op.path, real.Status, real.errorCode(), fake.Status, fake.errorCode())
			}
		}
	})
}

// TestLabPageIsForMembersPartnersAndAdmins: a lab's own page (description,
// default level) is not for members of other labs.
func TestLabPageIsForMembersPartnersAndAdmins(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	for _, sc := range []struct {
		email string
		want  int
	}{{w.mgrA.Email, http.StatusOK}, {w.mgrB.Email, http.StatusNotFound}, {w.admin.Email, http.StatusOK}} {
		c := ts.client(t)
		c.mustSignIn(sc.email, password)
		if r := c.do("GET", "/api/labs/"+w.labA.ID, nil); r.Status != sc.want {
			t.Fatalf("%s reads lab A: %d, want %d", sc.email, r.Status, sc.want)
		}
	}
}

// TestWideningWhoReadsIsRecordedAndNeverSelfGranted: an administrator
// cannot make themselves a partner, nor join a lab with their own
// invitation; when another administrator makes someone a partner, or
// creates a partner organisation, every lab's log says so.
func TestWideningWhoReadsIsRecordedAndNeverSelfGranted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		admin := ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		var org struct{ ID string }
		admin.do("POST", "/api/admin/partner-orgs", map[string]any{"name": "Latvian partner", "country": "LV"}).json(t, &org)
		if r := admin.do("PATCH", "/api/admin/accounts/"+w.admin.ID, map[string]any{"partnerOrgId": org.ID}); r.Status != http.StatusForbidden {
			t.Fatalf("an admin makes themselves a partner: %d %s", r.Status, r.Body)
		}
		if acc, _ := ts.Store.Account(t.Context(), w.admin.ID); acc.PartnerOrgID != "" {
			t.Fatal("the refused grant changed the account")
		}
		var inv struct{ Link string }
		admin.do("POST", "/api/labs/"+w.labB.ID+"/invitations", map[string]any{"role": "manager"}).json(t, &inv)
		token := inv.Link[strings.Index(inv.Link, "#")+1:]
		if r := admin.do("POST", "/api/invitations/accept", map[string]any{"token": token, "stakeholderLevel": "macro"}); r.Status != http.StatusForbidden {
			t.Fatalf("an admin joins a lab with their own invitation: %d %s", r.Status, r.Body)
		}
		// Another administrator grants partner status to someone: both labs see it.
		other, err := ts.Auth.CreateAccount(t.Context(), auth.NewAccount{Email: "partner@example.org", DisplayName: "Ilze", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		if r := admin.do("PATCH", "/api/admin/accounts/"+other.ID, map[string]any{"partnerOrgId": org.ID}); r.Status != http.StatusOK {
			t.Fatalf("grant: %d %s", r.Status, r.Body)
		}
		fac := ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		for _, lab := range []labs.Lab{w.labA, w.labB} {
			entries, _, err := ts.Store.ListAudit(t.Context(), lab.ID, labs.Page{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action+" "+e.Object)
			}
			for _, want := range []string{"partner_org.create " + org.ID, "partner.grant " + other.ID} {
				if !slices.Contains(actions, want) {
					t.Fatalf("lab %s's log %v lacks %q", lab.Slug, actions, want)
				}
			}
		}
		var log struct {
			Items []struct{ Action, Object string }
		}
		fac.do("GET", "/api/labs/"+w.labA.ID+"/audit?limit=200", nil).json(t, &log)
		if !slices.ContainsFunc(log.Items, func(e struct{ Action, Object string }) bool { return e.Action == "partner.grant" }) {
			t.Fatalf("the facilitator's view of the log lacks the grant: %+v", log.Items)
		}
	})
}

// syncBuffer is a log sink the server may write to from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.b.String()
	s.b.Reset()
	return out
}

// TestAnonymousItemsJoinNobodyAtRest: an anonymous comment or feedback
// stores no account and logs none, yet its author, signed in again on
// another device, is still told it is theirs and may edit it; nobody else
// is. On both engines.
func TestAnonymousItemsJoinNobodyAtRest(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			logs := &syncBuffer{}
			ts := mustServe(t, e.open(t), func(c *serverConfig) {
				c.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			w := ts.seed(t)
			doc := makeDoc(t, ts, w.labA, "hello world")
			author := ts.member(t, w.labA, "parent@example.org", labs.RoleServiceUser)
			a := ts.client(t)
			a.mustSignIn(author.Email, password)
			logs.take()
			var cm, fb struct {
				ID   string
				Mine bool
			}
			a.do("POST", "/api/documents/"+doc.ID+"/comments", map[string]any{"sectionId": doc.Sections[0].ID,
				"body": "We waited two years.", "from": 0, "to": 5, "version": 0, "anonymous": true}).json(t, &cm)
			a.do("POST", "/api/labs/"+w.labA.ID+"/feedback", map[string]any{"rating": 2, "body": "Too slow.", "anonymous": true}).json(t, &fb)
			if !cm.Mine || !fb.Mine {
				t.Fatalf("the author is not told the items are theirs: %+v %+v", cm, fb)
			}
			if l := logs.take(); strings.Contains(l, author.ID) || strings.Contains(l, author.Email) {
				t.Fatalf("the logs of the anonymous writes name the author:\n%s", l)
			}
			storedC, err := ts.Store.Comment(t.Context(), cm.ID)
			if err != nil {
				t.Fatal(err)
			}
			storedF, err := ts.Store.Feedback(t.Context(), fb.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, stored := range []string{storedC.AuthorID, storedF.AuthorID} {
				if stored == "" || strings.Contains(stored, author.ID) {
					t.Fatalf("an anonymous item stores %q for its author %s", stored, author.ID)
				}
			}
			// The author on another device: still theirs, still editable.
			again := ts.client(t)
			again.mustSignIn(author.Email, password)
			var page struct {
				Items []struct {
					ID   string
					Mine bool
				}
			}
			again.do("GET", "/api/documents/"+doc.ID+"/comments", nil).json(t, &page)
			if len(page.Items) != 1 || !page.Items[0].Mine {
				t.Fatalf("on another device the author sees %+v", page.Items)
			}
			if r := again.do("PATCH", "/api/comments/"+cm.ID, map[string]any{"body": "We waited three years."}); r.Status != http.StatusOK {
				t.Fatalf("the author edits from another device: %d %s", r.Status, r.Body)
			}
			if r := again.do("DELETE", "/api/feedback/"+fb.ID, nil); r.Status != http.StatusNoContent {
				t.Fatalf("the author deletes from another device: %d %s", r.Status, r.Body)
			}
			// Anyone else: not theirs, not editable, no author.
			other := ts.client(t)
			other.mustSignIn(w.mgrA.Email, password)
			other.do("GET", "/api/documents/"+doc.ID+"/comments", nil).json(t, &page)
			if len(page.Items) != 1 || page.Items[0].Mine {
				t.Fatalf("another member sees %+v", page.Items)
			}
			if r := other.do("PATCH", "/api/comments/"+cm.ID, map[string]any{"body": "x"}); r.Status != http.StatusForbidden {
				t.Fatalf("another member edits an anonymous comment: %d", r.Status)
			}
		})
	}
}

// TestLabDiscussionStaysWithTheLab: on a baseline and a proposal the lab
// shares with partners, comments and feedback are the lab's unless their
// writer chooses wider: a partner gets none of the others through any
// route or live message, and gets those written for partners. No audience
// may be wider than the document. On both engines.
func TestLabDiscussionStaysWithTheLab(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		mgr, admin := ts.client(t), ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		admin.mustSignIn(w.admin.Email, password)
		prop := createDoc(t, mgr, w.labA, map[string]any{"template": "proposal", "title": "One coordinator"})
		if r := mgr.do("PUT", "/api/documents/"+prop.ID+"/visibility", map[string]any{"visibility": "partners"}); r.Status != http.StatusOK {
			t.Fatalf("share: %d %s", r.Status, r.Body)
		}
		var org struct{ ID string }
		admin.do("POST", "/api/admin/partner-orgs", map[string]any{"name": "Serbian partner", "country": "RS"}).json(t, &org)
		pacc, err := ts.Auth.CreateAccount(t.Context(), auth.NewAccount{Email: "rs.partner@example.org", DisplayName: "Milan", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		admin.do("PATCH", "/api/admin/accounts/"+pacc.ID, map[string]any{"partnerOrgId": org.ID})
		partner := ts.client(t)
		partner.mustSignIn(pacc.Email, password)
		live := subscribe(t, partner, prop.ID)
		sec := prop.Sections[0].ID
		post := func(path string, body map[string]any) (int, struct{ ID, Audience string }) {
			var out struct{ ID, Audience string }
			r := mgr.do("POST", path, body)
			json.Unmarshal(r.Body, &out)
			return r.Status, out
		}
		comment := func(audience string, text string) (int, struct{ ID, Audience string }) {
			body := map[string]any{"sectionId": sec, "body": text, "from": 0, "to": 0, "version": 0}
			if audience != "" {
				body["audience"] = audience
			}
			return post("/api/documents/"+prop.ID+"/comments", body)
		}
		status, labOnly := comment("", "Parent: is it really three years?")
		if status != http.StatusCreated || labOnly.Audience != "lab" {
			t.Fatalf("a comment without an audience: %d %+v", status, labOnly)
		}
		_, labFb := post("/api/labs/"+w.labA.ID+"/feedback", map[string]any{"target": "proposal", "targetId": prop.ID, "rating": 3, "body": "Lab only."})
		var reply struct{ ID, Audience string }
		mgr.do("POST", "/api/documents/"+prop.ID+"/comments", map[string]any{"parentId": labOnly.ID, "body": "Yes."}).json(t, &reply)
		if reply.Audience != "lab" {
			t.Fatalf("a reply's audience: %+v", reply)
		}
		if status, _ := comment("network", "Too wide"); status != http.StatusBadRequest {
			t.Fatalf("an audience wider than the document: %d", status)
		}
		if r := mgr.do("POST", "/api/documents/"+prop.ID+"/comments", map[string]any{"parentId": labOnly.ID, "body": "x", "audience": "partners"}); r.Status != http.StatusBadRequest {
			t.Fatalf("a reply wider than its thread: %d", r.Status)
		}
		status, shared := comment("partners", "Shared: the coordinator model works in Norway.")
		if status != http.StatusCreated || shared.Audience != "partners" {
			t.Fatalf("a comment for partners: %d %+v", status, shared)
		}
		// The partner: only what was written for partners, on every channel.
		for _, path := range []string{"/api/documents/" + prop.ID + "/comments", "/api/labs/" + w.labA.ID + "/feedback?target=proposal&targetId=" + prop.ID} {
			r := partner.do("GET", path, nil)
			for _, hidden := range []string{labOnly.ID, labFb.ID, reply.ID, "three years", "Lab only"} {
				if strings.Contains(string(r.Body), hidden) {
					t.Fatalf("%s shows the partner %q: %s", path, hidden, r.Body)
				}
			}
		}
		if r := partner.do("GET", "/api/documents/"+prop.ID+"/comments", nil); !strings.Contains(string(r.Body), shared.ID) {
			t.Fatalf("the partner misses the comment written for partners: %s", r.Body)
		}
		if r := partner.do("PUT", "/api/comments/"+labOnly.ID+"/resolved", map[string]any{"resolved": true}); r.Status != http.StatusNotFound {
			t.Fatalf("the partner acts on a lab comment: %d", r.Status)
		}
		for {
			m := live.ws.next("comment", "feedback")
			b, _ := json.Marshal(m)
			if strings.Contains(string(b), "three years") || strings.Contains(string(b), "Lab only") || strings.Contains(string(b), reply.ID) {
				t.Fatalf("the partner is sent %s", b)
			}
			if strings.Contains(string(b), shared.ID) {
				break
			}
		}
		// The lab's members read all of it.
		if r := mgr.do("GET", "/api/documents/"+prop.ID+"/comments", nil); !strings.Contains(string(r.Body), labOnly.ID) || !strings.Contains(string(r.Body), shared.ID) {
			t.Fatalf("the member's listing: %s", r.Body)
		}
	})
}

// TestReachIsForThoseWhoShare: who may share a document is told how many
// each level reaches and whom they may name; nobody else learns it.
func TestReachIsForThoseWhoShare(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	admin := ts.client(t)
	admin.mustSignIn(w.admin.Email, password)
	for _, o := range []struct{ name, country string }{{"A", "SE"}, {"B", "SE"}, {"C", "LV"}} {
		admin.do("POST", "/api/admin/partner-orgs", map[string]any{"name": o.name, "country": o.country})
	}
	mgr := ts.client(t)
	mgr.mustSignIn(w.mgrA.Email, password)
	d := createDoc(t, mgr, w.labA, map[string]any{"template": "baseline", "title": "Baseline"})
	var reach struct {
		Lab      struct{ People int }
		Partners struct{ Organisations, Countries int }
		Members  []struct{ ID, Name string }
	}
	if r := mgr.do("GET", "/api/documents/"+d.ID+"/reach", nil); r.Status != http.StatusOK {
		t.Fatalf("reach: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &reach)
	}
	if reach.Lab.People != 2 || len(reach.Members) != 2 || reach.Partners.Organisations != 3 || reach.Partners.Countries != 2 {
		t.Fatalf("reach %+v", reach)
	}
	b := ts.client(t)
	b.mustSignIn(w.mgrB.Email, password)
	if r := b.do("GET", "/api/documents/"+d.ID+"/reach", nil); r.Status != http.StatusNotFound {
		t.Fatalf("another lab's member asks for the reach: %d", r.Status)
	}
	if r := admin.do("GET", "/api/documents/"+d.ID+"/reach", nil); r.Status != http.StatusNotFound {
		t.Fatalf("an admin asks for the reach of lab content: %d", r.Status)
	}
}
