package content

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// BlockKind says how a block is laid out.
type BlockKind int

// Kinds of block.
const (
	Paragraph BlockKind = iota
	Heading
	Item // a list item's paragraph
	Quote
	Code
	Row // a table's row
	Rule
)

// Block is one block of a Markdown text, flattened for a layout that is
// not HTML (a PDF): its kind, its words without Markdown, and where it
// stands.
type Block struct {
	Kind BlockKind
	// Level is a heading's level (1-6), or how deep a list item or
	// quote is (1 the outermost).
	Level int
	// Marker is what a list item's first paragraph starts with: "•" or
	// its number ("3.").
	Marker string
	Text   string
	Cells  []string // a row's cells
	Header bool     // a table's head row
}

// Blocks returns the blocks of src in order. Raw HTML is left out, links
// are their text, as in PlainText.
func (r *Renderer) Blocks(src string) []Block {
	source := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	var out []Block
	var walk func(n ast.Node, lists, quotes int)
	walk = func(n ast.Node, lists, quotes int) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Heading:
				out = append(out, Block{Kind: Heading, Level: c.Level, Text: inline(c, source)})
			case *ast.Paragraph, *ast.TextBlock:
				b := Block{Kind: Paragraph, Text: inline(c, source), Level: quotes}
				if quotes > 0 {
					b.Kind = Quote
				}
				if item, ok := c.Parent().(*ast.ListItem); ok && lists > 0 {
					b.Kind, b.Level = Item, lists
					if item.FirstChild() == c {
						b.Marker = marker(item)
					}
				}
				out = append(out, b)
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				var t strings.Builder
				lines := c.Lines()
				for i := range lines.Len() {
					seg := lines.At(i)
					t.Write(seg.Value(source))
				}
				out = append(out, Block{Kind: Code, Text: strings.TrimRight(t.String(), "\n")})
			case *ast.ThematicBreak:
				out = append(out, Block{Kind: Rule})
			case *ast.HTMLBlock:
			case *east.TableHeader, *east.TableRow:
				b := Block{Kind: Row}
				_, b.Header = c.(*east.TableHeader)
				for cell := c.FirstChild(); cell != nil; cell = cell.NextSibling() {
					b.Cells = append(b.Cells, inline(cell, source))
				}
				out = append(out, b)
			case *ast.List:
				walk(c, lists+1, quotes)
			case *ast.Blockquote:
				walk(c, lists, quotes+1)
			default:
				walk(c, lists, quotes)
			}
		}
	}
	walk(doc, 0, 0)
	return out
}

// marker is a list item's bullet or number.
func marker(item *ast.ListItem) string {
	list, ok := item.Parent().(*ast.List)
	if !ok || !list.IsOrdered() {
		return "•"
	}
	n := list.Start
	for s := item.PreviousSibling(); s != nil; s = s.PreviousSibling() {
		n++
	}
	return strconv.Itoa(n) + "."
}

// inline returns the text of a block's inline content: line breaks kept,
// raw HTML left out.
func inline(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(source))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(source))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
