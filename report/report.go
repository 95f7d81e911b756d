// Package report writes a workshop's session report: the agenda as run,
// the ideas and their themes, the votes and what they decided, the floors
// given past the queue and the participation balance, in Markdown (the
// format lab documents are written in).
package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/linklab/linklab/labs"
)

// Input is what a report is made of. Name gives a member's name in the
// lab.
type Input struct {
	Workshop labs.Workshop
	Room     labs.Room
	Votes    []labs.Vote
	Balance  labs.Balance
	Name     func(account string) string
}

// Markdown writes the report. Everything people typed is escaped, so a
// name or an idea cannot turn into a link, a heading or a table cell.
func Markdown(in Input) string {
	var b strings.Builder
	w := in.Workshop
	fmt.Fprintf(&b, "Session report of **%s**, %s.\n\n", esc(w.Title), w.ScheduledAt.UTC().Format("2 January 2006"))

	b.WriteString("## Agenda as run\n\n")
	b.WriteString("| Time (UTC) | What | Phase |\n|---|---|---|\n")
	for _, e := range in.Room.Run {
		phase := ""
		if e.Phase >= 0 && e.Phase < len(w.Agenda) {
			phase = fmt.Sprintf("%d. %s (%d min planned)", e.Phase+1, esc(w.Agenda[e.Phase].Title), w.Agenda[e.Phase].Minutes)
		}
		what := e.Action
		if e.Action == "extend" {
			what = fmt.Sprintf("extend by %d min", e.Minutes)
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", e.At.UTC().Format("15:04"), what, phase)
	}

	b.WriteString("\n## Ideas\n\n")
	if len(in.Room.Ideas) == 0 {
		b.WriteString("No ideas were posted.\n")
	}
	themes := map[string][]labs.Idea{}
	var order []string
	for _, i := range in.Room.Ideas {
		if _, ok := themes[i.Theme]; !ok {
			order = append(order, i.Theme)
		}
		themes[i.Theme] = append(themes[i.Theme], i)
	}
	slices.SortStableFunc(order, func(a, b string) int { // ungrouped last
		switch {
		case a == b:
			return 0
		case a == "":
			return 1
		case b == "":
			return -1
		}
		return strings.Compare(a, b)
	})
	for _, t := range order {
		if t == "" {
			if len(order) > 1 {
				b.WriteString("\n### Not grouped\n\n")
			}
		} else {
			fmt.Fprintf(&b, "\n### %s\n\n", esc(t))
		}
		for _, i := range themes[t] {
			switch {
			case i.Hidden != "":
				fmt.Fprintf(&b, "- *Hidden by the facilitator: %s*\n", esc(i.Hidden))
			case i.Named:
				fmt.Fprintf(&b, "- %s (%s)\n", esc(i.Text), esc(in.Name(i.Author)))
			default:
				fmt.Fprintf(&b, "- %s\n", esc(i.Text))
			}
		}
	}

	b.WriteString("\n## Votes and decisions\n\n")
	if len(in.Votes) == 0 {
		b.WriteString("No votes were held.\n")
	}
	for _, v := range in.Votes {
		writeVote(&b, v)
	}

	b.WriteString("\n## Floors given past the queue\n\n")
	if len(in.Balance.Overrides) == 0 {
		b.WriteString("Every floor went to the head of the queue.\n")
	}
	for _, t := range in.Balance.Overrides {
		head := "nobody (the queue was empty)"
		if t.Head != "" {
			head = esc(in.Name(t.Head))
		}
		fmt.Fprintf(&b, "- %s: to %s, while %s headed the queue\n", t.Given.UTC().Format("15:04"), esc(in.Name(t.Account)), head)
	}

	b.WriteString("\n## Participation balance\n\n")
	fmt.Fprintf(&b, "%d people took part; %d of them had no turn, no named idea, comment or edit.\n", in.Balance.Present, len(in.Balance.NotHeard))
	for _, g := range []struct {
		title  string
		groups []labs.BalanceGroup
	}{{"Stakeholder level", in.Balance.Levels}, {"Sector", in.Balance.Sectors}, {"Role", in.Balance.Roles}} {
		fmt.Fprintf(&b, "\n### By %s\n\n", strings.ToLower(g.title))
		fmt.Fprintf(&b, "| %s | Present | Share present | Turns | Share of speaking time | Ideas | Comments | Edits |\n|---|---|---|---|---|---|---|---|\n", g.title)
		for _, x := range g.groups {
			key := x.Key
			if key == "" {
				key = "not recorded"
			}
			ideas := fmt.Sprint(x.Ideas)
			if x.AnonymousHidden {
				ideas += "*"
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %d | %s | %s | %d | %d |\n", esc(key), x.Present, pct(x.PresentShare), x.Turns, pct(x.SpeakingShare),
				ideas, x.Comments, x.Edits)
		}
	}
	if slices.ContainsFunc(in.Balance.Levels, func(g labs.BalanceGroup) bool { return g.AnonymousHidden }) {
		fmt.Fprintf(&b, "\n\\* Anonymous ideas of a level with fewer than %d people present are not counted by level.\n", labs.SmallGroup)
	}
	return b.String()
}

func writeVote(b *strings.Builder, v labs.Vote) {
	kind := "anonymous"
	if !v.Anonymous {
		kind = "named"
	}
	fmt.Fprintf(b, "### %s\n\n", esc(v.Question))
	if v.Results == nil {
		fmt.Fprintf(b, "Not closed (%s vote).\n\n", kind)
		return
	}
	r := v.Results
	fmt.Fprintf(b, "%s vote, %d voters, closed %s.", strings.ToUpper(kind[:1])+kind[1:], r.Voters, v.ClosedAt.UTC().Format("15:04"))
	if lead := leading(v.Options, r.Counts); lead != "" {
		fmt.Fprintf(b, " **Decision: %s.**", esc(lead))
	}
	b.WriteString("\n\n| Option | All | Each level weighted equally |")
	for _, l := range r.Levels {
		fmt.Fprintf(b, " %s |", levelName(l.Level))
	}
	b.WriteString("\n|---|---|---|" + strings.Repeat("---|", len(r.Levels)) + "\n")
	for _, o := range v.Options {
		weighted := "–"
		if x, ok := r.Weighted[o]; ok {
			weighted = pct(x)
		}
		fmt.Fprintf(b, "| %s | %d | %s |", esc(o), r.Counts[o], weighted)
		for _, l := range r.Levels {
			if l.Suppressed {
				b.WriteString(" hidden |")
			} else {
				fmt.Fprintf(b, " %d |", l.Counts[o])
			}
		}
		b.WriteString("\n")
	}
	if slices.ContainsFunc(r.Levels, func(l labs.LevelResult) bool { return l.Suppressed }) {
		fmt.Fprintf(b, "\nA level is hidden when fewer than %d voted in it, or when it would let such a level be worked out.\n", labs.SmallGroup)
	}
	if len(r.Comments) > 0 {
		b.WriteString("\nComments:\n\n")
		for _, c := range r.Comments {
			fmt.Fprintf(b, "- %s\n", esc(c))
		}
	}
	b.WriteString("\n")
}

// leading is the option with the most votes, or "" on a tie or no votes.
func leading(options []string, counts map[string]int) string {
	best, n, tie := "", 0, false
	for _, o := range options {
		switch c := counts[o]; {
		case c > n:
			best, n, tie = o, c, false
		case c == n && c > 0:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

func levelName(l labs.StakeholderLevel) string {
	if l == labs.LevelNone {
		return "No level"
	}
	return strings.ToUpper(string(l[:1])) + string(l[1:])
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", x*100) }

// esc makes text typed by people literal in Markdown, on one line.
func esc(s string) string {
	var b strings.Builder
	for _, r := range strings.Join(strings.Fields(s), " ") {
		if strings.ContainsRune("\\`*_{}[]()<>#+-.!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
