package specialcat

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// field is a form answer that discloses one or more categories.
type field struct {
	cats       uint16
	start, end int
}

// region is a part of the document under an equal-opportunities or declaration
// heading, from the end of the heading line on.
type region struct {
	start int
	kind  uint16 // headEO or headDeclaration
}

// Tick-box marks, checked and not.
var (
	checkedMarks = []string{"[x]", "[X]", "[✓]", "[✔]", "(x)", "(X)", "☒", "☑", "✓", "✔"}
	// "__" is a blank to tick on a form typed as text ("__ Yes  ✓ No").
	uncheckedMarks = []string{"[ ]", "[]", "( )", "☐", "__"}
)

// parseForms finds form answers line by line: "Label: value", "Question? value",
// a question with its answer on the next line, and tick boxes. It records the
// answers that disclose, and masks every form line from the sentence detectors.
func parseForms(d *Doc) {
	text := d.Text
	var pending uint16 // categories asked by a question still waiting for its answer
	pendingAny := false
	ticked := false // the pending question was answered with tick boxes
	// The last question asked, until a blank line: an "Answer:" line after a list
	// of options answers it ("What is your ethnic group?" … "Answer: C - Pakistani").
	var asked uint16
	askedAny := false
	noted := false // the pending question was followed by a note or an instruction
	// The categories of the last question, until another is asked: "If yes,
	// please give details:" asks for more of its answer, line by line until a
	// blank line (details).
	var lastAsked uint16
	details := false
	wrapStart := -1 // a line with no separator: the start of a question it may wrap onto
	for ls := 0; ls < len(text); {
		prevStart := wrapStart
		wrapStart = -1
		le := strings.IndexByte(text[ls:], '\n')
		next := len(text)
		if le < 0 {
			le = len(text)
		} else {
			le += ls
			next = le + 1
		}
		if cut := fieldSeparator(text[ls:le]); cut >= 0 {
			le, next = ls+cut, ls+cut+1 // "Nationality: British; Ethnicity: Indian"
		}
		s, e := trimSentence(text, ls, le)
		ls0 := s
		ls = next
		if s == e {
			asked, askedAny = 0, false
			if details {
				pending, details = 0, false
			}
			if noted || ticked {
				// The question's block of notes or boxes is over: "Thank you." or
				// the next question's boxes do not answer it.
				pending, ticked = 0, false
			}
			continue
		}
		s = skipNumbering(text, s, e)
		t0, t1 := d.tokenRange(s, e)
		if t0 == t1 {
			continue
		}
		// A row of tick boxes answers the question above: one option a line
		// ("[x] Buddhist"), several ("[ ] Gay man  [x] Bisexual"), or the box after
		// its option ("Other ethnic group: Arab   [X]").
		if opt, ok := checkedOption(text, s, e); ok && (pending != 0 || opt.leading) && !d.labelledOption(s, opt, pending) {
			d.mask(s, e)
			ticked = ticked || pending != 0
			if pending != 0 && opt.start < opt.end && d.answerKind(opt.start, opt.end) != ansRefusal {
				d.fields = append(d.fields, field{cats: pending, start: opt.evStart, end: opt.evEnd})
			} else if opt.leading && opt.start < opt.end {
				// A ticked box whose question was not kept ("[X] Heterosexual /
				// straight"): the identity it names is the answer.
				if cats := d.catsOf(opt.start, opt.end, clsIdentity); cats != 0 && d.answerKind(opt.start, opt.end) != ansRefusal {
					d.fields = append(d.fields, field{cats: cats, start: opt.evStart, end: opt.evEnd})
				}
			}
			continue
		} else if ok && opt.start == opt.end && !strings.ContainsAny(text[s:e], ":?") {
			// An option left unticked, its box after it ("I consent to my
			// fingerprint being stored.   [ ]"): a choice the writer did not make.
			d.mask(s, e)
			continue
		}
		if pending != 0 && emptyLeader(text[s:e]) {
			d.mask(s, e) // an option row left blank under the question
			continue
		}
		// A group's sub-label before its boxes ("Mixed:   [x] White and Black
		// Caribbean  [ ] White and Asian"), under the question being answered.
		if q := pending | asked; q != 0 {
			if c := strings.IndexByte(text[s:e], ':'); c > 0 && c <= 40 && !d.otherQuestion(s, s+c, q) {
				if opt, ok := checkedOption(text, s+c+1, e); ok && opt.leading {
					d.mask(s, e)
					ticked = ticked || pending != 0
					// "Caring responsibilities: (X) Yes" is a question of its own,
					// not a group of q's options: a yes names nothing.
					if opt.start < opt.end && d.answerKind(opt.start, opt.end) == 0 {
						d.fields = append(d.fields, field{cats: q, start: opt.evStart, end: opt.evEnd})
					}
					continue
				}
			}
		}
		if vs, ok := answerLine(text, s, e); ok && asked != 0 {
			pending, ticked = 0, false
			d.answer(asked, askedAny, s, vs, e, true)
			continue
		}
		s = skipCondition(text, s, e)
		sep, kind := strings.IndexAny(text[s:e], ":?"), labelColon
		leader := false
		// "trade_union_member=" in a key=value export: never free text. The key
		// comes first: "Candidate.Ethnicity = Asian British: Indian" has its colon
		// in the value.
		if ek := exportKey(text[s:e]); ek >= 0 && (sep < 0 || ek < sep) {
			sep = ek
			d.mask(s, e)
		} else if ck := d.csvKey(s, e); ck >= 0 && (sep < 0 || ck < sep) {
			sep = ck // "religion,Buddhist" in a field,value export
			d.mask(s, e)
		}
		if dl := dotLeader(text[s:e]); dl > 0 && (sep < 0 || dl < sep) {
			// "Diabetes ........ Y", "religion ..... Muslim": a leader of dots is
			// the separator of a checklist or an export.
			sep, leader = dl, true
		}
		if sep < 0 {
			// A dashed label is all label words: not "Health questionnaire — 2027".
			sep, kind = dashSeparator(text[s:e]), labelAlone
		}
		if sep >= 0 {
			sep += s
			if kind != labelAlone {
				kind = labelQuestion(text[sep])
			}
			cats, any, needTerm := d.labelCats(s, sep, kind)
			if cats == 0 && kind == labelAsked && prevStart >= 0 && !d.firstPersonIn(d.tokenRange(prevStart, sep)) {
				// A question wrapped over two lines: "Have you ever been convicted
				// of an offence (including spent ones, as this\n role is exempt)?".
				// A writer's own question ("I wasn't sure … Could you tell me?") is
				// not a form's.
				if cats, any, needTerm = d.labelCats(prevStart, sep, kind); cats != 0 {
					s = prevStart
				}
			}
			if ds := dashSeparator(text[s:sep]); cats == 0 && kind == labelColon && ds > 0 {
				// "Ethnic group - Asian or Asian British: Bangladeshi [x]": the label
				// ends at the dash; the colon is inside the answer.
				if cats, any, needTerm = d.labelCats(s, s+ds, kind); cats != 0 {
					sep = s + ds
				}
			}
			cats &^= needTerm &^ d.catsOf(sep+1, e, 0)
			if cats != 0 {
				vs := valueStart(text, sep+1, e)
				pending, pendingAny, ticked, details = 0, false, false, false
				asked, askedAny, lastAsked = cats, any, cats
				if n, _ := markAt(text, vs); vs < e && text[vs] == '(' && n == 0 { // "( ) Yes (X) No" is boxes, not a note
					// "Member of a union? (optional, for planning): GMB": a note on
					// the question, then its answer.
					if cl := closingBracket(text[vs:e]); cl >= 0 {
						if as := valueStart(text, skipColon(text, vs+cl+1, e), e); as < e {
							d.answer(cats, any, s, as, e, true)
							continue
						}
					}
				}
				if vs < e && d.instruction(vs, e) {
					// "If so, which one? GMB": the answer follows the last question mark.
					if q := strings.LastIndexByte(text[vs:e], '?'); q >= 0 {
						if as := valueStart(text, vs+q+1, e); as < e {
							d.answer(cats, any, s, as, e, true)
							continue
						}
					}
				}
				if vs == e || d.instruction(vs, e) {
					d.mask(s, e)
					pending, pendingAny, noted = cats, any, false
					continue
				}
				d.answer(cats, any, s, vs, e, true)
				continue
			}
			// A colon label naming conditions counts only with a bare yes or no
			// ("B2 Breathing problems (e.g. asthma):  NO"), not with free text.
			if (kind == labelAsked || kind == labelColon && d.bareAnswer(sep+1, e)) && !leader && valueStart(text, sep+1, e) < e &&
				!d.firstPersonIn(d.tokenRange(s, sep)) && d.checklistLine(s, sep, e) {
				// "b) asthma or wheeze since age 12?      Yes": a condition asked
				// about by name, answered on the line.
				continue
			}
			if leader {
				if d.checklistLine(s, sep, e) {
					continue
				}
				// Not a label after all ("I was nervous... but"): read the line
				// as if the dots were not there.
				sep, kind = strings.IndexAny(text[s:e], ":?"), labelColon
				if sep < 0 {
					sep, kind = dashSeparator(text[s:e]), labelAlone
				}
				if sep >= 0 {
					sep += s
				}
			}
		}
		if lastAsked != 0 && d.detailsPrompt(s, e, t0, t1) {
			d.mask(s, e)
			pending, pendingAny, ticked, noted, details = lastAsked, false, false, false, true
			continue
		}
		// A bare label line ("Sexual orientation", "Ethnic group") asks, and so does
		// "Please list any unspent convictions."
		// "Please note my palm-vein scan is registered" is the writer's statement.
		if sep < 0 && t1-t0 <= 6 || d.tokens[t0].key == "please" && t1-t0 <= 30 && !d.firstPersonIn(t0, t1) {
			if cats, any, needTerm := d.labelCats(s, e, labelBare(d.tokens[t0].key == "please")); cats&^needTerm != 0 {
				cats &^= needTerm // a bare "Orientation" line: its answer is not checked
				d.mask(s, e)
				pending, pendingAny, ticked, noted, details = cats, any, false, false, false
				asked, askedAny, lastAsked = cats, any, cats
				continue
			}
		}
		if d.heading(s, e, t0, t1) {
			pending = 0
			continue
		}
		// More of the question: a note closing on this line, an instruction ("Tick
		// ONE box."), or a prompt that ends with a colon ("Please indicate the
		// community to which you belong:").
		if pending != 0 && !ticked && (noteTail(text[s:e]) || d.instruction(s, e) || strings.HasSuffix(text[s:e], ":")) {
			d.mask(s, e)
			noted = true
			continue
		}
		// The next line answers a pending question, unless its boxes were the
		// answer or the line is a field of its own ("Notes: …"); a dash is no
		// field ("Yes - drink driving, 2019").
		if pending != 0 && !ticked && sep < 0 && lettered(text, ls0) && boxRowAt(text, ls) {
			// A group's heading over its own box rows ("D. African, Scottish
			// African or British African" above "✔ African, …"): the ticked box
			// below answers, not the heading.
			d.mask(s, e)
			continue
		}
		answered := pending != 0 && !ticked && (sep < 0 || kind == labelAlone || sep-s > 40)
		if answered {
			// A line of details is the answer whatever its length.
			d.answer(pending, pendingAny || details, s, s, e, false)
		}
		if !details {
			pending = 0
		}
		if !answered && sep < 0 && !strings.HasSuffix(text[s:e], ".") {
			wrapStart = s
		}
	}
	sort.Slice(d.masked, func(i, j int) bool { return d.masked[i].start < d.masked[j].start })
}

