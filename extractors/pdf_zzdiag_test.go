package extractors

// TEMPORARY aggregate diagnostics over the external corpus; prints numbers only.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/ledongthuc/pdf"
)

func diagTokens(s string) map[string]int {
	m := map[string]int{}
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		m[f]++
	}
	return m
}

func diagOverlap(got, want map[string]int) (p, r float64) {
	inter, ng, nw := 0, 0, 0
	for k, v := range got {
		ng += v
		inter += min(v, want[k])
	}
	for _, v := range want {
		nw += v
	}
	if ng > 0 {
		p = float64(inter) / float64(ng)
	}
	if nw > 0 {
		r = float64(inter) / float64(nw)
	}
	return
}

var diagProducerRe = regexp.MustCompile(`/Producer\s*\(([^)]{0,60})`)

func diagBucket(data []byte) string {
	m := diagProducerRe.FindSubmatch(data)
	if m == nil {
		if strings.Contains(string(data), "Producer") {
			return "?(hex/indirect)"
		}
		return "-"
	}
	s := strings.ToLower(string(m[1]))
	for _, k := range []string{"libreoffice", "openoffice", "skia", "wkhtmltopdf", "qt", "microsoft", "pdftex", "xetex", "quartz", "itext", "ghostscript", "react-pdf", "pdfkit", "cairo", "chromium", "word", "adobe", "acrobat", "pdflib", "tcpdf", "fpdf", "dompdf", "reportlab", "google", "mac os"} {
		if strings.Contains(s, k) {
			return k
		}
	}
	return "other"
}

func TestZZPDFDiag(t *testing.T) {
	dir := os.Getenv("CVETL_PDF_DIAG")
	if dir == "" {
		t.Skip()
	}
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(strings.ToLower(p), ".pdf") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	for i, f := range files {
		data, _ := os.ReadFile(f)
		doc, err := Extract(context.Background(), Input{Name: "x.pdf", Data: data}, DefaultLimits)
		status, text := "ok", ""
		if err != nil {
			status = string(ReasonOf(err))
		} else {
			text = doc.Parts[0].Text
		}
		out, _ := exec.Command("pdftotext", "-layout", f, "-").Output()
		p, r := diagOverlap(diagTokens(text), diagTokens(string(out)))
		fffd := strings.Count(text, "\uFFFD")
		// library view
		var glyphs, zeroW, nl int
		fontKinds := map[string]int{}
		if rd, err := pdf.NewReader(newPDFSource(context.Background(), data), int64(len(data))); err == nil {
			func() {
				defer func() { recover() }()
				for pn := 1; pn <= rd.NumPage() && pn <= 5; pn++ {
					pg := rd.Page(pn)
					fonts := pg.Resources().Key("Font")
					for _, name := range fonts.Keys() {
						fo := fonts.Key(name)
						enc := fo.Key("Encoding")
						ek := "null"
						switch enc.Kind() {
						case pdf.Name:
							ek = enc.Name()
						case pdf.Dict:
							ek = "dict"
							if enc.Key("BaseEncoding").Kind() == pdf.Name {
								ek += "+" + enc.Key("BaseEncoding").Name()
							}
						}
						tu := fo.Key("ToUnicode").Kind() == pdf.Stream
						w := fo.Key("Widths").Kind() == pdf.Array
						dw := fo.Key("DescendantFonts").Index(0).Key("W").Kind() == pdf.Array
						fontKinds[fmt.Sprintf("%s/%s/tu=%v/w=%v/W=%v", fo.Key("Subtype").Name(), ek, tu, w, dw)]++
					}
					func() {
						defer func() { recover() }()
						for _, tx := range pg.Content().Text {
							if tx.S == "\n" {
								nl++
								continue
							}
							glyphs++
							if tx.W == 0 {
								zeroW++
							}
						}
					}()
				}
			}()
		}
		var kinds []string
		for k, v := range fontKinds {
			kinds = append(kinds, fmt.Sprintf("%s×%d", k, v))
		}
		sort.Strings(kinds)
		t.Logf("#%02d %-12s %-8s P=%.2f R=%.2f fffd=%d glyphs=%d zeroW=%d cols=%v fonts=%s", i, diagBucket(data), status, p, r, fffd, glyphs, zeroW,
			strings.Count(string(data), "/Columns"), strings.Join(kinds, " "))
	}
}
