package realtime_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
	"github.com/linklab/linklab/store/sqlite"
)

func mustStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(tb.TempDir(), "rt.db")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func cs(t testing.TB, j string) realtime.ChangeSet {
	t.Helper()
	c, err := realtime.ParseChangeSet([]byte(j))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type published struct {
	mu      sync.Mutex
	updates []realtime.Update
}

func (p *published) add(us []realtime.Update) {
	p.mu.Lock()
	p.updates = append(p.updates, us...)
	p.mu.Unlock()
}

func newAuthority(t testing.TB, store labs.ChangeStore, every int) (*realtime.Authority, *published) {
	p := &published{}
	return realtime.NewAuthority(realtime.AuthorityConfig{Store: store, Publish: p.add, SnapshotEvery: every}), p
}

var seed0 = realtime.Seed{Text: "abcdef", Version: 0}

func text(t *testing.T, a *realtime.Authority) realtime.State {
	t.Helper()
	st, err := a.Text(context.Background(), "sec", seed0)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPushMapsOverAcceptedChangesOneAtATime(t *testing.T) {
	ctx := context.Background()
	store := mustStore(t)
	a, pub := newAuthority(t, store, 100)
	// The trap from the issue: A deletes "bcd", B inserts "X" there, and a
	// third client, still at version 0, inserts "Y" after "b".
	if v, err := a.Push(ctx, "sec", seed0, 0, "A", "u1", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[1,[3],2]`)}}); err != nil || v != 1 {
		t.Fatalf("push A: %d %v", v, err)
	}
	if _, err := a.Push(ctx, "sec", seed0, 1, "B", "u2", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[1,[0,"X"],2]`)}}); err != nil {
		t.Fatal(err)
	}
	v, err := a.Push(ctx, "sec", seed0, 0, "C", "u3", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[2,[0,"Y"],4]`)}})
	if err != nil || v != 3 {
		t.Fatalf("push C: %d %v", v, err)
	}
	if st := text(t, a); st.Text != "aXYef" || st.Version != 3 {
		t.Fatalf("text = %q at %d, want aXYef at 3", st.Text, st.Version)
	}
	if len(pub.updates) != 3 || pub.updates[2].ClientID != "C" || pub.updates[2].Version != 3 {
		t.Fatalf("published %+v", pub.updates)
	}
	// A new authority on the same store replays the log to the same text.
	b, _ := newAuthority(t, store, 100)
	if st := text(t, b); st.Text != "aXYef" || st.Version != 3 {
		t.Fatalf("replayed text = %q at %d", st.Text, st.Version)
	}
}

func TestResentChangesAreNotAppliedTwice(t *testing.T) {
	ctx := context.Background()
	a, pub := newAuthority(t, mustStore(t), 100)
	first := realtime.Pushed{Seq: 7, Changes: cs(t, `[6,[0,"1"]]`)}
	if _, err := a.Push(ctx, "sec", seed0, 0, "A", "u", []realtime.Pushed{first}); err != nil {
		t.Fatal(err)
	}
	a.Push(ctx, "sec", seed0, 1, "B", "u", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[[0,"b"],7]`)}})
	// A reconnects, never having heard of its acknowledgement, and resends
	// seq 7 with seq 8 against version 0.
	second := realtime.Pushed{Seq: 8, Changes: cs(t, `[7,[0,"2"]]`)}
	v, err := a.Push(ctx, "sec", seed0, 0, "A", "u", []realtime.Pushed{first, second})
	if err != nil || v != 3 {
		t.Fatalf("resend: %d %v", v, err)
	}
	if st := text(t, a); st.Text != "babcdef12" {
		t.Fatalf("text = %q, want babcdef12", st.Text)
	}
	// Resending everything again changes nothing.
	if v, err := a.Push(ctx, "sec", seed0, 0, "A", "u", []realtime.Pushed{first, second}); err != nil || v != 3 || len(pub.updates) != 3 {
		t.Fatalf("second resend: %d %v, %d published", v, err, len(pub.updates))
	}
}

func TestBadPushesChangeNothing(t *testing.T) {
	ctx := context.Background()
	store := mustStore(t)
	a, pub := newAuthority(t, store, 100)
	scenarios := []struct {
		name string
		base int
		c    []realtime.Pushed
		want string // labs code, or "resync"
	}{
		{"wrong length", 0, []realtime.Pushed{{1, cs(t, `[3,[0,"x"]]`)}}, labs.EInvalid},
		{"second change does not follow the first", 0, []realtime.Pushed{{1, cs(t, `[6,[0,"x"]]`)}, {2, cs(t, `[6,[0,"y"]]`)}}, labs.EInvalid},
		{"version from the future", 5, []realtime.Pushed{{1, cs(t, `[6,[0,"x"]]`)}}, "resync"},
		{"negative version", -1, []realtime.Pushed{{1, cs(t, `[6,[0,"x"]]`)}}, "resync"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			_, err := a.Push(ctx, "sec", seed0, sc.base, "A", "u", sc.c)
			got := labs.ErrorCode(err)
			if errors.Is(err, realtime.ErrResync) {
				got = "resync"
			}
			if got != sc.want {
				t.Fatalf("error %v, want %s", err, sc.want)
			}
		})
	}
	// A pair split in two.
	emoji := realtime.Seed{Text: "a👍", Version: 0}
	if _, err := a.Push(ctx, "emoji", emoji, 0, "A", "u", []realtime.Pushed{{1, cs(t, `[2,[1]]`)}}); labs.ErrorCode(err) != labs.EInvalid {
		t.Fatalf("split pair: %v", err)
	}
	if st := text(t, a); st.Text != "abcdef" || st.Version != 0 || len(pub.updates) != 0 {
		t.Fatalf("after refused pushes: %q at %d, %d published", st.Text, st.Version, len(pub.updates))
	}
	if v, _ := store.LatestVersion(ctx, "sec"); v != 0 {
		t.Fatalf("refused pushes stored changes up to %d", v)
	}
}

func TestSnapshotsShortenTheReplay(t *testing.T) {
	ctx := context.Background()
	store := mustStore(t)
	a, _ := newAuthority(t, store, 10)
	for i := range 25 {
		if _, err := a.Push(ctx, "sec", seed0, i, "A", "u", []realtime.Pushed{{int64(i), cs(t, `[`+strconv.Itoa(6+i)+`,[0,"x"]]`)}}); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := store.LatestSnapshot(ctx, "sec")
	if err != nil || snap.Version != 20 || len([]rune(snap.Text)) != 26 {
		t.Fatalf("snapshot = %+v, %v; want version 20", snap, err)
	}
	b, _ := newAuthority(t, store, 10)
	if st := text(t, b); st.Version != 25 || st.Text != "abcdef"+strings.Repeat("x", 25) {
		t.Fatalf("reloaded %q at %d", st.Text, st.Version)
	}
	// A client far behind still gets the changes it missed, from the store.
	var missed []realtime.Update
	if err := b.Join(ctx, "sec", seed0, 3, func(_ realtime.State, m []realtime.Update) { missed = m }); err != nil || len(missed) != 22 || missed[0].Version != 4 {
		t.Fatalf("join from 3: %d missed (%v)", len(missed), err)
	}
}
