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
	poss     bool // "my" close before the term
	pred     bool // an identity predicate ("am", "as a") close before the term
	neg      bool // a negation between the subject and the term
	topic    bool // a topic verb between the subject and the term
	cue      bool // a category cue between the clause start and the term
	cueTok   int  // earliest such cue
	clause   int  // first token of the clause
	leadIn   int  // tokens between the clause start and the term
	halfKind bool // "half" right before a heritage word
}

// scanBefore walks back from token a to the start of its clause.
func (d *Doc) scanBefore(s *Sentence, a int, c cat) before {
	lx := lexicon()
	bit := uint16(1) << c
	b := before{subj: subjNone, clause: s.t0, cueTok: -1}
	for j := a - 1; j >= s.t0; j-- {
		if strings.ContainsAny(gap(d.Text, d.tokens[j], d.tokens[j+1]), ";:") || d.cues[j]&cueClauseBreak != 0 {
			b.clause = j + 1
			break
		}
	}
	b.leadIn = a - b.clause
	for j := a - 1; j >= b.clause; j-- {
		if d.at[j] < 0 {
			continue
		}
		f, own := d.cues[j], d.catCues[j]&bit != 0
		if own {
			b.cue, b.cueTok = true, j
			if j == a-1 && d.tokens[j].key == "half" {
				b.halfKind = true
			}
		}
		switch {
		case f&cueThirdParty != 0:
			b.subj, b.subjTok = subjThird, j
			return b
		case f&cuePossessive != 0:
			b.subj, b.subjTok, b.poss = subjSelf, j, a-j <= 4
			return b
		case f&cueFirstPerson != 0:
			b.subj, b.subjTok = subjSelf, j
			b.pred = b.pred || (f&cuePredicate != 0 && a-j <= 6)
			return b
		}
		if f&cueNegation != 0 {
			b.neg = true
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
	return b
}

// after is what follows a term in its sentence.
type after struct {
	reject  bool // a head ("diabetes nurse"), a group ("diabetic residents") or a compound
	cue     bool // a category cue within a few words ("UNISON member")
	british bool // "Somali-British", "British Somali"
	end     int  // byte end of the evidence: the term, a self noun or the cue
}

// scanAfter looks at the words after term tokens [a, b) of category c.
func (d *Doc) scanAfter(s *Sentence, a, b int, c cat) after {
	lx := lexicon()
	heads := lx.cats[c].heads
	bit := uint16(1) << c
	r := after{end: d.tokens[b-1].end}
	if b < s.t1 {
		g := gap(d.Text, d.tokens[b-1], d.tokens[b])
		if hyphenated(g) {
			if d.tokens[b].key == "british" {
				r.british = true
				return r
			}
			r.reject = true // "bi-weekly", "Labour-run", "two-stroke" read backwards
			return r
		}
	}
	first := true
	for k, steps := b, 0; k < s.t1 && steps < 5; k, steps = k+1, steps+1 {
		if !plainSpace(gap(d.Text, d.tokens[k-1], d.tokens[k])) {
			break
		}
		key := d.tokens[k].key
		if d.catCues[k]&bit != 0 {
			r.cue = true
			r.end = d.tokens[d.matchEnd(k)-1].end
			break
		}
		if key == "and" || key == "or" || d.hasRole(k, c) {
			continue
		}
		if first {
			first = false
			if key == "british" {
				r.british = true
			}
			if heads[key] || lx.heads[key] || lx.group[key] {
				r.reject = true
				return r
			}
			if lx.selfNouns[key] {
				r.end = d.tokens[k].end
			}
		}
	}
	return r
}

// hasRole reports whether token k starts or lies inside a term of category c.
func (d *Doc) hasRole(k int, c cat) bool {
	for j := k; j >= 0 && k-j < 6; j-- {
		if mi := d.at[j]; mi >= 0 {
			m := d.matches[mi]
			if m.t1 <= k {
				return false
			}
			for _, r := range m.e.roles {
				if r.cat == c {
					return true
				}
			}
			return false
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
// Dior", "Diabetes UK", "Epilepsy and Buccal Midazolam", "St Barnabas Church".
func (d *Doc) isName(s *Sentence, a, b int) bool {
	t := d.tokens[a]
	if !t.cap || t.upper && b-a == 1 && len(t.key) <= 4 {
		return false
	}
	for k := b; k < s.t1; k++ {
		if !plainSpace(gap(d.Text, d.tokens[k-1], d.tokens[k])) {
			break
		}
		n := d.tokens[k]
		if n.key == "and" || n.key == "of" || n.key == "the" || n.key == "for" {
			continue
		}
		if n.cap && n.key != "i" && !d.startsTerm(k) && d.at[k] < 0 {
			return true
		}
		break
	}
	if a > s.t0 && plainSpace(gap(d.Text, d.tokens[a-1], t)) {
		p := d.tokens[a-1]
		if p.cap && p.key != "i" && a-1 > s.t0 && d.at[a-1] < 0 && !d.insideMatch(a-1) {
			return true
		}
	}
	return false
}

func (d *Doc) startsTerm(k int) bool {
	mi := d.at[k]
	return mi >= 0 && len(d.matches[mi].e.roles) > 0
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

// sentenceHas reports whether tokens [from, to) hold a cue with any of flags.
func (d *Doc) sentenceHas(from, to int, flags cueFlags) bool {
	for k := from; k < to; k++ {
		if d.cues[k]&flags != 0 {
			return true
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
