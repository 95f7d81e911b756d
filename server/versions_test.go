package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

type diffBody struct {
	From, To string
	Sections []struct {
		Section, Key, Title, Status string
		Ops                         []struct{ Op, Text string }
	}
}

// pushText replaces a section's text over the websocket, as an editor
// would, and returns the version it made once the server accepted it.
func pushText(t *testing.T, c *client, doc, section, text string) int {
	t.Helper()
	return pushChange(t, c, doc, section, func(length int) string { return fmt.Sprintf(`[[%d,%q]]`, length, text) })
}

// pushChange pushes the change made by change(length of the text) and
// returns the version it made.
func pushChange(t *testing.T, c *client, doc, section string, change func(length int) string) int {
	t.Helper()
	live := c.mustDialWS()
	defer live.conn.Close()
	live.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc})
	var version, length int
	for {
		m := live.next("section", "subscribed")
		if str(m["type"]) == "subscribed" {
			break
		}
		if str(m["section"]) == section {
			version, length = num(m["version"]), len(realtime.TextOf(str(m["text"])))
		}
	}
	// The whole text replaced, from a client of its own each time (a
	// client's seq numbers are its own).
	changes := change(length)
	live.send(map[string]any{"type": "push", "id": 2, "doc": doc, "section": section, "version": version, "clientID": fmt.Sprint("v", version),
		"updates": []map[string]any{{"seq": 1, "changes": json.RawMessage(changes)}}})
	if m := live.next("pushed", "error"); str(m["type"]) != "pushed" {
		t.Fatalf("push: %s", m["message"])
	}
	return version + 1
}

// TestVersionsAndDiff: a document frozen under a name compares with the
// current text, word by word; names are a document's once; readers may
// compare but not freeze; other labs hear 404; freezing is recorded.
func TestVersionsAndDiff(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		mgr, fac, other := ts.client(t), ts.client(t), ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		fac.mustSignIn(w.facA.Email, password)
		other.mustSignIn(w.mgrB.Email, password)
		d := createDoc(t, mgr, w.labA, map[string]any{"template": "baseline", "title": "Baseline"})
		one := "/api/documents/" + d.ID
		sec := d.Sections[0].ID
		pushText(t, mgr, d.ID, sec, "Norway has a social-democratic welfare model.")

		var v struct{ ID, Name, By string }
		r := mgr.do("POST", one+"/versions", map[string]any{"name": "  2023 baseline "})
		r.json(t, &v)
		if r.Status != http.StatusCreated || v.Name != "2023 baseline" || v.By == "" {
			t.Fatalf("freeze: %d %s", r.Status, r.Body)
		}
		mustStatus(t, mgr.do("POST", one+"/versions", map[string]any{"name": "2023 baseline"}), http.StatusConflict, "the same name again")
		mustStatus(t, mgr.do("POST", one+"/versions", map[string]any{"name": " "}), http.StatusBadRequest, "no name")
		mustStatus(t, mgr.do("POST", one+"/versions", map[string]any{"name": strings.Repeat("n", 81)}), http.StatusRequestEntityTooLarge, "a long name")
		mustStatus(t, mgr.do("POST", one+"/versions", map[string]any{"name": "a\nb"}), http.StatusBadRequest, "two lines")
		mustStatus(t, fac.do("POST", one+"/versions", map[string]any{"name": "Facilitator's"}), http.StatusForbidden, "a facilitator freezes")
		mustStatus(t, other.do("GET", one+"/versions", nil), http.StatusNotFound, "another lab lists")

		pushText(t, mgr, d.ID, sec, "Norway has a hybrid welfare model, and a new law.")
		var diff diffBody
		r = fac.do("GET", one+"/diff?from="+v.ID, nil)
		r.json(t, &diff)
		if r.Status != http.StatusOK || diff.From != "2023 baseline" || diff.To != "current" {
			t.Fatalf("diff: %d %s", r.Status, r.Body)
		}
		got := ""
		for _, o := range diff.Sections[0].Ops {
			got += o.Op + o.Text + "|"
		}
		if diff.Sections[0].Status != "changed" || got != "=Norway has a |-social-democratic|+hybrid|= welfare model|+, and a new law|=.|" {
			t.Fatalf("the first section's diff: %s %s", diff.Sections[0].Status, got)
		}
		if len(diff.Sections) != len(d.Sections) || diff.Sections[1].Status != "same" {
			t.Fatalf("%d sections, the second %s", len(diff.Sections), diff.Sections[1].Status)
		}
		// A version against itself: every section the same.
		fac.do("GET", one+"/diff?from="+v.ID+"&to="+v.ID, nil).json(t, &diff)
		for _, s := range diff.Sections {
			if s.Status != "same" {
				t.Fatalf("a version against itself: %s is %s", s.Title, s.Status)
			}
		}
		for q, want := range map[string]int{"": 400, "?from=nope": 400, "?from=" + strings.Repeat("0", 26): 404, "?from=" + v.ID + "&to=x": 400} {
			mustStatus(t, mgr.do("GET", one+"/diff"+q, nil), want, "diff"+q)
		}
		// Another document's version is no version of this one.
		d2 := createDoc(t, mgr, w.labA, map[string]any{"template": "notes", "title": "Other"})
		mustStatus(t, mgr.do("GET", "/api/documents/"+d2.ID+"/diff?from="+v.ID, nil), http.StatusNotFound, "a version of another document")

		// Exports: the current text or a version, as Markdown or as one
		// printable HTML page saying which lab, version and level.
		r = mgr.do("GET", one+"/export?format=html", nil)
		page := string(r.Body)
		if r.Status != http.StatusOK || !strings.Contains(page, "a hybrid welfare model") || !strings.Contains(page, "Current text") ||
			!strings.Contains(page, "Read only by this lab&#39;s members") || !strings.Contains(page, w.labA.Title) ||
			!strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("html export: %d %.600s", r.Status, page)
		}
		r = mgr.do("GET", one+"/export?format=html&version="+v.ID, nil)
		if page := string(r.Body); !strings.Contains(page, "social-democratic") || strings.Contains(page, "hybrid") || !strings.Contains(page, "2023 baseline") {
			t.Fatalf("a version's export: %.600s", page)
		}
		r = mgr.do("GET", one+"/export?version="+v.ID, nil)
		if !strings.HasPrefix(string(r.Body), "# Baseline\n") || !strings.Contains(string(r.Body), "social-democratic") {
			t.Fatalf("a version as Markdown: %.300s", r.Body)
		}
		mustStatus(t, mgr.do("GET", one+"/export?format=docx", nil), http.StatusBadRequest, "an unknown format")
		mustStatus(t, mgr.do("GET", one+"/export?version="+strings.Repeat("0", 26), nil), http.StatusNotFound, "an unknown version")

		var list struct{ Items []struct{ ID, Name string } }
		fac.do("GET", one+"/versions", nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "2023 baseline" {
			t.Fatalf("versions: %+v", list.Items)
		}
		entries, _, _ := ts.Store.ListAudit(t.Context(), w.labA.ID, labs.Page{Limit: 200})
		if !strings.Contains(fmt.Sprint(entries), "document.version") {
			t.Fatal("freezing is not recorded")
		}
	})
}
