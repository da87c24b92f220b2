package extractors

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

func init() { Register(FormatEML, emlExtractor{}) }

const (
	emlMaxMIMEDepth = 16  // multiparts inside multiparts; real mail nests 3–4 deep
	emlMaxParts     = 500 // MIME parts in one message
)

// emlIgnoredTypes are attachments that never hold a CV: cryptographic signatures
// and keys.
var emlIgnoredTypes = map[string]bool{
	"application/pkcs7-signature": true, "application/x-pkcs7-signature": true,
	"application/pgp-signature": true, "application/pgp-keys": true,
}

// emlExtractor reads an RFC 5322 message: every attachment is extracted with the
// extractor its content sniffs as; the body counts as a CV only when no attachment
// gives one (a CV pasted into the mail).
//
// Limits.MaxAttachmentDepth is the number of e-mails that may be nested inside this
// one: each attachment is extracted with one less, and a message reached with a
// negative budget is refused. A zero Limits therefore still extracts the attachments
// of a top-level message.
type emlExtractor struct{}

type emlAttachment struct {
	name  string
	ctype string
	data  []byte
	// inline marks an image that is part of the body (a logo in a signature): never
	// a CV, so it is skipped without a problem.
	inline bool
}

type emlWalker struct {
	plain, html []string
	atts        []emlAttachment
	problems    []Problem
	parts       int
	names       map[string]int
}

func (emlExtractor) Extract(ctx context.Context, in Input, lim Limits) (*Document, error) {
	if lim.MaxAttachmentDepth < 0 {
		return nil, Errorf(ReasonUnsupported, "e-mail nested deeper than the attachment depth cap")
	}
	msg, err := mail.ReadMessage(bytes.NewReader(in.Data))
	if err != nil {
		return nil, Errorf(ReasonMalformed, "the e-mail header block does not parse")
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return nil, Errorf(ReasonCorrupt, "the e-mail body does not read")
	}
	w := &emlWalker{names: map[string]int{}}
	w.entity(textproto.MIMEHeader(msg.Header), body, 0, false)

	var usable, images []emlAttachment
	for _, a := range w.atts {
		switch {
		case a.inline:
		case strings.HasPrefix(a.ctype, "image/") || Sniff(a.data) == FormatImage:
			images = append(images, a)
		default:
			usable = append(usable, a)
		}
	}
	if len(usable) == 0 {
		// A photo or scan sent as the only attachment is what the candidate sent:
		// report it rather than silently drop it.
		usable = images
	}

	doc := &Document{Format: FormatEML, Problems: w.problems}
	sub := lim
	sub.MaxAttachmentDepth--
	for _, a := range usable {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		origin := "attachment " + a.name
		sd, err := Extract(ctx, Input{Name: in.Name + "#" + a.name, Data: a.data}, sub)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			detail := ""
			var e *Error
			if errors.As(err, &e) {
				detail = e.Detail
			}
			doc.Problems = append(doc.Problems, Problem{Origin: origin, Reason: ReasonOf(err), Detail: detail})
			continue
		}
		for _, p := range sd.Parts {
			p.Origin = emlJoinOrigin(origin, p.Origin)
			if p.Format == "" {
				p.Format = sd.Format
			}
			doc.Parts = append(doc.Parts, p)
		}
		for _, pr := range sd.Problems {
			pr.Origin = emlJoinOrigin(origin, pr.Origin)
			doc.Problems = append(doc.Problems, pr)
		}
		doc.Vacancies = append(doc.Vacancies, sd.Vacancies...)
	}

	if len(doc.Parts) == 0 && len(doc.Vacancies) == 0 {
		text := strings.TrimSpace(strings.ReplaceAll(strings.Join(w.plain, "\n\n"), "\r\n", "\n"))
		if text == "" && len(w.html) > 0 {
			text = crudeHTMLToText(strings.Join(w.html, "\n"))
		}
		if text != "" {
			doc.Parts = []Part{{Origin: "body", Text: text}}
		}
	}
	if len(doc.Parts) == 0 && len(doc.Vacancies) == 0 {
		if len(doc.Problems) == 0 {
			return nil, Errorf(ReasonNoText, "no attachment and an empty body")
		}
		// Quarantine the message with the reason its (first) attachment failed.
		p := doc.Problems[0]
		for _, q := range doc.Problems {
			if strings.HasPrefix(q.Origin, "attachment ") {
				p = q
				break
			}
		}
		if p.Detail == "" {
			return nil, Errorf(p.Reason, "%s", p.Origin)
		}
		return nil, Errorf(p.Reason, "%s: %s", p.Origin, p.Detail)
	}
	return doc, nil
}

func emlJoinOrigin(outer, inner string) string {
	if inner == "" {
		return outer
	}
	return outer + " " + inner
}

// entity sorts one MIME entity into body text, attachments or nested parts.
func (w *emlWalker) entity(h textproto.MIMEHeader, body []byte, depth int, related bool) {
	ctype, params := emlMediaType(h.Get("Content-Type"))
	if ctype == "" {
		ctype = "text/plain" // RFC 2045's default
	}
	disp, dparams := emlMediaType(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}

	if strings.HasPrefix(ctype, "multipart/") {
		w.multipart(body, params["boundary"], depth, related || ctype == "multipart/related")
		return
	}
	data := emlDecodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	isMessage := ctype == "message/rfc822" || ctype == "message/global"
	switch {
	case emlIgnoredTypes[ctype]:
	case name == "" && disp != "attachment" && ctype == "text/plain":
		w.plain = append(w.plain, emlDecodeCharset(data, params["charset"]))
	case name == "" && disp != "attachment" && ctype == "text/html":
		w.html = append(w.html, emlDecodeCharset(data, params["charset"]))
	case name == "" && disp != "attachment" && !isMessage && strings.HasPrefix(ctype, "text/"):
		// Calendar invites, vCards, delivery reports: not a CV and not a body.
	default:
		fallback := fmt.Sprintf("part-%d", len(w.atts)+1)
		if isMessage {
			fallback = fmt.Sprintf("message-%d.eml", len(w.atts)+1)
		}
		w.atts = append(w.atts, emlAttachment{
			name:   w.uniqueName(emlFileName(name, fallback)),
			ctype:  ctype,
			data:   data,
			inline: strings.HasPrefix(ctype, "image/") && (related || disp == "inline" || h.Get("Content-Id") != ""),
		})
	}
}

