package specialcat

import (
	"sort"
	"strings"
	"unicode"

	"github.com/cvetl/cvetl/profile"
)

// Detector finds special-category evidence in a prepared document. Each one
// covers a category or a technique; Detect runs them all.
type Detector interface {
	Detect(doc *Doc) []profile.Tag
}

// Named is a registered detector with a short name for listings: "form" for the
// form reader (its tags say "eo_form.religion", "declaration.health", "form.union"),
// else the category's ("health", whose tags say "health.first_person" and so on).
type Named struct {
	Name string
	Detector
}

// registry holds the detectors in the order they run: the form reader first, then
// one sentence detector per category, then the same-sex partner rule.
var registry = func() []Named {
	ds := []Named{{"form", formDetector{}}}
	for i, f := range catFiles {
		ds = append(ds, Named{strings.TrimSuffix(f.file, ".txt"), sentenceDetector{cat(i)}})
	}
	return append(ds, Named{"partner", partnerDetector{}})
}()

// Detectors lists the registered detectors.
func Detectors() []Named { return append([]Named(nil), registry...) }

// Detect returns the special-category tags the text reveals about the candidate,
// sorted by Start, with overlapping evidence of one category merged.
func Detect(text string) []profile.Tag {
	d := NewDoc(text)
	if !d.hasTerms() {
		return nil
	}
	return merge(text, d.ruleTags())
}

// ruleTags runs every registered detector on d, then lets a health disclosure's
// span run on over the sentences right after it that tell its course.
func (d *Doc) ruleTags() []profile.Tag {
	var tags []profile.Tag
	for _, n := range registry {
		tags = append(tags, n.Detect(d)...)
	}
	for i := range tags {
		if tags[i].Category == profile.Health && strings.HasPrefix(tags[i].Detector, "health.") {
			d.extendCourse(&tags[i])
		}
	}
	return tags
}

// courseReach is how many sentences after a health disclosure may continue it.
const courseReach = 2

// extendCourse extends a free-text health tag over the next sentences of its
// paragraph that tell the condition's course in the writer's voice ("Diagnosed
// with MS in 2020. Mostly stable on Ocrevus. Fatigue is the main thing."): one
// disclosure, one span, so sealing and redaction cover its details too. A
// sentence qualifies when it holds a [course] word of health.txt, asks nothing,
// names no one else and is no form line; the first that does not ends the run.
func (d *Doc) extendCourse(t *profile.Tag) {
	si := sort.Search(len(d.Sentences), func(k int) bool { return d.Sentences[k].End >= t.End })
	course := lexicon().course
	for k := si + 1; k < len(d.Sentences) && k <= si+courseReach; k++ {
		s := &d.Sentences[k]
		if between := d.Text[t.End:s.Start]; strings.Contains(between, "\n\n") || strings.Contains(between, "\r\n\r\n") {
			return
		}
		if d.isMasked(s.Start) || strings.Contains(d.Text[s.Start:s.End], "?") {
			return
		}
		// A new list item is the next item, not the course: "- methadone and CD
		// register⏎- … the controlled-drugs cabinet".
		if ls := strings.LastIndexByte(d.Text[:s.Start], '\n') + 1; ls > t.End && listMarker(d.Text[ls:s.Start]) {
			return
		}
		found := false
		for j := s.t0; j < s.t1; j++ {
			if d.cues[j]&cueThirdParty != 0 {
				return
			}
			if course[d.tokens[j].key] {
				found = true
			}
		}
		if !found {
			return
		}
		t.End = s.End
		t.Evidence = d.Text[t.Start:t.End]
	}
}

// merge joins overlapping tags of the same category (keeping the most confident
// detector), and a conviction's details into its disclosure (sameDisclosure), and
// sorts by Start, then category, so output is deterministic.
func merge(text string, tags []profile.Tag) []profile.Tag {
	sort.Slice(tags, func(i, j int) bool {
		a, b := tags[i], tags[j]
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End > b.End
	})
	var out []profile.Tag
	for _, t := range tags {
		if n := len(out); n > 0 && out[n-1].Category == t.Category && (t.Start < out[n-1].End || sameDisclosure(text, out[n-1], t)) {
			last := &out[n-1]
			if t.Confidence > last.Confidence {
				last.Confidence, last.Detector = t.Confidence, t.Detector
			}
			if t.End > last.End {
				last.End = t.End
				last.Evidence = text[last.Start:last.End]
			}
			continue
		}
		out = append(out, t)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// formDetector turns the form answers found in NewDoc into tags, one per category
// asked.
type formDetector struct{}

// Confidence of a form answer: under an equal-opportunities or declaration
// heading, and elsewhere ("Religion: Muslim" at the foot of a CV).
const (
	confForm        = 0.95
	confLooseAnswer = 0.9
)

func (formDetector) Detect(d *Doc) []profile.Tag {
	lx := lexicon()
	var tags []profile.Tag
	for _, f := range d.fields {
		prefix, conf := "form", confLooseAnswer
		switch d.regionAt(f.start) {
		case headEO:
			prefix, conf = "eo_form", confForm
		case headDeclaration:
			prefix, conf = "declaration", confForm
		}
		for c := cat(0); c < nCats; c++ {
			if f.cats&(1<<c) == 0 {
				continue
			}
			info := &lx.cats[c]
			tags = append(tags, profile.Tag{
				Category: info.cat, Evidence: d.Text[f.start:f.end], Start: f.start, End: f.end,
				Confidence: conf, Detector: prefix + "." + info.name,
			})
		}
	}
	return tags
}

// regionAt is the kind of heading pos lies under, or 0. A region ends where the CV
// starts another section (classifiers.Sections).
func (d *Doc) regionAt(pos int) uint16 {
	var r *region
	for i := range d.regions {
		if d.regions[i].start <= pos {
			r = &d.regions[i]
		}
	}
	if r == nil {
		return 0
	}
	for _, s := range d.Sections() {
		if s.Start > r.start && s.Start <= pos {
			return 0
		}
	}
	return r.kind
}

// disclosureReach is how far (in bytes) the details of a conviction may follow
// the disclosure they belong to.
const disclosureReach = 240

// sameDisclosure reports a criminal-record tag t that continues the disclosure in
// prev: the court, sentence, order or probation named in the same paragraph right
// after it ("… a conviction for assault (Magistrates' Court, community order …).
// I've enclosed a letter from my probation officer."). One disclosure is one span,
// so the sealed evidence and the redaction cover its details as a whole.
func sameDisclosure(text string, prev, t profile.Tag) bool {
	if t.Category != profile.CriminalConvictions || t.Start < prev.End || t.Start-prev.End > disclosureReach {
		return false
	}
	between := text[prev.End:t.Start]
	return !strings.Contains(between, "\n\n") && !strings.Contains(between, "\r\n\r\n")
}

// listMarker reports a line's lead before its first sentence that is only a
// bullet or dash ("- ", "• "), not the end of a wrapped sentence ("2020. ").
func listMarker(lead string) bool {
	lead = strings.TrimSpace(lead)
	return lead != "" && !strings.ContainsFunc(lead, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}