// answer judges the value text[vs:e] given to a question about cats whose label
// starts at s (the same line) or which stands alone on its line.
func (d *Doc) answer(cats uint16, any bool, s, vs, e int, sameLine bool) {
	text := d.Text
	// Inline tick boxes: "Disabled?  [ ] Yes  [x] No".
	if opt, ok := checkedOption(text, vs, e); ok {
		d.mask(s, e)
		if opt.start < opt.end && d.answerKind(opt.start, opt.end) != ansRefusal {
			d.fields = append(d.fields, field{cats: cats, start: s, end: e})
		}
		return
	}
	kind := d.answerKind(vs, e)
	v0, v1 := d.tokenRange(vs, e)
	// An answer that names only what is not a disclosure of the category asked
	// ("SP30, 3 points, fixed penalty" to a convictions question) discloses
	// nothing of it; a "yes" or a term of the category beside it still does
	// ("Yes. Conviction for no insurance. Also points (fixed penalty).").
	if kind != ansYes {
		var not, terms uint16
		for k := v0; k < v1; k++ {
			if mi := d.at[k]; mi >= 0 {
				not |= d.matches[mi].e.notOf
				for _, r := range d.matches[mi].e.roles {
					terms |= 1 << r.cat
				}
			}
		}
		cats &^= not &^ terms
	}
	if cats == 0 {
		d.mask(s, e)
		return
	}
	short := v1-v0 <= 12
	switch {
	case kind == ansRefusal:
		// "None unspent. I had a caution when I was 17 …": the refusal answers the
		// question; what follows it is free text, for the sentence detectors and
		// their negation.
		d.mask(s, d.sentenceEnd(vs, e))
		return
	case kind == ansWell && cats&(1<<catHealth) != 0 && v1-v0 <= 4:
		d.mask(s, e)
		return
	case kind == ansWell && cats&(1<<catHealth) != 0:
		// "Health: excellent, never had a day off sick": the rest is free text, for
		// the sentence detectors and their negation.
		if en := lexicon().answers.longest(d.Text, d.tokens, v0, v1); en != nil {
			d.mask(s, d.tokens[v0+len(en.words)-1].end)
		}
		return
	case kind != ansYes && !any && d.workClause(v0, v1):
		// "Mental health: completed an MHFA course", "Disability: support worker
		// for adults with autism": a label over the candidate's work, not an answer.
		if sameLine {
			d.mask(s, vs)
		}
	case kind == ansYes, any, short:
		end := d.sentenceEnd(vs, e)
		if t0, t1 := d.tokenRange(vs, end); t1-t0 <= 2 && end < e {
			end = d.sentenceEnd(end+1, e) // "Yes. I was convicted of …": keep the why
		}
		// A plain term of another category in the answer discloses that too:
		// "Genetic condition: Lynch syndrome" is health as well.
		d.fields = append(d.fields, field{cats: cats | d.catsOf(vs, end, clsTerm), start: s, end: end})
		d.mask(s, end)
	default:
		// A long free-text answer: the sentence detectors read it.
		if sameLine {
			d.mask(s, vs)
		}
	}
}

