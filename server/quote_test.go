package server

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuoteOf(t *testing.T) {
	long := strings.Repeat("Šķēršļi ", 60) // 480 characters
	for _, c := range []struct {
		in, want string
	}{
		{"", ""},
		{"cd", "cd"},
		{strings.Repeat("a", maxQuote), strings.Repeat("a", maxQuote)},
		{strings.Repeat("a", maxQuote+1), strings.Repeat("a", maxQuote) + "…"},
		{long, strings.TrimSpace(strings.Repeat("Šķēršļi ", 35)) + "…"},
	} {
		got := quoteOf(c.in)
		if got != c.want || !utf8.ValidString(got) || utf8.RuneCountInString(got) > maxQuote+1 {
			t.Errorf("quoteOf(%d characters) = %q, want %q", utf8.RuneCountInString(c.in), got, c.want)
		}
	}
}
