package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
	"github.com/linklab/linklab/store/mongo"
)

// instances starts n servers on one MongoDB database, each with a store
// of its own, as n processes are: they share nothing but the store.
func instances(t *testing.T, n int) []*testServer {
	t.Helper()
	name := fmt.Sprintf("server_instances_%d_%d", time.Now().UnixNano(), dbSeq.Add(1))
	out := make([]*testServer, n)
	for i := range out {
		s, err := mongo.Open(context.Background(), mongo.Config{URI: mongoURI, WriteConcern: "1", Database: name})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if i == 0 {
				s.DropDatabase(context.Background())
			}
			s.Close()
		})
		out[i] = mustServe(t, s, func(c *serverConfig) {
			c.Feed = s
			c.Logger = slog.New(slog.NewTextHandler(errorsOf{t, i}, &slog.HandlerOptions{Level: slog.LevelWarn}))
		})
	}
	for i, ts := range out {
		for !ts.Srv.Ready() {
			if t.Context().Err() != nil {
				t.Fatalf("instance %d never opened its feed", i)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return out
}

// errorsOf fails the test with whatever an instance logs as an error:
// nothing people send, and no other instance, may cause one.
type errorsOf struct {
	t *testing.T
	i int
}

func (e errorsOf) Write(b []byte) (int, error) {
	if strings.Contains(string(b), "level=ERROR") {
		e.t.Errorf("instance %d: %s", e.i, b)
	} else {
		e.t.Logf("instance %d: %s", e.i, b)
	}
	return len(b), nil
}

// TestCodeMirrorEditorsConvergeAcrossInstances: editors built on the real
// @codemirror/collab, each reconnecting to the next instance now and
// then, and Go editors, spread over three instances of one store, end on
// the same text as every instance and the store's log.
func TestCodeMirrorEditorsConvergeAcrossInstances(t *testing.T) {
	seed := testSeed(t)
	inst := instances(t, 3)
	ts := inst[0]
	w := ts.seed(t)
	doc := makeDoc(t, ts, w.labA, "Baseline 👍 e\u0301\r\nnext line", "")
	writer := ts.member(t, w.labA, "cm@example.org", labs.RoleFrontlineStaff)
	hc := ts.client(t)
	hc.mustSignIn(writer.Email, password)
	urls := make([]string, len(inst))
	for i, x := range inst {
		urls[i] = x.URL
	}
	cm := startCMEditors(t, map[string]any{"url": ts.URL, "urls": urls, "cookie": cookieHeader(hc), "doc": doc.ID,
		"count": 9, "edits": 25, "seed": seed % (1 << 32), "reconnect": 0.06, "mode": "random"})
	goClients := make([]*collabClient, 6)
	for i := range goClients {
		goClients[i] = newCollabClient(t, inst[i%len(inst)], fmt.Sprintf("go%02d", i), w.mgrA.Email, doc)
	}
	var wg sync.WaitGroup
	for i, cc := range goClients {
		r := rand.New(rand.NewPCG(seed, uint64(100+i)))
		wg.Go(func() { cc.run(t, r, doc, 25) })
	}
	cm.expect("done")
	wg.Wait()
	// Each change is in the log once: none was accepted twice, by two
	// instances or by one.
	for _, s := range doc.Sections {
		changes, err := ts.Store.Changes(context.Background(), s.ID, 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, c := range changes {
			key := fmt.Sprintf("%s/%d", c.ClientID, c.Seq)
			if v, twice := seen[key]; twice {
				t.Errorf("%s was accepted at version %d and again at %d", key, v, c.Version)
			}
			seen[key] = c.Version
		}
	}
	if t.Failed() {
		return
	}
	// Every instance reaches the store's latest versions by its feed.
	want := map[string]int{}
	for _, s := range doc.Sections {
		v, err := ts.Store.LatestVersion(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		want[s.ID] = v
	}
	var final map[string]realtime.State
	for i, x := range inst {
		deadline := time.Now().Add(10 * time.Second)
		for {
			got := finalStates(t, x, doc)
			same := true
			for id, v := range want {
				same = same && got[id].Version == v
			}
			if same {
				if final == nil {
					final = got
				}
				for id, st := range got {
					if st.Text != final[id].Text {
						t.Fatalf("instance %d: %q, instance 0: %q", i, st.Text, final[id].Text)
					}
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance %d is at %v, the store at %v", i, got, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	total := converged(t, ts.Store, doc, final, cm, goClients)
	t.Logf("9 CodeMirror and 6 Go editors on three instances, %d changes: converged", total)
}
