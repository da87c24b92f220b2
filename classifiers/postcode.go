package classifiers

import (
	"regexp"
	"strings"
)

// postcodeCandRe finds postcode-shaped text; validPostcodeRe is the official pattern
// (gov.uk bulk data transfer schema) applied to the canonical form.
var (
	postcodeCandRe  = regexp.MustCompile(`(?i)\b(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b`)
	validPostcodeRe = regexp.MustCompile(`^(?:GIR 0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?|[0-9][A-HJKPS-UW]) [0-9][ABD-HJLNP-UW-Z]{2})$`)
)

// normalisePostcode returns the canonical "LS1 4AP" form of a UK postcode, or false
// when it breaks the official pattern or names an area that does not exist.
func normalisePostcode(s string) (string, bool) {
	c := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(c) < 5 || len(c) > 7 {
		return "", false
	}
	c = c[:len(c)-3] + " " + c[len(c)-3:]
	if !validPostcodeRe.MatchString(c) {
		return "", false
	}
	if c == "GIR 0AA" {
		return c, true
	}
	area := c[:1]
	if c[1] >= 'A' && c[1] <= 'Z' {
		area = c[:2]
	}
	if !lex().postcodeAreas[area] {
		return "", false
	}
	return c, true
}

// postcodeMatch is a postcode found on a line.
type postcodeMatch struct {
	code     string
	line     int
	from, to int // span within the line's text
}

// postcode returns the candidate's postcode: the first valid one outside the parts of
// a CV that hold other people's or organisations' addresses (jobs, schools, referees).
func (d *document) postcode() (postcodeMatch, bool) {
	for i, l := range d.lines {
		if !d.body(i) || d.inKinds(i, KindExperience, KindEducation, KindReferences) || countDigits(l.text) == 0 {
			continue
		}
		for _, m := range postcodeCandRe.FindAllStringIndex(l.text, -1) {
			raw := l.text[m[0]:m[1]]
			// Mixed case ("Ls1 4aP") is prose, not an address; all-lower is accepted.
			if raw != strings.ToUpper(raw) && raw != strings.ToLower(raw) {
				continue
			}
			if c, ok := normalisePostcode(raw); ok {
				return postcodeMatch{code: c, line: i, from: m[0], to: m[1]}, true
			}
		}
	}
	return postcodeMatch{}, false
}
