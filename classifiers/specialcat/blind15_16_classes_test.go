package specialcat

import (
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error known on blind batches 15 and 16 (the lead's note to h30),
// each tested in new wording (none of these texts is in the labelled set), in
// every learned mode: a class fixed for the rules must not come back through
// the model.

func expectQuietInEveryMode(t *testing.T, cases []quietCase) {
	t.Helper()
	for _, mode := range []LearnedMode{LearnedOff, LearnedUnion, LearnedVetted} {
		detect, err := DetectorFor(mode)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(string(mode)+"/"+c.name, func(t *testing.T) {
				if got := detect(c.text); len(got) > 0 {
					t.Errorf("tagged %v", got)
				}
			})
		}
	}
}

func expectTaggedInEveryMode(t *testing.T, cases []taggedCase) {
	t.Helper()
	for _, mode := range []LearnedMode{LearnedOff, LearnedUnion, LearnedVetted} {
		detect, err := DetectorFor(mode)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(string(mode)+"/"+c.name, func(t *testing.T) {
				for _, g := range detect(c.text) {
					if g.Category == c.want {
						return
					}
				}
				t.Errorf("no %s tag", c.want)
			})
		}
	}
}

func TestBlind15to16ClassesStayQuiet(t *testing.T) {
	expectQuietInEveryMode(t, []quietCase{
		// A biometric question answered with the alternative: no enrolment.
		{"card instead", "Biometric enrolment: Card please"},
		{"pin instead", "Fingerprint clock-in consent: PIN instead"},
		{"fob", "Do you agree to palm vein access for the stores? Fob"},
		// A Welsh refusal: its "i" is not the English "I".
		{"welsh refusal", "Religion / Crefydd: Mae'n well gen i beidio dweud"},
		{"welsh none", "Crefydd: Dim crefydd"},
	})
}

func TestBlind15to16ClassesStillTag(t *testing.T) {
	expectTaggedInEveryMode(t, []taggedCase{
		{"a fingerprint enrolled", "Biometric enrolment: Yes, fingerprint registered at induction", profile.Biometric},
		{"a Welsh-labelled answer", "Religion / Crefydd: Methodist", profile.ReligiousBeliefs},
		{"a card holder's own condition", "Health: I carry a medical alert card for epilepsy", profile.Health},
	})
}

// A first-person sentence whose verb makes the condition a subject of study or
// of practice, not the writer's own.
func TestBlind15to16TopicVerbsStayQuiet(t *testing.T) {
	expectQuietInEveryMode(t, []quietCase{
		{"a thesis examined", "My MSc project examined fatigue in multiple sclerosis."},
		{"a PhD looked at", "My PhD looked at splicing defects in muscular dystrophy."},
		{"used to a drug", "I'm used to methadone and insulin prescriptions from my pharmacy years."},
	})
	expectTaggedInEveryMode(t, []taggedCase{
		{"used to have", "I used to have depression but it's well managed now.", profile.Health},
		{"examined as a patient", "I was examined for epilepsy after a seizure in 2019 and now take lamotrigine.", profile.Health},
	})
}

// Monitoring questions with their boxes on the label's line, one after another
// with no blank line between: each label starts its own question, a ticked
// refusal chooses nothing, and a yes to an unrelated question names nothing.
func TestBlind15to16StackedQuestions(t *testing.T) {
	form := "Diversity questions\n1. Ethnic group: [ ] White [ ] Black African [x] Prefer not to say\n2. Religion or belief: [ ] None [x] Sikh [ ] Jewish\n3. Caring responsibilities: (X) Yes"
	for _, mode := range []LearnedMode{LearnedOff, LearnedUnion, LearnedVetted} {
		detect, err := DetectorFor(mode)
		if err != nil {
			t.Fatal(err)
		}
		tags := detect(form)
		if len(tags) != 1 || tags[0].Category != profile.ReligiousBeliefs {
			t.Errorf("%s: tagged %v, want one religious_beliefs tag (the Sikh box)", mode, tags)
		}
	}
	expectQuietInEveryMode(t, []quietCase{
		{"a question not asked, then an unrelated yes", "Political opinion: not asked on this form.\nDependants: (X) Yes"},
	})
	expectTaggedInEveryMode(t, []taggedCase{
		{"a question after a refusal", "Ethnicity: [x] Prefer not to say\nSexual orientation: [ ] Heterosexual [x] Gay man", profile.SexLifeOrientation},
		{"a group's sub-label still answers its question", "Ethnic group:\nAsian or Asian British: [ ] Indian [x] Bangladeshi", profile.RacialEthnicOrigin},
	})
}

