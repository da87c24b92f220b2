package samplegen

import "strings"

// The named personas of the sample inbox. Each is drawn from its own seed with the
// fields the inbox's test cases depend on fixed, so editing one never shifts the
// others.

// placeIn returns the first place in town, or the place with that postcode.
func placeIn(townOrPostcode string) *Place {
	for _, p := range places {
		if p.Town == townOrPostcode || p.Postcode == townOrPostcode {
			return &p
		}
	}
	panic("samplegen: no place " + townOrPostcode)
}

func style(h, d int) *Style { return &Style{Headings: h, Dates: d} }

// Amara Okafor sends her CV directly and applies through Indeed with the same
// e-mail: one person, two records to merge.
func amara() Candidate {
	return newCandidate(101, Options{First: "Amara", Last: "Okafor", Email: "amara.okafor@example.com",
		Phone: "07700 900123", Sector: Care, Place: placeIn("Leeds"), Address: "22 Victoria Road",
		DateOfBirth: "14/03/1988", NINumber: "JT 48 27 19 B", Headline: "Senior Care Assistant",
		Jobs: 3, Style: style(0, 0),
		Extras: []string{"Full UK driving licence and own car.",
			"I have type 1 diabetes, well controlled, and it has never affected my attendance."},
		Special: []string{"health"}})
}

func tomasz() Candidate {
	return newCandidate(102, Options{First: "Tomasz", Last: "Nowak", Email: "tomasz.nowak@example.org",
		Phone: "+44 (0)7700 900245", Sector: Logistics, Place: placeIn("Bradford"), Headline: "HGV Class 1 Driver",
		Jobs: 3, Style: style(1, 1),
		Extras: []string{"Fluent in Polish and English.", "Class 1 (C+E) licence with Driver CPC and digital tachograph card."}})
}

func priya() Candidate {
	c := newCandidate(103, Options{First: "Priya", Last: "Raman", Email: "priya.raman@example.com",
		Phone: "07700 900318", Sector: IT, Place: placeIn("Manchester"), Headline: "Data Analyst",
		Jobs: 3, Style: style(0, 0), Extras: []string{"Right to work in the UK without sponsorship."}})
	c.LinkedIn = "https://www.linkedin.com/in/priya-raman-data"
	return c
}

// Siân Hughes volunteers her religion; her school's church name is a trap.
func sian() Candidate {
	c := newCandidate(104, Options{First: "Siân", Last: "Hughes", Email: "sian.hughes@example.net",
		Phone: "07700900462", Sector: Teaching, Place: placeIn("Cardiff"), Headline: "Primary School Teacher",
		Jobs: 3, Style: style(1, 0),
		Extras: []string{"Conversational Welsh and basic British Sign Language (Level 1).",
			"I attend my local church and help run its Friday youth club."},
		Special: []string{"religious_beliefs"}})
	c.Jobs[1].Employer = "St Teilo's Church in Wales Primary School"
	return c
}

// The two James Smiths share a common name and nothing else: never merge them.
func jamesIT() Candidate {
	return newCandidate(105, Options{First: "James", Last: "Smith", Email: "james.smith@example.com",
		Phone: "07700 900311", Sector: IT, Place: placeIn("Sheffield"), Headline: "IT Support Technician",
		Jobs: 2, Style: style(0, 2), Extras: []string{"Full UK driving licence and own car."}})
}

func jamesDriver() Candidate {
	return newCandidate(106, Options{First: "James", Last: "Smith", Email: "james.smith84@example.net",
		Phone: "07700 900688", Sector: Logistics, Place: placeIn("Bristol"), Headline: "Multi-drop Delivery Driver",
		Jobs: 3, Style: style(2, 0), Extras: []string{"Clean licence, 12 years' driving experience."}})
}

// Renée Ashworth's CV is saved in Windows-1252: £, é, curly quotes and en dashes.
func renee() Candidate {
	c := newCandidate(107, Options{First: "Renée", Last: "Ashworth", Email: "renee.ashworth@example.org",
		Phone: "07700 900527", Sector: Hospitality, Place: placeIn("York"), Headline: "Sous Chef",
		Jobs: 3, Style: style(0, 0),
		Extras: []string{"Current salary £29,500; looking for £32,000+.", "Happy to relocate within Yorkshire."}})
	c.Statement = "Described by my head chef as “the calmest person in the kitchen”, I am a Sous Chef with 9 years’ experience in hotel and café kitchens, from sautéed classics to seasonal tasting menus."
	c.Jobs[1].Employer = "Copper Kettle Café"
	return c
}

