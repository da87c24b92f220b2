package specialcat

import "strings"

// Who a statement is about.
const (
	subjNone  = iota // no subject in the clause: a CV line, or the subject comes later
	subjSelf         // I, me, my
	subjThird        // patients, my son, she
)

// before is what the clause says before a term.
type before struct {
	subj     int
	subjTok  int  // token of the subject cue
	firstTok int  // the clause's earliest first-person cue, for the evidence span
	poss     bool // "my" close before the term
	pred     bool // an identity predicate ("am", "as a") close before the term
	neg      bool // a negation between the subject and the term
	topic    bool // a topic verb between the subject and the term
	cue      bool // a category cue in the clause before the term
	cueTok   int  // earliest such cue
	cueNear  int  // nearest such cue
	clause   int  // first token of the clause
	line     int  // first token of the line part: after "Label:" or ";", else the sentence start
	half     bool // "half" right before a heritage word
	british  bool // "British" or "-born" just before: "British-born Nigerian"
}

// breaksAt reports punctuation that ends a clause and a CV line part.
func breaksAt(g string) bool { return strings.ContainsAny(g, ";:") }

// scanBefore walks back from token a to the start of its clause.
func (d *Doc) scanBefore(s *Sentence, a int, c cat) before {
	lx := lexicon()
	bit := uint16(1) << c
	b := before{subj: subjNone, clause: -1, line: s.t0, cueTok: -1, firstTok: -1}
	for j := a - 1; j >= s.t0; j-- {
		if breaksAt(gap(d.Text, d.tokens[j], d.tokens[j+1])) {
			b.line = j + 1
			if b.clause < 0 {
				b.clause = j + 1
			}
			break
		}
		if b.clause < 0 && d.cues[j]&cueClauseBreak != 0 {
			b.clause = j + 1
		}
	}
	if b.clause < 0 {
		b.clause = s.t0
	}
	for j := a - 1; j >= b.clause && j >= a-2; j-- {
		if k := d.tokens[j].key; k == "british" || k == "born" {
			b.british = true
		}
	}
	for j := a - 1; j >= b.clause; j-- {
		if d.at[j] < 0 {
			continue
		}
		f, own := d.cues[j], d.catCues[j]&bit != 0
		if d.isSelf(f) {
			b.firstTok = j
		}
		if own {
			if !b.cue {
				b.cueNear = j
			}
			b.cue, b.cueTok = true, j
			if j == a-1 && d.tokens[j].key == "half" {
				b.half = true
			}
		}
		if b.subj != subjNone {
			continue // the subject is known; only cues are still wanted
		}
		switch {
		case d.isThird(f):
			b.subj, b.subjTok = subjThird, j
			continue
		case f&cuePossessive != 0:
			b.subj, b.subjTok, b.poss = subjSelf, j, a-j <= 4
			// "my job, not my faith": a negation right before "my" denies it. A
			// biometric term names an act on the body part ("enrol my face"), so
			// refusing the act denies it too: "I'd rather not enrol my face".
			if j > b.clause && d.cues[j-1]&cueNegation != 0 || c == catBiometric && d.negatedAct(b.clause, j, a) {
				b.neg = true
			}
			continue
		case d.isSelf(f):
			b.subj, b.subjTok = subjSelf, j
			b.pred = b.pred || (f&cuePredicate != 0 && a-j <= 6)
			continue
		}
		if f&cueNegation != 0 && a-j <= negationReach {
			b.neg = true // "no criminal convictions", "I do not have a disability"
		}
		// A category's own cue ("support" for a party) is not a topic verb; nor is
		// a passive one ("I was treated for …").
		if f&cueTopic != 0 && !own && (j == 0 || !lx.passive[d.tokens[j-1].key]) {
			b.topic = true
		}
		if f&cuePredicate != 0 && a-j <= 6 {
			b.pred = true
		}
	}
	if !b.cue && b.line > s.t0 {
		// A label's cue counts for the value, and for every item of a list after
		// it: "Member: Unite the Union", "Memberships: RPS; PDA Union".
		if end := d.labelEnd(s, b.line); end > s.t0 {
			for j := s.t0; j < end; j++ {
				if d.catCues[j]&bit != 0 {
					b.cue, b.cueTok, b.cueNear = true, j, j
					break
				}
			}
		}
	}
	if b.subj == subjNone && b.clause == s.t0 && d.aboutCandidate && d.nameOpens(s) {
		b.subj, b.subjTok = subjSelf, s.t0 // "Jordan is openly asexual" in a profile
	}
	return b
}

