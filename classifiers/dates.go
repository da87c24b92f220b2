package classifiers

import "strings"

// Helpers shared by the employment-range and date-of-birth parsers.

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

// firstYear returns the offset of the first 19xx or 20xx in s, or -1.
func firstYear(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) {
			return i
		}
	}
	return -1
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
