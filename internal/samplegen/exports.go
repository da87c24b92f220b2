package samplegen

import (
	"fmt"
	"strings"
	"time"
)

// vacancy is one job advert of the sample feeds.
type vacancy struct {
	Ref, Title, Company, Town, Postcode, Salary, JobType string
	Sector                                               Sector
	Posted                                               time.Time
	Description                                          string
}

func day(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }

// xmlVacancies are the jobs of the Indeed-style XML feed.
var xmlVacancies = []vacancy{
	{"BS-CARE-0142", "Senior Care Assistant – Nights", "Brambleside Care Home", "Leeds", "LS1 4AP", "£12.90 - £13.60 per hour", "fulltime", Care, day(16, 9),
		"<p>We are looking for an experienced <b>Senior Care Assistant</b> to lead our night team in a 40-bed residential home.</p><ul><li>Medication Administration (MAR charts)</li><li>Manual Handling and hoist use</li><li>Safeguarding Adults training</li></ul><p>NVQ Level 3 in Health and Social Care preferred. Enhanced DBS required.</p>"},
	{"BS-NURS-0088", "Registered Mental Health Nurse (RMN)", "Pennine Vale NHS Foundation Trust", "Sheffield", "S1 2HH", "£31,049 - £37,796 per annum", "fulltime", Care, day(12, 10),
		"<p>Band 5 <b>Mental Health Nurse</b> for a 20-bed acute adult ward. Preceptorship offered to newly qualified nurses.</p><ul><li>NMC registration (RMN)</li><li>Care Planning and risk assessment</li><li>NEWS2 Observations</li></ul>"},
	{"BS-IT-0311", "Data Analyst (SQL, Python)", "Quayside Data Solutions", "Manchester", "M1 1AE", "£38,000 - £45,000 per annum", "fulltime", IT, day(18, 8),
		"<p>Join our analytics team building reporting for housing and retail clients.</p><ul><li>SQL (advanced)</li><li>Python</li><li>Power BI</li><li>Git</li></ul><p>Hybrid: two days a week in our Manchester office.</p>"},
	{"BS-IT-0315", "DevOps Engineer", "Copperleaf Systems plc", "London", "EC1A 1BB", "£60,000 - £70,000 per annum", "fulltime", IT, day(19, 9),
		"<p>Own our AWS platform and CI/CD pipelines.</p><ul><li>AWS</li><li>Docker and Kubernetes</li><li>Terraform</li><li>Linux</li></ul>"},
	{"BS-EDU-0207", "Primary School Teacher (KS1)", "Ashbrook Primary School", "Cardiff", "CF10 1EP", "£32,000 - £44,000 per annum", "fulltime", Teaching, day(10, 7),
		"<p>Permanent <b>Key Stage 1</b> class teacher from January 2027. ECTs welcome.</p><ul><li>Phonics (Read Write Inc)</li><li>Behaviour Management</li><li>Safeguarding Children</li></ul><p>Welsh speakers are encouraged to apply.</p>"},
	{"BS-LOG-0520", "HGV Class 1 Driver – Nights", "Redmoor Haulage Ltd", "Bradford", "BD1 1HY", "£16.50 per hour", "fulltime", Logistics, day(17, 6),
		"<p>Trunking nights, Sunday to Thursday, returning to base each morning.</p><ul><li>Class 1 (C+E) Licence</li><li>Driver CPC and digital tachograph card</li><li>No more than 6 points</li></ul>"},
	{"BS-FIN-0119", "Management Accountant", "Meridian Housing Group", "Birmingham", "B1 1AA", "£45,000 - £50,000 per annum", "fulltime", Finance, day(13, 9),
		"<p>Produce monthly management accounts and board reporting for a 9,000-home housing association.</p><ul><li>CIMA or ACCA qualified</li><li>Month-end Close</li><li>Management Accounts</li><li>Excel (Pivot Tables, VLOOKUP)</li></ul>"},
	{"BS-HOS-0402", "Sous Chef", "The Harbourview Hotel", "York", "YO1 7HH", "£30,000 per annum plus tronc", "fulltime", Hospitality, day(14, 11),
		"<p>Second in command of a busy hotel kitchen (2 AA Rosettes).</p><ul><li>Menu Planning</li><li>HACCP</li><li>Food Hygiene Level 2 (Level 3 preferred)</li><li>Allergen Awareness</li></ul>"},
	{"BS-SW-0093", "Children's Social Worker", "Westvale County Council", "Glasgow", "G2 3BZ", "£38,000 - £44,000 per annum", "fulltime", SocialWork, day(11, 9),
		"<p>Join our Children and Families team. SSSC or Social Work England registration required.</p><ul><li>Child Protection</li><li>Court Report Writing</li><li>Multi-agency Working</li></ul>"},
	{"BS-CON-0611", "Site Manager", "Tarnside Homes plc", "Swansea", "SA1 3SN", "£55,000 per annum plus car", "permanent", Construction, day(15, 8),
		"<p>Run a 120-home residential development from groundworks to handover.</p><ul><li>SMSTS</li><li>CSCS Card (Black)</li><li>First Aid at Work</li></ul>"},
}

