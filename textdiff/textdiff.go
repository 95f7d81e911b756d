// Package textdiff compares two texts word by word: the smallest set of
// words deleted and inserted that turns one into the other (Myers' O(ND)
// algorithm over words and the spaces between them), for showing what
// changed between two versions of a section.
package textdiff

import (
	"strings"
	"unicode"
)

// Kind says what an Op does.
type Kind int

// Op kinds.
const (
	Equal Kind = iota
	Delete
	Insert
)

// Op is a run of text kept, deleted from the old text or inserted.
type Op struct {
	Kind Kind
	Text string
}

// MaxEdits bounds the work: past this many words deleted and inserted,
// the texts are too different for a word diff to help a reader, and the
// changed middle is shown as deleted and inserted whole.
const MaxEdits = 1000

// Words diffs a and b by words.
func Words(a, b string) []Op {
	x, y := Tokens(a), Tokens(b)
	// What the two share at each end takes no search.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var ops []Op
	add := func(k Kind, ts []string) {
		if len(ts) == 0 {
			return
		}
		s := strings.Join(ts, "")
		if n := len(ops); n > 0 && ops[n-1].Kind == k {
			ops[n-1].Text += s
			return
		}
		ops = append(ops, Op{Kind: k, Text: s})
	}
	add(Equal, x[:pre])
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]
	if script, ok := myers(mx, my); ok {
		for _, e := range script {
			add(e.kind, e.tokens)
		}
	} else {
		add(Delete, mx)
		add(Insert, my)
	}
	add(Equal, x[len(x)-suf:])
	return ops
}

// Old and New give back the texts an edit script was made from.
func Old(ops []Op) string { return join(ops, Insert) }

// New is the text the script turns the old one into.
func New(ops []Op) string { return join(ops, Delete) }

func join(ops []Op, skip Kind) string {
	var b strings.Builder
	for _, o := range ops {
		if o.Kind != skip {
			b.WriteString(o.Text)
		}
	}
	return b.String()
}

// Tokens splits s as Words compares it: words, runs of spaces, and single
// other characters (punctuation stands alone, so "staff," and "staff."
// share "staff").
func Tokens(s string) []string {
	var out []string
	start := 0
	class := func(r rune) int {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r):
			return 1
		case unicode.IsSpace(r):
			return 2
		}
		return 3
	}
	prev := 0
	for i, r := range s {
		c := class(r)
		if i > start && (c != prev || c == 3) {
			out = append(out, s[start:i])
			start = i
		}
		prev = c
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

type edit struct {
	kind   Kind
	tokens []string
}

// myers finds a shortest edit script from x to y, or false when it needs
// more than MaxEdits edits. It keeps each round's furthest reaching
// paths, which is O(D²) memory, and walks them back from the end.
func myers(x, y []string) ([]edit, bool) {
	n, m := len(x), len(y)
	if n == 0 && m == 0 {
		return nil, true
	}
	maxD := min(n+m, MaxEdits)
	var trace [][]int // trace[d][k+d] = furthest x on diagonal k after d edits
	v := []int{0, 0}  // for d = -1 conceptually: v[1] = 0 at k = 1
	for d := 0; d <= maxD; d++ {
		next := make([]int, 2*d+1)
		for k := -d; k <= d; k += 2 {
			var xi int
			// Down (insert) from k+1, or right (delete) from k-1.
			if k == -d || (k != d && at(v, d-1, k-1) < at(v, d-1, k+1)) {
				xi = at(v, d-1, k+1)
			} else {
				xi = at(v, d-1, k-1) + 1
			}
			yi := xi - k
			for xi < n && yi < m && x[xi] == y[yi] {
				xi++
				yi++
			}
			next[k+d] = xi
			if xi >= n && yi >= m {
				trace = append(trace, next)
				return backtrack(trace, x, y), true
			}
		}
		trace = append(trace, next)
		v = next
	}
	return nil, false
}

// at reads the furthest x on diagonal k after d edits (d = -1 is the
// start, where diagonal 1 begins at x = 0 so that round 0 starts at 0).
func at(v []int, d, k int) int {
	if d < 0 {
		return 0
	}
	return v[k+d]
}

func backtrack(trace [][]int, x, y []string) []edit {
	var rev []edit
	push := func(k Kind, ts []string) {
		if len(ts) == 0 {
			return
		}
		if n := len(rev); n > 0 && rev[n-1].kind == k {
			rev[n-1].tokens = append(append([]string(nil), ts...), rev[n-1].tokens...)
			return
		}
		rev = append(rev, edit{kind: k, tokens: ts})
	}
	xi, yi := len(x), len(y)
	for d := len(trace) - 1; d >= 0; d-- {
		k := xi - yi
		if d == 0 {
			push(Equal, x[:xi])
			break
		}
		prev := trace[d-1]
		var pk int
		if k == -d || (k != d && prev[k-1+d-1] < prev[k+1+d-1]) {
			pk = k + 1 // came down: an insertion
		} else {
			pk = k - 1 // came right: a deletion
		}
		px := prev[pk+d-1]
		py := px - pk
		// The snake after the edit, then the edit itself.
		sx := px // after an insertion the snake starts where it was
		if pk != k+1 {
			sx = px + 1 // after a deletion, one word on
		}
		push(Equal, x[sx:xi])
		if pk == k+1 {
			push(Insert, y[py:py+1])
		} else {
			push(Delete, x[px:px+1])
		}
		xi, yi = px, py
	}
	out := make([]edit, len(rev))
	for i, e := range rev {
		out[len(rev)-1-i] = e
	}
	return out
}
