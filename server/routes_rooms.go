package server

import (
	"context"
	"crypto/rand"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
	"github.com/linklab/linklab/realtime"
)

func workshopOf(c *fiber.Ctx) labs.Workshop {
	w, _ := c.Locals(localWorkshop).(labs.Workshop)
	return w
}

// may asks the enforcer whether the requester may do act on obj in the
// request's lab, beyond what the route's gate already allowed.
func (s *Server) may(c *fiber.Ctx, obj, act string) (bool, error) {
	return s.cfg.Enforcer.AllowedOn(subjectOfRequest(c), obj, act, "", policies.RelNone)
}

// joinAlphabet leaves out what is read wrongly from a projector (0/O, 1/I/L).
const joinAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// JoinCodeLength is the length of a workshop's join code.
const JoinCodeLength = 6

func newJoinCode() string {
	b := make([]byte, JoinCodeLength)
	if _, err := rand.Read(b); err != nil {
		panic("server: crypto/rand: " + err.Error())
	}
	for i := range b {
		b[i] = joinAlphabet[int(b[i])%len(joinAlphabet)]
	}
	return string(b)
}

// findWorkshop turns a join code into the workshop, for a member of its
// lab; to anyone else the code is unknown, as a wrong code is.
func (s *Server) findWorkshop(c *fiber.Ctx) error {
	code := strings.ToUpper(strings.TrimSpace(c.Params("code")))
	if len(code) != JoinCodeLength || strings.Trim(code, joinAlphabet) != "" {
		return labs.Errorf(labs.EInvalid, "A join code is %d letters and digits, as the projector shows it.", JoinCodeLength)
	}
	unknown := labs.Errorf(labs.ENotFound, "No workshop you can join has this code. Check it on the projector, and that you signed in with the account the lab knows.")
	w, err := s.cfg.Store.WorkshopByCode(c.UserContext(), code)
	if labs.IsCode(err, labs.ENotFound) {
		return unknown
	} else if err != nil {
		return err
	}
	sub, _, err := s.subjectIn(c.UserContext(), accountOf(c), w.LabID)
	if err != nil {
		return err
	}
	if ok, err := s.cfg.Enforcer.AllowedOn(sub, "workshop", "read", "", policies.RelNone); err != nil {
		return err
	} else if !ok {
		return unknown
	}
	return c.JSON(fiber.Map{"workshop": w.ID, "lab": w.LabID})
}

// underway refuses acts in a room that is not in session.
func underway(w labs.Workshop) error {
	if w.Status != labs.WorkshopRunning && w.Status != labs.WorkshopPaused {
		return labs.Errorf(labs.EConflict, "The workshop is %s: the room opens when the facilitator starts it.", w.Status)
	}
	return nil
}

// attendee is the room's record of a member, from their membership.
func attendee(m labs.Membership) labs.Attendee {
	return labs.Attendee{Account: m.AccountID, Name: m.DisplayName, Role: m.Role, Level: m.StakeholderLevel, Sector: m.Sector}
}

// present prepends a join to events when the person is not in the room
// yet: raising a hand, posting an idea or voting makes one present.
func present(r labs.Room, m labs.Membership, actor string, onBehalf bool, events ...labs.RoomEvent) []labs.RoomEvent {
	if _, ok := r.Present[m.AccountID]; ok {
		return events
	}
	p := attendee(m)
	join := labs.RoomEvent{Kind: labs.RoomJoin, Subject: m.AccountID, Actor: actor, OnBehalf: onBehalf, Person: &p}
	return append([]labs.RoomEvent{join}, events...)
}

// roomView is the room as one person sees it when they come in; live
// messages keep it current from its seq on.
type roomView struct {
	Seq      int64        `json:"seq"`
	Present  int          `json:"present"`
	Queue    []roomHand   `json:"queue"`
	Floor    *roomFloor   `json:"floor"`
	Ideas    []publicIdea `json:"ideas"`
	Balanced bool         `json:"balanced"`
	Me       roomMe       `json:"me"`
	// People are those present, for the facilitator alone.
	People []labs.Attendee `json:"people,omitempty"`
}