// csvVacancies are the jobs of the CSV vacancy feed.
var csvVacancies = []vacancy{
	{"BS-CARE-0150", "Healthcare Assistant", "Meadowcroft Healthcare Ltd", "Leicester", "LE1 5WW", "£12.60 per hour", "Full-time", Care, day(18, 0),
		"Days and nights on a nursing unit. Personal Care, Manual Handling and Infection Control training provided."},
	{"BS-EDU-0211", "Teaching Assistant (SEND)", "Kingsmead Academy", "Preston", "PR1 2HE", "£21,500 - £23,000 pro rata", "Part-time", Teaching, day(17, 0),
		"Support pupils with EHCPs in a mainstream secondary. SEND Support and Behaviour Management experience needed."},
	{"BS-LOG-0527", "Warehouse Team Leader", "Ironbridge Distribution Ltd", "Nottingham", "NG1 5FS", "£29,000 per annum", "Full-time", Logistics, day(16, 0),
		"Lead a team of 15 on a 4-on 4-off rota. Forklift (Counterbalance), Reach Truck and Stock Control experience essential."},
	{"BS-FIN-0124", "Payroll Administrator", "Castlegate Accountancy Services", "Derby", "DE1 2FS", "£26,000 - £28,000 per annum", "Full-time", Finance, day(12, 0),
		"Bureau payroll for 40 clients. Payroll (PAYE), Sage 50 and Excel skills. CIPP study supported."},
	{"BS-HOS-0409", "Chef de Partie", "Saffron Lane Kitchen", "Liverpool", "L1 8JQ", "£27,000 per annum plus tips", "Full-time", Hospitality, day(19, 0),
		"Fresh, seasonal menu; 4 days a week. Food Hygiene Level 2 and Allergen Awareness required."},
	{"BS-IT-0320", "IT Support Technician", "Harrowgate Technologies Ltd", "Sheffield", "S1 2HH", "£25,000 - £28,000 per annum", "Full-time", IT, day(11, 0),
		"1st/2nd line support for 300 users. Microsoft 365, Active Directory and ITIL v4."},
	{"BS-SW-0097", "Family Support Worker", "Brighter Futures Family Centre", "Belfast", "BT1 5GS", "£24,500 per annum", "Contract", SocialWork, day(13, 0),
		"12-month contract supporting families with children under 5. Safeguarding Children and Multi-agency Working."},
	{"BS-CON-0615", "Health and Safety Officer", "Halewood Civil Engineering Ltd", "Glasgow", "G2 3BZ", "£42,000 per annum plus car", "Permanent", Construction, day(14, 0),
		"Lead site safety across three civil engineering projects. NEBOSH General Certificate, SMSTS and CSCS Card required."},
}

