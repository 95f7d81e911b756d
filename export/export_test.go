package export_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/export"
	"github.com/linklab/linklab/internal/pdftext"
)

var doc = export.Doc{
	Title:  "Baseline: Serbia",
	Banner: "Serbia: families (RS) · Version “2023 baseline” · Read only by this lab's members · exported 2 December 2026",
	Parts: []export.Part{
		{Title: "Welfare model", Level: 1, Markdown: "Социјална заштита у Србији: **ђаци**, џеп, љубав, њива, ћерка.\n\n- Latvija: ā č ē ģ ī ķ ļ ņ š ū ž\n- Slovenija: č š ž Č Š Ž\n\n<script>alert(1)</script>"},
		{Title: "NO", Level: 2, Markdown: "# Heading inside\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```"},
	},
}

func TestPDFReadsBack(t *testing.T) {
	var b bytes.Buffer
	if err := export.PDF(&b, doc, content.NewRenderer()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", b.Bytes())
	}
	text := pdftext.Read(t, b.Bytes())
	for _, want := range []string{
		"Baseline: Serbia", "Welfare model", "Heading inside",
		"Социјална заштита у Србији: ђаци, џеп, љубав, њива, ћерка.",
		"Latvija: ā č ē ģ ī ķ ļ ņ š ū ž", "Slovenija: č š ž Č Š Ž",
		"Read only by this lab's members", "Version “2023 baseline”",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "alert(1)") || strings.Contains(text, "**") {
		t.Errorf("raw HTML or Markdown marks in the PDF:\n%s", text)
	}
}

// TestPDFBannerOnEveryPage: a long export runs over pages, and every page
// says who may read it.
func TestPDFBannerOnEveryPage(t *testing.T) {
	long := doc
	long.Parts = []export.Part{{Title: "Long", Level: 1, Markdown: strings.Repeat("Staff are few and the law is old; families wait. ", 40*30)}}
	var b bytes.Buffer
	if err := export.PDF(&b, long, content.NewRenderer()); err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(pdftext.Read(t, b.Bytes()), "\f\n"), "\f")
	if len(pages) < 3 {
		t.Fatalf("%d pages for a long text", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, "Read only by this lab's members") {
			t.Fatalf("page %d has no visibility line:\n%s", i+1, p)
		}
	}
}

func TestMarkdownAndHTML(t *testing.T) {
	md := export.Markdown(doc)
	for _, want := range []string{"# Baseline: Serbia\n", "\n_Serbia: families (RS)", "\n## Welfare model\n", "\n### NO\n", "ђаци"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	page, err := export.HTML(doc, content.NewRenderer())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1>Baseline: Serbia</h1>", `<div class="banner">`, "<h2>Welfare model</h2>", "<h3>NO</h3>", "ђаци", "<table>"} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("raw HTML survived")
	}
}