// catHealth is health's index in catFiles: "Health: excellent" is no disclosure.
const catHealth cat = 0

// catOrientation is sexual orientation's index in catFiles (partner.go).
const catOrientation cat = 5

// catCriminal is criminal convictions' index in catFiles (freetext.go's leftCustody).
const catCriminal cat = 8

// instruction reports text after a question that is more of the question, not an
// answer: "If yes, please give details." "If so, which?"
func (d *Doc) instruction(vs, e int) bool {
	t0, _ := d.tokenRange(vs, e)
	if t0 >= len(d.tokens) {
		return false
	}
	k := d.tokens[t0].key
	v := strings.TrimSpace(d.Text[vs:e])
	// "(This role is exempt from …)": a note on the question, not its answer.
	if n, _ := markAt(d.Text, vs); n > 0 {
		return false // "(X) White  ( ) Chinese": boxes, the answer
	}
	return k == "if" || k == "please" || instructionVerbs[k] || strings.HasSuffix(v, "?") || strings.HasPrefix(v, "(")
}

// instructionVerbs open an instruction on how to answer: "Tick one box.", "Choose
// ONE section from A to F", "Give dates and reasons.".
var instructionVerbs = map[string]bool{"tick": true, "choose": true, "select": true, "circle": true,
	// "Give number of episodes and reason.": what to put in the answer.
	"give": true, "state": true, "specify": true}

