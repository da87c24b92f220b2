package specialcat

import (
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// categoriesOf is the set of categories tagged in text.
func categoriesOf(text string) map[profile.Category]bool {
	got := map[profile.Category]bool{}
	for _, t := range Detect(text) {
		got[t.Category] = true
	}
	return got
}

func TestPositives(t *testing.T) {
	cases := []taggedCase{
		{"health first person", "I have type 1 diabetes, well controlled with a pump.", profile.Health},
		{"health diagnosed", "I was diagnosed with ADHD at 29.", profile.Health},
		{"health identity", "I'm partially sighted, so I use screen magnification software.", profile.Health},
		{"health possessive", "My dyslexia means I prefer written instructions.", profile.Health},
		{"health CV line", "Type 1 diabetic – well controlled.", profile.Health},
		{"health adjustment request", "If invited to interview I would be grateful for a reasonable adjustment.", profile.Health},
		{"health declaration yes", "Do you consider yourself to have a disability? Yes", profile.Health},
		{"health passive treatment", "I was treated for breast cancer in 2021.", profile.Health},
		{"religion practising", "I am a practising Muslim and pray at lunchtime.", profile.ReligiousBeliefs},
		{"religion practice", "I attend my local church and help run its youth club.", profile.ReligiousBeliefs},
		{"religion as a", "As a Quaker, I believe in resolving conflict through dialogue.", profile.ReligiousBeliefs},
		{"religion eo form", "Religion or belief: Sikh", profile.ReligiousBeliefs},
		{"ethnicity eo form", "Ethnic group: Asian or Asian British – Pakistani", profile.RacialEthnicOrigin},
		{"ethnicity heritage", "I am of Nigerian and Welsh heritage.", profile.RacialEthnicOrigin},
		{"ethnicity as a", "As a Black British woman, I know how it feels to be the only one.", profile.RacialEthnicOrigin},
		{"politics member", "I have been a member of the Labour Party since 2010.", profile.PoliticalOpinions},
		{"politics canvass", "I canvass in my ward at local elections.", profile.PoliticalOpinions},
		{"politics councillor", "I was a Conservative councillor from 2018 to 2022.", profile.PoliticalOpinions},
		{"union member", "I am a member of UNISON and a workplace rep.", profile.TradeUnionMembership},
		{"union CV line", "Member of Unite the Union; elected site safety rep.", profile.TradeUnionMembership},
		{"union after", "NEU member; Forest School Level 3.", profile.TradeUnionMembership},
		{"union in the", "I'm in the RMT and a health and safety rep at the depot.", profile.TradeUnionMembership},
		{"orientation identity", "I'm a gay man and co-chair our staff network.", profile.SexLifeOrientation},
		{"orientation eo form", "Sexual orientation: Bisexual", profile.SexLifeOrientation},
		{"genetic carrier", "I carry a BRCA1 mutation, found through family testing.", profile.Genetic},
		{"genetic test", "My genetic test results show an increased risk of Alzheimer's (APOE4).", profile.Genetic},
		{"biometric enrolled", "My fingerprints are enrolled on the site access system.", profile.Biometric},
		{"criminal spent", "I have a spent conviction from 2011, declared on my enhanced DBS.", profile.CriminalConvictions},
		{"criminal caution", "I received a police caution in 2015 for a public order offence.", profile.CriminalConvictions},
		{"criminal declaration", "Do you have any unspent convictions? Yes", profile.CriminalConvictions},
		{"criminal prison", "I served an 18-month prison sentence for theft in 2017.", profile.CriminalConvictions},
		{"criminal not reoffended", "I have not reoffended since 2016.", profile.CriminalConvictions},
		{"health negated since", "I have not had a seizure since 2019.", profile.Health},
		{"health weak with condition", "I manage bipolar II and have not had an episode since 2020.", profile.Health},
		{"health being a patient", "Being a patient on a chemotherapy unit has changed how I nurse.", profile.Health},
		{"religion ism", "I practise Buddhism and go on a retreat each summer.", profile.ReligiousBeliefs},
		{"agency profile", "CANDIDATE PROFILE\nShe has a spent conviction for shoplifting (2012).", profile.CriminalConvictions},
	}
	cases = append(cases, generalised...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := categoriesOf(c.text); !got[c.want] {
				t.Errorf("want %s, got %v", c.want, got)
			}
		})
	}
}

