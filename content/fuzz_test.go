package content_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/linklab/linklab/content"
)

// unsafeHTML matches what must never come out of rendering: scripts,
// styles, frames, event handlers and links or sources that run code.
var unsafeHTML = regexp.MustCompile(`(?i)<\s*(script|style|iframe|object|embed|form|svg|math)\b|\son[a-z]+\s*=|(href|src)\s*=\s*"?\s*(javascript|vbscript|data):`)

// FuzzRender: whatever people type, rendering ends, and its HTML holds
// nothing that runs or restyles the page.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Title\n\n**bold** _it_ ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"- [ ] task\n- [x] done",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) ![i](data:text/html;base64,PHNjcmlwdD4=)",
		"<img src=x onerror=alert(1)>",
		"www.example.org and https://example.org/a?b=<c>",
		"``` \n<iframe>\n```",
		"[a]: javascript:alert(1)\n\n[a]",
		strings.Repeat("> ", 200) + "deep",
		strings.Repeat("*", 5000),
	} {
		f.Add(s)
	}
	r := content.NewRenderer()
	f.Fuzz(func(t *testing.T, src string) {
		html, err := r.Render(src)
		if err != nil {
			t.Fatalf("render %q: %v", src, err)
		}
		if m := unsafeHTML.FindString(html); m != "" {
			t.Fatalf("render %q gave %q in %q", src, m, html)
		}
	})
}
