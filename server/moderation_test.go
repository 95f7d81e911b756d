package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

// TestModerationLog: every member reads what was hidden, where, when, why
// and by whom, as acts on items they may read: an act in a document kept
// from them is left out (and stays out of counts and cursors), and no entry
// carries an item's text or author, also once the author deleted it.
// Other labs' members and strangers learn nothing.
func TestModerationLog(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		author, ac := ts.participant(t, w.labA, "Sigrid", labs.RoleServiceUser, labs.LevelMicro, "")
		fac, mgr, other := ts.client(t), ts.client(t), ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		mgr.mustSignIn(w.mgrA.Email, password)
		other.mustSignIn(w.mgrB.Email, password)
		log := "/api/labs/" + w.labA.ID + "/moderation"

		open := createDoc(t, ac, w.labA, map[string]any{"template": "proposal", "title": "Family coordinator"})
		kept := createDoc(t, ac, w.labA, map[string]any{"template": "proposal", "title": "Kept to two",
			"visibility": "restricted", "members": []string{w.facA.ID}})
		comment := func(d docDetail, body string) string {
			var cm struct{ ID string }
			r := ac.do("POST", "/api/documents/"+d.ID+"/comments", map[string]any{"sectionId": d.Sections[0].ID,
				"body": body, "from": 0, "to": 0, "version": 0, "anonymous": true})
			r.json(t, &cm)
			mustStatus(t, r, http.StatusCreated, "comment")
			return cm.ID
		}
		openComment, keptComment := comment(open, "My family was sent between five offices."), comment(kept, "The social worker in Bodø.")
		var fb struct{ ID string }
		ac.do("POST", "/api/labs/"+w.labA.ID+"/feedback", map[string]any{"rating": 2, "body": "Nobody listened.", "anonymous": true}).json(t, &fb)
		ws := startWorkshop(t, fac, w.labA)
		var idea struct{ ID string }
		ac.do("POST", "/api/workshops/"+ws.ID+"/ideas", map[string]any{"text": "Ask Nils at the school"}).json(t, &idea)

		// The log is ordered by ID, which begins with the time: a second
		// between acts keeps the order the test expects.
		tick := func() { ts.advance(time.Second) }
		mustStatus(t, fac.do("PUT", "/api/comments/"+openComment+"/hidden", map[string]any{"reason": "Too personal"}), http.StatusOK, "hide")
		tick()
		mustStatus(t, fac.do("PUT", "/api/comments/"+keptComment+"/hidden", map[string]any{"reason": "Names a place"}), http.StatusOK, "hide kept")
		tick()
		mustStatus(t, fac.do("PUT", "/api/feedback/"+fb.ID+"/hidden", map[string]any{"reason": "Off topic"}), http.StatusOK, "hide feedback")
		tick()
		mustStatus(t, fac.do("DELETE", "/api/feedback/"+fb.ID+"/hidden", nil), http.StatusOK, "show feedback")
		tick()
		mustStatus(t, fac.do("PATCH", "/api/workshops/"+ws.ID+"/ideas/"+idea.ID, map[string]any{"reason": "Names a child"}), http.StatusOK, "hide idea")
		// Her words go; the acts on them stay in the log.
		mustStatus(t, ac.do("DELETE", "/api/comments/"+openComment, nil), http.StatusNoContent, "delete")

		type act struct {
			ID, Action, Kind, Item, By, Reason string
			Document, Workshop                 *struct{ ID, Title string }
		}
		read := func(c *client, query string) ([]act, string, []byte) {
			r := c.do("GET", log+query, nil)
			mustStatus(t, r, http.StatusOK, "the log")
			var page struct {
				Items []act
				Next  string
			}
			if err := json.Unmarshal(r.Body, &page); err != nil {
				t.Fatal(err)
			}
			return page.Items, page.Next, r.Body
		}
		summary := func(items []act) string {
			var out []string
			for _, a := range items {
				where := ""
				if a.Document != nil {
					where = a.Document.Title
				} else if a.Workshop != nil {
					where = a.Workshop.Title
				}
				out = append(out, a.Action+"@"+where+":"+a.Reason+":"+a.By)
			}
			return strings.Join(out, " | ")
		}
		facName := w.facA.Email[:3] // the world's display names
		want := "comment.hide@Family coordinator:Too personal:" + facName + " | feedback.hide@:Off topic:" + facName +
			" | feedback.unhide@::" + facName + " | idea.hide@Day one:Names a child:" + facName
		items, next, body := read(mgr, "")
		if got := summary(items); got != want || next != "" {
			t.Fatalf("a member reads\n%s\nwant\n%s", got, want)
		}
		secrets := []string{author.ID, "Sigrid", "five offices", "Bodø", "Nobody listened", "Nils", "Kept to two", keptComment}
		for _, s := range secrets {
			if strings.Contains(string(body), s) {
				t.Fatalf("the log shows %q: %s", s, body)
			}
		}
		// Those named on the kept document read its act too, in order.
		withKept := "comment.hide@Family coordinator:Too personal:" + facName + " | comment.hide@Kept to two:Names a place:" + facName
		for name, c := range map[string]*client{"the author": ac, "the facilitator": fac} {
			if items, _, _ := read(c, ""); !strings.HasPrefix(summary(items), withKept) || len(items) != 5 {
				t.Fatalf("%s reads %s", name, summary(items))
			}
		}
		// Pages of one: full until the last, the cursor never an act left out.
		var paged []act
		for after, n := "", 0; n < 10; n++ {
			items, next, _ := read(mgr, "?limit=1&after="+after)
			paged = append(paged, items...)
			for _, a := range items {
				if a.Item == keptComment {
					t.Fatalf("a page holds the kept act")
				}
			}
			if next == "" {
				break
			}
			if len(items) != 1 || next != items[0].ID {
				t.Fatalf("page %d: %d items, next %q", n, len(items), next)
			}
			after = next
		}
		if summary(paged) != want {
			t.Fatalf("paged: %s", summary(paged))
		}
		mustStatus(t, other.do("GET", log, nil), http.StatusNotFound, "another lab's member")
		mustStatus(t, ts.client(t).do("GET", log, nil), http.StatusUnauthorized, "a stranger")
		mustStatus(t, mgr.do("GET", log+"?limit=0", nil), http.StatusBadRequest, "a bad limit")
	})
}
