package specialcat

import (
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read from blind batches 8, 9 and 10, each tested in new
// wording (none of these texts is in the labelled set).
func TestBlind8to10Classes(t *testing.T) {
	cases := []taggedCase{
		// Sexual orientation through a couple of one gender, stated in passing.
		{"couple, both of one gender", "My partner and I (both men) are moving to Leeds in May.", profile.SexLifeOrientation},
		{"couple, we are both women", "My fiancée and I are both women, so the form's options confused us.", profile.SexLifeOrientation},
		{"two dads", "My husband and I are two dads to a toddler, so I need a later start.", profile.SexLifeOrientation},
		{"two mums", "My wife and I are two mums raising twins.", profile.SexLifeOrientation},
		{"same-sex marriage", "My husband and I had one of the first same-sex weddings in Belfast.", profile.SexLifeOrientation},
		{"same-sex couple", "My partner and I were the only same-sex couple on the estate.", profile.SexLifeOrientation},
		// Religion as an aside: observance named by the day or the prayer.
		{"friday prayer by name", "Could I step out at 1pm on Fridays for Jumu'ah?", profile.ReligiousBeliefs},
		{"friday prayers as an aside", "I leave early on Fridays, it's for Jummah.", profile.ReligiousBeliefs},
		{"holy days off", "I'd need Passover and Yom Kippur off.", profile.ReligiousBeliefs},
		{"born-again", "I became a born-again Christian at university.", profile.ReligiousBeliefs},
		{"sunday school at our chapel", "I teach Sunday school at our Methodist chapel.", profile.ReligiousBeliefs},
		{"jain diet", "I'm Jain, so no onion or garlic at the lunch please.", profile.ReligiousBeliefs},
		{"atheist as a form answer", "Religion or belief - atheist", profile.ReligiousBeliefs},
		{"pilgrimage of one's own", "I'm away on my parish pilgrimage to Walsingham in June.", profile.ReligiousBeliefs},
		{"church role in a list", "Interests\nChurch elder at a Pentecostal fellowship in Croydon", profile.ReligiousBeliefs},
		// Ethnicity as an aside or under a label the monitoring forms do not use.
		{"tribe label", "Tribe: Hausa", profile.RacialEthnicOrigin},
		{"caste label", "Caste: Jat", profile.RacialEthnicOrigin},
		{"by heritage", "I'm Tamil by heritage, born in Jaffna.", profile.RacialEthnicOrigin},
		{"brown woman", "being a brown woman in finance taught me patience", profile.RacialEthnicOrigin},
		// Genetic: a carrier result, a positive gene test of one's own.
		{"carrier result", "Genetic screening result: cystic fibrosis carrier.", profile.Genetic},
		{"premutation carrier", "I am a fragile X premutation carrier.", profile.Genetic},
		{"gene-positive", "I tested gene-positive for Huntington's last year.", profile.Genetic},
		{"tested positive for the mutation", "My brother and I both tested positive for the BRCA2 mutation.", profile.Genetic},
		{"pathogenic variant", "Sequencing found a pathogenic variant in my MYBPC3 gene.", profile.Genetic},
		// Third round: custody, striking with one's union, dialysis, a limb lost.
		{"in prison abroad", "I was in prison in Latvia for eight months.", profile.CriminalConvictions},
		{"on strike with a union", "I went on strike with the NEU in 2023.", profile.TradeUnionMembership},
		{"irish teachers' union", "Member of the INTO since 2012.", profile.TradeUnionMembership},
		{"haemodialysis", "I go for haemodialysis three mornings a week.", profile.Health},
		{"a limb lost", "I lost my left leg in Afghanistan and walk with a prosthetic leg.", profile.Health},
		// A union's rep role by its own name.
		{"deputy of a union", "I'm the Equity deputy on our current tour.", profile.TradeUnionMembership},
		// Politics through campaigning verbs and a party said as one's own.
		{"leafleting for a party", "I leaflet for the Greens every spring.", profile.PoliticalOpinions},
		{"a party through and through", "I'm Tory through and through.", profile.PoliticalOpinions},
		// Custody said plainly.
		{"locked up", "I got locked up for six months in 2016.", profile.CriminalConvictions},
		{"was in prison", "I was in prison for two years for theft.", profile.CriminalConvictions},
		{"while inside", "While I was inside I trained as a barber.", profile.CriminalConvictions},
		// Health: a disability benefit, a veterans' mental health service, treatment sessions.
		{"disability benefit", "I get PIP for my mobility.", profile.Health},
		{"veterans' service", "I'm registered with Op COURAGE.", profile.Health},
		{"dialysis sessions", "I have dialysis three mornings a week.", profile.Health},
		{"infusions", "I'm on infliximab infusions every eight weeks.", profile.Health},
		// Biometric: enrolment in a face or signature system.
		{"enrolled in face entry", "I'm enrolled in the face recognition entry at the depot.", profile.Biometric},
		{"signature dynamics", "My signature dynamics were recorded for the e-sign system.", profile.Biometric},
	}
	expectTagged(t, cases)
}

// TestBlind8to10ClassesStayQuiet: the traps of these batches as classes.
func TestBlind8to10ClassesStayQuiet(t *testing.T) {
	cases := []quietCase{
		{"negated church-going", "I do not go to church."},
		{"negated mosque-going", "I don't go to the mosque any more."},
		{"never prays", "I never pray."},
		{"lab work on gene tests", "Senior Scientist, Genomics Lab\n- Report BRCA1 and Lynch syndrome panels"},
		{"dispensing an opioid substitute", "Pharmacy Technician (2019-2023)\n- Dispensing buprenorphine daily"},
		{"a school's faith", "Our academy is a Catholic school that welcomes staff of every faith."},
		{"a question about hiring", "Would your firm employ someone with a criminal record?"},
		{"a referee's party", "My second referee, Mr Dunne, is a Conservative councillor."},
		{"refused disability answer", "I would rather not say whether I am disabled."},
		{"a dissertation on membership", "Dissertation: falling union membership in Scottish shipyards, 1970-2000."},
		{"a specialist nurse with a device", "Epilepsy Specialist Nurse with VNS expertise."},
		{"talks with a union", "I've been in talks with Unite about the pay deal as HR manager."},
		{"a heritage job label", "Heritage: National Trust volunteer, 2019-2022"},
		{"a seed", "I get pip from the garden centre."},
		{"prison ministry", "I was in prison ministry for six years at our church."},
		{"visiting a prison", "I visited the prison weekly as a literacy tutor."},
		{"working through a strike", "I kept the depot running during the RMT strike."},
		{"into as a word", "I moved into a new role at Unite in 2020."},
		{"managing others' dialysis", "Renal Nurse (2019-2024)\n- Manage haemodialysis for 20 patients"},
		{"fitting prostheses", "I fitted prosthetic legs for amputees at the limb centre."},
		{"neither community ticked", "[X] I am a member of neither the Protestant nor the Roman Catholic community"},
	}
	expectQuiet(t, cases)
}

// TestHealthCourseJoinsTheDisclosure: the sentences right after a health
// disclosure that tell its course join its span; a blank line, someone else, a
// question or a sentence without a course word ends it.
func TestHealthCourseJoinsTheDisclosure(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"course in two sentences",
			"I was diagnosed with lupus in 2018. Mostly stable on hydroxychloroquine. Fatigue is the hard part. I enjoy hillwalking.",
			"I was diagnosed with lupus in 2018. Mostly stable on hydroxychloroquine. Fatigue is the hard part."},
		{"next paragraph", "I have asthma.\n\nStable team of five, all trained in-house.", "I have asthma"},
		{"someone else's course", "I have epilepsy. My brother's seizures are well controlled now.", "I have epilepsy"},
		{"a question after", "I have diabetes. Will my insulin need a fridge at the depot?", "I have diabetes"},
		{"no course word", "I have dyslexia. I managed a team of ten at Argos.", "I have dyslexia"},
		{"the next list item", "Experience\n - I have asthma, so I led the inhaler audit\n - Stable rota for the controlled-drugs cabinet", "I have asthma"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, tg := range Detect(c.text) {
				if tg.Category == profile.Health {
					got = append(got, tg.Evidence)
				}
			}
			if len(got) != 1 || strings.TrimRight(got[0], ".") != strings.TrimRight(c.want, ".") {
				t.Errorf("health evidence %q, want [%q]", got, c.want)
			}
		})
	}
}

// TestNegatedPracticeStaysQuietInEveryMode: a denied practice is no disclosure,
// for the rules and for the learned modes alike.
func TestNegatedPracticeStaysQuietInEveryMode(t *testing.T) {
	for _, mode := range LearnedModes {
		detect, err := DetectorFor(mode)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{
			"I do not go to church.",
			"I'm not religious and I don't go to church.",
			"I never go to the mosque.",
			"I do not attend any place of worship.",
			"I have never been a member of a political party.",
			"I don't belong to a union.",
		} {
			if got := detect(text); len(got) > 0 {
				t.Errorf("%s: %q tagged %v", mode, text, got)
			}
		}
	}
}
