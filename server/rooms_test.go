package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
)

// participant creates an account that belongs to lab in role, at level.
func (ts *testServer) participant(tb testing.TB, lab labs.Lab, name string, role labs.Role, level labs.StakeholderLevel, sector string) (labs.Account, *client) {
	tb.Helper()
	ctx := context.Background()
	a, err := ts.Auth.CreateAccount(ctx, auth.NewAccount{Email: strings.ToLower(name) + "@example.org", DisplayName: name, Password: password})
	if err != nil {
		tb.Fatal(err)
	}
	if err := ts.Store.AddMembership(ctx, labs.Membership{LabID: lab.ID, AccountID: a.ID, Role: role, DisplayName: name,
		StakeholderLevel: level, Sector: sector, JoinedAt: ts.Auth.Now()}); err != nil {
		tb.Fatal(err)
	}
	c := ts.client(tb)
	c.mustSignIn(a.Email, password)
	return a, c
}

// follow opens a websocket that follows a workshop's room.
func follow(c *client, workshop string) *wsConn {
	c.tb.Helper()
	live := c.mustDialWS()
	live.send(map[string]any{"type": "follow", "id": 1, "workshop": workshop})
	live.next("following")
	return live
}

type roomBody struct {
	Seq     int64
	Present int
	Queue   []struct {
		Account, Name, Level string
		OnBehalf             bool
	}
	Floor *struct {
		Account  string
		Override bool
	}
	Ideas []struct {
		ID, Text, Theme, Hidden, Draft, Author, Level string
		Named, Mine, OnBehalf                         bool
	}
	Me struct {
		Present, Runs, Votes bool
		JoinCode             string
	}
	People []labs.Attendee
}

func queueNames(r roomBody) string {
	var out []string
	for _, h := range r.Queue {
		out = append(out, h.Name)
	}
	return strings.Join(out, ",")
}

// startWorkshop schedules and starts a workshop with an ideas phase and a
// discussion phase about doc (may be "").
func startWorkshop(t testing.TB, fac *client, lab labs.Lab, docs ...string) workshopBody {
	t.Helper()
	if docs == nil {
		docs = []string{}
	}
	var ws workshopBody
	r := fac.do("POST", "/api/labs/"+lab.ID+"/workshops", map[string]any{"title": "Day one", "agenda": []map[string]any{
		{"title": "Ideas", "kind": "ideas", "minutes": 30, "documents": docs}, {"title": "Prioritise", "kind": "prioritise", "minutes": 20}}})
	r.json(t, &ws)
	if r.Status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", r.Status, r.Body)
	}
	if r := fac.do("POST", "/api/workshops/"+ws.ID+"/control", map[string]any{"action": "start"}); r.Status != http.StatusOK {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	return ws
}

func mustStatus(t *testing.T, r response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
	}
}

