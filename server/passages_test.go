package server_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/linklab/linklab/demo"
	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/labs"
)

// TestTagsAndCitationsFollowRandomEdits: a baseline section of unique
// words is tagged and cited on random passages, then edited at random
// over the real-time protocol (words deleted, words inserted, at the
// passages' ends and inside). After every edit, each tag covers exactly
// the words of its passage that are left, with what was inserted between
// them, and is orphaned once none are left; each citation says "same"
// exactly while those words read as they were cited, "changed" otherwise,
// and "gone" once they were all deleted.
func TestTagsAndCitationsFollowRandomEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(testseed.Seed(t), 15))
	_, as := withDemo(t, engines[0].open)
	no, partner := as(demo.Email(labs.RoleManager, "no")), as(demo.PartnerEmail)
	doc, sec := baselineSection(t, no, "NO", "welfare-model")

	// The text is words joined by single spaces; each word is unique.
	words := make([]string, 30)
	for i := range words {
		words[i] = fmt.Sprintf("w%02d", i)
	}
	text := func() string { return strings.Join(words, " ") }
	start := func(i int) int { return len(strings.Join(words[:i], " ")) + min(i, 1) }
	end := func(i int) int { return start(i) + len(words[i]) }
	version := pushText(t, no, doc, sec, text())

	var themes struct{ Items []struct{ ID string } }
	no.do("GET", "/api/themes", nil).json(t, &themes)
	var syn docDetail
	r := partner.do("POST", "/api/network/documents", map[string]any{"title": "Random passages"})
	r.json(t, &syn)
	mustStatus(t, r, http.StatusCreated, "a synthesis")

	type passage struct {
		id    string
		words []string // the original words of the passage
		cited string   // a citation's quote as cited
	}
	randomPassage := func() (from, to int, ws []string) {
		i := rng.IntN(len(words))
		j := i + rng.IntN(min(5, len(words)-i))
		return start(i), end(j), slices.Clone(words[i : j+1])
	}
	var tags, cites []passage
	for range 6 {
		from, to, ws := randomPassage()
		r := no.do("POST", "/api/documents/"+doc+"/tags", map[string]any{"sectionId": sec, "themeId": themes.Items[0].ID, "from": from, "to": to, "version": version})
		mustStatus(t, r, http.StatusCreated, "tag")
		var tg struct{ ID string }
		r.json(t, &tg)
		tags = append(tags, passage{id: tg.ID, words: ws})

		from, to, ws = randomPassage()
		r = partner.do("POST", "/api/documents/"+syn.ID+"/citations", map[string]any{"sourceId": doc, "sectionId": sec, "from": from, "to": to, "version": version})
		mustStatus(t, r, http.StatusCreated, "cite")
		var cit citationBody
		r.json(t, &cit)
		cites = append(cites, passage{id: cit.ID, words: ws, cited: cit.CitedQuote})
	}

	// expected is what is left of a passage: the text from its first word
	// left to its last, or "" when none is. (The server keeps characters,
	// not words: a space of the passage whose next word was deleted stays
	// at its end, so quotes are compared without spaces at their ends.)
	expected := func(p passage) string {
		first, last := -1, -1
		for i, w := range words {
			if slices.Contains(p.words, w) {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			return ""
		}
		return text()[start(first):end(last)]
	}
	fresh := 0
	for round := range 14 {
		// An edit: delete one to four words, or insert one or two.
		if rng.IntN(2) == 0 && len(words) > 6 {
			i := rng.IntN(len(words) - 1)
			j := min(len(words)-1, i+rng.IntN(4))
			from, to := start(i), start(min(j+1, len(words))) // with the space after
			if j == len(words)-1 {
				from, to = end(i-1), end(j) // the last words, with the space before
			}
			pushChange(t, no, doc, sec, func(length int) string { return changeJSON(from, fmt.Sprintf(`[%d]`, to-from), length-to) })
			words = slices.Delete(words, i, j+1)
		} else {
			i := rng.IntN(len(words) + 1)
			var ins []string
			for range 1 + rng.IntN(2) {
				fresh++
				ins = append(ins, fmt.Sprintf("n%02d", fresh))
			}
			at, add := 0, strings.Join(ins, " ")+" "
			if i == len(words) {
				at, add = len(text()), " "+strings.Join(ins, " ")
			} else {
				at = start(i)
			}
			pushChange(t, no, doc, sec, func(length int) string { return changeJSON(at, fmt.Sprintf(`[0,%q]`, add), length-at) })
			// Words inserted inside a passage (not at its ends) are its own.
			for _, ps := range [][]passage{tags, cites} {
				for k := range ps {
					first, last := -1, -1
					for x, w := range words {
						if slices.Contains(ps[k].words, w) {
							first, last = cmp.Or(first+1, x+1)-1, x
						}
					}
					if first >= 0 && first < i && i <= last {
						ps[k].words = append(ps[k].words, ins...)
					}
				}
			}
			words = slices.Insert(words, i, ins...)
		}

		var gotTags struct {
			Items []struct {
				ID, Quote string
				Orphaned  bool
			}
		}
		no.do("GET", "/api/documents/"+doc+"/tags", nil).json(t, &gotTags)
		for _, p := range tags {
			i := slices.IndexFunc(gotTags.Items, func(x struct {
				ID, Quote string
				Orphaned  bool
			}) bool {
				return x.ID == p.id
			})
			if i < 0 {
				t.Fatalf("round %d: tag %s lost", round, p.id)
			}
			got, want := gotTags.Items[i], expected(p)
			if want == "" && !got.Orphaned || want != "" && (got.Orphaned || strings.TrimSpace(got.Quote) != want) {
				t.Fatalf("round %d: tag on %v reads %q (orphaned %v), want %q in %q", round, p.words, got.Quote, got.Orphaned, want, text())
			}
		}
		var gotCites struct{ Items []citationBody }
		partner.do("GET", "/api/documents/"+syn.ID+"/citations", nil).json(t, &gotCites)
		for _, p := range cites {
			i := slices.IndexFunc(gotCites.Items, func(x citationBody) bool { return x.ID == p.id })
			if i < 0 {
				t.Fatalf("round %d: citation %s lost", round, p.id)
			}
			got, want := gotCites.Items[i], expected(p)
			status := "changed"
			switch want {
			case "":
				status = "gone"
			case p.cited:
				status = "same"
			}
			if got.Status != status || want != "" && strings.TrimSpace(got.Quote) != want {
				t.Fatalf("round %d: citation of %q reads %q (%s), want %q (%s) in %q", round, p.cited, got.Quote, got.Status, want, status, text())
			}
		}
	}
}

// changeJSON is a change set that keeps before characters, makes the
// replacement, and keeps after characters (a length of 0 is left out).
func changeJSON(before int, replace string, after int) string {
	parts := []string{replace}
	if before > 0 {
		parts = append([]string{fmt.Sprint(before)}, parts...)
	}
	if after > 0 {
		parts = append(parts, fmt.Sprint(after))
	}
	return "[" + strings.Join(parts, ",") + "]"
}
