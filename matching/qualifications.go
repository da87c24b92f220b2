package matching

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
)

//go:embed qualifications.tsv
var qualificationsTSV string

// qualPhrase is one phrase of qualifications.tsv as words.
type qualPhrase struct {
	words []string
	name  string
}

var qualPhrases = sync.OnceValue(func() map[string][]qualPhrase {
	byFirst, err := parseQualifications(qualificationsTSV)
	if err != nil {
		panic("matching: " + err.Error())
	}
	return byFirst
})

// parseQualifications indexes the phrases by their first word. Errors name the line.
func parseQualifications(data string) (map[string][]qualPhrase, error) {
	byFirst := map[string][]qualPhrase{}
	for n, l := range strings.Split(data, "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		name, phrases, ok := strings.Cut(l, "\t")
		if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(phrases) == "" {
			return nil, fmt.Errorf("qualifications.tsv line %d: want name<TAB>phrases", n+1)
		}
		for _, p := range strings.Split(phrases, ",") {
			w := qualWords(p)
			if len(w) == 0 {
				return nil, fmt.Errorf("qualifications.tsv line %d: empty phrase", n+1)
			}
			byFirst[w[0]] = append(byFirst[w[0]], qualPhrase{w, strings.TrimSpace(name)})
		}
	}
	return byFirst, nil
}

func qualWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '+' && r != '-'
	})
}

// qualificationTerms are the canonical qualifications text mentions, in order of
// first mention, without duplicates.
func qualificationTerms(text string) []string {
	idx := qualPhrases()
	words := qualWords(text)
	var out []string
	seen := map[string]bool{}
	for i, w := range words {
		for _, p := range idx[w] {
			if i+len(p.words) > len(words) || seen[p.name] {
				continue
			}
			match := true
			for k, pw := range p.words {
				if words[i+k] != pw {
					match = false
					break
				}
			}
			if match {
				seen[p.name] = true
				out = append(out, p.name)
			}
		}
	}
	return out
}
