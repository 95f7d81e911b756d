package textsearch

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestFoldWord(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Staff", "staff"},
		{"Ćirić", "ciric"},
		{"Ћирић", "ciric"},
		{"Đorđević", "djordjevic"},
		{"Ђорђевић", "djordjevic"},
		{"Djordjevic", "djordjevic"},
		{"Љубљана", "ljubljana"},
		{"Џеп", "dzep"},
		{"džep", "dzep"},
		{"Socijalna", "socijalna"},
		{"Социјална", "socijalna"},
		{"zaštita", "zastita"},
		{"заштита", "zastita"},
		{"Latvijā", "latvija"},
		{"ķēniņš", "kenins"},
		{"Ļaudis", "laudis"},
		{"Slovenščina", "slovenscina"},
		{"Tromsø", "tromso"},
		{"Kjærlighet", "kjaerlighet"},
		{"Straße", "strasse"},
		{"2023", "2023"},
	} {
		if got := FoldWord(tc.in); got != tc.want {
			t.Errorf("FoldWord(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWordsKeepOffsets(t *testing.T) {
	text := "## Кадрови: staff shortage — 40 %\n\n*Ljubljana*'s plan"
	ws := Words(text)
	var got []string
	for _, w := range ws {
		got = append(got, text[w.Start:w.End]+"="+w.Folded)
	}
	want := []string{"Кадрови=kadrovi", "staff=staff", "shortage=shortage", "40=40", "Ljubljana=ljubljana", "s=s", "plan=plan"}
	if !slices.Equal(got, want) {
		t.Fatalf("Words = %q, want %q", got, want)
	}
	if f := Fold(text); f != "kadrovi staff shortage 40 ljubljana s plan" {
		t.Fatalf("Fold = %q", f)
	}
}

func TestTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Staff  shortage", []string{"staff", "shortage"}},
		{"a staff STAFF", []string{"staff"}},
		{"Кадрови", []string{"kadrovi"}},
		{"\"); DROP TABLE x; --", []string{"drop", "table"}},
		{"x y", nil},
		{strings.Repeat("word ", 3) + "one two three four five six seven eight nine", []string{"word", "one", "two", "three", "four", "five", "six", "seven"}},
	} {
		if got := Terms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Terms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func join(segs []Segment) (text string, hits []string) {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
		if s.Hit {
			hits = append(hits, s.Text)
		}
	}
	return b.String(), hits
}

func TestSnippet(t *testing.T) {
	text := "# Staff\n\nThe **municipalities** lack qualified staff.\nKadrovi: nedostatak osoblja u opštinama, Кадрови су проблем."
	segs := Snippet(text, Terms("kadrovi opstin"), 8)
	got, hits := join(segs)
	if want := []string{"Kadrovi", "opštinama", "Кадрови"}; !slices.Equal(hits, want) {
		t.Fatalf("hits = %q, want %q (%q)", hits, want, got)
	}
	if !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, " …") {
		t.Fatalf("snippet %q should say text was left out at both ends", got)
	}
	if strings.ContainsAny(got, "*#\n") {
		t.Fatalf("snippet %q keeps Markdown marks or line breaks", got)
	}
	// No hit: the start of the text, unmarked.
	got, hits = join(Snippet(text, Terms("legislation"), 4))
	if hits != nil || got != "Staff The municipalities lack …" {
		t.Fatalf("snippet without a hit = %q %q", got, hits)
	}
	// The whole text: its opening and closing marks stay.
	if got, _ := join(Snippet("«Formal care givers (staff).»", Terms("staff"), 10)); got != "«Formal care givers (staff).»" {
		t.Fatalf("whole-text snippet = %q", got)
	}
	if Snippet("", []string{"x"}, 5) != nil {
		t.Fatal("empty text has a snippet")
	}
}

// TestSnippetRandom checks, on random texts, that a snippet is made of
// the text's own words in order, marks exactly the words the terms find,
// and holds at most width words.
func TestSnippetRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 15))
	vocab := []string{"staff", "Štab", "кадрови", "kadrovi", "trust", "**bold**", "#", "-", "\n", "  ", "zakon", "Закон", "ō"}
	for range 500 {
		var b strings.Builder
		for range rng.IntN(60) {
			b.WriteString(vocab[rng.IntN(len(vocab))])
			b.WriteString([]string{" ", "\n", ", ", ""}[rng.IntN(4)])
		}
		text := b.String()
		terms := Terms(vocab[rng.IntN(len(vocab))] + " " + vocab[rng.IntN(len(vocab))])
		width := 1 + rng.IntN(20)
		segs := Snippet(text, terms, width)
		words := 0
		for _, s := range segs {
			ws := Words(s.Text)
			words += len(ws)
			if s.Hit && (len(ws) != 1 || !Matches(ws[0].Folded, terms)) {
				t.Fatalf("segment %q marked as a hit for %q", s.Text, terms)
			}
			if !s.Hit {
				for _, w := range ws {
					if Matches(w.Folded, terms) {
						t.Fatalf("found word %q in %q left unmarked", s.Text[w.Start:w.End], s.Text)
					}
				}
			}
		}
		if words > width {
			t.Fatalf("snippet of %d words for width %d", words, width)
		}
		all := Words(text)
		if len(all) > 0 && words != min(width, len(all)) {
			t.Fatalf("snippet of %d words, want %d", words, min(width, len(all)))
		}
	}
}

func TestScore(t *testing.T) {
	terms := Terms("staff trust")
	if a, b := Score("staff and trust", terms), Score("staff staff staff", terms); a <= b {
		t.Fatalf("both terms once (%d) should rank above one term thrice (%d)", a, b)
	}
	if Score("nothing here", terms) != 0 {
		t.Fatal("a text without the terms scores")
	}
}
