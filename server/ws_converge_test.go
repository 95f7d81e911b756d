package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// collabClient is a simulated editor doing what @codemirror/collab does in
// the browser: it applies its own edits at once, keeps them as unconfirmed
// until the server's stream confirms them, applies every received update
// one at a time (mapping its unconfirmed edits over it), and pushes its
// unconfirmed edits with their sequence numbers against its version.
type collabClient struct {
	id        string
	doc       string
	sections  map[string]*sectionCopy
	nextSeq   int64
	pushing   map[string]bool
	c         *client
	ws        *wsConn
	reconnect int
}

type sectionCopy struct {
	text        realtime.Text
	version     int
	unconfirmed []realtime.Pushed
}

// handle applies one server message.
func (cc *collabClient) handle(t testing.TB, m map[string]json.RawMessage) {
	switch str(m["type"]) {
	case "section":
		cc.sections[str(m["section"])] = &sectionCopy{text: realtime.TextOf(str(m["text"])), version: num(m["version"])}
	case "update":
		s := cc.sections[str(m["section"])]
		seq, _ := strconv.ParseInt(string(m["seq"]), 10, 64)
		if v := num(m["version"]); v != s.version+1 {
			t.Errorf("%s: update %d after version %d", cc.id, v, s.version)
		}
		s.version = num(m["version"])
		if str(m["clientID"]) == cc.id && len(s.unconfirmed) > 0 && s.unconfirmed[0].Seq == seq {
			s.unconfirmed = s.unconfirmed[1:]
			return
		}
		ch, err := realtime.ParseChangeSet(m["changes"])
		if err != nil {
			t.Errorf("%s: bad changes from the server: %v", cc.id, err)
			return
		}
		for i := range s.unconfirmed {
			orig := s.unconfirmed[i].Changes
			s.unconfirmed[i].Changes = orig.Map(ch, false)
			ch = ch.Map(orig, true)
		}
		if s.text, err = ch.Apply(s.text); err != nil {
			t.Errorf("%s: received change does not apply: %v", cc.id, err)
		}
	case "pushed":
		cc.pushing[str(m["section"])] = false
	case "error":
		t.Errorf("%s: server error %s: %s", cc.id, m["code"], m["message"])
		for k := range cc.pushing {
			cc.pushing[k] = false
		}
	}
}

func (cc *collabClient) edit(r *rand.Rand, section string) {
	s := cc.sections[section]
	c := randomEdit(r, s.text)
	text, err := c.Apply(s.text)
	if err != nil {
		panic(err)
	}
	s.text = text
	cc.nextSeq++
	s.unconfirmed = append(s.unconfirmed, realtime.Pushed{Seq: cc.nextSeq, Changes: c})
}

func (cc *collabClient) push(section string) {
	s := cc.sections[section]
	if cc.pushing[section] || len(s.unconfirmed) == 0 {
		return
	}
	type upd struct {
		Seq     int64              `json:"seq"`
		Changes realtime.ChangeSet `json:"changes"`
	}
	ups := make([]upd, len(s.unconfirmed))
	for i, u := range s.unconfirmed {
		ups[i] = upd{u.Seq, u.Changes}
	}
	cc.pushing[section] = true
	cc.ws.send(map[string]any{"type": "push", "doc": cc.doc, "section": section, "version": s.version, "clientID": cc.id, "updates": ups})
}

// run makes edits random edits with random pauses, pushes and reconnects,
// then pushes until every edit is confirmed.
func (cc *collabClient) run(t testing.TB, r *rand.Rand, doc labs.Document, edits int) {
	for n := 0; n < edits; {
		select {
		case m, ok := <-cc.ws.in:
			if !ok {
				t.Errorf("%s: connection lost", cc.id)
				return
			}
			cc.handle(t, m)
			continue
		case <-time.After(time.Duration(r.IntN(8)) * time.Millisecond):
		}
		sec := doc.Sections[r.IntN(len(doc.Sections))].ID
		cc.edit(r, sec)
		n++
		switch x := r.IntN(100); {
		case x < 4:
			cc.reconnect++
			cc.connect(t)
		case x < 70:
			cc.push(sec)
		}
	}
	deadline := time.After(60 * time.Second)
	for {
		pending := 0
		for _, s := range doc.Sections {
			cc.push(s.ID)
			pending += len(cc.sections[s.ID].unconfirmed)
		}
		if pending == 0 {
			return
		}
		select {
		case m, ok := <-cc.ws.in:
			if !ok {
				cc.connect(t)
				continue
			}
			cc.handle(t, m)
		case <-deadline:
			t.Errorf("%s: %d changes never confirmed", cc.id, pending)
			return
		}
	}
}

// reach reads until the client has every section at the given versions.
func (cc *collabClient) reach(t testing.TB, final map[string]realtime.State) {
	for id, st := range final {
		for cc.sections[id].version < st.Version {
			m, ok := <-cc.ws.in
			if !ok {
				t.Fatalf("%s: connection closed at version %d of %d", cc.id, cc.sections[id].version, st.Version)
			}
			cc.handle(t, m)
		}
	}
}

