// Package synth writes small, valid PDF and DOCX files for tests, sample inboxes and
// benchmarks. It depends on the standard library only, and its output is
// deterministic: the same input always gives the same bytes.
package synth

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"fmt"
	"strings"
)

// A4 page size and the margins the page helpers use, in points.
const (
	PageWidth  = 595.0
	PageHeight = 842.0
	margin     = 50.0
	topY       = 780.0 // baseline of the first line the helpers place
	leading    = 14.0  // baseline distance at the default 10 pt size
)

// Line is one run of text drawn on a page.
type Line struct {
	X, Y float64 // start of the baseline, in points from the bottom-left corner
	Size float64 // font size in points; 0 means 10
	// Text is UTF-8. It is written in WinAnsiEncoding (Windows-1252); characters
	// outside it become '?'.
	Text string
}

// Page is one page of a PDF.
type Page struct {
	// Lines are written in slice order. That is the order a naive extractor reads
	// them in, so TwoColumnPage interleaves its columns row by row on purpose.
	Lines []Line
	// Image draws an image XObject across the page; with no Lines the page looks
	// like a scan without a text layer.
	Image bool
}

// Encryption selects the /Encrypt dictionary PDFWithOptions writes.
type Encryption int

// Encryption kinds. The encrypted files are genuine: pdftotext -upw opens them.
const (
	NoEncryption Encryption = iota
	// EncryptRC4 is 128-bit RC4 (V2 R3) with user password UserPassword, so the
	// file cannot be read without it.
	EncryptRC4
	// EncryptRC4NoUserPassword is 128-bit RC4 with an empty user password: anyone
	// can open the file; only permissions are restricted, as in many real CVs.
	EncryptRC4NoUserPassword
	// EncryptAES256 is AES-256 (V5 R6, PDF 2.0 style) with user password
	// UserPassword.
	EncryptAES256
)

// UserPassword opens files written with EncryptRC4 or EncryptAES256.
const UserPassword = "cvetl"

// ownerPassword is the owner password of all encrypted files.
const ownerPassword = "cvetl-owner"

// PDFOptions tune PDFWithOptions.
type PDFOptions struct {
	Encryption   Encryption
	Uncompressed bool // write streams unfiltered instead of FlateDecode, for reading by eye
}

// PDF writes pages as a PDF 1.4 file with Helvetica text in WinAnsiEncoding, a
// classic xref table and a trailer.
func PDF(pages []Page) []byte { return PDFWithOptions(pages, PDFOptions{}) }

// PDFWithOptions is PDF with encryption or uncompressed streams.
func PDFWithOptions(pages []Page, opt PDFOptions) []byte {
	if len(pages) == 0 {
		pages = []Page{{}}
	}
	contents := make([][]byte, len(pages))
	for i, p := range pages {
		contents[i] = pageContent(p)
	}
	w := newPDFWriter(opt, contents)
	w.writeDocument(pages, contents)
	return w.buf.Bytes()
}

// SingleColumnPage lays lines out top to bottom in one column of 10 pt text.
// A line starting with "# " is a 13 pt heading, an empty line leaves a gap, and
// long lines are wrapped. Lines that do not fit are cut off: use TextPages to
// flow long text over several pages.
func SingleColumnPage(lines []string) Page { return TextPages(lines)[0] }

// TextPages flows lines like SingleColumnPage over as many pages as they need.
func TextPages(lines []string) []Page {
	var pages []Page
	var cur Page
	y := topY
	for _, ln := range flow(lines, PageWidth-2*margin) {
		if y-ln.size < margin {
			pages = append(pages, cur)
			cur, y = Page{}, topY
		}
		y = place(&cur, ln, margin, y)
	}
	return append(pages, cur)
}

