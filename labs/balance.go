package labs

import (
	"cmp"
	"slices"
	"time"
)

// Balance is who took part in a workshop, by stakeholder level, sector and
// role, against who was present: the facilitator's live view and a part of
// the report. Anonymous contributions count for their level only; a
// level with fewer than SmallGroup people present shows no anonymous count
// (it would say who wrote).
type Balance struct {
	Present int            `json:"present"`
	Levels  []BalanceGroup `json:"levels"`
	Sectors []BalanceGroup `json:"sectors"`
	Roles   []BalanceGroup `json:"roles"`
	// NotHeard are the present participants with no turn, no named idea,
	// no comment and no edit yet: accounts, in the order they came.
	NotHeard []string `json:"notHeard"`
	// Overrides are the floors given past the head of the queue.
	Overrides []Turn `json:"overrides"`
}

// BalanceGroup is one level's, sector's or role's part.
type BalanceGroup struct {
	Key      string  `json:"key"`
	Present  int     `json:"present"`
	Turns    int     `json:"turns"`
	Speaking float64 `json:"speakingSeconds"`
	Ideas    int     `json:"ideas"`
	Comments int     `json:"comments"`
	Edits    int     `json:"edits"`
	// PresentShare is the group's share of the people present;
	// SpeakingShare its share of the speaking time; TurnShare of turns.
	PresentShare  float64 `json:"presentShare"`
	TurnShare     float64 `json:"turnShare"`
	SpeakingShare float64 `json:"speakingShare"`
	// AnonymousHidden says anonymous ideas of this small level are not
	// counted here (they are in the total).
	AnonymousHidden bool `json:"anonymousHidden,omitempty"`
}

// Activity is what a person did outside the room's log during the
// session: comments and edits on its documents, counted by the server.
type Activity struct {
	Comments int
	Edits    int
}

// BalanceOf computes the balance of a room at now (a floor still held
// counts up to now), with the comments and edits each account made.
func BalanceOf(r Room, now time.Time, activity map[string]Activity) Balance {
	b := Balance{Present: len(r.Present), NotHeard: []string{}, Overrides: []Turn{}}
	turns := slices.Clone(r.Turns)
	if r.Floor != nil {
		t := *r.Floor
		t.Returned = now
		turns = append(turns, t)
	}
	type acc struct {
		turns    int
		speaking time.Duration
		ideas    int
	}
	per := map[string]*acc{}
	get := func(a string) *acc {
		if per[a] == nil {
			per[a] = &acc{}
		}
		return per[a]
	}
	for _, t := range turns {
		x := get(t.Account)
		x.turns++
		x.speaking += t.Returned.Sub(t.Given)
		if t.Override {
			b.Overrides = append(b.Overrides, t)
		}
	}
	anonIdeas := map[StakeholderLevel]int{}
	for _, i := range r.Ideas {
		if i.Named {
			get(i.Author).ideas++
		} else {
			anonIdeas[i.Level]++
		}
	}
	people := make([]Attendee, 0, len(r.Present))
	for _, p := range r.Present {
		people = append(people, p)
	}
	slices.SortFunc(people, func(x, y Attendee) int { return cmp.Or(x.Since.Compare(y.Since), cmp.Compare(x.Account, y.Account)) })
	group := func(key func(Attendee) string, withAnon bool) []BalanceGroup {
		idx := map[string]int{}
		var out []BalanceGroup
		var totalTurns int
		var totalSpeaking float64
		for _, p := range people {
			k := key(p)
			i, ok := idx[k]
			if !ok {
				i = len(out)
				idx[k] = i
				out = append(out, BalanceGroup{Key: k})
			}
			g := &out[i]
			g.Present++
			x := get(p.Account)
			g.Turns += x.turns
			g.Speaking += x.speaking.Seconds()
			g.Ideas += x.ideas
			g.Comments += activity[p.Account].Comments
			g.Edits += activity[p.Account].Edits
			totalTurns += x.turns
			totalSpeaking += x.speaking.Seconds()
		}
		for i := range out {
			g := &out[i]
			if withAnon {
				if n := anonIdeas[StakeholderLevel(g.Key)]; n > 0 {
					if g.Present >= SmallGroup {
						g.Ideas += n
					} else {
						g.AnonymousHidden = true
					}
				}
			}
			g.PresentShare = float64(g.Present) / float64(len(people))
			if totalTurns > 0 {
				g.TurnShare = float64(g.Turns) / float64(totalTurns)
			}
			if totalSpeaking > 0 {
				g.SpeakingShare = g.Speaking / totalSpeaking
			}
		}
		slices.SortStableFunc(out, func(x, y BalanceGroup) int { return cmp.Compare(x.Key, y.Key) })
		if out == nil {
			out = []BalanceGroup{}
		}
		return out
	}
	b.Levels = group(func(p Attendee) string { return string(p.Level) }, true)
	rank := func(k string) int { // micro, meso, macro, then no level
		if i := slices.Index(Levels, StakeholderLevel(k)); i >= 0 {
			return i
		}
		return len(Levels)
	}
	slices.SortStableFunc(b.Levels, func(x, y BalanceGroup) int { return cmp.Compare(rank(x.Key), rank(y.Key)) })
	b.Sectors = group(func(p Attendee) string { return p.Sector }, false)
	b.Roles = group(func(p Attendee) string { return string(p.Role) }, false)
	for _, p := range people {
		x := get(p.Account)
		a := activity[p.Account]
		if x.turns == 0 && x.ideas == 0 && a.Comments == 0 && a.Edits == 0 {
			b.NotHeard = append(b.NotHeard, p.Account)
		}
	}
	return b
}