// TestFairTurns: hands go up and down live; the queue puts who has spoken
// least first, whatever their role; a floor given past the head is
// recorded; the facilitator raises a hand on behalf of someone without a
// device; facilitators do not queue; a restart keeps the room.
func TestFairTurns(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			store := e.open(t)
			ts := mustServe(t, store)
			w := ts.seed(t)
			fac := ts.client(t)
			fac.mustSignIn(w.facA.Email, password)
			pol, polC := ts.participant(t, w.labA, "Paula", labs.RolePolicymaker, labs.LevelMacro, "health")
			par, parC := ts.participant(t, w.labA, "Pedro", labs.RoleServiceUser, labs.LevelMicro, "")
			noDevice, _ := ts.participant(t, w.labA, "Nora", labs.RoleServiceUser, labs.LevelMicro, "")
			ws := startWorkshop(t, fac, w.labA)
			one := "/api/workshops/" + ws.ID
			live := follow(parC, ws.ID)

			mustStatus(t, fac.do("POST", one+"/hand", map[string]any{"raised": true}), http.StatusForbidden, "a facilitator queues")
			mustStatus(t, polC.do("POST", one+"/hand", map[string]any{"raised": true}), http.StatusOK, "raise")
			mustStatus(t, polC.do("POST", one+"/hand", map[string]any{"raised": true}), http.StatusConflict, "raise twice")
			// Her join, then her hand, reach the others as they happen.
			for m := live.next("room"); !strings.Contains(string(m["queueChange"]), `"Paula"`); m = live.next("room") {
				if !strings.Contains(string(m["event"]), `"kind":"join"`) {
					t.Fatalf("the live room: %s", m["event"])
				}
			}
			give := func(account, head string, want int) {
				t.Helper()
				mustStatus(t, fac.do("POST", one+"/floor", map[string]any{"action": "give", "account": account, "head": head}), want, "give the floor")
			}
			give(pol.ID, pol.ID, http.StatusOK)
			mustStatus(t, fac.do("POST", one+"/floor", map[string]any{"action": "return"}), http.StatusOK, "return")
			// Paula spoke once; now both raise, Paula first: Pedro heads.
			polC.do("POST", one+"/hand", map[string]any{"raised": true})
			parC.do("POST", one+"/hand", map[string]any{"raised": true})
			var room roomBody
			fac.do("GET", one+"/room", nil).json(t, &room)
			if queueNames(room) != "Pedro,Paula" {
				t.Fatalf("queue %s, want who spoke least first", queueNames(room))
			}
			// The facilitator saw an older queue: a conflict, not a surprise.
			give(pol.ID, pol.ID, http.StatusConflict)
			// Past the head, knowingly: recorded.
			give(pol.ID, par.ID, http.StatusOK)
			fac.do("GET", one+"/room", nil).json(t, &room)
			if room.Floor == nil || room.Floor.Account != pol.ID || !room.Floor.Override || queueNames(room) != "Pedro" {
				t.Fatalf("after an override: floor %+v, queue %s", room.Floor, queueNames(room))
			}
			// On behalf of someone with no device.
			mustStatus(t, fac.do("POST", one+"/on-behalf", map[string]any{"account": noDevice.ID, "act": "hand", "raised": true}), http.StatusOK, "on behalf")
			mustStatus(t, fac.do("POST", one+"/on-behalf", map[string]any{"account": w.facA.ID, "act": "hand", "raised": true}), http.StatusBadRequest,
				"on behalf of a facilitator")
			fac.do("GET", one+"/room", nil).json(t, &room)
			if queueNames(room) != "Pedro,Nora" || !room.Queue[1].OnBehalf || len(room.People) != 3 {
				t.Fatalf("queue %s %+v, people %d", queueNames(room), room.Queue, len(room.People))
			}
			// Participants do not see who is present, only how many.
			var seen roomBody
			parC.do("GET", one+"/room", nil).json(t, &seen)
			if len(seen.People) != 0 || seen.Present != 3 || !seen.Me.Votes || seen.Me.Runs {
				t.Fatalf("a participant's room: %+v", seen)
			}
			// A restart over the same store: the same room.
			again := mustServe(t, store)
			c2 := again.client(t)
			c2.mustSignIn(w.facA.Email, password)
			var after roomBody
			c2.do("GET", one+"/room", nil).json(t, &after)
			if after.Seq != room.Seq || queueNames(after) != "Pedro,Nora" || after.Floor == nil || after.Floor.Account != pol.ID {
				t.Fatalf("after a restart: %+v", after)
			}
			entries, _, _ := ts.Store.ListAudit(t.Context(), w.labA.ID, labs.Page{Limit: 200})
			overrides := 0
			for _, e := range entries {
				if e.Action == "workshop.floor_override" {
					overrides++
				}
			}
			if overrides != 1 {
				t.Fatalf("%d overrides in the lab's log, want 1", overrides)
			}
		})
	}
}

