// Package export writes what people take out of LinkLab (a baseline, a
// synthesis, a comparison, a session report) as Markdown, as one
// self-contained printable HTML page, or as a PDF, each saying on every
// page where it comes from and who may read it.
package export

import (
	"html"
	"strings"

	"github.com/linklab/linklab/content"
)

// Doc is one export.
type Doc struct {
	Title string
	// Banner says on every page which lab, which version, when and who
	// may read it.
	Banner string
	Lang   string // the language of the words around the text ("en")
	Parts  []Part
}

// Part is a titled piece of Markdown: a section, or one country's text
// of a section compared. Level 1 parts may hold level 2 parts that
// follow them (a section, then each country's text of it).
type Part struct {
	Title    string
	Level    int // 1 or 2
	Markdown string
}

func (p Part) level() int { return min(max(p.Level, 1), 2) }

// Markdown returns the export as one Markdown file: the title, the
// banner as a line of its own, then each part under its heading.
func Markdown(d Doc) string {
	var b strings.Builder
	b.WriteString("# " + oneLine(d.Title) + "\n")
	if d.Banner != "" {
		b.WriteString("\n_" + oneLine(d.Banner) + "_\n")
	}
	for _, p := range d.Parts {
		b.WriteString("\n" + strings.Repeat("#", p.level()+1) + " " + oneLine(p.Title) + "\n")
		if t := strings.TrimRight(p.Markdown, "\n"); t != "" {
			b.WriteString("\n" + t + "\n")
		}
	}
	return b.String()
}

// oneLine keeps a title on its line: a heading cannot hold a line break.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// HTML returns the export as one self-contained page: its own style,
// nothing loaded from anywhere, the banner repeated on every printed page.
// Each part's Markdown is rendered by r, which sanitizes it.
func HTML(d Doc, r *content.Renderer) (string, error) {
	var body strings.Builder
	for _, p := range d.Parts {
		h, err := r.Render(p.Markdown)
		if err != nil {
			return "", err
		}
		tag := "h2"
		if p.level() == 2 {
			tag = "h3"
		}
		body.WriteString("<section><" + tag + ">" + html.EscapeString(p.Title) + "</" + tag + ">" + h + "</section>")
	}
	return Page(d.Title, d.Banner, d.Lang, body.String()), nil
}

// Page wraps body, HTML already safe, in a self-contained page.
func Page(title, banner, lang, body string) string {
	if lang == "" {
		lang = "en"
	}
	page := `<main><h1>` + html.EscapeString(title) + `</h1>` + body + `</main>`
	if banner != "" {
		// A table's head is repeated on every printed page by browsers.
		page = `<table class="page" role="presentation"><thead><tr><td><div class="banner">` + html.EscapeString(banner) +
			`</div></td></tr></thead><tbody><tr><td>` + page + `</td></tr></tbody></table>`
	}
	return `<!doctype html><html lang="` + html.EscapeString(lang) + `"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>` + html.EscapeString(title) + `</title><style>` + pageCSS + `</style></head><body>` + page + `</body></html>`
}

// pageCSS makes a page readable on a phone and printable.
var pageCSS = strings.Join([]string{
	"body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b}",
	"main{max-width:50rem;margin:auto;padding:1rem}",
	"table{border-collapse:collapse;display:block;overflow-x:auto;margin:1rem 0}",
	"th,td{border:1px solid #888;padding:.25rem .5rem;text-align:left}",
	".banner{font-size:.85rem;color:#333;border-bottom:1px solid #888;padding:.5rem 1rem}",
	"table.page,table.page>*>tr>td{display:table;border:0;padding:0;margin:0;width:100%}table.page>*>tr>td{display:table-cell}",
	"section h3{margin-bottom:.25rem}",
	"@media print{main{max-width:none}table{display:table}}",
}, "")