// labelEnd is the first token after the "Label:" that opens sentence s, when
// every part from there to token line is a list item (split by ";" or ","), or s.t0.
func (d *Doc) labelEnd(s *Sentence, line int) int {
	for k := line; k > s.t0; k-- {
		g := gap(d.Text, d.tokens[k-1], d.tokens[k])
		if strings.Contains(g, ":") {
			return k
		}
		if strings.ContainsAny(g, ".!?") {
			return s.t0
		}
	}
	return s.t0
}

// negationReach is how many words a negation reaches forward to a term: "I do
// not consider myself to have a disability".
const negationReach = 7

// catBiometric is biometric's index in catFiles.
const catBiometric cat = 7

// negatedAct reports a negation between the first-person subject and "my" at
// token poss, within negationReach of the term at a: "I refused to have my
// fingerprints taken".
func (d *Doc) negatedAct(clause, poss, a int) bool {
	for j := poss - 1; j >= clause && a-j <= negationReach+2; j-- {
		f := d.cues[j]
		if f&cueFirstPerson != 0 {
			return false
		}
		if f&cueNegation != 0 {
			return true
		}
	}
	return false
}

// after is what follows a term in its sentence.
type after struct {
	reject  bool // a head ("diabetes nurse"), a group ("diabetic residents") or a compound
	cue     bool // a category cue within a few words ("UNISON member")
	british bool // "Somali-British", "British Somali"
	end     int  // byte end of the evidence: the term, a self noun or the cue
}

// scanAfter looks at the words after term tokens [a, b) of category c. A party or
// union name is followed by a name's words ("Lib Dem executive committee"), so
// heads do not apply to it.
//
// After "my", a personal head keeps the term the candidate's: "my MS diagnosis".
func (d *Doc) scanAfter(s *Sentence, a, b int, c cat, cls termClass, poss bool) after {
	lx := lexicon()
	bit := uint16(1) << c
	r := after{end: d.tokens[b-1].end}
	if b == s.t1 {
		return r
	}
	// A "+" closes a term ("LGBTQ+ inclusion"): the word after it still follows
	// the term.
	g := strings.TrimPrefix(gap(d.Text, d.tokens[b-1], d.tokens[b]), "+")
	key := d.tokens[b].key
	if cls != clsOrg && d.listHeadFollows(s, b, g) {
		r.reject = true // "our disability, carers and race equality networks"
		return r
	}
	switch {
	case hyphenated(g) && (key == "british" || (cls == clsHeritage || cls == clsIdentity) && d.startsRole(b, c)):
		// "Somali-British", and two origins joined: "Welsh-Jamaican", "Scottish-Pakistani"
		r.british = true
		r.end = d.tokens[d.matchEnd(b)-1].end
		return r
	case hyphenated(g):
		r.reject = true // a compound: "bi-weekly", "Labour-run", "inhaler-technique"
		return r
	case plainSpace(g):
		// A possessive owns what follows, it is not a field: "my mosque's soup kitchen".
		owner := d.tokens[b-1].base != ""
		if cls != clsOrg && !owner && !(poss && lx.personalHeads[key]) && d.headFollows(s, b, c) {
			r.reject = true // "diabetes clinic", "autism awareness", "diabetic foot checks"
			return r
		}
		// "Somali British", "Chinese Malaysian": two origins make a heritage.
		r.british = key == "british" || (cls == clsHeritage || cls == clsIdentity) && d.startsRole(b, c)
		if lx.selfNouns[key] {
			r.end = d.tokens[b].end // "a gay man"
		}
		if d.groupAfter(s, b, c) {
			r.reject = true // "diabetic residents", "Sikh and Hindu families"
			return r
		}
	}
	if k := d.afterBracket(s, b); k > 0 && d.catCues[k]&bit != 0 {
		// "EIS (Educational Institute of Scotland) member": the cue follows the
		// name's expansion in brackets.
		r.cue = true
		r.end = d.tokens[d.matchEnd(k)-1].end
		return r
	}
	for k := b; k < s.t1 && k < b+5; k++ {
		if !cueGap(gap(d.Text, d.tokens[k-1], d.tokens[k])) {
			break
		}
		if d.catCues[k]&bit != 0 {
			r.cue = true
			r.end = d.tokens[d.matchEnd(k)-1].end
			break
		}
	}
	return r
}