// Mohammed Iqbal's CV is UTF-16; "conviction in delivering results" is a trap.
func mohammed() Candidate {
	c := newCandidate(108, Options{First: "Mohammed", Last: "Iqbal", Email: "m.iqbal@example.com",
		Phone: "+44 7700 900734", Sector: Finance, Place: placeIn("Birmingham"), Headline: "Management Accountant",
		NINumber: "SC 62 04 88 A", Jobs: 3, Style: style(2, 1),
		Extras: []string{"Notice period: one month."}})
	c.Statement = "CIMA-qualified Management Accountant with 8 years in housing and construction finance. I bring conviction in delivering results, accurate month-ends and clear board reporting."
	return c
}

// Grace Adeyemi is a Mental Health Nurse: a job title, not health data about her.
func grace() Candidate {
	c := newCandidate(109, Options{First: "Grace", Last: "Adeyemi", Email: "grace.adeyemi@example.net",
		Phone: "07700 900589", Sector: Care, Place: placeIn("Southampton"), Headline: "Mental Health Nurse",
		Jobs: 3, Style: style(3, 0),
		Extras: []string{"NMC PIN available on request.", "Enhanced DBS certificate on the Update Service."}})
	c.Jobs[0].Title = "Registered Mental Health Nurse"
	c.Jobs[0].Employer = "Pennine Vale NHS Foundation Trust"
	c.Jobs[0].Bullets = append([]string{"Supported patients with anxiety, depression and psychosis on a 20-bed acute ward"}, c.Jobs[0].Bullets...)
	c.Education = []Education{{Qualification: "BSc (Hons) Mental Health Nursing", Institution: "University of Southampton", Year: "2015"}}
	return c
}

func eilidh() Candidate {
	c := newCandidate(110, Options{First: "Eilidh", Last: "Macleod", Email: "eilidh.macleod@example.com",
		Phone: "07700 900655", Sector: SocialWork, Place: placeIn("Edinburgh"), Headline: "Social Worker",
		Jobs: 3, Style: style(0, 0),
		Extras:  []string{"I am a member of UNISON and have been a workplace representative since 2021."},
		Special: []string{"trade_union_membership"}})
	c.LinkedIn = "https://www.linkedin.com/in/eilidh-macleod-sw"
	return c
}

func yusuf() Candidate {
	return newCandidate(111, Options{First: "Yusuf", Last: "Ali", Email: "yusuf.ali@example.org",
		Phone: "+44 7700 900712", Sector: Hospitality, Place: placeIn("Liverpool"), Headline: "Chef de Partie",
		Jobs: 2, Style: style(1, 0), Extras: []string{"Available to start immediately; happy to work nights and weekends."}})
}

func oliver() Candidate {
	return newCandidate(112, Options{First: "Oliver", Last: "Bennett", Email: "oliver.bennett@example.net",
		Phone: "07700 900771", Sector: Finance, Place: placeIn("Reading"), Headline: "Accounts Assistant",
		DateOfBirth: "02/11/1996", Jobs: 2, Style: style(1, 1),
		Extras: []string{"Notice period: one month.", "Interests: fell walking, five-a-side football and baking."}})
}

// Hannah Clarke's grandmother's illness is a relative's health, not hers.
func hannah() Candidate {
	return newCandidate(113, Options{First: "Hannah", Last: "Clarke", Email: "h.clarke@example.com",
		Phone: "07700 900803", Sector: Care, Place: placeIn("Newcastle upon Tyne"), Headline: "Staff Nurse",
		Jobs: 6, Bullets: 4, Style: style(0, 1),
		Extras: []string{"Enhanced DBS certificate on the Update Service.",
			"Cared for my grandmother, who lived with Parkinson's, for two years."}})
}

func zofia() Candidate {
	return newCandidate(114, Options{First: "Zofia", Last: "Szymańska", Email: "zofia.szymanska@example.com",
		Phone: "07700 900836", Sector: Logistics, Place: placeIn("Coventry"), Headline: "Warehouse Team Leader",
		Jobs: 3, Style: style(3, 2), Extras: []string{"Fluent in Polish, English and basic Romanian.", "Counterbalance and reach truck licences (RTITB)."}})
}

