package labs_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/labs"
)

// roomOf folds events, numbering them, and fails on a refused one.
type roomBuilder struct {
	t    *testing.T
	room labs.Room
	now  time.Time
}

func newRoomBuilder(t *testing.T) *roomBuilder {
	return &roomBuilder{t: t, room: labs.NewRoom(), now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
}

func (b *roomBuilder) try(e labs.RoomEvent) error {
	b.now = b.now.Add(time.Second)
	e.Seq, e.At = b.room.Seq+1, b.now
	next, err := b.room.Apply(e)
	if err == nil {
		b.room = next
	}
	return err
}

func (b *roomBuilder) do(e labs.RoomEvent) {
	b.t.Helper()
	if err := b.try(e); err != nil {
		b.t.Fatalf("%s %s: %v", e.Kind, e.Subject, err)
	}
}

func (b *roomBuilder) join(account string, role labs.Role, level labs.StakeholderLevel) {
	b.do(labs.RoomEvent{Kind: labs.RoomJoin, Subject: account, Actor: account,
		Person: &labs.Attendee{Account: account, Name: account, Role: role, Level: level}})
}

// give gives the floor as the facilitator would, saying who heads the queue.
func (b *roomBuilder) give(account string, speak time.Duration) {
	b.t.Helper()
	head := ""
	if q := b.room.Queue(); len(q) > 0 {
		head = q[0].Account
	}
	b.do(labs.RoomEvent{Kind: labs.RoomFloorGive, Subject: account, Actor: "f", Head: head, Override: head != account})
	b.now = b.now.Add(speak)
	b.do(labs.RoomEvent{Kind: labs.RoomFloorReturn, Actor: "f"})
}

func queueOf(r labs.Room) []string {
	var out []string
	for _, h := range r.Queue() {
		out = append(out, h.Account)
	}
	return out
}

// TestQueuePutsWhoSpokeLeastFirst: after some turns the person with fewest
// turns heads the queue whatever their role, then the least speaking time,
// then who raised first.
func TestQueuePutsWhoSpokeLeastFirst(t *testing.T) {
	b := newRoomBuilder(t)
	b.join("policymaker", labs.RolePolicymaker, labs.LevelMacro)
	b.join("manager", labs.RoleManager, labs.LevelMeso)
	b.join("parent", labs.RoleServiceUser, labs.LevelMicro)
	b.join("youth", labs.RoleServiceUser, labs.LevelMicro)
	raise := func(a string) { b.do(labs.RoomEvent{Kind: labs.RoomHandRaise, Subject: a, Actor: a}) }
	b.give("policymaker", 3*time.Minute)
	b.give("policymaker", time.Minute)
	b.give("manager", 4*time.Minute)
	b.give("youth", 30*time.Second)
	// Raised in the order that favours the talkative.
	for _, a := range []string{"policymaker", "manager", "youth", "parent"} {
		raise(a)
	}
	want := []string{"parent", "youth", "manager", "policymaker"}
	if got := queueOf(b.room); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("queue %v, want %v", got, want)
	}
	// Same turns: less speaking time first (policymaker 2 turns, 4 min;
	// youth 2 turns, 5.5 min).
	b.give("parent", time.Minute)
	b.give("youth", 5*time.Minute)
	raise("youth")
	want = []string{"manager", "policymaker", "youth"}
	if got := queueOf(b.room); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("queue %v, want %v", got, want)
	}
	// Giving the floor past the head is an override, recorded with the head.
	b.give("policymaker", time.Minute)
	last := b.room.Turns[len(b.room.Turns)-1]
	if !last.Override || last.Head != "manager" {
		t.Fatalf("override not recorded: %+v", last)
	}
	// Balanced by level: macro has had 3 turns for 1 person, meso 1 for 1,
	// micro 3 for 2: meso first, then micro (parent, with fewer turns, before
	// youth), then macro.
	b.do(labs.RoomEvent{Kind: labs.RoomBalance, Balanced: true, Actor: "f"})
	raise("parent")
	raise("policymaker")
	want = []string{"manager", "parent", "youth", "policymaker"}
	if got := queueOf(b.room); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("balanced queue %v, want %v", got, want)
	}
}

