package content_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/linklab/linklab/content"
	"golang.org/x/net/html"
)

// unsafeHTML reports the first thing in out, read as a browser reads it,
// that must never come out of rendering: an element that runs code, loads
// another document or restyles the page, an event handler, or a link or
// source that runs code.
func unsafeHTML(out string) error {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "iframe", "frame", "object", "embed", "form", "svg", "math", "link", "meta", "base":
				return fmt.Errorf("element <%s>", tok.Data)
			}
			for _, a := range tok.Attr {
				value := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				switch {
				case strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "srcdoc":
					return fmt.Errorf("attribute %s on <%s>", a.Key, tok.Data)
				case (a.Key == "href" || a.Key == "src") && (strings.HasPrefix(value, "javascript:") ||
					strings.HasPrefix(value, "vbscript:") || strings.HasPrefix(value, "data:")):
					return fmt.Errorf("%s=%q on <%s>", a.Key, a.Val, tok.Data)
				}
			}
		}
	}
}

// FuzzRender: whatever people type, rendering ends, and its HTML holds
// nothing that runs or restyles the page.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Title\n\n**bold** _it_ ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"- [ ] task\n- [x] done",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) ![i](data:text/html;base64,PHNjcmlwdD4=)",
		"<img src=x onerror=alert(1)>",
		"0 onA= and style=x in plain text",
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
		out, err := r.Render(src)
		if err != nil {
			t.Fatalf("render %q: %v", src, err)
		}
		if err := unsafeHTML(out); err != nil {
			t.Fatalf("render %q gave %v in %q", src, err, out)
		}
	})
}