// answerLine reports a line that gives the answer to the question above ("Answer:
// Muslim", "Response - yes") and where the answer starts.
func answerLine(text string, s, e int) (int, bool) {
	for _, w := range []string{"your answer", "your response", "answer", "response"} {
		if len(text[s:e]) > len(w) && strings.EqualFold(text[s:s+len(w)], w) {
			if r := text[s+len(w)]; r == ':' || r == ' ' && strings.HasPrefix(strings.TrimLeft(text[s+len(w):e], " "), "-") {
				return valueStart(text, skipColon(text, s+len(w), e), e), true
			}
		}
	}
	return 0, false
}

// closingBracket is the offset in s of the ")" that closes the "(" at s[0], past
// any brackets nested inside ("(Rehabilitation of Offenders (NI) Order
// applies)"), or -1.
func closingBracket(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// skipCondition steps over a short condition that opens a follow-up question
// ("If neither: what religion were you brought up in?", "If other: please
// describe your ethnic group"), so the question after it is read as the label.
func skipCondition(text string, s, e int) int {
	c := strings.IndexByte(text[s:e], ':')
	if c < 0 || c > 16 || len(text[s:e]) < 3 || !strings.EqualFold(text[s:s+3], "if ") {
		return s
	}
	if vs := valueStart(text, s+c+1, e); vs < e {
		return vs
	}
	return s
}

// skipColon steps over one colon at text[i] (after a label or a closing bracket).
func skipColon(text string, i, e int) int {
	if i < e && text[i] == ':' {
		return i + 1
	}
	return i
}

// firstPersonIn reports the writer speaking of themself among tokens [t0, t1).
func (d *Doc) firstPersonIn(t0, t1 int) bool {
	for k := t0; k < t1; k++ {
		if firstPersonWords[d.tokens[k].key] {
			return true
		}
	}
	return false
}

// noteTail reports a line that only closes a note opened on the line above:
// "of Offenders Act.)". The question is still waiting for its answer.
func noteTail(line string) bool {
	line = strings.TrimRight(line, " \t.")
	return strings.HasSuffix(line, ")") && !strings.Contains(line, "(")
}

// How a label is written: "Label: value", "Question? value", or a line of its own.
const (
	labelColon = iota
	labelAsked
	labelAlone
)

func labelQuestion(sep byte) int {
	if sep == '?' {
		return labelAsked
	}
	return labelColon
}

// labelBare is the kind of a line with no separator: a request ("Please list any
// unspent convictions.") reads like a question, anything else must be a bare label.
func labelBare(please bool) int {
	if please {
		return labelAsked
	}
	return labelAlone
}

// labelCats returns the categories a label (text[s:e]) asks about. A question may
// be long; "Label:" is mostly label words ("Sexual orientation (your own words)"),
// a line of its own only label words ("Ethnic group"); and a label holding a trap
// is a job title or a place ("Disability Support Worker:", "Sexual Health Nurse").
//
// needTerm holds the categories among cats whose label counts only when the answer
// names a term of the category (clsLabelTerm: "Orientation: straight", but not
// "Orientation: two days in the warehouse").
func (d *Doc) labelCats(s, e int, kind int) (cats uint16, any bool, needTerm uint16) {
	t0, t1 := d.tokenRange(s, e)
	limit, extra := 8, 3
	switch kind {
	case labelAsked:
		limit, extra = 30, 30
	case labelAlone:
		limit, extra = 6, 0
	}
	// A bracketed note before a separator is not label words: "Ethnicity (please
	// write in your own words):". On a bare line it may be the answer: "Union
	// member (GMB)".
	noted := 0
	if kind != labelAlone || d.instructionBracket(s, e) {
		noted = d.bracketedTokens(s, e)
	}
	if t0 == t1 || t1-t0-noted > limit {
		return 0, false, 0
	}
	for k := t0; k < t1; k++ {
		if mi := d.at[k]; mi >= 0 && d.matches[mi].e.trap {
			return 0, false, 0
		}
	}
	covered := 0
	lexicon().labels.scan(d.Text, d.tokens, t0, t1, func(_ int, en *entry) {
		covered += len(en.words)
		for _, r := range en.roles {
			cats |= 1 << r.cat
			any = any || r.class == clsLabelAny
			if r.class == clsLabelTerm {
				needTerm |= 1 << r.cat
			}
		}
	})
	if t1-t0-noted-covered > extra {
		return 0, false, 0
	}
	return cats, any, needTerm
}

// catsOf is the categories of the non-trap terms of class cls among the tokens of
// text[from:to]; cls 0 means any class. A ticked box with no question above it answers
// with an identity (clsIdentity); a label counts only with a term of its category in
// the answer (any class); a field's answer adds its plain terms (clsTerm).
func (d *Doc) catsOf(from, to int, cls termClass) uint16 {
	t0, t1 := d.tokenRange(from, to)
	var cats uint16
	for k := t0; k < t1; k++ {
		if mi := d.at[k]; mi >= 0 && !d.matches[mi].e.trap {
			for _, r := range d.matches[mi].e.roles {
				if cls == 0 || r.class == cls {
					cats |= 1 << r.cat
				}
			}
		}
	}
	return cats
}

// instructionBracket reports a bracket in text[s:e] that tells how to answer, a
// note on a bare label line rather than its answer: "Community background
// (please tick ONE)", "Political opinion (optional)".
func (d *Doc) instructionBracket(s, e int) bool {
	o := strings.IndexByte(d.Text[s:e], '(')
	if o < 0 {
		return false
	}
	t0, t1 := d.tokenRange(s+o+1, e)
	if t0 < t1 && d.tokens[t0].key == "please" {
		t0++
	}
	return t0 < t1 && (instructionVerbs[d.tokens[t0].key] || d.tokens[t0].key == "optional")
}

// emptyLeader reports an option row whose dot leader runs to the end of the
// line with no mark after it ("Protestant ......... "): an option not ticked.
// The space before the dots tells a leader from a sentence trailing off ("I
// have epilepsy...").
func emptyLeader(line string) bool {
	line = strings.TrimRight(line, " \t")
	dots := strings.TrimRight(line, ".…")
	return len(line)-len(dots) >= 3 && strings.HasSuffix(dots, " ") && strings.TrimSpace(dots) != ""
}

// bracketedTokens counts the tokens of text[s:e] inside round brackets.
func (d *Doc) bracketedTokens(s, e int) int {
	n := 0
	for i := s; i < e; {
		o := strings.IndexByte(d.Text[i:e], '(')
		if o < 0 {
			break
		}
		o += i
		c := strings.IndexByte(d.Text[o:e], ')')
		if c < 0 {
			break
		}
		c += o
		t0, t1 := d.tokenRange(o, c)
		n += t1 - t0
		i = c + 1
	}
	return n
}

// answerKind classifies an answer: a refusal ("No", "Prefer not to say", "I don't
// follow a religion"), "well" ("Excellent"), "yes", or 0 for anything else.
func (d *Doc) answerKind(vs, e int) uint16 {
	t0, t1 := d.tokenRange(vs, e)
	if t0 == t1 || optionList(d.Text[vs:e]) {
		return ansRefusal // "-", nothing, or the form's choices with none chosen
	}
	if en := lexicon().answers.longest(d.Text, d.tokens, t0, t1); en != nil {
		switch {
		case en.catCue&ansRefusal != 0 && !d.contrastIn(t0+len(en.words)-1, t1):
			return ansRefusal
		case en.catCue&ansWell != 0:
			return ansWell
		case en.catCue&ansYes != 0:
			return ansYes
		}
	}
	for k := t0; k < t1 && k < t0+3; k++ {
		if mi := d.at[k]; mi >= 0 && !d.matches[mi].e.trap && len(d.matches[mi].e.roles) > 0 {
			break // a term answers first: "Usdaw (member, not a rep)"
		}
		if d.cues[k]&cueNegation != 0 && !d.contrastIn(k, t1) {
			return ansRefusal
		}
	}
	if d.refusalInOneLanguage(vs, e) {
		return ansRefusal
	}
	return 0
}

// optionList reports an answer that only repeats a blank form's choices, none
// chosen (h37): "Yes / No / Prefer not to say", "Yes/No", "Heterosexual / Gay /
// Bisexual / Other / Prefer not to say". It discloses nothing.
func optionList(ans string) bool {
	parts := strings.Split(ans, "/")
	if len(parts) < 2 {
		return false
	}
	var yes, no, open bool
	for _, p := range parts {
		p = strings.ToLower(strings.Trim(p, " \t.;"))
		if p == "" || strings.Count(p, " ") > 4 {
			return false
		}
		switch p {
		case "yes", "y":
			yes = true
		case "no", "n":
			no = true
		case "other", "prefer not to say", "prefer not to answer", "rather not say", "not known":
			open = true
		}
	}
	return yes && no || len(parts) >= 3 && open
}

// refusalInOneLanguage reports a bilingual answer, its versions split by " / ",
// one of which is a refusal and none of which names anything the lexicons know:
// "Gwell gennyf beidio â dweud / Prefer not to say".
func (d *Doc) refusalInOneLanguage(vs, e int) bool {
	ans := d.Text[vs:e]
	if !strings.Contains(ans, " / ") {
		return false
	}
	refused := false
	for part := vs; part < e; {
		end := strings.Index(d.Text[part:e], " / ")
		if end < 0 {
			end = e
		} else {
			end += part
		}
		t0, t1 := d.tokenRange(part, end)
		if t0 < t1 && d.answerKind(part, end) == ansRefusal {
			refused = true
		} else {
			for mi := range d.matches {
				if m := &d.matches[mi]; m.t0 < t1 && t0 < m.t1 && !m.e.trap {
					return false // a version names a category: not a plain refusal
				}
			}
		}
		part = end + len(" / ")
	}
	return refused
}

// contrastIn reports "but", "although" or "however" among tokens (from, to) with
// something after it: "I don't consider myself disabled but I have long COVID"
// withholds a label, not the facts that follow.
func (d *Doc) contrastIn(from, to int) bool {
	for k := from + 1; k+1 < to; k++ {
		switch d.tokens[k].key {
		case "but", "although", "though", "however":
			return true
		}
	}
	return false
}

// heading records an equal-opportunities or declaration heading line.
func (d *Doc) heading(s, e, t0, t1 int) bool {
	line := d.Text[s:e]
	if t1-t0 > 12 || strings.ContainsRune(line, '?') {
		return false
	}
	var kind uint16
	if strings.HasSuffix(line, ".") {
		// Only a heading that opens the line and is set off from the rest:
		// "Screening call notes – Priya N."
		if en := lexicon().headings.longest(d.Text, d.tokens, t0, t1); en != nil {
			if k := t0 + len(en.words); k < t1 && strings.ContainsAny(gap(d.Text, d.tokens[k-1], d.tokens[k]), ":–—|-") {
				kind = en.catCue
			}
		}
		if kind == 0 {
			return false
		}
	}
	lexicon().headings.scan(d.Text, d.tokens, t0, t1, func(_ int, en *entry) {
		if kind == 0 {
			kind = en.catCue
		}
	})
	if kind == 0 {
		return false
	}
	d.mask(s, e)
	if kind == headProfile {
		d.aboutCandidate = true
		return true
	}
	d.regions = append(d.regions, region{start: e, kind: kind})
	return true
}

func (d *Doc) mask(s, e int) { d.masked = append(d.masked, span{s, e}) }

// tokenRange is the tokens lying in text[s:e].
func (d *Doc) tokenRange(s, e int) (int, int) {
	t0 := sort.Search(len(d.tokens), func(k int) bool { return d.tokens[k].start >= s })
	t1 := t0
	for t1 < len(d.tokens) && d.tokens[t1].end <= e {
		t1++
	}
	return t0, t1
}

// sentenceEnd is the end of the sentence that starts an answer at vs, within e.
func (d *Doc) sentenceEnd(vs, e int) int {
	i := sort.Search(len(d.Sentences), func(k int) bool { return d.Sentences[k].End > vs })
	if i < len(d.Sentences) && d.Sentences[i].End < e {
		return d.Sentences[i].End
	}
	return e
}

// skipNumbering steps over "Q1.", "Q:", "A:", "3.", "b)" or "Q1 " before a question.
func skipNumbering(text string, s, e int) int {
	i := s
	if i < e && (text[i] == 'Q' || text[i] == 'A') {
		i++
	}
	for i < e && i-s < 4 && text[i] >= '0' && text[i] <= '9' {
		i++
	}
	if i > s+1 && i < e && text[s] >= 'A' && text[s] <= 'Q' && text[s+1] >= '0' && text[s+1] <= '9' && text[i] == ' ' {
		// "Q1 Community background", "B2 Heart or circulation": a letter and a
		// number are numbering even with no stop after them.
		return valueStart(text, i, e)
	}
	if i == s && i+1 < e && text[i] >= 'a' && text[i] <= 'h' && text[i+1] == ')' {
		i++
	}
	if i > s && i < e && strings.ContainsRune(".:)", rune(text[i])) {
		i++
		for i < e && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
		return i
	}
	return s
}

// fieldSeparator finds a ";" or "|" between two "Label: value" fields on one line,
// or returns -1.
func fieldSeparator(line string) int {
	i := strings.IndexAny(line, ";|")
	if i > 0 && strings.Contains(line[:i], ":") && strings.Contains(line[i+1:], ":") {
		return i
	}
	return columnSeparator(line)
}

// columnSeparator finds the gap of a biodata line laid out in columns, "Label :
// value" fields set apart by a tab or a run of three or more spaces ("Religion :
// Hindu      Caste : Nair", h61): the offset of the gap's first byte after the
// first field's value, or -1. Only a gap before another short "Label:" counts,
// so text wrapped with wide spacing stays one line.
func columnSeparator(line string) int {
	c := strings.IndexByte(line, ':')
	if c <= 0 || c > 40 {
		return -1
	}
	for i := c + 1; i < len(line); i++ {
		if line[i] != ' ' && line[i] != '\t' {
			continue
		}
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		if j < len(line) && (j-i >= 3 || strings.Contains(line[i:j], "\t")) && strings.TrimSpace(line[c+1:i]) != "" {
			if k := strings.IndexByte(line[j:], ':'); k > 0 && k <= 30 && !strings.ContainsAny(line[j:j+k], ".!?,;") {
				return i
			}
		}
		i = j - 1
	}
	return -1
}

// dashSeparator finds a spaced dash written where a colon would be: "Sexuality –
// straight", "Ethnic background - Chinese". It returns the offset of the space
// before the dash, or -1. Only a short label counts, so a sentence with a dash in
// it is not a form line.
func dashSeparator(line string) int {
	for _, d := range []string{" - ", " – ", " — "} {
		if i := strings.Index(line, d); i > 0 && i <= 40 {
			return i
		}
	}
	return -1
}

// dotLeader finds a run of two or more dots (or an ellipsis) after a label and
// before its value, as checklists and exports are laid out ("Asthma ...... N").
// It returns the offset of the run's last byte, or -1. A run at the end of the
// line, or with no space after it, is punctuation, not a leader.
// exportKey is the offset of the "=" of a key=value export line
// ("political_party_member=", "religion=none"), or -1: the key is one word of
// letters, digits and underscores, so "a = b" in prose is not one.
func exportKey(line string) int {
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '=':
			if i == 0 {
				return -1
			}
			return i
		case c == ' ' && i > 0:
			// "Candidate.Religion = Hindu": spaces only between the key and "=",
			// and only after a dotted or underscored key, as exports write them
			// ("Cand = Unite shop steward" is a note).
			if !strings.ContainsAny(line[:i], "._") {
				return -1
			}
			if j := i + len(line[i:]) - len(strings.TrimLeft(line[i:], " ")); j < len(line) && line[j] == '=' {
				return j
			}
			return -1
		case c == '_' || c == '.' && i > 0 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
		default:
			return -1 // spaces or punctuation before it: not an export key
		}
	}
	return -1
}

