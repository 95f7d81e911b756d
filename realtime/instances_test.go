package realtime_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/realtime"
)

// modelClient is an editor as @codemirror/collab keeps it: the version it
// has, the text it shows and the changes it made that the server has not
// confirmed, rebased over others' changes one update at a time.
type modelClient struct {
	id      string
	inst    int // the instance it is connected to
	read    int // how many of its instance's published updates it has read
	version int
	shown   realtime.Text
	pending []realtime.Pushed
	seq     int64
}

func (c *modelClient) receive(t *testing.T, u realtime.Update) {
	t.Helper()
	if u.Version != c.version+1 {
		t.Fatalf("client %s at version %d received version %d: a gap or a duplicate", c.id, c.version, u.Version)
	}
	c.version = u.Version
	if u.ClientID == c.id && len(c.pending) > 0 && c.pending[0].Seq == u.Seq {
		c.pending = c.pending[1:]
		return
	}
	x := u.Changes
	for i := range c.pending {
		orig := c.pending[i].Changes
		c.pending[i].Changes = orig.Map(x, false)
		x = x.Map(orig, true)
	}
	next, err := x.Apply(c.shown)
	if err != nil {
		t.Fatalf("client %s: update %d does not apply: %v", c.id, u.Version, err)
	}
	c.shown = next
}

