package classifiers

import (
	"time"

	"github.com/cvetl/cvetl/profile"
)

// ParseCandidate builds a candidate profile from a CV's text. fields holds what a
// structured source (CSV columns, JSON Resume) already stated: those values are kept,
// normalised (phones to E.164, NI number without spaces, date of birth YYYY-MM-DD,
// postcode "LS1 4AP") and dropped only when invalid; text fills only what is missing.
// SpecialCategories are passed through untouched: tagging them is another detector's
// job. The result's slices are never nil.
func ParseCandidate(text string, fields profile.Candidate) profile.Candidate {
	return parseCandidate(text, fields, time.Now())
}

// parseCandidate takes the clock as an argument so that tests of date-of-birth
// plausibility do not depend on the day they run.
func parseCandidate(text string, fields profile.Candidate, now time.Time) profile.Candidate {
	c := normaliseStructured(fields, now)
	d := newDocument(text)
	if c.Name == nil {
		c.Name = ptr(d.name())
	}
	if len(c.Emails) == 0 {
		c.Emails = d.emails()
	}
	if len(c.Phones) == 0 {
		c.Phones = d.phones()
	}
	if c.Postcode == nil {
		if pc, ok := d.postcode(); ok {
			c.Postcode = ptr(pc.code)
			if c.Town == nil {
				c.Town = ptr(d.townNearPostcode(pc))
			}
		}
	}
	if c.Town == nil {
		c.Town = ptr(d.townWithoutPostcode())
	}
	if c.NINumber == nil {
		c.NINumber = ptr(d.niNumber())
	}
	if c.DateOfBirth == nil {
		c.DateOfBirth = ptr(d.dateOfBirth(now))
	}
	if len(c.Skills) == 0 {
		c.Skills = d.skills()
	}
	if len(c.Employment) == 0 {
		c.Employment = d.employment()
	}
	if len(c.Education) == 0 {
		c.Education = d.education()
	}
	if len(c.Links) == 0 {
		c.Links = d.links()
	}
	c.Normalise()
	return c
}

// skills matches the taxonomy over the whole CV except the references section,
// where a referee's job ("Ward Manager, Safeguarding Lead") is not the candidate's.
func (d *document) skills() []string {
	tk := tokenize(d.text)
	var out []string
	from := 0
	for _, s := range d.sections {
		if s.Kind != KindReferences {
			continue
		}
		a, b := tokenRange(&tk, s.Start, s.End)
		out = skillsIn(&tk, from, a, out)
		from = b
	}
	return skillsIn(&tk, from, tk.len(), out)
}

// tokenRange returns the tokens [a, b) lying inside byte span [start, end).
func tokenRange(tk *tokens, start, end int) (a, b int) {
	a = searchInts(tk.start, start)
	b = searchInts(tk.start, end)
	return a, b
}

// searchInts returns the first index whose value is >= x.
func searchInts(v []int, x int) int {
	lo, hi := 0, len(v)
	for lo < hi {
		m := (lo + hi) / 2
		if v[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// ptr returns a pointer to s, or nil for "": absent values are null, never "".
func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