// cueGap reports a gap a cue after a term may be read across: spaces, an opening
// bracket or a plural possessive ("UNISON (member since 2015)", "the IWGB
// couriers' branch (proud member)").
func cueGap(g string) bool {
	g = strings.TrimLeft(g, "'’")
	g = strings.Replace(g, "(", " ", 1)
	return plainSpace(g)
}

// headFollows reports a head right after a term, or one word later when that word
// is not a function word: "diabetic foot checks", but not "diabetes and check".
func (d *Doc) headFollows(s *Sentence, b int, c cat) bool {
	if d.isHead(b, c) {
		return true
	}
	return !lexicon().function[d.tokens[b].key] && d.at[b] < 0 && b+1 < s.t1 &&
		plainSpace(gap(d.Text, d.tokens[b], d.tokens[b+1])) && d.isHead(b+1, c)
}

// listHeadFollows reports a term that is one item of a list of modifiers sharing
// a head: "disability, carers and race equality networks", "LGBTQ+, disability
// and faith staff networks". The list, which starts at token b after gap g, is
// words, commas and one "and"/"or", and ends in a head noun within a few words;
// any other function word or a determiner ("I have asthma, eczema and a …") ends
// the list.
func (d *Doc) listHeadFollows(s *Sentence, b int, g string) bool {
	lx := lexicon()
	if strings.TrimSpace(g) != "," && !plainSpace(g) {
		return false
	}
	conj := false
	for k := b; k < s.t1 && k < b+7; k++ {
		if k > b {
			if gk := strings.TrimPrefix(gap(d.Text, d.tokens[k-1], d.tokens[k]), "+"); strings.TrimSpace(gk) != "," && !plainSpace(gk) {
				return false
			}
		}
		key := d.tokens[k].key
		switch {
		case key == "and" || key == "or" || key == "&":
			if conj {
				return false
			}
			conj = true
		case lx.function[key] || determiners[key]:
			return false
		case conj && d.at[k] < 0 && lx.heads[key] && k > b+1:
			return true
		}
	}
	return false
}

// determiners open a new noun phrase, so a list of modifiers ends before them:
// "an atheist and a member of Humanists UK".
var determiners = map[string]bool{"a": true, "an": true, "the": true, "my": true, "our": true, "his": true, "her": true, "their": true, "your": true}

// isHead reports a word that makes the term before it a field, job or name.
func (d *Doc) isHead(k int, c cat) bool {
	lx := lexicon()
	key := d.tokens[k].key
	return lx.cats[c].heads[key] || lx.heads[key]
}

// groupAfter reports a group noun at token k, or after "and"/"or" and another term
// of the same category.
func (d *Doc) groupAfter(s *Sentence, k int, c cat) bool {
	lx := lexicon()
	for k < s.t1 {
		if lx.group[d.tokens[k].key] {
			return true
		}
		key := d.tokens[k].key
		if (key != "and" && key != "or") || k+1 >= s.t1 || !d.startsRole(k+1, c) {
			return false
		}
		k = d.matchEnd(k + 1)
	}
	return false
}

