package specialcat

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of the text. Lexicon phrases and text go through the same
// tokeniser, so "Crohn’s" and "CROHN'S" both have the key "crohn's", and "type-1"
// matches "type 1". The lexicon loader adds the apostrophe-less spelling ("crohns").
type token struct {
	start, end int    // byte offsets of the word in the text
	key        string // lower case, curly apostrophes made straight; "&" is "and"
	base       string // key without a possessive "'s" ("gurdwara's"), else ""
	cap        bool   // first letter upper case
	upper      bool   // two or more letters, all upper case (an acronym)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// nextRune decodes the rune at text[i:], without the decoder for ASCII.
func nextRune(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

// tokenize splits text into words with their byte offsets.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/6)
	for i := 0; i < len(text); {
		r, n := nextRune(text, i)
		if r == '&' {
			toks = append(toks, token{start: i, end: i + n, key: "and"})
			i += n
			continue
		}
		if !isWordRune(r) {
			i += n
			continue
		}
		start, end := i, i+n
		for end < len(text) {
			r, n := nextRune(text, end)
			if isWordRune(r) {
				end += n
				continue
			}
			// An apostrophe joins letters ("Crohn's", "I'm") but not a trailing one
			// ("Students' Union").
			if isApostrophe(r) && end+n < len(text) {
				if r2, _ := utf8.DecodeRuneInString(text[end+n:]); unicode.IsLetter(r2) {
					end += n
					continue
				}
			}
			break
		}
		toks = append(toks, makeToken(text, start, end))
		i = end
	}
	return toks
}

func makeToken(text string, start, end int) token {
	w := text[start:end]
	t := token{start: start, end: end, key: foldKey(w)}
	if n := len(t.key); n > 4 && t.key[n-2:] == "'s" {
		t.base = t.key[:n-2] // "gurdwara's langar", "the union's"; not "he's", "it's"
	}
	first, _ := utf8.DecodeRuneInString(w)
	t.cap = unicode.IsUpper(first)
	if !t.cap {
		return t // an acronym starts with a capital
	}
	letters, uppers := 0, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				uppers++
			}
		}
	}
	t.upper = letters > 1 && letters == uppers
	return t
}

// foldKey lower-cases w and straightens apostrophes, keeping them so that "I'll"
// is not "ill"; the common all-lower ASCII word is returned without allocating.
func foldKey(w string) string {
	clean := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || (c >= 'A' && c <= 'Z') {
			clean = false
			break
		}
	}
	if clean {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		if isApostrophe(r) {
			r = '\''
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// gap is the text between two adjacent tokens.
func gap(text string, a, b token) string { return text[a.end:b.start] }

// joinable reports whether a phrase may continue across the gap between two words:
// spaces, hyphens and dashes do, other punctuation does not. One line break does
// too: phrases are matched within a sentence, and a sentence spans a line break
// only where the segmenter found hard-wrapped prose ("the Unite shop\nsteward").
func joinable(g string) bool {
	breaks := 0
	for _, r := range g {
		switch r {
		case ' ', '\t', '\u00a0', '-', '–', '—', '\'', '’', '/', '_': // "/" for "N/A", "_" for an export's "ethnic_group"
		case '\n':
			breaks++
		case '\r':
		default:
			return false
		}
	}
	return breaks <= 1
}

// hyphenated reports a bare hyphen between two words ("bi-weekly", "two-stroke"):
// the words form one compound.
func hyphenated(g string) bool { return g == "-" || g == "‐" }

// plainSpace reports a gap of spaces only: no punctuation, no line break.
func plainSpace(g string) bool {
	if g == "" {
		return false
	}
	for _, r := range g {
		if r != ' ' && r != '\t' && r != '\u00a0' {
			return false
		}
	}
	return true
}

// wrapped reports a gap that is one line break with spaces around it: a line
// wrapped mid-phrase, not a new paragraph.
func wrapped(g string) bool {
	if strings.Count(g, "\n") != 1 {
		return false
	}
	rest := strings.NewReplacer("\n", "", "\r", "").Replace(g)
	return rest == "" || plainSpace(rest)
}
