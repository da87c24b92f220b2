package specialcat

import (
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read on batches 1–54 (h69, section 16 of
// docs/quality-special-categories.md), each tested in fresh wording: none of
// these texts is in the labelled set.

// TestNegationInAnotherClause: a negation vetoes a model addition only in the
// clause of its term, as denied reads it; a negated clause of its own still
// vetoes it.
func TestNegationInAnotherClause(t *testing.T) {
	for _, c := range []struct {
		text, needle string
		cat          cat
		reject       bool
	}{
		{"Not able to make the 8am shift, horrible migraine", "migraine", catHealth, false},
		{"Answer: yes - shoplifting 2018 (magistrates, fine) and no licence 2019 (court)", "shoplifting", catCriminal, false},
		{"I do not have asthma.", "asthma", catHealth, true},
	} {
		d := NewDoc(c.text)
		si, start := sentenceOf(t, d, c.needle)
		if got := d.contextRejects(si, c.cat, start); got != c.reject {
			t.Errorf("%q: contextRejects %v, want %v", c.text, got, c.reject)
		}
	}
}

// TestRadioMarks: "(*)" and "(•)" are ticked radio buttons copied from a web
// form; a ticked refusal among them is no answer.
func TestRadioMarks(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"star", "Religion or belief: ( ) None  ( ) Christian  (*) Hindu  ( ) Other", profile.ReligiousBeliefs},
		{"bullet", "Ethnic group: ( ) White  (•) Black Caribbean  ( ) Mixed", profile.RacialEthnicOrigin},
	})
	expectQuiet(t, []quietCase{
		{"refusal ticked", "Sexual orientation: ( ) Heterosexual  ( ) Gay  ( ) Bisexual  (*) Prefer not to say"},
	})
}

// TestMedicinesAndCarrierShortForms: one daily medicine named in passing, and a
// carrier status or marker by its short form.
func TestMedicinesAndCarrierShortForms(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"statin", "Fit for nights, I'm on a statin and that's it.", profile.Health},
		{"antihistamines", "Fine outdoors in summer, I just take antihistamines in June.", profile.Health},
		{"cf carrier", "Told the OH nurse I'm a CF carrier, no symptoms.", profile.Genetic},
		{"hla-b27", "My bloods showed I'm HLA-B27 positive.", profile.Genetic},
	})
	expectQuiet(t, []quietCase{
		{"a pharmacist's work", "Dispensed antihistamines and statins to patients at the counter."},
	})
}

// TestSportsUnions: the players' unions by name and initials.
func TestSportsUnions(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"initials", "I'm still a PFA member from my playing days.", profile.TradeUnionMembership},
		{"cricketers", "Member of the Professional Cricketers' Association since 2015.", profile.TradeUnionMembership},
	})
	expectQuiet(t, []quietCase{
		{"the union's work", "Wrote a report on the PFA's wellbeing programme for clubs."},
	})
}
