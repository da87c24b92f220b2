package main

import (
	"strings"
	"unicode"
)

// fold lower-cases s and collapses all white space to single spaces.
func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// foldPunct is fold with punctuation at both ends and ", . - |" runs inside
// treated as space, for comparing employer, title and school names.
func foldPunct(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) && r != '&' && r != '+' && r != '#' {
			return ' '
		}
		return r
	}, s)
	return fold(s)
}

// indeedHandle reduces an Indeed profile reference ("indeed.com/r/Ann-Lee/\n3f2a",
// "https://www.indeed.com/r/Ann-Lee/3f2a?isid=…") to "ann-lee/3f2a". White space is
// removed first because DataTurks spans break the path across lines.
func indeedHandle(s string) (string, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	_, rest, ok := strings.Cut(s, "indeed.com/r/")
	if !ok {
		return "", false
	}
	if i := strings.IndexAny(rest, "?&#"); i >= 0 {
		rest = rest[:i]
	}
	var segs []string
	for _, p := range strings.Split(rest, "/") {
		if p != "" && len(segs) < 2 {
			segs = append(segs, p)
		}
	}
	if len(segs) == 0 {
		return "", false
	}
	return strings.Join(segs, "/"), true
}

// handleMatch: equal handles, or a gold handle cut short before its id whose
// name part equals the prediction's.
func handleMatch(gold, pred string) bool {
	if gold == pred {
		return true
	}
	g, p := strings.SplitN(gold, "/", 2), strings.SplitN(pred, "/", 2)
	return len(g) == 1 && g[0] == p[0]
}

// normLink drops scheme, "www." and a trailing slash, and lower-cases.
func normLink(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"https://", "http://", "www."} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimRight(s, "/")
}

// splitSkillItems cuts a labelled skills block into items: at commas, semicolons,
// bullets and line breaks, dropping "(3 years)"-style notes, headings ending in ":"
// and anything over four words (sentences, not skills).
func splitSkillItems(block string) []string {
	block = dropParens(block)
	parts := strings.FieldsFunc(block, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '|' || r == '•' || r == '●' ||
			r == '➢' || r == '❖' || r == '◆' || r == '▪' || r == '\uf0b7' || r == '\t'
	})
	var out []string
	for _, p := range parts {
		if _, after, ok := strings.Cut(p, ":"); ok {
			p = after
		}
		p = strings.Trim(strings.TrimSpace(p), "-–*. ")
		if n := len(strings.Fields(p)); n == 0 || n > 4 || skillHeadings[fold(p)] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// skillHeadings are section titles that open many labelled skill blocks.
var skillHeadings = map[string]bool{
	"skills": true, "skill set": true, "technical skills": true, "soft skills": true,
	"key skills": true, "it skills": true, "core skills": true, "professional skills": true,
	"technical skill set": true, "additional information": true, "computer skills": true,
}

// dropParens removes parenthesised text (no nesting needed for these labels).
func dropParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
