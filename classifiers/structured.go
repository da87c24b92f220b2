package classifiers

import (
	"strings"
	"time"

	"github.com/cvetl/cvetl/profile"
)

// normaliseStructured cleans the values a structured source stated. A value that is
// invalid (a phone that is not a number, an impossible date) is dropped, so the text
// may then supply it; a valid one is kept even if the text says otherwise.
func normaliseStructured(f profile.Candidate, now time.Time) profile.Candidate {
	var c profile.Candidate
	if f.Name != nil {
		c.Name = ptr(titleIfUpper(collapseSpace(*f.Name)))
	}
	seenEmail := map[string]bool{}
	for _, e := range f.Emails {
		if n, ok := normaliseEmail(e); ok && !seenEmail[strings.ToLower(n)] {
			seenEmail[strings.ToLower(n)] = true
			c.Emails = append(c.Emails, n)
		}
	}
	seenPhone := map[string]bool{}
	for _, p := range f.Phones {
		if n, ok := normalisePhone(restoreSpreadsheetZero(p)); ok && !seenPhone[n] {
			seenPhone[n] = true
			c.Phones = append(c.Phones, n)
		}
	}
	if f.Postcode != nil {
		if pc, ok := normalisePostcode(*f.Postcode); ok {
			c.Postcode = &pc
		}
	}
	if f.Town != nil {
		t := collapseSpace(*f.Town)
		if canon, ok := lex().towns[strings.ToLower(t)]; ok {
			t = canon
		}
		c.Town = ptr(titleIfUpper(t))
	}
	if f.NINumber != nil {
		if ni, ok := normaliseNI(*f.NINumber); ok {
			c.NINumber = &ni
		}
	}
	if f.DateOfBirth != nil {
		if dob, ok := normaliseDOB(*f.DateOfBirth, now); ok {
			c.DateOfBirth = &dob
		}
	}
	seenSkill := map[string]bool{}
	for _, s := range f.Skills {
		if s = canonicalSkill(collapseSpace(s)); s != "" && !seenSkill[strings.ToLower(s)] {
			seenSkill[strings.ToLower(s)] = true
			c.Skills = append(c.Skills, s)
		}
	}
	for _, e := range f.Employment {
		e = profile.Employment{
			Title: collapseSpace(e.Title), Employer: collapseSpace(e.Employer),
			Start: normaliseJobDate(e.Start), End: normaliseJobDate(e.End),
		}
		if e.Title != "" || e.Employer != "" {
			c.Employment = append(c.Employment, e)
		}
	}
	for _, e := range f.Education {
		e = profile.Education{
			Institution: collapseSpace(e.Institution), Qualification: collapseSpace(e.Qualification),
			Year: strings.TrimSpace(e.Year),
		}
		if y, _, _, ok := parseISODate(e.Year); ok {
			e.Year = itoa4(y)
		}
		if e.Institution != "" || e.Qualification != "" {
			c.Education = append(c.Education, e)
		}
	}
	seenLink := map[string]bool{}
	for _, l := range f.Links {
		if u, ok := normaliseLink(l); ok && !seenLink[strings.ToLower(u)] {
			seenLink[strings.ToLower(u)] = true
			c.Links = append(c.Links, u)
		}
	}
	c.SpecialCategories = f.SpecialCategories
	return c
}

func itoa4(y int) string {
	b := []byte{'0', '0', '0', '0'}
	for i := 3; i >= 0; i-- {
		b[i] = byte('0' + y%10)
		y /= 10
	}
	return string(b)
}

// restoreSpreadsheetZero puts back the leading 0 a spreadsheet strips from a UK
// mobile stored as a number ("7700900123"): in an export cell, ten digits starting
// with 7 can only be that.
func restoreSpreadsheetZero(p string) string {
	t := strings.TrimSpace(p)
	if len(t) == 10 && t[0] == '7' && countDigits(t) == 10 {
		return "0" + t
	}
	return p
}
