package classifiers

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/cvetl/cvetl/profile"
)

// FuzzParseCandidate checks that no input panics the parser and that its output keeps
// the contract: non-nil slices, and sections that are ordered spans of the text.
// Run longer with: go test -run '^$' -fuzz FuzzParseCandidate -fuzztime 1m ./classifiers/
func FuzzParseCandidate(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("/\n|\n: \n•\n1.\n(0)\n+44 (0)\n-- \n")
	f.Fuzz(func(t *testing.T, text string) {
		c := ParseCandidate(text, profile.Candidate{})
		if c.Emails == nil || c.Phones == nil || c.Skills == nil || c.Employment == nil ||
			c.Education == nil || c.Links == nil || c.SpecialCategories == nil {
			t.Fatal("nil slice in result")
		}
		prev := 0
		for _, s := range Sections(text) {
			if s.Start < prev || s.End < s.Start || s.End > len(text) {
				t.Fatalf("bad section span %+v after %d in %d bytes", s, prev, len(text))
			}
			prev = s.Start
		}
		if utf8.ValidString(text) && c.Name != nil && !utf8.ValidString(*c.Name) {
			t.Fatal("name is not valid UTF-8")
		}
	})
}