// ATS exports written as "Object.Field = value" and as "field,value" rows: the
// key is the label, a colon inside the value is not the separator, and a "No"
// discloses nothing.
func TestBlind15to16ExportRows(t *testing.T) {
	expectTaggedInEveryMode(t, []taggedCase{
		{"dotted key, colon in the value", "Applicant.Ethnicity = Black or Black British: Caribbean", profile.RacialEthnicOrigin},
		{"dotted key", "Export 2026-03\nApplicant.Religion = Jewish", profile.ReligiousBeliefs},
		{"csv row", "field,value\nreligion,Quaker\nethnicity,Prefer not to say", profile.ReligiousBeliefs},
	})
	expectQuietInEveryMode(t, []quietCase{
		{"dotted key answered no", "Applicant.Disability = No"},
		{"csv rows answered no", "field,value\ncriminal_record_unspent,No\ndisability,No"},
	})
}

// A denial in one clause of a longer sentence is a denial in every mode, even
// from a model sure of its words: vetted's surest additions skip the per-term
// checks, so their own check reads the negation inside the term's clause.
func TestDenialInAnyClauseInEveryMode(t *testing.T) {
	m := &Model{Cats: []CategoryModel{{
		Category: profile.Health, Bias: -5, Threshold: 2, UnionThreshold: 0.5,
		Weights: map[string]float64{"w:epilepsy": 10, "w:zorblax": 10}, // p = 0.99: trusted additions
	}}}
	for _, tc := range []struct {
		text string
		keep bool
	}{
		{"Thanks for asking, but I have never been diagnosed with epilepsy.", false},
		{"Happy to do nights; I don't have epilepsy or anything like it.", false},
		{"I drive for work and I do not have epilepsy.", false},
		// A negation in another clause leaves the term's clause standing.
		{"No worries at all, my zorblax is under control.", true},
	} {
		for name, mode := range map[string]*Model{"union": m.Union(), "vetted": m.Vetted()} {
			if got := hasDetector(mode.Detect(tc.text), "learned-health"); got != tc.keep {
				t.Errorf("%s kept %q = %v, want %v", name, tc.text, got, tc.keep)
			}
		}
		if !tc.keep {
			if got := Detect(tc.text); len(got) > 0 {
				t.Errorf("rules tagged %q: %v", tc.text, got)
			}
		}
	}
}

// Other people in passing: an identity term right before one other person
// ("a Hindu colleague", "our Jewish tenant"), and a friend's coming out.
func TestBlind15to16OthersInPassing(t *testing.T) {
	expectQuietInEveryMode(t, []quietCase{
		{"a colleague's faith", "A Hindu colleague asked me to swap rotas next week."},
		{"a tenant's faith", "I arranged a ground-floor flat for our Jewish tenant."},
		{"a friend came out", "My best mate came out at sixth form and I stood by him."},
	})
	expectTaggedInEveryMode(t, []taggedCase{
		{"the writer's own role", "As a lesbian manager I set up our LGBT+ staff network.", profile.SexLifeOrientation},
		{"the writer with a friend", "My friend and I go to the gurdwara on Sundays.", profile.ReligiousBeliefs},
	})
}

// Boxes written with round brackets are boxes, not a note on the question.
func TestBlind15to16RoundBrackets(t *testing.T) {
	expectQuietInEveryMode(t, []quietCase{
		{"a no ticked", "Disability: ( ) Yes (X) No"},
		{"a no ticked after a question", "Do you consider yourself disabled?  ( ) Yes  (x) No"},
	})
	expectTaggedInEveryMode(t, []taggedCase{
		{"an option ticked", "Ethnic group: (X) Mixed White and Black African  ( ) Other", profile.RacialEthnicOrigin},
		{"a yes ticked", "Disability: (X) Yes ( ) No", profile.Health},
		{"a note is still a note", "Trade union? (optional): GMB", profile.TradeUnionMembership},
	})
}

// Classes read from blind batches 17-20 once they became tuning data, in new
// wording: a bare "Union:" label, an answer whose term comes before a
// negation of something else, and an option row opened by another question's
// label.
func TestBlind17to20FormClasses(t *testing.T) {
	expectTaggedInEveryMode(t, []taggedCase{
		{"a bare union label", "union: gmb (member)", profile.TradeUnionMembership},
		{"a term, then a denial of a role", "Union: Prospect (member, not an officer)", profile.TradeUnionMembership},
		{"the next question's label before its box", "Community background: Protestant [ ]   Catholic [X]\nRacial group: Black [X]", profile.RacialEthnicOrigin},
	})
	expectQuietInEveryMode(t, []quietCase{
		{"a bare union label, nothing named", "Union: n/a"},
		{"a refusal that goes on", "Criminal record: none, not even a caution"},
	})
}
