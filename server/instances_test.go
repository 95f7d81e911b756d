package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linklab/linklab/internal/cmeditors"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
	"github.com/linklab/linklab/store/mongo"
)

// instances starts n servers on one MongoDB database, each with a store
// of its own, as n processes are: they share nothing but the store. The
// database is mongo-java-server's, or LINKLAB_TEST_MONGODB_URI's when set.
func instances(t *testing.T, n int, feeds ...func(labs.Feed) labs.Feed) []*testServer {
	t.Helper()
	name := fmt.Sprintf("server_instances_%d_%d", time.Now().UnixNano(), dbSeq.Add(1))
	uri, wc := mongoURI, "1"
	if real := os.Getenv("LINKLAB_TEST_MONGODB_URI"); real != "" {
		uri, wc = real, "majority" // a real replica set
	}
	out := make([]*testServer, n)
	for i := range out {
		s, err := mongo.Open(context.Background(), mongo.Config{URI: uri, WriteConcern: wc, Database: name})
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
			if i < len(feeds) && feeds[i] != nil {
				c.Feed = feeds[i](s)
			}
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
	cm := cmeditors.Start(t, map[string]any{"url": ts.URL, "urls": urls, "cookie": cookieHeader(hc), "doc": doc.ID,
		"count": 9, "edits": 25, "seed": seed % (1 << 32), "reconnect": 0.06, "mode": "random"})
	goClients, wait := goEditors(t, seed, 6, func(i int) *testServer { return inst[i%len(inst)] }, w.mgrA.Email, doc)
	cm.Expect("done")
	wait()
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

// losingFeed is the real feed, made to lose its place on demand: the next
// events are dropped and the stream then ends as if the store no longer
// held its history (an outage longer than the oplog's window).
type losingFeed struct {
	labs.Feed
	lose atomic.Int32
}

func (f *losingFeed) Follow(ctx context.Context, resume []byte, started func(), fn func(labs.FeedEvent) error) error {
	return f.Feed.Follow(ctx, resume, started, func(e labs.FeedEvent) error {
		if f.lose.Load() > 0 {
			if f.lose.Add(-1) == 0 {
				return fmt.Errorf("%w: lost on purpose", labs.ErrResumeLost)
			}
			return nil
		}
		return fn(e)
	})
}

// TestAFeedThatLostItsPlaceCatchesUp: an instance whose feed misses
// changes and cannot resume starts again from the present and reads what
// it holds from the store: its subscriber hears every change once, in
// order, and ends on the store's text.
func TestAFeedThatLostItsPlaceCatchesUp(t *testing.T) {
	var losing *losingFeed
	inst := instances(t, 2, nil, func(f labs.Feed) labs.Feed { losing = &losingFeed{Feed: f}; return losing })
	w := inst[0].seed(t)
	doc := makeDoc(t, inst[0], w.labA, "Baseline")
	writer := newCollabClient(t, inst[0], "writer", w.mgrA.Email, doc)
	reader := newCollabClient(t, inst[1], "reader", w.facA.Email, doc)
	sec := doc.Sections[0].ID
	losing.lose.Store(4)
	r := rand.New(rand.NewPCG(testSeed(t), 3))
	for range 12 {
		writer.edit(r, sec)
		writer.push(sec)
		for writer.pushing[sec] {
			writer.handle(t, writer.ws.next("update", "pushed", "error"))
		}
	}
	// The instance hears the changes a moment after they were accepted.
	for deadline := time.Now().Add(10 * time.Second); losing.lose.Load() != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the feed lost %d events fewer than meant: the test did not happen", losing.lose.Load())
		}
	}
	final := finalStates(t, inst[0], doc)
	done := make(chan struct{})
	go func() { reader.reach(t, final); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("the reader on the instance that lost its place is at %d, the store at %d", reader.sections[sec].version, final[sec].Version)
	}
	if got := reader.sections[sec].text.String(); got != final[sec].Text {
		t.Fatalf("reader: %q, store: %q", got, final[sec].Text)
	}
}