// TestTraps holds every trap the issue names, and more: none may be tagged.
func TestTraps(t *testing.T) {
	cases := []quietCase{
		{"mental health nurse", "Registered Mental Health Nurse with eight years on acute wards."},
		{"health and safety officer", "Health and Safety Officer, Wearside Civil Engineering Ltd, 2018 to present."},
		{"nhs foundation trust", "Staff Nurse, Mersey Park NHS Foundation Trust."},
		{"disability support worker", "Disability Support Worker, Taff Valley Supported Living."},
		{"drug round", "Lead the morning drug round for 24 residents and record on eMAR."},
		{"managed sickness absence", "Managed sickness absence and return-to-work interviews for 35 staff."},
		{"criminology degree", "BSc (Hons) Criminology, University of Kent, 2021."},
		{"prison healthcare unit", "Healthcare Assistant in the prison healthcare unit at HMP Wakefield."},
		{"unite students", "Residential Services Manager, Unite Students, Glasgow."},
		{"european union", "Managed European Union grant claims of £1.2m."},
		{"church street", "14 Church Street, Cheltenham GL50 1AA"},
		{"christian dior", "Beauty Advisor, Christian Dior, Selfridges Birmingham."},
		{"conviction in delivering results", "I bring conviction in delivering results and clear reporting."},
		{"party planner", "Events manager and former party planner."},
		{"labour market analysis", "Specialist in labour market analysis and wage modelling."},
		{"pastor as referee", "REFERENCES\nPastor Samuel Adebayo, Elim Pentecostal Church, 3 Church Road, Birmingham"},
		{"patient's diagnosis", "I hold a caseload of patients with schizophrenia and bipolar disorder."},
		{"relative's faith", "My grandmother, a devout Catholic, is the reason I went into nursing."},
		{"relative's illness", "Cared for my grandmother, who lived with Parkinson's, for two years."},
		{"child's condition", "My son is also autistic, so I know the EHCP process."},
		{"power bi", "Dashboards in Power BI and Grafana; bi-weekly releases."},
		{"black belt", "Awarded a black belt in karate in 2019."},
		{"nationality", "Nationality: Polish, with settled status."},
		{"languages", "Fluent in Urdu, Punjabi and English."},
		{"in my dna", "Data quality is in my DNA."},
		{"genetic algorithms", "Implemented genetic algorithms for route optimisation."},
		{"biometric residence permit", "My Biometric Residence Permit is valid until 2027."},
		{"facial recognition project", "Rolled out facial recognition turnstiles across four sites."},
		{"probation period", "I passed my six-month probation period early."},
		{"rugby union", "I coach junior rugby union on Sundays."},
		{"students union", "Sabbatical Officer, University of Stirling Students' Union."},
		{"credit union", "Loan officer at Leeds Credit Union."},
		{"working for a union", "Regional Organiser employed by UNISON (staff role)."},
		{"negotiating with unions", "Negotiated the pay review with UNISON and GMB branch officers."},
		{"labour ward", "Coordinate a 12-room labour ward on shift."},
		{"third party", "Negotiate third-party catering contracts."},
		{"faith in", "I have faith in young people."},
		{"religious education", "Teacher of Religious Education, Bishop Challoner Catholic School."},
		{"mental health first aider", "I am a qualified Mental Health First Aider."},
		{"topic verb", "I specialise in anxiety disorders and CBT."},
		{"strong convictions", "I have strong convictions about fairness at work."},
		{"with caution", "Proceed with caution when handling hazardous waste."},
		{"question only", "Do you have a criminal record, including cautions? If yes, please give details."},
		{"bi developer", "BI Developer (Power BI, DAX, SQL Server)."},
		{"job title line", "Owen Llewellyn\nDisability Support Worker\nCardiff CF24 | owen@example.org"},
		{"job title label", "Disability Support Worker: Taff Valley Supported Living (2020 to present)"},
		{"straight", "I get straight to the point in meetings."},
		{"relative possessive", "My sister's epilepsy meant I learned seizure first aid early."},
		{"sentence about a condition", "Cystic fibrosis is close to my heart."},
		{"prison officer", "Prison Officer, HMP Manchester, 2014–2020."},
		// The writer speaks as "I", so "she" is someone else.
		{"pronoun outside a profile", "I mentored a care leaver for a year. She has a spent conviction for shoplifting."},
		{"critical illness cover", "Protection adviser placing critical illness cover and income protection."},
		{"research line with a modifier", "Postdoc: linkage pipelines for familial hypercholesterolaemia and inherited cardiomyopathy."},
		{"heading with a dash", "PRE-EMPLOYMENT HEALTH QUESTIONNAIRE — PLEASE COMPLETE IN FULL"},
		{"parent's condition", "Caring responsibilities: yes, for an elderly parent with Parkinson's."},
		{"job title before a party", "Press Officer, Green Party head office, 2019–2022."},
		{"specialty after a job title", "Clinical Nurse Specialist, Multiple Sclerosis, Wrexham Maelor."},
		{"parish council", "Elected member of Little Hadham parish council."},
		{"an absence figure", "Sickness absence fell by a third across my depot."},
		{"ms office", "Confident with MS Word, MS Excel and MS Teams."},
		{"ms as an abbreviation", "Completed MS - CIT; Windows NT and MS Windows Server 2003."},
		{"planned an operation", "Planned an operation of up-country van deliveries."},
		{"voice process", "Joined as a Team Leader for Baggage Services (Voice Process)."},
		{"care experience after my", "My dementia care experience spans ten years."},
		{"employer label", "Employer: UNISON (regional office), finance assistant."},
		{"a name around a term", "Receptionist at Chapel Row Surgery, then at the Sikh Gurdwara Council office."},
		{"results handled for others", "I interpreted DNA results for paternity cases at the lab."},
		{"devout fan", "I'm a devout Cardiff City fan."},
		{"the only other", "My thesis covered the Great Depression, the only depression I will bring up at interview."},
		{"clean record", "I have a clean criminal record."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if tags := Detect(c.text); len(tags) > 0 {
				t.Errorf("tagged %s by %s at %d-%d", tags[0].Category, tags[0].Detector, tags[0].Start, tags[0].End)
			}
		})
	}
}