// csvKey is the offset of the comma of a "key,value" export line whose key is a
// category's label ("ethnicity,White - Irish", "criminal_record_unspent,No"), or
// -1. Prose puts a space after its commas; an export does not.
func (d *Doc) csvKey(s, e int) int {
	line := d.Text[s:e]
	i := strings.IndexByte(line, ',')
	if i <= 0 || i+1 >= len(line) || line[i+1] == ' ' || exportKey(line[:i]+"=") != i {
		return -1
	}
	if cats, _, _ := d.labelCats(s, s+i, labelColon); cats == 0 {
		return -1
	}
	return i
}

func dotLeader(line string) int {
	for i := 1; i < len(line); i++ {
		n := 0
		switch {
		case strings.HasPrefix(line[i:], "…"):
			n = len("…")
		case line[i] == '.' && i+1 < len(line) && line[i+1] == '.':
			n = 2
		default:
			continue
		}
		for i+n < len(line) && (line[i+n] == '.' || strings.HasPrefix(line[i+n:], "…")) {
			if line[i+n] == '.' {
				n++
			} else {
				n += len("…")
			}
		}
		end := i + n
		if end < len(line) && (line[end] == ' ' || line[end] == '\t') && strings.TrimSpace(line[end:]) != "" {
			return end - 1
		}
		i = end
	}
	return -1
}

