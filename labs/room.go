package labs

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A workshop's room is what happens among the people in it: who is
// present, raised hands, the floor, turns taken and the idea wall. It is
// kept as an append-only log of RoomEvents numbered 1, 2, ... per workshop;
// the state is the log folded with Room.Apply. The store's unique
// (workshop, seq) key orders concurrent acts, a restart folds the log
// again, and every event reaches the followers as it is, so the room looks
// the same from every device and every server instance.
//
// Votes are not in this log: an anonymous ballot must not be joinable to
// its voter by order or time, so votes are kept apart (see Vote).

// RoomEventKind names what happened.
type RoomEventKind string

// Room event kinds.
const (
	RoomJoin        RoomEventKind = "join"         // Subject is present
	RoomHandRaise   RoomEventKind = "hand.raise"   // Subject asks for the floor
	RoomHandLower   RoomEventKind = "hand.lower"   // Subject no longer does
	RoomFloorGive   RoomEventKind = "floor.give"   // the facilitator gives Subject the floor
	RoomFloorReturn RoomEventKind = "floor.return" // the speaker is done
	RoomBalance     RoomEventKind = "balance"      // the queue is (or is no longer) balanced by level
	RoomIdeaPost    RoomEventKind = "idea.post"
	RoomIdeaTheme   RoomEventKind = "idea.theme" // the facilitator groups an idea under a theme
	RoomIdeaHide    RoomEventKind = "idea.hide"  // moderation, with a reason
	RoomIdeaDraft   RoomEventKind = "idea.draft" // an idea became a proposal draft
	RoomVoteOpen    RoomEventKind = "vote.open"
	RoomVoteClose   RoomEventKind = "vote.close"
	RoomControl     RoomEventKind = "control" // the facilitator started, paused, ... (Action) at Phase
	RoomReport      RoomEventKind = "report"  // the report was written as Document
)