// TestExactCategories: the right categories and no others.
func TestExactCategories(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []profile.Category
	}{
		{"gene is not the disease", "Genetic testing showed I have the HFE gene mutation linked to haemochromatosis.",
			[]profile.Category{profile.Genetic}},
		{"risk is not the disease", "I have a genetic predisposition to bowel cancer and am screened every two years.",
			[]profile.Category{profile.Genetic}},
		{"faith and heritage", "As a British Sikh of Punjabi heritage, I understand the community.",
			[]profile.Category{profile.ReligiousBeliefs, profile.RacialEthnicOrigin}},
		{"eo form", "Ethnicity: White Irish\nReligion: Roman Catholic\nSexual orientation: Prefer not to say\nDisability: Yes – epilepsy",
			[]profile.Category{profile.RacialEthnicOrigin, profile.ReligiousBeliefs, profile.Health}},
		{"tick boxes", "What is your religion?\n[ ] Christian\n[x] Buddhist\n[ ] Muslim",
			[]profile.Category{profile.ReligiousBeliefs}},
		{"bare label and tick boxes", "Ethnic group\n[ ] White British\n☒ Black Caribbean\n\nThank you.",
			[]profile.Category{profile.RacialEthnicOrigin}},
		{"bare label and answer", "Disability\nDyslexia (mild)\n\nInterests\nChess",
			[]profile.Category{profile.Health}},
		{"carrier is not the disease", "A blood test in my twenties showed I'm a carrier of sickle cell.",
			[]profile.Category{profile.Genetic}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := categoriesOf(c.text)
			if len(got) != len(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
			for _, w := range c.want {
				if !got[w] {
					t.Errorf("missing %s in %v", w, got)
				}
			}
		})
	}
}

