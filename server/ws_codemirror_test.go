package server_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/linklab/linklab/internal/cmeditors"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// cmTexts sends the final versions and returns every CodeMirror editor's
// texts.
func cmTexts(cm *cmeditors.Editors, final map[string]realtime.State) []map[string]string {
	versions := map[string]int{}
	for id, st := range final {
		versions[id] = st.Version
	}
	return cm.Texts(versions)
}

func cookieHeader(c *client) string {
	var parts []string
	for _, ck := range c.http.Jar.Cookies(mustURL(c.tb, c.ts.URL)) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// TestCodeMirrorEditorsConverge runs editors built on the real CodeMirror
// packages in Node beside our Go editors, on both engines: the server is
// proven against the library the browser uses.
func TestCodeMirrorEditorsConverge(t *testing.T) {
	for _, eng := range engines {
		t.Run(eng.name, func(t *testing.T) {
			seed := testSeed(t)
			ts := mustServe(t, eng.open(t))
			w := ts.seed(t)
			doc := makeDoc(t, ts, w.labA, "Baseline 👍 e\u0301\r\nnext line", "")
			writer := ts.member(t, w.labA, "cm@example.org", labs.RoleFrontlineStaff)
			hc := ts.client(t)
			hc.mustSignIn(writer.Email, password)
			cm := cmeditors.Start(t, map[string]any{"url": ts.URL, "cookie": cookieHeader(hc), "doc": doc.ID,
				"count": 12, "edits": 25, "seed": seed % (1 << 32), "reconnect": 0.04, "mode": "random"})
			goClients, wait := goEditors(t, seed, 12, func(int) *testServer { return ts }, w.mgrA.Email, doc)
			cm.Expect("done")
			wait()
			if t.Failed() {
				return
			}
			total := converged(t, ts.Store, doc, finalStates(t, ts, doc), cm, goClients)
			t.Logf("12 CodeMirror and 12 Go editors, %d changes: converged", total)
		})
	}
}

// goEditors connects n Go editors, the i-th to at(i), signed in as email,
// and starts each making 25 random edits (seeded); wait waits for them.
func goEditors(t *testing.T, seed uint64, n int, at func(i int) *testServer, email string, doc labs.Document) ([]*collabClient, func()) {
	t.Helper()
	clients := make([]*collabClient, n)
	for i := range clients {
		clients[i] = newCollabClient(t, at(i), fmt.Sprintf("go%02d", i), email, doc)
	}
	var wg sync.WaitGroup
	for i, cc := range clients {
		r := rand.New(rand.NewPCG(seed, uint64(100+i)))
		wg.Go(func() { cc.run(t, r, doc, 25) })
	}
	return clients, wg.Wait
}

// converged checks that every CodeMirror and Go editor reaches the final
// states and that the store's log replays to them; it returns how many
// changes were made.
func converged(t *testing.T, store labs.ChangeStore, doc labs.Document, final map[string]realtime.State, cm *cmeditors.Editors, goClients []*collabClient) int {
	t.Helper()
	for i, texts := range cmTexts(cm, final) {
		for id, st := range final {
			if texts[id] != st.Text {
				t.Fatalf("CodeMirror editor %d: %q, server %q", i, texts[id], st.Text)
			}
		}
	}
	for _, cc := range goClients {
		cc.reach(t, final)
		for id, st := range final {
			if got := cc.sections[id].text.String(); got != st.Text {
				t.Fatalf("%s: %q, server %q", cc.id, got, st.Text)
			}
		}
	}
	for _, s := range doc.Sections {
		if got := replay(t, store, s); got != final[s.ID].Text {
			t.Fatalf("replay %q, server %q", got, final[s.ID].Text)
		}
	}
	total := 0
	for _, st := range final {
		total += st.Version
	}
	return total
}

// TestCodeMirrorDeleteThenInsert is the trap from the issue, with a real
// CodeMirror editor: on "abcdef" it inserts "Y" after "b" against version 0
// while A's deletion of "bcd" and B's insertion of "X" are already accepted.
// The server maps Y over A, then over B; CodeMirror, receiving A and B one
// message at a time, does the same: both end with "aXYef".
func TestCodeMirrorDeleteThenInsert(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	doc := makeDoc(t, ts, w.labA, "abcdef")
	sec := doc.Sections[0].ID
	writer := ts.member(t, w.labA, "cm@example.org", labs.RoleServiceUser)
	hc := ts.client(t)
	hc.mustSignIn(writer.Email, password)
	cm := cmeditors.Start(t, map[string]any{"url": ts.URL, "cookie": cookieHeader(hc), "doc": doc.ID, "count": 1, "seed": 1, "mode": "trap"})

	a := newCollabClient(t, ts, "A", w.mgrA.Email, doc)
	for _, step := range []struct {
		version int
		changes string
	}{{0, `[1,[3],2]`}, {1, `[1,[0,"X"],2]`}} {
		a.ws.send([]byte(`{"type":"push","id":1,"doc":"` + doc.ID + `","section":"` + sec + `","version":` + fmt.Sprint(step.version) +
			`,"clientID":"A","updates":[{"seq":` + fmt.Sprint(step.version+1) + `,"changes":` + step.changes + `}]}`))
		a.ws.next("pushed")
	}
	cm.Send(map[string]any{"go": true})
	cm.Expect("done")
	final := finalStates(t, ts, doc)
	if final[sec].Text != "aXYef" {
		t.Fatalf("server text %q, want aXYef", final[sec].Text)
	}
	if got := cmTexts(cm, final)[0][sec]; got != "aXYef" {
		t.Fatalf("CodeMirror text %q, want aXYef", got)
	}
}
