package realtime_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/realtime"
)

// TestMapRangeKeepsTheWords: a passage of a text edited many times over
// with random change sets (several edits each, deletions, insertions and
// replacements, some at its ends) stays on the words the edits kept: from
// the first kept character of the passage to the last, with what was
// inserted between them, and without what was inserted at its ends; when
// none is kept, it is orphaned and stays so. Each original character is
// unique, so which survived is known without the function under test.
func TestMapRangeKeepsTheWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(testseed.Seed(t), 11))
	orphaned, kept := 0, 0
	for round := range 3000 {
		// Every character is unique: originals CJK, insertions Hangul.
		var orig []rune
		for i := range 5 + rng.IntN(40) {
			orig = append(orig, rune(0x4E00+i))
		}
		text := string(orig)
		start := rng.IntN(len(orig))
		end := start + 1 + rng.IntN(len(orig)-start)
		inRange := map[rune]bool{}
		for _, r := range orig[start:end] {
			inRange[r] = true
		}
		ok := true
		fresh := rune(0xAC00) // inserted characters are unique too
		for step := range 1 + rng.IntN(6) {
			cs := randomChangeSet(rng, []rune(text), &fresh)
			next, err := cs.Apply(realtime.TextOf(text))
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				start, end, ok = cs.MapRange(start, end)
			} else {
				start = cs.MapPos(start, -1)
				end = start
			}
			text = next.String()
			rs := []rune(text)
			// The truth: the first and last surviving characters of the
			// passage, which now takes in what lies between them.
			first, last := -1, -1
			for i, r := range rs {
				if inRange[r] {
					if first < 0 {
						first = i
					}
					last = i + 1
				}
			}
			if first < 0 {
				if ok || start != end {
					t.Fatalf("round %d step %d: every word is gone, yet the range is %d–%d (ok %v) in %q", round, step, start, end, ok, text)
				}
				break
			}
			if !ok || start != first || end != last {
				t.Fatalf("round %d step %d: range %d–%d (ok %v), the kept words are at %d–%d in %q", round, step, start, end, ok, first, last, text)
			}
			for _, r := range rs[first:last] {
				inRange[r] = true // what was inserted between is the passage's now
			}
		}
		if ok {
			kept++
		} else {
			orphaned++
		}
	}
	if kept < 300 || orphaned < 300 {
		t.Fatalf("the cases did not cover both outcomes: %d kept, %d orphaned", kept, orphaned)
	}
}

// randomChangeSet makes one change set of several disjoint edits of a
// text of BMP characters (one UTF-16 unit each).
func randomChangeSet(rng *rand.Rand, text []rune, fresh *rune) realtime.ChangeSet {
	var parts []string
	pos := 0
	for pos < len(text) || len(parts) == 0 {
		keep := rng.IntN(len(text) - pos + 1)
		if keep > 0 {
			parts = append(parts, fmt.Sprint(keep))
			pos += keep
		}
		del := 0
		if pos < len(text) {
			del = rng.IntN(min(6, len(text)-pos) + 1)
		}
		ins := ""
		if rng.IntN(2) == 0 {
			for range 1 + rng.IntN(4) {
				ins += string(*fresh)
				*fresh++
			}
		}
		if del > 0 || ins != "" {
			parts = append(parts, fmt.Sprintf("[%d,%q]", del, ins))
			pos += del
		}
		if rng.IntN(3) == 0 && pos < len(text) {
			parts = append(parts, fmt.Sprint(len(text)-pos))
			pos = len(text)
		}
	}
	cs, err := realtime.ParseChangeSet([]byte("[" + strings.Join(parts, ",") + "]"))
	if err != nil {
		panic(fmt.Sprintf("%v: [%s]", err, strings.Join(parts, ",")))
	}
	return cs
}
