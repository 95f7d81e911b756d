package realtime_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// FuzzParseChangeSet: whatever arrives, parsing fails with ErrMalformed or
// gives a change set that writes itself back in the same form (the form
// @codemirror/state writes), applies to a text of its length, and produces
// a text of its new length.
func FuzzParseChangeSet(f *testing.F) {
	for _, s := range []string{`[]`, `[6]`, `[5,0]`, `[0,5]`, `[2,[0,"Y"],4]`, `[1,[3],2]`, `[[0,"a","b"],[0,"c"],3]`,
		`[[0],[0,""],1]`, `[1,[1,"👍"],1]`, `[[0,"\ud83d"]]`, `[1e300]`, `[-1]`, `{"a":1}`, `[[2,"x"],[2],2,[0,"y"]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := realtime.ParseChangeSet(raw)
		if err != nil {
			if !errors.Is(err, realtime.ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		out := c.AppendJSON(nil)
		again, err := realtime.ParseChangeSet(out)
		if err != nil || !bytes.Equal(again.AppendJSON(nil), out) {
			t.Fatalf("%s writes %s, which reads back as %s (%v)", raw, out, again.AppendJSON(nil), err)
		}
		if c.Len() > 1<<16 {
			return // long texts only cost time
		}
		doc := realtime.TextOf(strings.Repeat("a", c.Len()))
		got, err := c.Apply(doc)
		if err != nil || len(got) != c.NewLen() {
			t.Fatalf("%s on a text of %d: length %d, %v; want %d", raw, c.Len(), len(got), err, c.NewLen())
		}
	})
}

// FuzzMapConverges: two change sets made on the same text, each mapped
// over the other (one before, one after, as the server and a client do),
// give the same text in either order, and mapping never panics.
func FuzzMapConverges(f *testing.F) {
	f.Add("abcdef", []byte(`[2,[0,"Y"],4]`), []byte(`[1,[3],2]`))
	f.Add("abcdef", []byte(`[6,0]`), []byte(`[6,[0,"x"]]`))
	f.Add("hello", []byte(`[[5,"bye"]]`), []byte(`[[0,"oh "],5]`))
	f.Add("a👍b", []byte(`[1,[2],1]`), []byte(`[3,[0,"!"],1]`))
	f.Add("", []byte(`[[0,"a"]]`), []byte(`[[0,"b"]]`))
	f.Fuzz(func(t *testing.T, text string, rawA, rawB []byte) {
		doc := realtime.TextOf(text)
		a, errA := realtime.ParseChangeSet(rawA)
		b, errB := realtime.ParseChangeSet(rawB)
		if errA != nil || errB != nil || a.Len() != len(doc) || b.Len() != len(doc) {
			return
		}
		afterA, errA := a.Apply(doc)
		afterB, errB := b.Apply(doc)
		if errA != nil || errB != nil {
			t.Fatalf("apply: %v, %v", errA, errB)
		}
		bOverA, aOverB := b.Map(a, false), a.Map(b, true)
		x, err1 := bOverA.Apply(afterA)
		y, err2 := aOverB.Apply(afterB)
		if err1 != nil || err2 != nil || x.String() != y.String() {
			t.Fatalf("%q with %s and %s: %q (%v) and %q (%v)", text, rawA, rawB, x.String(), err1, y.String(), err2)
		}
	})
}

// fuzzAccess lets the connection read and write one document.
type fuzzAccess struct{ doc labs.Document }

func (a fuzzAccess) Document(_ context.Context, id, _ string) (labs.Document, error) {
	if id != a.doc.ID {
		return labs.Document{}, labs.Errorf(labs.ENotFound, "No such document.")
	}
	return a.doc, nil
}
func (fuzzAccess) Name(context.Context, labs.Document) string { return "Fuzz" }
func (fuzzAccess) Workshop(context.Context, string) ([]byte, error) {
	return nil, labs.Errorf(labs.ENotFound, "No such workshop.")
}
func (fuzzAccess) Connected(context.Context) error { return nil }

func (fuzzAccess) Themes(context.Context) error { return nil }

// faultLog records what the session logs as an error: a fault or an
// internal error is a defect whatever the client sent.
type faultLog struct {
	mu   sync.Mutex
	msgs []string
}

func (l *faultLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *faultLog) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		l.mu.Lock()
		l.msgs = append(l.msgs, r.Message)
		r.Attrs(func(a slog.Attr) bool { l.msgs = append(l.msgs, a.String()); return true })
		l.mu.Unlock()
	}
	return nil
}
func (l *faultLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *faultLog) WithGroup(string) slog.Handler      { return l }

// FuzzSessionMessages sends what the fuzzer makes, one message per line,
// through a subscribed connection's session to a real authority over a
// real SQLite store: nothing a client sends may fault, and every answer is
// JSON.
func FuzzSessionMessages(f *testing.F) {
	const docID, secID = "06h0den15d9cx3ey8hyjcfgyyr", "06h0den17d9cx3ey8hyjcfgyys"
	seeds := []string{
		`{"type":"push","id":2,"doc":"` + docID + `","section":"` + secID + `","version":0,"clientID":"a","updates":[{"seq":1,"changes":[5,0]}]}` + "\n" +
			`{"type":"push","id":3,"doc":"` + docID + `","section":"` + secID + `","version":0,"clientID":"b","updates":[{"seq":1,"changes":[5,[0,"x"]]}]}`,
		`{"type":"push","id":2,"doc":"` + docID + `","section":"` + secID + `","version":0,"clientID":"a","updates":[{"seq":1,"changes":[[0,"hello"],5]}]}` + "\n" +
			`{"type":"subscribe","id":3,"doc":"` + docID + `"}` + "\n" +
			`{"type":"push","id":4,"doc":"` + docID + `","section":"` + secID + `","version":1,"clientID":"a","updates":[{"seq":1,"changes":[[0,"hello"],10]}]}`,
		`{"type":"presence","doc":"` + docID + `","section":"` + secID + `","version":0,"anchor":2,"head":9}`,
		`{"type":"subscribe","id":5,"doc":"` + docID + `","versions":{"` + secID + `":99}}`,
		`{"type":"push","id":6,"version":"x"}`,
		`{"id":7,"type":"push","updates":[{"seq":1,"changes":[1,`,
		`{"type":"unsubscribe","id":8,"doc":"` + docID + `"}` + "\n" + `{"type":"presence","doc":"` + docID + `"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	store := mustStore(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		// A section of its own per input, so inputs do not meet.
		sec := labs.NewID(time.Now())
		doc := labs.Document{ID: docID, Sections: []labs.Section{{ID: sec, Key: "s", Title: "S", Text: "hello"}}}
		log := &faultLog{}
		tr := &fakeTransport{}
		client := realtime.NewClient(tr, 1<<14)
		s := realtime.NewSession(realtime.SessionConfig{Authority: realtime.NewAuthority(realtime.AuthorityConfig{Store: store}),
			Hub: realtime.NewHub(), Presences: realtime.NewPresences(), Peer: "p", Access: fuzzAccess{doc}, Client: client,
			AccountID: "u", Logger: slog.New(log)})
		ctx := context.Background()
		s.Handle(ctx, []byte(`{"type":"subscribe","id":1,"doc":"`+docID+`"}`))
		for _, m := range bytes.Split(input, []byte("\n")) {
			s.Handle(ctx, bytes.ReplaceAll(m, []byte(secID), []byte(sec)))
		}
		s.Close()
		client.Close(realtime.CloseNormal, "")
		client.Wait()
		if len(log.msgs) > 0 {
			t.Fatalf("input %q logged %v", input, log.msgs)
		}
		if tr.closed == realtime.CloseInternal {
			t.Fatalf("input %q closed the connection for a fault", input)
		}
		for _, m := range tr.messages() {
			if !json.Valid(m) {
				t.Fatalf("the server sent %q", m)
			}
		}
	})
}
