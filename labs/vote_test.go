package labs_test

import (
	"math/rand/v2"
	"testing"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/labs"
)

func agreeVote() labs.Vote {
	return labs.Vote{Question: "Mentors first?", Method: labs.VoteAgree, Options: labs.AgreeOptions}
}

// tally builds a tally from ballots given as level -> choices.
func tally(ballots map[labs.StakeholderLevel][]string) labs.Tally {
	t := labs.Tally{Levels: map[labs.StakeholderLevel]labs.LevelTally{}}
	for l, choices := range ballots {
		lt := labs.LevelTally{Voters: len(choices), Counts: map[string]int{}}
		for _, c := range choices {
			lt.Counts[c]++
		}
		t.Levels[l] = lt
	}
	return t
}

// TestResultsByLevel: levels add up to the total, a level of fewer than
// three is suppressed, and so is the next smallest when the total minus
// the shown levels would give the small one back.
func TestResultsByLevel(t *testing.T) {
	v := agreeVote()
	r := v.ResultsOf(tally(map[labs.StakeholderLevel][]string{
		labs.LevelMicro: {"agree", "agree", "disagree", "agree"},
		labs.LevelMeso:  {"disagree", "disagree", "abstain"},
		labs.LevelMacro: {"agree", "disagree", "disagree"},
	}))
	if r.Voters != 10 || r.Counts["agree"] != 4 || r.Counts["disagree"] != 5 || r.Counts["abstain"] != 1 {
		t.Fatalf("overall %+v", r)
	}
	sum := map[string]int{}
	for _, l := range r.Levels {
		if l.Suppressed {
			t.Fatalf("level %s suppressed with %d voters", l.Level, l.Voters)
		}
		for o, n := range l.Counts {
			sum[o] += n
		}
	}
	for o, n := range r.Counts {
		if sum[o] != n {
			t.Fatalf("levels add up to %d for %s, total %d", sum[o], o, n)
		}
	}
	// Equal weight: micro 3/4 agree, meso 0, macro 1/3.
	if w := r.Weighted["agree"]; w < 0.3610 || w > 0.3612 {
		t.Fatalf("weighted agree %v, want (0.75+0+1/3)/3", w)
	}

	// Macro has two voters: suppressed, and meso (the smallest shown) too.
	r = v.ResultsOf(tally(map[labs.StakeholderLevel][]string{
		labs.LevelMicro: {"agree", "agree", "disagree", "agree"},
		labs.LevelMeso:  {"disagree", "disagree", "abstain"},
		labs.LevelMacro: {"agree", "agree"},
	}))
	for _, l := range r.Levels {
		want := l.Level != labs.LevelMicro
		if l.Suppressed != want {
			t.Fatalf("level %s suppressed = %v, want %v", l.Level, l.Suppressed, want)
		}
		if l.Suppressed && (l.Voters != 0 || l.Counts != nil) {
			t.Fatalf("a suppressed level shows %d voters, %v", l.Voters, l.Counts)
		}
	}
	if r.Weighted["agree"] != 0.75 {
		t.Fatalf("weighted over the shown levels only: %v", r.Weighted)
	}
}

// TestNoSmallGroupCanBeComputedBack: for random tallies, whatever is
// hidden holds at least three voters together, or nothing is shown by
// level at all; the shown levels and the total always agree.
func TestNoSmallGroupCanBeComputedBack(t *testing.T) {
	s := testseed.Seed(t)
	rng := rand.New(rand.NewPCG(s, s+2))
	levels := append(append([]labs.StakeholderLevel{}, labs.Levels...), labs.LevelNone)
	v := agreeVote()
	for round := 0; round < 5000; round++ {
		ballots := map[labs.StakeholderLevel][]string{}
		for _, l := range levels {
			for range rng.IntN(6) {
				ballots[l] = append(ballots[l], labs.AgreeOptions[rng.IntN(3)])
			}
		}
		r := v.ResultsOf(tally(ballots))
		hidden, shownLevels, shownVoters := 0, 0, 0
		for _, l := range r.Levels {
			if l.Suppressed {
				hidden += len(ballots[l.Level])
			} else {
				shownLevels++
				shownVoters += l.Voters
				if l.Voters < labs.SmallGroup {
					t.Fatalf("round %d: level %s shown with %d voters", round, l.Level, l.Voters)
				}
			}
		}
		if hidden > 0 && hidden < labs.SmallGroup && shownLevels > 0 {
			t.Fatalf("round %d: total minus shown levels gives %d voters back: %+v", round, hidden, r.Levels)
		}
		if shownVoters+hidden != r.Voters {
			t.Fatalf("round %d: %d shown + %d hidden != %d", round, shownVoters, hidden, r.Voters)
		}
	}
}

// TestBallotsAreChecked: a ballot that does not fit its vote is refused.
func TestBallotsAreChecked(t *testing.T) {
	dots := labs.Vote{Question: "Which first?", Method: labs.VoteDots, Options: []string{"Mentors", "Meals", "Transport"}, Dots: 3}
	for _, tc := range []struct {
		name string
		v    labs.Vote
		b    labs.Ballot
		ok   bool
	}{
		{"agree", agreeVote(), labs.Ballot{Choice: "agree"}, true},
		{"unknown choice", agreeVote(), labs.Ballot{Choice: "maybe"}, false},
		{"dots on an agree vote", agreeVote(), labs.Ballot{Choice: "agree", Dots: map[int]int{0: 1}}, false},
		{"long comment", agreeVote(), labs.Ballot{Choice: "agree", Comment: string(make([]rune, 501))}, false},
		{"all dots", dots, labs.Ballot{Dots: map[int]int{0: 2, 2: 1}}, true},
		{"too many dots", dots, labs.Ballot{Dots: map[int]int{0: 2, 1: 2}}, false},
		{"no dots", dots, labs.Ballot{Dots: map[int]int{}}, false},
		{"negative dots", dots, labs.Ballot{Dots: map[int]int{0: 4, 1: -1}}, false},
		{"no such option", dots, labs.Ballot{Dots: map[int]int{3: 1}}, false},
		{"a choice on a dot vote", dots, labs.Ballot{Choice: "agree", Dots: map[int]int{0: 1}}, false},
	} {
		_, err := tc.v.Counts(tc.b)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	counts, _ := dots.Counts(labs.Ballot{Dots: map[int]int{0: 2, 2: 1}})
	if counts["Mentors"] != 2 || counts["Transport"] != 1 || len(counts) != 2 {
		t.Fatalf("counts %v", counts)
	}
}
