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

// checkPDFStructure verifies what readers rely on: header, an xref table whose
// entries point at their objects, a trailer and startxref pointing at the table.
func checkPDFStructure(t *testing.T, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
		t.Fatalf("missing header or %%%%EOF")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(data[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	lines := strings.Split(string(data[xref:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	if lines[2] != "0000000000 65535 f " {
		t.Errorf("first xref entry %q", lines[2])
	}
	for i := 1; i < n; i++ {
		entry := lines[2+i]
		if len(entry)+1 != 20 { // entries are exactly 20 bytes with their EOL
			t.Errorf("xref entry %d is %d bytes", i, len(entry)+1)
		}
		off, _ := strconv.Atoi(entry[:10])
		if want := strconv.Itoa(i) + " 0 obj\n"; !bytes.HasPrefix(data[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i, data[off:min(off+12, len(data))])
		}
	}
	if lines[2+n] != "trailer" || !strings.Contains(lines[3+n], "/Size "+strconv.Itoa(n)+" ") {
		t.Errorf("trailer %q does not match the %d xref entries", lines[3+n], n)
	}
}

// streams returns the decoded streams of an unencrypted PDF.
func streams(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, m := range regexp.MustCompile(`(?s)<<([^>]*?)/Length (\d+) >>\nstream\n`).FindAllSubmatchIndex(data, -1) {
		n, _ := strconv.Atoi(string(data[m[4]:m[5]]))
		body := data[m[1] : m[1]+n]
		if bytes.Contains(data[m[2]:m[3]], []byte("/FlateDecode")) {
			zr, err := zlib.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		}
		out = append(out, body)
	}
	return out
}

func TestPDFStructure(t *testing.T) {
	pages := []Page{TwoColumnPage([]string{"Contact"}, []string{"Experience"}), SingleColumnPage([]string{"Education"}), ImagePage()}
	tests := []struct {
		name string
		opt  PDFOptions
	}{
		{"deflated", PDFOptions{}},
		{"plain", PDFOptions{Uncompressed: true}},
		{"RC4", PDFOptions{Encryption: EncryptRC4}},
		{"RC4 without user password", PDFOptions{Encryption: EncryptRC4NoUserPassword}},
		{"AES-256", PDFOptions{Encryption: EncryptAES256}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := PDFWithOptions(pages, tt.opt)
			checkPDFStructure(t, data)
			if !bytes.Equal(data, PDFWithOptions(pages, tt.opt)) {
				t.Error("output is not deterministic")
			}
			if strings.Contains(string(data), "/Count 3") != true {
				t.Error("page count is not 3")
			}
		})
	}
}

func TestPDFContent(t *testing.T) {
	page := Page{Lines: []Line{{X: 50, Y: 700, Text: `café – (draft) \ £30k 🚀`}}}
	data := PDFWithOptions([]Page{page}, PDFOptions{Uncompressed: true})
	content := streams(t, data)[1] // after the image XObject
	want := "BT /F1 10 Tf 50 700 Td (caf\xe9 \x96 \\(draft\\) \\\\ \xa330k ?) Tj ET\n"
	if string(content) != want {
		t.Errorf("content %q, want %q", content, want)
	}
	deflated := streams(t, PDF([]Page{page}))[1]
	if !bytes.Equal(deflated, content) {
		t.Errorf("deflated content %q differs from plain %q", deflated, content)
	}
}

func TestPDFEncryptionHidesContent(t *testing.T) {
	page := SingleColumnPage([]string{"Jane Doe"})
	for _, enc := range []Encryption{EncryptRC4, EncryptRC4NoUserPassword, EncryptAES256} {
		data := PDFWithOptions([]Page{page}, PDFOptions{Encryption: enc, Uncompressed: true})
		if bytes.Contains(data, []byte("Jane Doe")) || !bytes.Contains(data, []byte("/Encrypt 7 0 R")) {
			t.Errorf("encryption %d: content visible or /Encrypt missing", enc)
		}
	}
	aes := string(PDFWithOptions([]Page{page}, PDFOptions{Encryption: EncryptAES256}))
	for _, key := range []string{"/V 5 /R 6", "/CFM /AESV3", "/OE <", "/UE <", "/Perms <"} {
		if !strings.Contains(aes, key) {
			t.Errorf("AES-256 dictionary lacks %s", key)
		}
	}
}

func TestPageHelpers(t *testing.T) {
	long := strings.Repeat("Senior engineer building data platforms. ", 10)
	two := TwoColumnPage([]string{"# Contact", "a", "b"}, []string{"# Experience", long})
	var xs []float64
	for _, l := range two.Lines {
		xs = append(xs, l.X)
		if l.X < 300 && l.X+TextWidth(l.Text, l.Size) > 280 || l.X >= 300 && l.X+TextWidth(l.Text, l.Size) > PageWidth-margin {
			t.Errorf("line %q overflows its column", l.Text)
		}
	}
	if xs[0] == xs[1] || xs[1] == xs[2] {
		t.Errorf("columns are not interleaved row by row: x = %v", xs)
	}
	if two.Lines[0].Size != 13 || two.Lines[0].Text != "Contact" {
		t.Errorf("heading markup: %+v", two.Lines[0])
	}
	many := make([]string, 120)
	for i := range many {
		many[i] = "line " + strconv.Itoa(i)
	}
	pages := TextPages(many)
	if len(pages) != 3 || pages[2].Lines[len(pages[2].Lines)-1].Text != "line 119" {
		t.Errorf("TextPages: %d pages", len(pages))
	}
	if got := SingleColumnPage(many); len(got.Lines) != len(pages[0].Lines) {
		t.Errorf("SingleColumnPage keeps %d lines, want the first page's %d", len(got.Lines), len(pages[0].Lines))
	}
}

func BenchmarkPDF(b *testing.B) {
	lines := strings.Split(strings.Repeat("Senior Engineer, Acme Ltd, 2019 – present\nLed the ingestion team.\n", 20), "\n")
	pages := []Page{TwoColumnPage(lines[:20], lines[20:]), SingleColumnPage(lines)}
	for b.Loop() {
		PDF(pages)
	}
}