// checklistLine reads a checklist row whose label names conditions rather than
// asking about a category ("Epilepsy, fits ...... N", "Diabetes ..... Y details:
// type 1"): a no hides the terms from the sentence detectors, a yes discloses
// the categories of the terms named. It reports whether the line was read.
func (d *Doc) checklistLine(s, sep, e int) bool {
	t0, t1 := d.tokenRange(s, sep)
	if d.workClause(t0, t1) {
		return false // "Have you supported patients with diabetes? Yes"
	}
	var cats uint16
	for k := t0; k < t1; k++ {
		if mi := d.at[k]; mi >= 0 {
			if d.matches[mi].e.trap {
				return false
			}
			for _, r := range d.matches[mi].e.roles {
				cats |= 1 << r.cat
			}
		}
	}
	if cats == 0 {
		return false
	}
	vs := valueStart(d.Text, sep+1, e)
	switch d.answerKind(vs, e) {
	case ansRefusal:
		d.mask(s, e)
		return true
	case ansYes:
		d.answer(cats, false, s, vs, e, true)
		return true
	}
	return false
}

// valueStart skips spaces and dashes after a label's separator, a quote closing
// a quoted question, and the "A:" of a written-out answer.
func valueStart(text string, i, e int) int {
	for i < e {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !strings.ContainsRune(" \t-–—\"”’", r) {
			break
		}
		i += n
	}
	// "… A:" with nothing after it is an empty answer, not the letter A.
	if i+1 < e && text[i] == 'A' && text[i+1] == ':' {
		return valueStart(text, i+2, e)
	}
	return i
}

