package synth

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var rawObjects = []RawObject{
	{Body: "<< /Type /Catalog /Pages 2 0 R >>"},
	{Body: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
	{Body: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"},
	{Stream: []byte("BT /F1 12 Tf 50 780 Td (Jane Fictional) Tj ET")},
	{Body: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"},
}

func TestRawPDFXrefTable(t *testing.T) {
	checkPDFStructure(t, RawPDF(rawObjects, RawOptions{}))
}

// TestRawPDFXrefStream undoes the PNG Up predictor of the xref stream and
// checks every entry points at its object.
func TestRawPDFXrefStream(t *testing.T) {
	for _, compact := range []bool{false, true} {
		data := RawPDF(rawObjects, RawOptions{XrefStream: true, CompactDecodeParms: compact})
		m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(data)
		if m == nil {
			t.Fatal("no startxref")
		}
		xref, _ := strconv.Atoi(string(m[1]))
		want := strconv.Itoa(len(rawObjects)+1) + " 0 obj\n<< /Type /XRef"
		if !bytes.HasPrefix(data[xref:], []byte(want)) {
			t.Fatalf("startxref points at %q", data[xref:xref+20])
		}
		if got := bytes.Contains(data, []byte("/Columns 6/Predictor 12")); got != compact {
			t.Errorf("compact=%v: compact parameters written: %v", compact, got)
		}
		start := xref + bytes.Index(data[xref:], []byte("stream\n")) + len("stream\n")
		zr, err := zlib.NewReader(bytes.NewReader(data[start:]))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(zr)
		if len(raw) != 7*(len(rawObjects)+2) {
			t.Fatalf("xref stream holds %d bytes", len(raw))
		}
		prev := make([]byte, 6)
		for n := 0; n < len(rawObjects)+2; n++ {
			row := raw[7*n : 7*n+7]
			if row[0] != 2 {
				t.Fatalf("row %d filter %d, want 2 (Up)", n, row[0])
			}
			for i := range prev {
				prev[i] += row[1+i]
			}
			if n == 0 {
				continue
			}
			off := int(prev[1])<<24 | int(prev[2])<<16 | int(prev[3])<<8 | int(prev[4])
			if prev[0] != 1 || !bytes.HasPrefix(data[off:], []byte(strconv.Itoa(n)+" 0 obj\n")) {
				t.Errorf("entry %d (type %d) points at %q", n, prev[0], data[off:min(off+12, len(data))])
			}
		}
	}
}

func TestFontPDF(t *testing.T) {
	lines := []Line{{X: 50, Y: 780, Text: "Jane Fictional ☎"}, {X: 50, Y: 766, Text: "Senior Engineer"}}
	for _, kind := range []FontKind{CIDFont, SubsetTrueType} {
		opt := FontOptions{Kind: kind, KernEvery: 3, Kern: -20, Unmapped: "☎"}
		data := FontPDF(lines, opt)
		checkPDFStructure(t, data)
		if !bytes.Equal(data, FontPDF(lines, opt)) {
			t.Error("output is not deterministic")
		}
		ss := streams(t, data)
		content, cmap := string(ss[0]), string(ss[1])
		if strings.Count(content, "TJ") != len(lines) || !strings.Contains(content, " -20 ") {
			t.Errorf("content stream %q: want one kerned TJ per line", content)
		}
		// First-use codes: J=1, a=2, n=3, e=4, space=5, F=6, i=7, c=8, t=9, o=10.
		code := func(c int) string {
			if kind == CIDFont {
				return strings.ToUpper(strconv.FormatInt(int64(0x10000+c), 16)[1:])
			}
			return strings.ToUpper(strconv.FormatInt(int64(0x100+c), 16)[1:])
		}
		for c, u := range map[int]string{1: "004A", 10: "006F"} {
			if !strings.Contains(cmap, "<"+code(c)+"> <"+u+">") {
				t.Errorf("kind %d: CMap lacks code %d -> %s:\n%s", kind, c, u, cmap)
			}
		}
		if strings.Contains(cmap, "<260E>") {
			t.Errorf("kind %d: the unmapped character is in the CMap", kind)
		}
	}
}
