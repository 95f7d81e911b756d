package server_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/labs"
)

// TestRoomOf200: 200 participants in one session over real websockets,
// raising and lowering hands, posting ideas and voting at once (each vote
// sent twice, as from two tabs). Every client ends with the server's room,
// having received every event once and in order; every ballot counts once;
// and no message any client received before the close says anything of
// how anyone voted.
func TestRoomOf200(t *testing.T) {
	if testing.Short() {
		t.Skip("200 participants: not in -short")
	}
	const people = 200
	seed := testseed.Seed(t)
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	fac := ts.client(t)
	fac.mustSignIn(w.facA.Email, password)
	ws := startWorkshop(t, fac, w.labA)
	one := "/api/workshops/" + ws.ID
	var v voteBody
	fac.do("POST", one+"/votes", map[string]any{"question": "Mentor families first?", "method": "agree"}).json(t, &v)

	type participant struct {
		c    *client
		live *wsConn
		got  [][]byte // every message, as received
	}
	levels := []labs.StakeholderLevel{labs.LevelMicro, labs.LevelMicro, labs.LevelMeso, labs.LevelMacro, labs.LevelNone}
	ps := make([]*participant, people)
	var wg sync.WaitGroup
	for i := range ps {
		_, c := ts.participant(t, w.labA, fmt.Sprintf("P%03d", i), labs.ParticipantRoles[i%4], levels[i%len(levels)], "")
		ps[i] = &participant{c: c, live: follow(c, ws.ID)}
	}
	watch := follow(fac, ws.ID)

	choices := map[string]int{}
	var mu sync.Mutex
	for i, p := range ps {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		wg.Go(func() {
			must := func(r response, want ...int) {
				for _, s := range want {
					if r.Status == s {
						return
					}
				}
				t.Errorf("participant %d: %d %s", i, r.Status, r.Body)
			}
			must(p.c.do("POST", one+"/hand", map[string]any{"raised": true}), http.StatusOK)
			must(p.c.do("POST", one+"/ideas", map[string]any{"text": fmt.Sprintf("Idea %d", i)}), http.StatusCreated)
			choice := labs.AgreeOptions[rng.IntN(3)]
			ballot := "/api/workshops/" + ws.ID + "/votes/" + v.ID + "/ballot"
			var two sync.WaitGroup
			statuses := make([]int, 2)
			for k := range statuses {
				two.Go(func() { statuses[k] = p.c.do("POST", ballot, map[string]any{"choice": choice}).Status })
			}
			two.Wait()
			if statuses[0]+statuses[1] != http.StatusOK+http.StatusConflict {
				t.Errorf("participant %d voted twice at once: %v", i, statuses)
			}
			mu.Lock()
			choices[choice]++
			mu.Unlock()
			if rng.IntN(3) == 0 {
				// 409 when the facilitator gave them the floor meanwhile,
				// which takes the hand out of the queue.
				must(p.c.do("POST", one+"/hand", map[string]any{"raised": false}), http.StatusOK, http.StatusConflict)
			}
		})
	}
	// The facilitator gives the floor to the head of the queue meanwhile.
	wg.Go(func() {
		for range 20 {
			var room roomBody
			fac.do("GET", one+"/room", nil).json(t, &room)
			if len(room.Queue) > 0 {
				fac.do("POST", one+"/floor", map[string]any{"action": "give", "account": room.Queue[0].Account, "head": room.Queue[0].Account})
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
	wg.Wait()
	if t.Failed() {
		return
	}

	// Before the close: read everything each client was sent so far.
	var server roomBody
	fac.do("GET", one+"/room", nil).json(t, &server)
	drain := func(c *wsConn) [][]byte {
		var out [][]byte
		c.send(map[string]any{"type": "ping", "id": 99})
		for {
			m := c.next("room", "vote", "workshop", "pong")
			if str(m["type"]) == "pong" {
				return out
			}
			b, _ := json.Marshal(m)
			out = append(out, b)
		}
	}
	for i, p := range ps {
		p.got = drain(p.live)
		var queue []string // folded from the changes, from the empty queue they followed
		prev := int64(0)
		for _, b := range p.got {
			s := string(b)
			if strings.Contains(s, `"counts"`) || strings.Contains(s, `"weighted"`) || strings.Contains(s, `"choice"`) {
				t.Fatalf("participant %d got a tally before the close: %s", i, s)
			}
			var m map[string]json.RawMessage
			json.Unmarshal(b, &m)
			if str(m["type"]) != "room" {
				continue
			}
			var seq int64
			json.Unmarshal(m["seq"], &seq)
			if prev != 0 && seq != prev+1 {
				t.Fatalf("participant %d: event %d after %d", i, seq, prev)
			}
			prev = seq
			queue = foldQueue(t, queue, m["queueChange"])
		}
		var want []string
		for _, h := range server.Queue {
			want = append(want, h.Account)
		}
		if prev != server.Seq || strings.Join(queue, ",") != strings.Join(want, ",") {
			t.Fatalf("participant %d ends at event %d with %d hands; the server is at %d with %d", i, prev, len(queue), server.Seq, len(want))
		}
	}
	drain(watch)
	if len(server.Ideas) != people || server.Present != people {
		t.Fatalf("the room has %d ideas and %d present, want %d", len(server.Ideas), server.Present, people)
	}

	var closed voteBody
	fac.do("POST", one+"/votes/"+v.ID+"/close", nil).json(t, &closed)
	r := closed.Results
	if r == nil || r.Voters != people || r.Counts["agree"] != choices["agree"] || r.Counts["disagree"] != choices["disagree"] ||
		r.Counts["abstain"] != choices["abstain"] {
		t.Fatalf("results %+v, want %v", r, choices)
	}
	sum := map[string]int{}
	for _, l := range r.Levels {
		for o, n := range l.Counts {
			sum[o] += n
		}
	}
	for o, n := range sum {
		if n != r.Counts[o] {
			t.Fatalf("levels add up to %d %s, total %d", n, o, r.Counts[o])
		}
	}
	for i, p := range ps {
		if m := p.live.next("vote"); !strings.Contains(string(m["vote"]), `"status":"closed"`) {
			t.Fatalf("participant %d: %s", i, m["vote"])
		}
	}
}

// foldQueue applies a live message's queue change as a device does.
func foldQueue(t *testing.T, queue []string, raw json.RawMessage) []string {
	if raw == nil {
		return queue
	}
	var ch struct {
		Insert *int
		Hand   *struct{ Account string }
		Remove string
		Queue  []struct{ Account string }
	}
	if err := json.Unmarshal(raw, &ch); err != nil {
		t.Fatal(err)
	}
	switch {
	case ch.Queue != nil:
		queue = queue[:0]
		for _, h := range ch.Queue {
			queue = append(queue, h.Account)
		}
	case ch.Insert != nil:
		queue = slices.Insert(queue, *ch.Insert, ch.Hand.Account)
	case ch.Remove != "":
		queue = slices.DeleteFunc(queue, func(a string) bool { return a == ch.Remove })
	default:
		t.Fatalf("an empty queue change: %s", raw)
	}
	return queue
}
