package classifiers

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Employment dates: "Apr 2019", "April 2019", "04/2019", "2019-04", "01/04/2019",
// "2019", and for the end also "Present", "current", "to date".
const (
	jobDateRe = `(?:(?:` + monthRe + `)\.?,?\s+(?:19|20)\d\d|\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d|\d{1,2}[/.](?:19|20)\d\d|(?:19|20)\d\d[/-]\d{1,2}\b|(?:19|20)\d\d)`
	jobEndRe  = `(?:` + jobDateRe + `|present|current(?:ly)?|now|to\s+date|date|ongoing|today)`
	rangeSep  = `\s*(?:-|–|—|‒|to|until|till|~)\s*`
)

var (
	dateRangeRe = regexp.MustCompile(`\b(` + jobDateRe + `)` + rangeSep + `(` + jobEndRe + `)\b`)
	// "Jan – Mar 2020": both months share the year written once.
	monthRangeRe   = regexp.MustCompile(`\b(` + monthRe + `)\.?` + rangeSep + `(` + monthRe + `)\.?,?\s+((?:19|20)\d\d)\b`)
	jobDatePartsRe = regexp.MustCompile(`^(?:(` + monthRe + `)\.?,?\s+((?:19|20)\d\d)|(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)|(\d{1,2})[/.]((?:19|20)\d\d)|((?:19|20)\d\d)[/-](\d{1,2})|((?:19|20)\d\d))$`)
)

// dateRange is a "start – end" found in a line; Start/End are YYYY-MM, YYYY or "present".
type dateRange struct {
	ok         bool
	Start, End string
	from, to   int // byte span of the range in the line
}

// findDateRange finds the first employment-style date range in s.
func findDateRange(s string) dateRange {
	y := firstYear(s)
	if y < 0 {
		return dateRange{} // most lines: skip the regexps
	}
	// A range needs a separator: after the first year ("2019 – Present"), or before
	// it for "Jan – Mar 2020". Lines with a lone year skip the regexps too.
	if !hasRangeSep(s[y:]) && !hasRangeSep(s[:y]) {
		return dateRange{}
	}
	// The patterns are written in lower case: case-folding regexps are several times
	// slower, and ASCII lowercasing keeps byte offsets. They run from a little before
	// the first year, which is where a range can start, instead of the whole line.
	base := yearWindowStart(s)
	r := findDateRangeLower(asciiLower(s[base:]))
	if r.ok {
		r.from += base
		r.to += base
	}
	return r
}

func findDateRangeLower(s string) dateRange {
	if m := dateRangeRe.FindStringSubmatchIndex(s); m != nil {
		start := jobDate(s[m[2]:m[3]])
		end := jobDate(s[m[4]:m[5]])
		if start != "" && end != "" && !endsBefore(end, start) {
			return dateRange{ok: true, Start: start, End: end, from: m[0], to: m[1]}
		}
	}
	if m := monthRangeRe.FindStringSubmatchIndex(s); m != nil {
		y := s[m[6]:m[7]]
		a, b := monthNumber(s[m[2]:m[3]]), monthNumber(s[m[4]:m[5]])
		if a > 0 && b >= a {
			return dateRange{ok: true, Start: fmt.Sprintf("%s-%02d", y, a), End: fmt.Sprintf("%s-%02d", y, b), from: m[0], to: m[1]}
		}
	}
	return dateRange{}
}

// yearWindowStart returns where to start looking for a range that includes the first
// year of s: far enough back for "September 2019" or "Jan – Mar 2020", at a space.
func yearWindowStart(s string) int {
	i := firstYear(s) - 24
	if i <= 0 {
		return 0
	}
	for i > 0 && s[i-1] != ' ' && s[i-1] != '\t' {
		i--
	}
	return i
}

// hasRangeSep reports whether s contains a dash or word that can join two dates.
func hasRangeSep(s string) bool {
	return strings.ContainsAny(s, "-–—‒~") || containsFold(s, " to ") || containsFold(s, "until") || containsFold(s, "till")
}

// endsBefore reports an end date earlier than its start: a misread, not a job.
func endsBefore(end, start string) bool {
	if end == "present" {
		return false
	}
	n := min(len(end), len(start))
	return end[:n] < start[:n]
}

// jobDate normalises one employment date to YYYY-MM, YYYY or "present"; "" if invalid.
func jobDate(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(strings.Join(strings.Fields(s), " ")) {
	case "present", "current", "currently", "now", "to date", "date", "ongoing", "today":
		return "present"
	}
	m := jobDatePartsRe.FindStringSubmatch(asciiLower(s))
	if m == nil {
		return ""
	}
	ym := func(y string, mon int) string {
		if mon < 1 || mon > 12 {
			return ""
		}
		return fmt.Sprintf("%s-%02d", y, mon)
	}
	switch {
	case m[1] != "":
		return ym(m[2], monthNumber(m[1]))
	case m[5] != "": // dd/mm/yyyy: UK day first
		d, _ := strconv.Atoi(m[3])
		if d < 1 || d > 31 {
			return ""
		}
		mon, _ := strconv.Atoi(m[4])
		return ym(m[5], mon)
	case m[7] != "":
		mon, _ := strconv.Atoi(m[6])
		return ym(m[7], mon)
	case m[8] != "":
		mon, _ := strconv.Atoi(m[9])
		return ym(m[8], mon)
	default:
		return m[10]
	}
}

// normaliseJobDate tidies a structured employment date ("2019-04-01" -> "2019-04");
// a value it cannot read is kept as given, since the source stated it.
func normaliseJobDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if y, m, _, ok := parseISODate(s); ok {
		return fmt.Sprintf("%04d-%02d", y, m)
	}
	if j := jobDate(s); j != "" {
		return j
	}
	return s
}
