// Package specialcat tags GDPR special-category (Art. 9) and criminal-offence
// (Art. 10) data that a CV, cover letter or screening answer reveals about the
// candidate, with the evidence span, a confidence and the detector's name.
package specialcat

import (
	"sort"
	"strings"
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
	// reference: a reference letter, whose "I" is the referee (asReference).
	reference bool
	// pronoun is the candidate's (cueMasculine or cueFeminine) in such a profile,
	// once known: there "she supported a client through his recovery" is not his.
	pronoun cueFlags

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
	if refereeWrites(text) {
		d.asReference()
	}
	parseForms(d)
	d.inferProfile()
	return d
}

// refereeWrites reports a reference letter: its first line calls it one
// ("Character reference for …", "CONFIDENTIAL REFERENCE", "Subject: Reference -
// …"), not a CV's "References" section or a form's "Reference: JOB-118".
func refereeWrites(text string) bool {
	line := strings.TrimSpace(text)
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	line = strings.ToLower(strings.TrimSpace(line))
	line = strings.TrimSpace(strings.TrimPrefix(line, "subject:"))
	for _, q := range []string{"confidential ", "character ", "employment ", "personal ", "professional "} {
		line = strings.TrimPrefix(line, q)
	}
	rest, ok := strings.CutPrefix(line, "reference")
	if !ok {
		return false
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return true
	}
	for _, w := range []string{"for ", "request", "- ", "– ", "— ", "re:", "regarding "} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// asReference reads a reference letter: its writer, "I" and "my", is the
// referee, someone else; "he" and "she" are the candidate (issue #3, h3p: "I am
// a deacon at my church" in a reference is not the candidate's faith).
func (d *Doc) asReference() {
	for i, f := range d.cues {
		if f&(cueFirstPerson|cuePossessive) != 0 {
			d.cues[i] = f&^(cueFirstPerson|cuePossessive) | cueThirdParty
		}
	}
	d.aboutCandidate = true
	d.reference = true
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

// pastInlineList reports a position after a blank line that follows an inline
// list heading ("Skills: Python, R"): the list ended at the blank line, though no
// heading the section finder knows ("Personal") started the next part.
func (d *Doc) pastInlineList(pos int) bool {
	secs := d.Sections()
	i := sort.Search(len(secs), func(k int) bool { return secs[k].End > pos })
	if i == len(secs) || secs[i].Start > pos {
		return false
	}
	st := secs[i].Start
	if st == 0 || d.Text[st-1] == '\n' {
		return false // a heading on its own line: its section runs on
	}
	return strings.Contains(d.Text[st:pos], "\n\n")
}

// isThird reports a cue naming someone other than the candidate.
func (d *Doc) isThird(f cueFlags) bool {
	return f&cueThirdParty != 0 && !d.candidatePronoun(f)
}

// isSelf reports a cue naming the candidate: I, me, or he/she in an agency profile.
func (d *Doc) isSelf(f cueFlags) bool {
	return f&cueFirstPerson != 0 || d.candidatePronoun(f)
}

// candidatePronoun reports he/she standing for the candidate: in a profile, and
// of the candidate's gender once that is known.
func (d *Doc) candidatePronoun(f cueFlags) bool {
	if !d.aboutCandidate || f&cueCandidatePronoun == 0 {
		return false
	}
	return d.pronoun == 0 || f&(cueMasculine|cueFeminine) == 0 || f&d.pronoun != 0
}

// inferProfile recognises a write-up about the candidate when no heading said
// so: nobody speaks in the first person, and a sentence opens with he or she or
// with a name doing something ("Priyanka is a senior engineer"). The first
// sentence that opens with a pronoun gives the candidate's.
func (d *Doc) inferProfile() {
	if !d.aboutCandidate {
		for _, t := range d.tokens {
			// A note may quote the candidate: 'Mentioned "my back's bad"'.
			if firstPersonWords[t.key] && !d.quoted(t.start) {
				return
			}
		}
	}
	opens := false
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if s.t0 >= s.t1 {
			continue
		}
		if mi := d.at[s.t0]; mi >= 0 {
			f := d.matches[mi].e.cue
			if f&cueCandidatePronoun != 0 {
				opens = true
				if d.pronoun == 0 {
					d.pronoun = f & (cueMasculine | cueFeminine)
				}
				continue
			}
		}
		opens = opens || d.nameOpens(s) || d.reportOpens(s)
	}
	d.aboutCandidate = d.aboutCandidate || opens
}

// firstPersonWords are the words that show a writer speaking of themself.
var firstPersonWords = map[string]bool{
	"i": true, "i'm": true, "i've": true, "i'd": true, "i'll": true, "me": true,
	"my": true, "myself": true, "mine": true,
}

// nameOpens reports a sentence that opens with a capitalised word outside the
// lexicon (or "Candidate") followed by a verb of being or having: "Jordan is",
// "Liam has".
func (d *Doc) nameOpens(s *Sentence) bool {
	k := s.t0
	if k+1 >= s.t1 || !d.tokens[k].cap || d.tokens[k].upper {
		return false
	}
	if d.at[k] >= 0 && !candidateNouns[d.tokens[k].key] {
		return false
	}
	return nameVerbs[d.tokens[k+1].key] && plainSpace(gap(d.Text, d.tokens[k], d.tokens[k+1]))
}

// candidateNouns open a recruiter's note the way a name does: "Candidate
// identifies as White Irish", "Applicant has a spent caution".
var candidateNouns = map[string]bool{"candidate": true, "applicant": true}

var nameVerbs = map[string]bool{
	"is": true, "has": true, "was": true, "had": true, "identifies": true,
	"describes": true, "attends": true, "holds": true, "lives": true,
}

// isMasked reports whether byte offset pos lies in a form line.
func (d *Doc) isMasked(pos int) bool {
	i := sort.Search(len(d.masked), func(k int) bool { return d.masked[k].end > pos })
	return i < len(d.masked) && d.masked[i].start <= pos
}

// hasTerms reports whether any category term, form answer or partner noun was
// found at all; without one no detector can tag anything.
func (d *Doc) hasTerms() bool {
	if len(d.fields) > 0 {
		return true
	}
	for _, m := range d.matches {
		if len(m.e.roles) > 0 {
			return true
		}
	}
	partners := lexicon().partners
	for _, t := range d.tokens {
		if partners[t.key] != 0 || t.key == "partner" {
			return true // the same-sex partner rule may apply ("my wife", "my male partner")
		}
	}
	return false
}

// reportOpens reports a recruiter's note that opens, or opens after a "Q3:"
// label, with a verb of reporting and he or she: "Said she is an SNP member",
// "Mentioned he has a spent caution". The pronoun is the candidate's.
func (d *Doc) reportOpens(s *Sentence) bool {
	for k := s.t0; k+1 < s.t1 && k < s.t0+8; k++ {
		if k > s.t0 && !strings.Contains(gap(d.Text, d.tokens[k-1], d.tokens[k]), ":") {
			continue
		}
		if !reportVerbs[d.tokens[k].key] {
			continue
		}
		if mi := d.at[k+1]; mi >= 0 && d.matches[mi].e.cue&cueCandidatePronoun != 0 {
			if d.pronoun == 0 {
				d.pronoun = d.matches[mi].e.cue & (cueMasculine | cueFeminine)
			}
			return true
		}
	}
	return false
}

var reportVerbs = map[string]bool{
	"said": true, "says": true, "mentioned": true, "confirmed": true, "disclosed": true,
	"explained": true, "stated": true, "clarified": true, "volunteered": true, "told": true,
}

// quoted reports a byte offset inside double quotes on its line.
func (d *Doc) quoted(pos int) bool {
	ls := strings.LastIndexByte(d.Text[:pos], '\n') + 1
	before := d.Text[ls:pos]
	return strings.Count(before, "\"")%2 == 1 || strings.Count(before, "“") > strings.Count(before, "”")
}
