package extractors

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/internal/synth"
)

// cvDocx is a Word CV with every construct the extractor handles.
var cvDocx = synth.DocxSpec{
	Paragraphs: []string{
		"# Jane Doe",
		"Senior Engineer\t2019 – present",
		"Leeds\nUnited Kingdom",
		"Skills: Go & SQL <fast>",
	},
	Table: [][]string{
		{"Employer", "Role", "Years"},
		{"Acme Ltd", "Senior Engineer", "2019–2023"},
		{"", "", ""},
		{"Beta plc", "", "2015–2019"},
	},
	TextBox: []string{"Contact", "jane.doe@example.com"},
	Header:  []string{"Curriculum Vitae"},
	Footer:  []string{"References on request"},
}

func TestDOCXExtract(t *testing.T) {
	text := extText(t, "cv.docx", synth.DOCX(cvDocx))
	want := "Curriculum Vitae\n\n" +
		"Jane Doe\nContact\njane.doe@example.com\n\n" +
		"Senior Engineer\t2019 – present\n" +
		"Leeds\nUnited Kingdom\n" +
		"Skills: Go & SQL <fast>\n" +
		"Employer | Role | Years\nAcme Ltd | Senior Engineer | 2019–2023\nBeta plc | 2015–2019\n\n" +
		"References on request"
	if text != want {
		t.Fatalf("got\n%q\nwant\n%q", text, want)
	}
	if n := strings.Count(text, "jane.doe@example.com"); n != 1 {
		t.Errorf("text box text appears %d times, want once (mc:Fallback must be skipped)", n)
	}
}

func TestDOCXParts(t *testing.T) {
	tests := []struct {
		name string
		spec synth.DocxSpec
		want string
	}{
		{"body only", synth.DocxSpec{Paragraphs: []string{"Jane Doe", "", "Engineer"}}, "Jane Doe\n\nEngineer"},
		{"header and footer only", synth.DocxSpec{Header: []string{"Jane Doe CV"}, Footer: []string{"page 1"}}, "Jane Doe CV\n\npage 1"},
		{"text box without paragraphs", synth.DocxSpec{TextBox: []string{"Sidebar"}}, "Sidebar"},
		{"table only", synth.DocxSpec{Table: [][]string{{"a", "b"}, {"c"}}}, "a | b\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := extText(t, "cv.docx", synth.DOCX(tt.spec)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// rewriteZip copies a zip, letting edit replace or drop (nil) each part's content.
func rewriteZip(t testing.TB, data []byte, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		var body bytes.Buffer
		body.ReadFrom(rc)
		rc.Close()
		b := edit(f.Name, body.Bytes())
		if b == nil {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

// lyingZipDOCX is a DOCX whose document.xml declares 200 bytes in its headers
// but inflates to 10 MB.
func lyingZipDOCX(t testing.TB) []byte {
	t.Helper()
	plain := append([]byte(`<w:document xmlns:w="`+nsWord+`"><w:body><w:p><w:r><w:t>`), bytes.Repeat([]byte("A"), 10<<20)...)
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(plain)
	fw.Close()
	base := synth.DOCX(synth.DocxSpec{Paragraphs: []string{"x"}})
	data := rewriteZip(t, base, func(name string, body []byte) []byte {
		if name == docxBody {
			return nil
		}
		return body
	})
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		zw.Copy(f)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: docxBody, Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(plain), CompressedSize64: uint64(comp.Len()), UncompressedSize64: 200})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return out.Bytes()
}

func TestDOCXBadInput(t *testing.T) {
	tests := []struct {
		name   string
		data   func(t testing.TB) []byte
		lim    Limits
		reason Reason
		detail string
	}{
		{"zip bomb past the default cap", func(testing.TB) []byte { return synth.ZipBombDOCX(100 << 20) }, DefaultLimits,
			ReasonZipBomb, "word/document.xml inflates past cap"},
		{"zip bomb past a small cap", func(testing.TB) []byte { return synth.ZipBombDOCX(2 << 20) }, Limits{MaxDecompressedBytes: 1 << 20},
			ReasonZipBomb, "word/document.xml inflates past cap"},
		{"header under the cap, parts together over it", func(testing.TB) []byte {
			return synth.DOCX(synth.DocxSpec{Paragraphs: []string{strings.Repeat("Jane ", 100)}, Header: []string{strings.Repeat("CV ", 300)}})
		}, Limits{MaxDecompressedBytes: 2000}, ReasonZipBomb, "together"},
		{"zip header lies about the size", lyingZipDOCX, DefaultLimits, ReasonCorrupt, "does not match its zip header"},
		{"zip signature then garbage", func(testing.TB) []byte { return append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0x5a, 0x17}, 300)...) },
			DefaultLimits, ReasonCorrupt, "not a zip archive"},
		{"truncated archive", func(testing.TB) []byte { d := synth.DOCX(cvDocx); return d[:len(d)/2] }, DefaultLimits,
			ReasonCorrupt, "not a zip archive"},
		{"no relationships part", func(t testing.TB) []byte {
			return rewriteZip(t, synth.DOCX(cvDocx), func(name string, b []byte) []byte {
				if name == docxRels {
					return nil
				}
				return b
			})
		}, DefaultLimits, ReasonCorrupt, "document.xml.rels"},
		{"document.xml is not XML", func(t testing.TB) []byte {
			return rewriteZip(t, synth.DOCX(cvDocx), func(name string, b []byte) []byte {
				if name == docxBody {
					return []byte("<w:document><w:body>Jane Doe</w:bod")
				}
				return b
			})
		}, DefaultLimits, ReasonCorrupt, "not well-formed"},
		{"empty document", func(testing.TB) []byte { return synth.DOCX(synth.DocxSpec{}) }, DefaultLimits, ReasonNoText, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := extRun(t, "cv.docx", tt.data(t), tt.lim)
			extWantReason(t, err, tt.reason, tt.detail, "Jane", "AAAA")
		})
	}
}

