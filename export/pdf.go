package export

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/linklab/linklab/content"
	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The PDF's fonts are the Go fonts, compiled into the binary with the
// module that holds them: their character set (WGL4) covers every LINK
// language, Latvian and Slovenian marks and Serbian Cyrillic included,
// and only the glyphs used are embedded in each file.
const (
	fontText = "text"
	fontBold = "bold"
	fontMono = "mono"
)

// A4 in points, and the layout.
const (
	pageW, pageH = 595.28, 841.89
	margin       = 56.0
	top          = 78.0 // below the banner
	bottom       = pageH - 56
	textSize     = 11.0
	lineGap      = 1.45 // line height as a multiple of the size
)

// pdfWriter lays out blocks top to bottom, page after page.
type pdfWriter struct {
	gp     *gopdf.GoPdf
	banner string
	y      float64
	pages  int
	fonts  map[string]*sfnt.Font
	buf    sfnt.Buffer
}

// missing stands for a character the fonts do not have (an emoji, a CJK
// character): the reader sees that something is there, not a gap.
const missing = '□'

// clean makes text printable in font: composed (e and a combining accent
// become é), control and format characters left out (tabs become
// spaces), and each character the font lacks shown as missing.
func (p *pdfWriter) clean(font, text string) string {
	f := p.fonts[font]
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		case unicode.IsSpace(r):
			return ' '
		}
		if i, err := f.GlyphIndex(&p.buf, r); err != nil || i == 0 {
			if unicode.Is(unicode.Mn, r) {
				return -1 // a mark left over after composing
			}
			return missing
		}
		return r
	}, norm.NFC.String(text))
}

// PDF writes the export as a PDF: A4, the banner and the page number on
// every page, a bookmark for each part. Markdown is laid out by blocks
// (headings, paragraphs, lists, quotes, code, table rows) as r reads them;
// inline formatting is not kept.
func PDF(w io.Writer, d Doc, r *content.Renderer) error {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	gp.SetInfo(gopdf.PdfInfo{Title: d.Title, Subject: d.Banner, Creator: "LinkLab", Producer: "LinkLab"})
	p := &pdfWriter{gp: gp, fonts: map[string]*sfnt.Font{}}
	for name, data := range map[string][]byte{fontText: goregular.TTF, fontBold: gobold.TTF, fontMono: gomono.TTF} {
		if err := gp.AddTTFFontData(name, data); err != nil {
			return fmt.Errorf("pdf: font %s: %w", name, err)
		}
		f, err := sfnt.Parse(data)
		if err != nil {
			return fmt.Errorf("pdf: font %s: %w", name, err)
		}
		p.fonts[name] = f
	}
	p.banner = p.clean(fontText, d.Banner)
	p.newPage()
	if err := p.paragraph(d.Title, fontBold, 20, margin, 0); err != nil {
		return err
	}
	p.y += 6
	for _, part := range d.Parts {
		size := 15.0
		if part.level() == 2 {
			size = 12.5
		}
		p.keep(size * 4)
		p.y += size * 0.6
		gp.SetXY(margin, p.y)
		gp.AddOutline(p.clean(fontBold, oneLine(part.Title)))
		if err := p.paragraph(part.Title, fontBold, size, margin, 0); err != nil {
			return err
		}
		p.y += 2
		for _, b := range r.Blocks(part.Markdown) {
			if err := p.block(b); err != nil {
				return err
			}
		}
	}
	if _, err := gp.WriteTo(w); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}

// newPage starts a page with the banner above and the number below.
func (p *pdfWriter) newPage() {
	p.gp.AddPage()
	p.pages++
	p.gp.SetTextColor(70, 70, 70)
	if p.banner != "" {
		_ = p.gp.SetFont(fontText, "", 8.5)
		lines, _ := p.gp.SplitTextWithWordWrap(p.banner, pageW-2*margin)
		y := 28.0
		for _, l := range lines[:min(len(lines), 3)] {
			p.gp.SetXY(margin, y)
			_ = p.gp.Cell(nil, l)
			y += 11
		}
		p.gp.SetStrokeColor(150, 150, 150)
		p.gp.SetLineWidth(0.5)
		p.gp.Line(margin, y+2, pageW-margin, y+2)
	}
	_ = p.gp.SetFont(fontText, "", 8.5)
	p.gp.SetXY(margin, pageH-36)
	_ = p.gp.Cell(nil, fmt.Sprintf("%d", p.pages))
	p.gp.SetTextColor(20, 20, 20)
	p.y = top
}

// keep starts a new page unless h points still fit on this one.
func (p *pdfWriter) keep(h float64) {
	if p.y+h > bottom {
		p.newPage()
	}
}

// paragraph writes text wrapped to the width left of x (indent), line by
// line, with marker (if any) hanging before its first line.
func (p *pdfWriter) paragraph(text, font string, size, x float64, hang float64, marker ...string) error {
	if err := p.gp.SetFont(font, "", size); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	lh := size * lineGap
	first := true
	for _, para := range strings.Split(p.clean(font, text), "\n") {
		lines := []string{""}
		if strings.TrimSpace(para) != "" {
			var err error
			if lines, err = p.gp.SplitTextWithWordWrap(para, pageW-margin-x); err != nil {
				return fmt.Errorf("pdf: wrap %q: %w", truncate(para, 40), err)
			}
		}
		for _, l := range lines {
			p.keep(lh)
			if first && len(marker) > 0 && marker[0] != "" {
				p.gp.SetXY(x-hang, p.y)
				if err := p.gp.Cell(nil, marker[0]); err != nil {
					return fmt.Errorf("pdf: %w", err)
				}
			}
			first = false
			if l != "" {
				p.gp.SetXY(x, p.y)
				if err := p.gp.Cell(nil, l); err != nil {
					return fmt.Errorf("pdf: %w", err)
				}
			}
			p.y += lh
		}
	}
	return nil
}

// block lays out one block of a part's text.
func (p *pdfWriter) block(b content.Block) error {
	switch b.Kind {
	case content.Heading:
		size := max(textSize+0.5, 14-float64(b.Level-1))
		p.keep(size * 3.5)
		p.y += size * 0.5
		return p.paragraph(b.Text, fontBold, size, margin, 0)
	case content.Item:
		indent := margin + 16*float64(b.Level)
		err := p.paragraph(b.Text, fontText, textSize, indent, 14, b.Marker)
		p.y += 2
		return err
	case content.Quote:
		p.gp.SetTextColor(70, 70, 70)
		defer p.gp.SetTextColor(20, 20, 20)
		err := p.paragraph(b.Text, fontText, textSize, margin+14*float64(b.Level), 0)
		p.y += 4
		return err
	case content.Code:
		err := p.paragraph(b.Text, fontMono, textSize-1.5, margin+8, 0)
		p.y += 4
		return err
	case content.Rule:
		p.keep(12)
		p.gp.SetStrokeColor(150, 150, 150)
		p.gp.Line(margin, p.y+6, pageW-margin, p.y+6)
		p.y += 12
		return nil
	case content.Row:
		font := fontText
		if b.Header {
			font = fontBold
		}
		err := p.paragraph(strings.Join(b.Cells, "  |  "), font, textSize-1, margin+8, 0)
		p.y += 2
		return err
	}
	err := p.paragraph(b.Text, fontText, textSize, margin, 0)
	p.y += textSize * 0.6
	return err
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