// startsRole reports whether a term of category c starts at token k.
func (d *Doc) startsRole(k int, c cat) bool {
	if mi := d.at[k]; mi >= 0 {
		for _, r := range d.matches[mi].e.roles {
			if r.cat == c {
				return true
			}
		}
	}
	return false
}

// matchEnd is the end token of the match starting at k.
func (d *Doc) matchEnd(k int) int {
	if mi := d.at[k]; mi >= 0 {
		return d.matches[mi].t1
	}
	return k + 1
}

// isName reports a capitalised term that is part of a proper name: "Christian
// Dior", "Diabetes UK", "Epilepsy and Buccal Midazolam"; and, for places of
// worship, "St Barnabas Church".
func (d *Doc) isName(s *Sentence, a, b int, cls termClass) bool {
	t := d.tokens[a]
	if !t.cap || t.upper && b-a == 1 && len(t.key) <= 4 {
		return false
	}
	// "An elder at the Church of Pentecost": a term that opens with an article
	// or ends with a preposition is a phrase about a place, not a word of a name.
	if last := d.tokens[b-1].key; genericWords[t.key] || t.key == "the" || b-a > 1 && (last == "at" || last == "of" || lexicon().preps[last]) {
		return false
	}
	for k := b; k < s.t1; k++ {
		// A name may wrap onto the next line: "the Biometrics and\nSurveillance
		// Camera Commissioner".
		if g := gap(d.Text, d.tokens[k-1], d.tokens[k]); !plainSpace(g) && !wrapped(g) {
			break
		}
		n := d.tokens[k]
		if n.key == "and" || n.key == "of" || n.key == "the" || n.key == "for" {
			continue
		}
		if n.cap && n.key != "i" && d.at[k] < 0 {
			return true
		}
		if n.cap && d.at[k] >= 0 {
			e := d.matches[d.at[k]].e
			if len(e.roles) > 0 {
				continue // another term: "Sikh Gurdwara Council", "Hindu Temple Road"
			}
			if e.cue == 0 && e.catCue != 0 {
				return true // a category's cue as a name word: "Muslim Council"
			}
		}
		break
	}
	// A capitalised word before it, mid-sentence: "Mosque Lane Surgery", "St
	// Barnabas Church".
	if a-1 > s.t0 && plainSpace(gap(d.Text, d.tokens[a-1], t)) {
		p := d.tokens[a-1]
		return p.cap && !p.upper && p.key != "i" && p.key != "british" && d.at[a-1] < 0 && !d.insideMatch(a-1) &&
			!lexicon().function[p.key]
	}
	return false
}

// insideMatch reports a token covered by a phrase that started before it.
func (d *Doc) insideMatch(k int) bool {
	for j := k - 1; j >= 0 && k-j < 6; j-- {
		if mi := d.at[j]; mi >= 0 {
			return d.matches[mi].t1 > k
		}
	}
	return false
}

// sentenceHasCue reports a cue of category c in s outside tokens [a, b).
func (d *Doc) sentenceHasCue(s *Sentence, a, b int, c cat) bool {
	bit := uint16(1) << c
	for k := s.t0; k < s.t1; k++ {
		if (k < a || k >= b) && d.catCues[k]&bit != 0 {
			return true
		}
	}
	return false
}

// sentenceHasRole reports another term of category c in s outside tokens [a, b),
// a plain [term]: a weak word leans on it ("I manage bipolar II … not had an
// episode"), but a weak word or a job title does not ("Offender Manager, HMP
// Leeds").
func (d *Doc) sentenceHasRole(s *Sentence, a, b int, c cat) bool {
	for k := s.t0; k < s.t1; k++ {
		if k >= a && k < b {
			continue
		}
		if mi := d.at[k]; mi >= 0 {
			for _, r := range d.matches[mi].e.roles {
				if r.cat == c && r.class == clsTerm {
					return true
				}
			}
		}
	}
	return false
}

