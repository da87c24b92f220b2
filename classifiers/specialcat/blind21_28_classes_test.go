package specialcat

import (
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read on batches 21–28 (h37, section 13 of
// docs/quality-special-categories.md), each tested in fresh wording: none of
// these texts is in the labelled set.

// TestBlankOptionListsDiscloseNothing: a form line that repeats its choices with
// none chosen is a template, not an answer; one choice given still is.
func TestBlankOptionListsDiscloseNothing(t *testing.T) {
	expectQuietInEveryMode(t, []quietCase{
		{"yes-no-refuse", "Would you describe yourself as disabled? Yes / No / Prefer not to say"},
		{"yes-no", "Do you belong to a trade union? Yes/No"},
		{"choices", "Religion or belief: Christian / Muslim / Jewish / Sikh / Other / Prefer not to say"},
	})
	expectTagged(t, []taggedCase{
		{"one choice", "Would you describe yourself as disabled? Yes", profile.Health},
		{"two identities", "Sexual orientation: Gay / lesbian", profile.SexLifeOrientation},
	})
}

// TestWithheldAnswersInOtherWords: informal denials and the words web forms
// export for an unticked or withheld answer.
func TestWithheldAnswersInOtherWords(t *testing.T) {
	expectQuietInEveryMode(t, []quietCase{
		{"nah", "Any unspent convictions?  nah"},
		{"nope", "Criminal record: nope"},
		{"do not wish to answer", "Gay/Lesbian: I do not wish to answer"},
		{"label of a refusal", "Bisexual: I don't wish to answer"},
		{"prompt", "Adjustments for interview: tell us what you need, e.g. extra time or a quiet room."},
	})
	expectTagged(t, []taggedCase{
		{"answered", "Long-term condition affecting day-to-day activities: Yes, Crohn's disease", profile.Health},
		{"nope but", "Criminal record: nope, but I have a drink-driving conviction from 2017.", profile.CriminalConvictions},
	})
}

// TestWorkOnTheVocabulary: designing for, speaking about or prosecuting a
// subject names the work, not the writer.
func TestWorkOnTheVocabulary(t *testing.T) {
	for _, text := range []string{
		"I speak about biometric data protection at conferences.",
		"I work in the CPS, prosecuting assault offences.",
	} {
		if got := Detect(text); len(got) > 0 {
			t.Errorf("%q tagged %v", text, got)
		}
	}
	expectTagged(t, []taggedCase{
		{"own", "I design websites, and I have epilepsy, so I avoid strobing animations.", profile.Health},
	})
}

// TestNamesLikeTheVocabulary: body mass is not a Mass, and a debating society
// named "Union" is no union in any mode.
func TestNamesLikeTheVocabulary(t *testing.T) {
	expectQuietInEveryMode(t, []quietCase{
		{"debating union", "Cambridge Union: debates officer, 2021-2022"},
		{"body mass", "Body mass index within the scheme's limits: yes"},
	})
	expectTagged(t, []taggedCase{
		{"mass", "I go to Mass every Sunday, so I can't do Sunday mornings.", profile.ReligiousBeliefs},
		{"union", "Member of the GMB union since 2015.", profile.TradeUnionMembership},
	})
}

// TestCameOutOfCustody: "came out" after a sentence served is release, not an
// orientation; said of the writer's orientation it still is.
func TestCameOutOfCustody(t *testing.T) {
	for _, text := range []string{
		"I did three years in HMP Risley for burglary and came out with a bricklaying NVQ.",
		"I was convicted of affray in 2016. When I came out I went straight into a hostel.",
	} {
		if got := categoriesOf(text); got[profile.SexLifeOrientation] {
			t.Errorf("%q tagged orientation", text)
		}
	}
	expectTagged(t, []taggedCase{
		{"orientation", "I came out at nineteen and have volunteered with an LGBT youth group since.", profile.SexLifeOrientation},
	})
}
