package classifiers

import (
	"regexp"
	"strings"
	"unicode"
)

// nameLabelRe reads "Name: Jane Doe", and "Candidate: Jane Doe" as an agency's
// profile writes it.
var nameLabelRe = regexp.MustCompile(`(?i)^(?:full\s+name|name|candidate(?:'s)?(?:\s+name)?|applicant(?:'s)?\s+name|your\s+name)\s*[:\-–]\s*(.+)$`)

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
// Returning nothing is better than returning a wrong name: a wrong name is stored as
// someone's personal data.
func (d *document) name() string {
	for i, l := range d.lines {
		if !d.body(i) || d.inKinds(i, KindReferences, KindExperience, KindEducation) {
			continue
		}
		if m := nameLabelRe.FindStringSubmatch(l.text); m != nil {
			if segs := splitSegments(m[1]); len(segs) > 0 {
				if n, ok := parseName(segs[0], true); ok {
					return n
				}
			}
		}
	}
	seen := 0
	top := true // no line so far but a document title ("Curriculum Vitae")
	for i, l := range d.lines {
		if !d.body(i) {
			continue
		}
		if seen++; seen > 10 || l.kind != KindContact {
			break
		}
		if locationLine(l.text) {
			top = false
			continue
		}
		for k, seg := range splitSegments(l.text) {
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
			// The top line, with contact details right after it, is where a CV puts
			// its owner's name: there, and only there, "jane doe" and "Priya K" pass.
			if top && k == 0 {
				if n, ok := parseName(seg, true); ok && d.contactFollows(i) {
					return n
				}
			}
		}
		top = top && documentTitle(l.text)
	}
	if n, _, _, ok := d.mainColumnName(); ok {
		return n
	}
	return d.introducedName()
}

// mainColumnName finds the name heading the main column of a two-column layout whose
// text comes out sidebar first: a sidebar CV or a LinkedIn "Save as PDF" profile
// gives the contact details and skill or certification lists first, then the main
// column, which starts with the name, a headline under it (and on a LinkedIn profile
// the location), then the profile or experience heading. The name must start a block
// of at most four lines whose second line names a job, and the block must end right
// before a profile or experience heading, so a referee or a course in a list does not
// pass. It returns the name, its line index and the index of its block's last line.
func (d *document) mainColumnName() (name string, at, last int, ok bool) {
	seen := 0
	for i := range d.lines {
		if d.lines[i].blank {
			continue
		}
		if seen++; seen > 60 {
			break
		}
		if !d.body(i) || d.inKinds(i, KindReferences, KindExperience) {
			continue
		}
		if i > 0 && !d.lines[i-1].blank && !d.lines[i-1].heading {
			continue // not the start of a block
		}
		if i+1 >= len(d.lines) || !d.body(i+1) || !namesJob(d.lines[i+1].text) {
			continue
		}
		end := i + 1
		for end+1 < len(d.lines) && d.body(end+1) && end-i < 3 {
			end++
		}
		next := end + 1
		for next < len(d.lines) && d.lines[next].blank {
			next++
		}
		if next >= len(d.lines) || !d.lines[next].heading || !d.inKinds(next, KindProfile, KindExperience) {
			continue
		}
		if n, ok := personName(d.lines[i].text); ok {
			return n, i, end, true
		}
	}
	return "", 0, 0, false
}

// namesJob reports a headline naming a job: "HGV Class 1 Driver", "Health and
// Safety Officer at Greyfriars Electrical".
func namesJob(s string) bool {
	if len(s) > 120 || strings.Contains(s, "@") {
		return false
	}
	for _, w := range wordsLower(s) {
		if lex().jobWords[w] {
			return true
		}
	}
	return false
}

// locationLine reports the Indeed header line "City, State - Email me on Indeed: …":
// its words are a place, never a name.
func locationLine(s string) bool {
	return containsFold(s, "email me on indeed")
}

// documentTitle reports a line made only of words like "Curriculum Vitae" or "CV".
func documentTitle(s string) bool {
	ws := wordsLower(s)
	for _, w := range ws {
		if !lex().stopwords[w] {
			return false
		}
	}
	return len(ws) > 0
}

