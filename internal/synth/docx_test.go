package synth

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// parts returns a DOCX's parts by name.
func parts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = string(b)
	}
	return out
}

func wellFormed(t *testing.T, name, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed: %v", name, err)
		}
	}
}

func TestDOCXPackage(t *testing.T) {
	spec := DocxSpec{
		Paragraphs: []string{"# Jane Doe", "Engineer\t2019\nLeeds", "R&D <lead>"},
		Table:      [][]string{{"a", "b"}, {"c"}},
		TextBox:    []string{"Contact"},
		Header:     []string{"CV"},
		Footer:     []string{"Page 1"},
	}
	data := DOCX(spec)
	if !bytes.Equal(data, DOCX(spec)) {
		t.Error("output is not deterministic")
	}
	p := parts(t, data)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/header1.xml", "word/footer1.xml"} {
		if _, ok := p[name]; !ok {
			t.Fatalf("no part %s", name)
		}
		wellFormed(t, name, p[name])
	}
	doc := p["word/document.xml"]
	for _, want := range []string{
		`<w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Jane Doe</w:t>`,
		`Engineer</w:t><w:tab/><w:t xml:space="preserve">2019</w:t><w:br/>`,
		`R&amp;D &lt;lead&gt;`,
		`<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr><w:p></w:p></w:tc>`, // the missing cell, padded
		`<w:headerReference w:type="default" r:id="rId1"/><w:footerReference w:type="default" r:id="rId2"/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if n := strings.Count(doc, "<w:txbxContent>"); n != 2 {
		t.Errorf("text box written %d times, want 2 (DrawingML and VML fallback)", n)
	}
	rels := p["word/_rels/document.xml.rels"]
	if !strings.Contains(rels, `Id="rId1" Type="`+relHeader+`" Target="header1.xml"`) ||
		!strings.Contains(rels, `Id="rId2" Type="`+relFooter+`" Target="footer1.xml"`) {
		t.Errorf("document relationships: %s", rels)
	}
	if !strings.Contains(p["[Content_Types].xml"], `PartName="/word/header1.xml"`) {
		t.Error("content types lack the header override")
	}
}

func TestDOCXMinimal(t *testing.T) {
	p := parts(t, DOCX(DocxSpec{}))
	if len(p) != 4 {
		t.Errorf("%d parts, want 4 without header and footer", len(p))
	}
	for name, body := range p {
		wellFormed(t, name, body)
	}
}

func TestZipBombDOCX(t *testing.T) {
	const inflated = 20 << 20
	data := ZipBombDOCX(inflated)
	if len(data) > 40<<10 {
		t.Errorf("bomb is %d bytes for %d inflated, want about 1000x smaller", len(data), inflated)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		if f.UncompressedSize64 != inflated {
			t.Errorf("declared size %d, want %d", f.UncompressedSize64, inflated)
		}
		rc, _ := f.Open()
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil || n != inflated {
			t.Errorf("inflated %d bytes (%v), want %d", n, err, inflated)
		}
		return
	}
	t.Error("no word/document.xml")
}

func BenchmarkDOCX(b *testing.B) {
	spec := DocxSpec{Paragraphs: strings.Split(strings.Repeat("Senior Engineer, Acme Ltd\tLed the team.\n", 40), "\n"), Header: []string{"CV"}}
	for b.Loop() {
		DOCX(spec)
	}
}