// TestIdeaWall: ideas are anonymous by default: the wall, the live
// message and the store's log never name the author, who alone sees the
// idea as theirs; the facilitator themes and hides (the author still sees
// the text and the reason); anyone turns an idea into a proposal draft.
func TestIdeaWall(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		fac := ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		a, aC := ts.participant(t, w.labA, "Aisha", labs.RoleServiceUser, labs.LevelMicro, "")
		_, bC := ts.participant(t, w.labA, "Bo", labs.RoleFrontlineStaff, labs.LevelMeso, "health")
		ws := startWorkshop(t, fac, w.labA)
		one := "/api/workshops/" + ws.ID
		live := follow(bC, ws.ID)
		var idea struct{ ID, Text string }
		r := aC.do("POST", one+"/ideas", map[string]any{"text": "A mentor family for every newcomer"})
		r.json(t, &idea)
		mustStatus(t, r, http.StatusCreated, "post an idea")
		mustStatus(t, aC.do("POST", one+"/ideas", map[string]any{"text": "   "}), http.StatusBadRequest, "an empty idea")
		mustStatus(t, aC.do("POST", one+"/ideas", map[string]any{"text": strings.Repeat("x", 2000)}), http.StatusRequestEntityTooLarge, "a long idea")
		mustStatus(t, fac.do("POST", one+"/ideas", map[string]any{"text": "mine"}), http.StatusForbidden, "a facilitator posts")
		m := live.next("room")
		if strings.Contains(string(m["event"]), a.ID) || strings.Contains(string(m["event"]), "Aisha") ||
			!strings.Contains(string(m["event"]), "mentor family") {
			t.Fatalf("the live idea: %s", m["event"])
		}
		events, err := ts.Store.RoomEvents(t.Context(), ws.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			b, _ := json.Marshal(e)
			if e.Kind == labs.RoomIdeaPost && strings.Contains(string(b), a.ID) {
				t.Fatalf("the stored log names the anonymous author: %s", b)
			}
		}
		var ra, rb roomBody
		aC.do("GET", one+"/room", nil).json(t, &ra)
		bC.do("GET", one+"/room", nil).json(t, &rb)
		if len(ra.Ideas) != 1 || !ra.Ideas[0].Mine || rb.Ideas[0].Mine || rb.Ideas[0].Author != "" {
			t.Fatalf("mine: author sees %+v, another %+v", ra.Ideas, rb.Ideas)
		}
		named := struct{ ID string }{}
		bC.do("POST", one+"/ideas", map[string]any{"text": "Night shifts with two", "named": true}).json(t, &named)
		mustStatus(t, fac.do("PATCH", one+"/ideas/"+named.ID, map[string]any{"theme": "Staff"}), http.StatusOK, "theme")
		mustStatus(t, bC.do("PATCH", one+"/ideas/"+named.ID, map[string]any{"theme": "Mine"}), http.StatusForbidden, "a participant themes")
		mustStatus(t, fac.do("PATCH", one+"/ideas/"+idea.ID, map[string]any{"reason": ""}), http.StatusBadRequest, "hide without a reason")
		mustStatus(t, fac.do("PATCH", one+"/ideas/"+idea.ID, map[string]any{"reason": "Names a family"}), http.StatusOK, "hide")
		aC.do("GET", one+"/room", nil).json(t, &ra)
		bC.do("GET", one+"/room", nil).json(t, &rb)
		if ra.Ideas[0].Text == "" || ra.Ideas[0].Hidden != "Names a family" || rb.Ideas[0].Text != "" || rb.Ideas[0].Hidden == "" {
			t.Fatalf("hidden: the author sees %+v, another %+v", ra.Ideas[0], rb.Ideas[0])
		}
		if rb.Ideas[1].Theme != "Staff" || rb.Ideas[1].Author != "Bo" || !rb.Ideas[1].Named {
			t.Fatalf("the named idea: %+v", rb.Ideas[1])
		}
		mustStatus(t, aC.do("POST", one+"/ideas/"+idea.ID+"/draft", nil), http.StatusConflict, "a draft of a hidden idea")
		var draft struct{ Document, Title string }
		r = aC.do("POST", one+"/ideas/"+named.ID+"/draft", nil)
		r.json(t, &draft)
		mustStatus(t, r, http.StatusCreated, "draft")
		if draft.Title != "Night shifts with two" {
			t.Fatalf("draft %+v", draft)
		}
		mustStatus(t, bC.do("GET", "/api/documents/"+draft.Document, nil), http.StatusOK, "read the draft")
		mustStatus(t, bC.do("POST", one+"/ideas/"+named.ID+"/draft", nil), http.StatusConflict, "a second draft")
		// Not in an ideas phase: no ideas.
		fac.do("POST", one+"/control", map[string]any{"action": "advance"})
		mustStatus(t, aC.do("POST", one+"/ideas", map[string]any{"text": "late"}), http.StatusConflict, "an idea while prioritising")
	})
}

