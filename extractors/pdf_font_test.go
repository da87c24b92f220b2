package extractors

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/internal/synth"
)

// Regression tests for the font handling of real producers, on fictional
// fixtures that reproduce each defect: the text came out interleaved, with
// U+FFFD, or with a stray letter at the end of every line.

var fontCVLines = []synth.Line{
	{X: 50, Y: 772, Size: 18, Text: "Jane Fictional"},
	{X: 50, Y: 756, Text: "Senior Software Engineer at Apple Orchard Widgets"},
	{X: 50, Y: 742, Text: "jane.fictional@example.com – 07700 900123 – Leeds"},
	{X: 50, Y: 728, Text: "Skills: Go, SQL, PostgreSQL, Kubernetes"},
}

func fontCVText() []string {
	var want []string
	for _, l := range fontCVLines {
		want = append(want, l.Text)
	}
	return want
}

// TestPDFCompositeFontNotInterleaved: with a Type0 (Identity-H) font the
// library gives every glyph zero width, so a string's glyphs piled up on one
// spot, the X of each kerned piece drifted by a fraction of a point, and
// sorting by X interleaved the letters of neighbouring words ("eS oEfntgwianreer").
// The advance now comes from the CIDFont's /W array.
func TestPDFCompositeFontNotInterleaved(t *testing.T) {
	tests := []struct {
		name string
		opt  synth.FontOptions
	}{
		{"space glyphs", synth.FontOptions{Kind: synth.CIDFont}},
		{"kerned pairs", synth.FontOptions{Kind: synth.CIDFont, KernEvery: 3, Kern: -15}},
		{"loosened pairs", synth.FontOptions{Kind: synth.CIDFont, KernEvery: 2, Kern: 12}},
		{"spaces as TJ offsets", synth.FontOptions{Kind: synth.CIDFont, KernEvery: 4, Kern: 20, SpacesAsOffsets: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := extText(t, "cv.pdf", synth.FontPDF(fontCVLines, tt.opt))
			if got := strings.Split(text, "\n"); !slices.Equal(got, fontCVText()) {
				t.Errorf("lines:\n%s\nwant:\n%s", text, strings.Join(fontCVText(), "\n"))
			}
		})
	}
}

// TestPDFNoStrayLetterAtLineEnd: the library appends a "\n" marker after each
// TJ and decodes it through the font; in a LibreOffice subset font code 10 is
// the tenth character used, so every line gained a letter ("Applea").
func TestPDFNoStrayLetterAtLineEnd(t *testing.T) {
	t.Run("subset TrueType font", func(t *testing.T) {
		text := extText(t, "cv.pdf", synth.FontPDF(fontCVLines, synth.FontOptions{Kind: synth.SubsetTrueType, KernEvery: 2, Kern: 5}))
		if got := strings.Split(text, "\n"); !slices.Equal(got, fontCVText()) {
			t.Errorf("lines:\n%s\nwant:\n%s", text, strings.Join(fontCVText(), "\n"))
		}
	})
	// A fictional DOCX from synth.DOCX converted by LibreOffice 7.4
	// (libreoffice --headless --convert-to pdf): TrueType subsets with a
	// ligature glyph, a tab stop, a justified paragraph.
	t.Run("LibreOffice PDF", func(t *testing.T) {
		data, err := os.ReadFile("testdata/pdf/libreoffice_docx.pdf")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"Jane Fictional",
			"jane.fictional@example.com – 07700 900123 – Leeds",
			"Experience",
			"Senior Software Engineer, Apple Orchard Widgets Ltd\t2019 – present",
			"Led a team of twelve engineers building data pipelines for the fictional fruit",
			"industry across Yorkshire and beyond, with a focus on reliability, cost and the",
			"time it takes to hire.",
			"Skills",
			"Go, SQL, PostgreSQL, Kubernetes, Terraform",
		}
		text := extText(t, "cv.pdf", data)
		if got := strings.Split(text, "\n"); !slices.Equal(got, want) {
			t.Errorf("lines:\n%s\nwant:\n%s", text, strings.Join(want, "\n"))
		}
	})
}

