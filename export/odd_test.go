package export_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/export"
	"github.com/linklab/linklab/internal/pdftext"
)

// TestPDFOddText: characters the fonts do not have (emoji, CJK, Arabic),
// control characters, very long words and empty parts make a PDF all the
// same; what the fonts have reads back as written.
func TestPDFOddText(t *testing.T) {
	d := export.Doc{Title: "Odd 👍 漢字", Banner: "x", Parts: []export.Part{
		{Title: "Emoji", Level: 1, Markdown: "Families 👨‍👩‍👧 and 漢字 and مرحبا and \u0000\u0007 tabs\tand e\u0301 combining."},
		{Title: "", Level: 2, Markdown: ""},
		{Title: "Long", Level: 1, Markdown: strings.Repeat("x", 5000) + " end"},
	}}
	var b bytes.Buffer
	if err := export.PDF(&b, d, content.NewRenderer()); err != nil {
		t.Fatal(err)
	}
	text := pdftext.Read(t, b.Bytes())
	for _, want := range []string{"Odd □ □□", "Families □□□ and □□ and □□□□□ and tabs and é combining.", "end"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}

// FuzzPDF: whatever Markdown people write, the PDF is made.
func FuzzPDF(f *testing.F) {
	for _, seed := range []string{"", "# h\n\n- a\n  - b\n\n> q\n\n```\nc\n```", "| a |\n|---|\n| \u0000 |", strings.Repeat("*", 300), "🇳🇴\r\n\tx"} {
		f.Add(seed)
	}
	r := content.NewRenderer()
	f.Fuzz(func(t *testing.T, md string) {
		var b bytes.Buffer
		if err := export.PDF(&b, export.Doc{Title: md, Banner: md, Parts: []export.Part{{Title: md, Level: 1, Markdown: md}}}, r); err != nil {
			t.Fatalf("%q: %v", md, err)
		}
	})
}