type roomMe struct {
	Account string `json:"account"`
	Present bool   `json:"present"`
	Runs    bool   `json:"runs"`     // the facilitator's console
	Votes   bool   `json:"votes"`    // takes part: raises hands, posts, votes
	Name    string `json:"name"`     // as the lab knows them
	Level   string `json:"level"`    // their stakeholder level
	Code    string `json:"joinCode"` // for the projector
}

func (s *Server) getRoom(c *fiber.Ctx) error {
	w := workshopOf(c)
	r, err := s.roomOf(c.UserContext(), w.ID)
	if err != nil {
		return err
	}
	runs, err := s.may(c, "workshop", "run")
	if err != nil {
		return err
	}
	takes, err := s.may(c, "workshop", "take_part")
	if err != nil {
		return err
	}
	acc := accountOf(c)
	v := roomView{Seq: r.Seq, Present: len(r.Present), Queue: handsOf(r), Floor: floorOf(r), Ideas: make([]publicIdea, len(r.Ideas)),
		Balanced: r.Balanced, Me: roomMe{Account: acc.ID, Runs: runs, Votes: takes, Code: w.Code}}
	if _, ok := r.Present[acc.ID]; ok {
		v.Me.Present = true
	}
	if m := membershipOf(c); m != nil {
		v.Me.Name, v.Me.Level = m.DisplayName, string(m.StakeholderLevel)
	}
	for i, idea := range r.Ideas {
		v.Ideas[i] = viewIdea(r, idea, s.wrote(c, idea.Author, !idea.Named, idea.ID))
	}
	if runs {
		v.People = make([]labs.Attendee, 0, len(r.Present))
		for _, p := range r.Present {
			v.People = append(v.People, p)
		}
		slices.SortFunc(v.People, func(a, b labs.Attendee) int { return a.Since.Compare(b.Since) })
	}
	return c.JSON(v)
}

// joinRoom records the requester as present.
func (s *Server) joinRoom(c *fiber.Ctx) error {
	w, m := workshopOf(c), membershipOf(c)
	if w.Status == labs.WorkshopEnded {
		return labs.Errorf(labs.EConflict, "The workshop has ended.")
	}
	r, err := s.act(c.UserContext(), w, func(r labs.Room) ([]labs.RoomEvent, error) {
		return present(r, *m, m.AccountID, false), nil
	})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"seq": r.Seq, "present": len(r.Present)})
}

type handRequest struct {
	Raised bool `json:"raised"`
}

// raiseHand raises or lowers the requester's hand.
func (s *Server) raiseHand(c *fiber.Ctx) error {
	var in handRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	return s.hand(c, *membershipOf(c), in.Raised, "")
}

func (s *Server) hand(c *fiber.Ctx, m labs.Membership, raised bool, by string) error {
	w := workshopOf(c)
	if err := underway(w); err != nil {
		return err
	}
	actor := m.AccountID
	if by != "" {
		actor = by
	}
	kind := labs.RoomHandLower
	if raised {
		kind = labs.RoomHandRaise
	}
	r, err := s.act(c.UserContext(), w, func(r labs.Room) ([]labs.RoomEvent, error) {
		return present(r, m, actor, by != "", labs.RoomEvent{Kind: kind, Subject: m.AccountID, Actor: actor, OnBehalf: by != ""}), nil
	})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"seq": r.Seq, "queue": handsOf(r)})
}

type floorRequest struct {
	Action  string `json:"action"`
	Account string `json:"account"`
	// Head is who headed the queue as the facilitator saw it ("" for an
	// empty queue): a floor given past them is recorded as an override,
	// and a queue that changed meanwhile is a conflict, not a surprise.
	Head *string `json:"head"`
}

