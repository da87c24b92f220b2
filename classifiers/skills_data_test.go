package classifiers

import (
	"fmt"
	"strings"
	"testing"
)

// TestSkillsTaxonomyFile checks data/skills.tsv: it parses, is big enough, covers
// every sector recruiters place into, and no phrase means two different skills.
func TestSkillsTaxonomyFile(t *testing.T) {
	b, err := dataFS.ReadFile("data/skills.tsv")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := parseSkillsTSV(string(b))
	if err != nil {
		t.Fatal(err)
	}

	names := map[string]int{} // lowercased canonical name -> line
	sectors := map[string]int{}
	for _, e := range entries {
		if prev, dup := names[strings.ToLower(e.Name)]; dup {
			t.Errorf("line %d: skill %q already defined on line %d", e.Line, e.Name, prev)
		}
		names[strings.ToLower(e.Name)] = e.Line
		sectors[e.Sector]++
	}
	if len(names) < 400 {
		t.Errorf("taxonomy has %d unique skills, want at least 400", len(names))
	}

	// Each sector the agencies recruit for needs enough skills to match CVs.
	minPerSector := map[string]int{
		"care": 30, "nursing": 30, "it": 60, "teaching": 30, "logistics": 30,
		"finance": 30, "hospitality": 25, "social_work": 25, "construction": 30,
	}
	for s, min := range minPerSector {
		if sectors[s] < min {
			t.Errorf("sector %q has %d skills, want at least %d", s, sectors[s], min)
		}
	}
	known := map[string]bool{"general": true}
	for s := range minPerSector {
		known[s] = true
	}
	for s := range sectors {
		if !known[s] {
			t.Errorf("unknown sector %q (typo?)", s)
		}
	}

	for _, p := range phraseCollisions(entries) {
		t.Error(p)
	}
}

// phraseCollisions lists phrases (names or synonyms, as the matcher sees them) that
// belong to more than one skill.
func phraseCollisions(entries []skillEntry) []string {
	var out []string
	owner := map[string]string{}
	for _, e := range entries {
		for _, p := range append([]string{e.Name}, e.Synonyms...) {
			key := phraseKey(strings.TrimLeft(p, "=~"))
			if key == "" {
				out = append(out, fmt.Sprintf("line %d: phrase %q has no words", e.Line, p))
				continue
			}
			if o, ok := owner[key]; ok && o != e.Name {
				out = append(out, fmt.Sprintf("line %d: %q means both %q and %q", e.Line, p, o, e.Name))
			}
			owner[key] = e.Name
		}
	}
	return out
}

// TestPhraseCollisionsDetected proves the collision check can fail: "moving and
// handling" under two skills, and "CSS" again as an exact synonym.
func TestPhraseCollisionsDetected(t *testing.T) {
	entries, err := parseSkillsTSV("Manual Handling\tcare\tmoving and handling\nMoving and Handling\tcare\t\nCSS\tit\t\nStyles\tit\t=Css\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := phraseCollisions(entries); len(got) != 2 {
		t.Errorf("want 2 collisions, got %q", got)
	}
}

// TestSkillsTaxonomyNamesMatch checks every canonical name is found in its own
// text (with the capitalisation it is written in), so no skill is unreachable.
func TestSkillsTaxonomyNamesMatch(t *testing.T) {
	tax := skillTaxonomy()
	for _, n := range tax.names {
		got := Skills("Skills: " + n + ".")
		if len(got) != 1 || got[0] != n {
			t.Errorf("Skills(%q) = %q, want [%q]", n, got, n)
		}
	}
}

func TestParseSkillsTSVErrors(t *testing.T) {
	cases := []struct {
		name, data string
	}{
		{"two fields", "Python\tit\n"},
		{"four fields", "Python\tit\tpy\textra\n"},
		{"empty name", "\tit\tpy\n"},
		{"empty sector", "Python\t\tpy\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := parseSkillsTSV(c.data); err == nil {
				t.Error("want an error")
			}
		})
	}
	if e, err := parseSkillsTSV("# comment\n\nPython\tit\tpy, python3 ,\n"); err != nil || len(e) != 1 || len(e[0].Synonyms) != 2 {
		t.Errorf("good file: %+v, %v", e, err)
	}
}
