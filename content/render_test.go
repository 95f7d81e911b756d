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
