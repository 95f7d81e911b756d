package storetest

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func newWorkshop(t *testing.T, s labs.Store, id, lab string) labs.Workshop {
	t.Helper()
	w := labs.Workshop{ID: id, LabID: lab, Title: "W", ScheduledAt: base, Agenda: []labs.Phase{{Title: "Ideas", Kind: labs.PhaseIdeas, Minutes: 10}},
		Status: labs.WorkshopScheduled, Phase: -1, CreatedBy: "f", CreatedAt: base, UpdatedAt: base}
	must(t, s.CreateWorkshop(ctx(t), w))
	return w
}

// testRoomLog: a room's events read back in order, as written; a second
// event with a number already taken is a conflict, so of two instances
// appending at once exactly one wins.
func testRoomLog(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(3)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	w := newWorkshop(t, s, id[1], id[0])
	events := []labs.RoomEvent{
		{WorkshopID: w.ID, Seq: 1, At: base, Kind: labs.RoomJoin, Actor: "a", Subject: "a",
			Person: &labs.Attendee{Account: "a", Name: "Ana Šimić", Role: labs.RoleServiceUser, Level: labs.LevelMicro}},
		{WorkshopID: w.ID, Seq: 2, At: base.Add(time.Second), Kind: labs.RoomHandRaise, Actor: "f", Subject: "a", OnBehalf: true},
		{WorkshopID: w.ID, Seq: 3, At: base.Add(2 * time.Second), Kind: labs.RoomIdeaPost,
			Idea: &labs.Idea{ID: id[2], Text: "Family mentors 👪", Author: "mark", Level: labs.LevelMicro}},
	}
	for _, e := range events {
		must(t, s.AppendRoomEvent(c, e))
	}
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.AppendRoomEvent(c, labs.RoomEvent{WorkshopID: w.ID, Seq: 4, At: base, Kind: labs.RoomHandLower, Subject: fmt.Sprint(i)})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			wantCode(t, err, labs.EConflict)
		}
	}
	if wins != 1 {
		t.Fatalf("%d appends of seq 4 won, want 1", wins)
	}
	got, err := s.RoomEvents(c, w.ID, 1, 2)
	must(t, err)
	if !reflect.DeepEqual(got, events[1:3]) {
		t.Fatalf("RoomEvents(after 1, 2) = %+v, want %+v", got, events[1:3])
	}
	all, err := s.RoomEvents(c, w.ID, 0, 100)
	must(t, err)
	if len(all) != 4 || all[3].Seq != 4 {
		t.Fatalf("the log holds %d events", len(all))
	}
	none, err := s.RoomEvents(c, id[2], 0, 100)
	must(t, err)
	if len(none) != 0 {
		t.Fatalf("another workshop's log holds %d events", len(none))
	}
}

func openVote(t *testing.T, s labs.Store, id, workshop, lab string, anonymous bool) labs.Vote {
	t.Helper()
	v := labs.Vote{ID: id, WorkshopID: workshop, LabID: lab, Question: "Family mentors first?", Method: labs.VoteAgree,
		Options: labs.AgreeOptions, Anonymous: anonymous, Status: labs.VoteOpen, OpenedBy: "f", OpenedAt: base}
	must(t, s.CreateVote(ctx(t), v))
	return v
}

