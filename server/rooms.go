package server

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// rooms keeps each workshop room folded in memory. Before every act the
// room catches up from the store's log (another instance may have
// appended), so the store stays the one truth and a restart loses nothing.
type rooms struct {
	mu sync.Mutex
	m  map[string]*liveRoom
}

type liveRoom struct {
	mu   sync.Mutex
	room labs.Room
	// loaded is set once the room was first read: from then on what a
	// catch-up finds (written by another instance) is published here too.
	loaded bool
}

func (r *rooms) get(id string) *liveRoom {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]*liveRoom{}
	}
	lr, ok := r.m[id]
	if !ok {
		lr = &liveRoom{room: labs.NewRoom()}
		r.m[id] = lr
	}
	return lr
}

// ids returns the workshops whose rooms are in memory.
func (r *rooms) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.m))
	for id := range r.m {
		out = append(out, id)
	}
	return out
}

// roomGrew catches a room up after another instance appended events to
// its log from seq on: this instance's followers hear each new event once,
// in order. A room not read here yet, but followed here, is first read up
// to just before seq, silently (its followers read its state when they
// came), and the rest is published.
func (s *Server) roomGrew(ctx context.Context, workshopID string, seq int64) {
	lr := s.rooms.get(workshopID)
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if !lr.loaded {
		if seq <= 0 || !s.hub.Occupied(realtime.WorkshopRoom(workshopID)) {
			return // nobody here follows it: it is read when it is next used
		}
		if err := s.catchUp(ctx, workshopID, lr, seq-1); err != nil {
			s.log.ErrorContext(ctx, "room not caught up", "workshop", workshopID, "err", err)
			return
		}
	}
	if err := s.catchUp(ctx, workshopID, lr, 0); err != nil {
		s.log.ErrorContext(ctx, "room not caught up", "workshop", workshopID, "err", err)
	}
}

// catchUp folds what the log holds beyond the room's last event (up to
// event until, when it is above 0), and publishes each event to the
// room's followers here, except on the room's first reading (a follower
// reads the whole state when it follows). An event the fold refuses
// (written by an older version with other rules) is skipped, not fatal:
// its number is taken, the room goes on.
func (s *Server) catchUp(ctx context.Context, workshopID string, lr *liveRoom, until int64) error {
	defer func() { lr.loaded = true }()
	for {
		events, err := s.cfg.Store.RoomEvents(ctx, workshopID, lr.room.Seq, 500)
		if err != nil {
			return err
		}
		for _, e := range events {
			if until > 0 && e.Seq > until {
				return nil
			}
			next, err := lr.room.Apply(e)
			if err != nil {
				s.log.WarnContext(ctx, "room event skipped", "workshop", workshopID, "seq", e.Seq, "err", err)
				next = lr.room
				next.Seq = e.Seq
			} else if lr.loaded {
				s.hub.Publish(realtime.WorkshopRoom(workshopID), roomMessage(lr.room, next, e), nil)
			}
			lr.room = next
		}
		if len(events) < 500 {
			return nil
		}
	}
}

// roomOf returns a workshop's room as the store has it now.
func (s *Server) roomOf(ctx context.Context, workshopID string) (labs.Room, error) {
	lr := s.rooms.get(workshopID)
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if err := s.catchUp(ctx, workshopID, lr, 0); err != nil {
		return labs.Room{}, fmt.Errorf("load room of %s: %w", workshopID, err)
	}
	return lr.room, nil
}

// act appends the events decide makes of the current room, in order, and
// publishes each to the workshop's followers. decide's events are checked
// against the room first, so an act that does not fit changes nothing.
// When another instance took a number first, the room catches up and
// decide runs again on the room as it now is: a facilitator's "give the
// floor to the head of the queue" is checked against the queue of the
// moment, never a stale one.
func (s *Server) act(ctx context.Context, w labs.Workshop, decide func(labs.Room) ([]labs.RoomEvent, error)) (labs.Room, error) {
	lr := s.rooms.get(w.ID)
	lr.mu.Lock()
	defer lr.mu.Unlock()
	for attempt := 0; attempt < 8; attempt++ {
		if err := s.catchUp(ctx, w.ID, lr, 0); err != nil {
			return labs.Room{}, fmt.Errorf("load room of %s: %w", w.ID, err)
		}
		events, err := decide(lr.room)
		if err != nil {
			return labs.Room{}, err
		}
		staged, room, now := make([]labs.RoomEvent, 0, len(events)), lr.room, s.cfg.Auth.Now()
		for _, e := range events {
			e.WorkshopID, e.Seq, e.At = w.ID, room.Seq+1, now
			if room, err = room.Apply(e); err != nil {
				return labs.Room{}, err
			}
			staged = append(staged, e)
		}
		stored := 0
		for _, e := range staged {
			if err = s.cfg.Store.AppendRoomEvent(ctx, e); err != nil {
				break
			}
			stored++
			prev := lr.room
			lr.room, _ = lr.room.Apply(e) // checked above, in the same order
			s.hub.Publish(realtime.WorkshopRoom(w.ID), roomMessage(prev, lr.room, e), nil)
			if e.Kind == labs.RoomIdeaPost || e.Kind == labs.RoomIdeaHide {
				s.index.workshopChanged(w.ID)
			}
		}
		if stored > 0 {
			s.tell(sigRoom, signalBody{Workshop: w.ID, Seq: staged[0].Seq})
		}
		switch {
		case err == nil:
			return lr.room, nil
		case !labs.IsCode(err, labs.EConflict):
			return labs.Room{}, fmt.Errorf("append to room of %s: %w", w.ID, err)
		}
		// Another instance wrote first: decide again on the room as it is
		// (with what was written of this act, so it is not written twice).
	}
	return labs.Room{}, labs.Errorf(labs.EConflict, "The room is busy; try again.")
}

