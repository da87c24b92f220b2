package samplegen

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/quotedprintable"
	"strings"
	"time"
	"unicode/utf16"
)

// windows1252 encodes s in Windows-1252, as old Windows editors save text. It
// panics on a character the code page lacks: the callers' text is fixed.
func windows1252(s string) []byte {
	high := map[rune]byte{
		'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
		'‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93,
		'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B,
		'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch b, ok := high[r]; {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			out = append(out, byte(r))
		case ok:
			out = append(out, b)
		default:
			panic(fmt.Sprintf("samplegen: %q is not in Windows-1252", r))
		}
	}
	return out
}

// utf16LE encodes s as UTF-16 little-endian with a byte-order mark and CRLF line
// ends, as Windows Notepad's "Unicode" option saves it.
func utf16LE(s string) []byte {
	s = strings.ReplaceAll(s, "\n", "\r\n")
	units := utf16.Encode([]rune(s))
	out := make([]byte, 2, 2+2*len(units))
	out[0], out[1] = 0xFF, 0xFE
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// csvBytes writes records as CSV (comma 0 means ',') with CRLF line ends, as
// spreadsheet exports do.
func csvBytes(comma rune, records [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if comma != 0 {
		w.Comma = comma
	}
	w.UseCRLF = true
	if err := w.WriteAll(records); err != nil {
		panic(err) // writing to memory cannot fail
	}
	return b.Bytes()
}

// attachment is one MIME part of an e-mail.
type attachment struct {
	Name, ContentType string
	Data              []byte
	// QuotedPrintable writes a text part quoted-printable instead of base64.
	QuotedPrintable bool
	// CutBase64 keeps only this many base64 characters (0 keeps all): an upload
	// that was cut off.
	CutBase64 int
}

// email is a multipart/mixed message with a plain-text body and attachments.
type email struct {
	From, To, Subject, MessageID string
	Date                         time.Time
	Body                         string
	Attachments                  []attachment
}

// bytes writes the message with CRLF line ends and a fixed boundary.
func (m email) bytes() []byte {
	const boundary = "----=_Part_4417_1921335.1763560330"
	var b strings.Builder
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", m.From)
	h("To", m.To)
	h("Subject", m.Subject)
	h("Date", m.Date.Format(time.RFC1123Z))
	h("Message-ID", "<"+m.MessageID+">")
	h("MIME-Version", "1.0")
	h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\nThis is a multi-part message in MIME format.\r\n\r\n")
	b.WriteString("--" + boundary + "\r\n")
	h("Content-Type", `text/plain; charset="utf-8"`)
	h("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n" + strings.ReplaceAll(m.Body, "\n", "\r\n") + "\r\n")
	for _, a := range m.Attachments {
		b.WriteString("\r\n--" + boundary + "\r\n")
		h("Content-Type", a.ContentType+`; name="`+a.Name+`"`)
		h("Content-Disposition", `attachment; filename="`+a.Name+`"`)
		if a.QuotedPrintable {
			h("Content-Transfer-Encoding", "quoted-printable")
			b.WriteString("\r\n")
			var qp bytes.Buffer
			w := quotedprintable.NewWriter(&qp)
			w.Write(a.Data)
			w.Close()
			b.Write(qp.Bytes())
			b.WriteString("\r\n")
			continue
		}
		h("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		enc := base64.StdEncoding.EncodeToString(a.Data)
		if a.CutBase64 > 0 && a.CutBase64 < len(enc) {
			enc = enc[:a.CutBase64]
		}
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("\r\n--" + boundary + "--\r\n")
	return []byte(b.String())
}

// pngScan is a small valid PNG: a grey page with dark "text" bars, like a phone
// photo of a printed CV.
func pngScan() []byte {
	img := image.NewGray(image.Rect(0, 0, 48, 64))
	for y := range 64 {
		for x := range 48 {
			v := uint8(235)
			if y%6 < 2 && x > 4 && x < 44-(y*7)%17 {
				v = 40
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// legacyDoc is the start of a Word 97–2003 file: the OLE2 compound-file header,
// then empty sectors.
func legacyDoc() []byte {
	b := make([]byte, 2048)
	copy(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	copy(b[0x18:], []byte{0x3E, 0x00, 0x03, 0x00, 0xFE, 0xFF, 0x09, 0x00, 0x06, 0x00})
	for i := 0x4C; i < 0x200; i++ {
		b[i] = 0xFF // DIFAT entries: unused
	}
	return b
}

// plainZip is a zip of text files with no word/document.xml: a zip, not a DOCX.
func plainZip(files [][2]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: zip.Deflate,
			Modified: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)})
		if err != nil {
			panic(err)
		}
		w.Write([]byte(f[1]))
	}
	zw.Close()
	return b.Bytes()
}