// TestInstancesConvergeThroughTheStore: three authorities on one store, as
// three server instances are, each with editors of its own. Every push may
// meet versions another instance took first; the feed reaches each
// instance late, in bursts, and some events never (a gap filled from the
// store); editors move to other instances, which may not have heard of
// their version yet. Every editor hears each version once, in order, and
// all end on one text, the store's.
func TestInstancesConvergeThroughTheStore(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(testseed.Seed(t), 17))
	store := mustStore(t)
	seed := realtime.Seed{Text: "Baseline: families 👪, youths.", Version: 0}
	const instances, perInstance = 3, 2
	auths := make([]*realtime.Authority, instances)
	pubs := make([]*published, instances)
	fed := make([]int, instances) // the store version each instance's feed has delivered
	for i := range auths {
		auths[i], pubs[i] = newAuthority(t, store, 13)
		if _, err := auths[i].Text(ctx, "sec", seed); err != nil {
			t.Fatal(err)
		}
	}
	var clients []*modelClient
	for i := range instances * perInstance {
		clients = append(clients, &modelClient{id: "c" + strconv.Itoa(i), inst: i % instances, shown: realtime.TextOf(seed.Text)})
	}
	pieces := []string{"a", "é", "😀", "\n", "ab", "lab "}
	edit := func(c *modelClient) {
		n := len(c.shown)
		from := rng.IntN(n + 1)
		for from > 0 && from < n && c.shown[from] >= 0xDC00 && c.shown[from] <= 0xDFFF {
			from--
		}
		to := min(n, from+rng.IntN(3))
		for to < n && to > from && c.shown[to] >= 0xDC00 && c.shown[to] <= 0xDFFF {
			to++
		}
		j := "["
		if from > 0 {
			j += strconv.Itoa(from) + ","
		}
		q, _ := json.Marshal(pieces[rng.IntN(len(pieces))])
		j += "[" + strconv.Itoa(to-from) + "," + string(q) + "]"
		if rest := n - to; rest > 0 {
			j += "," + strconv.Itoa(rest)
		}
		ch := cs(t, j+"]")
		next, err := ch.Apply(c.shown)
		if err != nil {
			t.Fatalf("%s on %q: %v", j, c.shown.String(), err)
		}
		c.seq++
		c.shown, c.pending = next, append(c.pending, realtime.Pushed{Seq: c.seq, Changes: ch})
	}
	push := func(c *modelClient) {
		if len(c.pending) == 0 {
			return
		}
		sent := make([]realtime.Pushed, len(c.pending))
		copy(sent, c.pending)
		if _, err := auths[c.inst].Push(ctx, "sec", seed, c.version, c.id, "u", sent); err != nil {
			t.Fatalf("push of %s through instance %d at version %d: %v", c.id, c.inst, c.version, err)
		}
	}
	readAll := func(c *modelClient) {
		p := pubs[c.inst]
		p.mu.Lock()
		got := append([]realtime.Update(nil), p.updates[c.read:]...)
		p.mu.Unlock()
		c.read += len(got)
		for _, u := range got {
			c.receive(t, u)
		}
	}
	// feed delivers the store's next changes to an instance: each of them,
	// or only the last (the others lost on the way).
	feed := func(i, n int, lose bool) {
		latest, err := store.LatestVersion(ctx, "sec")
		if err != nil {
			t.Fatal(err)
		}
		to := min(latest, fed[i]+n)
		changes, err := store.Changes(ctx, "sec", fed[i], to)
		if err != nil {
			t.Fatal(err)
		}
		for k, ch := range changes {
			if lose && k < len(changes)-1 {
				continue
			}
			if err := auths[i].Heard(ctx, ch); err != nil {
				t.Fatalf("instance %d heard %d: %v", i, ch.Version, err)
			}
		}
		fed[i] = to
	}
	// move reconnects a client to another instance, resuming from the
	// version it has, which that instance may not have heard of yet.
	move := func(c *modelClient) {
		c.inst = (c.inst + 1 + rng.IntN(instances-1)) % instances
		err := auths[c.inst].Join(ctx, "sec", seed, c.version, func(_ realtime.State, missed []realtime.Update) {
			p := pubs[c.inst]
			p.mu.Lock()
			c.read = len(p.updates)
			p.mu.Unlock()
			for _, u := range missed {
				c.receive(t, u)
			}
		})
		if err != nil {
			t.Fatalf("%s resuming at version %d on instance %d: %v", c.id, c.version, c.inst, err)
		}
	}
	for range 1500 {
		c := clients[rng.IntN(len(clients))]
		switch r := rng.IntN(21); {
		case r == 20:
			move(c)
		case r < 8:
			edit(c)
		case r < 12:
			push(c)
		case r < 16:
			readAll(c)
		default:
			feed(rng.IntN(instances), 1+rng.IntN(4), rng.IntN(3) == 0)
		}
	}
	// Settle: everyone hears everything and sends what is left.
	for round := 0; ; round++ {
		for i := range auths {
			feed(i, 1<<20, false)
		}
		left := 0
		for _, c := range clients {
			readAll(c)
			left += len(c.pending)
			push(c)
		}
		if left == 0 {
			break
		}
		if round > 50 {
			t.Fatal("the editors do not settle")
		}
	}
	// A last burst from one instance reaches the others with only its
	// last event: they fill the gap from the store, unprompted.
	last := clients[0]
	for range 3 {
		edit(last)
		push(last)
	}
	for i := range auths {
		feed(i, 1<<20, true)
	}
	for _, c := range clients {
		readAll(c)
	}
	changes, err := store.Changes(ctx, "sec", 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	want := realtime.TextOf(seed.Text)
	for k, ch := range changes {
		c, err := realtime.ParseChangeSet(ch.Changes)
		if err == nil {
			want, err = c.Apply(want)
		}
		if err != nil || ch.Version != k+1 {
			t.Fatalf("stored change %d (version %d): %v", k, ch.Version, err)
		}
	}
	if len(changes) < 200 {
		t.Fatalf("only %d changes were stored: the test made too little happen", len(changes))
	}
	for i, a := range auths {
		st := text(t, a)
		if st.Text != want.String() || st.Version != len(changes) {
			t.Fatalf("instance %d has %q at %d; the store %q at %d", i, st.Text, st.Version, want.String(), len(changes))
		}
	}
	for _, c := range clients {
		if c.shown.String() != want.String() || c.version != len(changes) {
			t.Fatalf("client %s shows %q at %d; the store has %q at %d", c.id, c.shown.String(), c.version, want.String(), len(changes))
		}
	}
}
