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
	Synonyms []string // "=X": X matches only as written (or in capitals); "~X": also only beside another skill
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
	sectors []string
	trie    *phraseTrie
	byValue map[string]int // normalised phrase -> skill, for structured skill values
	// ctxOwner maps the trie ids of "~" synonyms, len(names)+k, to their skill.
	ctxOwner []int
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
// which is how ordinary-English names like "SEND" avoid matching "send". An exact
// synonym also matches in capitals ("EXCEL", "GIT"), as skills lists are often
// written. A context synonym ("~C", "~Windows") is exact and, in addition, counts only
// next to another skill of its sector or a general one ("C, C++ and Java", "Windows,
// MS Office"), so that a GCSE grade "C" or a glazier's "Windows" is not a skill.
func buildTaxonomy(entries []skillEntry) *taxonomy {
	t := &taxonomy{trie: &phraseTrie{root: newTrieNode()}, byValue: map[string]int{}}
	for _, e := range entries {
		t.names = append(t.names, e.Name)
		t.sectors = append(t.sectors, e.Sector)
	}
	for id, e := range entries {
		nameExact := false
		for _, s := range e.Synonyms {
			w, exact := strings.CutPrefix(s, "=")
			w, ctx := strings.CutPrefix(w, "~")
			if !exact && !ctx {
				t.trie.add(s, id, false)
				t.byValue[phraseKey(s)] = id
				continue
			}
			tid := id
			if ctx {
				tid = len(entries) + len(t.ctxOwner)
				t.ctxOwner = append(t.ctxOwner, id)
			}
			t.trie.add(w, tid, true)
			if up := strings.ToUpper(w); up != w {
				t.trie.add(up, tid, true)
			}
			if strings.EqualFold(w, e.Name) {
				nameExact = true
			}
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
	hits := make([]skillHit, 0, 32)
	t.trie.scan(tk, from, to, func(id, i, n int) {
		hits = append(hits, skillHit{id, i, n})
	})
	for k, h := range hits {
		id := h.id
		if id >= len(t.names) {
			id = t.ctxOwner[id-len(t.names)]
			// A context synonym stands as a skill when it is all there is ("C" as a
			// stated skill) or has a skill of its sector beside it.
			if h.n != to-from && !t.skillBeside(hits, k, t.sectors[id]) {
				continue
			}
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, t.names[id])
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// skillHit is one taxonomy match: trie id, first token, token count.
type skillHit struct{ id, i, n int }

// contextGap is how many tokens may separate a context synonym from the skill that
// confirms it ("C, C++", "Windows and MS Office").
const contextGap = 3

// skillBeside reports a plain (not context) match of sector, or of the general
// sector, within contextGap tokens of hits[k].
func (t *taxonomy) skillBeside(hits []skillHit, k int, sector string) bool {
	h := hits[k]
	for j := k - 1; j >= 0 && h.i-(hits[j].i+hits[j].n) <= contextGap; j-- {
		if t.confirms(hits[j].id, sector) {
			return true
		}
	}
	for j := k + 1; j < len(hits) && hits[j].i-(h.i+h.n) <= contextGap; j++ {
		if t.confirms(hits[j].id, sector) {
			return true
		}
	}
	return false
}

func (t *taxonomy) confirms(id int, sector string) bool {
	return id < len(t.names) && (t.sectors[id] == sector || t.sectors[id] == "general")
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

// isSkillPhrase reports whether the whole of s is one skill of the taxonomy ("CSCS
// Card", "Power BI"), as a skills or certifications list writes it. A name that only
// holds a skill's word ("Ruby Smith", "Julia Roberts") is not one.
func isSkillPhrase(s string) bool {
	tk := tokenize(s)
	if tk.len() == 0 {
		return false
	}
	id, n := skillTaxonomy().trie.matchAt(&tk, 0)
	return id >= 0 && n == tk.len()
}

// SkillSectors maps every canonical skill name to its sector (care, it, nursing, …,
// or general), for aggregating skills by sector without re-reading CV text.
func SkillSectors() map[string]string {
	t := skillTaxonomy()
	out := make(map[string]string, len(t.names))
	for i, n := range t.names {
		out[n] = t.sectors[i]
	}
	return out
}
