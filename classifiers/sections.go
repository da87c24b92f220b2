package classifiers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Section is one part of a CV found by its heading. Start and End are byte offsets of
// the section's body (the text after the heading up to the next heading), so
// text[Start:End] is the content and detectors can ask which section a span is in.
// The header before the first heading, where CVs put name and contact details, is
// returned as Kind "contact" with an empty Heading.
type Section struct {
	Kind    string `json:"kind"` // profile|experience|education|skills|references|additional|contact|other
	Heading string `json:"heading"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// Section kinds.
const (
	KindProfile    = "profile"
	KindExperience = "experience"
	KindEducation  = "education"
	KindSkills     = "skills"
	KindReferences = "references"
	KindAdditional = "additional"
	KindContact    = "contact"
	KindOther      = "other"
)

// Sections splits text into sections by recognised headings (data/headings.tsv).
func Sections(text string) []Section {
	return newDocument(text).sections
}

// headingAt is a heading found on line idx.
type headingAt struct {
	idx       int
	info      headingInfo
	heading   string
	bodyStart int  // offset where the section body starts
	inline    bool // "Key Skills: Python, SQL": body starts on the same line
}

// findSections detects headings, merges sub-headings back into the job history
// they interrupt, and labels every line with its section kind.
func findSections(d *document) []Section {
	var hs []headingAt
	cur := KindContact
	for i := range d.lines {
		l := &d.lines[i]
		if l.blank {
			continue
		}
		info, heading, off, ok := detectHeading(l.text)
		if !ok || (off > 0 && inlineSubHeading(cur, info, heading)) {
			continue
		}
		cur = info.kind
		h := headingAt{idx: i, info: info, heading: heading, bodyStart: l.end}
		if off > 0 {
			h.inline = true
			h.bodyStart = l.start + off
		} else if i+1 < len(d.lines) {
			h.bodyStart = d.lines[i+1].start
		}
		hs = append(hs, h)
	}
	hs = mergeWeakHeadings(d, hs)

	var secs []Section
	kinds := make([]string, len(d.lines))
	first := len(d.lines)
	if len(hs) > 0 {
		first = hs[0].idx
	}
	// The header before the first heading holds the name and contact details.
	if hasBody(d, 0, first) {
		end := len(d.text)
		if len(hs) > 0 {
			end = d.lines[first].start
		}
		secs = append(secs, Section{Kind: KindContact, Start: 0, End: end})
	}
	for i := 0; i < first; i++ {
		kinds[i] = KindContact
	}
	for k, h := range hs {
		stop, end := len(d.lines), len(d.text)
		if k+1 < len(hs) {
			stop, end = hs[k+1].idx, d.lines[hs[k+1].idx].start
		}
		start := min(h.bodyStart, end)
		secs = append(secs, Section{Kind: h.info.kind, Heading: h.heading, Start: start, End: end})
		for i := h.idx; i < stop; i++ {
			kinds[i] = h.info.kind
		}
		l := &d.lines[h.idx]
		if h.inline {
			l.start = h.bodyStart
			l.text = d.text[l.start:l.end]
		} else {
			l.heading = true
		}
	}
	for i := range d.lines {
		d.lines[i].kind = kinds[i]
	}
	return secs
}

func hasBody(d *document, from, to int) bool {
	for i := from; i < to; i++ {
		if !d.lines[i].blank {
			return true
		}
	}
	return false
}

// mergeWeakHeadings drops a weak heading ("Key achievements") that sits inside the
// job history: one that follows an experience section and is itself followed by
// another dated job before the next real heading.
func mergeWeakHeadings(d *document, hs []headingAt) []headingAt {
	out := hs[:0]
	for k, h := range hs {
		if h.info.weak && len(out) > 0 && out[len(out)-1].info.kind == KindExperience {
			stop := len(d.lines)
			if k+1 < len(hs) {
				stop = hs[k+1].idx
			}
			if hasDateRange(d, h.idx+1, stop) {
				continue
			}
		}
		out = append(out, h)
	}
	return out
}

func hasDateRange(d *document, from, to int) bool {
	for i := from; i < to; i++ {
		if !d.lines[i].blank && findDateRange(d.lines[i].text).ok {
			return true
		}
	}
	return false
}

// inlineSubHeading reports an inline "Label: values" line that only labels a list
// inside the current section: "Driving licence: Full UK" among the contact details,
// "Languages: Python, Go" or "Tools: Jira" under Technical Skills.
func inlineSubHeading(cur string, h headingInfo, heading string) bool {
	switch cur {
	case KindContact:
		// A header's "Experience: 10 years" or "Education: degree" is a summary
		// label; only a profile or skills list really ends the header.
		return h.kind != KindProfile && h.kind != KindSkills
	case KindSkills:
		n := normaliseHeading(heading)
		return h.kind == KindSkills || h.kind == KindOther || n == "languages" || n == "language skills"
	}
	return false
}

// detectHeading reports whether s (a trimmed line) is a section heading. off > 0
// means an inline heading whose body starts at s[off:].
func detectHeading(s string) (info headingInfo, heading string, off int, ok bool) {
	if len(s) > 80 || startsWithBullet(s) {
		return info, "", 0, false
	}
	if c := strings.IndexByte(s, ':'); c > 0 && c < 45 {
		rest := strings.TrimSpace(s[c+1:])
		if info, heading, ok = lookupHeading(s[:c]); ok {
			if rest == "" {
				return info, heading, 0, true
			}
			off = c + 1
			for off < len(s) && (s[off] == ' ' || s[off] == '\t') {
				off++
			}
			return info, heading, off, true
		}
		return info, "", 0, false
	}
	info, heading, ok = lookupHeading(s)
	return info, heading, 0, ok
}

// lookupHeading matches a candidate heading against the list, after stripping
// decoration ("== SKILLS ==", "**Profile**", "1. Education").
func lookupHeading(s string) (headingInfo, string, bool) {
	s = strings.TrimFunc(s, func(r rune) bool {
		return isSpace(r) || strings.ContainsRune("#*=_~:|•·>-–—[](){}.", r)
	})
	s = stripNumbering(s)
	if s == "" || len(s) > 60 || strings.ContainsAny(s, "@0123456789") {
		return headingInfo{}, "", false
	}
	n := normaliseHeading(s)
	if strings.Count(n, " ") > 5 {
		return headingInfo{}, "", false
	}
	hs := lex().headings
	if h, ok := hs[n]; ok {
		return h, s, true
	}
	// "Skills & Interests", "Education / Training": the first named part decides.
	for _, sep := range []string{" and ", " or "} {
		if a, _, found := strings.Cut(n, sep); found {
			if h, ok := hs[a]; ok {
				return headingInfo{kind: h.kind}, s, true
			}
		}
	}
	if parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("/,|", r) }); len(parts) > 1 {
		if h, ok := hs[normaliseHeading(parts[0])]; ok {
			return headingInfo{kind: h.kind}, s, true
		}
	}
	return headingInfo{}, "", false
}

// stripNumbering removes "1.", "2)" or "A." before a heading.
func stripNumbering(s string) string {
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return strings.TrimSpace(s[i+1:])
	}
	return s
}

// normaliseHeading lowercases, spells "&" as "and" and keeps only letters, so that
// "EDUCATION & QUALIFICATIONS:" and "Education and Qualifications" look alike.
func normaliseHeading(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	space := true
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		case r == '&' || r == '+':
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString("and ")
			space = true
			continue
		case r == '\'' || r == '’':
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// startsWithBullet reports whether s is a list item: a bullet character then a space.
func startsWithBullet(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	if !strings.ContainsRune("•●▪◦➢►✓✔·○■□-–*>o", r) {
		return false
	}
	if r == 'o' || r == '-' || r == '*' || r == '–' || r == '>' {
		return n < len(s) && (s[n] == ' ' || s[n] == '\t')
	}
	return true
}
