package synth

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Fixtures for the font and file structures of real producers, which PDF
// (standard Helvetica, WinAnsi strings, Tj) does not exercise.

// RawObject is one object for RawPDF: a body such as a dictionary or, when
// Stream is set, the entries of a stream's dictionary (RawPDF adds /Length).
type RawObject struct {
	Body   string
	Stream []byte
}

// RawOptions tune RawPDF.
type RawOptions struct {
	// XrefStream writes the cross-reference section as a compressed stream
	// with a PNG Up predictor, as Word, Chrome and qpdf do, instead of a table.
	XrefStream bool
	// CompactDecodeParms writes the predictor parameters without white space
	// between entries ("/Columns 6/Predictor 12"), as some producers do.
	CompactDecodeParms bool
}

// RawPDF writes objs as objects 1, 2, ... and a trailer whose /Root is object
// 1; bodies refer to one another by those numbers ("2 0 R"). Streams are
// written unfiltered.
func RawPDF(objs []RawObject, opt RawOptions) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs)+1)
	for i, o := range objs {
		offsets[i+1] = b.Len()
		if o.Stream == nil {
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o.Body)
			continue
		}
		fmt.Fprintf(&b, "%d 0 obj\n<< %s /Length %d >>\nstream\n", i+1, o.Body, len(o.Stream))
		b.Write(o.Stream)
		b.WriteString("\nendstream\nendobj\n")
	}
	size := len(objs) + 1
	if !opt.XrefStream {
		xref := b.Len()
		fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", size)
		for _, off := range offsets[1:] {
			fmt.Fprintf(&b, "%010d 00000 n \n", off)
		}
		fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", size, xref)
		return b.Bytes()
	}
	// The xref stream is object size: rows of type (1 byte), offset (4) and
	// generation (1), each behind its PNG filter byte (2: Up).
	xref := b.Len()
	offsets = append(offsets, xref)
	const cols = 6
	var raw bytes.Buffer
	prev := make([]byte, cols)
	for n, off := range offsets {
		row := []byte{1, byte(off >> 24), byte(off >> 16), byte(off >> 8), byte(off), 0}
		if n == 0 {
			row = []byte{0, 0, 0, 0, 0, 0xff}
		}
		raw.WriteByte(2)
		for i := range row {
			raw.WriteByte(row[i] - prev[i])
		}
		prev = row
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	parms := "<< /Columns 6 /Predictor 12 >>"
	if opt.CompactDecodeParms {
		parms = "<</Columns 6/Predictor 12>>"
	}
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Filter /FlateDecode /DecodeParms %s /Length %d >>\nstream\n",
		size, size+1, parms, z.Len())
	b.Write(z.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// FontKind selects how FontPDF embeds its font.
type FontKind int

const (
	// CIDFont is a Type0 font with Identity-H encoding, as Chrome, Skia,
	// Word and PDF libraries embed fonts: two-byte glyph IDs, widths in the
	// CIDFont's /W array only, text given by a ToUnicode CMap.
	CIDFont FontKind = iota
	// SubsetTrueType is a simple TrueType subset as LibreOffice writes it: no
	// /Encoding, codes 1, 2, 3... in order of first use (so code 10, a line
	// feed in ASCII, is a letter), text given by a ToUnicode CMap.
	SubsetTrueType
)

// FontOptions tune FontPDF.
type FontOptions struct {
	Kind FontKind
	// KernEvery puts a TJ adjustment of Kern thousandths of an em before
	// every KernEvery-th glyph of a line, as producers kern pairs; 0 for none.
	KernEvery int
	Kern      float64
	// SpacesAsOffsets draws word spaces as TJ offsets of a space's width
	// instead of space glyphs.
	SpacesAsOffsets bool
	// Unmapped characters are drawn with glyphs the ToUnicode CMap leaves
	// out, as icon fonts' glyphs often are.
	Unmapped string
}

// FontPDF writes one page of lines drawn as TJ arrays in an embedded-style
// font (no font program is included). Widths are Helvetica's.
func FontPDF(lines []Line, opt FontOptions) []byte {
	codes := map[rune]int{}
	var order []rune
	code := func(r rune) int {
		if c, ok := codes[r]; ok {
			return c
		}
		order = append(order, r)
		codes[r] = len(order) // first code 1
		return len(order)
	}
	hexCode := func(c int) string {
		if opt.Kind == CIDFont {
			return fmt.Sprintf("%04X", c)
		}
		return fmt.Sprintf("%02X", c)
	}
	var content bytes.Buffer
	for _, ln := range lines {
		size := ln.Size
		if size == 0 {
			size = 10
		}
		fmt.Fprintf(&content, "BT /F1 %s Tf 1 0 0 1 %s %s Tm [", num(size), num(ln.X), num(ln.Y))
		open, n := false, 0
		for _, r := range ln.Text {
			if r == ' ' && opt.SpacesAsOffsets {
				if open {
					content.WriteString(">")
					open = false
				}
				fmt.Fprintf(&content, " -%d ", runeWidth(' '))
				continue
			}
			if n++; opt.KernEvery > 0 && n%opt.KernEvery == 0 && n > 1 {
				if open {
					content.WriteString(">")
					open = false
				}
				content.WriteString(" " + num(opt.Kern) + " ")
			}
			if !open {
				content.WriteString("<")
				open = true
			}
			content.WriteString(hexCode(code(r)))
		}
		if open {
			content.WriteString(">")
		}
		content.WriteString("] TJ ET\n")
	}

	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n")
	if opt.Kind == CIDFont {
		cmap.WriteString("<0000> <FFFF>\n")
	} else {
		cmap.WriteString("<00> <FF>\n")
	}
	cmap.WriteString("endcodespacerange\n")
	var mapped []rune
	for _, r := range order {
		if !strings.ContainsRune(opt.Unmapped, r) {
			mapped = append(mapped, r)
		}
	}
	for len(mapped) > 0 {
		block := mapped[:min(len(mapped), 100)]
		mapped = mapped[len(block):]
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(block))
		for _, r := range block {
			fmt.Fprintf(&cmap, "<%s> <", hexCode(codes[r]))
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&cmap, "%04X", u)
			}
			cmap.WriteString(">\n")
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")

	widths := make([]string, len(order))
	for i, r := range order {
		widths[i] = fmt.Sprint(runeWidth(r))
	}
	const descriptor = "<< /Type /FontDescriptor /FontName /AAAAAA+Helvetica /Flags 32 /FontBBox [-166 -225 1000 931] " +
		"/ItalicAngle 0 /Ascent 718 /Descent -207 /CapHeight 718 /StemV 88 >>"
	objs := []RawObject{
		{Body: "<< /Type /Catalog /Pages 2 0 R >>"},
		{Body: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{Body: fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			num(PageWidth), num(PageHeight))},
		{Body: "", Stream: content.Bytes()},
	}
	switch opt.Kind {
	case CIDFont:
		objs = append(objs,
			RawObject{Body: "<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Helvetica /Encoding /Identity-H " +
				"/DescendantFonts [6 0 R] /ToUnicode 8 0 R >>"},
			RawObject{Body: "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Helvetica " +
				"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R " +
				"/DW 1000 /W [1 [" + strings.Join(widths, " ") + "]] /CIDToGIDMap /Identity >>"},
			RawObject{Body: descriptor})
	default:
		objs = append(objs,
			RawObject{Body: fmt.Sprintf("<< /Type /Font /Subtype /TrueType /BaseFont /AAAAAA+Helvetica /FirstChar 0 /LastChar %d "+
				"/Widths [0 %s] /FontDescriptor 7 0 R /ToUnicode 8 0 R >>", len(order), strings.Join(widths, " "))},
			RawObject{Body: "null"},
			RawObject{Body: descriptor})
	}
	objs = append(objs, RawObject{Body: "", Stream: []byte(cmap.String())})
	return RawPDF(objs, RawOptions{})
}

// runeWidth is the Helvetica advance of r in 1/1000 em; characters outside
// WinAnsi are a full em, as icons are.
func runeWidth(r rune) int {
	b := winAnsi(string(r))
	if len(b) != 1 || b[0] == '?' && r != '?' {
		return 1000
	}
	return glyphWidth(b[0])
}
