package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

type workshopBody struct {
	ID, Status  string
	Phase       int
	EndsAt      *time.Time
	LeftSeconds float64
	ServerTime  time.Time
	Revision    int
}

// TestWorkshopsRunOnTheServersClock: a facilitator schedules a workshop
// and runs it; every member reads the same phase and timer, given as an
// end time with the server's clock; a restart finds it where it was; only
// the lab's facilitator runs it, and nobody outside the lab learns it
// exists. On both engines.
func TestWorkshopsRunOnTheServersClock(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			store := e.open(t)
			ts := mustServe(t, store)
			w := ts.seed(t)
			fac, mgr, outsider, admin := ts.client(t), ts.client(t), ts.client(t), ts.client(t)
			fac.mustSignIn(w.facA.Email, password)
			mgr.mustSignIn(w.mgrA.Email, password)
			outsider.mustSignIn(w.mgrB.Email, password)
			admin.mustSignIn(w.admin.Email, password)
			base := makeDoc(t, ts, w.labA, "The baseline")
			other := makeDoc(t, ts, w.labB, "Another lab's")
			agenda := func(doc string) []map[string]any {
				return []map[string]any{
					{"title": "Explore the baseline", "kind": "explore", "minutes": 20, "documents": []string{doc}},
					{"title": "Ideas", "kind": "ideas", "minutes": 30},
				}
			}
			path := "/api/labs/" + w.labA.ID + "/workshops"
			if r := mgr.do("POST", path, map[string]any{"title": "Day one", "agenda": agenda(base.ID)}); r.Status != http.StatusForbidden {
				t.Fatalf("a participant schedules: %d", r.Status)
			}
			if r := fac.do("POST", path, map[string]any{"title": "Day one", "agenda": agenda(other.ID)}); r.Status != http.StatusBadRequest {
				t.Fatalf("an agenda naming another lab's document: %d", r.Status)
			}
			var ws workshopBody
			r := fac.do("POST", path, map[string]any{"title": "Day one", "agenda": agenda(base.ID)})
			r.json(t, &ws)
			if r.Status != http.StatusCreated || ws.Status != "scheduled" || ws.Phase != -1 || ws.EndsAt != nil {
				t.Fatalf("schedule: %d %s", r.Status, r.Body)
			}
			one := "/api/workshops/" + ws.ID
			for _, c := range []*client{outsider, admin} {
				if r := c.do("GET", one, nil); r.Status != http.StatusNotFound {
					t.Fatalf("someone outside the lab reads the workshop: %d", r.Status)
				}
			}
			control := func(c *client, action string, extra ...any) (int, workshopBody) {
				t.Helper()
				body := map[string]any{"action": action}
				for i := 0; i+1 < len(extra); i += 2 {
					body[extra[i].(string)] = extra[i+1]
				}
				var out workshopBody
				r := c.do("POST", one+"/control", body)
				r.json(t, &out)
				return r.Status, out
			}
			if status, _ := control(mgr, "start"); status != http.StatusForbidden {
				t.Fatalf("a participant starts it: %d", status)
			}
			status, got := control(fac, "start")
			if status != http.StatusOK || got.Status != "running" || got.Phase != 0 || got.EndsAt == nil ||
				!got.EndsAt.Equal(got.ServerTime.Add(20*time.Minute)) || got.LeftSeconds != 1200 {
				t.Fatalf("start: %d %+v", status, got)
			}
			if status, _ := control(fac, "start"); status != http.StatusConflict {
				t.Fatalf("start twice: %d", status)
			}
			// Five minutes on, the member reads what the facilitator does.
			ts.advance(5 * time.Minute)
			mgr.do("GET", one, nil).json(t, &got)
			if got.LeftSeconds != 900 || !got.EndsAt.Equal(got.ServerTime.Add(15*time.Minute)) {
				t.Fatalf("the member's timer: %+v", got)
			}
			if status, got = control(fac, "pause"); status != http.StatusOK || got.Status != "paused" || got.LeftSeconds != 900 {
				t.Fatalf("pause: %d %+v", status, got)
			}
			// A restart over the same store: still paused, 15 minutes left,
			// however long the server was down.
			again := mustServe(t, store)
			again.advance(time.Hour)
			c2 := again.client(t)
			c2.mustSignIn(w.facA.Email, password)
			var after workshopBody
			c2.do("GET", one, nil).json(t, &after)
			if after.Status != "paused" || after.LeftSeconds != 900 || after.Revision != got.Revision {
				t.Fatalf("after a restart: %+v", after)
			}
			if status, _ := control(fac, "extend", "minutes", 5, "revision", got.Revision-1); status != http.StatusConflict {
				t.Fatalf("an act on an older revision: %d", status)
			}
			status, got = control(fac, "resume")
			if status != http.StatusOK || !got.EndsAt.Equal(got.ServerTime.Add(15*time.Minute)) {
				t.Fatalf("resume: %d %+v", status, got)
			}
			if status, got = control(fac, "advance"); status != http.StatusOK || got.Phase != 1 || got.LeftSeconds != 1800 {
				t.Fatalf("advance: %d %+v", status, got)
			}
			if status, _ := control(fac, "advance"); status != http.StatusConflict {
				t.Fatalf("advance past the last phase: %d", status)
			}
			if status, got = control(fac, "end"); status != http.StatusOK || got.Status != "ended" || got.EndsAt != nil {
				t.Fatalf("end: %d %+v", status, got)
			}
			var page struct{ Items []workshopBody }
			mgr.do("GET", path, nil).json(t, &page)
			if len(page.Items) != 1 || page.Items[0].Status != "ended" {
				t.Fatalf("the member's list: %+v", page.Items)
			}
			if r := outsider.do("GET", path, nil); r.Status != http.StatusNotFound {
				t.Fatalf("another lab's member lists the workshops: %d", r.Status)
			}
			entries, _, err := ts.Store.ListAudit(t.Context(), w.labA.ID, labs.Page{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			var acts []string
			for _, e := range entries {
				acts = append(acts, e.Action)
			}
			for _, want := range []string{"workshop.create", "workshop.start", "workshop.pause", "workshop.end"} {
				if !slices.Contains(acts, want) {
					t.Fatalf("the lab's log %v lacks %s", acts, want)
				}
			}
		})
	}
}

