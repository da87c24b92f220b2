package extractors

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/internal/synth"
)

// cvPDFHeader spans both columns of the first page, above them.
var cvPDFHeader = synth.Line{X: 50, Y: 808, Size: 15, Text: "Jane Doe – Senior Backend Engineer – Leeds, United Kingdom"}

// cvPDFPages is a two-page CV: a sidebar layout under a full-width name line,
// then a plain page.
func cvPDFPages() []synth.Page {
	left := []string{"# Contact", "jane.doe@example.com", "07700 900123", "Leeds LS1 4AB", "",
		"# Skills", "Go", "SQL and PostgreSQL", "Kubernetes", "Terraform", "", "# Languages", "English, French"}
	right := []string{"# Experience", "Senior Engineer, Acme Ltd, 2019 – present",
		"Led the ingestion team that processes two million CVs a month; cut processing cost by 40% and halved the time to hire.", "",
		"Engineer, Beta plc, 2015 – 2019", "Built billing services in Go and PostgreSQL for 300 business customers.", "",
		"# Profile", "Backend engineer with ten years of experience building data platforms."}
	first := synth.TwoColumnPage(left, right)
	first.Lines = append([]synth.Line{cvPDFHeader}, first.Lines...)
	second := synth.SingleColumnPage([]string{"# Education", "University of Leeds, BSc Computer Science, 2015", "",
		"# Interests", "Fell running, chess, café culture – £30k raised for charity", "", "References available on request."})
	return []synth.Page{first, second}
}

// pdfColumnLines splits a page's lines into those left and right of x = 300.
func pdfColumnLines(p synth.Page) (left, right []string) {
	for _, l := range p.Lines {
		switch {
		case l.Text == cvPDFHeader.Text:
		case l.X < 300:
			left = append(left, l.Text)
		default:
			right = append(right, l.Text)
		}
	}
	return left, right
}

func TestPDFTwoColumnReadingOrder(t *testing.T) {
	pages := cvPDFPages()
	left, right := pdfColumnLines(pages[0])
	tests := []struct {
		name string
		opt  synth.PDFOptions
	}{
		{"deflated streams", synth.PDFOptions{}},
		{"plain streams", synth.PDFOptions{Uncompressed: true}},
		{"RC4 with an empty user password", synth.PDFOptions{Encryption: synth.EncryptRC4NoUserPassword}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := extText(t, "cv.pdf", synth.PDFWithOptions(pages, tt.opt))
			page1, _, _ := strings.Cut(text, "\n\nEducation")
			var got []string
			for _, l := range strings.Split(page1, "\n") {
				if l != "" {
					got = append(got, l)
				}
			}
			// The content stream interleaves the columns row by row; the text
			// must hold the header, then the left column whole, then the right.
			want := append(append([]string{cvPDFHeader.Text}, left...), right...)
			if !slices.Equal(got, want) {
				t.Errorf("page 1 lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for _, l := range got {
				if !slices.Contains(want, l) {
					t.Errorf("line %q is not a line of either column: columns mixed", l)
				}
			}
		})
	}
}

func TestPDFText(t *testing.T) {
	text := extText(t, "cv.pdf", synth.PDF(cvPDFPages()))
	for _, want := range []string{
		"Senior Engineer, Acme Ltd, 2019 – present\nLed the ingestion team", // lines of one paragraph
		"the time to hire.\n\nEngineer, Beta plc",                           // blank line between paragraphs
		"Terraform\n\nLanguages",
		"English, French\n\nExperience",                        // blank line between columns
		"building data platforms.\n\nEducation\nUniversity of", // and between pages
		"café culture – £30k",                                  // WinAnsi decoded
		"2015\n\nInterests",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q; got\n%s", want, text)
		}
	}
}