func TestNegationAndRefusals(t *testing.T) {
	cases := []quietCase{
		{"no convictions", "I have no criminal convictions, cautions or reprimands."},
		{"no convictions line", "No unspent convictions."},
		{"clear dbs", "Enhanced DBS certificate, clear, on the Update Service."},
		{"no disability", "I do not have a disability and need no adjustments."},
		{"not religious", "I am not religious."},
		{"never tested", "I have never had a genetic test."},
		{"prefer not to say", "Sexual orientation: Prefer not to say"},
		{"religion none", "Religion or belief: None"},
		{"ethnicity refused", "Ethnicity: I'd rather not say"},
		{"tick box no", "Do you consider yourself to be disabled?   [ ] Yes   [x] No"},
		{"answer next line", "Do you have any criminal convictions?\nNo criminal convictions."},
		{"well", "General health: Excellent."},
		{"line after tick boxes", "Sexual orientation\n[ ] Gay\n[x] Prefer not to say\n\nThank you for completing this form."},
		{"field after a question", "Do you have a disability?\nNotes: to be discussed."},
		{"not a member", "I am not a member of any trade union."},
		{"negation before a reflexive", "I would not describe myself as having any long-term condition."},
		{"well, with more", "Health: very good, no time off sick in the last five years."},
		{"n/a", "Union membership: N/A"},
		{"follow-up question refused", "Are you in a trade union? If so, which? Not applicable"},
		{"background in a field", "My background is in Indian classical music and sound design."},
		{"refused fields on one line", "Religion: prefer not to say; Sexual orientation: prefer not to say"},
		{"term as a label over work", "Dementia: ran memory cafés for 40 residents and their carers."},
		{"coach line", "ADHD coach for university students, self-employed."},
		{"coached someone", "I mentored a deaf apprentice through her level 3."},
		{"signed off as fit", "My consultant has signed me off as fit to work."},
		{"blood sugar without my", "Checked residents' blood sugar before meals."},
		{"an employer's values", "The school has a strong Catholic ethos and values."},
		{"someone else's manager", "Ayesha is a senior buyer. Her line manager has MS, and Ayesha covered her role for a year."},
		{"job with others' condition", "Healthcare assistant with patients with dementia on a 20-bed ward."},
		{"treatment of things", "Water treatment chemicals and specialty resins, key accounts."},
		{"surgery as a product demo", "Successfully conducted live surgery demonstrations with surgeons."},
		{"disabled accounts", "Also made sure access is disabled on the user's leaving date."},
		{"jain as a surname", "Priya Jain\nSenior Accountant, Pune"},
		{"canvassing orders", "Handling the canvassing orders for cars and finance."},
		{"languages on a line", "Punjabi, Urdu and English (fluent)"},
		{"languages as a list", "Languages\nPunjabi\nTamil\nEnglish"},
		{"maternity cover", "Maternity cover: 12 months, Finance Assistant"},
		{"dashed label refused", "Religion – prefer not to say"},
		{"dashed declaration denied", "Criminal record declaration — nothing to declare, no convictions."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if tags := Detect(c.text); len(tags) > 0 {
				t.Errorf("tagged %s by %s", tags[0].Category, tags[0].Detector)
			}
		})
	}
}

