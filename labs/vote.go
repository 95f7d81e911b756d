package labs

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Vote is a question put to the members present in a workshop: one
// member, one ballot, whatever their role (facilitators and partners do not
// vote). Results stay sealed until the vote closes, for everyone, the
// facilitator included.
//
// An anonymous vote (the default) keeps two things apart in the store: who
// took part (to refuse a second ballot) and counters per level and option
// (to count). Neither holds an ID, a time or an order that joins it to the
// other; see docs/policy.md for what that protects and what it cannot.
type Vote struct {
	ID         string
	WorkshopID string
	LabID      string
	Question   string
	Method     VoteMethod
	// Options are what a dot vote distributes its dots over; an
	// agree/disagree vote has AgreeOptions.
	Options   []string
	Dots      int // each voter's budget, dot votes only
	Anonymous bool
	Status    VoteStatus
	OpenedBy  string
	OpenedAt  time.Time
	ClosedAt  time.Time
	// Voters counts the ballots cast so far (it says how many, not who).
	Voters int
	// Results are set when the vote closes.
	Results *VoteResults
}

// VoteMethod is how members answer.
type VoteMethod string

// Vote methods.
const (
	VoteAgree VoteMethod = "agree" // agree, disagree or abstain, with an optional comment
	VoteDots  VoteMethod = "dots"  // the same budget of dots for everyone, spread over options
)

// VoteStatus is open or closed; a closed vote never changes again.
type VoteStatus string

// Vote statuses.
const (
	VoteOpen   VoteStatus = "open"
	VoteClosed VoteStatus = "closed"
)

// AgreeOptions are an agree/disagree vote's options.
var AgreeOptions = []string{"agree", "disagree", "abstain"}

// Limits of a vote.
const (
	MaxVoteOptions     = 20
	MaxVoteDots        = 10
	MaxQuestionRunes   = 300
	MaxOptionRunes     = 200
	MaxVoteCommentRune = 500
	// SmallGroup is the fewest voters a level must have for its own
	// result to be shown.
	SmallGroup = 3
)

// Validate checks a vote as the facilitator opens it.
func (v Vote) Validate() error {
	if q := strings.TrimSpace(v.Question); q == "" || utf8.RuneCountInString(q) > MaxQuestionRunes {
		return Errorf(EInvalid, "A vote asks a question of 1 to %d characters.", MaxQuestionRunes)
	}
	switch v.Method {
	case VoteAgree:
		if !slices.Equal(v.Options, AgreeOptions) || v.Dots != 0 {
			return Errorf(EInvalid, "An agree/disagree vote has no options or dots of its own.")
		}
	case VoteDots:
		if len(v.Options) < 2 || len(v.Options) > MaxVoteOptions {
			return Errorf(EInvalid, "A dot vote has 2 to %d options.", MaxVoteOptions)
		}
		for i, o := range v.Options {
			if t := strings.TrimSpace(o); t == "" || utf8.RuneCountInString(t) > MaxOptionRunes {
				return Errorf(EInvalid, "Option %d needs 1 to %d characters.", i+1, MaxOptionRunes)
			}
			if slices.Contains(v.Options[:i], o) {
				return Errorf(EInvalid, "Option %d is there twice.", i+1)
			}
		}
		if v.Dots < 1 || v.Dots > MaxVoteDots {
			return Errorf(EInvalid, "Each voter has 1 to %d dots.", MaxVoteDots)
		}
	default:
		return Errorf(EInvalid, "method must be agree or dots.")
	}
	return nil
}

// Ballot is one member's answer: a choice (agree votes) or dots per option
// index (dot votes), and an optional comment.
type Ballot struct {
	Choice  string
	Dots    map[int]int
	Comment string
}

// Counts returns what the ballot adds to each option's count, after
// checking it against the vote.
func (v Vote) Counts(b Ballot) (map[string]int, error) {
	if utf8.RuneCountInString(b.Comment) > MaxVoteCommentRune {
		return nil, Errorf(EInvalid, "A comment has at most %d characters.", MaxVoteCommentRune)
	}
	switch v.Method {
	case VoteAgree:
		if !slices.Contains(AgreeOptions, b.Choice) || len(b.Dots) > 0 {
			return nil, Errorf(EInvalid, "choice must be agree, disagree or abstain.")
		}
		return map[string]int{b.Choice: 1}, nil
	default:
		if b.Choice != "" {
			return nil, Errorf(EInvalid, "A dot vote takes dots, not a choice.")
		}
		out, spent := map[string]int{}, 0
		for i, n := range b.Dots {
			if i < 0 || i >= len(v.Options) || n < 0 {
				return nil, Errorf(EInvalid, "Dots go on options 0 to %d, none negative.", len(v.Options)-1)
			}
			if n > 0 {
				out[v.Options[i]] += n
				spent += n
			}
		}
		if spent < 1 || spent > v.Dots {
			return nil, Errorf(EInvalid, "Spend 1 to %d dots.", v.Dots)
		}
		return out, nil
	}
}

// Voter is who takes part in a vote, as the participation record keeps
// them: never beside their ballot when the vote is anonymous.
type Voter struct {
	Account string
	Level   StakeholderLevel
	// OnBehalfBy is the facilitator who cast the ballot for a member
	// without a device, at their request.
	OnBehalfBy string
}

// Tally is what the store counts while a vote is open: per level, the
// voters and each option's count; and the comments, without authors.
type Tally struct {
	Levels   map[StakeholderLevel]LevelTally
	Comments []string
}

// LevelTally is one level's counters.
type LevelTally struct {
	Voters int
	Counts map[string]int
}

