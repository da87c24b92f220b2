package specialcat

import (
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read from blind batch 7, each tested in new wording (none of
// these texts is in the labelled set). First the trap hits: text that must stay
// untagged.
func TestBlind7ClassesStayQuiet(t *testing.T) {
	cases := []quietCase{
		// A disease or absence word that names the data of the writer's work.
		{"disease genomics as work", "Research Scientist, Crick Institute\n - Cancer genomics pipelines; tumour sequencing QC"},
		{"absence tracking as work", "Payroll Officer, Acme Ltd (2015-2018)\n - Sickness absence tracking across three depots"},
		// One item of a list of modifiers that share a head noun.
		{"networks named in a list", "I chaired our disability, carers and race equality networks at the council."},
		{"staff networks after a plus", "Set up the company's LGBTQ+, disability and faith staff networks."},
		// Explaining, discussing, dispensing: the writer's work on others' conditions.
		{"explaining a test", "I routinely explain carrier testing for cystic fibrosis to couples."},
		{"discussing a test", "I regularly discuss predictive testing for motor neurone disease with families."},
		{"dispensing medicines", "Pharmacy Dispenser, Boots: dispensed methadone and insulin prescriptions."},
		{"a condition as a general challenge", "I understand the challenges of living with a chronic illness."},
		// Screening exports: an empty "A:", a deferral, a note in nested brackets.
		{"empty written-out answer", "Q: What is your religion or belief? A:"},
		{"answer deferred to a conversation", "Q: Are there any convictions we should know about? A: would rather explain in person"},
		{"note with nested brackets", "Q: Any cautions, convictions or fixed penalties? (Rehabilitation of Offenders (NI) Order 1978 applies)\nA: none"},
		// Count-of-days labels, a creed of one's trade.
		{"days of absence counted", "Health declaration\n5. Number of days sickness absence in last 12 months:  0\nDeclaration: true"},
		{"professional creed", "I have real conviction that testing saves money; you could call it my professional faith."},
		// Forms typed as text: numbering with no stop, blank option rows, "__" blanks,
		// a group's heading over its own box rows, examples in a label answered no.
		{"blank option rows under a numbered question", "Q1 Community background (please tick ONE)\n  Protestant ......... \n  Roman Catholic ..... \n  Neither ............ ✓\n"},
		{"underscore blanks", "Q6 Disability:  __ Yes   ✓ No"},
		{"conditions given as examples, answered no", "B2 Breathing problems (e.g. asthma, COPD):  NO"},
		{"unticked boxes, refusal ticked", "[ ] Gay man  [x] Prefer not to say"},
		{"ticked box without an identity", "[x] I have read the equality policy"},
		{"a trade's union as a topic", "I wrote a history of the miners' union for my dissertation."},
		{"a name that is a prayer's", "Isha Patel, Senior Analyst"},
		{"building a keystroke model", "Built a keystroke dynamics model for fraud detection."},
		{"selling scanners", "We sell finger scanners to gyms."},
		{"someone else's carrier status", "My sister is a carrier for cystic fibrosis."},
		{"scheme assessor", "Access to Work assessor, Remploy (2018-2020)"},
		{"scheme claims", "Processed Access to Work claims for 40 clients."},
		{"a clinic run", "Ran the methadone clinic at HMP Leeds."},
		{"clients in rehab", "Supported clients in rehab for alcohol."},
		{"discharge cases", "Managed medical discharge cases for the regiment."},
		{"being at a conference", "I will be at the conference all day."},
		{"leading a team", "I lead the church's youth football team."},
		{"the form asks about activity", "Describe your political activity, if any.\nNone - I am not a member of any party."},
		{"an elder sibling", "I'm the elder of two sisters."},
		{"skills between bars", "Skills: Python | Diabetes care | SQL"},
		{"families from a community", "I support families from the Roma community."},
		{"a language spoken", "I speak Tigrinya and Arabic."},
		{"a language list", "Languages: Tigrinya, Arabic, English"},
		{"a photo taken by others", "She took my photo for the pass."},
		{"proud of a community", "Proud supporter of the Sikh community"},
		{"self-declaration, none", "PVG self-declaration: none"},
		{"dissertation topic", "Wrote my dissertation on indyref and the media."},
		{"thesis topic", "My MSc thesis on Crohn's disease outcomes won a prize."},
		{"best-describes question, no identity", "Which of these best describes you? Full-time student"},
		{"optional label, refusal ticked", "Political opinion (optional)\n   Broadly unionist [ ]    Broadly nationalist [ ]    Prefer not to say [X]"},
	}
	expectQuiet(t, cases)
}

// TestBlind7Classes: what the rules above must still let through.
func TestBlind7Classes(t *testing.T) {
	cases := []taggedCase{
		{"list of own conditions", "I have asthma, eczema and a nut allergy.", profile.Health},
		{"two own conditions before a clause", "I have epilepsy and dyspraxia, so I cannot drive.", profile.Health},
		{"belief and a membership", "I'm an atheist and a member of Humanists UK.", profile.ReligiousBeliefs},
		{"explaining one's own condition", "I explain my dyslexia to every new manager.", profile.Health},
		{"the writer's fact after a general challenge", "I understand the challenge of living with a chronic illness first-hand: I have lupus.", profile.Health},
		{"answer after a note in nested brackets", "Q: Any cautions or convictions? (ROA (NI) applies) A: yes, shoplifting 2015", profile.CriminalConvictions},
		{"written-out answer", "Q: Religion? A: Sikh", profile.ReligiousBeliefs},
		{"ticked row after a leader", "Community background (tick one)\n  Protestant ......... \n  Roman Catholic ..... ✓\n  Neither ............ \n", profile.ReligiousBeliefs},
		{"ticked underscore blank", "Q6 Disability:  ✓ Yes   __ No", profile.Health},
		{"conditions given as examples, answered yes", "B1 Digestive problems (e.g. Crohn's, colitis, IBS):  YES", profile.Health},
		{"ticked box under a group heading", "What is your ethnic group? Tick ONE box.\n C. Asian, Scottish Asian or British Asian ........ (none ticked)\n D. Caribbean or Black\n    ✔ Caribbean, Caribbean Scottish or Caribbean British\n E. Other ethnic group ........ (none ticked)", profile.RacialEthnicOrigin},
		{"follow-up question after a condition", "If neither: what religion, if any, were you brought up in?  Methodist (lapsed)", profile.ReligiousBeliefs},
		{"union answer with a denial of a role", "Union: Usdaw (member, not a rep)", profile.TradeUnionMembership},
		// Recall classes.
		{"carrier for", "I am told I'm a carrier for haemophilia, so I bruise easily.", profile.Genetic},
		{"balanced translocation", "I carry a balanced translocation, found during IVF.", profile.Genetic},
		{"inherited conditions label", "Inherited conditions: Factor V Leiden (heterozygous)", profile.Genetic},
		{"inherited blood condition question", "Blood-borne virus or inherited blood condition?\n  Beta thalassaemia trait (carrier only)", profile.Genetic},
		{"finger print in two words", "my finger print was enrolled on the site clock last year", profile.Biometric},
		{"finger scanner accepted", "im fine with the finger scanner at the gate", profile.Biometric},
		{"keystroke dynamics", "A keystroke-dynamics profile was set up for me for the bank's typing authentication.", profile.Biometric},
		{"ticked identity with no question", "[X] Heterosexual / straight", profile.SexLifeOrientation},
		{"ticked faith with no question", "[x] Muslim", profile.ReligiousBeliefs},
		{"as a … with a bracketed aside", "as a mixed race man (english dad, nigerian mum) I know the feeling", profile.RacialEthnicOrigin},
		{"daily prayers by name", "The candidate asked for a room for Fajr and Maghrib prayers during night shifts.", profile.ReligiousBeliefs},
		{"irish union", "I joined SIPTU in 2012.", profile.TradeUnionMembership},
		{"a trade's union", "In Romania I was in the miners' union for ten years.", profile.TradeUnionMembership},
		{"access to work", "I have Access to Work funding for a job coach and speech software.", profile.Health},
		{"medical discharge", "Medically discharged from the Army in 2021.", profile.Health},
		{"an operation said op", "Since my heart op last year I avoid heavy lifting.", profile.Health},
		{"substitute prescribing", "I'm on methadone through a recovery programme.", profile.Health},
		{"rehab in a profile", "Candidate profile\nHe was in rehab for alcohol in 2019 and has been sober four years.", profile.Health},
		{"fellowship in a profile", "Candidate profile\nHe still goes to AA on Mondays.", profile.Health},
		{"everyday cardiac medicine", "I'm on statins and blood thinners.", profile.Health},
		{"bowel operation", "I had a bowel resection in 2020.", profile.Health},
		{"being at a place of worship", "I'll be at the mosque that morning for Eid.", profile.ReligiousBeliefs},
		{"leading a sabbath school", "I lead the Sabbath school at our chapel.", profile.ReligiousBeliefs},
		{"travelling community", "I'm a member of the Travelling community on my mum's side.", profile.RacialEthnicOrigin},
		{"probation appointment", "cant make monday, got my probation appointment at 11", profile.CriminalConvictions},
		{"driving without insurance", "One conviction: driving without insurance, 2020, 6 points and a fine.", profile.CriminalConvictions},
		{"opposition party member", "I was a member of the opposition party before I fled.", profile.PoliticalOpinions},
		{"arrested for own political activity", "I was jailed for my political activities.", profile.PoliticalOpinions},
		{"prolapsed disc", "i have a prolapsed disc so 10kg max", profile.Health},
		{"sight impaired", "I am registered severely sight impaired.", profile.Health},
		{"blood pressure tablets", "I am on tablets for blood pressure.", profile.Health},
		{"time off due to illness", "5. Any time off in the last year due to illness?   4 days (chest infection)", profile.Health},
		{"optional label over trailing boxes", "Political opinion (optional)\n   Broadly unionist [ ]    Broadly nationalist [X]    Other [ ]", profile.PoliticalOpinions},
		{"self-declaration lists offences", "PVG self-declaration: breach of the peace, Dundee Sheriff Court, 2018.", profile.CriminalConvictions},
		{"variant name", "I have cystic fibrosis (two copies of F508del).", profile.Genetic},
		{"tremor", "As someone with a fragile X premutation I get a mild tremor.", profile.Health},
		{"implanted defibrillator", "I have an ICD fitted since my cardiac arrest.", profile.Health},
		{"colloquial back", "me back's knackered from 20 yrs roofing", profile.Health},
		{"referendum campaign", "i campaigned for Yes in indyref and still march", profile.PoliticalOpinions},
		{"best-describes question, ethnicity", "Which of these best describes you? Mixed - White and Black Caribbean", profile.RacialEthnicOrigin},
		{"best-describes question, faith", "Which of these best describes you? Christian", profile.ReligiousBeliefs},
		{"from a community", "I am from Roma community, my family came from Slovakia.", profile.RacialEthnicOrigin},
		{"ethnic group that is also a language", "I am from Sudan, I am Tigrinya, and I came in 2019.", profile.RacialEthnicOrigin},
		{"somali bantu", "i am somali bantu, came here as a child.", profile.RacialEthnicOrigin},
		{"the writer's prints taken by others", "They took my prints for the visa.", profile.Biometric},
		{"headline item after a bar", "Headline: Data Engineer | Proud lesbian | Mum of two", profile.SexLifeOrientation},
		{"answer after an instruction", "Q2. Have you had any time off sick in the last two years? Give number of episodes and reason.\nA: 2 episodes, total 9 days - a flare-up of asthma.", profile.Health},
	}
	expectTagged(t, cases)
}

// TestBoxesAnswerOnlyTheirQuestion: after a blank line, the next question's boxes
// answer that question, not the one before it.
func TestBoxesAnswerOnlyTheirQuestion(t *testing.T) {
	text := "2. Political opinion (optional)\n   Broadly unionist [ ]   Broadly nationalist [X]   Other [ ]\n\n3. Racial group:  White [X]  Irish Traveller [ ]"
	racial := strings.Index(text, "Racial group")
	for _, tag := range Detect(text) {
		if tag.Category == profile.PoliticalOpinions && tag.End > racial {
			t.Errorf("the racial-group row answered the politics question: %v", tag)
		}
	}
}

// TestBoxUnderGroupHeadingIsEvidence: the ticked row, not the group's heading
// above it, is the evidence.
func TestBoxUnderGroupHeadingIsEvidence(t *testing.T) {
	text := "What is your ethnic group? Tick ONE box.\n D. Caribbean or Black\n    ✔ Caribbean, Caribbean Scottish or Caribbean British\n"
	tags := Detect(text)
	if len(tags) != 1 || !strings.Contains(tags[0].Evidence, "Caribbean British") || strings.Contains(tags[0].Evidence, "D.") {
		t.Errorf("want one tag on the ticked row, got %v", tags)
	}
}
