package content

import (
	"bytes"
	"fmt"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// Renderer turns the Markdown people write into HTML that is safe to put
// in a page. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewRenderer returns the renderer for sections, comments and exports:
// CommonMark with tables, strikethrough, task lists and bare links, and
// line breaks kept as typed (people who do not know Markdown expect a new
// line to be one).
func NewRenderer() *Renderer {
	// goldmark already leaves raw HTML out (it is not "unsafe"); the
	// sanitizer is the second fence, for links and anything an extension
	// might let through: it keeps only formatting, makes every link
	// nofollow and opens none in the same window as the app.
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("type", "checked", "disabled").OnElements("input")
	return &Renderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList, extension.Linkify),
			goldmark.WithRendererOptions(html.WithHardWraps()),
		),
		policy: p,
	}
}

// Render returns the HTML of src.
func (r *Renderer) Render(src string) (string, error) {
	var b bytes.Buffer
	if err := r.md.Convert([]byte(src), &b); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return r.policy.Sanitize(b.String()), nil
}
