package specialcat

import (
	"strings"

	"github.com/cvetl/cvetl/classifiers"
)

// The model proposes, the context disposes (issue #3, h3r): a sentence the
// union's model would add is dropped when the checks the rules apply before
// tagging say it is not about the candidate. The checks are the rules' own
// (scanBefore, scanAfter, asked, hypothetical, genericSubject, isName, …), so a
// learned addition obeys what a rule tag obeys; only the reason to tag differs.

// contextRejects reports that the rules' context checks veto a learned tag of
// category c on sentence si, whose evidence starts at byte start.
func (d *Doc) contextRejects(si int, c cat, start int) bool {
	s := &d.Sentences[si]
	if s.t0 >= s.t1 || c >= nCats {
		return false
	}
	switch d.sectionKind(start) {
	case classifiers.KindReferences:
		return true // a referee's faith or job is not the candidate's
	}
	if start > s.Start && d.answerKind(start, s.End) == ansRefusal || d.refusedLabel(s) {
		return true // "Label: Prefer not to say", "Criminal record: None"
	}
	if noneTicked(d.Text[s.Start:s.End]) || d.refusalTicked(start, s.End) || d.yesToOtherLabel(s, c) || d.yesToOtherQuestion(si, c) {
		return true // "[ ] Indian [ ] Pakistani [ ] Any other Asian background"
	}
	terms, vetoed := d.termsOf(si, c, func(m *match, class termClass) bool { return d.termRejected(s, m, class, c) })
	if terms > 0 {
		// A term the checks let through (it only lacked a subject the rules
		// wanted) keeps the model's tag; every term vetoed drops it.
		return vetoed == terms
	}
	// No term of the category: judge the sentence as if a term closed it, so the
	// subject, negation and "if" nearest the end decide.
	return d.sentenceRejected(si, c)
}

// termRejected applies judge's vetoes to one term, without judge's demand for a
// subject or a line of its own: names and gazetteer heads, a question or prompt,
// a generic or hypothetical statement, someone else as subject, a negation, a
// topic verb, work written as a label.
func (d *Doc) termRejected(s *Sentence, m *match, cls termClass, c cat) bool {
	a, b := m.t0, m.t1
	if cls != clsOrg && d.isName(s, a, b, cls) || d.inHyphenName(s, a) || c == catOrientation && d.leftCustody(m) {
		return true
	}
	bef := d.scanBefore(s, a, c)
	if c == catEthnicity && bef.subj == subjThird && (cls == clsIdentity || cls == clsHeritage) && d.lineageIs(bef.subjTok, a) {
		bef.subj = subjSelf // "My parents are Gujarati"
	}
	if bef.subj == subjThird && d.ownWordIn(a, b) {
		bef.subj = subjSelf
	}
	sent := strings.TrimSpace(d.Text[s.Start:s.End])
	if d.asked(s, sent, b) && !d.isRequest(s) && !(bef.subj == subjSelf && d.questionAfter(s, b)) {
		return true
	}
	if strings.HasSuffix(sent, ":") && bef.subj != subjSelf {
		return true
	}
	if d.genericSubject(s, a, b, c) || d.hypothetical(s, a) || cls == clsPractice && d.deniedBefore(s, bef.clause, c) {
		return true
	}
	if aft := d.scanAfter(s, a, b, c, cls, bef.poss); aft.reject && !d.communityMember(s, a, b) {
		return true
	}
	if bef.neg && d.sinceAfter(s, b) {
		bef.neg = false
	}
	return bef.subj == subjThird || bef.neg || bef.topic || d.labelForWork(s, b) || d.headPrepBefore(bef.clause, a, c)
}

// sentenceRejected applies the sentence-wide checks to a sentence with no term of
// category c: a question or prompt, a gazetteer trap explaining the vocabulary,
// an "if" supposition, and the last clause's subject and negation.
func (d *Doc) sentenceRejected(si int, c cat) bool {
	s := &d.Sentences[si]
	sent := strings.TrimSpace(d.Text[s.Start:s.End])
	if d.asked(s, sent, s.t1) && !d.isRequest(s) || strings.HasSuffix(sent, ":") {
		return true
	}
	if d.trapExplains(si, c) {
		return true // "Mental Health Nurse", "Unite Students": the vocabulary is a name
	}
	if d.hypothetical(s, s.t1) {
		return true
	}
	// scanBefore reads the tokens before its term: the last token stands in.
	bef := d.scanBefore(s, s.t1-1, c)
	return bef.subj == subjThird || bef.neg || bef.topic
}

