package specialcat

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence, bullet or form line of the text: text[Start:End].
// A fast rule-based splitter (line breaks, terminal punctuation, bullets) is enough
// here and about fifty times cheaper than a statistical one.
type Sentence struct {
	Start, End int
	t0, t1     int // its tokens: doc.tokens[t0:t1]
}

// abbreviations never end a sentence ("Dr. Patel", "e.g. NHS").
var abbreviations = map[string]bool{
	"dr": true, "mr": true, "mrs": true, "ms": true, "st": true, "eg": true, "ie": true,
	"etc": true, "no": true, "vs": true, "approx": true, "dept": true, "prof": true,
	"rev": true, "cllr": true, "hon": true, "jr": true, "sr": true, "mt": true,
}

const bullets = "•●▪◦■►➢✓✔·"

// splitSentences cuts text into sentences and trims each of space and bullets.
func splitSentences(text string) []Sentence {
	var out []Sentence
	emit := func(s, e int) {
		s, e = trimSentence(text, s, e)
		if s < e {
			out = append(out, Sentence{Start: s, End: e})
		}
	}
	start := 0
	for i := 0; i < len(text); {
		r, n := nextRune(text, i)
		switch {
		case r == '\n' || r == '\r':
			if !continuesLine(text, start, i) {
				emit(start, i)
				start = i + n
			}
		case r == '.' || r == '!' || r == '?':
			if endsSentence(text, start, i) {
				emit(start, i+n)
				start = i + n
			}
		case r >= utf8.RuneSelf && i > start && strings.ContainsRune(bullets, r):
			emit(start, i)
			start = i
		case r == '|' && i > start && i+1 < len(text) && text[i-1] == ' ' && text[i+1] == ' ' && !tableRow(text, i):
			// A spaced bar separates items like a bullet: "Data Lead | Proud gay
			// man | Speaker". A table's cells stay one line.
			emit(start, i)
			start = i + n
		}
		i += n
	}
	emit(start, len(text))
	return out
}

// tableRow reports a line, holding position i, that opens with a bar: a Markdown
// or text table's row.
func tableRow(text string, i int) bool {
	ls := strings.LastIndexByte(text[:i], '\n') + 1
	return strings.HasPrefix(strings.TrimLeft(text[ls:i], " \t"), "|")
}

// continuesLine reports whether the line break at nl only wraps a sentence: the
// line so far has no terminal punctuation and the next line starts in lower case.
func continuesLine(text string, start, nl int) bool {
	line := strings.TrimRight(text[start:nl], " \t\r")
	if line == "" {
		return false
	}
	if last, _ := utf8.DecodeLastRuneInString(line); strings.ContainsRune(".!?:;", last) {
		return false
	}
	next := nl + 1
	if text[nl] == '\r' && next < len(text) && text[next] == '\n' {
		next++
	}
	rest := strings.TrimLeft(text[next:], " \t")
	if rest == "" || rest[0] == '\n' || rest[0] == '\r' {
		return false // a blank line
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsLower(r) || endsMidPhrase(line)
}

// endsMidPhrase reports a line whose last word cannot end a sentence or a heading
// ("…heterozygous for", "…the Unite shop steward for the"), so the line is hard-wrapped
// prose even when the next line starts with a capital ("Factor V Leiden").
func endsMidPhrase(line string) bool {
	i := strings.LastIndexAny(line, " \t")
	return wrapWords[strings.ToLower(line[i+1:])]
}

// wrapWords are grammatical words after which a sentence always continues.
var wrapWords = map[string]bool{
	"a": true, "an": true, "the": true, "my": true, "our": true, "of": true, "for": true,
	"to": true, "with": true, "in": true, "on": true, "at": true, "from": true, "by": true,
	"and": true, "or": true, "but": true, "as": true, "am": true, "is": true, "was": true,
	"i'm": true, "i": true,
}

// endsSentence reports whether the punctuation at i ends a sentence: space follows,
// then a capital, digit, quote, bracket or bullet, and the word before it is not an
// abbreviation or an initial.
func endsSentence(text string, start, i int) bool {
	j := i + 1
	if j < len(text) && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != '\r' {
		return false
	}
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	if j < len(text) {
		r, _ := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !strings.ContainsRune("\"'‘“([\r\n"+bullets, r) {
			return false
		}
	}
	if text[i] != '.' {
		return true
	}
	w := i
	for w > start {
		r, n := utf8.DecodeLastRuneInString(text[start:w])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		w -= n
	}
	word := strings.ToLower(strings.ReplaceAll(text[w:i], ".", ""))
	if utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(text[w:i])[0]) {
		return false // an initial: "J. Smith"
	}
	return !abbreviations[word]
}

func trimSentence(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) && !strings.ContainsRune(bullets+"-*", r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

// attachTokens fills each sentence's token range.
func attachTokens(sents []Sentence, toks []token) {
	for i := range sents {
		s := &sents[i]
		s.t0 = sort.Search(len(toks), func(k int) bool { return toks[k].start >= s.Start })
		s.t1 = sort.Search(len(toks), func(k int) bool { return toks[k].start >= s.End })
	}
}