// floor gives the floor (to the head of the queue or anyone present) or
// takes it back.
func (s *Server) floor(c *fiber.Ctx) error {
	var in floorRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	w, by := workshopOf(c), accountOf(c).ID
	if err := underway(w); err != nil {
		return err
	}
	var e labs.RoomEvent
	switch in.Action {
	case "give":
		if !labs.ValidID(in.Account) || in.Head == nil || *in.Head != "" && !labs.ValidID(*in.Head) {
			return labs.Errorf(labs.EInvalid, "Giving the floor names the account and the head of the queue as you saw it (\"\" if empty).")
		}
		e = labs.RoomEvent{Kind: labs.RoomFloorGive, Subject: in.Account, Actor: by, Head: *in.Head, Override: *in.Head != in.Account}
	case "return":
		e = labs.RoomEvent{Kind: labs.RoomFloorReturn, Actor: by}
	default:
		return labs.Errorf(labs.EInvalid, "action must be give or return.")
	}
	r, err := s.act(c.UserContext(), w, func(r labs.Room) ([]labs.RoomEvent, error) {
		if e.Kind == labs.RoomFloorReturn && r.Floor != nil {
			e.Subject = r.Floor.Account
		}
		return []labs.RoomEvent{e}, nil
	})
	if err != nil {
		return err
	}
	if e.Override {
		s.audit(c.UserContext(), w.LabID, by, "workshop.floor_override", w.ID, map[string]string{"head": e.Head, "given": e.Subject})
	}
	return c.JSON(fiber.Map{"seq": r.Seq, "queue": handsOf(r), "floor": floorOf(r)})
}

type balanceRequest struct {
	Balanced bool `json:"balanced"`
}

// balanceQueue turns ordering by stakeholder level on or off.
func (s *Server) balanceQueue(c *fiber.Ctx) error {
	var in balanceRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	w := workshopOf(c)
	r, err := s.act(c.UserContext(), w, func(labs.Room) ([]labs.RoomEvent, error) {
		return []labs.RoomEvent{{Kind: labs.RoomBalance, Balanced: in.Balanced, Actor: accountOf(c).ID}}, nil
	})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"seq": r.Seq, "queue": handsOf(r), "balanced": r.Balanced})
}

type ideaRequest struct {
	Text  string `json:"text"`
	Named bool   `json:"named"`
}

// postIdea puts an idea on the wall, anonymous unless asked otherwise.
func (s *Server) postIdea(c *fiber.Ctx) error {
	var in ideaRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	return s.idea(c, *membershipOf(c), in, "")
}

// idea posts for m; by is the facilitator posting on m's behalf. An
// anonymous idea keeps the level only (not the sector or role, which may
// single a person out) and its author's mark; one posted on someone's
// behalf has no mark: the facilitator typed it, nobody can edit it.
func (s *Server) idea(c *fiber.Ctx, m labs.Membership, in ideaRequest, by string) error {
	if err := fieldLimit("text", in.Text, 4*labs.MaxIdeaRunes); err != nil {
		return err
	}
	w := workshopOf(c)
	if err := underway(w); err != nil {
		return err
	}
	if w.Agenda[w.Phase].Kind != labs.PhaseIdeas {
		return labs.Errorf(labs.EConflict, "Ideas are posted in an ideas phase; this is %s.", w.Agenda[w.Phase].Title)
	}
	now := s.cfg.Auth.Now()
	idea := labs.Idea{ID: labs.NewID(now), Text: strings.TrimSpace(in.Text), Named: in.Named, Level: m.StakeholderLevel,
		OnBehalf: by != "", Phase: w.Phase}
	actor := m.AccountID
	switch {
	case in.Named:
		idea.Author, idea.Sector, idea.Role = m.AccountID, m.Sector, m.Role
	case by == "":
		idea.Author, actor = s.authorOfNew(c, accountOf(c), idea.ID, true), ""
	default:
		actor = ""
	}
	if by != "" {
		actor = by
	}
	r, err := s.act(c.UserContext(), w, func(r labs.Room) ([]labs.RoomEvent, error) {
		// An anonymous idea does not make its author present: the join
		// would sit beside it in the log.
		post := labs.RoomEvent{Kind: labs.RoomIdeaPost, Actor: actor, OnBehalf: by != "", Idea: &idea}
		if in.Named {
			return present(r, m, m.AccountID, by != "", post), nil
		}
		return []labs.RoomEvent{post}, nil
	})
	if err != nil {
		return err
	}
	for _, i := range r.Ideas {
		if i.ID == idea.ID {
			return c.Status(fiber.StatusCreated).JSON(viewIdea(r, i, by == ""))
		}
	}
	return labs.Errorf(labs.EInternal, "The idea was not kept.")
}

