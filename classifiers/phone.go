package classifiers

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phoneCandRe finds runs of digits with the separators people put in phone numbers.
// En dashes are not among them: "2015–2019" is a date range.
var phoneCandRe = regexp.MustCompile(`(?:\+|\(\+?)?\d[\d \t().\-]{6,24}\d`)

// phones returns the candidate's valid phone numbers in E.164, deduplicated, skipping
// the references section (referees' numbers).
func (d *document) phones() []string {
	var out []string
	seen := map[string]bool{}
	for i, l := range d.lines {
		if !d.body(i) || l.kind == KindReferences || countDigits(l.text) < 9 {
			continue
		}
		for _, loc := range phoneCandRe.FindAllStringIndex(l.text, -1) {
			if !standsAlone(l.text, loc[0], loc[1]) {
				continue
			}
			for _, p := range phonesIn(l.text[loc[0]:loc[1]]) {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// standsAlone rejects digit runs glued to letters or other numbers ("ID12345678901",
// "1.5.2019"): phone numbers are separate words.
func standsAlone(s string, from, to int) bool {
	if from > 0 {
		c := s[from-1]
		if isASCIIAlnum(c) || c == '/' || c == '-' {
			return false
		}
	}
	if to < len(s) {
		c := s[to]
		if isASCIIAlnum(c) || c == '/' {
			return false
		}
	}
	return true
}

// phonesIn parses one candidate run; when two numbers sit side by side with only a
// space between ("0113 496 0000 07700 900123") it tries each split.
func phonesIn(c string) []string {
	if p, ok := normalisePhone(c); ok {
		return []string{p}
	}
	if countDigits(c) < 18 {
		return nil
	}
	for i := 1; i < len(c)-1; i++ {
		if c[i] != ' ' && c[i] != '\t' {
			continue
		}
		a, okA := normalisePhone(c[:i])
		b, okB := normalisePhone(c[i+1:])
		if okA && okB {
			return []string{a, b}
		}
	}
	return nil
}

// normalisePhone parses s (UK by default) and returns it in E.164 if it is a valid
// number. "+44 (0)7700 900123" loses the "(0)" trunk prefix first.
func normalisePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	n := countDigits(s)
	if n < 9 || n > 16 {
		return "", false
	}
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "00") || strings.HasPrefix(s, "(+") {
		s = strings.Replace(s, "(0)", "", 1)
	}
	num, err := phonenumbers.Parse(s, "GB")
	if err != nil {
		return "", false
	}
	if !phonenumbers.IsValidNumber(num) && !ofcomDramaNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// ofcomDramaNumber accepts Ofcom's reserved fictional ranges (07700 900000–900999 and
// 01632 960000–960999). libphonenumber calls them invalid, yet they are exactly what
// test data, examples and the parse contract use, so rejecting them would make every
// fixture lose its phone.
func ofcomDramaNumber(num *phonenumbers.PhoneNumber) bool {
	if num.GetCountryCode() != 44 {
		return false
	}
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	return len(nsn) == 10 && (strings.HasPrefix(nsn, "7700900") || strings.HasPrefix(nsn, "1632960"))
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