// RoomEvent is one entry of a room's log.
type RoomEvent struct {
	WorkshopID string        `json:"-"`
	Seq        int64         `json:"seq"`
	At         time.Time     `json:"at"`
	Kind       RoomEventKind `json:"kind"`
	// Actor is the account that acted: the person, or the facilitator
	// acting on their behalf or moderating. Empty for an anonymous idea.
	Actor string `json:"actor,omitempty"`
	// Subject is the account the event is about (present, hand, floor).
	Subject string `json:"subject,omitempty"`
	// OnBehalf marks an act the facilitator did for a present member who
	// asked (someone without a device).
	OnBehalf bool `json:"onBehalf,omitempty"`
	// Person describes Subject as they joined: name and where they stand.
	Person *Attendee `json:"person,omitempty"`
	// Override marks a floor given to someone who was not at the head of
	// the queue; Head is who was.
	Override bool   `json:"override,omitempty"`
	Head     string `json:"head,omitempty"`
	Balanced bool   `json:"balanced,omitempty"`
	Idea     *Idea  `json:"idea,omitempty"`
	IdeaID   string `json:"ideaId,omitempty"`
	Theme    string `json:"theme,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Document string `json:"document,omitempty"`
	VoteID   string `json:"voteId,omitempty"`
	Action   string `json:"action,omitempty"`
	Phase    int    `json:"phase,omitempty"`
	Minutes  int    `json:"minutes,omitempty"`
}

// Attendee is a present member as the room knows them.
type Attendee struct {
	Account string           `json:"account"`
	Name    string           `json:"name"`
	Role    Role             `json:"role"`
	Level   StakeholderLevel `json:"level"`
	Sector  string           `json:"sector"`
	Since   time.Time        `json:"since"`
}

// Hand is a raised hand.
type Hand struct {
	Account  string    `json:"account"`
	Seq      int64     `json:"seq"` // arrival: the event that raised it
	At       time.Time `json:"at"`
	OnBehalf bool      `json:"onBehalf,omitempty"`
}

// Turn is a floor given, and returned once End is set.
type Turn struct {
	Account  string    `json:"account"`
	Given    time.Time `json:"given"`
	Returned time.Time `json:"returned"`
	By       string    `json:"by"`
	Override bool      `json:"override"`
	Head     string    `json:"head,omitempty"`
}

// Idea is a note on the idea wall. Author is an anonymous author's mark
// (see the anonymity key), or the account when the idea is named; Level
// and Sector count it for the balance without saying who.
type Idea struct {
	ID       string           `json:"id"`
	Text     string           `json:"text"`
	Named    bool             `json:"named"`
	Author   string           `json:"author,omitempty"`
	Level    StakeholderLevel `json:"level"`
	Sector   string           `json:"sector"`
	Role     Role             `json:"role,omitempty"`
	OnBehalf bool             `json:"onBehalf,omitempty"`
	Phase    int              `json:"phase"`
	At       time.Time        `json:"at"`
	Theme    string           `json:"theme"`
	Hidden   string           `json:"hidden,omitempty"` // the moderator's reason
	Draft    string           `json:"draft,omitempty"`  // the proposal made of it
}

// Limits of the room.
const (
	MaxIdeaRunes   = 280
	MaxThemeRunes  = 60
	MaxReasonRunes = 500
	MaxIdeas       = 2000
	MaxAttendees   = 2000
)

// Room is the folded state of a room's log.
type Room struct {
	Seq      int64
	Present  map[string]Attendee
	Hands    []Hand
	Floor    *Turn
	Turns    []Turn
	Ideas    []Idea
	Balanced bool
	// Votes lists the votes opened in the session, in order.
	Votes []string
	// Run is the agenda as it was run: the facilitator's controls.
	Run []RoomEvent
	// Report is the document the report was written to.
	Report string
}

// NewRoom is an empty room.
func NewRoom() Room { return Room{Present: map[string]Attendee{}} }

// Apply folds e into r: the room after e, or an error (and r unchanged)
// when e does not fit the room (a hand raised twice, a floor returned that
// nobody holds), so a double click or a replayed request changes nothing.
// e.Seq must follow r.Seq.
func (r Room) Apply(e RoomEvent) (Room, error) {
	if e.Seq != r.Seq+1 {
		return r, Errorf(EConflict, "Room event %d does not follow %d.", e.Seq, r.Seq)
	}
	n := r.clone()
	n.Seq = e.Seq
	present := func() error {
		if _, ok := r.Present[e.Subject]; !ok {
			return Errorf(EConflict, "That person is not in the room.")
		}
		return nil
	}
	switch e.Kind {
	case RoomJoin:
		if e.Person == nil || e.Person.Account != e.Subject || e.Subject == "" {
			return r, Errorf(EInvalid, "A join names the person.")
		}
		if _, ok := r.Present[e.Subject]; ok {
			return r, Errorf(EConflict, "Already in the room.")
		}
		if len(r.Present) >= MaxAttendees {
			return r, Errorf(ETooLarge, "The room is full (%d people).", MaxAttendees)
		}
		p := *e.Person
		p.Since = e.At
		n.Present[e.Subject] = p
	case RoomHandRaise:
		if err := present(); err != nil {
			return r, err
		}
		if r.hand(e.Subject) >= 0 {
			return r, Errorf(EConflict, "The hand is already raised.")
		}
		if r.Floor != nil && r.Floor.Account == e.Subject {
			return r, Errorf(EConflict, "You have the floor.")
		}
		n.Hands = append(n.Hands, Hand{Account: e.Subject, Seq: e.Seq, At: e.At, OnBehalf: e.OnBehalf})
	case RoomHandLower:
		i := r.hand(e.Subject)
		if i < 0 {
			return r, Errorf(EConflict, "The hand is not raised.")
		}
		n.Hands = slices.Delete(n.Hands, i, i+1)
	case RoomFloorGive:
		if err := present(); err != nil {
			return r, err
		}
		if r.Floor != nil && r.Floor.Account == e.Subject {
			return r, Errorf(EConflict, "That person has the floor already.")
		}
		head := r.Queue()
		want := ""
		if len(head) > 0 {
			want = head[0].Account
		}
		if e.Head != want || e.Override != (want != e.Subject) {
			return r, Errorf(EConflict, "The queue changed meanwhile; look again and choose.")
		}
		n.endTurn(e.At)
		if i := n.hand(e.Subject); i >= 0 {
			n.Hands = slices.Delete(n.Hands, i, i+1)
		}
		n.Floor = &Turn{Account: e.Subject, Given: e.At, By: e.Actor, Override: e.Override, Head: e.Head}
	case RoomFloorReturn:
		if r.Floor == nil {
			return r, Errorf(EConflict, "Nobody has the floor.")
		}
		n.endTurn(e.At)
	case RoomBalance:
		if r.Balanced == e.Balanced {
			return r, Errorf(EConflict, "Nothing to change.")
		}
		n.Balanced = e.Balanced
	case RoomIdeaPost:
		if e.Idea == nil {
			return r, Errorf(EInvalid, "An idea post holds the idea.")
		}
		if err := ValidIdea(e.Idea.Text); err != nil {
			return r, err
		}
		if len(r.Ideas) >= MaxIdeas {
			return r, Errorf(ETooLarge, "The wall is full (%d ideas).", MaxIdeas)
		}
		if r.idea(e.Idea.ID) >= 0 {
			return r, Errorf(EConflict, "That idea is on the wall already.")
		}
		idea := *e.Idea
		idea.At, idea.Theme, idea.Hidden, idea.Draft = e.At, "", "", ""
		n.Ideas = append(n.Ideas, idea)
	case RoomIdeaTheme, RoomIdeaHide, RoomIdeaDraft:
		i := r.idea(e.IdeaID)
		if i < 0 {
			return r, Errorf(ENotFound, "There is no such idea.")
		}
		switch e.Kind {
		case RoomIdeaTheme:
			if utf8.RuneCountInString(e.Theme) > MaxThemeRunes {
				return r, Errorf(EInvalid, "A theme has at most %d characters.", MaxThemeRunes)
			}
			n.Ideas[i].Theme = strings.TrimSpace(e.Theme)
		case RoomIdeaHide:
			if strings.TrimSpace(e.Reason) == "" || utf8.RuneCountInString(e.Reason) > MaxReasonRunes {
				return r, Errorf(EInvalid, "Say why, in 1 to %d characters.", MaxReasonRunes)
			}
			if r.Ideas[i].Hidden != "" {
				return r, Errorf(EConflict, "The idea is hidden already.")
			}
			n.Ideas[i].Hidden = e.Reason
		case RoomIdeaDraft:
			if !ValidID(e.Document) {
				return r, Errorf(EInvalid, "A draft names its document.")
			}
			n.Ideas[i].Draft = e.Document
		}
	case RoomVoteOpen:
		if slices.Contains(r.Votes, e.VoteID) {
			return r, Errorf(EConflict, "That vote is open already.")
		}
		n.Votes = append(n.Votes, e.VoteID)
	case RoomControl:
		n.Run = append(n.Run, e)
	case RoomReport:
		if !ValidID(e.Document) {
			return r, Errorf(EInvalid, "A report names its document.")
		}
		n.Report = e.Document
	case RoomVoteClose:
		if !slices.Contains(r.Votes, e.VoteID) {
			return r, Errorf(ENotFound, "There is no such vote.")
		}
	default:
		return r, Errorf(EInvalid, "Unknown room event %q.", e.Kind)
	}
	return n, nil
}

// ValidIdea checks an idea's text.
func ValidIdea(text string) error {
	if t := strings.TrimSpace(text); t == "" || utf8.RuneCountInString(t) > MaxIdeaRunes {
		return Errorf(EInvalid, "An idea is 1 to %d characters.", MaxIdeaRunes)
	}
	return nil
}

func (r Room) clone() Room {
	n := r
	n.Present = make(map[string]Attendee, len(r.Present)+1)
	for k, v := range r.Present {
		n.Present[k] = v
	}
	n.Hands = slices.Clone(r.Hands)
	n.Turns = slices.Clone(r.Turns)
	n.Ideas = slices.Clone(r.Ideas)
	n.Votes = slices.Clone(r.Votes)
	n.Run = slices.Clone(r.Run)
	if r.Floor != nil {
		f := *r.Floor
		n.Floor = &f
	}
	return n
}

func (r *Room) endTurn(at time.Time) {
	if r.Floor != nil {
		t := *r.Floor
		t.Returned = at
		r.Turns = append(r.Turns, t)
		r.Floor = nil
	}
}

func (r Room) hand(account string) int {
	return slices.IndexFunc(r.Hands, func(h Hand) bool { return h.Account == account })
}

func (r Room) idea(id string) int {
	return slices.IndexFunc(r.Ideas, func(i Idea) bool { return i.ID == id })
}

// Spoken is what a person has had of the floor: turns, and their length
// (returned turns only; the one under way counts when it ends).
type Spoken struct {
	Turns int
	Time  time.Duration
}

// SpokenBy sums the finished turns per account.
func (r Room) SpokenBy() map[string]Spoken {
	out := map[string]Spoken{}
	for _, t := range r.Turns {
		s := out[t.Account]
		s.Turns++
		s.Time += t.Returned.Sub(t.Given)
		out[t.Account] = s
	}
	return out
}

// Queue orders the raised hands fairly: who has spoken least in this
// session first (fewest turns, then least speaking time), then by arrival.
// Balanced, the people of the level that has had the fewest turns for its
// number present come first, then the same order within.
func (r Room) Queue() []Hand {
	spoken := r.SpokenBy()
	levelShare := map[StakeholderLevel]float64{}
	if r.Balanced {
		present := map[StakeholderLevel]int{}
		turns := map[StakeholderLevel]int{}
		for _, p := range r.Present {
			present[p.Level]++
		}
		for _, t := range r.Turns {
			turns[r.Present[t.Account].Level]++
		}
		for l, n := range present {
			levelShare[l] = float64(turns[l]) / float64(n)
		}
	}
	q := slices.Clone(r.Hands)
	slices.SortStableFunc(q, func(a, b Hand) int {
		if r.Balanced {
			if c := cmp.Compare(levelShare[r.Present[a.Account].Level], levelShare[r.Present[b.Account].Level]); c != 0 {
				return c
			}
		}
		sa, sb := spoken[a.Account], spoken[b.Account]
		if c := cmp.Compare(sa.Turns, sb.Turns); c != 0 {
			return c
		}
		if c := cmp.Compare(sa.Time, sb.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	return q
}

// RoomStore keeps rooms' logs.
type RoomStore interface {
	// AppendRoomEvent adds e to its workshop's log: EConflict if an event
	// with e.Seq is there already (another instance came first).
	AppendRoomEvent(ctx context.Context, e RoomEvent) error
	// RoomEvents returns up to limit events of a workshop after seq, in
	// order.
	RoomEvents(ctx context.Context, workshopID string, after int64, limit int) ([]RoomEvent, error)
}