// trapExplains reports a gazetteer trap in sentence si ("Mental Health Nurse",
// "Unite Students") that explains the sentence's vocabulary of category c: no
// term of c lies outside every trap. A term of its own beside the trap is still
// the writer's (h61): "PTSD since the birth, under the perinatal mental health
// team till 2024" names a condition and a team.
func (d *Doc) trapExplains(si int, c cat) bool {
	found := false
	for mi := range d.matches {
		if m := &d.matches[mi]; m.sent == si && m.e.trap {
			found = true
		}
	}
	if !found || c >= nCats {
		return found
	}
	for mi := range d.matches {
		m := &d.matches[mi]
		if m.sent != si || m.e.trap {
			continue
		}
		own := false
		for _, r := range m.e.roles {
			own = own || r.cat == c
		}
		if own && !d.insideTrap(si, m.t0, m.t1) {
			return false
		}
	}
	return true
}

// insideTrap reports tokens [t0, t1) of sentence si overlapping a trap's.
func (d *Doc) insideTrap(si, t0, t1 int) bool {
	for mi := range d.matches {
		if m := &d.matches[mi]; m.sent == si && m.e.trap && m.t0 < t1 && t0 < m.t1 {
			return true
		}
	}
	return false
}

// contextRejectsLight applies only the sentence-wide checks to a learned tag of
// category c on sentence si (evidence from start), the ones that do not ask who
// the subject is: the References section, a refused answer, a question or
// prompt, a gazetteer trap in the sentence. c is unused for now: kept so the
// two checks take the same arguments.
func (d *Doc) contextRejectsLight(si int, c cat, start int) bool {
	s := &d.Sentences[si]
	if s.t0 >= s.t1 {
		return false
	}
	if d.sectionKind(start) == classifiers.KindReferences || d.reference && d.writerSpeaks(s) {
		return true // a referee's faith or health is not the candidate's
	}
	if start > s.Start && d.answerKind(start, s.End) == ansRefusal || d.refusedLabel(s) || d.refusalTicked(start, s.End) || d.yesToOtherLabel(s, c) || d.yesToOtherQuestion(si, c) {
		return true
	}
	sent := strings.TrimSpace(d.Text[s.Start:s.End])
	if d.asked(s, sent, s.t1) && !d.isRequest(s) && !d.statedThenAsked(si, c) || strings.HasSuffix(sent, ":") || noneTicked(sent) {
		return true
	}
	if d.trapExplains(si, c) {
		return true
	}
	// Every term of the category describes other people: "a Muslim colleague
	// asked me to cover his shift", "Sikh and Hindu families".
	if terms, others := d.termsOf(si, c, func(m *match, _ termClass) bool {
		return m.t1 < s.t1 && plainSpace(gap(d.Text, d.tokens[m.t1-1], d.tokens[m.t1])) && d.groupAfter(s, m.t1, c)
	}); terms > 0 && others == terms {
		return true
	}
	// A denial is never a disclosure, however sure the model is ("I have not
	// been diagnosed with anything"). The "if" check stays off: on sure additions
	// it cost recall in cross-validation (docs/quality-special-categories.md,
	// sections 8 and 9).
	return d.denied(si, c)
}

// statedThenAsked reports a sentence that states something of category c in the
// writer's voice and only then asks (h61): "my voiceprint is now registered, but
// how long is it kept?", "I'm dyslexic and use a reader, ok if I put that
// there?". Some term of c has the writer as its subject ("I", "my") and a
// question clause after it, as the rules' own check reads it (termRejected);
// a sentence with no term of c stays a question.
func (d *Doc) statedThenAsked(si int, c cat) bool {
	if c >= nCats {
		return false
	}
	s := &d.Sentences[si]
	_, stated := d.termsOf(si, c, func(m *match, _ termClass) bool {
		b := d.scanBefore(s, m.t0, c)
		return b.subj == subjSelf && !b.neg && d.questionAfter(s, m.t1)
	})
	return stated > 0
}