// TwoColumnPage lays out a page with two independent columns, as in sidebar CV
// templates, using the conventions of SingleColumnPage. The content stream
// interleaves the columns row by row (left, right, left, ...), so only an
// extractor that does its own layout reads each column as one piece. Lines that
// do not fit are cut off.
func TwoColumnPage(left, right []string) Page {
	const gutter = 35.0
	colWidth := (PageWidth - 2*margin - gutter) / 2
	var cols [2]Page
	for i, lines := range [][]string{left, right} {
		x, y := margin+float64(i)*(colWidth+gutter), topY
		for _, ln := range flow(lines, colWidth) {
			if y-ln.size < margin {
				break
			}
			y = place(&cols[i], ln, x, y)
		}
	}
	var p Page
	for i := 0; i < max(len(cols[0].Lines), len(cols[1].Lines)); i++ {
		for _, c := range cols {
			if i < len(c.Lines) {
				p.Lines = append(p.Lines, c.Lines[i])
			}
		}
	}
	return p
}

// ImagePage is a page holding only an image: a scan with no text layer.
func ImagePage() Page { return Page{Image: true} }

// flowLine is one wrapped output line before it is given a position.
type flowLine struct {
	text string
	size float64
}

// flow applies the helpers' markup and wraps lines to width points.
func flow(lines []string, width float64) []flowLine {
	var out []flowLine
	for _, s := range lines {
		size := 10.0
		if rest, ok := strings.CutPrefix(s, "# "); ok {
			s, size = rest, 13
		}
		if strings.TrimSpace(s) == "" {
			out = append(out, flowLine{"", size})
			continue
		}
		for _, w := range wrap(s, width, size) {
			out = append(out, flowLine{w, size})
		}
	}
	return out
}

// place adds ln to p at baseline y and returns the next baseline.
func place(p *Page, ln flowLine, x, y float64) float64 {
	if ln.text != "" {
		p.Lines = append(p.Lines, Line{X: x, Y: y, Size: ln.size, Text: ln.text})
	}
	return y - leading*ln.size/10
}

// wrap breaks s at spaces into lines no wider than width at the given size.
func wrap(s string, width, size float64) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if cur != "" && TextWidth(next, size) > width {
			lines = append(lines, cur)
			next = word
		}
		cur = next
	}
	return append(lines, cur)
}

// TextWidth is the width in points of s in Helvetica at the given size.
func TextWidth(s string, size float64) float64 {
	total := 0
	for _, b := range winAnsi(s) {
		total += glyphWidth(b)
	}
	return float64(total) * size / 1000
}

// pageContent is the content stream of one page, before compression.
func pageContent(p Page) []byte {
	var b bytes.Buffer
	if p.Image {
		fmt.Fprintf(&b, "q %.0f 0 0 %.0f %.0f %.0f cm /Im1 Do Q\n",
			PageWidth-2*margin, PageHeight-2*margin, margin, margin)
	}
	for _, ln := range p.Lines {
		size := ln.Size
		if size == 0 {
			size = 10
		}
		fmt.Fprintf(&b, "BT /F1 %s Tf %s %s Td (%s) Tj ET\n",
			num(size), num(ln.X), num(ln.Y), escapeString(winAnsi(ln.Text)))
	}
	return b.Bytes()
}

// num formats a coordinate compactly, as PDF producers do.
func num(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// escapeString escapes a PDF literal string body.
func escapeString(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			s.WriteByte('\\')
			s.WriteByte(c)
		case '\r':
			s.WriteString(`\r`)
		case '\n':
			s.WriteString(`\n`)
		default:
			s.WriteByte(c)
		}
	}
	return s.String()
}

// pdfWriter accumulates the file and the offsets of its objects.
type pdfWriter struct {
	buf     bytes.Buffer
	offsets map[int]int // object number -> byte offset
	opt     PDFOptions
	id      []byte // first element of the trailer /ID
	crypt   *cryptor
	zw      *zlib.Writer
}

func newPDFWriter(opt PDFOptions, contents [][]byte) *pdfWriter {
	h := md5.New()
	for _, c := range contents {
		h.Write(c)
	}
	w := &pdfWriter{offsets: map[int]int{}, opt: opt, id: h.Sum(nil)}
	w.crypt = newCryptor(opt.Encryption, w.id)
	return w
}

