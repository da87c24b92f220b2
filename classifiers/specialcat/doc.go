// Package specialcat tags GDPR special-category (Art. 9) and criminal-offence
// (Art. 10) data that a CV, cover letter or screening answer reveals about the
// candidate, with the evidence span, a confidence and the detector's name.
package specialcat

import (
	"sort"
	"sync"

	"github.com/cvetl/cvetl/classifiers"
)

// Doc is a text prepared once for every detector: its words, sentences, lexicon
// matches and form answers; its CV sections are found on first use.
type Doc struct {
	Text      string
	Sentences []Sentence

	tokens  []token
	matches []match
	at      []int32    // per token: the match starting there, or -1
	cues    []cueFlags // per token: cue flags of the match starting there
	catCues []uint16   // per token: categories for which that match is a cue

	// aboutCandidate: an agency's profile of the candidate, where "he" and "she"
	// are the candidate.
	aboutCandidate bool

	fields  []field // form answers that disclose a category
	masked  []span  // form lines: the form detector decides there, not the sentences
	regions []region

	sectionsOnce sync.Once
	sections     []classifiers.Section
}

// match is one lexicon phrase found in a sentence.
type match struct {
	t0, t1 int // tokens[t0:t1]
	sent   int
	e      *entry
}

type span struct{ start, end int }

// NewDoc tokenises text, splits it into sentences and finds every lexicon phrase.
func NewDoc(text string) *Doc {
	d := &Doc{Text: text, tokens: tokenize(text), Sentences: splitSentences(text)}
	attachTokens(d.Sentences, d.tokens)
	n := len(d.tokens)
	d.at = make([]int32, n)
	d.cues = make([]cueFlags, n)
	d.catCues = make([]uint16, n)
	for i := range d.at {
		d.at[i] = -1
	}
	lx := lexicon()
	for si, s := range d.Sentences {
		lx.phrases.scan(text, d.tokens, s.t0, s.t1, func(i int, e *entry) {
			d.at[i] = int32(len(d.matches))
			d.cues[i] = e.cue
			d.catCues[i] = e.catCue
			d.matches = append(d.matches, match{t0: i, t1: i + len(e.words), sent: si, e: e})
		})
	}
	parseForms(d)
	return d
}

// Sections returns the CV sections (classifiers.Sections), found on first use:
// most documents have nothing to tag and never need them.
func (d *Doc) Sections() []classifiers.Section {
	d.sectionsOnce.Do(func() { d.sections = classifiers.Sections(d.Text) })
	return d.sections
}

// sectionKind is the kind of the CV section holding byte offset pos, or "".
func (d *Doc) sectionKind(pos int) string {
	secs := d.Sections()
	i := sort.Search(len(secs), func(k int) bool { return secs[k].End > pos })
	if i < len(secs) && secs[i].Start <= pos {
		return secs[i].Kind
	}
	return ""
}

// isThird reports a cue naming someone other than the candidate.
func (d *Doc) isThird(f cueFlags) bool {
	return f&cueThirdParty != 0 && !(d.aboutCandidate && f&cueCandidatePronoun != 0)
}

// isSelf reports a cue naming the candidate: I, me, or he/she in an agency profile.
func (d *Doc) isSelf(f cueFlags) bool {
	return f&cueFirstPerson != 0 || (d.aboutCandidate && f&cueCandidatePronoun != 0)
}

// isMasked reports whether byte offset pos lies in a form line.
func (d *Doc) isMasked(pos int) bool {
	i := sort.Search(len(d.masked), func(k int) bool { return d.masked[k].end > pos })
	return i < len(d.masked) && d.masked[i].start <= pos
}

// hasTerms reports whether any category term or form answer was found at all;
// without one no detector can tag anything.
func (d *Doc) hasTerms() bool {
	if len(d.fields) > 0 {
		return true
	}
	for _, m := range d.matches {
		if len(m.e.roles) > 0 {
			return true
		}
	}
	return false
}
