package classifiers

import (
	"regexp"
	"strings"
	"unicode"
)

// townNearPostcode reads the town from the address the postcode ends: the nearest
// comma-separated part before it on the same line, or, when the postcode stands
// alone, the address lines above it. A gazetteer town wins over a nearer locality;
// counties and street names are skipped. An address with no town gives "".
func (d *document) townNearPostcode(pc postcodeMatch) string {
	before := d.lines[pc.line].text[:pc.from]
	if i := strings.LastIndexAny(before, "|•·\t"); i >= 0 {
		before = before[i+1:]
	}
	if parts := addressParts(stripLabel(before)); len(parts) > 0 {
		return pickTown(parts)
	}
	// Multi-line address: up to three lines above, in the same block.
	var parts []string
	for i, n := pc.line-1, 0; i >= 0 && n < 3; i, n = i-1, n+1 {
		l := d.lines[i]
		if l.blank || l.heading || strings.ContainsAny(l.text, "@|") {
			break
		}
		parts = append(addressParts(stripLabel(l.text)), parts...)
	}
	return pickTown(parts)
}

// pickTown chooses the town among address parts, nearest (last) first.
func pickTown(parts []string) string {
	for i := len(parts) - 1; i >= 0; i-- {
		if t, ok := lex().towns[strings.ToLower(parts[i])]; ok {
			return t
		}
	}
	for i := len(parts) - 1; i >= 0; i-- {
		if townShaped(parts[i]) {
			return titleIfUpper(parts[i])
		}
	}
	return ""
}

// addressParts splits an address fragment at commas.
func addressParts(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.Trim(strings.TrimSpace(p), ".-–")
		if p != "" {
			out = append(out, strings.TrimSpace(p))
		}
	}
	return out
}

var streetWordRe = regexp.MustCompile(`(?i)\b(?:street|st|road|rd|lane|ln|avenue|ave|close|drive|dr|court|ct|crescent|way|place|terrace|grove|gardens|square|row|hill|park|mews|walk|view|rise|flat|apartment|house|cottage|farm|estate|parade|green|wharf|quay|building)\.?$`)

// townShaped accepts a part that could be a town not in the gazetteer: capitalised
// words, no digits, not a county, not a street ("Kirkstall Road").
func townShaped(p string) bool {
	if p == "" || len(p) > 40 || strings.ContainsAny(p, "0123456789@/()") {
		return false
	}
	if lex().counties[strings.ToLower(p)] || streetWordRe.MatchString(p) {
		return false
	}
	words := strings.Fields(p)
	if len(words) > 4 {
		return false
	}
	for _, w := range words {
		r := []rune(w)[0]
		if !unicode.IsUpper(r) && !smallWords[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

var labelRe = regexp.MustCompile(`(?i)^\s*(?:home\s+)?(?:address|location|town|city|post\s*code|based\s+in|based|lives\s+in|residence)\s*[:\-–]?\s*`)

// stripLabel removes "Address:" / "Location:" from the start of a line.
func stripLabel(s string) string {
	if m := labelRe.FindStringIndex(s); m != nil {
		return s[m[1]:]
	}
	return s
}

var townLabelRe = regexp.MustCompile(`(?i)^\s*(?:location|town|city|based\s+in|based|lives\s+in|current\s+location)\s*[:\-–]\s*(.+)$`)

// townWithoutPostcode finds the town when there is no postcode: a labelled
// "Location: Leeds" line, or a header field ending in a gazetteer town. Only the
// header and contact sections are read, where the candidate's own address is, and
// the lines under the name at the top of a main column (a LinkedIn profile's
// "Glasgow, United Kingdom").
func (d *document) townWithoutPostcode() string {
	for i, l := range d.lines {
		if !d.body(i) || l.kind != KindContact {
			continue
		}
		if t := townOnLine(l.text); t != "" {
			return t
		}
	}
	if _, at, last, ok := d.mainColumnName(); ok {
		for i := at + 2; i <= last; i++ { // past the name and the headline
			if t := townOnLine(d.lines[i].text); t != "" {
				return t
			}
		}
	}
	return ""
}

// townOnLine reads the town of a header line: "Location: Leeds", or a field whose
// last part that is not a county or a country is a known town ("Leeds", "Leeds, West
// Yorkshire", "12 Park Row, Leeds", "Leeds, United Kingdom").
func townOnLine(s string) string {
	if m := townLabelRe.FindStringSubmatch(s); m != nil {
		if t := pickTown(addressParts(m[1])); t != "" {
			return t
		}
	}
	for _, seg := range splitSegments(s) {
		parts := addressParts(stripLabel(seg))
		for k := len(parts) - 1; k >= 0; k-- {
			p := strings.ToLower(parts[k])
			if lex().counties[p] || countries[p] {
				continue
			}
			if t, ok := lex().towns[p]; ok {
				return t
			}
			break
		}
	}
	return ""
}

// countries may follow the town in an address or a profile's location line.
var countries = map[string]bool{
	"uk": true, "u.k": true, "united kingdom": true, "great britain": true, "gb": true,
	"england": true, "scotland": true, "wales": true, "northern ireland": true,
}