// TestWorkshopsAreFollowedLive: a member following a workshop over the
// websocket gets its state, then every act of the facilitator as it
// happens; someone outside the lab cannot follow it; a member removed from
// the lab hears nothing more.
func TestWorkshopsAreFollowedLive(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		fac, mgr, outsider, admin := ts.client(t), ts.client(t), ts.client(t), ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		mgr.mustSignIn(w.mgrA.Email, password)
		outsider.mustSignIn(w.mgrB.Email, password)
		admin.mustSignIn(w.admin.Email, password)
		var ws workshopBody
		fac.do("POST", "/api/labs/"+w.labA.ID+"/workshops", map[string]any{"title": "Day one",
			"agenda": []map[string]any{{"title": "Ideas", "kind": "ideas", "minutes": 30}}}).json(t, &ws)
		live := mgr.mustDialWS()
		live.send(map[string]any{"type": "follow", "id": 1, "workshop": ws.ID})
		if m := live.next("workshop"); !strings.Contains(string(m["workshop"]), `"status":"scheduled"`) {
			t.Fatalf("first state: %s", m["workshop"])
		}
		if m := live.next("following"); num(m["id"]) != 1 {
			t.Fatalf("following: %v", m)
		}
		fac.do("POST", "/api/workshops/"+ws.ID+"/control", map[string]any{"action": "start"})
		var got workshopBody
		m := live.next("workshop")
		json.Unmarshal(m["workshop"], &got)
		if got.Status != "running" || got.EndsAt == nil || !got.EndsAt.Equal(got.ServerTime.Add(30*time.Minute)) {
			t.Fatalf("live start: %s", m["workshop"])
		}
		bad := outsider.mustDialWS()
		bad.send(map[string]any{"type": "follow", "id": 7, "workshop": ws.ID})
		if m := bad.next("error", "workshop"); str(m["code"]) != labs.ENotFound || num(m["id"]) != 7 {
			t.Fatalf("an outsider follows: %v", m)
		}
		// Removed from the lab: nothing more arrives.
		if r := admin.do("DELETE", "/api/labs/"+w.labA.ID+"/members/"+w.mgrA.ID, nil); r.Status != http.StatusNoContent {
			t.Fatalf("remove: %d", r.Status)
		}
		fac.do("POST", "/api/workshops/"+ws.ID+"/control", map[string]any{"action": "pause"})
		live.send(map[string]any{"type": "ping", "id": 9})
		if m := live.next("pong", "workshop"); str(m["type"]) != "pong" {
			t.Fatalf("a removed member still follows: %s", m["workshop"])
		}
		live.send(map[string]any{"type": "follow", "id": 10, "workshop": ws.ID})
		if m := live.next("error", "workshop"); str(m["code"]) != labs.ENotFound {
			t.Fatalf("a removed member follows again: %v", m)
		}
	})
}