// TestPDFNotColumns checks layouts with an x-gap in many lines that are not
// columns stay row by row: dates aligned right, bullets hanging left.
func TestPDFNotColumns(t *testing.T) {
	var dated synth.Page
	y := 780.0
	add := func(p *synth.Page, x float64, s string) { p.Lines = append(p.Lines, synth.Line{X: x, Y: y, Text: s}) }
	for _, job := range [][2]string{{"Senior Engineer, Acme Ltd", "2019 – present"}, {"Engineer, Beta plc", "2015 – 2019"}, {"Junior Developer, Gamma", "2013 – 2015"}} {
		add(&dated, 50, job[0])
		add(&dated, 480, job[1])
		y -= 14
		add(&dated, 50, "Responsible for the design and operation of services used by thousands of customers.")
		y -= 14
		add(&dated, 50, "Mentored engineers and ran the hiring loop for the platform team in Leeds.")
		y -= 24
	}
	var bullets synth.Page
	y = 780
	for _, s := range []string{"Go", "SQL and PostgreSQL", "Kubernetes", "Terraform", "Leadership", "Hiring"} {
		add(&bullets, 50, "•")
		add(&bullets, 80, s)
		y -= 14
	}
	tests := []struct {
		name  string
		page  synth.Page
		lines []string
	}{
		{"right-aligned dates", dated, []string{"Senior Engineer, Acme Ltd\t2019 – present", "Engineer, Beta plc\t2015 – 2019", "Junior Developer, Gamma\t2013 – 2015"}},
		{"hanging bullets", bullets, []string{"•\tGo", "•\tSQL and PostgreSQL", "•\tHiring"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := extText(t, "cv.pdf", synth.PDF([]synth.Page{tt.page}))
			for _, l := range tt.lines {
				if !slices.Contains(strings.Split(text, "\n"), l) {
					t.Errorf("no line %q in\n%s", l, text)
				}
			}
		})
	}
}

