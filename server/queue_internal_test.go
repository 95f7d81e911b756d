package server

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/labs"
)

// TestQueueChangesFoldToTheQueue: over random rooms, hands raised and
// lowered, floors given and returned and balancing switched, folding each
// event's queue change into the queue a device had gives the server's
// queue, in its order, every time. (Internal: devices only see the result,
// and the hundreds of events it takes to reach the rare cases are cheaper
// here than over websockets.)
func TestQueueChangesFoldToTheQueue(t *testing.T) {
	seed := testseed.Seed(t)
	levels := []labs.StakeholderLevel{labs.LevelMicro, labs.LevelMeso, labs.LevelMacro, labs.LevelNone}
	kinds := map[string]int{}
	for round := range 50 {
		rng := rand.New(rand.NewPCG(seed, uint64(round)))
		room, now := labs.NewRoom(), time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		var device []roomHand
		people := 2 + rng.IntN(12)
		for range 400 {
			now = now.Add(time.Duration(1+rng.IntN(90)) * time.Second)
			who := fmt.Sprintf("p%02d", rng.IntN(people))
			e := labs.RoomEvent{Seq: room.Seq + 1, At: now, Actor: who, Subject: who}
			switch rng.IntN(7) {
			case 0:
				e.Kind = labs.RoomJoin
				e.Person = &labs.Attendee{Account: who, Name: who, Role: labs.RoleServiceUser, Level: levels[rng.IntN(len(levels))]}
			case 1, 2:
				e.Kind = labs.RoomHandRaise
			case 3:
				e.Kind = labs.RoomHandLower
			case 4:
				e.Kind, e.Actor = labs.RoomFloorGive, "f"
				if q := room.Queue(); len(q) > 0 && rng.IntN(4) > 0 {
					e.Subject, e.Head = q[0].Account, q[0].Account
				}
			case 5:
				e.Kind, e.Actor, e.Subject = labs.RoomFloorReturn, "f", ""
			case 6:
				e.Kind, e.Actor, e.Subject, e.Balanced = labs.RoomBalance, "f", "", !room.Balanced
			}
			next, err := room.Apply(e)
			if err != nil {
				continue // refused, as the server would: nothing is sent
			}
			c := diffQueue(room, next)
			room = next
			switch {
			case c == nil:
				kinds["none"]++
			case c.Queue != nil:
				kinds["queue"]++
				device = slices.Clone(*c.Queue)
			case c.Insert != nil:
				kinds["insert"]++
				device = slices.Insert(device, *c.Insert, *c.Hand)
			case c.Remove != "":
				kinds["remove"]++
				device = slices.DeleteFunc(device, func(h roomHand) bool { return h.Account == c.Remove })
			default:
				t.Fatalf("round %d, event %d: an empty change", round, e.Seq)
			}
			if want := handsOf(room); !slices.Equal(device, want) {
				t.Fatalf("round %d, after %s %s (event %d): the device has %v, the server %v", round, e.Kind, e.Subject, e.Seq, device, want)
			}
		}
	}
	// The property is only as good as the cases it met.
	for _, k := range []string{"none", "queue", "insert", "remove"} {
		if kinds[k] == 0 {
			t.Fatalf("no %q change in %v", k, kinds)
		}
	}
}
