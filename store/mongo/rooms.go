package mongo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

var (
	_ labs.RoomStore = (*Store)(nil)
	_ labs.VoteStore = (*Store)(nil)
)

type roomEventDoc struct {
	ID         string `bson:"_id"`
	WorkshopID string `bson:"workshopId"`
	Seq        int64  `bson:"seq"`
	Body       string `bson:"body"`
}

// AppendRoomEvent implements labs.RoomStore; the unique (workshop, seq)
// index refuses a second event with the same number.
func (s *Store) AppendRoomEvent(ctx context.Context, e labs.RoomEvent) error {
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode room event: %w", err)
	}
	d := roomEventDoc{ID: e.WorkshopID + ":" + strconv.FormatInt(e.Seq, 10), WorkshopID: e.WorkshopID, Seq: e.Seq, Body: string(body)}
	return insert(ctx, s.roomEvents, d, "Room event")
}

// RoomEvents implements labs.RoomStore.
func (s *Store) RoomEvents(ctx context.Context, workshopID string, after int64, limit int) ([]labs.RoomEvent, error) {
	cur, err := s.roomEvents.Find(ctx, bson.D{{Key: "workshopId", Value: workshopID}, {Key: "seq", Value: bson.D{{Key: "$gt", Value: after}}}},
		options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("read room of %s: %w", workshopID, err)
	}
	var docs []roomEventDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read room of %s: %w", workshopID, err)
	}
	out := make([]labs.RoomEvent, len(docs))
	for i, d := range docs {
		if err := json.Unmarshal([]byte(d.Body), &out[i]); err != nil {
			return nil, fmt.Errorf("decode room event of %s: %w", workshopID, err)
		}
		out[i].WorkshopID = workshopID
	}
	return out, nil
}

// A vote is one document, so that casting a ballot is one atomic update:
// the filter refuses a closed vote and a second ballot, the update adds the
// participant and moves the counters together. The participants and the
// comments are arrays kept sorted (by account, by text), never in the
// order of voting; counters are keyed by level and option index.
type voteDoc struct {
	ID           string                    `bson:"_id"`
	WorkshopID   string                    `bson:"workshopId"`
	LabID        string                    `bson:"labId"`
	Question     string                    `bson:"question"`
	Method       string                    `bson:"method"`
	Options      []string                  `bson:"options"`
	Dots         int                       `bson:"dots"`
	Anonymous    bool                      `bson:"anonymous"`
	Status       string                    `bson:"status"`
	OpenedBy     string                    `bson:"openedBy"`
	OpenedAt     time.Time                 `bson:"openedAt"`
	ClosedAt     time.Time                 `bson:"closedAt"`
	Voters       int                       `bson:"voters"`
	Participants []participantDoc          `bson:"participants"`
	Counts       map[string]map[string]int `bson:"counts,omitempty"`
	Comments     []string                  `bson:"comments,omitempty"`
	Ballots      []ballotDoc               `bson:"ballots,omitempty"`
	Results      string                    `bson:"results,omitempty"`
}

type participantDoc struct {
	Account    string `bson:"a"`
	OnBehalfBy string `bson:"b,omitempty"`
}

type ballotDoc struct {
	Account string `bson:"a"`
	Ballot  string `bson:"ballot"`
}

// levelKey names a level's counters: field names cannot be empty.
func levelKey(l labs.StakeholderLevel) string {
	if l == labs.LevelNone {
		return "none"
	}
	return string(l)
}

func (d voteDoc) domain() (labs.Vote, error) {
	v := labs.Vote{ID: d.ID, WorkshopID: d.WorkshopID, LabID: d.LabID, Question: d.Question, Method: labs.VoteMethod(d.Method),
		Options: d.Options, Dots: d.Dots, Anonymous: d.Anonymous, Status: labs.VoteStatus(d.Status), OpenedBy: d.OpenedBy,
		OpenedAt: utc(d.OpenedAt), ClosedAt: utc(d.ClosedAt), Voters: d.Voters}
	if v.Options == nil {
		v.Options = []string{}
	}
	if d.Results != "" {
		v.Results = new(labs.VoteResults)
		if err := json.Unmarshal([]byte(d.Results), v.Results); err != nil {
			return v, fmt.Errorf("results of vote %s: %w", d.ID, err)
		}
	}
	return v, nil
}