func TestThirdParty(t *testing.T) {
	cases := []quietCase{
		{"mother", "My mother was diagnosed with breast cancer when I was at university."},
		{"husband", "I care for my husband, who has multiple sclerosis."},
		{"patients", "Supported patients with dementia, diabetes and COPD."},
		{"residents adjective", "Administered insulin to diabetic residents."},
		{"clients group", "Our client base includes many Sikh and Hindu families."},
		{"father's party", "My father was a Labour councillor in Sheffield for twenty years."},
		{"dad's union", "My dad was a miner and an NUM member."},
		{"brother", "My brother served time in prison, which is why I volunteer with families."},
		{"cousin's test", "My cousin had genetic testing for BRCA1."},
		{"other gender in a profile", "Tomás is a warehouse team leader. He mentored an apprentice through her recovery from anorexia."},
		{"bare relative", "I look after my nan at weekends; her dementia is getting worse."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if tags := Detect(c.text); len(tags) > 0 {
				t.Errorf("tagged %s by %s", tags[0].Category, tags[0].Detector)
			}
		})
	}
}

// TestOffsets checks evidence == text[start:end] with multi-byte text before the
// span, and that tags are sorted and do not overlap within a category.
func TestOffsets(t *testing.T) {
	text := "Siân Hughes — Café Owner, Llanelli (£30k) “proud Cymraes”\n\nZofia Szymańska says: 日本語.\n" +
		"I have type 1 diabetes. I attend my local church.\nReligion: Christian\n" +
		"I am a member of UNISON. I was convicted of theft in 2012 — it is now spent."
	tags := Detect(text)
	want := map[profile.Category]bool{profile.Health: true, profile.ReligiousBeliefs: true,
		profile.TradeUnionMembership: true, profile.CriminalConvictions: true}
	for _, tg := range tags {
		if tg.Start < 0 || tg.End > len(text) || tg.Start >= tg.End || text[tg.Start:tg.End] != tg.Evidence {
			t.Fatalf("bad offsets %d-%d for %s", tg.Start, tg.End, tg.Category)
		}
		delete(want, tg.Category)
	}
	if len(want) > 0 {
		t.Errorf("missing %v", want)
	}
	checkOrder(t, tags)
}

func checkOrder(t *testing.T, tags []profile.Tag) {
	t.Helper()
	last := map[profile.Category]int{}
	for i, tg := range tags {
		if i > 0 && tags[i-1].Start > tg.Start {
			t.Errorf("tags not sorted by start")
		}
		if end, ok := last[tg.Category]; ok && tg.Start < end {
			t.Errorf("overlapping %s tags", tg.Category)
		}
		last[tg.Category] = tg.End
	}
}

func TestDeterministic(t *testing.T) {
	text := "I'm a practising Catholic and go to Mass. I have asthma. Member of the GMB.\nEthnicity: White Irish"
	first := Detect(text)
	for i := 0; i < 20; i++ {
		got := Detect(text)
		if len(got) != len(first) {
			t.Fatalf("run %d: %d tags, want %d", i, len(got), len(first))
		}
		for k := range got {
			if got[k] != first[k] {
				t.Fatalf("run %d: tag %d differs", i, k)
			}
		}
	}
}

func TestConfidenceAndNames(t *testing.T) {
	eo := Detect("EQUAL OPPORTUNITIES MONITORING\nReligion or belief: Muslim\n")
	if len(eo) != 1 || eo[0].Detector != "eo_form.religion" || eo[0].Confidence != confForm {
		t.Errorf("eo form: %+v", eo)
	}
	fp := Detect("I have epilepsy.")
	if len(fp) != 1 || fp[0].Detector != "health.first_person" || fp[0].Confidence != confFirstPerson {
		t.Errorf("first person: %+v", fp)
	}
}