// contactFollows reports contact details (an e-mail address, a phone number, a
// link) on line i or on one of the three non-blank lines after it.
func (d *document) contactFollows(i int) bool {
	for n := 0; i < len(d.lines) && n < 4; i++ {
		l := d.lines[i]
		if l.blank {
			continue
		}
		n++
		if strings.Contains(l.text, "@") || maybeLink(l.text) || hasPhone(l.text) {
			return true
		}
	}
	return false
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
// bytes of text, and it labels towns and employers as people. Re-measured as a
// last-resort fallback on the first 600 bytes, with personName on each PERSON: it
// added no correct name on the DataTurks sets, and on the same CVs with the name line
// removed it added 62 and 110 names, all wrong; ~5 ms per CV without a name.)
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
// capitalised words (particles allowed inside), no digits, no comma between words, no
// word from the heading, job-title, employer or organisation lists, not a town, not
// a skill of the taxonomy as a whole, not ending in a state code. Initials ("K", "K.") are allowed beside at least two full words
// ("Jane K. Doe", "Ravi Kumar K"). Honorifics and letters after the name are
// dropped; an all-caps name is returned in Title Case.
func personName(s string) (string, bool) { return parseName(s, false) }

// parseName is personName; relaxed also accepts lower-case words ("jane doe", returned
// as "Jane Doe") in names of up to three words, and a name of one full word and
// initials ("Priya K", "A. Kumar"). Relaxed is for the strongest positions only: a
// "Name:" label, or the top line of the CV with contact details after it.
func parseName(s string, relaxed bool) (string, bool) {
	words := strings.Fields(strings.Trim(collapseSpace(s), " ,;:|-–—*\"'"))
	for len(words) > 0 && honorifics[strings.ToLower(strings.TrimSuffix(words[0], "."))] {
		words = words[1:]
	}
	for len(words) > 0 && lex().postnominals[strings.ToLower(strings.Trim(words[len(words)-1], "(),."))] {
		words = words[:len(words)-1]
	}
	if n := len(words); n > 0 {
		// "Jane Doe, RGN" leaves a comma after the name; any other comma separates
		// the parts of a place or a list ("Pune, Maharashtra"), not words of a name.
		words[n-1] = strings.TrimSuffix(words[n-1], ",")
		// A full stop after a surname ends a sentence; after an initial ("K.") it stays.
		if countLetters(words[n-1]) > 1 {
			words[n-1] = strings.TrimSuffix(words[n-1], ".")
		}
	}
	if len(words) < 2 || len(words) > 4 {
		return "", false
	}
	l := lex()
	full, lower := 0, false
	for i, w := range words {
		lw := strings.ToLower(w)
		letters := countLetters(w)
		if letters == 0 || strings.Contains(w, ",") || l.stopwords[lw] || l.jobWords[lw] || l.orgWords[lw] || !nameWordChars(w) {
			return "", false
		}
		first := []rune(w)[0]
		inner := i > 0 && i < len(words)-1
		switch {
		case nameParticles[lw] && inner:
			continue
		case unicode.IsUpper(first):
		case relaxed && unicode.IsLower(first) && !smallWords[lw] && !commonWords[lw]:
			lower = true
		default:
			return "", false
		}
		if letters > 1 {
			full++ // else an initial: "K", "K."
		}
	}
	need := 2 // full words beside initials: "J. Smith" is not enough of a name to store
	if relaxed {
		need = 1
	}
	if full < need || (lower && len(words) > 3) {
		return "", false
	}
	joined := strings.Join(words, " ")
	if l.employerWords.contains(joined) || namesPlace(words) || endsInRegionCode(words) {
		return "", false
	}
	if _, _, isHeading := lookupHeading(joined); isHeading {
		return "", false
	}
	if lower && len(Skills(joined)) > 0 {
		return "", false // "java python": a skills line in lower case
	}
	if isSkillPhrase(joined) {
		return "", false // "CSCS Card", "Power BI": a skill list's item
	}
	for i, w := range words {
		switch {
		case isUpperWord(w) && countLetters(w) > 1:
			words[i] = titleWord(w)
		case lower && unicode.IsLower([]rune(w)[0]) && !(nameParticles[strings.ToLower(w)] && i > 0 && i < len(words)-1):
			words[i] = titleWord(w)
		}
	}
	return strings.Join(words, " "), true
}

// commonWords are lower-case words that a top line holds when it is a sentence or
// a label, not a name written in lower case.
var commonWords = map[string]bool{
	"my": true, "your": true, "our": true, "his": true, "her": true, "is": true, "am": true,
	"are": true, "was": true, "be": true, "me": true, "i": true, "we": true, "you": true,
	"not": true, "no": true, "yes": true, "hello": true, "hi": true, "dear": true,
	"page": true, "name": true, "new": true, "see": true, "as": true, "or": true,
	"from": true, "into": true, "this": true, "that": true, "job": true, "role": true,
	"seeking": true, "looking": true, "years": true, "year": true, "year's": true,
}

// regionCodes are US state, Canadian province and country codes that end a
// location ("Austin TX", "Toronto ON") and never a name written in mixed case.
var regionCodes = lowerSet(strings.Fields(`AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY
	LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV
	WI WY AB BC MB NB NL NS NT NU ON PE QC SK YT UK US USA UAE`))

// endsInRegionCode reports a mixed-case phrase ending in an all-caps region code.
func endsInRegionCode(words []string) bool {
	last := words[len(words)-1]
	return isUpperWord(last) && !isUpperWord(words[0]) && regionCodes[strings.ToLower(strings.Trim(last, "."))]
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
