package textdiff_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/textdiff"
)

func TestWordsTable(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"", "", ""},
		{"same text", "same text", "=same text"},
		{"staff are short", "staff are very short", "=staff are |+very |=short"},
		{"staff are short.", "staff are short,", "=staff are short|-.|+,"},
		{"one two three", "", "-one two three"},
		{"", "new", "+new"},
		{"Norway has a social-democratic model", "Norway has a hybrid model", "=Norway has a |-social-democratic|+hybrid|= model"},
		{"čćž đ", "čćž ђ", "=čćž |-đ|+ђ"},
	} {
		if got := show(textdiff.Words(tc.a, tc.b)); got != tc.want {
			t.Errorf("Words(%q, %q) = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
}

func show(ops []textdiff.Op) string {
	var out []string
	for _, o := range ops {
		out = append(out, string("=-+"[o.Kind])+o.Text)
	}
	return strings.Join(out, "|")
}

// TestWordsProperties: for random texts and random edits of them, the
// script gives back both texts, never has two runs of one kind in a row,
// and keeps as many words as the longest common subsequence (it is a
// shortest script).
func TestWordsProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(testseed.Seed(t), 7))
	vocab := []string{"staff", "trust", "law", "care", "a", "the", ",", ".", " ", " ", "\n", "ø", "ђ"}
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(vocab[rng.IntN(len(vocab))])
		}
		return b.String()
	}
	for i := range 2000 {
		a := text(rng.IntN(40))
		b := a
		for range rng.IntN(5) {
			at := rng.IntN(len(b) + 1)
			for at > 0 && at < len(b) && (b[at]&0xC0) == 0x80 {
				at--
			}
			end := min(len(b), at+rng.IntN(6))
			for end < len(b) && (b[end]&0xC0) == 0x80 {
				end++
			}
			b = b[:at] + text(rng.IntN(4)) + b[end:]
		}
		ops := textdiff.Words(a, b)
		if textdiff.Old(ops) != a || textdiff.New(ops) != b {
			t.Fatalf("case %d: %q → %q gives back %q → %q", i, a, b, textdiff.Old(ops), textdiff.New(ops))
		}
		kept := 0
		for j, o := range ops {
			if j > 0 && ops[j-1].Kind == o.Kind || o.Text == "" {
				t.Fatalf("case %d: runs not merged: %s", i, show(ops))
			}
			if o.Kind == textdiff.Equal {
				kept += len(textdiff.Tokens(o.Text))
			}
		}
		if want := lcs(textdiff.Tokens(a), textdiff.Tokens(b)); kept != want {
			t.Fatalf("case %d: %q → %q keeps %d tokens, the longest common subsequence has %d: %s", i, a, b, kept, want, show(ops))
		}
	}
}

func lcs(x, y []string) int {
	dp := make([][]int, len(x)+1)
	for i := range dp {
		dp[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// TestTooDifferent: past MaxEdits the changed middle is replaced whole,
// still giving back both texts.
func TestTooDifferent(t *testing.T) {
	a := strings.Repeat("a ", textdiff.MaxEdits)
	b := strings.Repeat("b ", textdiff.MaxEdits)
	ops := textdiff.Words("start "+a+"end", "start "+b+"end")
	if textdiff.Old(ops) != "start "+a+"end" || textdiff.New(ops) != "start "+b+"end" || len(ops) > 4 {
		t.Fatalf("%d ops", len(ops))
	}
}

// BenchmarkWords: a section of the largest size (about 256,000 characters
// of prose) with a few edits, and two unrelated texts of 20,000 words,
// where the search stops at MaxEdits.
func BenchmarkWords(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"staff", "trust", "legislation", "families", "services", "municipality", "care", "the", "and", "of"}
	text := func(n int) string {
		var s strings.Builder
		for range n {
			s.WriteString(words[rng.IntN(len(words))])
			s.WriteString(" ")
		}
		return s.String()
	}
	big := text(32000)
	edited := big[:50000] + "a new sentence here " + big[50000:120000] + big[121000:]
	b.Run("large-few-edits", func(b *testing.B) {
		for b.Loop() {
			textdiff.Words(big, edited)
		}
	})
	x, y := text(20000), text(20000)
	b.Run("unrelated-20000-words", func(b *testing.B) {
		for b.Loop() {
			textdiff.Words(x, y)
		}
	})
}