type voteBody struct {
	ID, Status string
	Voters     int
	Voted      *bool
	Anonymous  bool
	Results    *labs.VoteResults
	Ballots    []struct{ Account, Name, Choice string }
}

// TestVotes: one ballot per member under concurrent requests; results
// hidden from everyone until the close, on every channel; per-level results
// suppress small levels and what would give them back; a named vote shows
// names and may turn anonymous; facilitators and outsiders do not vote.
func TestVotes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		fac, outsider := ts.client(t), ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		outsider.mustSignIn(w.mgrB.Email, password)
		type voter struct {
			a labs.Account
			c *client
		}
		var micro, others []voter
		for i := range 4 {
			a, c := ts.participant(t, w.labA, fmt.Sprintf("Micro%d", i), labs.RoleServiceUser, labs.LevelMicro, "")
			micro = append(micro, voter{a, c})
		}
		for i, l := range []labs.StakeholderLevel{labs.LevelMeso, labs.LevelMacro} {
			a, c := ts.participant(t, w.labA, fmt.Sprintf("Other%d", i), labs.RoleManager, l, "housing")
			others = append(others, voter{a, c})
		}
		ws := startWorkshop(t, fac, w.labA)
		one := "/api/workshops/" + ws.ID
		live := micro[0].c.mustDialWS()
		live.send(map[string]any{"type": "follow", "id": 1, "workshop": ws.ID})
		live.next("following")
		watch := follow(fac, ws.ID)

		mustStatus(t, micro[0].c.do("POST", one+"/votes", map[string]any{"question": "Q?", "method": "agree"}), http.StatusForbidden, "a participant opens")
		var v voteBody
		r := fac.do("POST", one+"/votes", map[string]any{"question": "Mentor families first?", "method": "agree"})
		r.json(t, &v)
		mustStatus(t, r, http.StatusCreated, "open")
		if !v.Anonymous {
			t.Fatal("a vote is anonymous unless asked otherwise")
		}
		ballot := "/api/workshops/" + ws.ID + "/votes/" + v.ID + "/ballot"
		mustStatus(t, fac.do("POST", ballot, map[string]any{"choice": "agree"}), http.StatusForbidden, "the facilitator votes")
		mustStatus(t, outsider.do("POST", ballot, map[string]any{"choice": "agree"}), http.StatusNotFound, "an outsider votes")
		mustStatus(t, micro[0].c.do("POST", ballot, map[string]any{"choice": "maybe"}), http.StatusBadRequest, "a wrong choice")
		// Eight tabs of one member at once: one ballot.
		var wg sync.WaitGroup
		statuses := make([]int, 8)
		for i := range statuses {
			wg.Go(func() { statuses[i] = micro[0].c.do("POST", ballot, map[string]any{"choice": "agree"}).Status })
		}
		wg.Wait()
		ok := 0
		for _, s := range statuses {
			if s == http.StatusOK {
				ok++
			} else if s != http.StatusConflict {
				t.Fatalf("a concurrent ballot: %d", s)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of 8 concurrent ballots counted", ok)
		}
		for i, x := range append(micro[1:], others...) {
			choice := []string{"agree", "disagree", "abstain", "agree", "disagree"}[i]
			mustStatus(t, x.c.do("POST", ballot, map[string]any{"choice": choice, "comment": "because " + choice}), http.StatusOK, "vote")
		}
		var list struct{ Items []voteBody }
		fac.do("GET", one+"/votes", nil).json(t, &list)
		if list.Items[0].Voters != 6 || list.Items[0].Results != nil {
			t.Fatalf("open vote as the facilitator reads it: %+v", list.Items[0])
		}
		micro[1].c.do("GET", one+"/votes", nil).json(t, &list)
		if list.Items[0].Voted == nil || !*list.Items[0].Voted {
			t.Fatalf("a voter does not see they voted: %+v", list.Items[0])
		}
		// Nothing live carried a count before the close.
		drain := func(c *wsConn) []string {
			var out []string
			c.send(map[string]any{"type": "ping", "id": 99})
			for {
				m := c.next("vote", "pong")
				if str(m["type"]) == "pong" {
					return out
				}
				out = append(out, string(m["vote"]))
			}
		}
		for _, msg := range append(drain(live), drain(watch)...) {
			if strings.Contains(msg, `"counts"`) || !strings.Contains(msg, `"results":null`) {
				t.Fatalf("a live message before the close: %s", msg)
			}
		}
		var closed voteBody
		r = fac.do("POST", one+"/votes/"+v.ID+"/close", nil)
		r.json(t, &closed)
		mustStatus(t, r, http.StatusOK, "close")
		res := closed.Results
		if res == nil || res.Voters != 6 || res.Counts["agree"] != 3 || res.Counts["disagree"] != 2 || res.Counts["abstain"] != 1 {
			t.Fatalf("results %+v", res)
		}
		// Micro (4) shows; meso (1) and macro (1) are hidden, together 2,
		// so micro is hidden too: total minus micro would give them back.
		for _, l := range res.Levels {
			if !l.Suppressed || l.Counts != nil {
				t.Fatalf("level %s shown: %+v", l.Level, l)
			}
		}
		if m := live.next("vote"); !strings.Contains(string(m["vote"]), `"status":"closed"`) {
			t.Fatalf("the live close: %s", m["vote"])
		}
		mustStatus(t, micro[1].c.do("POST", ballot, map[string]any{"choice": "agree"}), http.StatusConflict, "a ballot after the close")
		mustStatus(t, fac.do("POST", one+"/votes/"+v.ID+"/close", nil), http.StatusConflict, "close twice")

		// A named dot vote: ballots shown with names once closed; turned
		// anonymous while open, the names are gone for good.
		ts.advance(time.Second)
		var named voteBody
		fac.do("POST", one+"/votes", map[string]any{"question": "Which first?", "method": "dots", "options": []string{"Mentors", "Meals"},
			"dots": 3, "anonymous": false}).json(t, &named)
		nb := "/api/workshops/" + ws.ID + "/votes/" + named.ID + "/ballot"
		mustStatus(t, micro[0].c.do("POST", nb, map[string]any{"dots": []int{2, 2}}), http.StatusBadRequest, "too many dots")
		mustStatus(t, micro[0].c.do("POST", nb, map[string]any{"dots": []int{2, 1}}), http.StatusOK, "dots")
		mustStatus(t, fac.do("POST", one+"/on-behalf", map[string]any{"account": micro[1].a.ID, "act": "vote", "vote": named.ID, "dots": []int{0, 3}}),
			http.StatusOK, "a vote on behalf")
		fac.do("POST", one+"/votes/"+named.ID+"/close", nil)
		fac.do("GET", one+"/votes", nil).json(t, &list)
		if len(list.Items[1].Ballots) != 2 || list.Items[1].Results.Counts["Meals"] != 4 {
			t.Fatalf("the named vote: %+v", list.Items[1])
		}
		ts.advance(time.Second)
		var third voteBody
		fac.do("POST", one+"/votes", map[string]any{"question": "Publish?", "method": "agree", "anonymous": false}).json(t, &third)
		micro[0].c.do("POST", "/api/workshops/"+ws.ID+"/votes/"+third.ID+"/ballot", map[string]any{"choice": "agree"})
		mustStatus(t, fac.do("POST", one+"/votes/"+third.ID+"/anonymise", nil), http.StatusOK, "anonymise")
		mustStatus(t, fac.do("POST", one+"/votes/"+third.ID+"/anonymise", nil), http.StatusConflict, "anonymise twice")
		fac.do("POST", one+"/votes/"+third.ID+"/close", nil)
		fac.do("GET", one+"/votes", nil).json(t, &list)
		if !list.Items[2].Anonymous || len(list.Items[2].Ballots) != 0 {
			t.Fatalf("an anonymised vote shows ballots: %+v", list.Items[2])
		}
	})
}