// VoteResults are what a closed vote shows.
type VoteResults struct {
	Voters int            `json:"voters"`
	Counts map[string]int `json:"counts"`
	// Levels are the stakeholder levels' own results, in Levels order
	// ("" for members with no level recorded last), where no small group
	// could be seen or computed back.
	Levels []LevelResult `json:"levels"`
	// Weighted gives each shown level the same weight: the mean over them
	// of each option's share of the level's votes (0 to 1).
	Weighted map[string]float64 `json:"weighted"`
	Comments []string           `json:"comments"`
}

// LevelResult is one level's result; a suppressed level shows neither its
// counts nor its number of voters.
type LevelResult struct {
	Level      StakeholderLevel `json:"level"`
	Suppressed bool             `json:"suppressed"`
	Voters     int              `json:"voters"`
	Counts     map[string]int   `json:"counts"`
}

// ResultsOf computes what a closed vote shows from its tally: the overall
// counts; each level's, unless fewer than SmallGroup voted in it; and then
// more levels suppressed until the suppressed ones together hold at least
// SmallGroup voters, so that the total minus the shown levels does not give
// a small group back. The comments come sorted, which is no order anyone
// voted in.
func (v Vote) ResultsOf(t Tally) VoteResults {
	r := VoteResults{Counts: map[string]int{}, Weighted: map[string]float64{}, Comments: slices.Clone(t.Comments)}
	for _, o := range v.Options {
		r.Counts[o] = 0
	}
	order := append(slices.Clone(Levels), LevelNone)
	var voted []LevelResult
	for _, l := range order {
		lt := t.Levels[l]
		r.Voters += lt.Voters
		for o, n := range lt.Counts {
			r.Counts[o] += n
		}
		if lt.Voters > 0 {
			counts := map[string]int{}
			for _, o := range v.Options {
				counts[o] = lt.Counts[o]
			}
			voted = append(voted, LevelResult{Level: l, Voters: lt.Voters, Counts: counts})
		}
	}
	suppressed := 0
	for i := range voted {
		if voted[i].Voters < SmallGroup {
			voted[i].Suppressed = true
			suppressed += voted[i].Voters
		}
	}
	for suppressed > 0 && suppressed < SmallGroup {
		// the smallest level still shown goes too
		i := -1
		for j, lr := range voted {
			if !lr.Suppressed && (i < 0 || lr.Voters < voted[i].Voters) {
				i = j
			}
		}
		if i < 0 {
			break
		}
		voted[i].Suppressed = true
		suppressed += voted[i].Voters
	}
	shown := 0
	for i, lr := range voted {
		if lr.Suppressed {
			voted[i].Voters, voted[i].Counts = 0, nil
			continue
		}
		shown++
		total := 0
		for _, n := range lr.Counts {
			total += n
		}
		for o, n := range lr.Counts {
			if total > 0 {
				r.Weighted[o] += float64(n) / float64(total)
			}
		}
	}
	for o := range r.Weighted {
		r.Weighted[o] /= float64(shown)
	}
	for _, o := range v.Options {
		if _, ok := r.Weighted[o]; !ok && shown > 0 {
			r.Weighted[o] = 0
		}
	}
	r.Levels = voted
	if r.Levels == nil {
		r.Levels = []LevelResult{}
	}
	if r.Comments == nil {
		r.Comments = []string{}
	}
	slices.SortFunc(r.Comments, func(a, b string) int { return cmp.Compare(a, b) })
	return r
}

// NamedBallot is a ballot of a named vote, with its voter.
type NamedBallot struct {
	Account string `json:"account"`
	Choice  string `json:"choice,omitempty"`
	Dots    []int  `json:"dots,omitempty"`
	Comment string `json:"comment,omitempty"`
	Level   string `json:"level"`
}

// NamedBallotOf is the ballot of a named vote as stored: dots as a list
// by option index.
func NamedBallotOf(voter Voter, b Ballot) NamedBallot {
	nb := NamedBallot{Account: voter.Account, Choice: b.Choice, Comment: b.Comment, Level: string(voter.Level)}
	for i, n := range b.Dots {
		for len(nb.Dots) <= i {
			nb.Dots = append(nb.Dots, 0)
		}
		nb.Dots[i] = n
	}
	return nb
}

// VoteStore keeps votes, their participation records and their counters.
type VoteStore interface {
	// CreateVote stores an open vote.
	CreateVote(ctx context.Context, v Vote) error
	// Vote returns a vote with its number of voters, or ENotFound.
	Vote(ctx context.Context, id string) (Vote, error)
	// ListVotes returns a workshop's votes, oldest first.
	ListVotes(ctx context.Context, workshopID string) ([]Vote, error)
	// CastBallot records, at once, that voter took part and what their
	// ballot adds to the counters (and, for a named vote, the ballot with
	// its voter). EConflict when the voter has voted already or the vote
	// is closed: under concurrent requests exactly one ballot counts.
	CastBallot(ctx context.Context, voteID string, voter Voter, counts map[string]int, b Ballot) error
	// HasVoted reports whether the account took part.
	HasVoted(ctx context.Context, voteID, account string) (bool, error)
	// CloseVote closes an open vote with the results computed from its
	// tally by results, and erases the per-level counters, keeping only
	// what the results show. EConflict when it is closed already.
	CloseVote(ctx context.Context, voteID string, at time.Time, results func(Tally) VoteResults) (Vote, error)
	// AnonymiseVote turns an open named vote anonymous: the named ballots
	// are erased, their comments kept without names, the counters stay.
	// A vote never becomes named; a closed one stays as it was cast.
	AnonymiseVote(ctx context.Context, voteID string) error
	// NamedBallots returns a named vote's ballots, by account.
	NamedBallots(ctx context.Context, voteID string) ([]NamedBallot, error)
}
