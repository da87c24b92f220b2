package classifiers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// stripNumbering removes "1." or "2)" before a heading.
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
