package realtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/internal/testseed"
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
		if _, err := a.Push(ctx, "sec", seed0, i, "A", "u", []realtime.Pushed{{int64(i + 1), cs(t, `[`+strconv.Itoa(6+i)+`,[0,"x"]]`)}}); err != nil {
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

// TestLaggingPushesMatchMappingOneAtATime pushes random multi-change
// edits made against random older versions, from many clients, and checks
// every published change and the text against a model that maps each push
// over the accepted changes one at a time with fresh memory. The authority
// reuses buffers while mapping and applying, and keeps a short history (so
// older bases are read back from the store); a buffer reused too early
// would show here as a differing change or text.
func TestLaggingPushesMatchMappingOneAtATime(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(testseed.Seed(t), 7))
	pub := &published{}
	a := realtime.NewAuthority(realtime.AuthorityConfig{Store: mustStore(t), Publish: pub.add, SnapshotEvery: 7, History: 12})
	seed := realtime.Seed{Text: "Baseline: 👪 families, café, line one\r\nline two", Version: 0}
	texts := []string{seed.Text} // texts[v] is the text at version v
	var log []realtime.ChangeSet // log[v] made version v+1
	pieces := []string{"a", "é", "e\u0301", "😀", "\r\n", "ab", "\n"}
	randomChange := func(doc string) (realtime.ChangeSet, string) {
		units := realtime.TextOf(doc)
		from := rng.IntN(len(units) + 1)
		to := min(len(units), from+rng.IntN(4))
		ins := ""
		if rng.IntN(3) > 0 {
			ins = pieces[rng.IntN(len(pieces))]
		}
		// Keep surrogate pairs whole, as an editor does.
		for from > 0 && from < len(units) && units[from] >= 0xDC00 && units[from] <= 0xDFFF {
			from--
		}
		for to < len(units) && to > 0 && units[to] >= 0xDC00 && units[to] <= 0xDFFF {
			to++
		}
		to = max(to, from)
		j := "["
		if from > 0 {
			j += strconv.Itoa(from) + ","
		}
		q, _ := json.Marshal(ins)
		j += "[" + strconv.Itoa(to-from) + "," + string(q) + "]"
		if rest := len(units) - to; rest > 0 {
			j += "," + strconv.Itoa(rest)
		}
		j += "]"
		c := cs(t, strings.ReplaceAll(j, `,""]`, `]`))
		next, err := c.Apply(units)
		if err != nil {
			t.Fatalf("%s on %q: %v", j, doc, err)
		}
		return c, next.String()
	}
	for round := range 300 {
		base := max(0, len(log)-rng.IntN(40))
		doc := texts[base]
		pushed := make([]realtime.Pushed, 1+rng.IntN(3))
		for i := range pushed {
			pushed[i].Seq = int64(round*10 + i + 1)
			pushed[i].Changes, doc = randomChange(doc)
		}
		// The model: each pushed change mapped over each accepted change
		// since base, one at a time; the accepted change is mapped over the
		// pushed ones before it, so that it applies to the next.
		pending := make([]realtime.ChangeSet, len(pushed))
		for i, p := range pushed {
			pending[i] = p.Changes
		}
		for _, x := range log[base:] {
			for i := range pending {
				orig := pending[i]
				pending[i] = orig.Map(x, false)
				x = x.Map(orig, true)
			}
		}
		v, err := a.Push(ctx, "sec", seed, base, "c"+strconv.Itoa(rng.IntN(9)), "u", pushed)
		if err != nil {
			t.Fatalf("round %d: push at %d: %v", round, base, err)
		}
		for _, c := range pending {
			next, err := c.Apply(realtime.TextOf(texts[len(texts)-1]))
			if err != nil {
				t.Fatalf("round %d: the model's change does not apply: %v", round, err)
			}
			log, texts = append(log, c), append(texts, next.String())
		}
		if v != len(log) {
			t.Fatalf("round %d: version %d, model %d", round, v, len(log))
		}
	}
	if st := text(t, a); st.Text != texts[len(texts)-1] {
		t.Fatalf("text %q, model %q", st.Text, texts[len(texts)-1])
	}
	if len(pub.updates) != len(log) {
		t.Fatalf("%d published, model %d", len(pub.updates), len(log))
	}
	for i, u := range pub.updates {
		got, _ := json.Marshal(u.Changes)
		want, _ := json.Marshal(log[i])
		if string(got) != string(want) {
			t.Fatalf("version %d: published %s, model %s", i+1, got, want)
		}
	}
}

func TestIdleSectionsLeaveMemoryAndComeBackFromTheStore(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	a := realtime.NewAuthority(realtime.AuthorityConfig{Store: mustStore(t), SnapshotEvery: 2,
		Now: func() time.Time { return clock }})
	for i := range 5 {
		if _, err := a.Push(ctx, "sec", seed0, i, "A", "u", []realtime.Pushed{{Seq: int64(i + 1), Changes: cs(t, fmt.Sprintf(`[%d,[0,"%d"]]`, 6+i, i))}}); err != nil {
			t.Fatal(err)
		}
	}
	// A section in use stays, however old its last use.
	evicted := -1
	if err := a.Join(ctx, "sec", seed0, -1, func(realtime.State, []realtime.Update) {
		evicted = a.Evict(clock.Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	if evicted != 0 {
		t.Fatalf("evicted %d sections while one was in use", evicted)
	}
	if n := a.Evict(clock); n != 0 || a.InMemory() != 1 {
		t.Fatalf("evicted %d sections used at the cutoff; %d in memory", n, a.InMemory())
	}
	clock = clock.Add(time.Minute)
	if n := a.Evict(clock); n != 1 || a.InMemory() != 0 {
		t.Fatalf("evicted %d idle sections; %d in memory", n, a.InMemory())
	}
	// Back from the store: a push made against version 1 is mapped over
	// the four changes since, one of them only in the log after the last
	// snapshot, and a resent change is still recognised.
	v, err := a.Push(ctx, "sec", seed0, 1, "B", "u", []realtime.Pushed{{Seq: 1, Changes: cs(t, `[[0,"<"],7]`)}})
	if err != nil || v != 6 {
		t.Fatalf("push after eviction: %d %v", v, err)
	}
	if v, err := a.Push(ctx, "sec", seed0, 4, "A", "u", []realtime.Pushed{{Seq: 5, Changes: cs(t, `[10,[0,"4"]]`)}}); err != nil || v != 6 {
		t.Fatalf("resent change after eviction: %d %v", v, err)
	}
	if st := text(t, a); st.Text != "<abcdef01234" || st.Version != 6 {
		t.Fatalf("text = %q at %d, want <abcdef01234 at 6", st.Text, st.Version)
	}
}

// TestKeptSectionsStayInMemory: a section Keep names (one with subscribers
// here, when other instances may write it) is not evicted however idle, so
// it is still at the version its subscribers have when another instance's
// change is heard; the others go.
func TestKeptSectionsStayInMemory(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	a := realtime.NewAuthority(realtime.AuthorityConfig{Store: mustStore(t), Now: func() time.Time { return clock },
		Keep: func(id string) bool { return id == "watched" }})
	for _, id := range []string{"watched", "idle"} {
		if _, err := a.Text(ctx, id, seed0); err != nil {
			t.Fatal(err)
		}
	}
	clock = clock.Add(time.Hour)
	if n := a.Evict(clock); n != 1 || a.InMemory() != 1 {
		t.Fatalf("evicted %d, %d left in memory; want the idle one gone and the watched one kept", n, a.InMemory())
	}
}
