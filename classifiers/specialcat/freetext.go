package specialcat

import (
	"github.com/cvetl/cvetl/classifiers"
	"github.com/cvetl/cvetl/profile"
)

// sentenceDetector tags one category in running text: a term from the category's
// lexicon, judged by its context (subject, negation, topic verbs, heads, names).
type sentenceDetector struct{ c cat }

// Confidence by how the candidate is shown to be the subject.
const (
	confFirstPerson = 0.85 // "I have…", "my…", "I am a…"
	confLater       = 0.75 // the subject comes after the term: "Anxiety is something I…"
	confImplied     = 0.7  // a CV line with no subject: "Member of UNISON since 2015"
)

func (sd sentenceDetector) Detect(d *Doc) []profile.Tag {
	var tags []profile.Tag
	info := &lexicon().cats[sd.c]
	for mi := range d.matches {
		m := &d.matches[mi]
		for _, r := range m.e.roles {
			if r.cat != sd.c {
				continue
			}
			if f, ok := d.judge(m, r.class, sd.c); ok {
				tags = append(tags, profile.Tag{
					Category: info.cat, Evidence: d.Text[f.start:f.end], Start: f.start, End: f.end,
					Confidence: f.conf, Detector: info.name + "." + f.how,
				})
			}
			break
		}
	}
	return tags
}

// finding is an accepted term: its evidence span and how it was accepted.
type finding struct {
	start, end int
	conf       float64
	how        string
}

// judge decides whether a term reveals category c about the candidate.
func (d *Doc) judge(m *match, cls termClass, c cat) (finding, bool) {
	s := &d.Sentences[m.sent]
	a, b := m.t0, m.t1
	info := &lexicon().cats[c]
	if d.isMasked(d.tokens[a].start) {
		return finding{}, false // a form line: the form detector decides
	}
	if cls != clsOrg && d.isName(s, a, b) {
		return finding{}, false
	}
	aft := d.scanAfter(s, a, b, c)
	if aft.reject {
		return finding{}, false
	}
	bef := d.scanBefore(s, a, c)
	if bef.subj == subjThird || bef.neg || (bef.topic && cls != clsOrg) {
		return finding{}, false
	}
	switch cls {
	case clsIdentity:
		if !bef.pred && !bef.poss && !aft.cue && bef.leadIn > 1 {
			return finding{}, false
		}
	case clsPractice:
		if !bef.poss && !bef.cue {
			return finding{}, false
		}
	case clsOrg:
		if !bef.cue && !aft.cue {
			return finding{}, false
		}
	case clsWeak:
		if !d.sentenceHasCue(s, a, b, c) {
			return finding{}, false
		}
	case clsPossessive:
		if !bef.poss {
			return finding{}, false
		}
	case clsHeritage:
		if !aft.cue && !aft.british && !bef.halfKind {
			return finding{}, false
		}
	}
	f := finding{start: d.tokens[a].start, end: aft.end}
	switch {
	case bef.subj == subjSelf:
		f.conf, f.how = confFirstPerson, "first_person"
		if a-bef.subjTok <= 12 {
			f.start = d.tokens[bef.subjTok].start
		}
	case d.laterSubject(s, b) == subjSelf:
		f.conf, f.how = confLater, "first_person"
	case d.sentenceHas(s.t0, s.t1, cueThirdParty):
		return finding{}, false
	case !info.implied || !d.impliedOK(s, a, bef, cls):
		return finding{}, false
	default:
		f.conf, f.how = confImplied, "implied_subject"
		f.start = d.tokens[bef.clause].start
	}
	if cls == clsOrg {
		f.how = "membership"
		if bef.cue && bef.cueTok < a && f.start > d.tokens[bef.cueTok].start {
			f.start = d.tokens[bef.cueTok].start
		}
	}
	switch d.sectionKind(f.start) {
	case classifiers.KindReferences:
		return finding{}, false // a referee's faith or job is not the candidate's
	case classifiers.KindEducation, classifiers.KindSkills:
		if f.how == "implied_subject" {
			return finding{}, false // course and skill lists name topics
		}
	}
	return f, true
}

// laterSubject is the first subject cue after token b in the sentence, for terms
// that come before their subject: "Anxiety is something I have lived with".
func (d *Doc) laterSubject(s *Sentence, b int) int {
	for k := b; k < s.t1; k++ {
		switch f := d.cues[k]; {
		case f&cueThirdParty != 0:
			return subjThird
		case f&(cueFirstPerson|cuePossessive) != 0:
			return subjSelf
		}
	}
	return subjNone
}

// impliedOK accepts a term in a clause with no subject when the term opens it, as
// CV lines do: "Type 1 diabetic, well controlled", "Member of UNISON since 2015".
func (d *Doc) impliedOK(s *Sentence, a int, bef before, cls termClass) bool {
	if cls == clsOrg && bef.cue {
		return true
	}
	return bef.leadIn <= 3
}
