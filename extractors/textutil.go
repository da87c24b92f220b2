package extractors

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineBreaks turns every line-ending convention, and the separators that mean a
// line or paragraph break, into LF; NBSP and BOMs would otherwise defeat the
// classifiers' word matching.
var lineBreaks = strings.NewReplacer(
	"\r\n", "\n", "\r", "\n", "\f", "\n\n", "\v", "\n",
	"\u2028", "\n", "\u2029", "\n\n", "\u0085", "\n",
	"\u00a0", " ", "\u202f", " ", "\ufeff", "",
)

// normalizeText gives every extractor's output the same shape: LF line ends, no
// trailing blanks, no control characters but tab and newline, at most one blank
// line in a row and none at the start or end.
func normalizeText(s string) string {
	s = strings.Map(dropControl, lineBreaks.Replace(s))
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, ln := range lines {
		ln = strings.TrimRight(ln, " \t")
		if ln == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, ln)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// dropControl removes control characters (C0, DEL, C1) other than tab and LF.
func dropControl(r rune) rune {
	if r == '\t' || r == '\n' {
		return r
	}
	if unicode.IsControl(r) {
		return -1
	}
	return r
}

// textDocument wraps normalised text as a one-part Document, or reports that
// there is no text at all.
func textDocument(f Format, text string) (*Document, error) {
	text = normalizeText(text)
	if strings.TrimSpace(text) == "" {
		return nil, &Error{Reason: ReasonNoText}
	}
	return &Document{Format: f, Parts: []Part{{Text: text}}}, nil
}

// lineBuilder accumulates text with whitespace collapsed as in HTML and word
// processors: runs of blanks become one space, and requested line breaks are
// only written once text follows, so trailing breaks never pile up.
type lineBuilder struct {
	b      strings.Builder
	breaks int    // newlines owed before the next text
	space  bool   // a space is owed before the next text on this line
	prefix string // starts the next text, e.g. a list bullet; holds off further breaks
}

// text appends s, collapsing its whitespace.
func (l *lineBuilder) text(s string) {
	for i, f := range strings.Fields(s) {
		if i > 0 || startsWithSpace(s) {
			l.space = true
		}
		l.raw(f)
	}
	if endsWithSpace(s) {
		l.space = true
	}
}

// raw appends s verbatim after any owed break, prefix or space.
func (l *lineBuilder) raw(s string) {
	if s == "" {
		return
	}
	if l.b.Len() > 0 && l.breaks > 0 {
		l.b.WriteString(strings.Repeat("\n", l.breaks))
	} else if l.space && l.prefix == "" && !l.atLineStart() {
		l.b.WriteByte(' ')
	}
	l.b.WriteString(l.prefix)
	l.breaks, l.space, l.prefix = 0, false, ""
	l.b.WriteString(s)
}

// lineBreak owes n newlines (1: new line, 2: new paragraph) before the next
// text, unless a prefix is waiting: "<li><p>Go</p></li>" is one item line.
func (l *lineBuilder) lineBreak(n int) {
	if l.prefix == "" {
		l.breaks = max(l.breaks, n)
	}
}

// newline owes one more newline, up to a blank line, as <br> does.
func (l *lineBuilder) newline() { l.breaks = min(l.breaks+1, 2) }

func (l *lineBuilder) atLineStart() bool {
	s := l.b.String()
	return s == "" || s[len(s)-1] == '\n'
}

func (l *lineBuilder) String() string { return l.b.String() }

func startsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

func endsWithSpace(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r)
}
