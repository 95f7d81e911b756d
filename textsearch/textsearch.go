// Package textsearch is what both store engines' search needs to agree
// on: how text becomes the words an index holds (folded, so that "Ćirić",
// "Ciric" and "Ћирић" are one word), how a query becomes terms, and how a
// hit is shown as a snippet with its words marked.
//
// Folding is done here, not by an engine's tokenizer, because no engine
// folds Serbian Cyrillic into Latin, and because both engines must find the
// same things for the same query.
package textsearch

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of a query.
const (
	MaxQueryRunes = 200
	MaxTerms      = 8
	MinTermRunes  = 2
)

// cyrillic maps the Cyrillic letters of the LINK languages (Serbian, and
// the Russian and Ukrainian letters a name may bring) to the Latin
// letters Serbian writes them with. The Latin results are folded further
// with every other word, so ć, č, š, ž lose their marks there.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'ђ': "dj", 'е': "e", 'ж': "ž", 'з': "z", 'и': "i",
	'ј': "j", 'к': "k", 'л': "l", 'љ': "lj", 'м': "m", 'н': "n", 'њ': "nj", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'ћ': "ć", 'у': "u", 'ф': "f", 'х': "h", 'ц': "c", 'ч': "č", 'џ': "dž", 'ш': "š",
	'й': "j", 'ё': "e", 'ы': "y", 'э': "e", 'ю': "ju", 'я': "ja", 'щ': "šč", 'ъ': "", 'ь': "",
	'і': "i", 'ї': "ji", 'є': "je", 'ґ': "g", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
}

// latin maps the Latin letters that carry no combining mark to fold away.
// đ is written dj where a keyboard lacks it, as Serbian Cyrillic ђ is.
var latin = map[rune]string{
	'đ': "dj", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'ł': "l", 'þ': "th", 'ð': "d", 'ı': "i", 'ŀ': "l",
}

// isWord reports whether r belongs to a word.
func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// FoldWord folds one word: lower case, Cyrillic written in Latin, marks
// removed. Only letters and digits remain.
func FoldWord(w string) string {
	if ascii(w) {
		return strings.Map(func(r rune) rune {
			switch {
			case 'A' <= r && r <= 'Z':
				return r + 'a' - 'A'
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				return r
			}
			return -1
		}, w)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		if s, ok := cyrillic[r]; ok {
			b.WriteString(s)
		} else if s, ok := latin[r]; ok {
			b.WriteString(s)
		} else {
			b.WriteRune(r)
		}
	}
	// Once more, for what the maps brought in (ž, ć, č, š).
	var out strings.Builder
	for _, r := range norm.NFD.String(b.String()) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out.WriteRune(r)
		}
	}
	return out.String()
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Word is one word of a text: its bytes [Start, End) and its folded form.
type Word struct {
	Start, End int
	Folded     string
}

// Words splits text into its words, in order.
func Words(text string) []Word {
	var out []Word
	start := -1
	for i, r := range text {
		switch {
		case isWord(r) && start < 0:
			start = i
		case !isWord(r) && start >= 0:
			out = appendWord(out, text, start, i)
			start = -1
		}
	}
	if start >= 0 {
		out = appendWord(out, text, start, len(text))
	}
	return out
}

func appendWord(out []Word, text string, start, end int) []Word {
	if f := FoldWord(text[start:end]); f != "" {
		out = append(out, Word{Start: start, End: end, Folded: f})
	}
	return out
}

// Fold returns the text as an index holds it: its folded words, separated
// by single spaces.
func Fold(text string) string {
	ws := Words(text)
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Folded
	}
	return strings.Join(parts, " ")
}

// Terms returns a query's folded terms, each at least MinTermRunes long,
// without repeats, at most MaxTerms. A term matches a word it begins
// ("staf" finds "staff"), so people find what they are still typing.
func Terms(query string) []string {
	var out []string
	for _, w := range Words(query) {
		if utf8.RuneCountInString(w.Folded) < MinTermRunes || contains(out, w.Folded) {
			continue
		}
		out = append(out, w.Folded)
		if len(out) == MaxTerms {
			break
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Matches reports whether a folded word is found by one of the terms.
func Matches(folded string, terms []string) bool {
	for _, t := range terms {
		if strings.HasPrefix(folded, t) {
			return true
		}
	}
	return false
}

// Score counts how many of the text's words the terms find, with a bonus
// for each distinct term found, for ranking where the engine cannot.
func Score(folded string, terms []string) int {
	found := make([]bool, len(terms))
	n := 0
	for _, w := range strings.Fields(folded) {
		for i, t := range terms {
			if strings.HasPrefix(w, t) {
				found[i] = true
				n++
			}
		}
	}
	for _, f := range found {
		if f {
			n += 10
		}
	}
	return n
}

// Segment is a piece of a snippet; Hit marks a word the query found.
type Segment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// Snippet returns about width words of text around its first word the
// terms find (the start of the text when none does), with the found words
// as segments of their own, and "…" where text was left out. What lies
// between words becomes one line (see gap).
func Snippet(text string, terms []string, width int) []Segment {
	ws := Words(text)
	if len(ws) == 0 {
		return nil
	}
	first := 0
	for i, w := range ws {
		if Matches(w.Folded, terms) {
			first = i
			break
		}
	}
	from := max(0, first-width/3)
	to := min(len(ws), from+width)
	from = max(0, min(from, to-width))
	var out []Segment
	add := func(s string, hit bool) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && !out[n-1].Hit && !hit {
			out[n-1].Text += s
			return
		}
		out = append(out, Segment{Text: s, Hit: hit})
	}
	if from > 0 {
		add("… ", false)
	} else if lead := strings.TrimSpace(gap(text[:ws[0].Start])); lead != "" {
		add(lead, false) // an opening bracket or quote
	}
	for i := from; i < to; i++ {
		w := ws[i]
		add(text[w.Start:w.End], Matches(w.Folded, terms))
		if i+1 < to {
			add(gap(text[w.End:ws[i+1].Start]), false)
		}
	}
	if to < len(ws) {
		add(" …", false)
	} else if tail := strings.TrimSpace(gap(text[ws[to-1].End:])); tail != "" {
		add(tail, false) // the closing full stop or bracket
	}
	return out
}

// gap is the text between two words as a snippet shows it: punctuation
// kept, Markdown's marks and line breaks as one space.
func gap(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("#*_`>|~", r) {
			return ' '
		}
		return r
	}, s)
	if strings.TrimSpace(s) == "" {
		return " "
	}
	lead, trail := "", ""
	if strings.HasPrefix(s, " ") {
		lead = " "
	}
	if strings.HasSuffix(s, " ") {
		trail = " "
	}
	return lead + strings.Join(strings.Fields(s), " ") + trail
}
