package specialcat

import (
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read on batches 1–38 (h61, section 15 of
// docs/quality-special-categories.md), each tested in fresh wording: none of
// these texts is in the labelled set.

// sentenceOf is the index of the sentence of d holding needle, and where it starts.
func sentenceOf(t *testing.T, d *Doc, needle string) (int, int) {
	t.Helper()
	i := strings.Index(d.Text, needle)
	for si, s := range d.Sentences {
		if i >= s.Start && i < s.End {
			return si, s.Start
		}
	}
	t.Fatalf("no sentence holds %q", needle)
	return 0, 0
}

// TestStatementBeforeItsQuestion: a message that states a condition and then
// asks is a disclosure, also when it is written without capitals so that its
// question is not a sentence of its own; a question alone is not.
func TestStatementBeforeItsQuestion(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"lower-case message", "hi Dan sorry, cant do the early shift wed. i am epileptic and the new tablets make me drowsy. can i start at 10?", profile.Health},
		{"bracket before the question", "my nurse said i carry the thalassaemia trait (routine bloods). is it ok to do the heavy lifting job?", profile.Genetic},
	})
	expectQuiet(t, []quietCase{
		{"asked only", "is the role ok for someone who is epileptic?"},
	})
	// The sure additions' sentence-wide checks read it the same way.
	d := NewDoc("Quick one. My voiceprint is registered on the phone line, but how long do you keep it?")
	si, start := sentenceOf(t, d, "voiceprint")
	if d.contextRejectsLight(si, catBiometric, start) {
		t.Error("a statement before its question was rejected as a question")
	}
	d = NewDoc("Quick one. How long do you keep the voiceprint of a caller?")
	si, start = sentenceOf(t, d, "voiceprint")
	if !d.contextRejectsLight(si, catBiometric, start) {
		t.Error("a question with no statement was let through")
	}
}

// TestColumnLayoutFields: a biodata line holding several "Label : value" fields
// set apart by wide spacing is read field by field.
func TestColumnLayoutFields(t *testing.T) {
	for _, want := range []profile.Category{profile.ReligiousBeliefs, profile.RacialEthnicOrigin} {
		expectTagged(t, []taggedCase{{"two fields", "Personal details\nReligion  : Sikh        Caste : Jat\nMarital status : Single", want}})
	}
	expectQuiet(t, []quietCase{
		{"no category", "Name : Arjun Mehta        Date of birth : 02/03/1991"},
		{"refused in a column", "Nationality : Indian        Religion : Prefer not to say"},
	})
}

// TestWithheldInShorthand: recruiters' shorthand for a withheld answer.
func TestWithheldInShorthand(t *testing.T) {
	expectQuietInEveryMode(t, []quietCase{
		{"pnts", "Ethnicity: PNTS"},
		{"prefer not", "Sexual orientation: prefer not"},
	})
}

// TestFaithInPassing: volunteering at a place of worship, coming to faith, a
// pilgrimage made and a lay office held say the writer's religion.
func TestFaithInPassing(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"volunteers at", "Candidate profile: Simran is a trained cook. She volunteers at her local gurdwara's langar on Sundays.", profile.ReligiousBeliefs},
		{"helping at", "Weekends: helping at the local mandir.", profile.ReligiousBeliefs},
		{"help at", "I help at the mosque on Saturday mornings.", profile.ReligiousBeliefs},
		{"came to faith", "I came to faith at university and it shapes how I treat people.", profile.ReligiousBeliefs},
		{"pilgrimage", "Performed Hajj with my mother in 2018.", profile.ReligiousBeliefs},
		{"lay office", "Local preacher on the Methodist circuit since 2015.", profile.ReligiousBeliefs},
	})
	expectQuiet(t, []quietCase{
		{"a council", "I volunteered at the parish council's litter picks."},
		{"a street", "I serve at the Church Street Café on Saturdays."},
		{"a school", "I help at my children's school on Fridays."},
	})
}

// TestPredictiveTestIsGenetic: having had a predictive test is genetic data,
// whatever its result; running the tests for others is work.
func TestPredictiveTestIsGenetic(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"clear result", "I had the predictive test for Huntington's last spring and I'm clear of it.", profile.Genetic},
	})
	expectQuiet(t, []quietCase{
		{"clinic work", "I run predictive testing clinics for families with Huntington's disease."},
	})
}

// TestPartyVotersAndUnionsInWelsh: a party's voter said of oneself, and union
// membership in Welsh.
func TestPartyVotersAndUnionsInWelsh(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"voter", "I'm a Reform voter and proud of it.", profile.PoliticalOpinions},
		{"aelod o", "Aelod o UCAC ers 2015.", profile.TradeUnionMembership},
	})
	expectQuiet(t, []quietCase{
		{"voters as a topic", "We polled Green voters in three wards for the council."},
	})
}

// TestAdjustmentsInShorthand: "RA req" is a recruiter's note of reasonable
// adjustments asked for; "RA" alone is a job.
func TestAdjustmentsInShorthand(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"ra req", "RA req - step-free access and a later start.", profile.Health},
		{"ras requested", "RAs requested at interview: ramp access.", profile.Health},
	})
	expectQuiet(t, []quietCase{
		{"a job", "RA: research assistant, 2019-2021."},
	})
}

// TestYourAnswerLines: "Your answer:" under a question answers it as "Answer:"
// does.
func TestYourAnswerLines(t *testing.T) {
	expectTagged(t, []taggedCase{
		{"yes and a union", "Do you belong to a trade union?\nYour answer: Yes - GMB", profile.TradeUnionMembership},
	})
	expectQuietInEveryMode(t, []quietCase{
		{"no", "Do you belong to a trade union?\nYour answer: No"},
	})
}

// TestTrapExplainsOnlyItsWords: a gazetteer trap vetoes the sure additions of
// a sentence only when it holds all of the category's words; a condition named
// beside a team's name is still the writer's.
func TestTrapExplainsOnlyItsWords(t *testing.T) {
	d := NewDoc("I've had PTSD since the birth, under the perinatal mental health team till 2024.")
	si, start := sentenceOf(t, d, "PTSD")
	if d.contextRejectsLight(si, catHealth, start) {
		t.Error("a condition beside a team's name was rejected")
	}
	d = NewDoc("Mental Health Nurse at Riverside NHS Foundation Trust since 2017.")
	si, start = sentenceOf(t, d, "Nurse")
	if !d.contextRejectsLight(si, catHealth, start) {
		t.Error("a job title alone was let through")
	}
}
