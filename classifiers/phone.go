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
			c := l.text[loc[0]:loc[1]]
			region := "GB"
			if !nationalOrInternational(c) && d.saysUSANear(i) {
				region = "US"
			}
			for _, p := range phonesIn(c, region) {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// hasPhone reports a valid phone number on a line (as the UK reads it, or with a
// country code): "01/2015 – 12/2019" has nine digits and is not one.
func hasPhone(s string) bool {
	if countDigits(s) < 9 {
		return false
	}
	for _, loc := range phoneCandRe.FindAllStringIndex(s, -1) {
		if standsAlone(s, loc[0], loc[1]) && len(phonesIn(s[loc[0]:loc[1]], "GB")) > 0 {
			return true
		}
	}
	return false
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
func phonesIn(c, region string) []string {
	if p, ok := normalisePhoneIn(c, region); ok {
		return []string{p}
	}
	if countDigits(c) < 18 {
		return nil
	}
	for i := 1; i < len(c)-1; i++ {
		if c[i] != ' ' && c[i] != '\t' {
			continue
		}
		a, okA := normalisePhoneIn(c[:i], region)
		b, okB := normalisePhoneIn(c[i+1:], region)
		if okA && okB {
			return []string{a, b}
		}
	}
	return nil
}

// normalisePhone parses s and returns it in E.164 if it is a valid number: with
// "+" or "00" as written, else as a UK number in national format (leading 0).
// "+44 (0)7700 900123" loses the "(0)" trunk prefix first.
func normalisePhone(s string) (string, bool) { return normalisePhoneIn(s, "GB") }

// normalisePhoneIn is normalisePhone for a number found where region is the country:
// "GB" by default, "US" when the CV says USA near the number. A number with neither an
// international prefix nor a leading 0 is not in UK national format, so it is never
// coerced into the UK ("123-456-7890" is not +44 1234 567890): it is read as a US
// number only in the North American 3-3-4 pattern with region "US", else dropped.
func normalisePhoneIn(s, region string) (string, bool) {
	s = strings.TrimSpace(s)
	n := countDigits(s)
	if n < 9 || n > 16 {
		return "", false
	}
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "00") || strings.HasPrefix(s, "(+") {
		s = strings.Replace(s, "(0)", "", 1)
	}
	if !nationalOrInternational(s) {
		if region != "US" || !nanpRe.MatchString(s) {
			return "", false
		}
	} else {
		region = "GB"
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", false
	}
	if !phonenumbers.IsValidNumber(num) && !ofcomDramaNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// nationalOrInternational reports a number written with "+", "00" or a leading 0:
// the forms that say which country they belong to (UK national numbers start with 0).
func nationalOrInternational(s string) bool {
	s = strings.TrimLeft(s, " \t(")
	return strings.HasPrefix(s, "+") || strings.HasPrefix(s, "0")
}

// nanpRe is the North American pattern: (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX,
// optionally after "1-".
var nanpRe = regexp.MustCompile(`^(?:1[ .\-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .\-]?[2-9]\d{2}[ .\-]\d{4}$`)

// usaRe finds the country named as the United States ("US" only in capitals: "us" is a word).
var usaRe = regexp.MustCompile(`\bUSA\b|\bU\.S\.|\bUS\b|(?i:\bunited states\b)`)

// saysUSANear reports "USA", "US" or "United States" on line i or within three lines
// of it (the address block around a phone number).
func (d *document) saysUSANear(i int) bool {
	for j := max(0, i-3); j < len(d.lines) && j <= i+3; j++ {
		if l := d.lines[j]; !l.blank && l.kind != KindReferences && usaRe.MatchString(l.text) {
			return true
		}
	}
	return false
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