type ideaEditRequest struct {
	Theme  *string `json:"theme"`
	Reason *string `json:"reason"`
}

// moderateIdea groups an idea under a theme, or hides it with a reason
// (the author is told; nothing is deleted; the moderation log has it).
func (s *Server) moderateIdea(c *fiber.Ctx) error {
	var in ideaEditRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	id, err := requireID(c, "idea", "an idea")
	if err != nil {
		return err
	}
	w, by := workshopOf(c), accountOf(c).ID
	var e labs.RoomEvent
	switch {
	case in.Theme != nil && in.Reason == nil:
		if err := fieldLimit("theme", *in.Theme, 4*labs.MaxThemeRunes); err != nil {
			return err
		}
		e = labs.RoomEvent{Kind: labs.RoomIdeaTheme, IdeaID: id, Theme: *in.Theme, Actor: by}
	case in.Reason != nil && in.Theme == nil:
		if err := fieldLimit("reason", *in.Reason, 4*labs.MaxReasonRunes); err != nil {
			return err
		}
		e = labs.RoomEvent{Kind: labs.RoomIdeaHide, IdeaID: id, Reason: strings.TrimSpace(*in.Reason), Actor: by}
	default:
		return labs.Errorf(labs.EInvalid, "Send a theme (to group the idea) or a reason (to hide it), one at a time.")
	}
	r, err := s.act(c.UserContext(), w, func(labs.Room) ([]labs.RoomEvent, error) { return []labs.RoomEvent{e}, nil })
	if err != nil {
		return err
	}
	if e.Kind == labs.RoomIdeaHide {
		s.audit(c.UserContext(), w.LabID, by, "idea.hide", id, map[string]string{"reason": e.Reason, "workshop": w.ID})
	}
	for _, i := range r.Ideas {
		if i.ID == id {
			return c.JSON(viewIdea(r, i, false))
		}
	}
	return labs.Errorf(labs.ENotFound, "There is no such idea.")
}

