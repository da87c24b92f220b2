package specialcat

import (
	"sort"
	"strings"

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
	impliedIn := -1 // the sentence whose subject-less line was accepted last
	selfIn := -1    // the sentence of the last term accepted with the candidate as subject
	for mi := range d.matches {
		m := &d.matches[mi]
		for _, r := range m.e.roles {
			if r.cat != sd.c {
				continue
			}
			follows := selfIn >= 0 && m.sent-selfIn <= 1
			f, ok := d.judge(m, r.class, sd.c, impliedIn == m.sent, follows)
			if !ok {
				continue
			}
			if f.implied {
				impliedIn = m.sent
			} else {
				selfIn = m.sent
			}
			tags = append(tags, profile.Tag{
				Category: info.cat, Evidence: d.Text[f.start:f.end], Start: f.start, End: f.end,
				Confidence: f.conf, Detector: info.name + "." + f.how,
			})
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
	implied    bool // accepted with no subject in the sentence
}

// judge decides whether a term reveals category c about the candidate. coord says
// an earlier term of the sentence was accepted as a subject-less CV line, so this
// one shares its subject: "Chair of the Labour Club, and a canvasser for the party".
// follows says a term of c about the candidate was accepted in this sentence or
// the one before, so "it" or "which" may refer back to it: "I live with Crohn's
// disease. It is stable on medication."
func (d *Doc) judge(m *match, cls termClass, c cat, coord, follows bool) (finding, bool) {
	s := &d.Sentences[m.sent]
	a, b := m.t0, m.t1
	info := &lexicon().cats[c]
	if d.isMasked(d.tokens[a].start) {
		return finding{}, false // a form line: the form detector decides
	}
	if cls != clsOrg && d.isName(s, a, b, cls) {
		return finding{}, false
	}
	if d.inHyphenName(s, a) {
		return finding{}, false // "Wolff-Parkinson-White syndrome"
	}
	if end := d.refusedLabelEnd(s); end >= 0 && d.tokens[b-1].end <= end {
		return finding{}, false // the label of a withheld answer: "LGBTQ+: I don't wish to answer"
	}
	if c == catOrientation && d.leftCustody(m) {
		return finding{}, false // "served 18 months, and when I came out I retrained"
	}
	bef := d.scanBefore(s, a, c)
	if c == catEthnicity && bef.subj == subjThird && (cls == clsIdentity || cls == clsHeritage) && d.lineageIs(bef.subjTok, a) {
		// "My family are Romanichal Gypsies", "My parents are Gujarati": the
		// writer's forebears' origin is the writer's own.
		bef.subj, bef.pred = subjSelf, true
	}
	if bef.subj == subjThird && d.ownWordIn(a, b) {
		// A term that names the writer in its own words is theirs whoever acts:
		// "they took my prints at my last job".
		bef.subj = subjSelf
	}
	sent := strings.TrimSpace(d.Text[s.Start:s.End])
	if d.asked(s, sent, b) && !d.isRequest(s) && !(bef.subj == subjSelf && d.questionAfter(s, b)) {
		// A question, unless the writer's own statement comes before it: "I'm a
		// wheelchair user, so is there step-free access?"
		return finding{}, false
	}
	if strings.HasSuffix(sent, ":") && bef.subj != subjSelf {
		// A prompt introduces what follows ("Religious or cultural requirements
		// regarding uniform:"); it states nothing about the writer.
		return finding{}, false
	}
	if c == catHealth && d.carrierOf(s, a, b) {
		return finding{}, false // "a carrier of the F508del cystic fibrosis mutation" is genetic only
	}
	if c == catBiometric && d.ownDevice(s) {
		return finding{}, false // "I unlock my phone with my thumbprint"
	}
	if d.genericSubject(s, a, b, c) || d.hypothetical(s, a) || cls == clsPractice && d.deniedBefore(s, bef.clause, c) {
		return finding{}, false
	}
	aft := d.scanAfter(s, a, b, c, cls, bef.poss)
	if aft.reject && d.communityMember(s, a, b) {
		aft = after{reject: false, cue: true, end: d.tokens[b].end}
	}
	if aft.reject {
		return finding{}, false
	}
	if bef.neg && d.sinceAfter(s, b) {
		bef.neg = false // "I have not had a seizure since 2019"
	}
	if bef.subj == subjThird || bef.neg || bef.topic || d.labelForWork(s, b) || d.headPrepBefore(bef.clause, a, c) {
		return finding{}, false
	}
	if cls == clsOrg && d.othersRole(s, a, b) {
		return finding{}, false // "liaised with the NEU rep": someone else's office
	}
	refers := follows && bef.subj == subjNone && d.refersBack(bef.clause, a) &&
		(cls == clsTerm || cls == clsWeak || cls == clsPossessive)
	// "… - a Yoruba girl with a South London accent": an identity set off as a
	// phrase of its own describes the writer.
	appos := (cls == clsIdentity || cls == clsHeritage) && bef.subj == subjNone && d.apposition(s, a, b)
	// "I also want to mention my ADHD. I'm medicated and it's fine": a weak word
	// the writer says of themself leans on a term of theirs in this sentence or the
	// one before.
	leans := cls == clsWeak && follows && bef.subj == subjSelf
	if !refers && !appos && !leans && !classSatisfied(d, cls, a, b, s, c, bef, aft) {
		return finding{}, false
	}
	f := finding{start: d.tokens[a].start, end: aft.end}
	switch {
	case refers:
		f.conf, f.how = confLater, "first_person"
		f.start = d.tokens[bef.clause].start
	case bef.subj == subjSelf:
		f.conf, f.how = confFirstPerson, "first_person"
		first := bef.subjTok
		if bef.firstTok >= 0 && bef.firstTok < first {
			first = bef.firstTok // "I attend my local church", not "my local church"
		}
		if a-first <= 12 {
			f.start = d.tokens[first].start
		}
	case a-bef.clause <= 2 && d.laterSubject(s, b, d.effectAfter(s, b)) == subjSelf,
		d.selfOpening(bef.clause) && d.laterSubject(s, b, true) == subjSelf,
		bef.subj == subjNone && d.asBefore(bef.clause, a) && d.laterSubjectPast(s, b, true, true) == subjSelf:
		// "Anxiety is something I…", "As a British Indian, I…", "Being gay has shaped
		// my…", "Growing up as a Romany lad, I…"
		f.conf, f.how = confLater, "first_person"
	case appos:
		f.conf, f.how, f.implied = confImplied, "implied_subject", true
		f.start = d.tokens[a-1].start
		f.end = max(f.end, d.tokens[b].end)
	case !info.implied && !d.opensLine(s, a, b, c, cls, aft) && !(bef.half && a-1 == s.t0) || cls == clsPersonal || !d.impliedOK(s, a, b, c, bef, cls, coord):
		// A heritage opening a line with "Half-" describes the writer: "Half-Jamaican,
		// half-Norfolk".
		return finding{}, false
	default:
		f.conf, f.how, f.implied = confImplied, "implied_subject", true
		if a-bef.line <= 6 {
			f.start = d.tokens[bef.line].start
		}
	}
	if cls == clsOrg {
		f.how = "membership"
		if bef.cue && bef.cueTok >= bef.line && f.start > d.tokens[bef.cueTok].start {
			f.start = d.tokens[bef.cueTok].start
		}
	}
	switch d.sectionKind(f.start) {
	case classifiers.KindReferences:
		return finding{}, false // a referee's faith or job is not the candidate's
	case classifiers.KindEducation, classifiers.KindSkills:
		if f.how == "implied_subject" && !d.pastInlineList(f.start) && !d.ownHeading(s) && !d.headingWithin(f.start) {
			return finding{}, false // course and skill lists name topics
		}
	case classifiers.KindExperience:
		// A work history names the conditions of patients and clients: "Authorise
		// reports for hereditary cancer", "Reduced self-harm on the wing".
		if f.how == "implied_subject" && c == catHealth && !d.pastInlineList(f.start) && !d.ownHeading(s) && !d.headingWithin(f.start) {
			return finding{}, false
		}
	}
	return f, true
}

// classSatisfied checks what each class of term needs besides a subject.
func classSatisfied(d *Doc, cls termClass, a, b int, s *Sentence, c cat, bef before, aft after) bool {
	switch cls {
	case clsIdentity:
		// "Out and proud gay man": a line opener before the identity counts as
		// nothing between it and the line's start.
		return bef.pred || bef.poss || aft.cue || a-bef.line <= 1 || bef.line == s.t0 && d.opensAt(s, a)
	case clsPractice:
		// The verb must govern the practice: "I attend church", "take Eid as
		// annual leave", not "I sing in the choir, so I know the parish".
		return bef.poss || (bef.cue && a-bef.cueNear <= 4) || aft.cue
	case clsOrg:
		return bef.cue || aft.cue || d.inMembership(a, bef.clause)
	case clsWeak:
		return d.sentenceHasCue(s, a, b, c) || d.sentenceHasRole(s, a, b, c)
	case clsPossessive:
		return bef.poss
	case clsHeritage:
		// "of Nigerian heritage", "Somali-British", "My heritage is Jamaican",
		// "Ethnicity: Indian"
		return aft.cue || aft.british || bef.half || (bef.british && bef.pred) ||
			(bef.cue && a-bef.cueNear <= 3 && !d.prepBetween(bef.cueNear, a))
	}
	return true
}

// opensLine reports an identity that opens a CV line and describes the writer,
// for categories whose terms need a subject: "Queer, non-binary UX researcher",
// "Chinese Malaysian, fluent in Mandarin". A list of groups ("Black, Asian and
// minority ethnic staff") is not one.
func (d *Doc) opensLine(s *Sentence, a, b int, c cat, cls termClass, aft after) bool {
	open := d.lineOpening(s)
	british := a == open+1 && d.tokens[open].key == "british" // "British Indian (Gujarati)"
	if !d.opensAt(s, a) && !british || cls != clsIdentity && cls != clsHeritage || b-a == 1 && lexicon().languages[d.tokens[a].key] {
		return false // "Tamil, Sri Lanka" in a list of languages
	}
	if aft.british {
		return true
	}
	if b < s.t1 {
		// A detail in brackets ("Mixed heritage (Ghanaian/Welsh)") or a self noun
		// ("Out and proud bi woman") after the term.
		g := strings.TrimSpace(gap(d.Text, d.tokens[b-1], d.tokens[b]))
		if g == "(" && (british || cls == clsIdentity) || g == "" && lexicon().selfNouns[d.tokens[b].key] {
			return true
		}
	}
	if cls != clsIdentity {
		return false
	}
	if b == s.t1 {
		// The whole sentence: "Heterosexual." A bare list item ("Tamil" under
		// "Languages") is not one: ethnic groups double as languages. "Proud"
		// before it makes it the writer's ("… | Proud lesbian | …").
		return strings.HasSuffix(d.Text[s.Start:s.End], ".") || open > s.t0 && d.tokens[open-1].key == "proud"
	}
	g := gap(d.Text, d.tokens[b-1], d.tokens[b])
	return strings.TrimSpace(g) == "," && !d.startsRole(b, c)
}

// lineOpening is the first token of sentence s past a heading line joined to it
// and past a "Proud" or "Out and proud" that opens it: "Proud Welsh-Nigerian dad
// of two".
func (d *Doc) lineOpening(s *Sentence) int {
	k := d.pastHeading(s)
	if k+2 < s.t1 && d.tokens[k].key == "out" && d.tokens[k+1].key == "and" && d.tokens[k+2].key == "proud" {
		return k + 3
	}
	if k+1 < s.t1 && d.tokens[k].key == "proud" {
		return k + 1
	}
	return k
}

// inHyphenName reports a term that ends a chain of two or more capitalised words
// joined by hyphens: an eponym or a double-barrelled name ("Wolff-Parkinson-White
// syndrome"), not the word on its own.
func (d *Doc) inHyphenName(s *Sentence, a int) bool {
	n := 0
	for k := a; k > s.t0 && hyphenated(gap(d.Text, d.tokens[k-1], d.tokens[k])) && d.tokens[k-1].cap; k-- {
		n++
	}
	return n >= 2
}

// apposition reports "a"/"an", the term and a self noun set off as a phrase of
// their own at the start of a sentence or after a dash or comma: "Born in Lagos,
// raised in Peckham - a Yoruba girl with a South London accent", "A proud Sikh
// lad from Leicester". Nothing may follow the noun but the end of the phrase or a
// word of description ("with", "from", "born"), so "a Muslim woman was
// assaulted" is not one.
func (d *Doc) apposition(s *Sentence, a, b int) bool {
	lx := lexicon()
	k := a - 1
	if k >= s.t0 && d.tokens[k].key == "proud" {
		k--
	}
	if k < s.t0 || (d.tokens[k].key != "a" && d.tokens[k].key != "an") {
		return false
	}
	if k > s.t0 && !strings.ContainsAny(gap(d.Text, d.tokens[k-1], d.tokens[k]), "-–—,;:") {
		return false
	}
	if b >= s.t1 || !lx.selfNouns[d.tokens[b].key] || !plainSpace(gap(d.Text, d.tokens[b-1], d.tokens[b])) {
		return false
	}
	if b+1 == s.t1 || strings.ContainsAny(gap(d.Text, d.tokens[b], d.tokens[b+1]), ",;–—-.(") {
		return true
	}
	return appositionWords[d.tokens[b+1].key]
}

// appositionWords may follow the noun of an apposition: they describe, not act.
var appositionWords = map[string]bool{
	"with": true, "from": true, "of": true, "in": true, "born": true, "raised": true,
	"living": true, "based": true, "who": true,
}

// refersBack reports a clause that opens with "it", "this" or "which", with no
// one else named before token a: "It's managed with tablets", "which has been
// stable for years with lithium".
func (d *Doc) refersBack(clause, a int) bool {
	if clause < len(d.tokens) && anaphors[d.tokens[clause].key] && clause < a {
		return true
	}
	return clause > 0 && clause < a && d.tokens[clause-1].key == "which"
}

var anaphors = map[string]bool{"it": true, "it's": true, "its": true, "this": true, "which": true}

// effectAfter reports a verb of effect right after a term, so that "my" later
// names the writer: "Mild cerebral palsy affects my left hand".
func (d *Doc) effectAfter(s *Sentence, b int) bool {
	return b < s.t1 && lexicon().effectVerbs[d.tokens[b].key]
}

// asBefore reports "as" or "being" in tokens [from, a): "Growing up as a Romany
// lad", not "the only other depression I plan to discuss".
func (d *Doc) asBefore(from, a int) bool {
	for k := from; k < a; k++ {
		if key := d.tokens[k].key; key == "as" || key == "being" {
			return true
		}
	}
	return false
}

// labelForWork reports a term written as a label ("Diabetes: delivered structured
// education to 200 patients") whose value is about work: a topic verb or other
// people in it.
func (d *Doc) labelForWork(s *Sentence, b int) bool {
	if b >= s.t1 || !strings.HasPrefix(strings.TrimSpace(gap(d.Text, d.tokens[b-1], d.tokens[b])), ":") {
		return false
	}
	return d.workClause(b, s.t1)
}

// workClause reports a topic verb, a job word or someone else among tokens [from, to).
func (d *Doc) workClause(from, to int) bool {
	lx := lexicon()
	for k := from; k < to; k++ {
		f := d.cues[k]
		if f&cueTopic != 0 || d.isThird(f) || lx.jobTitles[d.tokens[k].key] {
			return true
		}
	}
	return false
}

// prepBetween reports a preposition among tokens (from, to): "My background is in
// Chinese medicine" names a field, not an origin.
func (d *Doc) prepBetween(from, to int) bool {
	for k := from + 1; k < to; k++ {
		if lexicon().preps[d.tokens[k].key] {
			return true
		}
	}
	return false
}

// selfOpening reports a clause opening "As a…" or "Being…": the writer describes
// themself.
func (d *Doc) selfOpening(k int) bool {
	key := d.tokens[k].key
	return key == "as" || key == "being"
}

// impliedOK accepts a term on a line with no subject, as CV lines are written:
// "Type 1 diabetic, well controlled", "Member of UNISON since 2015". The term must
// open the line (or share the line with an accepted one), with no one else, no
// negation and no topic verb before it.
func (d *Doc) impliedOK(s *Sentence, a, b int, c cat, bef before, cls termClass, coord bool) bool {
	lx := lexicon()
	k := b
	for k+1 < s.t1 && (d.tokens[k].key == "and" || d.tokens[k].key == "or") && d.startsRole(k+1, c) {
		k = d.matchEnd(k + 1) // "Spent cautions and convictions need not be declared"
	}
	if k < s.t1 && lx.verbAfter[d.tokens[k].key] {
		return false // "Dementia is a cruel disease"
	}
	// "Caseworker for 30 HR files a year: sickness absence, conduct": the items
	// after a label about work are what the work covers.
	if bef.line > s.t0 && d.workClause(s.t0, bef.line) {
		return false
	}
	// "Data analyst with dyslexia" describes the writer; "Clinical Nurse
	// Specialist, Epilepsy" and "Caseworker, Labour Party" name a job.
	withTerm := cls != clsOrg && a > bef.line && d.tokens[a-1].key == "with"
	for k := bef.line; k < a; k++ {
		if f := d.cues[k]; d.isSelf(f) || d.isThird(f) || f&(cuePossessive|cueNegation|cueTopic) != 0 {
			return false
		}
		if lx.jobTitles[d.tokens[k].key] && !withTerm {
			return false
		}
	}
	if cls != clsOrg {
		// "variant calling in cancer genomes", "pipelines for inherited cardiomyopathy"
		for k := a - 1; k >= bef.line && k >= a-2; k-- {
			if lx.preps[d.tokens[k].key] {
				return false
			}
		}
	}
	return coord || a-bef.line <= 6 || (cls == clsOrg && bef.cue)
}

// isRequest reports a question in which the writer asks for something for
// themself ("Could I have a quiet room to pray?", "…, please could the interview be
// on the ground floor?"): unlike a question put to the candidate, it states the
// writer's own need, so its terms are judged like a statement's.
func (d *Doc) isRequest(s *Sentence) bool {
	for k := s.t0; k+1 < s.t1; k++ {
		cur, next := d.tokens[k].key, d.tokens[k+1].key
		switch {
		case cur == "please" && requestModals[next],
			requestModals[cur] && (next == "i" || next == "we"):
			return true
		}
	}
	return false
}

// questionAfter reports a question that starts after token b, past a comma, dash
// or "so"/"but": the clause holding the term is the writer's statement, the
// question only follows it ("I'm colour blind - is that a problem?").
func (d *Doc) questionAfter(s *Sentence, b int) bool {
	for k := b; k < s.t1; k++ {
		if !questionOpeners[d.tokens[k].key] || k+1 >= s.t1 {
			continue
		}
		prev := d.tokens[k-1].key
		// A full stop or a closing bracket counts too: a message written without
		// capitals is one sentence ("i am diabetic type 2. can i still do nights?", h61).
		if g := gap(d.Text, d.tokens[k-1], d.tokens[k]); strings.ContainsAny(g, ",;-–—.)") || prev == "so" || prev == "but" {
			return true
		}
	}
	return false
}

// questionOpeners start a question clause: "could you…", "is that a problem".
var questionOpeners = map[string]bool{
	"could": true, "can": true, "would": true, "will": true, "is": true, "are": true,
	"do": true, "does": true, "should": true, "may": true, "might": true, "what": true,
	"how": true, "who": true, "where": true, "when": true,
}

// requestModals open a request: "could I…", "please would…".
var requestModals = map[string]bool{"could": true, "can": true, "may": true, "would": true}

// headPrepBefore reports a head noun and a preposition before the term in its
// clause: "runs clinics for Huntington's disease and familial hypercholesterolaemia",
// "a service for people with epilepsy". The term names what the work is for.
func (d *Doc) headPrepBefore(clause, a int, c cat) bool {
	lx := lexicon()
	for j := a - 1; j > clause && j >= a-6; j-- {
		if lx.preps[d.tokens[j].key] && d.isHead(j-1, c) && d.at[j-1] < 0 {
			return true
		}
	}
	return false
}

// asked reports a question holding the term: the sentence ends with "?", or it
// opens with a question word and its "?" comes after the term, followed by the
// answer on the same line ("Are you, or could you be, pregnant?   no").
func (d *Doc) asked(s *Sentence, sent string, b int) bool {
	if strings.HasSuffix(sent, "?") || d.quotedQuestion(s, b) {
		return true
	}
	if s.t0 >= s.t1 || !questionOpeners[d.tokens[s.t0].key] && !auxOpeners[d.tokens[s.t0].key] {
		return false
	}
	return strings.Contains(d.Text[d.tokens[b-1].end:s.End], "?")
}

// auxOpeners open a yes/no question besides the questionOpeners: "Have you…",
// "Has anyone in your family…".
var auxOpeners = map[string]bool{"have": true, "has": true, "did": true, "were": true, "was": true, "am": true}

// genericSubject reports a term that is the generic subject of a rule or a
// policy: an indefinite article (or "having") before it and a modal after it,
// past any terms joined to it ("Having a criminal record will not bar you", "I
// understand that a conviction may not stop me", "Spent cautions and
// convictions need not be declared" is read by impliedOK). Nobody's own record is meant.
func (d *Doc) genericSubject(s *Sentence, a, b int, c cat) bool {
	k := b
	for k+1 < s.t1 && (d.tokens[k].key == "and" || d.tokens[k].key == "or") && d.startsRole(k+1, c) {
		k = d.matchEnd(k + 1)
	}
	if k >= s.t1 || !lexicon().modals[d.tokens[k].key] || strings.TrimSpace(gap(d.Text, d.tokens[k-1], d.tokens[k])) != "" {
		return false // "I wear a hijab, would need…": the modal starts another clause
	}
	// The article may open the phrase itself ("a conviction").
	return genericWords[d.tokens[a].key] || a > s.t0 && genericWords[d.tokens[a-1].key]
}

// genericWords open a noun phrase that names no one's own case.
var genericWords = map[string]bool{"a": true, "an": true, "any": true, "having": true}

// hypothetical reports a term inside a counterfactual "if" clause: "If I were in
// a same-sex relationship, …", "if I ever needed adjustments". The writer
// supposes; they state nothing.
func (d *Doc) hypothetical(s *Sentence, a int) bool {
	for k := s.t0; k < a; k++ {
		if d.tokens[k].key != "if" && d.tokens[k].key != "supposing" {
			continue
		}
		for j := k + 1; j < a && j <= k+3; j++ {
			if key := d.tokens[j].key; key == "were" || key == "ever" {
				return true
			}
			// "If I had a conviction I would declare it": a past tense in the
			// "if" clause with a "would" after the term is a counterfactual.
			if key := d.tokens[j].key; (key == "had" || key == "did") && d.wouldAfter(s, a) {
				return true
			}
		}
	}
	return false
}

// wouldAfter reports "would" (or "'d") among the tokens of s after token a.
func (d *Doc) wouldAfter(s *Sentence, a int) bool {
	for k := a + 1; k < s.t1; k++ {
		if key := d.tokens[k].key; key == "would" || key == "wouldn't" || strings.HasSuffix(key, "'d") || strings.HasSuffix(key, "’d") {
			return true
		}
	}
	return false
}

// deniedBefore reports the writer denying category c earlier in the sentence,
// before the clause of a practice term: "I'm not religious myself, but I'm happy
// to attend chapel with the pupils" describes taking part, not a belief.
func (d *Doc) deniedBefore(s *Sentence, clause int, c cat) bool {
	for k := s.t0; k < clause; k++ {
		if d.cues[k]&cueNegation == 0 {
			continue
		}
		for j := k + 1; j < clause && j <= k+3; j++ {
			if d.startsRole(j, c) {
				return true
			}
		}
	}
	return false
}

// quotedQuestion reports a term inside a quoted question: 'Q9 asks "Do you have
// any hereditary condition?"' repeats the form's words, it answers nothing.
func (d *Doc) quotedQuestion(s *Sentence, b int) bool {
	end := d.tokens[b-1].end
	before := d.Text[s.Start:end]
	open := strings.LastIndexAny(before, "\"“")
	if open < 0 || strings.Count(before, "\"")%2 == 0 && !strings.Contains(before[open:], "“") {
		return false // no quote open at the term
	}
	rest := d.Text[end:s.End]
	cl := strings.IndexAny(rest, "\"”")
	return cl > 0 && strings.HasSuffix(strings.TrimSpace(rest[:cl]), "?")
}

// ownDevice reports a sentence naming the writer's own gadget: "my phone", "my
// own laptop".
func (d *Doc) ownDevice(s *Sentence) bool {
	devices := lexicon().devices
	for k := s.t0; k+1 < s.t1; k++ {
		if d.tokens[k].key != "my" {
			continue
		}
		n := k + 1
		if d.tokens[n].key == "own" && n+1 < s.t1 {
			n++
		}
		if devices[d.tokens[n].key] {
			return true
		}
	}
	return false
}

// pastHeading is the first token of sentence s after a short heading line that
// the sentence splitter left joined to it ("PERSONAL\nMixed heritage (…)"), or
// s.t0.
func (d *Doc) pastHeading(s *Sentence) int {
	for k := s.t0 + 1; k < s.t1 && k <= s.t0+3; k++ {
		g := gap(d.Text, d.tokens[k-1], d.tokens[k])
		if strings.Contains(g, "\n") {
			if strings.ContainsAny(g, ".,;:!?") {
				return s.t0
			}
			return k
		}
		if !plainSpace(g) {
			return s.t0
		}
	}
	return s.t0
}

// ownHeading reports a sentence right under a short heading line that follows a
// blank line ("\n\nPERSONAL\nMixed heritage …"): a part the section finder does
// not know has started, so the course or skill list above it has ended.
func (d *Doc) ownHeading(s *Sentence) bool {
	if k := d.pastHeading(s); k > s.t0 {
		return looseHeading(d.Text[s.Start:d.tokens[k].start]) && blankBefore(d.Text[:s.Start])
	}
	before := strings.TrimRight(d.Text[:s.Start], " \t\r")
	if !strings.HasSuffix(before, "\n") {
		return false
	}
	before = strings.TrimRight(before[:len(before)-1], "\r")
	nl := strings.LastIndexByte(before, '\n')
	return looseHeading(before[nl+1:]) && blankBefore(before[:nl+1])
}

// blankBefore reports text that is empty or ends with a blank line.
func blankBefore(text string) bool {
	text = strings.TrimRight(text, " \t\r")
	return text == "" || strings.HasSuffix(strings.ReplaceAll(text, "\r", ""), "\n\n")
}

// opensAt reports a term at token a that opens its sentence's line, past an
// opener ("Proud") and other terms before it ("Proud Scottish-Moroccan Muslim
// mum").
func (d *Doc) opensAt(s *Sentence, a int) bool {
	open := d.lineOpening(s)
	return a == open || a > open && d.termChain(open, a)
}

// termChain reports tokens [from, to) covered by category terms one after
// another, joined by spaces or hyphens: "Scottish-Moroccan" before "Muslim mum".
func (d *Doc) termChain(from, to int) bool {
	k := from
	for k < to {
		mi := d.at[k]
		if mi < 0 || len(d.matches[mi].e.roles) == 0 {
			return false
		}
		k = d.matches[mi].t1
		if k < len(d.tokens) && k > 0 && !plainSpace(gap(d.Text, d.tokens[k-1], d.tokens[k])) && !hyphenated(gap(d.Text, d.tokens[k-1], d.tokens[k])) {
			return false
		}
	}
	return k == to
}

// headingWithin reports a short heading line after a blank line between the start
// of the CV section holding pos and pos: "EDUCATION … \n\nOTHER\nMember of …
// Elder at …". The section finder did not know the heading, so the section it
// reports ended there.
func (d *Doc) headingWithin(pos int) bool {
	secs := d.Sections()
	i := sort.Search(len(secs), func(k int) bool { return secs[k].End > pos })
	if i == len(secs) || secs[i].Start > pos {
		return false
	}
	part := d.Text[secs[i].Start:pos]
	for {
		j := strings.Index(part, "\n\n")
		if j < 0 {
			return false
		}
		part = part[j+2:]
		nl := strings.IndexByte(part, '\n')
		if nl < 0 {
			return false
		}
		if looseHeading(part[:nl]) {
			return true
		}
	}
}

// looseHeading reports a line that heads a catch-all part of a CV the section
// finder does not know: a short line in capitals ("OTHER", "PERSONAL") or a
// catch-all word ("Other", "Additional"). "Dissertation" or "Modules" under a
// degree is no such heading: the course list runs on.
func looseHeading(line string) bool {
	head := strings.TrimSpace(line)
	if head == "" || strings.ContainsAny(head, ".,;:!?()") || len(strings.Fields(head)) > 3 {
		return false
	}
	if strings.ToUpper(head) == head && strings.ToLower(head) != head {
		return true
	}
	return catchAllHeadings[strings.ToLower(head)]
}

var catchAllHeadings = map[string]bool{
	"other": true, "additional": true, "personal": true, "misc": true, "miscellaneous": true,
	"about me": true, "additional information": true, "other information": true, "personal details": true,
}

// carrierOf reports a condition named as what the writer carries, not has:
// "carrier" up to six words before it ("a carrier of the delta F508 cystic
// fibrosis mutation") or right after it ("a haemochromatosis carrier").
func (d *Doc) carrierOf(s *Sentence, a, b int) bool {
	if b < s.t1 && d.tokens[b].key == "carrier" {
		return true
	}
	for k := a - 1; k >= s.t0 && k >= a-6; k-- {
		if strings.ContainsAny(gap(d.Text, d.tokens[k], d.tokens[k+1]), ",;:.") {
			return false // another clause: "I'm a BRCA2 carrier, and I had surgery"
		}
		if d.tokens[k].key == "carrier" {
			return k+1 < a && (d.tokens[k+1].key == "of" || d.tokens[k+1].key == "for")
		}
	}
	return false
}

// catEthnicity is racial or ethnic origin's index in catFiles.
const catEthnicity cat = 2

// lineageIs reports "my family", "my parents" or "my grandparents" at token k, then
// "are", "is", "were" or "was" (and "both" or "all"), ending right before the term
// at a.
func (d *Doc) lineageIs(k, a int) bool {
	if k+2 >= a || d.tokens[k].key != "my" || !lineage[d.tokens[k+1].key] {
		return false
	}
	j := k + 2
	switch d.tokens[j].key {
	case "are", "is", "were", "was":
	default:
		return false
	}
	j++
	if j < a && (d.tokens[j].key == "both" || d.tokens[j].key == "all") {
		j++
	}
	return j == a
}

var lineage = map[string]bool{"family": true, "parents": true, "grandparents": true}

// ownWordIn reports "my" inside the term tokens [a, b): "took my prints".
func (d *Doc) ownWordIn(a, b int) bool {
	for k := a + 1; k < b; k++ {
		if d.tokens[k].key == "my" {
			return true
		}
	}
	return false
}

// othersRole reports an organisation named as someone else's office, the
// object of a preposition: "with the NEU rep", "to the Unite convenor", "from
// GMB officials" (issue #3, h3p; "I am the NEU rep" is the candidate's).
func (d *Doc) othersRole(s *Sentence, a, b int) bool {
	if b >= s.t1 || !officeNouns[d.tokens[b].key] {
		return false
	}
	j := a - 1
	if j >= s.t0 && (d.tokens[j].key == "the" || d.tokens[j].key == "a" || d.tokens[j].key == "an") {
		j--
	}
	return j >= s.t0 && officePreps[d.tokens[j].key]
}

var (
	officeNouns = map[string]bool{"rep": true, "reps": true, "representative": true, "representatives": true,
		"steward": true, "stewards": true, "official": true, "officials": true, "officer": true, "officers": true,
		"convenor": true, "convener": true, "organiser": true, "organisers": true, "organizer": true, "branch": true}
	officePreps = map[string]bool{"with": true, "to": true, "from": true, "by": true, "via": true, "alongside": true, "against": true}
)

// leftCustody reports "came out" or "coming out" said of leaving prison (h37): a
// criminal-record term in the same sentence or the one before it ("I served two
// years at HMP Risley and came out with a trade").
func (d *Doc) leftCustody(m *match) bool {
	if w := m.e.words; len(w) != 2 || w[1] != "out" || w[0] != "came" && w[0] != "coming" {
		return false
	}
	for mi := range d.matches {
		o := &d.matches[mi]
		if o.sent != m.sent && o.sent != m.sent-1 || o.e.trap {
			continue
		}
		for _, r := range o.e.roles {
			if r.cat == catCriminal {
				return true
			}
		}
	}
	return false
}
