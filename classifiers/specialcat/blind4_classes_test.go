package specialcat

import (
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// Classes of error read from blind batch 4, each tested in new wording (none of
// these sentences is in the labelled set).
func TestBlind4Classes(t *testing.T) {
	cases := []taggedCase{
		// A question the writer asks for themself states their own need.
		{"request could I", "Could I have somewhere private to pray at midday during Ramadan?", profile.ReligiousBeliefs},
		{"request please could", "Partially deaf in one ear - please could the panel face me when speaking?", profile.Health},
		// Two origins joined by a hyphen make a heritage.
		{"hyphen origins", "I'm Welsh-Jamaican and grew up in Cardiff.", profile.RacialEthnicOrigin},
		{"hyphen origins as a", "As a British-Ghanaian man working in finance, I mentor new starters.", profile.RacialEthnicOrigin},
		// Abbreviations and short names.
		{"religion abbreviation", "I'm SDA, so I keep Saturday free.", profile.ReligiousBeliefs},
		{"religion shabbat observant", "Shabbat-observant, so no Friday evening shifts please.", profile.ReligiousBeliefs},
		{"health abbreviation", "I'm T2D and manage it with diet and metformin.", profile.Health},
		{"politics short party name", "Active in Plaid since university, mostly leafleting in Bangor.", profile.PoliticalOpinions},
		{"politics campaign group", "CND member since 2015.", profile.PoliticalOpinions},
		{"politics foreign party", "I volunteered for the Democratic Party in Michigan during the midterms.", profile.PoliticalOpinions},
		{"ethnicity compound American", "As an African-American woman, I bring a perspective the team lacked.", profile.RacialEthnicOrigin},
		{"biometric vein template", "My finger vein template is held on the vault door reader.", profile.Biometric},
		// Plain-English phrasings.
		{"politics independent", "I stood as an independent for the town council in 2019.", profile.PoliticalOpinions},
		{"politics referendum campaign", "I campaigned to remain in 2016 and still think it was right.", profile.PoliticalOpinions},
		{"health pregnancy", "I'm expecting my first baby in March, so I'd need leave from February.", profile.Health},
		{"genetic trait", "I have sickle cell trait, picked up at an antenatal screen.", profile.Genetic},
		{"criminal colloquial", "Got nicked for shoplifting at 17 and have kept my head down since.", profile.CriminalConvictions},
		{"criminal record abbreviation", "I have a record for GBH from 2016.", profile.CriminalConvictions},
		// A same-sex partner once the writer's own gender is stated.
		{"partner and stated gender", "My girlfriend will drive me to the interview - I'm a woman, for the record.", profile.SexLifeOrientation},
		{"partner in a profile", "CANDIDATE PROFILE\nKarim has led audit teams for ten years. He is moving to Leeds with his husband in June.", profile.SexLifeOrientation},
		// Hard-wrapped prose: a phrase split by a line break, also before a capital.
		{"wrapped union phrase", "Last year I was elected as the GMB shop\nsteward for the night shift.", profile.TradeUnionMembership},
		{"politics list candidate", "I was a list candidate for the Senedd in 2021.", profile.PoliticalOpinions},
		{"politics monitoring label", "Political opinion: Nationalist", profile.PoliticalOpinions},
	}
	expectTagged(t, cases)
}

// TestBlind4ClassesStayQuiet: the new rules and words must not reach these.
func TestBlind4ClassesStayQuiet(t *testing.T) {
	cases := []quietCase{
		{"question to the candidate", "Could you tell us about any health conditions or disabilities?"},
		{"question with we", "Do you have any unspent criminal convictions?"},
		{"hyphenated adjectives", "I led the Franco-German supplier audit in 2022."},
		{"expecting at work", "We are expecting a busy quarter and I plan the rota for it."},
		{"conviction as belief", "It is my firm conviction that good data beats opinion."},
		{"instruction to declare", "Applicants must declare any convictions that are not protected."},
		{"convictions to be declared", "Convictions to be declared for this post are listed in the guidance notes."},
		{"wrapped heading lines", "Skills\nFirst aid"},
		{"negation wrapped before a capital", "For the avoidance of doubt, I have never been diagnosed with\nEpilepsy or any seizure disorder."},
		{"head and preposition", "She coordinates clinics for Crohn's disease and ulcerative colitis."},
		{"head and preposition, first person", "I run support groups for epilepsy and\nmigraine across the county."},
		{"partner, gender not stated", "My husband and I both work in logistics."},
		{"partner, different gender", "I'm a woman and my husband is a teacher."},
		{"partner, genders disagree", "I'm a woman. My son is a man now and his wife is lovely."},
		{"compound American as a topic", "I taught Native American history at a sixth-form college."},
		{"party planner", "I organise corporate parties and product launches as a party planner."},
	}
	expectQuiet(t, cases)
}

// TestConvictionDetailsJoinTheDisclosure: the court, sentence and probation that
// follow a disclosure in its paragraph are one span with it; a conviction in the
// next paragraph is a span of its own.
func TestConvictionDetailsJoinTheDisclosure(t *testing.T) {
	text := "I was convicted of criminal damage in 2019 at Hull Magistrates' Court and given a community order.\n" +
		"My probation officer can confirm I completed it early.\n\n" +
		"I also received a police caution in 2015 for a public order offence."
	var crim []profile.Tag
	for _, tg := range Detect(text) {
		if tg.Category == profile.CriminalConvictions {
			crim = append(crim, tg)
		}
	}
	if len(crim) != 2 {
		t.Fatalf("want 2 criminal spans (one per paragraph), got %d", len(crim))
	}
	para := strings.Index(text, "\n\n")
	if crim[0].Start != 0 || crim[0].End <= strings.Index(text, "My probation") || crim[0].End > para {
		t.Errorf("first span %d-%d should run from the disclosure through the probation line, within the paragraph", crim[0].Start, crim[0].End)
	}
	if crim[1].Start < para {
		t.Errorf("second span starts at %d, inside the first paragraph", crim[1].Start)
	}
	if crim[0].Evidence != text[crim[0].Start:crim[0].End] {
		t.Error("evidence does not match the merged offsets")
	}
}

// TestQuestionNoteIsNotTheAnswer: a bracketed note after a question, even one
// that wraps onto the next line, is part of the question; the answer is the line
// after it.
func TestQuestionNoteIsNotTheAnswer(t *testing.T) {
	text := "Have you ever been convicted of an offence? (Include cautions, unless this post is not covered by the\nExceptions Order.)\nYes\n"
	tags := Detect(text)
	answer := strings.Index(text, "Yes")
	if len(tags) != 1 || tags[0].Category != profile.CriminalConvictions {
		t.Fatalf("want one criminal tag, got %d", len(tags))
	}
	if tags[0].Start != answer {
		t.Errorf("evidence starts at %d, want the answer at %d", tags[0].Start, answer)
	}
}
