package classifiers

import (
	"regexp"
	"strings"
)

var niCandRe = regexp.MustCompile(`(?i)\b([A-Z]{2}) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])\b`)

// normaliseNI returns a National Insurance number without spaces, upper case, if it
// follows HMRC's allocation rules: first letter not D F I Q U V, second not D F I O Q
// U V, prefixes BG GB KN NK NT TN ZZ never allocated, six digits, suffix A–D.
func normaliseNI(s string) (string, bool) {
	c := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(c) != 9 {
		return "", false
	}
	if strings.ContainsRune("DFIQUV", rune(c[0])) || strings.ContainsRune("DFIOQUV", rune(c[1])) {
		return "", false
	}
	if c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return "", false
	}
	switch c[:2] {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return "", false
	}
	for i := 2; i < 8; i++ {
		if c[i] < '0' || c[i] > '9' {
			return "", false
		}
	}
	if c[8] < 'A' || c[8] > 'D' {
		return "", false
	}
	return c, true
}

// niNumber returns the first valid NI number outside the references section.
func (d *document) niNumber() string {
	for i, l := range d.lines {
		if !d.body(i) || l.kind == KindReferences || countDigits(l.text) < 6 {
			continue
		}
		for _, m := range niCandRe.FindAllString(l.text, -1) {
			if ni, ok := normaliseNI(m); ok {
				return ni
			}
		}
	}
	return ""
}
