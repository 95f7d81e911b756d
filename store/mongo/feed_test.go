package mongo_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/store/mongo"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestFeed: one stream hears section changes and signals in the order they
// were stored, resumes after any event it heard, says so when it cannot,
// and signals are pruned by age without touching changes. Run against
// mongo-java-server and, when LINKLAB_TEST_MONGODB_URI is set, a real
// MongoDB.
func TestFeed(t *testing.T) {
	t.Run("mongo-java-server", func(t *testing.T) { testFeed(t, javaServerURI, "1") })
	if uri := os.Getenv("LINKLAB_TEST_MONGODB_URI"); uri != "" {
		t.Run("real-mongodb", func(t *testing.T) { testFeed(t, uri, "majority") })
	}
}

func testFeed(t *testing.T, uri, wc string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := factory(uri, wc)(t).(*mongo.Store)
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	write := func(i int) {
		t.Helper()
		if i%3 == 2 {
			if err := s.Signal(ctx, labs.Signal{Origin: "inst", N: int64(i), Kind: "k", Body: []byte(fmt.Sprintf(`{"i":%d}`, i)), At: at.Add(time.Duration(i) * time.Minute)}); err != nil {
				t.Fatal(err)
			}
			return
		}
		if err := s.AppendChanges(ctx, []labs.Change{{SectionID: "sec", Version: i + 1, ClientID: "c", Seq: int64(i), AuthorID: "a",
			Changes: []byte(`[[0,"x"]]`), At: at}}); err != nil {
			t.Fatal(err)
		}
	}
	// follow collects n events from resume on.
	follow := func(resume []byte, n int, during func()) ([]labs.FeedEvent, error) {
		var got []labs.FeedEvent
		fctx, stop := context.WithCancel(ctx)
		defer stop()
		errc := make(chan error, 1)
		started := make(chan struct{})
		go func() {
			errc <- s.Follow(fctx, resume, func() { close(started) }, func(e labs.FeedEvent) error {
				got = append(got, e)
				if len(got) == n {
					stop()
				}
				return nil
			})
		}()
		select {
		case <-started:
			during()
		case err := <-errc:
			return nil, err
		}
		err := <-errc
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		return got, err
	}
	got, err := follow(nil, 6, func() {
		for i := range 6 {
			write(i)
		}
	})
	if err != nil || len(got) != 6 {
		t.Fatalf("followed %d events: %v", len(got), err)
	}
	for i, e := range got {
		switch {
		case i%3 == 2 && (e.Signal == nil || e.Signal.N != int64(i) || e.Signal.Origin != "inst" || string(e.Signal.Body) != fmt.Sprintf(`{"i":%d}`, i)):
			t.Fatalf("event %d = %+v, want signal %d", i, e, i)
		case i%3 != 2 && (e.Change == nil || e.Change.Version != i+1 || e.Change.SectionID != "sec" || string(e.Change.Changes) != `[[0,"x"]]`):
			t.Fatalf("event %d = %+v, want change %d", i, e, i+1)
		case len(e.Resume) == 0:
			t.Fatalf("event %d has no resume point", i)
		}
	}
	// Resumed after the third event, the stream starts at the fourth.
	again, err := follow(got[2].Resume, 3, func() {})
	if err != nil || len(again) != 3 || again[0].Change == nil || again[0].Change.Version != 4 {
		t.Fatalf("resumed after event 3: %d events, %v", len(again), err)
	}
	// A resume point the server does not know cannot be used.
	bad, err := bson.Marshal(bson.D{{Key: "_data", Value: "not a resume token"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := follow(bad, 1, func() {}); !errors.Is(err, labs.ErrResumeLost) {
		t.Fatalf("following from an unknown resume point: %v, want ErrResumeLost", err)
	}
	// Signals go by age; changes stay.
	if err := s.PruneSignals(ctx, at.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	write(8)
	left, err := follow(nil, 1, func() { write(11) })
	if err != nil || len(left) != 1 || left[0].Signal == nil || left[0].Signal.N != 11 {
		t.Fatalf("after pruning: %+v, %v", left, err)
	}
	if cs, err := s.Changes(ctx, "sec", 0, 100); err != nil || len(cs) != 4 {
		t.Fatalf("changes after pruning signals: %d, %v", len(cs), err)
	}
	big := labs.Signal{Origin: "inst", N: 99, Kind: "k", Body: make([]byte, labs.MaxSignalBody+1)}
	if err := s.Signal(ctx, big); !labs.IsCode(err, labs.ETooLarge) {
		t.Fatalf("an oversized signal: %v", err)
	}
}