// TestDOCXZipBombAllocatesLittle checks the cap is applied before anything is
// inflated: a 150 MB bomb must not cost more than a few megabytes.
func TestDOCXZipBombAllocatesLittle(t *testing.T) {
	bomb := synth.ZipBombDOCX(150 << 20)
	if len(bomb) > 200<<10 {
		t.Errorf("bomb is %d bytes, want < 200 KB", len(bomb))
	}
	for name, data := range map[string][]byte{"honest headers": bomb, "lying headers": lyingZipDOCX(t)} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Extract(context.Background(), Input{Name: "bomb.docx", Data: data}, Limits{MaxDecompressedBytes: 64 << 20})
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d bytes allocated", name, alloc)
		if alloc > 8<<20 {
			t.Errorf("%s: extraction allocated %d bytes, want under 8 MB", name, alloc)
		}
	}
}

func TestDOCXSniffedAsZipWithoutDocument(t *testing.T) {
	data := rewriteZip(t, synth.DOCX(cvDocx), func(name string, b []byte) []byte {
		if name == docxBody {
			return nil
		}
		return b
	})
	_, err := extRun(t, "cv.docx", data, DefaultLimits)
	extWantReason(t, err, ReasonUnsupported, "zip")
	_, err = docxExtractor{}.Extract(context.Background(), Input{Name: "cv.docx", Data: data}, DefaultLimits)
	extWantReason(t, err, ReasonCorrupt, "no word/document.xml")
}

func FuzzDOCX(f *testing.F) {
	f.Add(synth.DOCX(cvDocx))
	f.Add(synth.DOCX(synth.DocxSpec{Paragraphs: []string{"a\tb\nc"}}))
	f.Add(synth.ZipBombDOCX(2 << 20))
	f.Add([]byte("PK\x03\x04garbage"))
	lim := Limits{MaxFileBytes: 1 << 20, MaxDecompressedBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		extFuzz(t, "cv.docx", data, lim)
	})
}

func BenchmarkExtractDOCX(b *testing.B) {
	spec := cvDocx
	spec.Paragraphs = strings.Split(strings.Repeat(cvText+"\n", 3), "\n") // about two pages
	data := synth.DOCX(spec)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Extract(context.Background(), Input{Name: "cv.docx", Data: data}, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// withZipPart returns a copy of a zip with one more part.
func withZipPart(t testing.TB, data []byte, name string, body []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestDOCXFootnotesAndEndnotes(t *testing.T) {
	notes := func(kind, text string) []byte {
		return []byte(`<w:` + kind + `s xmlns:w="` + nsWord + `">` +
			`<w:` + kind + ` w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:` + kind + `>` +
			`<w:` + kind + ` w:id="1"><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:` + kind + `>` +
			`</w:` + kind + `s>`)
	}
	data := synth.DOCX(synth.DocxSpec{Paragraphs: []string{"Jane Doe", "Engineer¹"}, Footer: []string{"page 1"}})
	data = withZipPart(t, data, "word/footnotes.xml", notes("footnote", "¹ I use a wheelchair."))
	data = withZipPart(t, data, "word/endnotes.xml", notes("endnote", "Available from March."))
	want := "Jane Doe\nEngineer¹\n\n¹ I use a wheelchair.\n\nAvailable from March.\n\npage 1"
	if got := extText(t, "cv.docx", data); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}

	bomb := withZipPart(t, synth.DOCX(synth.DocxSpec{Paragraphs: []string{"Jane Doe"}}), "word/footnotes.xml",
		append(append([]byte(`<w:footnotes xmlns:w="`+nsWord+`"><w:footnote><w:p><w:r><w:t>`), bytes.Repeat([]byte("A"), 64<<10)...), `</w:t></w:r></w:p></w:footnote></w:footnotes>`...))
	_, err := extRun(t, "cv.docx", bomb, Limits{MaxDecompressedBytes: 32 << 10})
	extWantReason(t, err, ReasonZipBomb, "word/footnotes.xml inflates past cap")
}
