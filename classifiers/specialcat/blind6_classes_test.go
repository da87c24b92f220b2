package specialcat

import (
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read from blind batch 6, each tested in new wording (none of
// these texts is in the labelled set). First the trap hits: text that must stay
// untagged.
func TestBlind6ClassesStayQuiet(t *testing.T) {
	cases := []quietCase{
		// A generic record as the subject of a rule: an article or "having" before
		// the term, a modal after it.
		{"policy on having a record", "This post needs an enhanced check. Having a criminal record will not\n  automatically rule you out."},
		{"writer repeats the policy", "I understand that a conviction may not stop me from being appointed."},
		{"filtered records need not be declared", "Spent cautions and convictions need not be declared on this form."},
		// Checklists laid out with dot leaders, answered no.
		{"checklist answered N", "Asthma or wheeze ........ N\nSeizures or fainting ..... N\nDepression or anxiety .... N"},
		{"export row answered No", "religion ............... Prefer not to say\ndisability ............. No"},
		// A question with its answer on the same line, and a quoted question.
		{"question answered inline", "Are you, or might you be, pregnant?   no"},
		{"quoted question", "I'm writing because question 9 says \"Do you have any hereditary\ncondition we should know about?\" and I wasn't sure what to put."},
		{"quoted question with optional note", "\"Which religion, if any, do you follow?\" (optional)"},
		// Items after a label that describes work.
		{"work label over a list", " • Caseworker on 30+ HR files a year: sickness absence, conduct, capability."},
		// A counterfactual "if".
		{"counterfactual partner", "If I were in a same-sex relationship, would my partner be covered by the scheme?"},
		// A practice after the writer denies the belief.
		{"practice after denial", "I'm not religious, but I am glad to go to chapel with the students at Christmas."},
		// A proper name wrapped over a line.
		{"name wrapped over a line", "I have advised the Information Commissioner and the Biometrics and\nSurveillance Camera Commissioner's office on retention."},
		// An option left unticked, its box after it.
		{"unticked trailing option", "Please indicate:\n   I do not want my fingerprint used - I will use a fob.   [X]\n   I consent to my fingerprint template being stored.      [ ]"},
		// A wing's extreme form as a work topic.
		{"extremism as content", "Reviewed posts on left- and right-wing extremism for a moderation vendor."},
		// Unlocking the writer's own gadget.
		{"a bracket with no cue after it", "Negotiated with Unite (the union) on behalf of the employer."},
		{"heading then a language list", "EDUCATION\nBA French\n\nLANGUAGES\nTamil, English"},
		{"proud of a group", "Proud to support Black, Asian and minority ethnic staff networks."},
		{"community as a client group", "I support the Sikh community centre's food bank as a volunteer driver."},
		{"writer's own wrapped question", "I've read that employers may not use predictive genetic test results,\nso I wasn't sure whether to declare it. Could you let me know?\n\nThanks,\nOmar"},
		{"details prompt answered none", "Any unspent convictions?\nNo\n\nIf yes, please give details:\nN/A"},
		{"details prompt with no question", "Work history\nPlease give details:\nWarehouse operative, 2019-2023."},
		{"dissertation under a degree", "EDUCATION\nBA Religious Studies, Durham\n\nDissertation\nSikh identity in the diaspora, 1960-2000"},
		{"quote of someone else in a write-up", "Candidate notes\nShe said her manager told her \"my door is always open\". Strong references."},
		{"named condition in a question about work", "Have you supported patients with diabetes?   Yes, for six years"},
		{"named condition answered no", "b) asthma or wheeze?               No"},
		{"details of conviction, none", "Details of conviction:\nNone"},
		{"fellowship as a service", "Volunteer driver for Alcoholics Anonymous meetings in Leeds."},
		{"orientation as an induction", "Orientation: 2 days on site, then shadowing the night team."},
		{"bare orientation line", "Orientation\nTwo days in the warehouse."},
		{"dash label, unticked group option", "Ethnic group - Black or Black British: Somali [ ]"},
		{"a spouse's family", "My wife's family are Irish Travellers."},
		{"a family's faith", "My family are Catholic."},
		{"a family's business", "My family's restaurant serves Gujarati food."},
		{"own phone unlock", "I pay with my thumbprint on my phone and log in to my laptop with my face."},
	}
	expectQuiet(t, cases)
}

// TestBlind6Classes: what the rules above must still let through.
func TestBlind6Classes(t *testing.T) {
	cases := []taggedCase{
		{"own record with a modal later", "I have a conviction for theft from 2016, which may show on the check.", profile.CriminalConvictions},
		{"checklist answered Y", "Asthma or wheeze ........ N\nDiabetes ................ Y  details: type 2, on metformin", profile.Health},
		{"export row with an underscore", "ethnic_group ........... Black British: Caribbean", profile.RacialEthnicOrigin},
		{"export row orientation", "sexual_orientation ..... Bisexual", profile.SexLifeOrientation},
		{"statement before a question tail", "I have Crohn's disease - would that be a problem?", profile.Health},
		{"real condition after if", "If my asthma flares up I use my inhaler and carry on.", profile.Health},
		{"bank-held voiceprint", "My voiceprint is held by my bank for telephone banking.", profile.Biometric},
		{"employer's cabinet", "I open the controlled-drugs cabinet with my fingerprint.", profile.Biometric},
		// Recall classes.
		{"name expanded in brackets before the cue", "Memberships\nEIS (Educational Institute of Scotland) member since 2012.", profile.TradeUnionMembership},
		{"belonging to a faith community", "I belong to the Baha'i community and fast in March.", profile.ReligiousBeliefs},
		{"heritage line with a bracketed detail", "Dual heritage (Ghanaian/Welsh). Keen cyclist.", profile.RacialEthnicOrigin},
		{"British heritage line under its own heading", "EDUCATION\nBSc Physics, University of Leeds\n\nOTHER\nBritish Pakistani (Punjabi). Member of the RCN.", profile.RacialEthnicOrigin},
		{"proud heritage opener", "Proud Welsh-Nigerian dad of two.", profile.RacialEthnicOrigin},
		{"recruiter note with a reporting verb", "NOTES\nQ3 (politics): Said he is a Plaid Cymru member and was branch chair until 2023.", profile.PoliticalOpinions},
		{"republican", "I'm a republican and campaign for an elected head of state.", profile.PoliticalOpinions},
		{"known carrier", "I'm a known carrier for sickle cell.", profile.Genetic},
		{"enzyme deficiency", "I'm G6PD deficient, so some antimalarials are out for me.", profile.Genetic},
		{"genetic result label", "Genetic test result: BRCA2 positive", profile.Genetic},
		{"sex offender register", "I'm a registered sex offender and the probation service knows about this job.", profile.CriminalConvictions},
		{"stammer verb", "I have stammered since I was small, so phone interviews are hard.", profile.Health},
		{"anticoagulant", "I take rivaroxaban for a clotting problem.", profile.Health},
		{"allergy label", "Allergies:   latex - hives", profile.Health},
		{"handprint", "I registered my handprint on the hand reader at the depot.", profile.Biometric},
		{"welsh union label", "Undeb / Union (optional):  NEU", profile.TradeUnionMembership},
		// A question wrapped over two lines, and a details prompt after the answer.
		{"wrapped question", "3. Have you ever been convicted of an offence (including spent ones, as this\n   post is exempt)?\n   Yes - theft from an employer 2014.", profile.CriminalConvictions},
		{"details after yes, second line", "Any unspent convictions?\nYes\n\nIf yes, please give details:\nSpeeding fine, 2022.\nCommon assault, Hull Crown Court, 2019 - 100 hours unpaid work and a two-year order.", profile.CriminalConvictions},
		// Box rows under a group's sub-label, a quote in a recruiter's note, terms
		// in a chain at a line's start, congregation roles before a place name,
		// catch-all headings the section finder does not know, protest movements.
		{"sub-label before boxes", "Ethnic group\n  White:   [ ] English  [ ] Irish\n  Mixed:   [ ] White and Asian  [x] White and Black African", profile.RacialEthnicOrigin},
		{"note quoting the candidate", "Call notes\nAsked about the gap: said he \"was inside\", then clarified he served a sentence\nat HMP Wealstun for robbery, released on licence in May.\nMentioned \"my back's bad\".", profile.CriminalConvictions},
		{"out and proud opener", "Out and proud bi woman, keen runner.", profile.SexLifeOrientation},
		{"identity after a heritage", "Proud Welsh-Nigerian Christian dad of two.", profile.ReligiousBeliefs},
		{"congregation role before a name", "Elder at the Church of the Nazarene, Leeds.", profile.ReligiousBeliefs},
		{"catch-all heading after education", "EDUCATION\nMSc Forensic Science\n\nOTHER\nMember of the Law Society. Elder at the Church of the Nazarene,\nLeeds Central.", profile.ReligiousBeliefs},
		{"protest movement", "She also mentions she took part in Extinction Rebellion protests in 2020.", profile.PoliticalOpinions},
		// A condition asked about by name and answered on its line; a form answer
		// naming a plain term of another category; a details label.
		{"named condition answered yes", "c) epilepsy or fits?                 Yes - last seizure 2015", profile.Health},
		{"form answer with another category's term", "Genetic condition: Huntington's disease, gene positive", profile.Health},
		{"details of conviction label", "Details of conviction:\nBurglary, 2018, 12 months suspended", profile.CriminalConvictions},
		{"party short form as identity", "He told us he is a lifelong Lib Dem and still delivers leaflets.", profile.PoliticalOpinions},
		{"lower-case party", "i canvass for the tories every may", profile.PoliticalOpinions},
		{"present-tense leafleting", "I still hand out leaflets for the local party most weekends.", profile.PoliticalOpinions},
		{"elected office held", "She served as a borough councillor for Hackney until 2022.", profile.PoliticalOpinions},
		{"recovery fellowship", "I go to an AA meeting every Wednesday evening.", profile.Health},
		{"medicine allergy", "I'm allergic to penicillin, so please note it for the OH check.", profile.Health},
		// A label that counts only with a term of its category in the answer, and a
		// dash ending the label before a colon inside the answer.
		{"orientation label with an orientation", "Orientation: straight", profile.SexLifeOrientation},
		{"orientation label with a dash", "Orientation - bi", profile.SexLifeOrientation},
		{"dash label then a group's colon", "Ethnic group - Black or Black British: Somali [x]", profile.RacialEthnicOrigin},
		// The writer's forebears' origin is the writer's own.
		{"family's ethnic group", "My family are Irish Travellers and I grew up on the road.", profile.RacialEthnicOrigin},
		{"parents' ethnic group", "My parents are both Gujarati, from Leicester.", profile.RacialEthnicOrigin},
		{"sikh initiation", "Additional: Keshdhari Sikh - I wear a kara.", profile.ReligiousBeliefs},
	}
	expectTagged(t, cases)
}

// TestDetailsLinesAreEvidence: after "If yes, please give details:", every line
// up to the blank line is the answer, so each is sealed and redacted, however
// long.
func TestDetailsLinesAreEvidence(t *testing.T) {
	text := "Any unspent convictions?\nYes\n\nIf yes, please give details:\nSpeeding fine, 2022.\n" +
		"Common assault, Hull Crown Court, 2019 - 100 hours unpaid work and a two-year supervision order.\n\nSignature: R. Kaur"
	for _, want := range []string{"Speeding fine", "Common assault"} {
		at := strings.Index(text, want)
		covered := false
		for _, tag := range Detect(text) {
			if tag.Category == profile.CriminalConvictions && tag.Start <= at && tag.End > at {
				covered = true
			}
		}
		if !covered {
			t.Errorf("%q is not in any criminal evidence: %v", want, Detect(text))
		}
	}
	if tags := Detect(text); len(tags) > 0 && strings.Contains(tags[len(tags)-1].Evidence, "Signature") {
		t.Errorf("details ran past the blank line: %v", tags)
	}
}

// TestWrappedQuestionEvidence: a yes to a question wrapped over two lines is
// the question's answer.
func TestWrappedQuestionEvidence(t *testing.T) {
	text := "Have you ever been convicted of an offence or received a caution (including any\nthat are now spent)?\nYes"
	for _, tag := range Detect(text) {
		if tag.Category == profile.CriminalConvictions && strings.HasSuffix(tag.Evidence, "Yes") {
			return
		}
	}
	t.Errorf("no criminal tag ending in the answer: %v", Detect(text))
}

// TestCarrierIsGeneticOnly: a condition the writer carries is genetic data, not
// a health condition they have.
func TestCarrierIsGeneticOnly(t *testing.T) {
	for _, text := range []string{
		"It is personal too: I'm a carrier of the delta F508 cystic fibrosis mutation.",
		"The test said I'm a sickle cell carrier. My GP said carriers are well.",
	} {
		got := categoriesOf(text)
		if !got[profile.Genetic] || got[profile.Health] {
			t.Errorf("%q: got %v, want genetic and not health", text, got)
		}
	}
	if got := categoriesOf("Testing confirmed I'm a BRCA1 carrier, and I had a preventive mastectomy in 2021."); !got[profile.Health] {
		t.Errorf("an operation in the clause after the carrier status: got %v", got)
	}
}

// TestWeakWordLeansOnEarlierTerm: a weak word the writer says of themself leans
// on a term of theirs in the sentence before, and on nothing else.
func TestWeakWordLeansOnEarlierTerm(t *testing.T) {
	text := "I should mention my dyspraxia. I'm medicated for it and it rarely shows."
	second := strings.Index(text, "I'm medicated")
	found := false
	for _, tag := range Detect(text) {
		if tag.Category == profile.Health && tag.Start >= second {
			found = true
		}
	}
	if !found {
		t.Errorf("no health tag on the second sentence: %v", Detect(text))
	}
	for _, quiet := range []string{
		"I'm medicated.",
		"My colleague has epilepsy. I had a flare-up of hay fever at the time.",
		"We had a flare-up of complaints after the rota change.",
	} {
		if got := Detect(quiet); len(got) > 0 {
			t.Errorf("%q: tagged %v", quiet, got)
		}
	}
}