// testVotes: one ballot per member under concurrent requests, none after
// the close; the close computes the results from the counters, once.
func testVotes(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(4)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	w := newWorkshop(t, s, id[1], id[0])
	v := openVote(t, s, id[2], w.ID, id[0], true)
	got, err := s.Vote(c, v.ID)
	must(t, err)
	if !reflect.DeepEqual(got, v) {
		t.Fatalf("Vote = %+v, want %+v", got, v)
	}
	// The same member, from eight tabs at once: one ballot counts.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.CastBallot(c, v.ID, labs.Voter{Account: "m1", Level: labs.LevelMicro}, map[string]int{"agree": 1}, labs.Ballot{Choice: "agree"})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			wantCode(t, err, labs.EConflict)
		}
	}
	if wins != 1 {
		t.Fatalf("%d ballots of one member counted, want 1", wins)
	}
	// Twenty others at once, all count.
	levels := []labs.StakeholderLevel{labs.LevelMicro, labs.LevelMeso, labs.LevelMacro, labs.LevelNone}
	choices := labs.AgreeOptions
	errs = make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			ch := choices[i%3]
			errs[i] = s.CastBallot(c, v.ID, labs.Voter{Account: fmt.Sprintf("p%02d", i), Level: levels[i%4]}, map[string]int{ch: 1},
				labs.Ballot{Choice: ch, Comment: fmt.Sprintf("comment %02d", i)})
		})
	}
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	voted, err := s.HasVoted(c, v.ID, "p07")
	must(t, err)
	notVoted, err := s.HasVoted(c, v.ID, "nobody")
	must(t, err)
	if !voted || notVoted {
		t.Fatalf("HasVoted = %v for a voter, %v for somebody else", voted, notVoted)
	}
	got, _ = s.Vote(c, v.ID)
	if got.Voters != 21 || got.Results != nil {
		t.Fatalf("open vote: %d voters, results %v", got.Voters, got.Results)
	}
	var seen labs.Tally
	closed, err := s.CloseVote(c, v.ID, base.Add(time.Minute), func(t labs.Tally) labs.VoteResults { seen = t; return v.ResultsOf(t) })
	must(t, err)
	if closed.Status != labs.VoteClosed || !closed.ClosedAt.Equal(base.Add(time.Minute)) || closed.Results == nil {
		t.Fatalf("closed = %+v", closed)
	}
	r := closed.Results
	if r.Voters != 21 || r.Counts["agree"] != 8 || r.Counts["disagree"] != 7 || r.Counts["abstain"] != 6 {
		t.Fatalf("results %+v", r)
	}
	if seen.Levels[labs.LevelMicro].Voters != 6 || len(seen.Comments) != 20 {
		t.Fatalf("the tally read at close: %+v", seen)
	}
	if !reflect.DeepEqual(*r, v.ResultsOf(seen)) {
		t.Fatalf("stored results %+v differ from computed %+v", r, v.ResultsOf(seen))
	}
	wantCode(t, s.CastBallot(c, v.ID, labs.Voter{Account: "late"}, map[string]int{"agree": 1}, labs.Ballot{Choice: "agree"}), labs.EConflict)
	_, err = s.CloseVote(c, v.ID, base, v.ResultsOf)
	wantCode(t, err, labs.EConflict)
	wantCode(t, s.AnonymiseVote(c, v.ID), labs.EConflict)
	list, err := s.ListVotes(c, w.ID)
	must(t, err)
	if len(list) != 1 || list[0].ID != v.ID || list[0].Results == nil {
		t.Fatalf("ListVotes = %+v", list)
	}
	_, err = s.Vote(c, id[3])
	wantCode(t, err, labs.ENotFound)
}

// testNamedVotes: a named vote keeps ballots with their voters until it
// turns anonymous, which erases the names and keeps the comments.
func testNamedVotes(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(3)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	w := newWorkshop(t, s, id[1], id[0])
	v := openVote(t, s, id[2], w.ID, id[0], false)
	must(t, s.CastBallot(c, v.ID, labs.Voter{Account: "b", Level: labs.LevelMeso}, map[string]int{"agree": 1}, labs.Ballot{Choice: "agree", Comment: "yes"}))
	must(t, s.CastBallot(c, v.ID, labs.Voter{Account: "a", Level: labs.LevelMicro, OnBehalfBy: "f"}, map[string]int{"disagree": 1},
		labs.Ballot{Choice: "disagree"}))
	ballots, err := s.NamedBallots(c, v.ID)
	must(t, err)
	want := []labs.NamedBallot{{Account: "a", Choice: "disagree", Level: "micro"}, {Account: "b", Choice: "agree", Comment: "yes", Level: "meso"}}
	if !reflect.DeepEqual(ballots, want) {
		t.Fatalf("NamedBallots = %+v, want %+v", ballots, want)
	}
	must(t, s.AnonymiseVote(c, v.ID))
	wantCode(t, s.AnonymiseVote(c, v.ID), labs.EConflict)
	ballots, err = s.NamedBallots(c, v.ID)
	must(t, err)
	if len(ballots) != 0 {
		t.Fatalf("an anonymised vote still has %d named ballots", len(ballots))
	}
	must(t, s.CastBallot(c, v.ID, labs.Voter{Account: "c", Level: labs.LevelMeso}, map[string]int{"agree": 1}, labs.Ballot{Choice: "agree", Comment: "also"}))
	v.Anonymous = true
	closed, err := s.CloseVote(c, v.ID, base, v.ResultsOf)
	must(t, err)
	if !closed.Anonymous || closed.Results.Voters != 3 || !reflect.DeepEqual(closed.Results.Comments, []string{"also", "yes"}) {
		t.Fatalf("closed = %+v, results %+v", closed, closed.Results)
	}
}