// TestJoinCodeBalanceAndReport: a member finds the workshop by its code
// (nobody else does); the balance is the facilitator's while it runs and
// everyone's, without names, in the report when it ends; the report is a
// lab document, in Markdown and HTML.
func TestJoinCodeBalanceAndReport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		fac, outsider, mgr := ts.client(t), ts.client(t), ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		outsider.mustSignIn(w.mgrB.Email, password)
		mgr.mustSignIn(w.mgrA.Email, password)
		_, pC := ts.participant(t, w.labA, "Quiet", labs.RoleServiceUser, labs.LevelMicro, "")
		ws := startWorkshop(t, fac, w.labA)
		var full struct{ Code string }
		mgr.do("GET", "/api/workshops/"+ws.ID, nil).json(t, &full)
		if len(full.Code) != 6 {
			t.Fatalf("join code %q", full.Code)
		}
		var found struct{ Workshop string }
		r := pC.do("GET", "/api/join/"+strings.ToLower(full.Code), nil)
		r.json(t, &found)
		mustStatus(t, r, http.StatusOK, "join by code")
		if found.Workshop != ws.ID {
			t.Fatalf("found %s", found.Workshop)
		}
		mustStatus(t, outsider.do("GET", "/api/join/"+full.Code, nil), http.StatusNotFound, "an outsider's code")
		mustStatus(t, pC.do("GET", "/api/join/NOPE", nil), http.StatusBadRequest, "a malformed code")
		mustStatus(t, pC.do("POST", "/api/workshops/"+ws.ID+"/join", nil), http.StatusOK, "join")
		mgr.do("POST", "/api/workshops/"+ws.ID+"/ideas", map[string]any{"text": "Named one", "named": true})
		var bal struct {
			Present       int
			NotHeardNames []string
			NotHeardCount int
			Levels        []labs.BalanceGroup
		}
		fac.do("GET", "/api/workshops/"+ws.ID+"/balance", nil).json(t, &bal)
		if bal.Present != 2 || strings.Join(bal.NotHeardNames, ",") != "Quiet" || len(bal.Levels) != 2 {
			t.Fatalf("live balance: %+v", bal)
		}
		mustStatus(t, pC.do("GET", "/api/workshops/"+ws.ID+"/balance", nil), http.StatusForbidden, "a participant's live balance")
		mustStatus(t, pC.do("GET", "/api/workshops/"+ws.ID+"/report", nil), http.StatusConflict, "a report before the end")
		fac.do("POST", "/api/workshops/"+ws.ID+"/control", map[string]any{"action": "end"})
		bal.NotHeardNames = nil
		pC.do("GET", "/api/workshops/"+ws.ID+"/balance", nil).json(t, &bal)
		if bal.NotHeardCount != 1 || bal.NotHeardNames != nil {
			t.Fatalf("the balance after the end, for a participant: %+v", bal)
		}
		r = pC.do("GET", "/api/workshops/"+ws.ID+"/report", nil)
		mustStatus(t, r, http.StatusOK, "report")
		md := string(r.Body)
		for _, want := range []string{"## Agenda as run", "| start |", "## Ideas", "Named one (mgr)", "## Participation balance", "| micro | 1 |"} {
			if !strings.Contains(md, want) {
				t.Fatalf("the report lacks %q:\n%s", want, md)
			}
		}
		doc := r.Header.Get("X-Report-Document")
		mustStatus(t, pC.do("GET", "/api/documents/"+doc, nil), http.StatusOK, "the report document")
		r = pC.do("GET", "/api/workshops/"+ws.ID+"/report?format=html", nil)
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.Body), "<table>") {
			t.Fatalf("html report: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		var again struct{ Items []struct{ ID string } }
		pC.do("GET", "/api/labs/"+w.labA.ID+"/documents", nil).json(t, &again)
		reports := 0
		for _, d := range again.Items {
			if d.ID == doc {
				reports++
			}
		}
		if reports != 1 {
			t.Fatalf("the report is listed %d times", reports)
		}
	})
}
