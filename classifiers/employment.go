package classifiers

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/cvetl/cvetl/profile"
)

// employment reads jobs from the experience sections. Every job is anchored on a date
// range; the title and employer come from the same line or, for stacked layouts,
// from the unused header-like lines just above it (or below, when the dates come
// first). A dated line with no title or employer gives nothing: nothing is invented.
func (d *document) employment() []profile.Employment {
	var idx []int // body lines of experience sections
	for i := range d.lines {
		if d.lines[i].kind == KindExperience && d.body(i) {
			idx = append(idx, i)
		}
	}
	ranges := make([]dateRange, len(idx))
	for k, i := range idx {
		ranges[k] = findDateRange(d.lines[i].text)
	}
	used := make([]bool, len(idx))
	var out []profile.Employment
	for k, i := range idx {
		r := ranges[k]
		if !r.ok {
			continue
		}
		used[k] = true
		text := d.lines[i].text
		parts := jobParts(text[:r.from] + " | " + text[r.to:])
		if len(parts) < 2 {
			parts = append(d.stackedLines(idx, ranges, used, k, -1, 2-len(parts)), parts...)
		}
		if len(parts) < 2 {
			parts = append(parts, d.stackedLines(idx, ranges, used, k, +1, 2-len(parts))...)
		}
		title, employer := assignJobParts(parts)
		if title == "" && employer == "" {
			continue
		}
		out = append(out, profile.Employment{Title: title, Employer: employer, Start: r.Start, End: r.End})
	}
	return out
}

// stackedLines collects up to need header-like lines next to job line k (dir -1 above,
// +1 below) that no other job has taken, and returns their parts in reading order.
func (d *document) stackedLines(idx []int, ranges []dateRange, used []bool, k, dir, need int) []jobPart {
	var picked []int
	for j := k + dir; j >= 0 && j < len(idx) && len(picked) < need; j += dir {
		if used[j] || ranges[j].ok || !headerLike(d.lines[idx[j]].text) || d.headingBetween(idx[j], idx[j-dir]) {
			break
		}
		picked = append(picked, j)
	}
	if dir < 0 { // reading order
		for a, b := 0, len(picked)-1; a < b; a, b = a+1, b-1 {
			picked[a], picked[b] = picked[b], picked[a]
		}
	}
	var parts []jobPart
	for _, j := range picked {
		used[j] = true
		parts = append(parts, jobParts(d.lines[idx[j]].text)...)
	}
	return parts
}

// headingBetween reports a section heading between lines a and b.
func (d *document) headingBetween(a, b int) bool {
	if a > b {
		a, b = b, a
	}
	for i := a + 1; i < b; i++ {
		if d.lines[i].heading {
			return true
		}
	}
	return false
}

// headerLike accepts a short line written like a title or a name ("Senior Carer",
// "Meadow View Care Home, Leeds"), not a bullet or a sentence of description.
func headerLike(s string) bool {
	if len(s) > 90 || startsWithBullet(s) || strings.HasSuffix(s, ".") {
		return false
	}
	if jobLabelRe.MatchString(s) {
		return true // "Job title: Analyst"
	}
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 10 {
		return false
	}
	caps, counted := 0, 0
	for _, w := range words {
		w = strings.Trim(w, "(),|–—-:;'\"")
		if w == "" || smallWords[strings.ToLower(w)] {
			continue
		}
		counted++
		if r := []rune(w)[0]; unicode.IsUpper(r) || unicode.IsDigit(r) {
			caps++
		}
	}
	first := []rune(words[0])[0]
	return counted > 0 && unicode.IsUpper(first) && caps*10 >= counted*7
}

var (
	durationRe = regexp.MustCompile(`(?i)\(\s*\d+(?:\.\d+)?\s*\+?\s*(?:yrs?|years?|months?|mos?|mths?)\b[^)]*\)`)
	atRe       = regexp.MustCompile(`(?i)\s+(?:at|@)\s+`)
	jobLabelRe = regexp.MustCompile(`(?i)^(job\s+title|title|role|position|employer|company|organisation|organization)\s*:\s*`)
)

// jobPart is one field of an employment line. A label ("Employer: …") or the word
// "at" ("Carer at Sunrise") already says what it is.
type jobPart struct {
	text string
	role partRole
}

type partRole int

const (
	roleUnknown partRole = iota
	roleTitle
	roleEmployer
)

// jobParts splits an employment line into its fields, dropping towns, counties and
// contract terms. "Care Assistant at Sunrise Care Home" becomes two parts.
func jobParts(s string) []jobPart {
	s = durationRe.ReplaceAllString(s, " ")
	var out []jobPart
	for _, f := range splitFields(s, true) {
		p := jobPart{text: cleanField(f)}
		if p.text == "" || dropPart(p.text) {
			continue
		}
		if m := jobLabelRe.FindStringSubmatch(p.text); m != nil {
			p.role = roleTitle
			if l := strings.ToLower(m[1]); l == "employer" || l == "company" || strings.HasPrefix(l, "organi") {
				p.role = roleEmployer
			}
			if p.text = cleanField(p.text[len(m[0]):]); p.text == "" {
				continue
			}
		}
		out = append(out, p)
	}
	if len(out) == 1 && out[0].role == roleUnknown {
		if loc := atRe.FindStringIndex(out[0].text); loc != nil {
			a, b := cleanField(out[0].text[:loc[0]]), cleanField(out[0].text[loc[1]:])
			if a != "" && b != "" {
				return []jobPart{{a, roleTitle}, {b, roleEmployer}}
			}
		}
	}
	return out
}

// dropPart reports a part that is a place, a contract term or a leftover date word.
func dropPart(p string) bool {
	l := strings.ToLower(p)
	lx := lex()
	if lx.towns[l] != "" || lx.counties[l] || lx.employmentTerms[l] {
		return true
	}
	switch l {
	case "present", "current", "to date", "now", "ongoing", "to", "from", "dates", "date":
		return true
	}
	return !strings.ContainsFunc(p, unicode.IsLetter)
}

// assignJobParts picks the job title and the employer among the parts. Without other
// evidence the UK habit "Title, Employer" decides; job-title words ("Nurse",
// "Assistant") and employer words ("Ltd", "NHS Trust", "Care Home") override it.
func assignJobParts(parts []jobPart) (title, employer string) {
	var free []string
	for _, p := range parts {
		switch {
		case p.role == roleTitle && title == "":
			title = p.text
		case p.role == roleEmployer && employer == "":
			employer = p.text
		case p.role == roleUnknown:
			free = append(free, p.text)
		}
	}
	if title == "" && len(free) > 0 {
		best := 0
		for i, p := range free {
			if titleLean(p) > titleLean(free[best]) {
				best = i
			}
		}
		if len(free) == 1 && employer == "" && titleLean(free[0]) < 0 {
			return "", free[0] // a lone employer name
		}
		title = free[best]
		free = append(free[:best:best], free[best+1:]...)
	}
	if employer == "" && len(free) > 0 {
		best := 0
		for i, p := range free {
			if titleLean(p) < titleLean(free[best]) {
				best = i
			}
		}
		employer = free[best]
	}
	return title, employer
}

// titleLean is positive for parts that read like a job title and negative for
// parts that read like an employer.
func titleLean(p string) int {
	n := 0
	for _, w := range wordsLower(p) {
		if lex().jobWords[w] {
			n++
		}
	}
	return n - lex().employerWords.count(p)
}