// CreateVote implements labs.VoteStore.
func (s *Store) CreateVote(ctx context.Context, v labs.Vote) error {
	d := voteDoc{ID: v.ID, WorkshopID: v.WorkshopID, LabID: v.LabID, Question: v.Question, Method: string(v.Method), Options: v.Options,
		Dots: v.Dots, Anonymous: v.Anonymous, Status: string(v.Status), OpenedBy: v.OpenedBy, OpenedAt: v.OpenedAt, ClosedAt: v.ClosedAt,
		Participants: []participantDoc{}}
	return insert(ctx, s.votes, d, "Vote")
}

func (s *Store) voteDoc(ctx context.Context, id string) (voteDoc, error) {
	return byID[voteDoc](ctx, s.votes, id, "Vote")
}

// Vote implements labs.VoteStore.
func (s *Store) Vote(ctx context.Context, id string) (labs.Vote, error) {
	d, err := s.voteDoc(ctx, id)
	if err != nil {
		return labs.Vote{}, err
	}
	return d.domain()
}

// ListVotes implements labs.VoteStore.
func (s *Store) ListVotes(ctx context.Context, workshopID string) ([]labs.Vote, error) {
	cur, err := s.votes.Find(ctx, bson.D{{Key: "workshopId", Value: workshopID}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list votes of %s: %w", workshopID, err)
	}
	var docs []voteDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list votes of %s: %w", workshopID, err)
	}
	out := make([]labs.Vote, len(docs))
	for i, d := range docs {
		if out[i], err = d.domain(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CastBallot implements labs.VoteStore with one conditional update.
func (s *Store) CastBallot(ctx context.Context, voteID string, voter labs.Voter, counts map[string]int, b labs.Ballot) error {
	d, err := s.voteDoc(ctx, voteID)
	if err != nil {
		return fmt.Errorf("cast ballot: %w", err)
	}
	level := "counts." + levelKey(voter.Level) + "."
	inc := bson.D{{Key: "voters", Value: 1}, {Key: level + "v", Value: 1}}
	for i, o := range d.Options {
		if n := counts[o]; n > 0 {
			inc = append(inc, bson.E{Key: level + "o" + strconv.Itoa(i), Value: n})
		}
	}
	push := bson.D{{Key: "participants", Value: bson.D{{Key: "$each", Value: bson.A{participantDoc{voter.Account, voter.OnBehalfBy}}},
		{Key: "$sort", Value: bson.D{{Key: "a", Value: 1}}}}}}
	if d.Anonymous {
		if b.Comment != "" {
			push = append(push, bson.E{Key: "comments", Value: bson.D{{Key: "$each", Value: bson.A{b.Comment}}, {Key: "$sort", Value: 1}}})
		}
	} else {
		nb, _ := json.Marshal(labs.NamedBallotOf(voter, b))
		push = append(push, bson.E{Key: "ballots", Value: bson.D{{Key: "$each", Value: bson.A{ballotDoc{voter.Account, string(nb)}}},
			{Key: "$sort", Value: bson.D{{Key: "a", Value: 1}}}}})
	}
	filter := bson.D{{Key: "_id", Value: voteID}, {Key: "status", Value: string(labs.VoteOpen)}, {Key: "anonymous", Value: d.Anonymous},
		{Key: "participants.a", Value: bson.D{{Key: "$ne", Value: voter.Account}}}}
	res, err := s.votes.UpdateOne(ctx, filter, bson.D{{Key: "$inc", Value: inc}, {Key: "$push", Value: push}})
	if err != nil {
		return fmt.Errorf("cast ballot in vote %s: %w", voteID, err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	now, err := s.voteDoc(ctx, voteID)
	switch {
	case err != nil:
		return fmt.Errorf("cast ballot: %w", err)
	case now.Status != string(labs.VoteOpen):
		return fmt.Errorf("cast ballot in vote %s: %w", voteID, labs.Errorf(labs.EConflict, "The vote is closed."))
	case now.Anonymous != d.Anonymous:
		// turned anonymous meanwhile: cast again as such
		return s.CastBallot(ctx, voteID, voter, counts, b)
	}
	return fmt.Errorf("cast ballot in vote %s: %w", voteID, labs.Errorf(labs.EConflict, "This member has voted already."))
}

// HasVoted implements labs.VoteStore.
func (s *Store) HasVoted(ctx context.Context, voteID, account string) (bool, error) {
	n, err := s.votes.CountDocuments(ctx, bson.D{{Key: "_id", Value: voteID}, {Key: "participants.a", Value: account}})
	if err != nil {
		return false, fmt.Errorf("read participation in vote %s: %w", voteID, err)
	}
	return n > 0, nil
}

var errVoteMoved = errors.New("the vote changed while it was read")

// CloseVote implements labs.VoteStore: the close applies only to the vote
// as it was read (same number of voters), else it reads again.
func (s *Store) CloseVote(ctx context.Context, voteID string, at time.Time, results func(labs.Tally) labs.VoteResults) (labs.Vote, error) {
	for {
		d, err := s.voteDoc(ctx, voteID)
		if err != nil {
			return labs.Vote{}, fmt.Errorf("close vote: %w", err)
		}
		if d.Status != string(labs.VoteOpen) {
			return labs.Vote{}, fmt.Errorf("close vote %s: %w", voteID, labs.Errorf(labs.EConflict, "The vote is closed already."))
		}
		t := labs.Tally{Levels: map[labs.StakeholderLevel]labs.LevelTally{}}
		for _, l := range append(labs.Levels, labs.LevelNone) {
			c, ok := d.Counts[levelKey(l)]
			if !ok {
				continue
			}
			lt := labs.LevelTally{Voters: c["v"], Counts: map[string]int{}}
			for i, o := range d.Options {
				lt.Counts[o] = c["o"+strconv.Itoa(i)]
			}
			t.Levels[l] = lt
		}
		if d.Anonymous {
			t.Comments = d.Comments
		}
		body, _ := json.Marshal(results(t))
		res, err := s.votes.UpdateOne(ctx, bson.D{{Key: "_id", Value: voteID}, {Key: "status", Value: string(labs.VoteOpen)},
			{Key: "voters", Value: d.Voters}, {Key: "anonymous", Value: d.Anonymous}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(labs.VoteClosed)}, {Key: "closedAt", Value: at},
				{Key: "results", Value: string(body)}}}, {Key: "$unset", Value: bson.D{{Key: "counts", Value: ""}, {Key: "comments", Value: ""}}}})
		if err != nil {
			return labs.Vote{}, fmt.Errorf("close vote %s: %w", voteID, err)
		}
		if res.MatchedCount == 1 {
			return s.Vote(ctx, voteID)
		}
		if err := ctx.Err(); err != nil {
			return labs.Vote{}, fmt.Errorf("close vote %s: %w: %w", voteID, errVoteMoved, err)
		}
	}
}

// AnonymiseVote implements labs.VoteStore.
func (s *Store) AnonymiseVote(ctx context.Context, voteID string) error {
	for {
		d, err := s.voteDoc(ctx, voteID)
		if err != nil {
			return fmt.Errorf("anonymise vote: %w", err)
		}
		switch {
		case d.Status != string(labs.VoteOpen):
			return fmt.Errorf("anonymise vote %s: %w", voteID, labs.Errorf(labs.EConflict, "The vote is closed: it stays as it was cast."))
		case d.Anonymous:
			return fmt.Errorf("anonymise vote %s: %w", voteID, labs.Errorf(labs.EConflict, "The vote is anonymous already."))
		}
		comments := bson.A{}
		for _, b := range d.Ballots {
			var nb labs.NamedBallot
			if err := json.Unmarshal([]byte(b.Ballot), &nb); err != nil {
				return fmt.Errorf("anonymise vote %s: %w", voteID, err)
			}
			if nb.Comment != "" {
				comments = append(comments, nb.Comment)
			}
		}
		res, err := s.votes.UpdateOne(ctx, bson.D{{Key: "_id", Value: voteID}, {Key: "status", Value: string(labs.VoteOpen)},
			{Key: "voters", Value: d.Voters}, {Key: "anonymous", Value: false}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "anonymous", Value: true}}}, {Key: "$unset", Value: bson.D{{Key: "ballots", Value: ""}}},
				{Key: "$push", Value: bson.D{{Key: "comments", Value: bson.D{{Key: "$each", Value: comments}, {Key: "$sort", Value: 1}}}}}})
		if err != nil {
			return fmt.Errorf("anonymise vote %s: %w", voteID, err)
		}
		if res.MatchedCount == 1 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("anonymise vote %s: %w: %w", voteID, errVoteMoved, err)
		}
	}
}

// NamedBallots implements labs.VoteStore.
func (s *Store) NamedBallots(ctx context.Context, voteID string) ([]labs.NamedBallot, error) {
	d, err := s.voteDoc(ctx, voteID)
	if err != nil {
		return nil, err
	}
	out := make([]labs.NamedBallot, 0, len(d.Ballots))
	for _, b := range d.Ballots {
		var nb labs.NamedBallot
		if err := json.Unmarshal([]byte(b.Ballot), &nb); err != nil {
			return nil, fmt.Errorf("decode a ballot of %s: %w", voteID, err)
		}
		out = append(out, nb)
	}
	return out, nil
}