// pdfPatch replaces the first old in data, failing when it is absent.
func pdfPatch(t testing.TB, data []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("fixture lacks %q", old)
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

var startxrefValue = regexp.MustCompile(`startxref\n(\d+)`)

func TestPDFBadInput(t *testing.T) {
	cv := synth.PDFWithOptions(cvPDFPages(), synth.PDFOptions{Uncompressed: true})
	one := synth.PDFWithOptions([]synth.Page{synth.SingleColumnPage([]string{"Jane Doe"})}, synth.PDFOptions{Uncompressed: true})
	manyGlyphs := synth.Page{}
	for range 25000 {
		manyGlyphs.Lines = append(manyGlyphs.Lines, synth.Line{X: 50, Y: 400, Text: strings.Repeat("Jane ", 10)})
	}
	tests := []struct {
		name   string
		data   func(t testing.TB) []byte
		lim    Limits
		reason Reason
		detail string
	}{
		{"truncated in the middle", func(testing.TB) []byte { return cv[:len(cv)/2] }, DefaultLimits, ReasonCorrupt, "truncated: no xref/trailer"},
		{"last bytes cut", func(testing.TB) []byte { return cv[:len(cv)-4] }, DefaultLimits, ReasonCorrupt, "truncated: no xref/trailer"},
		{"header then garbage", func(testing.TB) []byte { return []byte("%PDF-1.4\n\x01\x02Jane Doe (((<<") }, DefaultLimits, ReasonCorrupt, "truncated"},
		{"RC4 with a user password", func(testing.TB) []byte {
			return synth.PDFWithOptions(cvPDFPages(), synth.PDFOptions{Encryption: synth.EncryptRC4})
		}, DefaultLimits, ReasonEncrypted, "password"},
		{"AES-256", func(testing.TB) []byte {
			return synth.PDFWithOptions(cvPDFPages(), synth.PDFOptions{Encryption: synth.EncryptAES256})
		}, DefaultLimits, ReasonEncrypted, "AES-256"},
		{"scanned pages", func(testing.TB) []byte {
			return synth.PDF([]synth.Page{synth.ImagePage(), synth.ImagePage()})
		}, DefaultLimits, ReasonImageOnlyPDF, "2 of 2 pages"},
		{"blank page", func(testing.TB) []byte { return synth.PDF([]synth.Page{{}}) }, DefaultLimits, ReasonNoText, ""},
		{"PNG renamed .pdf", func(testing.TB) []byte { return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR%PDF-1.4") }, DefaultLimits, ReasonImage, ""},
		{"xref /Prev points at itself", func(t testing.TB) []byte {
			off := startxrefValue.FindSubmatch(cv)[1]
			return pdfPatch(t, cv, "trailer\n<< ", "trailer\n<< /Prev "+string(off)+" ")
		}, DefaultLimits, ReasonCorrupt, "loop"},
		{"xref subsection of a billion objects", func(t testing.TB) []byte {
			return pdfPatch(t, cv, "xref\n0 ", "xref\n999999999 ")
		}, DefaultLimits, ReasonCorrupt, "declares objects 999999999 to 1000000"},
		{"page is its own parent", func(t testing.TB) []byte {
			return pdfPatch(t, one, "/Parent 2 0 R", "/Parent 5 0 R")
		}, DefaultLimits, ReasonCorrupt, "no page content parses"},
		{"font object overwritten", func(t testing.TB) []byte {
			return pdfPatch(t, one, "3 0 obj\n<< /Type /Font", "3 0 obj\n(Jane Doe was ")
		}, DefaultLimits, ReasonCorrupt, "no page content parses"},
		{"content ends inside a hex string", func(t testing.TB) []byte {
			return pdfPatch(t, one, "(Jane Doe) Tj ET", "(Jane Doe) Tj <A") // the library's lexer would wait forever
		}, DefaultLimits, ReasonCorrupt, "page 1: page content ends inside a hex string"},
		{"open hex string after a rejected escape", func(t testing.TB) []byte {
			return pdfPatch(t, one, "(Jane Doe) Tj ET", "[(J\\q( Do)  <ABC")
		}, DefaultLimits, ReasonCorrupt, "ends inside a hex string"},
		{"page content past the decompression budget", func(testing.TB) []byte { return cv }, Limits{MaxDecompressedBytes: 500},
			ReasonZipBomb, "page 1 content inflates past 500 bytes"},
		{"page with a million glyphs", func(testing.TB) []byte { return synth.PDF([]synth.Page{manyGlyphs}) }, DefaultLimits,
			ReasonZipBomb, "text operands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := extRun(t, "cv.pdf", tt.data(t), tt.lim)
			extWantReason(t, err, tt.reason, tt.detail, "Jane", "Leeds")
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestPDFRecoverableDefects(t *testing.T) {
	cv := synth.PDF(cvPDFPages())
	tests := []struct {
		name     string
		data     []byte
		contains string
		problems []string
	}{
		{"junk before the header", append([]byte("From mailer\r\n"), cv...), "Jane Doe", nil},
		{"junk after %%EOF", append(bytes.Clone(cv), "\r\n\x00\x00--boundary--\r\n"...), "Jane Doe", nil},
		{"PDF 2.0 header", pdfPatch(t, cv, "%PDF-1.4", "%PDF-2.0"), "Jane Doe", nil},
		{"a scanned page among text pages", synth.PDF(append(cvPDFPages(), synth.ImagePage())), "Jane Doe",
			[]string{"page 3: image_only_pdf"}},
		{"unbalanced Q: text in content order", pdfPatch(t, synth.PDFWithOptions([]synth.Page{synth.SingleColumnPage([]string{"Jane Doe"})},
			synth.PDFOptions{Uncompressed: true}), "BT /F1 10 Tf 50 780 Td (Jane Doe) Tj ET", "BT/F1 10 Tf 50 780 Td (Jane Doe)Tj Q ET"),
			"Jane Doe", nil},
		{"page tree lists itself as a kid", pdfPatch(t, synth.PDF(cvPDFPages()), "/Kids [5 0 R 7 0 R]", "/Kids [2 0 R 7 0 R]"),
			"University of Leeds", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := extRun(t, "cv.pdf", tt.data, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc.Parts[0].Text, tt.contains) {
				t.Errorf("text lacks %q:\n%s", tt.contains, doc.Parts[0].Text)
			}
			var problems []string
			for _, p := range doc.Problems {
				problems = append(problems, fmt.Sprintf("%s: %s", p.Origin, p.Reason))
			}
			if !slices.Equal(problems, tt.problems) {
				t.Errorf("problems %v, want %v", problems, tt.problems)
			}
		})
	}
}

// TestPDFRandomContentTerminates feeds the library content streams of random
// PDF tokens and bytes: each must come back well before its deadline, since
// the library's lexer has inputs on which it never returns.
func TestPDFRandomContentTerminates(t *testing.T) {
	base := synth.PDFWithOptions([]synth.Page{synth.SingleColumnPage([]string{strings.Repeat("Jane Doe ", 8)})},
		synth.PDFOptions{Uncompressed: true})
	start := bytes.Index(base, []byte("BT /F1"))
	end := start + bytes.Index(base[start:], []byte("\nendstream"))
	const alphabet = "<>()[]{}/%\\ \n0123456789abcdefABCDEF#TjBTETQq"
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		data := bytes.Clone(base)
		for k := start; k < end; k++ {
			if rng.IntN(3) == 0 {
				data[k] = byte(rng.IntN(256))
			} else {
				data[k] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := Extract(ctx, Input{Name: "cv.pdf", Data: data}, DefaultLimits)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("case %d did not finish: content %q", i, data[start:end])
		}
	}
}

func TestPDFPageCap(t *testing.T) {
	pages := make([]synth.Page, maxPDFPages+5)
	for i := range pages {
		pages[i] = synth.SingleColumnPage([]string{fmt.Sprintf("page %d", i+1)})
	}
	doc, err := extRun(t, "cv.pdf", synth.PDF(pages), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	text := doc.Parts[0].Text
	if !strings.Contains(text, fmt.Sprintf("page %d", maxPDFPages)) || strings.Contains(text, fmt.Sprintf("page %d", maxPDFPages+1)) {
		t.Errorf("want pages 1-%d only", maxPDFPages)
	}
	if len(doc.Problems) != 1 || doc.Problems[0].Reason != ReasonTooLarge {
		t.Errorf("problems %+v, want one too_large", doc.Problems)
	}
}

func TestPDFDeadline(t *testing.T) {
	data := synth.PDF(cvPDFPages())
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := Extract(expired, Input{Name: "cv.pdf", Data: data}, DefaultLimits); ReasonOf(err) != ReasonTimeout {
		t.Errorf("expired: got %v, want a timeout", err)
	}
}

func FuzzPDF(f *testing.F) {
	plain := synth.PDFOptions{Uncompressed: true}
	f.Add(synth.PDFWithOptions(cvPDFPages(), plain))
	f.Add(synth.PDF(cvPDFPages()))
	f.Add(synth.PDFWithOptions([]synth.Page{synth.ImagePage()}, plain))
	f.Add(synth.PDFWithOptions([]synth.Page{synth.SingleColumnPage([]string{"Jane"})}, synth.PDFOptions{Uncompressed: true, Encryption: synth.EncryptRC4}))
	f.Add(synth.PDFWithOptions([]synth.Page{synth.SingleColumnPage([]string{"Jane"})}, synth.PDFOptions{Uncompressed: true, Encryption: synth.EncryptRC4NoUserPassword}))
	f.Add(synth.PDFWithOptions([]synth.Page{synth.SingleColumnPage([]string{"Jane"})}, synth.PDFOptions{Encryption: synth.EncryptAES256}))
	cv := synth.PDFWithOptions(cvPDFPages(), plain)
	f.Add(cv[:len(cv)/2])
	f.Add(synth.FontPDF(fontCVLines, synth.FontOptions{Kind: synth.CIDFont, KernEvery: 3, Kern: -15, Unmapped: "–"}))
	f.Add(synth.FontPDF(fontCVLines, synth.FontOptions{Kind: synth.SubsetTrueType, KernEvery: 2, Kern: 5, SpacesAsOffsets: true}))
	f.Add(formPDF("q 1 0 0 1 50 700 cm /Fm1 Do Q", formXObject("BT /F9 12 Tf 0 0 Td (Jane Fictional) Tj ET /Fm2 Do",
		"/Resources << /Font << /F9 5 0 R >> /XObject << /Fm2 7 0 R >> >>"), formXObject("BT /F1 9 Tf (Leeds) Tj ET", "")))
	lim := Limits{MaxFileBytes: 1 << 20, MaxDecompressedBytes: 8 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		extFuzz(t, "cv.pdf", data, lim)
	})
}

func BenchmarkExtractPDF(b *testing.B) {
	data := synth.PDF(cvPDFPages())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Extract(context.Background(), Input{Name: "cv.pdf", Data: data}, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}