func vacancyXML() []byte {
	var b strings.Builder
	cdata := func(tag, v string) { fmt.Fprintf(&b, "    <%s><![CDATA[%s]]></%s>\n", tag, v, tag) }
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n<source>\n")
	b.WriteString("  <publisher>BrightStaff Recruitment</publisher>\n  <publisherurl>https://www.brightstaff.example.com</publisherurl>\n")
	b.WriteString("  <lastBuildDate>Fri, 20 Nov 2026 06:00:00 GMT</lastBuildDate>\n")
	for _, v := range xmlVacancies {
		b.WriteString("  <job>\n")
		cdata("title", v.Title)
		cdata("date", v.Posted.Format("Mon, 02 Jan 2006 15:04:05 GMT"))
		cdata("referencenumber", v.Ref)
		cdata("url", "https://www.brightstaff.example.com/jobs/"+v.Ref)
		cdata("company", v.Company)
		cdata("city", v.Town)
		cdata("country", "GB")
		cdata("postalcode", v.Postcode)
		cdata("description", v.Description)
		cdata("salary", v.Salary)
		cdata("jobtype", v.JobType)
		cdata("category", sectors[v.Sector].Label)
		b.WriteString("  </job>\n")
	}
	b.WriteString("</source>\n")
	return []byte(b.String())
}

func vacancyCSV() []byte {
	rows := [][]string{{"Job ID", "Job Title", "Company", "Location", "Postcode", "Salary", "Job Type", "Date Posted", "Description"}}
	for _, v := range csvVacancies {
		rows = append(rows, []string{v.Ref, v.Title, v.Company, v.Town, v.Postcode, v.Salary, v.JobType,
			v.Posted.Format("02/01/2006"), v.Description})
	}
	return csvBytes(0, rows)
}

// vacancyFor is the XML feed job a candidate of the sector would apply to.
func vacancyFor(s Sector) vacancy {
	for _, v := range xmlVacancies {
		if v.Sector == s {
			return v
		}
	}
	for _, v := range csvVacancies {
		if v.Sector == s {
			return v
		}
	}
	return xmlVacancies[0]
}

var indeedHeader = []string{"Name", "Email", "Phone", "Location", "Job Title", "Date Applied", "Candidate Status",
	"Relevant Experience", "Education", "Screener Questions & Answers", "Cover Letter"}

var indeedStatuses = []string{"Awaiting review", "Reviewed", "Contacting", "Interviewing", "Not a fit", "Awaiting review"}

func screener(s Sector) string {
	q := map[Sector]string{
		Care:         "Do you have an enhanced DBS certificate?: Yes",
		IT:           "How many years of SQL experience do you have?: 4",
		Teaching:     "Do you have Qualified Teacher Status (QTS)?: Yes",
		Logistics:    "Do you hold a Class 1 (C+E) licence?: No",
		Finance:      "Are you AAT, ACCA or CIMA qualified or studying?: Yes",
		Hospitality:  "Do you have a Level 2 Food Hygiene certificate?: Yes",
		SocialWork:   "Are you registered with Social Work England or the SSSC?: Yes",
		Construction: "Do you hold a valid CSCS card?: Yes",
	}[s]
	return "Are you eligible to work in the UK?: Yes | " + q + " | Do you have a full UK driving licence?: Yes"
}

// indeedRow is one applicant in the Indeed export's shape.
func indeedRow(c Candidate, i int, cover string) []string {
	v := vacancyFor(c.Sector)
	loc := c.Town
	if county := regionOf(c.Town); county != "" {
		loc += ", " + county
	}
	j := c.Jobs[0]
	e := c.Education[0]
	return []string{c.Name(), c.Email, c.Phone, loc, v.Title,
		exportDay.AddDate(0, 0, -i%9).Format("2006-01-02"), indeedStatuses[i%len(indeedStatuses)],
		j.Title + " - " + j.Employer, e.Qualification + ", " + e.Institution, screener(c.Sector), cover}
}

