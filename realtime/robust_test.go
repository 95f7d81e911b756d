package realtime_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// TestParseNormalisesLikeTheLibrary: what @codemirror/state's toJSON writes
// reads back unchanged; what it never writes (empty items, neighbours of
// one kind) reads as the library would have built it.
func TestParseNormalisesLikeTheLibrary(t *testing.T) {
	scenarios := []struct{ in, want string }{
		// Canonical forms, as toJSON writes them: unchanged.
		{`[]`, `[]`},
		{`[6]`, `[6]`},
		{`[2,[0,"Y"],4]`, `[2,[0,"Y"],4]`},
		{`[1,[3],2]`, `[1,[3],2]`},
		{`[[2,"a","b"],[0,"c"],3]`, `[[2,"a","b"],[0,"c"],3]`},
		{`[[3],[0,"x"]]`, `[[3],[0,"x"]]`},
		// Hand-made forms: normalised.
		{`[5,0]`, `[5]`},
		{`[0,5]`, `[5]`},
		{`[2,3]`, `[5]`},
		{`[[0],5]`, `[5]`},
		{`[[0,""],5]`, `[5]`},
		{`[[2],[3],1]`, `[[5],1]`},
		{`[[0,"a"],[0,"b"],2]`, `[[0,"ab"],2]`},
		{`[1,0,[0,"x"],0,2,[0]]`, `[1,[0,"x"],2]`},
	}
	for i, sc := range scenarios {
		t.Run(fmt.Sprintf("%d_%s", i, sc.in), func(t *testing.T) {
			c := cs(t, sc.in)
			if got := string(c.AppendJSON(nil)); got != sc.want {
				t.Fatalf("ParseChangeSet(%s) writes %s, want %s", sc.in, got, sc.want)
			}
		})
	}
}

// TestEmptyKeptItemCannotStopASection is the crash from the field: a kept
// item of length zero, accepted, then a change made against an older
// version mapped over it.
func TestEmptyKeptItemCannotStopASection(t *testing.T) {
	ctx := context.Background()
	a, _ := newAuthority(t, mustStore(t), 0)
	for i, form := range []string{`[%d,0]`, `[0,%d]`, `[%d,[0]]`, `[%d,[0,""]]`, `[[0,""],%d,[0],0]`} {
		st := text(t, a)
		hostile := fmt.Sprintf(form, len(st.Text))
		if _, err := a.Push(ctx, "sec", seed0, st.Version, "evil", "u", []realtime.Pushed{{Seq: int64(i + 1), Changes: cs(t, hostile)}}); err != nil {
			t.Fatalf("%s: %v", hostile, err)
		}
		// Made against the version before the hostile change.
		if _, err := a.Push(ctx, "sec", seed0, st.Version, fmt.Sprint("b", i), "u",
			[]realtime.Pushed{{Seq: 1, Changes: cs(t, fmt.Sprintf(`[%d,[0,"x"]]`, len(st.Text)))}}); err != nil {
			t.Fatalf("after %s: %v", hostile, err)
		}
	}
	if st := text(t, a); st.Text != "abcdef"+strings.Repeat("x", 5) {
		t.Fatalf("text %q at %d", st.Text, st.Version)
	}
}

