package classifiers

import (
	"strings"
	"sync"

	"github.com/jdkato/prose/v2"
)

// proseModel loads prose's embedded English model once (about 200 ms); loading it per
// document would cost that on every CV. Its maps are only read afterwards, so the
// model is shared by concurrent workers.
var proseModel = sync.OnceValue(func() *prose.Model { return prose.ModelFromData("en") })

// proseWindow bounds the text given to the recogniser: the header and opening
// profile, where a name missed by the header rules ("My name is …") can be.
const proseWindow = 800

// proseName asks prose's entity recogniser for PERSON entities in the header and
// profile, and keeps the first that also passes personName and is not a street.
// Only CVs whose header rules found nothing pay for it (about 0.3–1 ms).
func (d *document) proseName() string {
	var b strings.Builder
	for i, l := range d.lines {
		if b.Len() >= proseWindow {
			break
		}
		if !d.body(i) || !d.inKinds(i, KindContact, KindProfile) {
			continue
		}
		b.WriteString(l.text)
		b.WriteString("\n")
	}
	if b.Len() == 0 {
		return ""
	}
	doc, err := prose.NewDocument(b.String(), prose.UsingModel(proseModel()), prose.WithSegmentation(false))
	if err != nil {
		return ""
	}
	text := b.String()
	lx := lex()
	for _, e := range doc.Entities() {
		// It must be written like that on one line (prose joins tokens across line
		// breaks), and no word may be a street, town or county: prose labels
		// "Leeds West" and "Park Row" as people.
		if e.Label != "PERSON" || !strings.Contains(text, e.Text) || streetWordRe.MatchString(e.Text) {
			continue
		}
		place := false
		for _, w := range strings.Fields(e.Text) {
			lw := strings.ToLower(w)
			place = place || lx.towns[lw] != "" || lx.counties[lw]
		}
		if place {
			continue
		}
		if n, ok := personName(e.Text); ok {
			return n
		}
	}
	return ""
}
