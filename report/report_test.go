package report

import (
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/labs"
)

// TestWhatPeopleTypedStaysText: names, ideas and questions cannot become
// links, headings, emphasis or table cells in the rendered report.
func TestWhatPeopleTypedStaysText(t *testing.T) {
	r := content.NewRenderer()
	for _, in := range []string{"[click](https://example.org)", "# Heading", "**bold**", "line\n# break", "<b>x</b>", "https://example.org"} {
		html, err := r.Render("| Idea |\n|---|\n| " + esc(in) + " |\n")
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<a ", "<h1", "<strong>", "<b>", "<td></td>"} {
			if strings.Contains(html, bad) {
				t.Errorf("%q renders as %s", in, html)
			}
		}
		if strings.Count(html, "<td>") != 1 {
			t.Errorf("%q is not one cell: %s", in, html)
		}
	}
}

// TestReportShowsSuppressedLevelsAsHidden: a hidden level is written as
// hidden, never as a number, and the decision is the leading option.
func TestReportShowsSuppressedLevelsAsHidden(t *testing.T) {
	v := labs.Vote{Question: "Mentors?", Method: labs.VoteAgree, Options: labs.AgreeOptions, Anonymous: true, Status: labs.VoteClosed,
		ClosedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	res := v.ResultsOf(labs.Tally{Levels: map[labs.StakeholderLevel]labs.LevelTally{
		labs.LevelMicro: {Voters: 4, Counts: map[string]int{"agree": 4}},
		labs.LevelMacro: {Voters: 1, Counts: map[string]int{"disagree": 1}},
	}})
	v.Results = &res
	md := Markdown(Input{Workshop: labs.Workshop{Title: "W"}, Votes: []labs.Vote{v}, Name: func(string) string { return "" }})
	if !strings.Contains(md, "**Decision: agree.**") || !strings.Contains(md, "| agree | 4 | – | hidden | hidden |") {
		t.Fatalf("report:\n%s", md)
	}
}