// draftFromIdea turns an idea into a proposal draft of the lab, with the
// idea as its title and summary, written by whoever asked.
func (s *Server) draftFromIdea(c *fiber.Ctx) error {
	id, err := requireID(c, "idea", "an idea")
	if err != nil {
		return err
	}
	w, acc, ctx := workshopOf(c), accountOf(c), c.UserContext()
	r, err := s.roomOf(ctx, w.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(r.Ideas, func(x labs.Idea) bool { return x.ID == id })
	switch {
	case i < 0:
		return labs.Errorf(labs.ENotFound, "There is no such idea.")
	case r.Ideas[i].Hidden != "":
		return labs.Errorf(labs.EConflict, "This idea was hidden by the facilitator.")
	case r.Ideas[i].Draft != "":
		return labs.Errorf(labs.EConflict, "This idea is a proposal draft already.")
	}
	tpl, err := content.LoadTemplate("proposal")
	if err != nil {
		return err
	}
	lab, err := s.cfg.Store.Lab(ctx, w.LabID)
	if err != nil {
		return err
	}
	d := tpl.NewDocument(w.LabID, acc.ID, lab.DocumentLevel(), s.cfg.Auth.Now())
	d.Title = truncateRunes(r.Ideas[i].Text, labs.MaxWorkshopTitleRune)
	for j := range d.Sections {
		if d.Sections[j].Key == "summary" {
			d.Sections[j].Text = r.Ideas[i].Text
		}
	}
	if ok, err := s.mayDocument(subjectOfRequest(c), acc, d, "create"); err != nil {
		return err
	} else if !ok {
		return labs.Errorf(labs.EForbidden, "You may not create a proposal in this lab.")
	}
	if err := s.cfg.Store.CreateDocument(ctx, d); err != nil {
		return err
	}
	s.index.documentChanged(d.ID)
	if _, err := s.act(ctx, w, func(labs.Room) ([]labs.RoomEvent, error) {
		return []labs.RoomEvent{{Kind: labs.RoomIdeaDraft, IdeaID: id, Document: d.ID, Actor: acc.ID}}, nil
	}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"document": d.ID, "title": d.Title})
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

type onBehalfRequest struct {
	Account string `json:"account"`
	// Act is join, hand, idea or vote.
	Act    string `json:"act"`
	Raised bool   `json:"raised"`
	Text   string `json:"text"`
	Named  bool   `json:"named"`
	Vote   string `json:"vote"`
	ballotRequest
}

// onBehalf is the facilitator acting for a present member who asked
// (someone without a device): marked present, a hand, an idea or a vote,
// each recorded as done on their behalf.
func (s *Server) onBehalf(c *fiber.Ctx) error {
	var in onBehalfRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	w, by, ctx := workshopOf(c), accountOf(c).ID, c.UserContext()
	if !labs.ValidID(in.Account) {
		return labs.Errorf(labs.EInvalid, "account must be the member's account ID.")
	}
	m, err := s.cfg.Store.Membership(ctx, w.LabID, in.Account)
	if labs.IsCode(err, labs.ENotFound) || err == nil && !slices.Contains(labs.ParticipantRoles, m.Role) {
		return labs.Errorf(labs.EInvalid, "Only a participant of this lab can be represented.")
	} else if err != nil {
		return err
	}
	switch in.Act {
	case "join":
		if w.Status == labs.WorkshopEnded {
			return labs.Errorf(labs.EConflict, "The workshop has ended.")
		}
		r, err := s.act(ctx, w, func(r labs.Room) ([]labs.RoomEvent, error) {
			if _, ok := r.Present[m.AccountID]; ok {
				return nil, labs.Errorf(labs.EConflict, "Already in the room.")
			}
			return present(r, m, by, true), nil
		})
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"seq": r.Seq, "present": len(r.Present)})
	case "hand":
		return s.hand(c, m, in.Raised, by)
	case "idea":
		return s.idea(c, m, ideaRequest{Text: in.Text, Named: in.Named}, by)
	case "vote":
		if !labs.ValidID(in.Vote) {
			return labs.Errorf(labs.EInvalid, "vote must be a vote ID.")
		}
		return s.ballot(c, in.Vote, m, in.ballotRequest, by)
	}
	return labs.Errorf(labs.EInvalid, "act must be join, hand, idea or vote.")
}

// publishVote tells the room a vote's state: how many have voted while it
// is open, never a count of any option; the results once closed.
func (s *Server) publishVote(v labs.Vote) {
	s.publishRoom(realtime.WorkshopRoom(v.WorkshopID), mustJSON(fiber.Map{"type": "vote", "workshop": v.WorkshopID, "vote": viewVote(v, nil)}))
}

