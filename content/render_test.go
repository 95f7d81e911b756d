package content_test

import (
	"strings"
	"testing"

	"github.com/linklab/linklab/content"
)

func TestRender(t *testing.T) {
	r := content.NewRenderer()
	tests := []struct {
		name, src string
		want      []string // each must appear
		never     []string // none may appear
	}{
		{"formatting", "# Title\n\n**bold** and *it* and ~~gone~~", []string{"<h1>Title</h1>", "<strong>bold</strong>", "<em>it</em>", "<del>gone</del>"}, nil},
		{"a new line is a new line", "first\nsecond", []string{"first<br", "second"}, nil},
		{"lists and tasks", "- one\n- [x] done", []string{"<li>one</li>", `type="checkbox"`, "checked"}, nil},
		{"table", "| a | b |\n| - | - |\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"links", "[site](https://example.org) and https://example.net", []string{`href="https://example.org"`, `rel="nofollow`, `href="https://example.net"`}, nil},
		{"raw html", "<script>alert(1)</script><b onclick=x>hi</b>", nil, []string{"<script", "onclick", "alert(1)</script>"}},
		{"javascript links", "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) ![i](javascript:alert(1))", nil, []string{"javascript:", "JaVaScRiPt:"}},
		{"data urls", "![i](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:text/html"}},
		{"html in a code span stays text", "`<img src=x onerror=alert(1)>`", []string{"&lt;img"}, []string{"<img"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Render(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q renders as %q, missing %q", tt.src, got, w)
				}
			}
			for _, n := range tt.never {
				if strings.Contains(got, n) {
					t.Errorf("%q renders as %q, which contains %q", tt.src, got, n)
				}
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	r := content.NewRenderer()
	for _, tc := range []struct{ in, want string }{
		{"# Staff\n\nFew **qualified** [people](https://x.example) stay.", "Staff\nFew qualified people stay."},
		{"- one\n- two <b>bold</b>\n\n<div>raw</div>", "one\ntwo bold"},
		{"line one\nline two", "line one\nline two"},
		{"| a | b |\n|---|---|\n| Кадрови | x |", "a\nb\nКадрови\nx"},
		{"```\ncode here\n```", "code here"},
		{"see https://example.org now", "see https://example.org now"},
	} {
		if got := r.PlainText(tc.in); got != tc.want {
			t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBlocks(t *testing.T) {
	r := content.NewRenderer()
	src := "# Staff\n\nFew **qualified** people.\n\n- one\n- two\n  - deeper\n\n3. third\n4. fourth\n\n> quoted\n\n```\ncode\n```\n\n---\n\n| a | b |\n|---|---|\n| Кадрови | x |\n\n<div>raw</div>"
	got := r.Blocks(src)
	want := []content.Block{
		{Kind: content.Heading, Level: 1, Text: "Staff"},
		{Kind: content.Paragraph, Text: "Few qualified people."},
		{Kind: content.Item, Level: 1, Marker: "•", Text: "one"},
		{Kind: content.Item, Level: 1, Marker: "•", Text: "two"},
		{Kind: content.Item, Level: 2, Marker: "•", Text: "deeper"},
		{Kind: content.Item, Level: 1, Marker: "3.", Text: "third"},
		{Kind: content.Item, Level: 1, Marker: "4.", Text: "fourth"},
		{Kind: content.Quote, Level: 1, Text: "quoted"},
		{Kind: content.Code, Text: "code"},
		{Kind: content.Rule},
		{Kind: content.Row, Header: true, Cells: []string{"a", "b"}},
		{Kind: content.Row, Cells: []string{"Кадрови", "x"}},
	}
	if len(got) != len(want) {
		t.Fatalf("Blocks = %+v", got)
	}
	for i := range want {
		if got[i].Kind != want[i].Kind || got[i].Level != want[i].Level || got[i].Marker != want[i].Marker || got[i].Text != want[i].Text ||
			strings.Join(got[i].Cells, "|") != strings.Join(want[i].Cells, "|") || got[i].Header != want[i].Header {
			t.Errorf("block %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
