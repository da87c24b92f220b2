package extractors

import (
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cvetl/cvetl/internal/synth"
)

// Helpers shared by the text, HTML, PDF and DOCX tests.

// extRun runs the public entry point, as the pipeline does.
func extRun(t testing.TB, name string, data []byte, lim Limits) (*Document, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return Extract(ctx, Input{Name: name, Data: data}, lim)
}

// extText returns the text of a one-part document, failing on an error.
func extText(t testing.TB, name string, data []byte) string {
	t.Helper()
	doc, err := extRun(t, name, data, DefaultLimits)
	if err != nil {
		t.Fatalf("%s: unexpected error %v", name, err)
	}
	if len(doc.Parts) != 1 {
		t.Fatalf("%s: %d parts, want 1", name, len(doc.Parts))
	}
	return doc.Parts[0].Text
}

// extWantReason checks an extraction failed with reason want, with detail
// containing detail, and that the message quotes none of the secrets.
func extWantReason(t testing.TB, err error, want Reason, detail string, secrets ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want *Error with reason %s", err, err, want)
	}
	if e.Reason != want {
		t.Fatalf("reason %s (%v), want %s", e.Reason, err, want)
	}
	if !strings.Contains(e.Detail, detail) {
		t.Errorf("detail %q does not mention %q", e.Detail, detail)
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error message %q leaks file content %q", err, s)
		}
	}
}

// extFuzz is the body of every fuzz target: Extract must return within a few
// seconds, with either an *Error that is not a recovered panic or a sane
// document. A hang fails with every goroutine's stack, to show where.
func extFuzz(t *testing.T, name string, data []byte, lim Limits) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	type result struct {
		doc *Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		doc, err := Extract(ctx, Input{Name: name, Data: data}, lim)
		done <- result{doc, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		buf := make([]byte, 1<<20)
		t.Fatalf("Extract did not return within 5s:\n%s", buf[:runtime.Stack(buf, true)])
	}
	if r.err != nil {
		var e *Error
		if errors.As(r.err, &e) && e.Reason == ReasonPanic {
			t.Fatalf("extractor panicked: %v", r.err)
		}
		return
	}
	if r.doc == nil || len(r.doc.Parts) == 0 {
		t.Fatalf("no error and no parts")
	}
	for _, p := range r.doc.Parts {
		if strings.TrimSpace(p.Text) == "" || !utf8.ValidString(p.Text) {
			t.Fatalf("part text is empty or not UTF-8")
		}
	}
}

// cvText is a plain-text CV used across the tests and benchmarks.
var cvText = strings.Join([]string{
	"Jane Doe",
	"jane.doe@example.com · 07700 900123 · Leeds LS1 4AB",
	"",
	"Profile",
	"Backend engineer with ten years of experience building data platforms.",
	"",
	"Experience",
	"Senior Engineer, Acme Ltd, 2019 – present",
	"Led the ingestion team; cut processing cost by 40%.",
	"Engineer, Beta plc, 2015 – 2019",
	"Built billing services in Go and PostgreSQL.",
	"",
	"Education",
	"University of Leeds, BSc Computer Science, 2015",
	"",
	"Skills",
	"Go, SQL, Kubernetes, Terraform, leadership",
}, "\n")

