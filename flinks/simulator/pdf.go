package simulator

import (
	"bytes"
	"fmt"
	"strings"
)

// A minimal PDF writer for the simulated bank statements: pages of text in the standard Helvetica font, which every
// PDF reader has built in (PDF 1.4, ISO 32000-1 §9.6.2.2), so nothing is embedded. The file layout follows
// ISO 32000-1 §7.5: a header, numbered objects, a cross-reference table of 20-byte entries giving each object's byte
// offset, and a trailer pointing at the catalog and at the table.

const (
	pdfPageWidth  = 612 // US Letter, in points
	pdfPageHeight = 792
)

// pdfText is one run of text at a position on a page, in points from the bottom-left corner.
type pdfText struct {
	x, y   float64
	size   float64
	bold   bool
	right  bool // x is the right edge of the text (for amounts), estimated from Helvetica's widths
	text   string
	colour bool // grey, for column headings
}

type pdfPage []pdfText

// writePDF renders pages into a complete PDF document.
func writePDF(title string, pages []pdfPage) []byte {
	var b bytes.Buffer
	var offsets []int // offsets[i] is the byte offset of object i+1
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") // the binary comment marks the file as binary for transfer tools

	// Objects 1-4 are fixed; each page then takes two: the page and its content stream.
	const catalog, pagesObj, font, fontBold, info = 1, 2, 3, 4, 5
	first := info + 1
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", first+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj))
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	obj(fmt.Sprintf("<< /Title %s /Producer (flinks-onboard simulator) >>", pdfString(title)))
	for _, p := range pages {
		content := p.content()
		obj(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R "+
			"/F2 %d 0 R >> >> /Contents %d 0 R >>", pagesObj, pdfPageWidth, pdfPageHeight, font, fontBold, len(offsets)+2))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	}

	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(offsets)+1, catalog, info, xref)
	return b.Bytes()
}

func (p pdfPage) content() string {
	var c strings.Builder
	for _, t := range p {
		font := "F1"
		if t.bold {
			font = "F2"
		}
		x := t.x
		if t.right {
			x -= helveticaWidth(t.text, t.size)
		}
		grey := "0 g"
		if t.colour {
			grey = "0.35 g"
		}
		fmt.Fprintf(&c, "BT %s /%s %g Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", grey, font, t.size, x, t.y, pdfString(t.text))
	}
	return c.String()
}

// pdfString encodes s as a PDF literal string in WinAnsiEncoding: Latin-1 letters (é, ç, ô) keep their code,
// characters outside it become '?', and the delimiters are escaped (ISO 32000-1 §7.3.4.2).
func pdfString(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r >= 0x20 && r < 0x7f, r >= 0xa0 && r <= 0xff:
			b.WriteByte(byte(r))
		default:
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}

// helveticaWidth estimates the width of s in Helvetica, enough to right-align amounts: digits, the comma, the point
// and the dollar sign have the widths of the standard Helvetica metrics (556 and 278 thousandths of an em).
func helveticaWidth(s string, size float64) float64 {
	var w float64
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '$':
			w += 556
		case r == '.' || r == ',' || r == ' ':
			w += 278
		case r == '-':
			w += 333
		default:
			w += 600
		}
	}
	return w * size / 1000
}
