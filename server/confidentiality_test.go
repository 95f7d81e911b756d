package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

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
