package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// cmEditors is a Node process running headless editors built on the real
// @codemirror/collab and @codemirror/state (realtime/jsclient/editors.mjs).
type cmEditors struct {
	t     testing.TB
	in    io.WriteCloser
	out   *bufio.Scanner
	cmd   *exec.Cmd
	debug strings.Builder
}

func startCMEditors(t testing.TB, cfg map[string]any) *cmEditors {
	t.Helper()
	dir, _ := filepath.Abs("../realtime/jsclient")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@codemirror", "collab")); err != nil {
		t.Fatalf("the CodeMirror packages are not installed: run `make test`, or `npm ci` in %s", dir)
	}
	e := &cmEditors{t: t, cmd: exec.Command("node", filepath.Join(dir, "editors.mjs"))}
	e.cmd.Stderr = &e.debug
	var err error
	if e.in, err = e.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := e.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	e.out = bufio.NewScanner(stdout)
	e.out.Buffer(nil, 16<<20)
	if err := e.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.cmd.Process.Kill(); e.cmd.Wait() })
	e.send(cfg)
	e.expect("ready")
	return e
}

func (e *cmEditors) send(v any) {
	b, _ := json.Marshal(v)
	if _, err := e.in.Write(append(b, '\n')); err != nil {
		e.t.Fatalf("write to node: %v", err)
	}
}

// expect reads the next line and returns it; it must have the key.
func (e *cmEditors) expect(key string) map[string]json.RawMessage {
	e.t.Helper()
	lines := make(chan []byte, 1)
	go func() {
		if e.out.Scan() {
			lines <- append([]byte(nil), e.out.Bytes()...)
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		var m map[string]json.RawMessage
		if !ok || json.Unmarshal(line, &m) != nil || m[key] == nil {
			e.t.Fatalf("CodeMirror editors: want %q, got %q\n%s", key, line, e.debug.String())
		}
		return m
	case <-time.After(90 * time.Second):
		e.t.Fatalf("CodeMirror editors: no %q within 90s\n%s", key, e.debug.String())
	}
	return nil
}

// texts sends the final versions and returns every editor's texts.
func (e *cmEditors) texts(final map[string]realtime.State) []map[string]string {
	versions := map[string]int{}
	for id, st := range final {
		versions[id] = st.Version
	}
	e.send(map[string]any{"final": versions})
	var out struct{ Texts []map[string]string }
	b, _ := json.Marshal(e.expect("texts"))
	json.Unmarshal(b, &out)
	return out.Texts
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
			cm := startCMEditors(t, map[string]any{"url": ts.URL, "cookie": cookieHeader(hc), "doc": doc.ID,
				"count": 12, "edits": 25, "seed": seed % (1 << 32), "reconnect": 0.04, "mode": "random"})
			goClients := make([]*collabClient, 12)
			for i := range goClients {
				goClients[i] = newCollabClient(t, ts, fmt.Sprintf("go%02d", i), w.mgrA.Email, doc)
			}
			var wg sync.WaitGroup
			for i, cc := range goClients {
				r := rand.New(rand.NewPCG(seed, uint64(100+i)))
				wg.Go(func() { cc.run(t, r, doc, 25) })
			}
			cm.expect("done")
			wg.Wait()
			if t.Failed() {
				return
			}
			total := converged(t, ts.Store, doc, finalStates(t, ts, doc), cm, goClients)
			t.Logf("12 CodeMirror and 12 Go editors, %d changes: converged", total)
		})
	}
}

// converged checks that every CodeMirror and Go editor reaches the final
// states and that the store's log replays to them; it returns how many
// changes were made.
func converged(t *testing.T, store labs.ChangeStore, doc labs.Document, final map[string]realtime.State, cm *cmEditors, goClients []*collabClient) int {
	t.Helper()
	for i, texts := range cm.texts(final) {
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
	cm := startCMEditors(t, map[string]any{"url": ts.URL, "cookie": cookieHeader(hc), "doc": doc.ID, "count": 1, "seed": 1, "mode": "trap"})

	a := newCollabClient(t, ts, "A", w.mgrA.Email, doc)
	for _, step := range []struct {
		version int
		changes string
	}{{0, `[1,[3],2]`}, {1, `[1,[0,"X"],2]`}} {
		a.ws.send([]byte(`{"type":"push","id":1,"doc":"` + doc.ID + `","section":"` + sec + `","version":` + fmt.Sprint(step.version) +
			`,"clientID":"A","updates":[{"seq":` + fmt.Sprint(step.version+1) + `,"changes":` + step.changes + `}]}`))
		a.ws.next("pushed")
	}
	cm.send(map[string]any{"go": true})
	cm.expect("done")
	final := finalStates(t, ts, doc)
	if final[sec].Text != "aXYef" {
		t.Fatalf("server text %q, want aXYef", final[sec].Text)
	}
	if got := cm.texts(final)[0][sec]; got != "aXYef" {
		t.Fatalf("CodeMirror text %q, want aXYef", got)
	}
}
