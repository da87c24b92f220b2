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
// looks like a person's name, else a name the candidate introduces in a sentence.
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
			if n, ok := nameBeforeTitle(seg); ok {
				return n
			}
		}
	}
	return d.introducedName()
}

// nameBeforeTitle reads "Jane Doe Registered Nurse", a name run into a job title
// with no separator: the leading two or three words, when the word after them is
// one that is never part of a name.
func nameBeforeTitle(seg string) (string, bool) {
	words := strings.Fields(seg)
	for n := min(3, len(words)-1); n >= 2; n-- {
		next := strings.ToLower(strings.Trim(words[n], ",.;:()"))
		if lex().stopwords[next] || lex().jobWords[next] {
			if name, ok := personName(strings.Join(words[:n], " ")); ok {
				return name, true
			}
		}
	}
	return "", false
}

var introRe = regexp.MustCompile(`(?i)\b(?:my name is|i am|i'm|i’m|called|named)\s+`)

// introducedName finds a name the candidate gives in a sentence of the header or
// profile: "My name is Sarah Jones", "a support worker called Sarah Jones". The
// words after the cue must pass personName; the longest run that does is taken.
// (prose's entity recogniser was measured for this and rejected: ~1.7 ms per 200
// bytes of text, and it labels towns and employers as people.)
func (d *document) introducedName() string {
	for i, l := range d.lines {
		if !d.body(i) || !d.inKinds(i, KindContact, KindProfile) {
			continue
		}
		for _, m := range introRe.FindAllStringIndex(l.text, -1) {
			// Up to four words, stopping after one that ends a clause ("Jones,").
			var words []string
			for _, w := range strings.Fields(l.text[m[1]:]) {
				t := strings.TrimRight(w, ".,;:!?")
				words = append(words, t)
				if t != w || len(words) == 4 {
					break
				}
			}
			for n := len(words); n >= 2; n-- {
				if name, ok := personName(strings.Join(words[:n], " ")); ok {
					return name
				}
			}
		}
	}
	return ""
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
		if w == "" || l.stopwords[lw] || l.jobWords[lw] || !nameWordChars(w) {
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
	if l.employerWords.contains(joined) || namesPlace(words) {
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

// namesPlace reports a place inside a would-be name: the whole of it ("West
// Yorkshire"), a place of several words ("Greater Manchester Area"), or a town as
// the first word ("Leeds Teaching"). A single-word town later on is allowed, since
// Preston, Lincoln and York are also surnames.
func namesPlace(words []string) bool {
	l := lex()
	isPlace := func(ws []string) bool {
		p := strings.ToLower(strings.Join(ws, " "))
		return l.towns[p] != "" || l.counties[p]
	}
	if isPlace(words) || isPlace(words[:1]) {
		return true
	}
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(words); i++ {
			if isPlace(words[i : i+n]) {
				return true
			}
		}
	}
	return false
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
