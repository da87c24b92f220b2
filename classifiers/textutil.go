package classifiers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// splitFields splits a line at the separators CV layouts put between fields: pipes,
// bullets, tabs, runs of two or more spaces, spaced dashes (" – "), and with
// commas set, commas. Fields come back trimmed and non-empty. It is hand-written
// because it runs on every header, job and education line.
func splitFields(s string, commas bool) []string {
	var out []string
	add := func(f string) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		cut := 0 // bytes of separator at i
		switch {
		case r == '|' || r == '•' || r == '·' || r == '●' || r == '▪' || r == '\t' || (commas && r == ','):
			cut = n
		case r == ' ':
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			if j-i >= 2 {
				cut = j - i
			} else if d, dn := utf8.DecodeRuneInString(s[j:]); (d == '-' || d == '–' || d == '—') && j+dn < len(s) && s[j+dn] == ' ' {
				cut = j + dn + 1 - i
			}
		}
		if cut == 0 {
			i += n
			continue
		}
		add(s[start:i])
		i += cut
		start = i
	}
	add(s[start:])
	return out
}

// splitSegments splits a line into its fields, keeping commas inside fields.
func splitSegments(s string) []string { return splitFields(s, false) }

// smallWords may stay lower case inside names of places, jobs and organisations.
var smallWords = map[string]bool{
	"of": true, "and": true, "the": true, "for": true, "in": true, "at": true, "on": true,
	"upon": true, "under": true, "le": true, "la": true, "de": true, "du": true, "&": true,
	"to": true, "with": true, "a": true, "an": true, "by": true, "sur": true, "super": true,
}

// isUpperWord reports whether s has letters and all of them are upper case.
func isUpperWord(s string) bool {
	has := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			has = true
		}
	}
	return has
}

// titleIfUpper turns "LEEDS" or "JANE O'NEILL-SMITH" into "Leeds", "Jane O'Neill-Smith";
// text already in mixed case is kept as written.
func titleIfUpper(s string) string {
	if !isUpperWord(s) {
		return s
	}
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = titleWord(w)
	}
	return strings.Join(words, " ")
}

// titleWord capitalises one word, also after hyphens and apostrophes, and writes
// "MCDONALD" as "McDonald".
func titleWord(w string) string {
	rs := []rune(strings.ToLower(w))
	up := true
	for i, r := range rs {
		if up && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
		}
		up = r == '-' || r == '\'' || r == '’'
	}
	if len(rs) > 3 && rs[0] == 'M' && rs[1] == 'c' && unicode.IsLetter(rs[2]) {
		rs[2] = unicode.ToUpper(rs[2])
	}
	return string(rs)
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// cleanField trims the punctuation that layouts leave around a field.
func cleanField(s string) string {
	s = collapseSpace(s)
	s = strings.Trim(s, " ,;:|-–—•·*\"'")
	// Drop brackets left empty or unbalanced by removing a date range.
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "()", ""), "[]", ""))
	if strings.Count(s, "(") < strings.Count(s, ")") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ")"))
	}
	if strings.Count(s, "(") > strings.Count(s, ")") {
		s = strings.TrimSpace(strings.TrimSuffix(s, "("))
	}
	return strings.Trim(s, " ,;:|-–—")
}

// wordsLower returns the lowercased words of s for word-list lookups.
func wordsLower(s string) []string {
	tk := tokenize(s)
	return tk.lower
}