func (w *emlWalker) multipart(body []byte, boundary string, depth int, related bool) {
	if boundary == "" {
		w.problems = append(w.problems, Problem{Origin: "body", Reason: ReasonMalformed, Detail: "multipart without a boundary"})
		return
	}
	if depth >= emlMaxMIMEDepth {
		w.problems = append(w.problems, Problem{Origin: "body", Reason: ReasonMalformed,
			Detail: fmt.Sprintf("multiparts nested more than %d deep", emlMaxMIMEDepth)})
		return
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for n := 0; ; n++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) && n > 0 {
			return
		}
		if err != nil {
			detail := "a multipart section is cut short"
			if n == 0 {
				detail = "no part matches the multipart boundary"
			}
			w.problems = append(w.problems, Problem{Origin: "body", Reason: ReasonMalformed, Detail: detail})
			return
		}
		if w.parts++; w.parts > emlMaxParts {
			w.problems = append(w.problems, Problem{Origin: "body", Reason: ReasonMalformed,
				Detail: fmt.Sprintf("more than %d MIME parts; the rest were skipped", emlMaxParts)})
			return
		}
		data, err := io.ReadAll(p)
		if err != nil {
			// Truncated mail: keep what arrived; the part's own extractor judges it.
			w.problems = append(w.problems, Problem{Origin: "body", Reason: ReasonCorrupt, Detail: "the message ends inside a MIME part"})
		}
		w.entity(p.Header, data, depth+1, related)
		if err != nil {
			return
		}
	}
}

// uniqueName keeps Origins distinct when two attachments share a file name.
func (w *emlWalker) uniqueName(name string) string {
	w.names[name]++
	if n := w.names[name]; n > 1 {
		return fmt.Sprintf("%s (%d)", name, n)
	}
	return name
}

// emlMediaType parses a Content-Type or Content-Disposition value, salvaging the
// file name from values mime rejects (unquoted spaces are common).
func emlMediaType(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "", map[string]string{}
	}
	mt, params, err := mime.ParseMediaType(v)
	if params == nil {
		params = map[string]string{}
	}
	if err != nil {
		if mt == "" {
			mt, _, _ = strings.Cut(v, ";")
		}
		for _, seg := range strings.Split(v, ";")[1:] {
			k, val, ok := strings.Cut(seg, "=")
			if k = strings.ToLower(strings.TrimSpace(k)); ok && params[k] == "" {
				params[k] = strings.Trim(strings.TrimSpace(val), `"`)
			}
		}
	}
	return strings.ToLower(strings.TrimSpace(mt)), params
}

var emlWordDecoder = &mime.WordDecoder{CharsetReader: legacyCharsetReader}

// emlFileName decodes an RFC 2047 name and keeps only its base name, printable,
// so it can stand in an Origin or a log line.
func emlFileName(name, fallback string) string {
	if d, err := emlWordDecoder.DecodeHeader(name); err == nil {
		name = d
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || r == '#' {
			return '_' // '#' separates the message from the attachment in Input.Name
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	if name == "" {
		return fallback
	}
	return name
}

// emlDecodeTransfer undoes base64 or quoted-printable leniently: a damaged encoding
// still yields bytes, and the attachment's extractor decides whether they are usable.
func emlDecodeTransfer(enc string, b []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "base64":
		return emlDecodeBase64(b)
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
		if err != nil {
			return b
		}
		return out
	}
	return b
}

// emlDecodeBase64 skips line breaks and junk and decodes each '='-terminated run on
// its own, which also handles concatenated encoders' output.
func emlDecodeBase64(b []byte) []byte {
	out := make([]byte, 0, len(b)*3/4)
	chunk := make([]byte, 0, len(b))
	flush := func() {
		if len(chunk)%4 == 1 {
			chunk = chunk[:len(chunk)-1] // a lone trailing symbol carries no whole byte
		}
		buf := make([]byte, base64.RawStdEncoding.DecodedLen(len(chunk)))
		n, _ := base64.RawStdEncoding.Decode(buf, chunk)
		out = append(out, buf[:n]...)
		chunk = chunk[:0]
	}
	for _, c := range b {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			chunk = append(chunk, c)
		case c == '-':
			chunk = append(chunk, '+') // URL-safe alphabet
		case c == '_':
			chunk = append(chunk, '/')
		case c == '=':
			if len(chunk) > 0 {
				flush()
			}
		}
	}
	flush()
	return out
}

// emlDecodeCharset turns a text part into UTF-8, trusting the declared charset and
// falling back to Windows-1252 for undeclared 8-bit text.
func emlDecodeCharset(b []byte, charset string) string {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if cs != "" && cs != "utf-8" && cs != "utf8" && cs != "us-ascii" {
		if enc, err := htmlindex.Get(cs); err == nil {
			if out, err := enc.NewDecoder().Bytes(b); err == nil {
				return string(out)
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}
