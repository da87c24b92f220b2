package specialcat

import (
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read from blind batch 5, each tested in new wording (none of
// these texts is in the labelled set).
func TestBlind5Classes(t *testing.T) {
	cases := []taggedCase{
		// Tick-box layouts: several options on a row, and the box after its option.
		{"ticked option mid-row", "Sexual orientation\n  [ ] Straight  [ ] Gay  [x] Asexual  [ ] Prefer not to say", profile.SexLifeOrientation},
		{"box after the option", "Religion or belief\n  None    [ ]\n  Hindu   [X]\n  Prefer not to say [ ]", profile.ReligiousBeliefs},
		{"box after a labelled option", "Ethnic group\n  White: Irish        [ ]\n  Asian: Indian       [x]\n  Prefer not to say   [ ]", profile.RacialEthnicOrigin},
		{"written-in other", "Faith\n  Christian [ ]  Muslim [ ]  Other, please state [x] Jain", profile.ReligiousBeliefs},
		// A question whose prompt runs over a line ending in a colon.
		{"prompt line before the boxes", "Community background\nMost employees are treated as one community or the other. Please tick the one that applies to you:\n  [ ] Protestant\n  [x] Roman Catholic", profile.ReligiousBeliefs},
		// A bracketed note in the label or between the question and its answer.
		{"note inside a label", "Ethnic origin (describe it in any words you like): Kurdish", profile.RacialEthnicOrigin},
		{"note after a question", "Are you a trade union member? (used only for rota planning): Unite", profile.TradeUnionMembership},
		// An "Answer:" line after a list of options answers the question above it.
		{"answer after options", "What is your ethnic group?\nTick one box.\n  A White\n  B Black: African, Caribbean\n  Answer: B - Black Caribbean", profile.RacialEthnicOrigin},
		// A withheld label followed by the facts.
		{"bare line with its answer in brackets", "Trade union member (Prospect)", profile.TradeUnionMembership},
		// The writer's statement before a question tail is still a statement.
		{"statement then question", "I have epilepsy, so would a ground-floor room be possible?", profile.Health},
		{"statement dash question", "One thing: I'm a practising Sikh - is a turban fine with the uniform?", profile.ReligiousBeliefs},
		// A refusal answers the question; a disclosure after it is still read.
		{"disclosure after a refusal", "Q: Any unspent convictions?\nA: None. I received a caution for affray at 16, now spent.", profile.CriminalConvictions},
		// Lexicon variants by category (data files).
		{"health operation", "I'm off for a hernia repair in May, so I'd need two weeks.", profile.Health},
		{"health fracture", "I'm recovering from a broken wrist.", profile.Health},
		{"health injury after my", "My knee injury from rugby means I can't kneel for long.", profile.Health},
		{"health recovery", "I've been clean for four years and go to meetings weekly.", profile.Health},
		{"criminal scottish disposal", "I was admonished at the Sheriff Court in 2018 for a breach of the peace.", profile.CriminalConvictions},
		{"ethnicity group", "I'm Telugu, raised in Hyderabad and Leicester.", profile.RacialEthnicOrigin},
		{"orientation short form", "I'm pan and out at work.", profile.SexLifeOrientation},
		{"biometric liveness", "I completed the selfie video and liveness check for the right-to-work step.", profile.Biometric},
		{"biometric body part enrolled", "I had my thumb enrolled on the gate reader.", profile.Biometric},
		{"religion practice", "I help at my local masjid's iftar every Ramadan.", profile.ReligiousBeliefs},
		{"union professional", "I joined the PDA Union when I qualified.", profile.TradeUnionMembership},
		// A recruiter's note names the candidate as "Candidate"/"Applicant".
		{"recruiter note candidate", "Candidate identifies as British Pakistani.", profile.RacialEthnicOrigin},
		{"recruiter note applicant", "Applicant has a spent caution for theft from 2012.", profile.CriminalConvictions},
		// A label's cue reaches every item of the list after it.
		{"label cue over a list", "Memberships: Chartered Institute of Housing; UNISON", profile.TradeUnionMembership},
		// A membership cue in a bracket after the name, and organising with a union.
		{"bracketed membership", "I organise with the GMB (member since 2016) at the depot.", profile.TradeUnionMembership},
		{"office in a party group", "I was President of the Young Greens at Leeds.", profile.PoliticalOpinions},
		// A heritage line opening with "Half-".
		{"half heritage line", "Half-Ghanaian, half-Yorkshire, and proud of both.", profile.RacialEthnicOrigin},
		// An answer on the next line written "Yes - details".
		{"dashed answer line", "Any convictions?\nYes - possession of cannabis, 2017, fined.", profile.CriminalConvictions},
		// The writer's declared pronouns give their gender for a partner.
		{"declared pronouns and a partner", "Alex Morgan\nPronouns: he/him\n\nMy husband and I restore old boats.", profile.SexLifeOrientation},
		// An identity set off as a phrase of its own describes the writer.
		{"apposition after a dash", "Raised in Croydon - a Tamil girl with big plans.", profile.RacialEthnicOrigin},
		{"apposition opening a line", "A proud Sikh lad from Leicester, now in Bristol.", profile.ReligiousBeliefs},
		// Roles held in a congregation.
		{"role in a congregation", "CANDIDATE PROFILE\nTunde has led warehouse teams for years. He is an elder at his local Baptist chapel.", profile.ReligiousBeliefs},
		{"gendered partner adjective", "I'm a woman and share a flat with my female partner.", profile.SexLifeOrientation},
		// "Please note my …" is the writer's statement, not a form's request.
		{"please note statement", "Please note my fingerprint template is held on the site turnstiles.", profile.Biometric},
		{"health spinal operation", "Yes - I had a microdiscectomy in 2023, fully recovered.", profile.Health},
		{"contrast after refusal", "Disabled?   No, but I have ME and tire easily in the afternoons", profile.Health},
	}
	expectTagged(t, cases)
}

// TestBlind5ClassesStayQuiet: the new rules must not reach these.
func TestBlind5ClassesStayQuiet(t *testing.T) {
	cases := []quietCase{
		{"refusal ticked mid-row", "Sexual orientation\n  [ ] Straight  [ ] Gay  [x] Prefer not to say"},
		{"refusal box after option", "Religion\n  Buddhist [ ]\n  No religion [X]"},
		{"no box ticked", "Ethnicity\n  Black [ ]  Asian [ ]  White [ ]"},
		{"question and boxes after an earlier question", "Sexual orientation\n  [x] Prefer not to say\nAre you a carer?   [x] Yes  [ ] No"},
		{"instruction is not the answer", "What is your religion?\nTick one box only.\n\nThank you."},
		{"note then refusal", "Are you in a trade union? (this is optional): prefer not to say"},
		{"answer line without a question", "Answer: Muslim Aid charity shop, Saturdays"},
		{"plain refusal", "Any disability?   No, none."},
		{"injury as a topic", "Handled injury claims for a motor insurer."},
		{"liveness as work", "Built a liveness check for a banking app."},
		{"recovery words about a room", "Our kitchen has been clean for every inspection."},
		{"a name, not a group", "I'm Karen, the new office manager."},
		{"pan as a word", "Stock controller for pan and cookware ranges."},
		{"languages list", "Languages: English, Telugu, Marathi"},
		{"refusing a biometric act", "I would rather not have my iris scanned at the gate."},
		{"declining a biometric act", "I declined to give my voiceprint to the bank."},
		{"negation before my", "Youth worker at a Methodist church for two years - my job, not my faith."},
		{"an ally, with a plus sign", "My cousin is a lesbian and I'm an ally of LGBTQ+ inclusion work."},
		{"a prompt ending in a colon", "Religious or dietary needs we should plan for:"},
		{"a non-conviction as the answer", "Do you have any motoring convictions?\nSpeed awareness course, 2022"},
		{"arrest without charge", "I was arrested at a climate protest and released without charge."},
		{"hypothetical conviction", "If I were ever convicted of an offence I would tell my manager."},
		{"a job ad's candidate", "Candidate must hold a full driving licence and be a member of a professional body."},
		{"partner with neutral pronouns", "Pronouns: they/them\nMy wife and I restore old boats."},
		{"partner of the other gender", "Sam (she/her)\nMy husband and I restore old boats."},
		{"a group member as an object", "We supported a Muslim woman with her housing claim."},
		{"a mentee", "Mentor to a Black woman in tech, 2021-2023."},
		{"elder sibling", "I'm the elder of two sisters."},
		{"business partner", "I'm a woman; my female business partner and I run a café."},
		{"partner of the other gender by adjective", "I'm a woman and share a flat with my male partner."},
		{"extra time for others", "Gave candidates extra time on the numeracy test."},
		{"extra time at work", "I worked extra time at weekends."},
		{"question put to the candidate", "Do you have a disability, so could we plan for it?"},
		{"question with a clause", "Is your diabetes, or anything else, likely to affect night shifts?"},
		{"refusal then more denial", "Q: Any unspent convictions?\nA: No. I have never been in trouble with the police."},
	}
	expectQuiet(t, cases)
}

// TestTickedOptionEvidence: the evidence of a ticked option in a row is that
// option with its box, not the unticked ones beside it.
func TestTickedOptionEvidence(t *testing.T) {
	for text, want := range map[string]string{
		"Sexual orientation\n  [ ] Straight  [x] Bisexual  [ ] Gay": "[x] Bisexual",
		"Religion\n  Christian [ ]  Sikh [x]  None [ ]":             "Sikh [x]",
	} {
		tags := Detect(text)
		if len(tags) != 1 || tags[0].Evidence != want {
			t.Errorf("%q: got %v, want one tag with evidence %q", text, tags, want)
		}
	}
}

// TestBlind5ClassesNotThisCategory: the right category is found and a look-alike
// word in the same text is not taken for another one.
func TestBlind5ClassesNotThisCategory(t *testing.T) {
	cases := []struct {
		name      string
		text      string
		want, not profile.Category
	}{
		{"eponym with a colour word", "I was diagnosed with Wolff-Parkinson-White syndrome at nineteen.", profile.Health, profile.RacialEthnicOrigin},
		{"going straight", "Did time for fraud in my twenties - been straight ever since.", profile.CriminalConvictions, profile.SexLifeOrientation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := categoriesOf(c.text)
			if !got[c.want] || got[c.not] {
				t.Errorf("got %v, want %s and not %s", got, c.want, c.not)
			}
		})
	}
}

// TestAccessArrangementInSpan: "extra time" leaning on a condition in the same
// sentence is part of the evidence, so redaction covers the request too.
func TestAccessArrangementInSpan(t *testing.T) {
	text := "I have dyspraxia and would appreciate extra time on the written exercise."
	want := strings.Index(text, "extra time") + len("extra time")
	for _, tag := range Detect(text) {
		if tag.Category == profile.Health && tag.End >= want {
			return
		}
	}
	t.Errorf("no health tag reaching the end of %q: %v", "extra time", Detect(text))
}
