package classifiers

import (
	"strings"

	"github.com/cvetl/cvetl/profile"
)

// eduItem is what one education line says.
type eduItem struct {
	institution, qualification, year string
}

// education reads qualifications from the education sections. A line gives an entry
// when it names a qualification (BSc, GCSEs, NVQ Level 3, …); an institution or a year
// on the line next to it ("University of Leeds  2009 – 2012" over "BSc (Hons) …")
// is joined to it.
func (d *document) education() []profile.Education {
	var items []eduItem
	for i, l := range d.lines {
		if l.kind != KindEducation || !d.body(i) {
			continue
		}
		it := parseEduLine(l.text)
		if it == (eduItem{}) {
			continue
		}
		items = append(items, it)
	}
	var out []profile.Education
	for k := 0; k < len(items); k++ {
		it := items[k]
		if k+1 < len(items) {
			next := items[k+1]
			// An institution line and a qualification line that belong together.
			if (it.qualification == "" && next.institution == "" && next.qualification != "") ||
				(it.institution == "" && it.qualification != "" && next.qualification == "" && next.institution != "") {
				it = eduItem{
					institution:   it.institution + next.institution,
					qualification: it.qualification + next.qualification,
					year:          max(it.year, next.year),
				}
				k++
			}
		}
		if it.qualification == "" {
			continue
		}
		out = append(out, profile.Education{Institution: it.institution, Qualification: it.qualification, Year: it.year})
	}
	return out
}

// parseEduLine splits a line into fields and sorts them into institution and
// qualification; the year is the latest year on the line (the year it was obtained).
func parseEduLine(s string) eduItem {
	var it eduItem
	if r := findDateRange(s); r.ok {
		if r.End != "present" {
			it.year = r.End[:4]
		}
		s = s[:r.from] + " | " + s[r.to:]
	}
	ys, s := years(s)
	for _, y := range ys {
		if y <= "2049" && y >= "1950" {
			it.year = max(it.year, y)
		}
	}
	lx := lex()
	var quals []string
	for _, p := range splitFields(s, true) {
		p = cleanField(p)
		if p == "" || dropPart(p) {
			continue
		}
		switch {
		case it.institution == "" && lx.institutionWords.contains(p) && !lx.qualWords.contains(p):
			it.institution = p
		case p != "":
			quals = append(quals, p)
		}
	}
	// The qualification is everything that is not the institution, so
	// "A Levels: Biology (A), Chemistry (B)" keeps all its subjects.
	hasQual := false
	for _, q := range quals {
		hasQual = hasQual || lx.qualWords.contains(q)
	}
	if hasQual {
		it.qualification = strings.Join(quals, ", ")
	}
	if it.qualification == "" && it.institution == "" {
		it.year = ""
	}
	return it
}