func arjun() Candidate {
	return newCandidate(115, Options{First: "Arjun", Last: "Sharma", Email: "arjun.sharma@example.net",
		Phone: "07700 900847", Sector: IT, Place: placeIn("SE1 7PB"), Headline: "Software Developer",
		Jobs: 3, Style: style(0, 0), Extras: []string{"Right to work in the UK without sponsorship."}})
}

func kwame() Candidate {
	return newCandidate(116, Options{First: "Kwame", Last: "Mensah", Email: "kwame.mensah@example.org",
		Phone: "+44 (0)7700 900903", Sector: IT, Place: placeIn("London"), Headline: "DevOps Engineer",
		Jobs: 4, Style: style(0, 0), Extras: []string{"AWS Certified Solutions Architect – Associate (2024)."}})
}

func sofia() Candidate {
	return newCandidate(117, Options{First: "Sofia", Last: "Taylor", Email: "sofia.taylor@example.com",
		Phone: "07700 900918", Sector: Teaching, Place: placeIn("Brighton"), Headline: "Cover Supervisor",
		Jobs: 3, Style: style(2, 0), Extras: []string{"Enhanced DBS certificate on the Update Service."}})
}

// Callum Fraser is a Health and Safety Officer: a job title, not health data.
func callum() Candidate {
	c := newCandidate(118, Options{First: "Callum", Last: "Fraser", Email: "callum.fraser@example.com",
		Phone: "07700 900950", Sector: Construction, Place: placeIn("Glasgow"), Headline: "Health and Safety Officer",
		Jobs: 3, Style: style(0, 1), Extras: []string{}})
	c.LinkedIn = "https://www.linkedin.com/in/callum-fraser-hs"
	c.Statement = "Health and Safety Officer with 11 years across civil engineering and housebuilding. NEBOSH-qualified, I make safety practical on site and keep RIDDOR-reportable incidents at zero."
	return c
}

func mei() Candidate {
	c := newCandidate(119, Options{First: "Mei", Last: "Chen", Email: "mei.chen@example.net",
		Phone: "07700 900962", Sector: IT, Place: placeIn("Edinburgh"), Headline: "Software Developer",
		Jobs: 3, Style: style(0, 1), Extras: []string{}})
	c.LinkedIn = "https://www.linkedin.com/in/mei-chen-dev"
	return c
}

func fatima() Candidate {
	return newCandidate(120, Options{First: "Fatima", Last: "Begum", Email: "fatima.begum@example.net",
		Phone: "07700 900415", Sector: Care, Place: placeIn("Leicester"), Headline: "Healthcare Assistant",
		Jobs: 2, Style: style(1, 0), Extras: []string{"Enhanced DBS certificate on the Update Service."}})
}

// Daniel Kowalczyk is in the Reed export with e-mail and phone, and in an agency
// profile with the same name and phone but no e-mail.
func daniel(withEmail bool) Candidate {
	o := Options{First: "Daniel", Last: "Kowalczyk", Email: "daniel.kowalczyk@example.org",
		Phone: "+44 (0)7700 900456", Sector: Logistics, Place: placeIn("Nottingham"), Headline: "Warehouse Team Leader",
		Jobs: 3, Style: style(0, 0), Extras: []string{"Counterbalance and reach truck licences (RTITB)."}}
	if !withEmail {
		o.NoEmail = true
	}
	c := newCandidate(121, o)
	c.Jobs[0].Employer = "Ironbridge Distribution Ltd"
	return c
}

// Rhys Evans lives on Church Street (a trap) and declares a spent conviction.
func rhys() Candidate {
	return newCandidate(122, Options{First: "Rhys", Last: "Evans", Email: "rhys.evans@example.org",
		Phone: "07700 900964", Sector: Construction, Place: placeIn("Swansea"), Address: "27 Church Street",
		Headline: "Site Manager", Jobs: 3, Style: style(0, 0),
		Extras:  []string{"Full UK driving licence and own car.", "I have a spent conviction from 2011, which is declared on my enhanced DBS."},
		Special: []string{"criminal_convictions"}})
}

