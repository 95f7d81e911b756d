package realtime_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/linklab/linklab/realtime"
)

func TestParseRefusesHostileChangeSets(t *testing.T) {
	scenarios := []struct{ name, json string }{
		{"not JSON", `[1, `},
		{"an object", `{"from": 1}`},
		{"a string", `"abc"`},
		{"negative length", `[-1]`},
		{"fractional length", `[1.5]`},
		{"huge length", `[1e300]`},
		{"string as length", `["3"]`},
		{"empty replacement array", `[[]]`},
		{"number as inserted line", `[[0, 5]]`},
		{"lone high surrogate", `[[0, "\ud83d"]]`},
		{"lone low surrogate", `[[0, "a\ude00b"]]`},
		{"bad escape", `[[0, "\x"]]`},
		{"too much inserted", `[[0, "` + strings.Repeat("a", realtime.MaxInserted+1) + `"]]`},
		{"too many sections", `[` + strings.Repeat(`1,`, realtime.MaxSections) + `1]`},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			if _, err := realtime.ParseChangeSet([]byte(sc.json)); !errors.Is(err, realtime.ErrMalformed) {
				t.Fatalf("ParseChangeSet(%.60s) = %v, want ErrMalformed", sc.json, err)
			}
		})
	}
	// A pair written as two escapes is one well-formed character.
	c, err := realtime.ParseChangeSet([]byte(`[[0, "\ud83d\ude00"]]`))
	if err != nil || c.NewLen() != 2 {
		t.Fatalf("escaped pair: %v, new length %d", err, c.NewLen())
	}
}

func TestApplyAndBoundaries(t *testing.T) {
	doc := realtime.TextOf("a👍b")
	wrong := realtime.TextOf("a")
	c, _ := realtime.ParseChangeSet([]byte(`[2, [1], 1]`)) // deletes the low half of 👍
	if _, err := c.Apply(wrong); !errors.Is(err, realtime.ErrMalformed) {
		t.Fatalf("apply to a text of another length: %v", err)
	}
	if err := c.CheckBoundaries(doc); !errors.Is(err, realtime.ErrMalformed) {
		t.Fatalf("a change splitting a surrogate pair passed: %v", err)
	}
	ok, _ := realtime.ParseChangeSet([]byte(`[1, [2, "🎉"], 1]`))
	if err := ok.CheckBoundaries(doc); err != nil {
		t.Fatal(err)
	}
	got, err := ok.Apply(doc)
	if err != nil || got.String() != "a🎉b" {
		t.Fatalf("apply = %q, %v", got.String(), err)
	}
	crlf, _ := realtime.ParseChangeSet([]byte(`[4, [0, "x\r", "y"]]`))
	got, _ = crlf.Apply(doc)
	if got.String() != "a👍bx\r\ny" || len(got) != 8 {
		t.Fatalf("CRLF insert = %q (length %d)", got.String(), len(got))
	}
}

// TestMappingOneAtATimeIsNotMappingTheComposition is the trap from the
// issue: on "abcdef", a client inserts "Y" after "b" while A deletes "bcd"
// and then B inserts "X" where it was. Mapped over A then B one at a time,
// Y lands after X; the server must do exactly that, as the client does.
func TestMappingOneAtATimeIsNotMappingTheComposition(t *testing.T) {
	y, _ := realtime.ParseChangeSet([]byte(`[2, [0, "Y"], 4]`))
	a, _ := realtime.ParseChangeSet([]byte(`[1, [3], 2]`))
	b, _ := realtime.ParseChangeSet([]byte(`[1, [0, "X"], 2]`))
	doc := realtime.TextOf("abcdef")
	afterA, _ := a.Apply(doc)
	afterB, _ := b.Apply(afterA)
	mapped := y.Map(a, false).Map(b, false)
	got, err := mapped.Apply(afterB)
	if err != nil || got.String() != "aXYef" {
		t.Fatalf("one at a time: %q (%v), want aXYef", got.String(), err)
	}
}
