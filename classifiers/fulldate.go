package classifiers

import (
	"regexp"
	"strconv"
	"time"
)

// Full dates for date of birth, UK day first: 14/03/1988, 14-03-88, 14.03.1988,
// 14th March 1988, March 14, 1988, 1988-03-14.
var fullDateRe = regexp.MustCompile(`\b(?:((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})|(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+(` + monthRe + `)\.?,?[\s\-]+(\d{4})|(` + monthRe + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b`)

// findFullDate returns the first date-like text in s if it is a real calendar date.
// Only the first one counts: a bad date of birth is not replaced by a later date.
func findFullDate(s string, now time.Time) (y, m, d int, ok bool) {
	g := fullDateRe.FindStringSubmatch(asciiLower(s))
	if g == nil {
		return 0, 0, 0, false
	}
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	switch {
	case g[1] != "":
		y, m, d = atoi(g[1]), atoi(g[2]), atoi(g[3])
	case g[6] != "":
		d, m, y = atoi(g[4]), atoi(g[5]), atoi(g[6])
		if len(g[6]) == 2 {
			y = expandYear(y, now)
		}
	case g[9] != "":
		d, m, y = atoi(g[7]), monthNumber(g[8]), atoi(g[9])
	default:
		m, d, y = monthNumber(g[10]), atoi(g[11]), atoi(g[12])
	}
	if !validDate(y, m, d) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// expandYear reads a two-digit birth year: the latest century that makes the person
// at least 14 years old.
func expandYear(yy int, now time.Time) int {
	if y := 2000 + yy; y <= now.Year()-14 {
		return y
	}
	return 1900 + yy
}

// validDate rejects dates that do not exist (31/02) or are out of the plausible range.
func validDate(y, m, d int) bool {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Year() == y && int(t.Month()) == m && t.Day() == d
}

var isoDateRe = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$`)

func parseISODate(s string) (y, m, d int, ok bool) {
	g := isoDateRe.FindStringSubmatch(s)
	if g == nil {
		return 0, 0, 0, false
	}
	y, _ = strconv.Atoi(g[1])
	m, _ = strconv.Atoi(g[2])
	d, _ = strconv.Atoi(g[3])
	return y, m, d, validDate(y, m, d)
}