// newCollabClient signs in as email and subscribes to doc.
func newCollabClient(t testing.TB, ts *testServer, id, email string, doc labs.Document) *collabClient {
	hc := ts.client(t)
	hc.mustSignIn(email, password)
	cc := &collabClient{id: id, doc: doc.ID, sections: map[string]*sectionCopy{}, pushing: map[string]bool{}, c: hc}
	cc.connect(t)
	return cc
}

// finalStates returns the server's state of every section of doc.
func finalStates(t testing.TB, ts *testServer, doc labs.Document) map[string]realtime.State {
	t.Helper()
	out := map[string]realtime.State{}
	for _, s := range doc.Sections {
		st, err := ts.Srv.SectionText(context.Background(), s.ID, realtime.Seed{Text: s.Text, Version: s.Version})
		if err != nil {
			t.Fatal(err)
		}
		out[s.ID] = st
	}
	return out
}

// connect (re)opens the connection and resumes from the versions it has.
func (cc *collabClient) connect(t testing.TB) {
	if cc.ws != nil {
		cc.ws.conn.Close()
	}
	cc.ws = cc.c.mustDialWS()
	versions := map[string]int{}
	for id, s := range cc.sections {
		versions[id] = s.version
	}
	msg := map[string]any{"type": "subscribe", "id": 1, "doc": cc.doc}
	if len(versions) > 0 {
		msg["versions"] = versions
	}
	cc.ws.send(msg)
	for {
		m := cc.ws.next("section", "update", "subscribed", "error")
		if str(m["type"]) == "subscribed" {
			break
		}
		cc.handle(t, m)
	}
	for k := range cc.pushing {
		cc.pushing[k] = false // a push in flight on the old connection is resent
	}
}

func testSeed(t testing.TB) uint64 { t.Helper(); return testseed.Seed(t) }

// makeDoc stores a document with the given section texts in lab.
func makeDoc(t testing.TB, ts *testServer, lab labs.Lab, texts ...string) labs.Document {
	t.Helper()
	tpl := content.Template{Name: "test", Version: 1, Kind: labs.KindNotes, Title: "Notes"}
	for i := range texts {
		tpl.Sections = append(tpl.Sections, content.TemplateSection{Key: fmt.Sprintf("s%d", i), Title: fmt.Sprintf("Section %d", i)})
	}
	d := tpl.NewDocument(lab.ID, "", labs.VisLab, ts.Auth.Now())
	for i := range texts {
		d.Sections[i].Text = texts[i]
	}
	if err := ts.Store.CreateDocument(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestConvergence: fifty simulated editors type into two sections at once
// over real websockets, with random delays and reconnects. At the end every
// client's text equals the server's, and the server's text equals a replay
// of the stored change log. Runs on both engines.
func TestConvergence(t *testing.T) {
	const editors, edits = 50, 24
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			seed := testSeed(t)
			ts := mustServe(t, e.open(t))
			w := ts.seed(t)
			doc := makeDoc(t, ts, w.labA, "Start: 👨‍👩‍👧 e\u0301\r\n", "")
			people := []string{w.mgrA.Email}
			for i := range 4 {
				acc := ts.member(t, w.labA, fmt.Sprintf("editor%d@example.org", i), labs.RoleServiceUser)
				people = append(people, acc.Email)
			}
			clients := make([]*collabClient, editors)
			for i := range clients {
				clients[i] = newCollabClient(t, ts, fmt.Sprintf("c%02d", i), people[i%len(people)], doc)
			}
			var wg sync.WaitGroup
			for i, cc := range clients {
				r := rand.New(rand.NewPCG(seed, uint64(i)))
				wg.Go(func() { cc.run(t, r, doc, edits) })
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			// Everyone has everything once their version reaches the server's.
			finals := finalStates(t, ts, doc)
			reconnects := 0
			for _, cc := range clients {
				reconnects += cc.reconnect
				cc.reach(t, finals)
				for _, s := range doc.Sections {
					if got := cc.sections[s.ID].text.String(); got != finals[s.ID].Text {
						t.Fatalf("%s section %s: client text %q, server text %q", cc.id, s.Key, got, finals[s.ID].Text)
					}
				}
			}
			for _, s := range doc.Sections {
				replayed := replay(t, ts.Store, s)
				if replayed != finals[s.ID].Text {
					t.Fatalf("section %s: replay of the log %q, server text %q", s.Key, replayed, finals[s.ID].Text)
				}
			}
			t.Logf("%d editors, %d changes in all, %d reconnects: converged", editors,
				finals[doc.Sections[0].ID].Version+finals[doc.Sections[1].ID].Version, reconnects)
		})
	}
}

// replay rebuilds a section's text from its seed and the stored log.
func replay(t testing.TB, store labs.ChangeStore, sec labs.Section) string {
	t.Helper()
	ctx := context.Background()
	latest, err := store.LatestVersion(ctx, sec.ID)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := store.Changes(ctx, sec.ID, sec.Version, latest)
	if err != nil {
		t.Fatal(err)
	}
	text := realtime.TextOf(sec.Text)
	for _, c := range changes {
		cs, err := realtime.ParseChangeSet(c.Changes)
		if err != nil {
			t.Fatal(err)
		}
		if text, err = cs.Apply(text); err != nil {
			t.Fatalf("stored change %d does not apply: %v", c.Version, err)
		}
	}
	return text.String()
}