func coverLetter(c Candidate, middle string) string {
	return "Dear Hiring Manager,\n\nI would like to apply for your " + vacancyFor(c.Sector).Title + " role. " +
		"I am currently a " + c.Jobs[0].Title + " at " + c.Jobs[0].Employer + ". " + middle +
		"\n\nKind regards,\n" + c.First
}

// indeedApplicants are the 20 rows of the Indeed export; row 3 is Amara Okafor and
// row 8 the second James Smith.
func indeedApplicants() []Candidate {
	var out []Candidate
	for i := range 20 {
		switch i + 1 {
		case 3:
			c := amara()
			c.Phone = "+447700900123"
			out = append(out, c)
		case 8:
			out = append(out, jamesDriver())
		case 11:
			out = append(out, applicant(2000+uint64(i), Construction, i+1))
		default:
			out = append(out, applicant(2000+uint64(i), Sectors[i%len(Sectors)], i+1))
		}
	}
	return out
}

func indeedExport() []byte {
	rows := [][]string{indeedHeader}
	for i, c := range indeedApplicants() {
		cover := ""
		switch i + 1 {
		case 2, 6, 14:
			cover = coverLetter(c, "I am reliable, flexible on shifts and can start at short notice.")
		case 3:
			cover = coverLetter(c, "I have seven years in residential care and hold NVQ Level 3.\nI have attached my CV, which I also sent to you directly.")
		case 5:
			cover = coverLetter(c, "My mother was a Mental Health Nurse for 30 years, which is why I chose this work.")
		case 11:
			cover = coverLetter(c, "I am a member of Unite the union and a trained site safety rep, so I take toolbox talks seriously.")
		case 17:
			cover = "Please see my attached CV. Available for interview any weekday after 3pm, \"ideally\" Tuesdays."
		}
		rows = append(rows, indeedRow(c, i, cover))
	}
	return append([]byte("\uFEFF"), csvBytes(0, rows)...) // Excel-friendly BOM
}

// raggedExport is a hand-edited Indeed export: row 3 has an unquoted comma that split
// its cover letter into an extra field; row 6 lost its last two fields. Every field
// is on one line, so row n is line n+1.
func raggedExport() []byte {
	line := func(row []string) string { return strings.TrimSuffix(string(csvBytes(0, [][]string{row})), "\r\n") }
	out := line(indeedHeader) + "\r\n"
	for i, c := range raggedApplicants() {
		row := indeedRow(c, i, "")
		switch i + 1 {
		case 3:
			out += line(row[:10]) + ",Happy to travel, including weekends\r\n"
		case 6:
			out += line(row[:9]) + "\r\n"
		default:
			out += line(row) + "\r\n"
		}
	}
	return []byte(out)
}

func raggedApplicants() []Candidate {
	var out []Candidate
	for i := range 8 {
		out = append(out, applicant(2100+uint64(i), Sectors[(i+3)%len(Sectors)], 21+i))
	}
	return out
}

// raggedGood are the rows of the ragged export that must survive: all but 3 and 6.
func raggedGood() []Candidate {
	all := raggedApplicants()
	return append(append(all[:2:2], all[3:5]...), all[6:]...)
}

var reedHeader = []string{"First Name", "Last Name", "Email Address", "Mobile", "Postcode", "Town",
	"Current Job Title", "Current Employer", "Skills", "Cover Note"}

func reedRow(c Candidate, cover string) []string {
	return []string{c.First, c.Last, c.Email, c.Phone, c.Postcode, c.Town, c.Jobs[0].Title, c.Jobs[0].Employer,
		strings.Join(c.Skills, "; "), cover}
}

func reedExport() []byte {
	rows := [][]string{reedHeader}
	for i, c := range reedApplicants() {
		cover := ""
		switch i + 1 {
		case 1:
			cover = "I have attached my CV; I can start immediately."
		case 2:
			cover = "Looking for a permanent team leader role closer to home. Available after one week's notice."
		}
		rows = append(rows, reedRow(c, cover))
	}
	return csvBytes(0, rows)
}

