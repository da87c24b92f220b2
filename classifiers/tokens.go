package classifiers

import (
	"unicode"
	"unicode/utf8"
)

// tokens is text split into words, with a lowercased copy of each word. Matching
// phrases token by token (not with one regexp per phrase) keeps skills matching to
// one map lookup per word whatever the size of the taxonomy.
type tokens struct {
	text  string
	start []int    // byte offset of each token in text
	end   []int    // byte offset just past each token
	lower []string // lowercased token; all share one backing string
}

// tokenChar reports whether r belongs inside a word. '+' and '#' are kept for
// "C++", "C#" and "C+E"; everything else but letters and digits separates words.
func tokenChar(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '+' || r == '#'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '#'
}

func isAlnum(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// tokenize splits text into tokens. A '.' stays inside a word when a letter or digit
// follows it ("Node.js", ".NET", "7.5t"), so a sentence's full stop does not.
func tokenize(text string) tokens {
	t := tokens{text: text}
	n := len(text)/5 + 1
	t.start = make([]int, 0, n)
	t.end = make([]int, 0, n)
	t.lower = make([]string, 0, n)
	buf := make([]byte, 0, len(text))
	var lowStart []int
	i := 0
	for i < len(text) {
		r, size := decodeRune(text, i)
		if !tokenChar(r) && !(r == '.' && nextIsAlnum(text, i+size)) {
			i += size
			continue
		}
		s := i
		ls := len(buf)
		hasAlnum := false
		for i < len(text) {
			r, size = decodeRune(text, i)
			if r == '.' {
				if !nextIsAlnum(text, i+size) {
					break
				}
			} else if !tokenChar(r) {
				break
			}
			if isAlnum(r) {
				hasAlnum = true
			}
			if r < utf8.RuneSelf {
				c := byte(r)
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf = append(buf, c)
			} else {
				buf = utf8.AppendRune(buf, unicode.ToLower(r))
			}
			i += size
		}
		if !hasAlnum { // a lone "+" or "#"
			buf = buf[:ls]
			continue
		}
		t.start = append(t.start, s)
		t.end = append(t.end, i)
		lowStart = append(lowStart, ls)
	}
	all := string(buf) // one allocation for every lowercased token
	for k := range t.start {
		e := len(all)
		if k+1 < len(lowStart) {
			e = lowStart[k+1]
		}
		t.lower = append(t.lower, all[lowStart[k]:e])
	}
	return t
}

func nextIsAlnum(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := decodeRune(s, i)
	return isAlnum(r)
}

// decodeRune is utf8.DecodeRuneInString with a fast path for ASCII, which is most
// of a CV.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// len returns the number of tokens.
func (t *tokens) len() int { return len(t.start) }

// original returns token i as written.
func (t *tokens) original(i int) string { return t.text[t.start[i]:t.end[i]] }