func TestLexiconLoads(t *testing.T) {
	c, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	for i, info := range c.cats {
		if info.name == "" || info.cat != catFiles[i].cat {
			t.Errorf("category %d: %+v", i, info)
		}
	}
	if catFiles[catHealth].cat != profile.Health || catFiles[catOrientation].cat != profile.SexLifeOrientation || catFiles[catCriminal].cat != profile.CriminalConvictions {
		t.Error("catHealth, catOrientation or catCriminal does not index its category in catFiles")
	}
	// The form reader, one sentence detector per category, the same-sex partner rule.
	if len(Detectors()) != nCats+2 {
		t.Errorf("%d detectors registered", len(Detectors()))
	}
}

func TestEmptyAndPlain(t *testing.T) {
	for _, s := range []string{"", " ", "\n\n", "Experienced forklift driver.", strings.Repeat("x", 1000)} {
		if tags := Detect(s); len(tags) != 0 {
			t.Errorf("%q: %d tags", s, len(tags))
		}
	}
}

// TestConcurrentDetect: the pipeline calls Detect from one worker per CPU; run it
// with -race.
func TestConcurrentDetect(t *testing.T) {
	done := make(chan []profile.Tag)
	for i := 0; i < 8; i++ {
		go func() { done <- Detect(cv600) }()
	}
	first := <-done
	for i := 1; i < 8; i++ {
		if got := <-done; len(got) != len(first) {
			t.Errorf("run %d: %d tags, want %d", i, len(got), len(first))
		}
	}
}