// reedApplicants are the Reed export's rows as written: row 2 is Daniel Kowalczyk
// with a compact mobile number, row 5 has a lower-case postcode.
func reedApplicants() []Candidate {
	var out []Candidate
	for i := range 6 {
		var c Candidate
		switch i + 1 {
		case 2:
			c = daniel(true)
			c.Phone = "07700900456"
		case 5:
			c = newCandidate(2200+uint64(i), Options{Sector: Care, Place: placeIn("Leicester"), Phone: FormatPhone(900031+i, 3)})
			c.Postcode = "le1 5ww"
		default:
			c = applicant(2200+uint64(i), Sectors[(i*3)%len(Sectors)], 31+i)
		}
		out = append(out, c)
	}
	return out
}

func totaljobsExport() []byte {
	rows := [][]string{reedHeader}
	for i, c := range totaljobsApplicants() {
		cover := ""
		if i == 2 {
			cover = "Relocating to the area in January; happy to do a trial shift."
		}
		rows = append(rows, reedRow(c, cover))
	}
	return csvBytes('\t', rows)
}

func totaljobsApplicants() []Candidate {
	var out []Candidate
	for i := range 5 {
		out = append(out, applicant(2300+uint64(i), Sectors[(i*5+1)%len(Sectors)], 41+i))
	}
	return out
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func agencyEmail() []byte {
	return email{
		From:      "Joanna Pike <joanna.pike@brightstaff.example.com>",
		To:        "Recruitment Team <recruitment@hiring.example.com>",
		Subject:   "Candidates for BS-CARE-0142 and BS-LOG-0527",
		MessageID: "20261119143210.7f3a2c@brightstaff.example.com",
		Date:      time.Date(2026, 11, 19, 14, 32, 10, 0, time.UTC),
		Body: "Hi team,\n\nPlease find attached two candidates for your current vacancies:\n\n" +
			"- Fatima Begum (Healthcare Assistant, Leicester) for BS-CARE-0142\n" +
			"- Daniel Kowalczyk (Warehouse Team Leader, Nottingham) for BS-LOG-0527\n\n" +
			"Both have agreed to us sharing their details with you. Terms as per our agreement.\n\n" +
			"Kind regards,\nJoanna Pike\nSenior Consultant, BrightStaff Recruitment Ltd\n0113 496 0000\n",
		Attachments: []attachment{
			{Name: "Fatima Begum CV.pdf", ContentType: "application/pdf", Data: PDF(fatima(), false)},
			{Name: "Daniel Kowalczyk - BrightStaff profile.docx", ContentType: docxType,
				Data: DOCXWith(daniel(false), DocxOptions{Header: []string{"BrightStaff Recruitment – Candidate Profile"},
					Footer: []string{"BrightStaff Recruitment Ltd · 0113 496 0000 · www.brightstaff.example.com"}})},
		},
	}.bytes()
}

func referralEmail() []byte {
	pdf := PDF(niamh(), false)
	cut := (len(pdf) * 4 / 3 / 2) / 4 * 4 // half the base64, on a quantum boundary
	return email{
		From:      "Ciara Doherty <ciara.doherty@example.org>",
		To:        "recruitment@hiring.example.com",
		Subject:   "Fwd: CV for Niamh Murphy",
		MessageID: "CAF2k9x1Lq0w8Zt@mail.example.org",
		Date:      time.Date(2026, 11, 21, 19, 4, 55, 0, time.UTC),
		Body: "Hi,\n\nMy former colleague Niamh Murphy is looking for family support work in Belfast and asked me " +
			"to pass on her CV. The PDF didn't open on my phone so I've attached a text copy too.\n\nThanks,\nCiara\n",
		Attachments: []attachment{
			{Name: "Niamh_Murphy_CV.pdf", ContentType: "application/pdf", Data: pdf, CutBase64: cut},
			{Name: "Niamh_Murphy_CV.txt", ContentType: `text/plain; charset="utf-8"`, Data: []byte(Text(niamh())), QuotedPrintable: true},
		},
	}.bytes()
}