// Fixed object numbers; pages follow from firstPageObj, two objects each.
const (
	catalogObj   = 1
	pagesObj     = 2
	fontObj      = 3
	imageObj     = 4
	firstPageObj = 5
)

func (w *pdfWriter) writeDocument(pages []Page, contents [][]byte) {
	version := "1.4"
	if w.opt.Encryption == EncryptAES256 {
		version = "1.7"
	}
	// The comment of high bytes marks the file as binary for transfer tools.
	fmt.Fprintf(&w.buf, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", version)
	w.object(catalogObj, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj))
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", firstPageObj+2*i)
	}
	w.object(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	w.object(fontObj, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "+
		"/FirstChar 32 /LastChar 255 /Widths ["+widthsArray()+"] >>")
	w.stream(imageObj, "/Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8", imageData())
	for i := range pages {
		pageNum, contentNum := firstPageObj+2*i, firstPageObj+2*i+1
		xobj := ""
		if pages[i].Image {
			xobj = fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", imageObj)
		}
		w.object(pageNum, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] "+
			"/Resources << /Font << /F1 %d 0 R >>%s >> /Contents %d 0 R >>",
			pagesObj, num(PageWidth), num(PageHeight), fontObj, xobj, contentNum))
		w.stream(contentNum, "", contents[i])
	}
	size := firstPageObj + 2*len(pages)
	encrypt := ""
	if w.crypt != nil {
		w.object(size, w.crypt.dict())
		encrypt = fmt.Sprintf(" /Encrypt %d 0 R", size)
		size++
	}
	w.trailer(size, encrypt)
}

func (w *pdfWriter) object(n int, body string) {
	w.offsets[n] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

// stream writes a stream object, compressing and encrypting data as configured.
func (w *pdfWriter) stream(n int, dict string, data []byte) {
	if !w.opt.Uncompressed {
		var z bytes.Buffer
		if w.zw == nil {
			w.zw = zlib.NewWriter(&z)
		} else {
			w.zw.Reset(&z) // a deflate writer is ~1 MB of state: reuse it
		}
		w.zw.Write(data)
		w.zw.Close()
		data = z.Bytes()
		dict = strings.TrimSpace(dict + " /Filter /FlateDecode")
	}
	if w.crypt != nil {
		data = w.crypt.encrypt(n, data)
	}
	w.offsets[n] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< %s /Length %d >>\nstream\n", n, dict, len(data))
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

// trailer writes the xref table (20-byte entries) and the trailer.
func (w *pdfWriter) trailer(size int, encrypt string) {
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", size)
	for n := 1; n < size; n++ {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", w.offsets[n])
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /ID [<%x> <%x>]%s >>\nstartxref\n%d\n%%%%EOF\n",
		size, catalogObj, w.id, w.id, encrypt, xref)
}

// imageData is a 16x16 grey gradient.
func imageData() []byte {
	b := make([]byte, 16*16)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func widthsArray() string {
	var s strings.Builder
	for c := 32; c <= 255; c++ {
		if c > 32 {
			s.WriteByte(' ')
		}
		fmt.Fprint(&s, glyphWidth(byte(c)))
	}
	return s.String()
}

// glyphWidth is the Helvetica advance width of a WinAnsi code, in 1/1000 em.
func glyphWidth(c byte) int {
	switch {
	case c >= 32 && c <= 126:
		return asciiWidths[c-32]
	case c >= 128:
		return highWidths[c-128]
	}
	return 0
}

// Helvetica AFM widths for codes 32..126.
var asciiWidths = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
}

// Helvetica widths for WinAnsi codes 128..255 (undefined codes get the bullet's).
var highWidths = [128]int{
	556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
	350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667,
	278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
	400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
	667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
	722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
	556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
}

// winAnsi encodes s in Windows-1252; unmappable characters become '?'.
func winAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			out = append(out, byte(r))
		default:
			b, ok := cp1252High[r]
			if !ok {
				b = '?'
			}
			out = append(out, b)
		}
	}
	return out
}

// cp1252High maps the characters of Windows-1252's 0x80-0x9F block.
var cp1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B,
	'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}