// roomHand is a raised hand as everyone in the room sees it.
type roomHand struct {
	Account  string    `json:"account"`
	Name     string    `json:"name"`
	Level    string    `json:"level"`
	At       time.Time `json:"at"`
	OnBehalf bool      `json:"onBehalf,omitempty"`
}

type roomFloor struct {
	Account  string    `json:"account"`
	Name     string    `json:"name"`
	Since    time.Time `json:"since"`
	Override bool      `json:"override"`
}

// publicIdea is an idea as the wall shows it: never an anonymous author.
type publicIdea struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Named    bool   `json:"named"`
	Author   string `json:"author,omitempty"` // the name, for a named idea
	Level    string `json:"level"`
	OnBehalf bool   `json:"onBehalf,omitempty"`
	Theme    string `json:"theme"`
	// Hidden is the moderator's reason; the text is then left out, but
	// for its author.
	Hidden string    `json:"hidden,omitempty"`
	Draft  string    `json:"draft,omitempty"`
	Mine   bool      `json:"mine,omitempty"`
	At     time.Time `json:"at"`
}

func handsOf(r labs.Room) []roomHand {
	q := r.Queue()
	out := make([]roomHand, len(q))
	for i, h := range q {
		p := r.Present[h.Account]
		out[i] = roomHand{Account: h.Account, Name: p.Name, Level: string(p.Level), At: h.At, OnBehalf: h.OnBehalf}
	}
	return out
}

func floorOf(r labs.Room) *roomFloor {
	if r.Floor == nil {
		return nil
	}
	return &roomFloor{Account: r.Floor.Account, Name: r.Present[r.Floor.Account].Name, Since: r.Floor.Given, Override: r.Floor.Override}
}

func viewIdea(r labs.Room, i labs.Idea, mine bool) publicIdea {
	v := publicIdea{ID: i.ID, Text: i.Text, Named: i.Named, Level: string(i.Level), OnBehalf: i.OnBehalf, Theme: i.Theme,
		Hidden: i.Hidden, Draft: i.Draft, Mine: mine, At: i.At}
	if i.Named {
		v.Author = r.Present[i.Author].Name
	}
	if i.Hidden != "" && !mine {
		v.Text = ""
	}
	return v
}

// roomEventView is an event as every follower gets it: who raised a hand
// or has the floor (the room sees that anyway), never who joined (only
// how many are present) nor an anonymous idea's author.
type roomEventView struct {
	Seq      int64       `json:"seq"`
	Kind     string      `json:"kind"`
	At       time.Time   `json:"at"`
	Subject  string      `json:"subject,omitempty"`
	Name     string      `json:"name,omitempty"`
	OnBehalf bool        `json:"onBehalf,omitempty"`
	Override bool        `json:"override,omitempty"`
	Idea     *publicIdea `json:"idea,omitempty"`
	VoteID   string      `json:"voteId,omitempty"`
}

// queueChange is how one event moved the queue: most move one hand in or
// out, and say only that, so a room of hundreds is not sent its whole
// queue with every event; an event that reorders it (balancing by level)
// sends the new order.
type queueChange struct {
	Insert *int      `json:"insert,omitempty"`
	Hand   *roomHand `json:"hand,omitempty"`
	Remove string    `json:"remove,omitempty"`
	// Queue is a pointer so that a queue emptied at once is sent as [].
	Queue *[]roomHand `json:"queue,omitempty"`
}

func diffQueue(before, after labs.Room) *queueChange {
	old, now := before.Queue(), after.Queue()
	same := func(a, b []labs.Hand) bool {
		return slices.EqualFunc(a, b, func(x, y labs.Hand) bool { return x.Account == y.Account })
	}
	// first is where the two orders part.
	first := 0
	for first < len(old) && first < len(now) && old[first].Account == now[first].Account {
		first++
	}
	switch {
	case len(now) == len(old) && first == len(old):
		return nil
	case len(now) == len(old)+1 && same(now[first+1:], old[first:]):
		h := handsOf(after)[first]
		return &queueChange{Insert: &first, Hand: &h}
	case len(now)+1 == len(old) && same(old[first+1:], now[first:]):
		return &queueChange{Remove: old[first].Account}
	}
	q := handsOf(after)
	if q == nil {
		q = []roomHand{}
	}
	return &queueChange{Queue: &q}
}

// roomMessage is the live message of one event: the event and how it
// moved the queue, ordered by the server (no device orders the queue
// itself), and who has the floor.
func roomMessage(before, r labs.Room, e labs.RoomEvent) []byte {
	ev := roomEventView{Seq: e.Seq, Kind: string(e.Kind), At: e.At, OnBehalf: e.OnBehalf, Override: e.Override, VoteID: e.VoteID}
	switch e.Kind {
	case labs.RoomHandRaise, labs.RoomHandLower, labs.RoomFloorGive:
		ev.Subject, ev.Name = e.Subject, r.Present[e.Subject].Name
	case labs.RoomIdeaPost, labs.RoomIdeaTheme, labs.RoomIdeaHide, labs.RoomIdeaDraft:
		id := e.IdeaID
		if e.Idea != nil {
			id = e.Idea.ID
		}
		for _, i := range r.Ideas {
			if i.ID == id {
				v := viewIdea(r, i, false)
				ev.Idea = &v
			}
		}
	}
	m := map[string]any{"type": "room", "workshop": e.WorkshopID, "event": ev, "seq": e.Seq,
		"floor": floorOf(r), "present": len(r.Present), "balanced": r.Balanced}
	if q := diffQueue(before, r); q != nil {
		m["queueChange"] = q
	}
	return mustJSON(m)
}
