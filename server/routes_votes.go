package server

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

// voteView is a vote as members see it: while open, the question and how
// many have voted, never a count of any option (for anyone, the
// facilitator included); once closed, the results.
type voteView struct {
	ID        string            `json:"id"`
	Question  string            `json:"question"`
	Method    string            `json:"method"`
	Options   []string          `json:"options"`
	Dots      int               `json:"dots"`
	Anonymous bool              `json:"anonymous"`
	Status    string            `json:"status"`
	Voters    int               `json:"voters"`
	OpenedAt  time.Time         `json:"openedAt"`
	ClosedAt  *time.Time        `json:"closedAt"`
	Voted     *bool             `json:"voted,omitempty"`
	Results   *labs.VoteResults `json:"results"`
	// Ballots are a closed named vote's ballots, with the voters' names.
	Ballots []namedBallotView `json:"ballots,omitempty"`
}

type namedBallotView struct {
	labs.NamedBallot
	Name string `json:"name"`
}

func viewVote(v labs.Vote, voted *bool) voteView {
	out := voteView{ID: v.ID, Question: v.Question, Method: string(v.Method), Options: v.Options, Dots: v.Dots, Anonymous: v.Anonymous,
		Status: string(v.Status), Voters: v.Voters, OpenedAt: v.OpenedAt, Voted: voted}
	if v.Status == labs.VoteClosed {
		out.ClosedAt, out.Results = &v.ClosedAt, v.Results
	}
	return out
}

type voteRequest struct {
	Question string   `json:"question"`
	Method   string   `json:"method"`
	Options  []string `json:"options"`
	Dots     int      `json:"dots"`
	// Anonymous is the default; a named vote says so when it opens.
	Anonymous *bool `json:"anonymous"`
}