// markAt reports a tick box at text[s:]: the length of the mark and whether it is
// ticked.
func markAt(text string, s int) (int, bool) {
	for _, m := range checkedMarks {
		if strings.HasPrefix(text[s:], m) {
			return len(m), true
		}
	}
	for _, m := range uncheckedMarks {
		if strings.HasPrefix(text[s:], m) {
			return len(m), false
		}
	}
	return 0, false
}

// option is the ticked option of a row of tick boxes: its text, and the evidence
// (the text with its box).
type option struct {
	start, end     int
	evStart, evEnd int
	leading        bool // the boxes come before their options: "[x] Buddhist"
}

// checkedOption finds the ticked option in a row of tick boxes in text[s:e]. The
// boxes come before their options ("[ ] Gay man  [x] Bisexual") or, when text
// precedes the first box, after them ("Christian [ ]  Other (please state) [X]").
// A row that opens with a question or label ("Disabled?  [ ] Yes  [x] No") is not
// one: the label is parsed first and its value passed here.
// ok with an empty option means boxes with none ticked: no answer.
func checkedOption(text string, s, e int) (option, bool) {
	row := text[s:e]
	if n, _ := markAt(text, s); n == 0 && !strings.ContainsAny(row, "[(☐☒☑✓✔") {
		return option{}, false
	}
	type box struct {
		start, end int
		checked    bool
	}
	var boxes []box
	for i := s; i < e; i++ {
		if n, checked := markAt(text, i); n > 0 {
			boxes = append(boxes, box{i, i + n, checked})
			i += n - 1
		}
	}
	if len(boxes) == 0 {
		return option{}, false
	}
	prefix := strings.TrimSpace(text[s:boxes[0].start])
	if strings.HasSuffix(prefix, ":") || strings.HasSuffix(prefix, "?") {
		return option{}, false // a question and its boxes: "Disabled?  [ ] Yes  [x] No"
	}
	leading := prefix == ""
	for bi, b := range boxes {
		if !b.checked {
			continue
		}
		o := option{leading: leading}
		if leading {
			o.start, o.end = b.end, e
			if bi+1 < len(boxes) {
				o.end = boxes[bi+1].start
			}
			o.evStart = b.start
		} else {
			o.start, o.end = s, b.start
			if bi > 0 {
				o.start = boxes[bi-1].end
			}
			o.evEnd = b.end
		}
		o.start, o.end = trimSpaces(text, o.start, o.end)
		if leading {
			o.evEnd = o.end
		} else {
			o.evStart = o.start
		}
		return o, true
	}
	return option{leading: leading}, true // boxes, none ticked: no answer
}

