package classifiers

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// dobLabelRe finds the labels that make a date a date of birth. Unlabelled dates are
// never taken: a CV is full of dates that are not birthdays.
var dobLabelRe = regexp.MustCompile(`(?i)\b(?:date\s+of\s+birth|birth\s*date|d\.?\s?o\.?\s?b\b\.?|born(?:\s+on)?)\s*[:\-–]?\s*`)

// dateOfBirth returns the labelled date of birth as YYYY-MM-DD. The date must follow
// its label on the same line, or be alone on the next line (table layouts).
func (d *document) dateOfBirth(now time.Time) string {
	for i, l := range d.lines {
		if !d.body(i) || l.kind == KindReferences {
			continue
		}
		for _, m := range dobLabelRe.FindAllStringIndex(l.text, 2) {
			rest := l.text[m[1]:]
			if strings.TrimSpace(rest) == "" {
				if n := d.nextBody(i); n >= 0 {
					rest = d.lines[n].text
				}
			}
			if dob, ok := birthDate(rest, now); ok {
				return dob
			}
		}
	}
	return ""
}

// birthDate reads the first date in s and checks it could be a job seeker's
// birthday: a real calendar date at least 14 and at most 100 years ago.
func birthDate(s string, now time.Time) (string, bool) {
	y, m, d, ok := findFullDate(s, now)
	if !ok {
		return "", false
	}
	born := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if born.After(now.AddDate(-14, 0, 0)) || born.Before(now.AddDate(-100, 0, 0)) {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}

// normaliseDOB reads a structured date of birth in any supported format.
func normaliseDOB(s string, now time.Time) (string, bool) {
	return birthDate(strings.TrimSpace(s), now)
}

// nextBody returns the index of the next non-blank line after i, or -1.
func (d *document) nextBody(i int) int {
	for j := i + 1; j < len(d.lines); j++ {
		if !d.lines[j].blank {
			if d.lines[j].heading {
				return -1
			}
			return j
		}
	}
	return -1
}