// activity counts, per account present, the comments and edits made on
// the agenda's documents since the room's first event.
func (s *Server) activity(ctx context.Context, w labs.Workshop, r labs.Room, now time.Time) (map[string]labs.Activity, error) {
	out := map[string]labs.Activity{}
	first, err := s.cfg.Store.RoomEvents(ctx, w.ID, 0, 1)
	if err != nil || len(first) == 0 {
		return out, err
	}
	since, until := first[0].At, now
	if w.Status == labs.WorkshopEnded {
		until = w.UpdatedAt
	}
	docs := map[string]bool{}
	for _, p := range w.Agenda {
		for _, d := range p.Documents {
			docs[d] = true
		}
	}
	for id := range docs {
		d, err := s.cfg.Store.Document(ctx, id)
		if labs.IsCode(err, labs.ENotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if err := eachPage(ctx, func(p labs.Page) (string, error) {
			comments, next, err := s.cfg.Store.ListComments(ctx, id, p)
			for _, cm := range comments {
				if _, ok := r.Present[cm.AuthorID]; ok && !cm.Anonymous && !cm.CreatedAt.Before(since) && !cm.CreatedAt.After(until) {
					a := out[cm.AuthorID]
					a.Comments++
					out[cm.AuthorID] = a
				}
			}
			return next, err
		}); err != nil {
			return nil, err
		}
		for _, sec := range d.Sections {
			if err := s.editsSince(ctx, sec.ID, since, until, r, out); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// editsSince counts a section's changes in [since, until] by the people
// present, reading the log backwards from its end until before since.
func (s *Server) editsSince(ctx context.Context, section string, since, until time.Time, r labs.Room, out map[string]labs.Activity) error {
	to, err := s.cfg.Store.LatestVersion(ctx, section)
	if err != nil {
		return err
	}
	const step = 500
	for to > 0 {
		from := max(0, to-step)
		changes, err := s.cfg.Store.Changes(ctx, section, from, to)
		if err != nil {
			return err
		}
		for _, ch := range changes {
			if _, ok := r.Present[ch.AuthorID]; ok && !ch.At.Before(since) && !ch.At.After(until) {
				a := out[ch.AuthorID]
				a.Edits++
				out[ch.AuthorID] = a
			}
		}
		if len(changes) == 0 || changes[0].At.Before(since) {
			return nil
		}
		to = from
	}
	return nil
}

// balanceView is the balance with names: the facilitator sees who has not
// been heard yet; everybody else sees only how many.
type balanceView struct {
	labs.Balance
	NotHeardNames []string `json:"notHeardNames,omitempty"`
	NotHeardCount int      `json:"notHeardCount"`
}

// getBalance is the participation balance: live for the facilitator,
// for every member once the workshop has ended, without names.
func (s *Server) getBalance(c *fiber.Ctx) error {
	w, ctx := workshopOf(c), c.UserContext()
	runs, err := s.may(c, "workshop", "run")
	if err != nil {
		return err
	}
	if !runs && w.Status != labs.WorkshopEnded {
		return labs.Errorf(labs.EForbidden, "The balance is the facilitator's during the workshop; everyone sees it in the report when it ends.")
	}
	b, err := s.balance(ctx, w)
	if err != nil {
		return err
	}
	return c.JSON(s.viewBalance(b, runs))
}

type namedBalance struct {
	labs.Balance
	room labs.Room
}

func (s *Server) balance(ctx context.Context, w labs.Workshop) (namedBalance, error) {
	r, err := s.roomOf(ctx, w.ID)
	if err != nil {
		return namedBalance{}, err
	}
	now := s.cfg.Auth.Now()
	act, err := s.activity(ctx, w, r, now)
	if err != nil {
		return namedBalance{}, err
	}
	return namedBalance{labs.BalanceOf(r, now, act), r}, nil
}

func (s *Server) viewBalance(b namedBalance, names bool) balanceView {
	v := balanceView{Balance: b.Balance, NotHeardCount: len(b.NotHeard)}
	if names {
		for _, a := range b.NotHeard {
			v.NotHeardNames = append(v.NotHeardNames, b.room.Present[a].Name)
		}
	} else {
		v.NotHeard = []string{}
		for i := range v.Overrides {
			v.Overrides[i].By = ""
		}
	}
	return v
}
