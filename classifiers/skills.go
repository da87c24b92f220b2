package classifiers

import (
	"fmt"
	"strings"
	"sync"
)

// skillEntry is one line of data/skills.tsv.
type skillEntry struct {
	Name     string
	Sector   string
	Synonyms []string // "=X" means X matches only with that capitalisation
	Line     int
}

// parseSkillsTSV reads the taxonomy. Errors name the line, never CV text.
func parseSkillsTSV(data string) ([]skillEntry, error) {
	var out []skillEntry
	for n, l := range strings.Split(data, "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(strings.TrimRight(l, "\r"), "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("skills.tsv line %d: want 3 tab-separated fields, got %d", n+1, len(f))
		}
		e := skillEntry{Name: strings.TrimSpace(f[0]), Sector: strings.TrimSpace(f[1]), Line: n + 1}
		if e.Name == "" || e.Sector == "" {
			return nil, fmt.Errorf("skills.tsv line %d: empty name or sector", n+1)
		}
		for _, s := range strings.Split(f[2], ",") {
			if s = strings.TrimSpace(s); s != "" {
				e.Synonyms = append(e.Synonyms, s)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// taxonomy is the skills matcher, built once.
type taxonomy struct {
	names   []string
	trie    *phraseTrie
	byValue map[string]int // normalised phrase -> skill, for structured skill values
}

var skillTaxonomy = sync.OnceValue(func() *taxonomy {
	b, err := dataFS.ReadFile("data/skills.tsv")
	if err != nil {
		panic("classifiers: missing embedded data/skills.tsv")
	}
	entries, err := parseSkillsTSV(string(b))
	if err != nil {
		panic("classifiers: " + err.Error())
	}
	return buildTaxonomy(entries)
})

// buildTaxonomy indexes every skill's name and synonyms. A name is matched
// case-insensitively unless the skill lists it as an exact synonym ("Rust", "=Rust"),
// which is how ordinary-English names like "SEND" avoid matching "send".
func buildTaxonomy(entries []skillEntry) *taxonomy {
	t := &taxonomy{trie: &phraseTrie{root: newTrieNode()}, byValue: map[string]int{}}
	for id, e := range entries {
		t.names = append(t.names, e.Name)
		nameExact := false
		for _, s := range e.Synonyms {
			if w, ok := strings.CutPrefix(s, "="); ok {
				t.trie.add(w, id, true)
				if strings.EqualFold(w, e.Name) {
					nameExact = true
				}
				continue
			}
			t.trie.add(s, id, false)
			t.byValue[phraseKey(s)] = id
		}
		if !nameExact {
			t.trie.add(e.Name, id, false)
		}
		t.byValue[phraseKey(e.Name)] = id
	}
	return t
}

// phraseKey is the form two phrases share when the matcher cannot tell them apart.
func phraseKey(s string) string {
	tk := tokenize(s)
	return strings.Join(tk.lower, " ")
}

// Skills returns the taxonomy skills mentioned in text as canonical names, in order of
// first mention, without duplicates. Used for CVs and vacancy descriptions alike.
func Skills(text string) []string {
	tk := tokenize(text)
	return skillsIn(&tk, 0, tk.len(), nil)
}

// skillsIn appends the skills found in tokens [from, to) to out, skipping duplicates.
func skillsIn(tk *tokens, from, to int, out []string) []string {
	t := skillTaxonomy()
	seen := make(map[int]bool)
	for _, s := range out {
		if id, ok := t.byValue[phraseKey(s)]; ok {
			seen[id] = true
		}
	}
	t.trie.scan(tk, from, to, func(id, _, _ int) {
		if !seen[id] {
			seen[id] = true
			out = append(out, t.names[id])
		}
	})
	if out == nil {
		out = []string{}
	}
	return out
}

// canonicalSkill maps a stated skill ("python", "Moving and handling") to its
// canonical name when the whole value is a known skill, else keeps it as given.
func canonicalSkill(s string) string {
	t := skillTaxonomy()
	if id, ok := t.byValue[phraseKey(s)]; ok {
		return t.names[id]
	}
	return s
}
