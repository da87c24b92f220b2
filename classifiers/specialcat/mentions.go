package specialcat

import (
	"sort"

	"github.com/cvetl/cvetl/profile"
)

// Mentions lists the special categories that any lexicon term in text names, whoever
// it is about and whatever the context: for staff-written text (a do-not-supply
// reason) where naming a category at all is the problem. Detect's findings about the
// candidate are included. Sorted, without duplicates.
func Mentions(text string) []profile.Category {
	d := NewDoc(text)
	lx := lexicon()
	seen := map[profile.Category]bool{}
	for _, m := range d.matches {
		if m.e.trap {
			continue
		}
		for _, r := range m.e.roles {
			seen[lx.cats[r.cat].cat] = true
		}
	}
	for _, t := range Detect(text) {
		seen[t.Category] = true
	}
	out := make([]profile.Category, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