// refusedLabel reports a "Label: value" sentence whose value withholds or denies,
// for a learned tag whose evidence is the whole line (h37): "Black or African
// American: not selected", "Criminal record: None".
func (d *Doc) refusedLabel(s *Sentence) bool {
	return d.refusedLabelEnd(s) >= 0
}

// refusedLabelEnd is the offset of the colon closing a refused "Label:" that
// opens sentence s (see refusedLabel), or -1.
func (d *Doc) refusedLabelEnd(s *Sentence) int {
	i := strings.IndexByte(d.Text[s.Start:s.End], ':')
	if i < 0 {
		return -1
	}
	vs := valueStart(d.Text, s.Start+i+1, s.End)
	if vs < s.End && d.answerKind(vs, s.End) == ansRefusal {
		return s.Start + i
	}
	return -1
}

// denied reports that sentence si is one negated clause about category c:
// every term of c in it negated ("I have not been diagnosed with anything"), or,
// with no term, the clause's end ("I do not have a zorblax"). A sentence of
// several clauses is left to the model: there the negation may belong to
// another clause ("Yeah no problem, my fingerprint is registered", "I dont work
// Friday afternoons, its for Jummah prayers"), and reading it per term, as the
// rules do, cost sure additions their recall in cross-validation
// (docs/quality-special-categories.md, section 9).
func (d *Doc) denied(si int, c cat) bool {
	s := &d.Sentences[si]
	if c >= nCats {
		return false
	}
	if !d.oneClause(s) {
		// Several clauses: a term is denied only by a negation in its own
		// clause, cut at commas too ("Thanks for asking, but I've never been
		// diagnosed with epilepsy"; not "Yeah no problem, my fingerprint is
		// registered").
		terms, negated := d.termsOf(si, c, func(m *match, _ termClass) bool {
			return d.negatedInClause(s, m.t0) && !d.sinceAfter(s, m.t1)
		})
		return terms > 0 && negated == terms
	}
	terms, negated := d.termsOf(si, c, func(m *match, _ termClass) bool { return d.scanBefore(s, m.t0, c).neg && !d.sinceAfter(s, m.t1) })
	if terms > 0 {
		return negated == terms
	}
	return d.scanBefore(s, s.t1-1, c).neg
}

// negatedInClause reports a negation among the few tokens before token a of
// sentence s, within a's clause: no comma, semicolon, colon, dash, bracket or
// joining word between them.
func (d *Doc) negatedInClause(s *Sentence, a int) bool {
	for j := a - 1; j >= s.t0 && a-j <= negationReach; j-- {
		if g := gap(d.Text, d.tokens[j], d.tokens[j+1]); strings.ContainsAny(g, ",;:()–—") || strings.Contains(g, " - ") || d.cues[j]&cueClauseBreak != 0 {
			return false
		}
		if d.cues[j]&cueNegation != 0 {
			return true
		}
	}
	return false
}

// oneClause reports that sentence s has no clause boundary: no comma,
// semicolon, colon, dash or bracket between its words and no joining word.
func (d *Doc) oneClause(s *Sentence) bool {
	for j := s.t0; j < s.t1; j++ {
		if j > s.t0 && strings.ContainsAny(gap(d.Text, d.tokens[j-1], d.tokens[j]), ",;:()–—") ||
			j > s.t0 && strings.Contains(gap(d.Text, d.tokens[j-1], d.tokens[j]), " - ") {
			return false
		}
		switch d.tokens[j].key {
		case "and", "but", "so", "because", "although", "though", "while", "whereas", "yet", "or", "nor":
			return false
		}
	}
	return true
}

// noneTicked reports a row of options the writer left blank: two or more
// unticked boxes and no ticked one ("[ ] Indian [ ] Pakistani [ ] Chinese"), or
// a line opened by an unticked box ("[ ] Muslim").
// The model reads the options' words; no option was chosen.
func noneTicked(sent string) bool {
	for _, m := range checkedMarks {
		if strings.Contains(sent, m) {
			return false
		}
	}
	n := 0
	for _, m := range uncheckedMarks {
		n += strings.Count(sent, m)
		if strings.HasPrefix(strings.TrimSpace(sent), m) {
			n = max(n, 2) // one option a line, left blank: "[ ] Muslim"
		}
	}
	return n >= 2
}