func niamh() Candidate {
	return newCandidate(123, Options{First: "Niamh", Last: "Murphy", Email: "niamh.murphy@example.com",
		Phone: "07700 900377", Sector: SocialWork, Place: placeIn("Belfast"), Headline: "Family Support Worker",
		Jobs: 2, Style: style(1, 0), Extras: []string{"Full UK driving licence and own car.", "Available to start immediately."}})
}

func aisha() Candidate {
	return newCandidate(124, Options{First: "Aisha", Last: "Khan", Email: "aisha.khan@example.net",
		Phone: "07700 900481", Sector: Teaching, Place: placeIn("Preston"), Headline: "SENCO",
		DateOfBirth: "21/07/1985", Jobs: 3, Style: style(0, 0),
		Extras:  []string{"I am dyslexic and use assistive software for written reports.", "Full UK driving licence and own car."},
		Special: []string{"health"}})
}

func harpreet() Candidate {
	return newCandidate(125, Options{First: "Harpreet", Last: "Kaur", Email: "harpreet.kaur@example.com",
		Phone: "+44 7700 900512", Sector: Finance, Place: placeIn("Derby"), Headline: "Payroll Administrator",
		Jobs: 2, Style: style(1, 0),
		Extras:  []string{"Active member of my local Labour Party branch and a volunteer canvasser."},
		Special: []string{"political_opinions"}})
}

// Bad-input donors: the CVs the broken files were made from.
func liam() Candidate {
	return newCandidate(126, Options{First: "Liam", Last: "Walsh", Email: "liam.walsh@example.org",
		Phone: "07700 900991", Sector: Construction, Place: placeIn("Liverpool"), Jobs: 3,
		Extras: []string{"CSCS card holder."}})
}

func chloe() Candidate {
	return newCandidate(127, Options{First: "Chloé", Last: "Martin", Email: "chloe.martin@example.com",
		Phone: "07700 900992", Sector: Hospitality, Place: placeIn("Brighton"), Jobs: 2,
		Extras: []string{"Café experience – barista and front of house."}})
}

func ewan() Candidate {
	return newCandidate(128, Options{First: "Ewan", Last: "Robertson", Email: "ewan.robertson@example.net",
		Phone: "07700 900993", Sector: IT, Place: placeIn("Aberdeen"), Jobs: 2,
		Extras: []string{"Right to work in the UK without sponsorship."}})
}

// linkedInLines lay a CV out as LinkedIn's "Save to PDF" does: a sidebar of contact
// details and top skills, and a main column of experience with durations.
func linkedInLines(c Candidate) (left, right []string) {
	left = []string{"# Contact", c.Phone + " (Mobile)", c.Email, strings.TrimPrefix(c.LinkedIn, "https://") + " (LinkedIn)",
		"", "# Top Skills"}
	left = append(left, c.Skills[:min(3, len(c.Skills))]...)
	left = append(left, "", "# Certifications")
	left = append(left, c.Skills[min(3, len(c.Skills)):]...)
	right = []string{"# " + c.Name(), c.Headline + " at " + c.Jobs[0].Employer, c.Town + ", United Kingdom",
		"", "# Summary", c.Statement, "", "# Experience"}
	for _, j := range c.Jobs {
		long := Candidate{Style: Style{Dates: 1}}
		right = append(right, j.Employer, j.Title, long.Period(j)+" ("+duration(j)+")", j.Town+", United Kingdom", "")
	}
	right = append(right, "# Education")
	for _, e := range c.Education {
		right = append(right, e.Institution, e.Qualification+" · ("+e.Year+")")
	}
	return left, right
}

// duration is LinkedIn's "3 years 2 months" for a job, counting the start month.
func duration(j Job) string {
	end := j.End
	if end == "present" {
		end = "2026-11"
	}
	var sy, sm, ey, em int
	parseYM(j.Start, &sy, &sm)
	parseYM(end, &ey, &em)
	months := (ey*12 + em) - (sy*12 + sm) + 1
	y, m := months/12, months%12
	var parts []string
	switch {
	case y == 1:
		parts = append(parts, "1 year")
	case y > 1:
		parts = append(parts, itoa(y)+" years")
	}
	switch {
	case m == 1:
		parts = append(parts, "1 month")
	case m > 1:
		parts = append(parts, itoa(m)+" months")
	}
	return strings.Join(parts, " ")
}