// TestRoomRefusesWhatDoesNotFit: each refused event leaves the room as it
// was, so a replayed or doubled request changes nothing.
func TestRoomRefusesWhatDoesNotFit(t *testing.T) {
	b := newRoomBuilder(t)
	b.join("a", labs.RoleManager, labs.LevelMeso)
	b.do(labs.RoomEvent{Kind: labs.RoomHandRaise, Subject: "a"})
	b.do(labs.RoomEvent{Kind: labs.RoomIdeaPost, Idea: &labs.Idea{ID: "i1", Text: "Mentors"}})
	before := b.room
	for _, tc := range []struct {
		name string
		e    labs.RoomEvent
		code string
	}{
		{"join twice", labs.RoomEvent{Kind: labs.RoomJoin, Subject: "a", Person: &labs.Attendee{Account: "a"}}, labs.EConflict},
		{"raise twice", labs.RoomEvent{Kind: labs.RoomHandRaise, Subject: "a"}, labs.EConflict},
		{"raise for someone absent", labs.RoomEvent{Kind: labs.RoomHandRaise, Subject: "b"}, labs.EConflict},
		{"lower a hand not raised", labs.RoomEvent{Kind: labs.RoomHandLower, Subject: "b"}, labs.EConflict},
		{"return a floor nobody has", labs.RoomEvent{Kind: labs.RoomFloorReturn}, labs.EConflict},
		{"give with a stale head", labs.RoomEvent{Kind: labs.RoomFloorGive, Subject: "a", Head: "z", Override: true}, labs.EConflict},
		{"give past the head unmarked", labs.RoomEvent{Kind: labs.RoomFloorGive, Subject: "a", Head: "a", Override: true}, labs.EConflict},
		{"empty idea", labs.RoomEvent{Kind: labs.RoomIdeaPost, Idea: &labs.Idea{ID: "i2", Text: "  "}}, labs.EInvalid},
		{"same idea twice", labs.RoomEvent{Kind: labs.RoomIdeaPost, Idea: &labs.Idea{ID: "i1", Text: "x"}}, labs.EConflict},
		{"hide without a reason", labs.RoomEvent{Kind: labs.RoomIdeaHide, IdeaID: "i1"}, labs.EInvalid},
		{"theme an unknown idea", labs.RoomEvent{Kind: labs.RoomIdeaTheme, IdeaID: "i9", Theme: "t"}, labs.ENotFound},
		{"unknown kind", labs.RoomEvent{Kind: "dance"}, labs.EInvalid},
	} {
		err := b.try(tc.e)
		if labs.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if b.room.Seq != before.Seq || len(b.room.Hands) != 1 || len(b.room.Ideas) != 1 {
			t.Fatalf("%s changed the room", tc.name)
		}
	}
	if _, err := b.room.Apply(labs.RoomEvent{Seq: b.room.Seq + 2, Kind: labs.RoomHandLower, Subject: "a"}); labs.ErrorCode(err) != labs.EConflict {
		t.Fatalf("an event out of sequence: %v", err)
	}
}

// TestQueueIsAlwaysFair folds random sessions and checks the queue's order
// against its definition at every step, and that Apply never changes the
// room it was given.
func TestQueueIsAlwaysFair(t *testing.T) {
	s := testseed.Seed(t)
	rng := rand.New(rand.NewPCG(s, s+1))
	people := []string{"a", "b", "c", "d", "e", "f"}
	for round := 0; round < 200; round++ {
		b := newRoomBuilder(t)
		for i, p := range people {
			b.join(p, labs.ParticipantRoles[i%4], labs.Levels[i%3])
		}
		for step := 0; step < 60; step++ {
			p := people[rng.IntN(len(people))]
			before := fmt.Sprintf("%+v", b.room)
			snapshot := b.room
			switch rng.IntN(4) {
			case 0:
				_ = b.try(labs.RoomEvent{Kind: labs.RoomHandRaise, Subject: p})
			case 1:
				_ = b.try(labs.RoomEvent{Kind: labs.RoomHandLower, Subject: p})
			case 2:
				b.give(p, time.Duration(rng.IntN(300))*time.Second)
			case 3:
				_ = b.try(labs.RoomEvent{Kind: labs.RoomBalance, Balanced: !b.room.Balanced})
			}
			if fmt.Sprintf("%+v", snapshot) != before {
				t.Fatalf("round %d step %d: Apply changed the room it was given", round, step)
			}
			spoken := b.room.SpokenBy()
			q := b.room.Queue()
			if len(q) != len(b.room.Hands) {
				t.Fatalf("queue has %d of %d hands", len(q), len(b.room.Hands))
			}
			for i := 1; i < len(q) && !b.room.Balanced; i++ {
				x, y := spoken[q[i-1].Account], spoken[q[i].Account]
				if x.Turns > y.Turns || x.Turns == y.Turns && (x.Time > y.Time || x.Time == y.Time && q[i-1].Seq > q[i].Seq) {
					t.Fatalf("round %d: %s (%+v) before %s (%+v)", round, q[i-1].Account, x, q[i].Account, y)
				}
			}
		}
	}
}