// refusalTicked reports a row of boxes in text[start:end] whose ticked option
// withholds: "[ ] White [ ] Mixed [x] Prefer not to say". The model reads the
// options' words; the writer chose none of them.
func (d *Doc) refusalTicked(start, end int) bool {
	if i := strings.IndexAny(d.Text[start:end], ":?"); i >= 0 && i <= 80 {
		start += i + 1 // past the question: "Ethnic group: [ ] White [x] …"
	}
	opt, ok := checkedOption(d.Text, start, end)
	return ok && opt.start < opt.end && d.answerKind(opt.start, opt.end) == ansRefusal
}

// yesToOtherLabel reports a short "Label: yes" line whose label is no label of
// category c: "Caring responsibilities: (X) Yes", "Full driving licence: Yes".
// The yes answers the label, whatever the model makes of the form around it.
func (d *Doc) yesToOtherLabel(s *Sentence, c cat) bool {
	line := d.Text[s.Start:s.End]
	i := strings.IndexByte(line, ':')
	if i <= 0 || strings.ContainsAny(line[:i], "?\n") {
		return false
	}
	if t0, t1 := d.tokenRange(s.Start, s.Start+i); t1-t0 > 4 {
		return false // a long prompt: left to the model
	}
	vs, e := s.Start+i+1, s.End
	if opt, ok := checkedOption(d.Text, vs, e); ok {
		if opt.start >= opt.end {
			return false
		}
		vs, e = opt.start, opt.end
	}
	if !d.bareAnswer(vs, e) || d.answerKind(vs, e) != ansYes {
		return false // "Adjustments: yes, extra time for my dyslexia" says more
	}
	cats, _, _ := d.labelCats(s.Start, s.Start+i, labelColon)
	return c >= nCats || cats&(1<<c) == 0
}

// yesToOtherQuestion reports an "A: Yes …" line under a question that asks
// about no category or another one: "Q: Have you played professional
// football?" / "A: Yes – youth contract, released at 18" is no conviction.
func (d *Doc) yesToOtherQuestion(si int, c cat) bool {
	if si == 0 || c >= nCats {
		return false
	}
	s, q := &d.Sentences[si], &d.Sentences[si-1]
	if s.t1-s.t0 < 2 || !answerLabels[d.tokens[s.t0].key] || d.answerKind(d.tokens[s.t0+1].start, s.End) != ansYes {
		return false
	}
	qt := strings.TrimSpace(d.Text[q.Start:q.End])
	if !strings.HasSuffix(qt, "?") {
		return false
	}
	qs := q.Start
	if i := strings.IndexByte(d.Text[q.Start:q.End], ':'); i >= 0 && i <= 3 {
		qs += i + 1 // past "Q:"
	}
	cats, _, _ := d.labelCats(qs, q.End, labelAsked)
	return cats&(1<<c) == 0 && d.catsOf(qs, q.End, 0)&(1<<c) == 0
}

// answerLabels open an answer line under its question.
var answerLabels = map[string]bool{"a": true, "answer": true, "ans": true}

// writerSpeaks reports a sentence in which the writer speaks of themself ("I",
// "my"): in a reference letter, the referee.
func (d *Doc) writerSpeaks(s *Sentence) bool {
	for j := s.t0; j < s.t1; j++ {
		if firstPersonWords[d.tokens[j].key] {
			return true
		}
	}
	return false
}

// termsOf counts sentence si's lexicon terms of category c, and those of them for
// which hit (given the term and its role's class) holds.
func (d *Doc) termsOf(si int, c cat, hit func(m *match, class termClass) bool) (terms, hits int) {
	for mi := range d.matches {
		m := &d.matches[mi]
		if m.sent != si {
			continue
		}
		for _, r := range m.e.roles {
			if r.cat == c {
				terms++
				if hit(m, r.class) {
					hits++
				}
				break
			}
		}
	}
	return terms, hits
}
