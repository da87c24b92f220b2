package specialcat

import (
	"strings"

	"github.com/cvetl/cvetl/profile"
)

// partnerDetector tags sexual orientation revealed by a same-sex partner: the
// candidate's partner ("my wife", "his husband") is of the gender the candidate
// states for themself ("I'm a woman") or, in an agency profile, of the pronoun
// that stands for the candidate. A partner alone reveals nothing: "my wife" says
// nothing about orientation until the writer's own gender is known.
type partnerDetector struct{}

const confPartner = 0.75 // an inference from two statements, not a stated identity

func (partnerDetector) Detect(d *Doc) []profile.Tag {
	lx := lexicon()
	if len(lx.partners) == 0 {
		return nil
	}
	info := &lx.cats[catOrientation]
	var tags []profile.Tag
	declared, looked := cueFlags(0), false // the writer's pronouns, read only when needed
	for si := range d.Sentences {
		s := &d.Sentences[si]
		for k := s.t0 + 1; k < s.t1; k++ {
			g, own := lx.partners[d.tokens[k].key], k-1
			if g == 0 && d.tokens[k].key == "partner" && k-2 >= s.t0 {
				// "my male partner": the adjective gives the partner's gender
				g, own = lx.genders[d.tokens[k-1].key], k-2
			}
			if g == 0 {
				continue
			}
			owner := d.cues[own]
			var same bool
			switch {
			case d.tokens[own].key == "my": // "my wife" is one third-party phrase in cues.txt
				// "my wife … I'm a woman", or "Pronouns: she/her" anywhere in the writer's
				// own document
				stated := d.statedGender(si)
				if stated == 0 && !looked {
					declared, looked = d.declaredPronouns(), true
				}
				same = stated == g || stated == 0 && declared == g
			case d.candidatePronoun(owner) && owner&(cueMasculine|cueFeminine) == g:
				same = true // "he is moving with his husband" in a profile
			}
			if !same {
				continue
			}
			start, end := d.tokens[own].start, d.tokens[k].end
			tags = append(tags, profile.Tag{
				Category: info.cat, Evidence: d.Text[start:end], Start: start, End: end,
				Confidence: confPartner, Detector: info.name + ".same_sex_partner",
			})
		}
	}
	return tags
}

// statedGender is the gender the writer states for themself ("I'm a woman", "I am
// a man", "as a woman") in sentence si or the one before or after it, or 0 when
// none is stated or the statements disagree.
func (d *Doc) statedGender(si int) cueFlags {
	lx := lexicon()
	var got cueFlags
	for i := max(si-1, 0); i <= si+1 && i < len(d.Sentences); i++ {
		s := &d.Sentences[i]
		for k := s.t0 + 1; k < s.t1; k++ {
			g := lx.genders[d.tokens[k].key]
			if g == 0 {
				continue
			}
			j := k - 1
			if key := d.tokens[j].key; (key == "a" || key == "an") && j > s.t0 {
				j--
			}
			switch key := d.tokens[j].key; {
			case key == "i'm", key == "im", key == "as",
				key == "am" && j > s.t0 && d.tokens[j-1].key == "i":
				got |= g
			}
		}
	}
	if got == cueMasculine|cueFeminine {
		return 0
	}
	return got
}

// declaredPronouns is the gender of the pronouns the writer gives for themself
// ("Pronouns: he/him", "Sam Okafor (she/her)"), or 0 when none are given, they
// are neutral, or two disagree.
func (d *Doc) declaredPronouns() cueFlags {
	var got cueFlags
	for k := 0; k+1 < len(d.tokens); k++ {
		a, b := d.tokens[k].key, d.tokens[k+1].key
		if strings.TrimSpace(gap(d.Text, d.tokens[k], d.tokens[k+1])) != "/" {
			continue
		}
		switch {
		case a == "he" && b == "him":
			got |= cueMasculine
		case a == "she" && b == "her":
			got |= cueFeminine
		}
	}
	if got == cueMasculine|cueFeminine {
		return 0
	}
	return got
}
