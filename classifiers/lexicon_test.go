package classifiers

import (
	"strings"
	"testing"
)

// TestLexicons checks the embedded word lists load and are consistent: heading kinds
// are the eight Section kinds, no heading has two kinds, the gazetteer has ~200
// towns and every postcode area is one or two capital letters.
func TestLexicons(t *testing.T) {
	kinds := map[string]bool{KindProfile: true, KindExperience: true, KindEducation: true, KindSkills: true,
		KindReferences: true, KindAdditional: true, KindContact: true, KindOther: true}
	seen := map[string]string{}
	for _, l := range readLines("headings.tsv") {
		f := strings.Split(l, "\t")
		if len(f) < 2 || len(f) > 3 || (len(f) == 3 && f[2] != "weak") {
			t.Errorf("malformed heading line %q", l)
			continue
		}
		if !kinds[f[0]] {
			t.Errorf("heading %q has unknown kind %q", f[1], f[0])
		}
		n := normaliseHeading(f[1])
		if k, dup := seen[n]; dup && k != f[0] {
			t.Errorf("heading %q is both %s and %s", f[1], k, f[0])
		}
		seen[n] = f[0]
	}
	l := lex()
	if len(l.towns) < 200 {
		t.Errorf("gazetteer has %d towns, want about 200", len(l.towns))
	}
	if len(l.postcodeAreas) < 120 {
		t.Errorf("%d postcode areas, want the ~124 UK ones", len(l.postcodeAreas))
	}
	for a := range l.postcodeAreas {
		if len(a) < 1 || len(a) > 2 || strings.ToUpper(a) != a {
			t.Errorf("bad postcode area %q", a)
		}
	}
	for name, set := range map[string]map[string]bool{"stopwords": l.stopwords, "postnominals": l.postnominals,
		"job words": l.jobWords, "counties": l.counties, "employment terms": l.employmentTerms,
		"organisation words": l.orgWords} {
		if len(set) < 10 {
			t.Errorf("%s list has only %d entries", name, len(set))
		}
	}
	// A word that is a job title cannot also be a town, or "Leeds" jobs would vanish.
	for w := range l.jobWords {
		if l.towns[w] != "" {
			t.Errorf("%q is both a job word and a town", w)
		}
	}
}