// lettered reports a line opened by an option letter: "D. African …", "(C) Other".
func lettered(text string, s int) bool {
	t := strings.TrimPrefix(text[s:], "(")
	return len(t) > 2 && t[0] >= 'A' && t[0] <= 'Z' && (t[1] == '.' || t[1] == ')') && t[2] == ' '
}

// bareAnswer reports an answer text[vs:e] of one or two words: "NO", "Yes".
func (d *Doc) bareAnswer(vs, e int) bool {
	t0, t1 := d.tokenRange(vs, e)
	return t1-t0 <= 2
}

// boxRowAt reports a line starting at ls whose first mark opens it: "  ✔ African".
func boxRowAt(text string, ls int) bool {
	for ls < len(text) && (text[ls] == ' ' || text[ls] == '\t') {
		ls++
	}
	n, _ := markAt(text, ls)
	return ls < len(text) && n > 0
}

// trimSpaces narrows text[s:e] to its non-blank part.
func trimSpaces(text string, s, e int) (int, int) {
	for s < e && (text[s] == ' ' || text[s] == '\t') {
		s++
	}
	for e > s && (text[e-1] == ' ' || text[e-1] == '\t') {
		e--
	}
	return s, e
}

// detailsPrompt reports a short line that asks for the details of the answer
// above: "If yes, please give details:", "Details (offence, court, date,
// sentence):".
func (d *Doc) detailsPrompt(s, e, t0, t1 int) bool {
	if t1-t0 > 16 || !strings.HasSuffix(strings.TrimSpace(d.Text[s:e]), ":") {
		return false
	}
	for k := t0; k < t1; k++ {
		if d.tokens[k].key == "details" {
			return true
		}
	}
	return false
}

// labelledOption reports a row whose box follows an option that opens with a
// label of another category than the pending question: "Racial group: White
// [X]" under a community-background question is the next question.
func (d *Doc) labelledOption(s int, opt option, pending uint16) bool {
	if opt.leading || pending == 0 || opt.start < s || opt.end <= opt.start {
		return false
	}
	c := strings.IndexByte(d.Text[opt.start:opt.end], ':')
	return c > 0 && c <= 40 && d.otherQuestion(opt.start, opt.start+c, pending)
}

// otherQuestion reports that the label text[s:e] before a row of boxes asks
// about a category other than q, the question above: "Religion or belief:
// [x] Hindu" under "Ethnic group:" with no blank line between is the next
// question, not a group of the ethnic options like "Mixed: [x] White and Asian".
func (d *Doc) otherQuestion(s, e int, q uint16) bool {
	cats, _, _ := d.labelCats(s, e, labelColon)
	return cats&^q != 0
}