// TestPDFNoReplacementCharacter: codes a font cannot map (the TJ marker
// above, icon glyphs missing from ToUnicode, codes WinAnsi leaves undefined)
// came out as U+FFFD, which got name lines rejected. They are dropped, and
// encodings the library did not read (a Type1 font's built-in encoding,
// /Differences glyph names) are decoded.
func TestPDFNoReplacementCharacter(t *testing.T) {
	t.Run("unmapped icon glyph", func(t *testing.T) {
		lines := slices.Clone(fontCVLines)
		lines[0].Text = "☎ Jane Fictional"
		text := extText(t, "cv.pdf", synth.FontPDF(lines, synth.FontOptions{Kind: synth.CIDFont, KernEvery: 3, Kern: -10, Unmapped: "☎"}))
		if strings.ContainsRune(text, '\uFFFD') {
			t.Errorf("U+FFFD in %q", text)
		}
		if first, _, _ := strings.Cut(text, "\n"); first != "Jane Fictional" {
			t.Errorf("name line %q", first)
		}
	})
	tests := []struct {
		name, font, content, want string
		extra                     []synth.RawObject
	}{
		{"WinAnsi code with no character", "<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /WinAnsiEncoding >>",
			`BT /F1 12 Tf 50 780 Td (Jane\201 Fictional) Tj ET`, "Jane Fictional", nil},
		{"Differences glyph names", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding " +
			"/BaseEncoding /WinAnsiEncoding /Differences [1 /f_i /uni00E9 /g123 /Aacute /bullet /ccedilla.sc] >> >>",
			`BT /F1 12 Tf 50 780 Td (\001nance caf\002 \005 \004lvaro Gon\006alves\003) Tj ET`, "finance café • Álvaro Gonçalves", nil},
		{"Type1 built-in encoding (TeX ligatures)", "<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+CMR10 /FirstChar 0 /LastChar 255 " +
			"/FontDescriptor 6 0 R >>", `BT /F1 12 Tf 50 780 Td (\014nance o\016ce \013 \015) Tj ET`, "finance office ff fl",
			[]synth.RawObject{
				{Body: "<< /Type /FontDescriptor /FontName /ABCDEF+CMR10 /Flags 4 /FontBBox [0 -250 1000 750] /ItalicAngle 0 " +
					"/Ascent 750 /Descent -250 /CapHeight 683 /StemV 69 /FontFile 7 0 R >>"},
				{Body: "/Length1 213 /Length2 0 /Length3 0", Stream: []byte("%!PS-AdobeFont-1.0: CMR10 003.002\n" +
					"/FontName /CMR10 def\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n" +
					"dup 11 /ff put\ndup 12 /fi put\ndup 13 /fl put\ndup 14 /ffi put\nreadonly def\ncurrentfile eexec\n")},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs := append([]synth.RawObject{
				{Body: "<< /Type /Catalog /Pages 2 0 R >>"},
				{Body: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
				{Body: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"},
				{Stream: []byte(tt.content)},
				{Body: tt.font},
			}, tt.extra...)
			text := extText(t, "cv.pdf", synth.RawPDF(objs, synth.RawOptions{}))
			if text != tt.want {
				t.Errorf("text %q, want %q", text, tt.want)
			}
		})
	}
}

// TestPDFPredictorParameters: a cross-reference stream whose predictor
// parameters are written without white space ("/Columns 6/Predictor 12")
// must not be read as an absurd column count and quarantined as corrupt.
func TestPDFPredictorParameters(t *testing.T) {
	objs := []synth.RawObject{
		{Body: "<< /Type /Catalog /Pages 2 0 R >>"},
		{Body: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{Body: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"},
		{Stream: []byte("BT /F1 12 Tf 50 780 Td (Jane Fictional) Tj ET")},
		{Body: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"},
	}
	for _, compact := range []bool{false, true} {
		data := synth.RawPDF(objs, synth.RawOptions{XrefStream: true, CompactDecodeParms: compact})
		if text := extText(t, "cv.pdf", data); text != "Jane Fictional" {
			t.Errorf("compact=%v: text %q", compact, text)
		}
	}
	for _, tt := range []struct {
		params string
		ok     bool
	}{
		{"/Columns 5/Predictor 12", true},
		{"/Columns 5>>", true},
		{"/Columns\n5]", true},
		{"/Columns 4000000/Predictor 12", false},
		{"/Columns 99999999999999999999999/Predictor 12", false},
	} {
		if err := checkPredictorColumns([]byte("<</DecodeParms<<" + tt.params + ">>>>")); (err == nil) != tt.ok {
			t.Errorf("%q: error %v, want ok=%v", tt.params, err, tt.ok)
		}
	}
}

// TestPDFLineOrderKeepsRuns checks the layout on glyphs whose advances are
// off: a run's glyphs keep their content-stream order, and runs are ordered
// by where they start.
func TestPDFLineOrderKeepsRuns(t *testing.T) {
	var gs []pdfGlyph
	add := func(run int, x, w float64, s string) {
		for _, r := range s {
			gs = append(gs, pdfGlyph{x: x, y: 700, w: w, adv: w, size: 10, s: string(r), seq: len(gs), run: run})
			x += w
		}
	}
	// The first word's advances are overestimated, so it overlaps the second.
	add(1, 50, 9, "Software")
	add(2, 100, 5, "Engineer")
	// X drifting back and forth by a tenth of a point within one run.
	for i, r := range "Leeds" {
		gs = append(gs, pdfGlyph{x: 200 + 0.1*float64(i%2), y: 700, w: 0.05, adv: 0.05, size: 10, s: string(r), seq: len(gs), run: 3})
	}
	// Fake bold: the same word drawn twice, a fraction of a point apart.
	add(4, 300, 5, "Gone")
	add(5, 300.3, 5, "Gone")
	if got, want := layoutPDFPage(gs), "Software Engineer\tLeeds\tGone"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPDFToUnicodeCMap covers CMap forms the library's reader lost.
func TestPDFToUnicodeCMap(t *testing.T) {
	cmap := parseCMap([]byte(`/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Test def
% no codespace range, and counts that do not match the entries
2 beginbfchar
<0003> <0020> <0011> <00660069> <0012> /bullet <0013> <FFFD> <0014> (A)
endbfchar
1 beginbfrange
<0020> <0022> <0041>
<0030> <0032> [<0078> <D83DDE00> <00AD>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`))
	if cmap == nil {
		t.Fatal("CMap did not parse")
	}
	for code, want := range map[uint32]string{3: " ", 0x11: "fi", 0x12: "•", 0x14: "A", 0x20: "A", 0x22: "C", 0x30: "x", 0x31: "😀", 0x32: "-"} {
		if got, ok := cmap.lookup(code); !ok || got != want {
			t.Errorf("code %#x: %q, %v; want %q", code, got, ok, want)
		}
	}
	for _, code := range []uint32{0x13, 0x23, 0x2f, 0x33} {
		if got, ok := cmap.lookup(code); ok {
			t.Errorf("code %#x mapped to %q; want none", code, got)
		}
	}
}

// formPDF is a one-page PDF drawing content, with Helvetica as F1 (object 5) and the
// forms as objects 6, 7, … named Fm1 and Fm2 in the page's resources.
func formPDF(page string, forms ...synth.RawObject) []byte {
	return synth.RawPDF(append([]synth.RawObject{
		{Body: "<< /Type /Catalog /Pages 2 0 R >>"},
		{Body: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{Body: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R /Fm2 7 0 R >> >> /Contents 4 0 R >>"},
		{Stream: []byte(page)},
		{Body: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"},
	}, forms...), synth.RawOptions{})
}

// formXObject is a form XObject drawing content; extra adds dictionary entries.
func formXObject(content, extra string) synth.RawObject {
	return synth.RawObject{Body: "/Type /XObject /Subtype /Form /BBox [0 0 500 200] " + extra, Stream: []byte(content)}
}

// TestPDFFormXObjectText: text drawn inside form XObjects (as templates and some
// print drivers write it) is extracted at the form's position; forms that draw
// themselves end; a form's content gets the checks page content gets.
func TestPDFFormXObjectText(t *testing.T) {
	doc, form := formPDF, formXObject
	const ownFont = "/Resources << /Font << /F9 5 0 R >> /XObject << /Fm2 7 0 R >> >>"

	t.Run("page text then a form below it, with its own resources and matrix", func(t *testing.T) {
		data := doc("BT /F1 12 Tf 50 780 Td (Curriculum Vitae) Tj ET q /Fm1 Do Q",
			form("BT /F9 12 Tf 0 0 Td (Jane Fictional) Tj ET /Fm2 Do", "/Matrix [1 0 0 1 50 764] "+ownFont),
			form("BT /F9 12 Tf 0 -16 Td (Care Assistant) Tj ET", ownFont))
		if got, want := extText(t, "cv.pdf", data), "Curriculum Vitae\nJane Fictional\nCare Assistant"; got != want {
			t.Fatalf("text %q, want %q", got, want)
		}
	})
	t.Run("a form that draws itself ends", func(t *testing.T) {
		data := doc("q 1 0 0 1 50 700 cm /Fm1 Do Q",
			form("BT /F9 12 Tf 0 0 Td (Jane Fictional) Tj ET /Fm1 Do", "/Resources << /Font << /F9 5 0 R >> /XObject << /Fm1 6 0 R >> >>"),
			form("", ""))
		if got := extText(t, "cv.pdf", data); !strings.Contains(got, "Jane Fictional") {
			t.Fatalf("text %q", got)
		}
	})
	t.Run("a form's content ending inside a hex string", func(t *testing.T) {
		data := doc("BT /F1 12 Tf 50 780 Td (Jane Fictional) Tj ET /Fm1 Do", form("BT /F1 12 Tf <4a61", ""), form("", ""))
		_, err := extRun(t, "cv.pdf", data, DefaultLimits)
		extWantReason(t, err, ReasonCorrupt, "hex string", "Jane")
	})
}