// TestStoredHostileChangeLoads: a store that already holds such a change
// (written before the parser normalised) loads, serves and maps over it.
func TestStoredHostileChangeLoads(t *testing.T) {
	ctx := context.Background()
	store := mustStore(t)
	if err := store.AppendChanges(ctx, []labs.Change{{SectionID: "sec", Version: 1, ClientID: "evil", Seq: 1, AuthorID: "u",
		Changes: []byte(`[6,0]`), At: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	a, pub := newAuthority(t, store, 0)
	v, err := a.Push(ctx, "sec", seed0, 0, "b", "u", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[6,[0,"x"]]`)}})
	if err != nil || v != 2 {
		t.Fatalf("push over a stored [6,0]: %d, %v", v, err)
	}
	if st := text(t, a); st.Text != "abcdefx" {
		t.Fatalf("text %q", st.Text)
	}
	var got []string
	err = a.Join(ctx, "sec", seed0, 0, func(_ realtime.State, missed []realtime.Update) {
		for _, u := range missed {
			got = append(got, string(u.ChangesJSON()))
		}
	})
	if err != nil || strings.Join(got, " ") != `[6] [6,[0,"x"]]` {
		t.Fatalf("resume sends %v (%v); the stored change must go out normalised", got, err)
	}
	if len(pub.updates) != 1 {
		t.Fatalf("%d published", len(pub.updates))
	}
}

// TestResentChangesAreRecognisedAtAnyVersion: a change sent again is
// recognised by client and seq, whether it comes with its old version,
// the version after it (a client that reloaded), or to another authority
// over the same store (another instance).
func TestResentChangesAreRecognisedAtAnyVersion(t *testing.T) {
	ctx := context.Background()
	empty := realtime.Seed{}
	hello := realtime.Pushed{Seq: 1, Changes: cs(t, `[[0,"hello"]]`)}
	scenarios := []struct {
		name   string
		base   int
		resent realtime.Pushed
	}{
		{"with its own version", 0, hello},
		{"after a reload, at the new version", 1, realtime.Pushed{Seq: 1, Changes: cs(t, `[[0,"hello"],5]`)}},
		{"after a reload, elsewhere in the text", 1, realtime.Pushed{Seq: 1, Changes: cs(t, `[5,[0,"hello"]]`)}},
	}
	for i, sc := range scenarios {
		t.Run(fmt.Sprintf("%d_%s", i, sc.name), func(t *testing.T) {
			store := mustStore(t)
			a, pub := newAuthority(t, store, 0)
			other, otherPub := newAuthority(t, store, 0)
			if v, err := a.Push(ctx, "sec", empty, 0, "tab", "u", []realtime.Pushed{hello}); err != nil || v != 1 {
				t.Fatalf("first push: %d, %v", v, err)
			}
			for _, auth := range []*realtime.Authority{a, other} {
				v, err := auth.Push(ctx, "sec", empty, sc.base, "tab", "u", []realtime.Pushed{sc.resent})
				if err != nil || v != 1 {
					t.Fatalf("resent: version %d, %v; want 1, nil", v, err)
				}
				st, _ := auth.Text(ctx, "sec", empty)
				if st.Text != "hello" {
					t.Fatalf("text %q after a resend", st.Text)
				}
			}
			if len(pub.updates)+len(otherPub.updates) != 1 {
				t.Fatalf("%d updates published, want the first only", len(pub.updates)+len(otherPub.updates))
			}
			// What follows the resend in the same push is applied once.
			v, err := other.Push(ctx, "sec", empty, sc.base, "tab", "u", []realtime.Pushed{sc.resent, {Seq: 2, Changes: cs(t, `[5,[0,"!"]]`)}})
			if st, _ := other.Text(ctx, "sec", empty); err != nil || v != 2 || st.Text != "hello!" {
				t.Fatalf("resend and a new change: %q at %d, %v", st.Text, v, err)
			}
		})
	}
}

// TestReusedSeqIsRefused: a new change under an accepted seq, or a seq
// below the last accepted one that was never accepted, is refused with a
// message, and nothing is applied.
func TestReusedSeqIsRefused(t *testing.T) {
	ctx := context.Background()
	empty := realtime.Seed{}
	store := mustStore(t)
	a, _ := newAuthority(t, store, 0)
	if _, err := a.Push(ctx, "sec", empty, 0, "tab", "u", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[[0,"hello"]]`)},
		{Seq: 5, Changes: cs(t, `[5,[0," you"]]`)}}); err != nil {
		t.Fatal(err)
	}
	scenarios := []struct {
		name   string
		base   int
		pushed []realtime.Pushed
	}{
		{"new text under seq 1", 2, []realtime.Pushed{{Seq: 1, Changes: cs(t, `[9,[0,"world"]]`)}}},
		{"new text under seq 1 at its old version", 0, []realtime.Pushed{{Seq: 1, Changes: cs(t, `[[0,"world"]]`)}}},
		{"a deletion under seq 5", 2, []realtime.Pushed{{Seq: 5, Changes: cs(t, `[[9]]`)}}},
		{"seq 3, never accepted, below 5", 2, []realtime.Pushed{{Seq: 3, Changes: cs(t, `[9,[0,"!"]]`)}}},
		{"seqs that do not increase", 2, []realtime.Pushed{{Seq: 7, Changes: cs(t, `[9,[0,"!"]]`)}, {Seq: 6, Changes: cs(t, `[10,[0,"?"]]`)}}},
		{"a negative seq", 2, []realtime.Pushed{{Seq: -1, Changes: cs(t, `[9,[0,"!"]]`)}}},
		{"a resend after a new change", 2, []realtime.Pushed{{Seq: 6, Changes: cs(t, `[9,[0,"!"]]`)}, {Seq: 7, Changes: cs(t, `[10,[0,"?"]]`)}, {Seq: 1, Changes: cs(t, `[[0,"hello"],11]`)}}},
	}
	for i, sc := range scenarios {
		t.Run(fmt.Sprintf("%d_%s", i, sc.name), func(t *testing.T) {
			_, err := a.Push(ctx, "sec", empty, sc.base, "tab", "u", sc.pushed)
			if labs.ErrorCode(err) != labs.EInvalid || !strings.Contains(labs.ErrorMessage(err), "seq") {
				t.Fatalf("push = %v, want invalid naming the seq", err)
			}
			if st, _ := a.Text(ctx, "sec", empty); st.Text != "hello you" || st.Version != 2 {
				t.Fatalf("text %q at %d after a refused push", st.Text, st.Version)
			}
		})
	}
	// Another client may use any seq.
	if v, err := a.Push(ctx, "sec", empty, 2, "other-tab", "u", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[9,[0,"!"]]`)}}); err != nil || v != 3 {
		t.Fatalf("another client's seq 1: %d, %v", v, err)
	}
}

// TestCatchUpInSteps: a client thousands of changes behind (more than the
// history in memory) is given them in steps of the size asked for, in
// order, then joined with the rest under the lock.
func TestCatchUpInSteps(t *testing.T) {
	ctx := context.Background()
	store := mustStore(t)
	a := realtime.NewAuthority(realtime.AuthorityConfig{Store: store, History: 100, MaxBehind: 1000})
	const n = 2345
	for i := range n {
		if _, err := a.Push(ctx, "sec", seed0, i, "w", "u", []realtime.Pushed{{Seq: int64(i + 1), Changes: cs(t, fmt.Sprintf(`[%d,[0,"x"]]`, 6+i))}}); err != nil {
			t.Fatal(err)
		}
	}
	from, steps, joinedAt := 3, 0, -1
	for joinedAt < 0 {
		next, joined, err := a.CatchUp(ctx, "sec", seed0, from, 500, func(st realtime.State, missed []realtime.Update) {
			for _, u := range missed {
				if u.Version != from+1 {
					t.Fatalf("joined with version %d after %d", u.Version, from)
				}
				from = u.Version
			}
			joinedAt = st.Version
		})
		if err != nil {
			t.Fatal(err)
		}
		if joined {
			break
		}
		if len(next) != 500 {
			t.Fatalf("step of %d changes", len(next))
		}
		for _, u := range next {
			if u.Version != from+1 {
				t.Fatalf("version %d after %d", u.Version, from)
			}
			from = u.Version
		}
		steps++
	}
	if from != n || joinedAt != n || steps != 4 {
		t.Fatalf("caught up to %d, joined at %d, in %d steps", from, joinedAt, steps)
	}
	for _, bad := range []int{-1, n + 1} {
		if _, _, err := a.CatchUp(ctx, "sec", seed0, bad, 500, func(realtime.State, []realtime.Update) {}); err != realtime.ErrResync {
			t.Fatalf("CatchUp from %d: %v", bad, err)
		}
	}
}

// TestCatchUpStopsWhenTheClientIsClosed: a client being caught up that is
// closed meanwhile (signed out, say) stops the catch-up at once instead of
// reading the rest of the log for nobody.
func TestCatchUpStopsWhenTheClientIsClosed(t *testing.T) {
	ctx := context.Background()
	store := mustStore(t)
	const docID, secID = "06h0den15d9cx3ey8hyjcfgyyr", "06h0den17d9cx3ey8hyjcfgyys"
	a := realtime.NewAuthority(realtime.AuthorityConfig{Store: store})
	var changes []labs.Change
	for v := 1; v <= 3000; v++ {
		changes = append(changes, labs.Change{SectionID: secID, Version: v, ClientID: "w", Seq: int64(v), AuthorID: "u",
			Changes: []byte(fmt.Sprintf(`[[0,"x"],%d]`, v-1)), At: time.Now()})
	}
	if err := store.AppendChanges(ctx, changes); err != nil {
		t.Fatal(err)
	}
	tr := &fakeTransport{block: make(chan struct{}), entered: make(chan struct{}, 1)} // a client that does not read
	client := realtime.NewClient(tr, 1<<14)
	doc := labs.Document{ID: docID, Sections: []labs.Section{{ID: secID, Key: "s", Title: "S"}}}
	s := realtime.NewSession(realtime.SessionConfig{Authority: a, Hub: realtime.NewHub(), Presences: realtime.NewPresences(),
		Peer: "p", AnonymousPeer: "q", Access: fuzzAccess{doc}, Client: client, AccountID: "u"})
	handled := make(chan struct{})
	go func() {
		s.Handle(ctx, []byte(`{"type":"subscribe","id":1,"doc":"`+docID+`","versions":{"`+secID+`":0}}`))
		close(handled)
	}()
	<-tr.entered // the first step is being written, and waits for a reader
	client.CloseAfterSending(realtime.ClosePolicy, "signed out")
	<-handled // without the fix, this waits for a reader that never comes
	close(tr.block)
	client.Close(realtime.CloseNormal, "")
	client.Wait()
	if n := len(tr.messages()); n > 1024 {
		t.Fatalf("%d messages written after the close", n)
	}
}

// TestSeqsMayStartAtZero: a client that numbers its changes from 0 is
// served as one that numbers from 1, resends included.
func TestSeqsMayStartAtZero(t *testing.T) {
	ctx := context.Background()
	empty := realtime.Seed{}
	a, _ := newAuthority(t, mustStore(t), 0)
	for i, p := range []struct {
		base    int
		changes string
	}{{0, `[[0,"a"]]`}, {0, `[[0,"a"]]`}, {1, `[[0,"a"],1]`}} { // accepted, then sent again twice
		v, err := a.Push(ctx, "sec", empty, p.base, "zero", "u", []realtime.Pushed{{Seq: 0, Changes: cs(t, p.changes)}})
		if err != nil || v != 1 {
			t.Fatalf("push %d of seq 0: version %d, %v", i, v, err)
		}
	}
	if v, err := a.Push(ctx, "sec", empty, 1, "zero", "u", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[1,[0,"b"]]`)}}); err != nil || v != 2 {
		t.Fatalf("seq 1 after 0: %d, %v", v, err)
	}
	if st, _ := a.Text(ctx, "sec", empty); st.Text != "ab" {
		t.Fatalf("text %q", st.Text)
	}
}