// openVote puts a question to the room.
func (s *Server) openVote(c *fiber.Ctx) error {
	var in voteRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	w, by, ctx := workshopOf(c), accountOf(c).ID, c.UserContext()
	if err := underway(w); err != nil {
		return err
	}
	if len(in.Options) > labs.MaxVoteOptions {
		return labs.Errorf(labs.ETooLarge, "A vote has at most %d options.", labs.MaxVoteOptions)
	}
	now := s.cfg.Auth.Now()
	v := labs.Vote{ID: labs.NewID(now), WorkshopID: w.ID, LabID: w.LabID, Question: in.Question, Method: labs.VoteMethod(in.Method),
		Options: in.Options, Dots: in.Dots, Anonymous: in.Anonymous == nil || *in.Anonymous, Status: labs.VoteOpen, OpenedBy: by, OpenedAt: now}
	if v.Method == labs.VoteAgree && len(v.Options) == 0 {
		v.Options = labs.AgreeOptions
	}
	if err := v.Validate(); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateVote(ctx, v); err != nil {
		return err
	}
	if _, err := s.act(ctx, w, func(labs.Room) ([]labs.RoomEvent, error) {
		return []labs.RoomEvent{{Kind: labs.RoomVoteOpen, VoteID: v.ID, Actor: by}}, nil
	}); err != nil {
		return err
	}
	s.audit(ctx, w.LabID, by, "vote.open", v.ID, map[string]string{"workshop": w.ID, "anonymous": boolString(v.Anonymous)})
	s.publishVote(v)
	return c.Status(fiber.StatusCreated).JSON(viewVote(v, nil))
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// listVotes lists the workshop's votes, each with whether the requester
// has voted in it (that is about them alone).
func (s *Server) listVotes(c *fiber.Ctx) error {
	w, acc, ctx := workshopOf(c), accountOf(c), c.UserContext()
	votes, err := s.cfg.Store.ListVotes(ctx, w.ID)
	if err != nil {
		return err
	}
	r, err := s.roomOf(ctx, w.ID)
	if err != nil {
		return err
	}
	out := make([]voteView, len(votes))
	for i, v := range votes {
		voted, err := s.cfg.Store.HasVoted(ctx, v.ID, acc.ID)
		if err != nil {
			return err
		}
		out[i] = viewVote(v, &voted)
		if v.Status == labs.VoteClosed && !v.Anonymous {
			ballots, err := s.cfg.Store.NamedBallots(ctx, v.ID)
			if err != nil {
				return err
			}
			for _, b := range ballots {
				out[i].Ballots = append(out[i].Ballots, namedBallotView{b, s.nameIn(c, r, w.LabID, b.Account)})
			}
		}
	}
	return c.JSON(fiber.Map{"items": out})
}

// nameIn is a member's name in the lab: from the room, else the membership.
func (s *Server) nameIn(c *fiber.Ctx, r labs.Room, labID, account string) string {
	if p, ok := r.Present[account]; ok {
		return p.Name
	}
	if m, err := s.cfg.Store.Membership(c.UserContext(), labID, account); err == nil {
		return m.DisplayName
	}
	return ""
}

type ballotRequest struct {
	Choice  string `json:"choice"`
	Dots    []int  `json:"dots"`
	Comment string `json:"comment"`
}

// castBallot is the requester's one ballot.
func (s *Server) castBallot(c *fiber.Ctx) error {
	var in ballotRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	id, err := requireID(c, "vote", "a vote")
	if err != nil {
		return err
	}
	return s.ballot(c, id, *membershipOf(c), in, "")
}

// ballot casts m's ballot; by is the facilitator casting it at m's
// request. Once cast, a ballot stays: an anonymous one cannot be found
// again to change it (nothing links it to its voter), and a named one
// follows the same rule so that both kinds mean the same.
func (s *Server) ballot(c *fiber.Ctx, voteID string, m labs.Membership, in ballotRequest, by string) error {
	if err := fieldLimit("comment", in.Comment, 4*labs.MaxVoteCommentRune); err != nil {
		return err
	}
	if len(in.Dots) > labs.MaxVoteOptions {
		return labs.Errorf(labs.ETooLarge, "dots has at most %d entries.", labs.MaxVoteOptions)
	}
	w, ctx := workshopOf(c), c.UserContext()
	v, err := s.cfg.Store.Vote(ctx, voteID)
	if labs.IsCode(err, labs.ENotFound) || err == nil && v.WorkshopID != w.ID {
		return labs.Errorf(labs.ENotFound, "There is no such vote in this workshop.")
	} else if err != nil {
		return err
	}
	b := labs.Ballot{Choice: in.Choice, Comment: in.Comment}
	if len(in.Dots) > 0 {
		b.Dots = map[int]int{}
		for i, n := range in.Dots {
			b.Dots[i] = n
		}
	}
	counts, err := v.Counts(b)
	if err != nil {
		return err
	}
	if v.Status != labs.VoteOpen {
		return labs.Errorf(labs.EConflict, "The vote is closed.")
	}
	if by != "" {
		// Someone without a device is in the room: the facilitator marks
		// them present with the first act done for them.
		if _, err := s.act(ctx, w, func(r labs.Room) ([]labs.RoomEvent, error) { return present(r, m, by, true), nil }); err != nil {
			return err
		}
	}
	if err := s.cfg.Store.CastBallot(ctx, v.ID, labs.Voter{Account: m.AccountID, Level: m.StakeholderLevel, OnBehalfBy: by}, counts, b); err != nil {
		return err
	}
	if v, err = s.cfg.Store.Vote(ctx, v.ID); err != nil {
		return err
	}
	s.publishVote(v)
	voted := true
	return c.JSON(viewVote(v, &voted))
}

// closeVote closes a vote and shows its results to the room.
func (s *Server) closeVote(c *fiber.Ctx) error {
	id, err := requireID(c, "vote", "a vote")
	if err != nil {
		return err
	}
	w, by, ctx := workshopOf(c), accountOf(c).ID, c.UserContext()
	v, err := s.voteIn(c, w, id)
	if err != nil {
		return err
	}
	closed, err := s.cfg.Store.CloseVote(ctx, v.ID, s.cfg.Auth.Now(), v.ResultsOf)
	if err != nil {
		return err
	}
	if _, err := s.act(ctx, w, func(labs.Room) ([]labs.RoomEvent, error) {
		return []labs.RoomEvent{{Kind: labs.RoomVoteClose, VoteID: v.ID, Actor: by}}, nil
	}); err != nil {
		return err
	}
	s.audit(ctx, w.LabID, by, "vote.close", v.ID, map[string]string{"workshop": w.ID})
	s.publishVote(closed)
	return c.JSON(viewVote(closed, nil))
}

// anonymiseVote turns an open named vote anonymous; never the reverse.
func (s *Server) anonymiseVote(c *fiber.Ctx) error {
	id, err := requireID(c, "vote", "a vote")
	if err != nil {
		return err
	}
	w, ctx := workshopOf(c), c.UserContext()
	if _, err := s.voteIn(c, w, id); err != nil {
		return err
	}
	if err := s.cfg.Store.AnonymiseVote(ctx, id); err != nil {
		return err
	}
	v, err := s.cfg.Store.Vote(ctx, id)
	if err != nil {
		return err
	}
	s.audit(ctx, w.LabID, accountOf(c).ID, "vote.anonymise", v.ID, map[string]string{"workshop": w.ID})
	s.publishVote(v)
	return c.JSON(viewVote(v, nil))
}

func (s *Server) voteIn(c *fiber.Ctx, w labs.Workshop, id string) (labs.Vote, error) {
	v, err := s.cfg.Store.Vote(c.UserContext(), id)
	if labs.IsCode(err, labs.ENotFound) || err == nil && v.WorkshopID != w.ID {
		return v, labs.Errorf(labs.ENotFound, "There is no such vote in this workshop.")
	}
	return v, err
}
