package classifiers

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// monthRe matches English month names and their common abbreviations.
const monthRe = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`

// monthNumber maps a month name or abbreviation to 1..12, or 0.
func monthNumber(s string) int {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(s) < 3 {
		return 0
	}
	switch s[:3] {
	case "jan":
		return 1
	case "feb":
		return 2
	case "mar":
		return 3
	case "apr":
		return 4
	case "may":
		return 5
	case "jun":
		return 6
	case "jul":
		return 7
	case "aug":
		return 8
	case "sep":
		return 9
	case "oct":
		return 10
	case "nov":
		return 11
	case "dec":
		return 12
	}
	return 0
}

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

// firstYear returns the offset of the first 19xx or 20xx in s, or -1.
func firstYear(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) {
			return i
		}
	}
	return -1
}

// hasRangeSep reports whether s contains a dash or word that can join two dates.
func hasRangeSep(s string) bool {
	return strings.ContainsAny(s, "-–—‒~") || containsFold(s, " to ") || containsFold(s, "until") || containsFold(s, "till")
}

// years returns the 19xx/20xx numbers standing alone in s, and s without them.
func years(s string) (ys []string, rest string) {
	var b strings.Builder
	last := 0
	for i := 0; i+4 <= len(s); i++ {
		if !(s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
			continue
		}
		if i > 0 && isASCIIAlnum(s[i-1]) || i+4 < len(s) && isASCIIAlnum(s[i+4]) {
			continue
		}
		ys = append(ys, s[i:i+4])
		b.WriteString(s[last:i])
		last = i + 4
		i += 3
	}
	if ys == nil {
		return nil, s
	}
	b.WriteString(s[last:])
	return ys, b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// asciiLower lowercases ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
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