func utf16Bytes(s string, order binary.AppendByteOrder, bom bool) []byte {
	var out []byte
	if bom {
		out = order.AppendUint16(out, 0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

func TestTextDecoding(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"utf-8", []byte("Jane Doe\nSenior Engineer"), "Jane Doe\nSenior Engineer"},
		{"utf-8 with BOM", []byte("\xEF\xBB\xBFcafé – £30k"), "café – £30k"},
		{"utf-16 LE with BOM", utf16Bytes("Zoë Smith\r\nDevOps – £60k 🚀", binary.LittleEndian, true), "Zoë Smith\nDevOps – £60k 🚀"},
		{"utf-16 BE with BOM", utf16Bytes("Zoë Smith\nDevOps", binary.BigEndian, true), "Zoë Smith\nDevOps"},
		{"utf-16 LE without BOM", utf16Bytes("Zoë Smith\r\nDevOps engineer – £60k", binary.LittleEndian, false), "Zoë Smith\nDevOps engineer – £60k"},
		{"utf-16 BE without BOM", utf16Bytes("Zoë Smith\nDevOps engineer, Leeds", binary.BigEndian, false), "Zoë Smith\nDevOps engineer, Leeds"},
		{"windows-1252", []byte("caf\xe9 \x96 \xa330k \x93quoted\x94 \x80"), "café – £30k “quoted” €"},
		{"CRLF and lone CR", []byte("one\r\ntwo\rthree\r\n"), "one\ntwo\nthree"},
		{"trailing blanks and blank runs", []byte("  a  \t\n\n\n\nb\n\n"), "  a\n\nb"},
		{"NBSP and form feed", []byte("a\u00a0b\fc"), "a b\n\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := extText(t, "cv.txt", tt.data); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextUTF16HTMLLosesMarkup(t *testing.T) {
	data := utf16Bytes("<html><body><p>Jane Doe</p><script>x()</script></body></html>", binary.LittleEndian, true)
	doc, err := extRun(t, "cv.htm", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != FormatHTML || doc.Parts[0].Text != "Jane Doe" {
		t.Errorf("got %s %q, want html \"Jane Doe\"", doc.Format, doc.Parts[0].Text)
	}
}

func TestTextBadInput(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		reason Reason
		detail string
	}{
		{"mixed utf-8 and latin-1", []byte("Zoë Smith\nJos\xe9 Garc\xeda"), ReasonEncoding, "byte offset 14"},
		{"invalid utf-8 after BOM", []byte("\xEF\xBB\xBFok\xff"), ReasonEncoding, "byte offset 5"},
		{"byte undefined in cp1252", []byte("caf\xe9 \x81"), ReasonEncoding, "offset 5"},
		{"NUL byte", []byte("Jane Doe, engineer, lives in Leeds and works at Acme\x00 and more"), ReasonEncoding, "offset 52"},
		{"utf-16 odd length", append(utf16Bytes("Jane", binary.LittleEndian, true), 'x'), ReasonEncoding, "offset 10"},
		{"whitespace only", []byte(" \t\r\n\n  "), ReasonNoText, ""},
		{"utf-16 without BOM, lone surrogate", binary.LittleEndian.AppendUint16(utf16Bytes("Jane Doe, DevOps engineer", binary.LittleEndian, false), 0xD800), ReasonEncoding, "unpaired UTF-16 surrogate at byte offset 50"},
		{"utf-16 whitespace only", utf16Bytes("  \r\n", binary.LittleEndian, true), ReasonNoText, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := extRun(t, "cv.txt", tt.data, DefaultLimits)
			extWantReason(t, err, tt.reason, tt.detail, "Jane", "Garc", "Zo")
		})
	}
}

// TestUnpairedSurrogateInput checks the fixture above really holds a lone
// surrogate: Go strings cannot carry one, so it is spliced in by hand.
func TestUnpairedSurrogateInput(t *testing.T) {
	units := []uint16{'J', 0xD800, 'a'}
	data := []byte{0xFE, 0xFF}
	for _, u := range units {
		data = binary.BigEndian.AppendUint16(data, u)
	}
	_, err := extRun(t, "cv.txt", data, DefaultLimits)
	extWantReason(t, err, ReasonEncoding, "unpaired UTF-16 surrogate at byte offset 4")
}

// TestCancelledContext checks every extractor gives up on a cancelled
// context with the context's error, which the pipeline tells apart from a
// defect of the file.
func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		data []byte
	}{
		{"cv.txt", []byte(cvText)},
		{"cv.html", []byte(cvHTML)},
		{"cv.docx", synth.DOCX(cvDocx)},
		{"cv.pdf", synth.PDF(cvPDFPages())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Extract(ctx, Input{Name: tt.name, Data: tt.data}, DefaultLimits); !errors.Is(err, context.Canceled) {
				t.Errorf("got %v, want context.Canceled", err)
			}
		})
	}
}

func FuzzText(f *testing.F) {
	f.Add([]byte(cvText))
	f.Add([]byte("caf\xe9 \x96 \xa330k"))
	f.Add([]byte("Zoë\nJos\xe9"))
	f.Add(utf16Bytes("Zoë Smith\r\nDevOps", binary.LittleEndian, true))
	f.Add(utf16Bytes("Zoë Smith", binary.BigEndian, true))
	f.Add([]byte("\xEF\xBB\xBF  \r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		extFuzz(t, "cv.txt", data, DefaultLimits)
	})
}

func BenchmarkExtractText(b *testing.B) {
	data := []byte(strings.Repeat(cvText+"\n\n", 3)) // about two pages
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Extract(context.Background(), Input{Name: "cv.txt", Data: data}, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}
