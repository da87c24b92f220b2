package classifiers

import (
	"regexp"
	"strings"
	"unicode"
)

var nameLabelRe = regexp.MustCompile(`(?i)^(?:full\s+name|name|candidate(?:'s)?\s+name|applicant(?:'s)?\s+name|your\s+name)\s*[:\-–]\s*(.+)$`)

// honorifics are dropped from the front of a name.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true,
	"prof": true, "professor": true, "sir": true, "dame": true, "rev": true,
}

// nameParticles may be lower case inside a name ("Ludwig van Beethoven").
var nameParticles = map[string]bool{
	"de": true, "da": true, "di": true, "du": true, "del": true, "della": true, "der": true,
	"den": true, "van": true, "von": true, "le": true, "la": true, "bin": true, "binti": true,
	"al": true, "el": true, "ter": true, "ten": true, "dos": true, "das": true, "y": true,
}

// name finds the candidate's name: a "Name:" line, else the first header line that
// looks like a person's name. Only when both fail is prose's entity recogniser asked,
// and its answer must pass the same checks, because it mislabels CV headers.
func (d *document) name() string {
	for i, l := range d.lines {
		if !d.body(i) || d.inKinds(i, KindReferences, KindExperience, KindEducation) {
			continue
		}
		if m := nameLabelRe.FindStringSubmatch(l.text); m != nil {
			if segs := splitSegments(m[1]); len(segs) > 0 {
				if n, ok := personName(segs[0]); ok {
					return n
				}
			}
		}
	}
	seen := 0
	for i, l := range d.lines {
		if !d.body(i) {
			continue
		}
		if seen++; seen > 10 || l.kind != KindContact {
			break
		}
		for _, seg := range splitSegments(l.text) {
			if n, ok := personName(seg); ok {
				return n
			}
			if a, _, found := strings.Cut(seg, ","); found {
				if n, ok := personName(a); ok {
					return n
				}
			}
		}
	}
	return d.proseName()
}

// personName reports whether s is shaped like a person's name: two to four
// capitalised words (initials and particles allowed inside), no digits, no word from
// the heading, job-title or employer lists, not a town. Honorifics and letters after
// the name are dropped; an all-caps name is returned in Title Case.
func personName(s string) (string, bool) {
	words := strings.Fields(strings.Trim(collapseSpace(s), " ,;:|-–—*\"'"))
	for len(words) > 0 && honorifics[strings.ToLower(strings.TrimSuffix(words[0], "."))] {
		words = words[1:]
	}
	for len(words) > 0 && lex().postnominals[strings.ToLower(strings.Trim(words[len(words)-1], "(),."))] {
		words = words[:len(words)-1]
	}
	if len(words) < 2 || len(words) > 4 {
		return "", false
	}
	l := lex()
	for i, w := range words {
		w = strings.TrimSuffix(w, ",")
		words[i] = w
		lw := strings.ToLower(w)
		if l.stopwords[lw] || l.jobWords[lw] || !nameWordChars(w) {
			return "", false
		}
		first := []rune(w)[0]
		inner := i > 0 && i < len(words)-1
		switch {
		case unicode.IsUpper(first):
			letters := countLetters(w)
			if letters == 1 && !inner {
				return "", false // "J. Smith" is not enough of a name to store
			}
		case nameParticles[lw] && inner:
		default:
			return "", false
		}
	}
	joined := strings.Join(words, " ")
	lj := strings.ToLower(joined)
	if l.towns[lj] != "" || l.counties[lj] || l.employerWords.contains(joined) {
		return "", false
	}
	if _, _, isHeading := lookupHeading(joined); isHeading {
		return "", false
	}
	for i, w := range words {
		if isUpperWord(w) && countLetters(w) > 1 {
			words[i] = titleWord(w)
		}
	}
	return strings.Join(words, " "), true
}

// nameWordChars allows letters, hyphens, apostrophes and a full stop after initials.
func nameWordChars(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' && r != '.' {
			return false
		}
	}
	return true
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