// sinceAfter reports "since" within a few words after token b in the sentence.
func (d *Doc) sinceAfter(s *Sentence, b int) bool {
	for k := b; k < s.t1 && k < b+4; k++ {
		if lexicon().since[d.tokens[k].key] {
			return true
		}
	}
	return false
}

// laterSubject is the first subject cue after token b in the clause, for a term
// that opens its clause: "Anxiety is something I have lived with". With poss, "my"
// counts too ("Being gay has shaped my interest").
func (d *Doc) laterSubject(s *Sentence, b int, poss bool) int {
	return d.laterSubjectPast(s, b, poss, false)
}

// laterSubjectPast is laterSubject that, when asides is set, skips what a bracket
// holds: after "As a …", the bracket's people are an aside ("As a mixed-race man
// (Irish mum, Jamaican dad) I …").
func (d *Doc) laterSubjectPast(s *Sentence, b int, poss, asides bool) int {
	inBracket := false
	for k := b; k < s.t1; k++ {
		if k > b {
			g := gap(d.Text, d.tokens[k-1], d.tokens[k])
			if breaksAt(g) {
				break
			}
			if asides && strings.Contains(g, ")") {
				inBracket = false
			}
			if asides && strings.Contains(g, "(") {
				inBracket = true
			}
		}
		if inBracket {
			continue
		}
		switch f := d.cues[k]; {
		case f&cueClauseBreak != 0:
			return subjNone
		case d.isThird(f):
			return subjThird
		case d.isSelf(f), poss && f&cuePossessive != 0:
			return subjSelf
		}
	}
	return subjNone
}

// inMembership reports "I'm in the RMT" / "I am in Unite": membership said with
// "in" right before a union or party name.
func (d *Doc) inMembership(a, clause int) bool {
	k := a - 1
	if k > clause && d.tokens[k].key == "the" {
		k--
	}
	return k > clause && d.tokens[k].key == "in" && d.cues[k-1]&(cuePredicate|cueFirstPerson) != 0
}

// bracketMax is how many words a bracket after a name may hold and still be read
// as the name's expansion: "UCU (University and College Union)".
const bracketMax = 8

// afterBracket is the token right after a bracket that opens at token b and
// closes within bracketMax words, or 0.
func (d *Doc) afterBracket(s *Sentence, b int) int {
	if b >= s.t1 || !strings.HasPrefix(strings.TrimLeft(gap(d.Text, d.tokens[b-1], d.tokens[b]), " "), "(") {
		return 0
	}
	for k := b + 1; k < s.t1 && k <= b+bracketMax; k++ {
		g := gap(d.Text, d.tokens[k-1], d.tokens[k])
		if strings.Contains(g, "(") {
			return 0
		}
		if strings.Contains(g, ")") {
			if strings.TrimSpace(g) == ")" {
				return k
			}
			return 0
		}
	}
	return 0
}

// communityMember reports a term of a group noun ("the Jain community") that
// the writer says they belong to: "I belong to the Sikh community", "a member of
// the Roman Catholic community", "part of the Jewish community", "I am from the
// Roma community".
func (d *Doc) communityMember(s *Sentence, a, b int) bool {
	if b >= s.t1 || d.tokens[b].key != "community" {
		return false
	}
	k := a - 1
	if k >= s.t0 && d.tokens[k].key == "the" {
		k-- // "the" is often dropped: "I am from Roma community"
	}
	if k-1 < s.t0 {
		return false
	}
	prep, verb := d.tokens[k].key, d.tokens[k-1].key
	return prep == "to" && verb == "belong" || prep == "of" && (verb == "member" || verb == "part") ||
		prep == "from" && fromVerbs[verb]
}

// fromVerbs say where the subject comes from: "I am from the Roma community",
// not "families from the Roma community".
var fromVerbs = map[string]bool{"am": true, "i'm": true, "im": true, "come": true, "comes": true, "came": true, "is": true, "was": true}
