package classifiers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// line is one line of the CV with surrounding space trimmed.
type line struct {
	start, end int    // byte offsets of text within the document
	text       string // trimmed line; for an inline heading, what follows "Heading:"
	blank      bool
	heading    bool   // a whole-line section heading: not body text
	kind       string // kind of the section the line is in ("contact" for the header)
}

// document is a CV split once into lines and sections, shared by every extractor.
type document struct {
	text     string
	lines    []line
	sections []Section
}

func newDocument(text string) *document {
	d := &document{text: text}
	d.lines = splitLines(text)
	d.sections = findSections(d)
	return d
}

// splitLines cuts text at '\n' (CRLF and CR too) and trims each line.
func splitLines(text string) []line {
	lines := make([]line, 0, strings.Count(text, "\n")+1)
	for pos := 0; pos <= len(text); {
		e := strings.IndexAny(text[pos:], "\r\n")
		next := len(text) + 1
		if e < 0 {
			e = len(text)
		} else {
			e += pos
			next = e + 1
			if text[e] == '\r' && e+1 < len(text) && text[e+1] == '\n' {
				next++
			}
		}
		s, t := trimSpan(text, pos, e)
		lines = append(lines, line{start: s, end: t, text: text[s:t], blank: s == t})
		pos = next
	}
	return lines
}

// trimSpan narrows [s, e) of text past white space, including no-break and
// zero-width spaces that PDF and DOCX extraction leave behind.
func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !isSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !isSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff'
}

// inKinds reports whether line i is in a section of one of the kinds.
func (d *document) inKinds(i int, kinds ...string) bool {
	for _, k := range kinds {
		if d.lines[i].kind == k {
			return true
		}
	}
	return false
}

// body reports whether line i is non-blank body text (not a heading).
func (d *document) body(i int) bool { return !d.lines[i].blank && !d.lines[i].heading }