// generalised are positives the first lexicons missed: paraphrases, profiles
// written in the third person with no heading, dashed form labels, anaphora.
var generalised = []taggedCase{
	{"profile inferred, pronoun", "Marta is a senior buyer with ten years in grocery.\nShe's open about living with endometriosis.", profile.Health},
	{"profile inferred, name subject", "Kwame is a devout Methodist and sings in his chapel choir.", profile.ReligiousBeliefs},
	{"profile inferred, union", "Rhodri is an Aslef member and a branch officer.", profile.TradeUnionMembership},
	{"profile, candidate of one gender", "He is a practising Sikh; he supported a colleague through her cancer treatment.", profile.ReligiousBeliefs},
	{"dashed label", "Ethnic group – Black Caribbean", profile.RacialEthnicOrigin},
	{"dashed label orientation", "Sexual orientation - bisexual", profile.SexLifeOrientation},
	{"as a … later I", "Raised as a Traveller in Essex, I left school at fourteen.", profile.RacialEthnicOrigin},
	{"identity opening a line", "Lesbian, mum of one, keen fell runner.", profile.SexLifeOrientation},
	{"two origins", "Nigerian Irish, raised in Dublin and Lagos.", profile.RacialEthnicOrigin},
	{"surgery line", "Had a knee replacement last spring; back to full duties.", profile.Health},
	{"off sick", "Off sick for a month in 2023 with glandular fever.", profile.Health},
	{"hedged need", "I might need the odd afternoon off for dialysis.", profile.Health},
	{"anaphora", "I was diagnosed with hypothyroidism in 2020. It is controlled with levothyroxine.", profile.Health},
	{"which clause", "I live with fibromyalgia, which flares in winter and is eased by medication.", profile.Health},
	{"biometric given", "I've provided a hand geometry scan for site access.", profile.Biometric},
	{"biometric question answered", "Q3. Will you enrol your fingerprint on the time clock? A: Yes, already done.", profile.Biometric},
	{"union acronym", "Member of the BFAWU since my first bakery job.", profile.TradeUnionMembership},
	{"answer after a follow-up question", "Are you in a trade union? If so, which? Prospect", profile.TradeUnionMembership},
	{"pregnancy question", "Pregnancy and maternity: 30 weeks pregnant", profile.Health},
	{"identity as the whole line", "Personal\nHeterosexual.", profile.SexLifeOrientation},
	{"same-sex marriage", "I'm in a same-sex marriage and we live in Hull.", profile.SexLifeOrientation},
	{"chromosomal condition", "I have Klinefelter syndrome and work best with written briefs.", profile.Health},
	{"fingerprinted", "I was fingerprinted for the airside pass last year.", profile.Biometric},
	{"heritage cue before", "My roots are Trinidadian and Scottish.", profile.RacialEthnicOrigin},
	{"household", "I was raised in a Gujarati Hindu household in Leicester.", profile.RacialEthnicOrigin},
	{"fields on one line", "Date of birth: 02/03/1991 | Ethnic group: Bangladeshi | Nationality: British", profile.RacialEthnicOrigin},
	{"term as a label about me", "Diabetes: type 1 since childhood, well controlled.", profile.Health},
	{"informal medication", "on meds for depression, stable for two years now", profile.Health},
	{"misspelt condition", "I have epilepsey, well controlled.", profile.Health},
	{"possessive only", "My blood sugar dips if I miss a meal, so I keep snacks at my desk.", profile.Health},
	{"sobriety", "I have been sober since 2019 and I mentor others in recovery.", profile.Health},
	{"values after my", "My Muslim values shape how I treat colleagues.", profile.ReligiousBeliefs},
	{"lay office", "Churchwarden, All Saints, Hereford (2018–present)", profile.ReligiousBeliefs},
	{"recruiter's notes with a heading", "Interview notes – Tom R.\nI met Tom at our Leeds office. He has a spent caution from 2016 and told us about it up front.", profile.CriminalConvictions},
	{"job with a condition", "Data analyst with dyslexia and a love of tidy pipelines.", profile.Health},
	{"history, not denial", "I no longer need treatment for my lymphoma.", profile.Health},
	{"union man", "I'm a union man, like my grandad before me.", profile.TradeUnionMembership},
	{"paying subs", "I've paid into the CWU since my first round.", profile.TradeUnionMembership},
	{"surgery with a subject", "I had surgery on my spine in 2022 and now use a standing desk.", profile.Health},
	{"practising jain", "I'm a practising Jain, so I eat no root vegetables.", profile.ReligiousBeliefs},
	{"label cue", "Memberships: Prospect (branch 214)", profile.TradeUnionMembership},
	{"possessive 's", "On Sundays I cook at my mosque's soup kitchen.", profile.ReligiousBeliefs},
	{"personal head after my", "Since my lupus diagnosis I have worked a four-day week.", profile.Health},
	{"effect verb", "Dyspraxia affects my handwriting, so I type everything.", profile.Health},
	{"after an inline list", "Skills: Excel, SAP\n\nPersonal\nBlack British, born and raised in Luton.", profile.RacialEthnicOrigin},
	{"leafleting paraphrase", "I've handed out leaflets for Plaid Cymru at every election since 2016.", profile.PoliticalOpinions},
	{"worship at a set time", "I would need an hour on Fridays for Jummah.", profile.ReligiousBeliefs},
	{"register", "I am on the sex offenders register until 2029.", profile.CriminalConvictions},
	{"paraphrased conviction", "I did time inside in my twenties and have rebuilt my life since.", profile.CriminalConvictions},
}

// taggedCase is a classes test's positive case: text must be tagged want.
type taggedCase struct {
	name, text string
	want       profile.Category
}

// quietCase is a classes test's trap: text must not be tagged at all.
type quietCase struct{ name, text string }

// expectTagged runs the classes tests' positive cases: each text must be tagged
// with its category.
func expectTagged(t *testing.T, cases []taggedCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := categoriesOf(c.text); !got[c.want] {
				t.Errorf("want %s, got %v", c.want, got)
			}
		})
	}
}

// expectQuiet runs the classes tests' traps: no text may be tagged at all.
func expectQuiet(t *testing.T, cases []quietCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Detect(c.text); len(got) > 0 {
				t.Errorf("tagged %v", got)
			}
		})
	}
}
