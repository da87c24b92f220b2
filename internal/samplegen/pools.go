package samplegen

// The pools below are invented. Names are combined at random from diverse first
// names and surnames, employers are made-up firms, and every contact detail is
// drawn from a reserved fiction range (example.* domains, Ofcom's 07700 900xxx
// drama numbers), so no generated CV describes a real person.

var firstNames = []string{
	"Amara", "Tomasz", "Priya", "Siân", "James", "Grace", "Mohammed", "Aisha", "Oliver",
	"Chloe", "Daniel", "Fatima", "Liam", "Niamh", "Kwame", "Mei", "Hamza", "Zofia", "Rhys",
	"Eilidh", "Arjun", "Chidi", "Hannah", "Yusuf", "Bethan", "Connor", "Leila", "Thomas",
	"Olivia", "Ravi", "Ayesha", "Callum", "Sofia", "Declan", "Nkechi", "Kieran", "Isla",
	"Marek", "Jasmine", "Ewan", "Sade", "Ahmed", "Lucy", "Rohan", "Imogen", "Tariq", "Megan",
	"Joseph", "Harpreet", "Ffion", "Adebayo", "Catriona", "Dariusz", "Esther", "Gurpreet",
	"Ioana", "Jamal", "Kerry-Ann", "Lewis", "Maryam", "Nathan", "Orla", "Paolo", "Rosie",
	"Samir", "Tegan", "Usman", "Vikram", "Wiktoria", "Xander", "Yasmin", "Zainab",
}

var surnames = []string{
	"Okafor", "Nowak", "Raman", "Hughes", "Smith", "Adeyemi", "Khan", "Patel", "Campbell",
	"Murphy", "Kowalczyk", "Mensah", "Chen", "Begum", "Davies", "Macleod", "Sharma", "Evans",
	"O'Brien", "Ali", "Thompson", "Jones", "Hussain", "Williams", "Robertson", "Iqbal",
	"Walsh", "Osei", "Wong", "Kaur", "Fraser", "Ahmed", "Taylor", "Brown", "Singh", "Morgan",
	"Nwosu", "Harris", "Clarke", "Bennett", "Popescu", "Rahman", "McAllister", "Bailey",
	"Achterberg", "Doherty", "Lloyd", "Mahmood", "Santos", "Pritchard", "Oyelaran",
	"Szymanski", "Gallagher", "Hartley", "Ferreira", "Blackwood", "Quinn", "Asante",
}

var emailDomains = []string{"example.com", "example.org", "example.net"}

// Place is a real town with a real-format postcode in it.
type Place struct {
	Town, Postcode, County string
}

var places = []Place{
	{"Leeds", "LS1 4AP", "West Yorkshire"},
	{"Manchester", "M1 1AE", "Greater Manchester"},
	{"Glasgow", "G2 3BZ", ""},
	{"Edinburgh", "EH1 1YZ", ""},
	{"Birmingham", "B1 1AA", "West Midlands"},
	{"Cardiff", "CF10 1EP", ""},
	{"Bristol", "BS1 4DJ", ""},
	{"Newcastle upon Tyne", "NE1 7RU", "Tyne and Wear"},
	{"Liverpool", "L1 8JQ", "Merseyside"},
	{"Sheffield", "S1 2HH", "South Yorkshire"},
	{"Nottingham", "NG1 5FS", "Nottinghamshire"},
	{"Leicester", "LE1 5WW", "Leicestershire"},
	{"Belfast", "BT1 5GS", "County Antrim"},
	{"Southampton", "SO14 7DU", "Hampshire"},
	{"Norwich", "NR2 1NH", "Norfolk"},
	{"York", "YO1 7HH", "North Yorkshire"},
	{"Swansea", "SA1 3SN", ""},
	{"Aberdeen", "AB10 1AQ", ""},
	{"Bradford", "BD1 1HY", "West Yorkshire"},
	{"Coventry", "CV1 5FB", "West Midlands"},
	{"Derby", "DE1 2FS", "Derbyshire"},
	{"Plymouth", "PL1 2AA", "Devon"},
	{"Reading", "RG1 1JX", "Berkshire"},
	{"Preston", "PR1 2HE", "Lancashire"},
	{"London", "EC1A 1BB", ""},
	{"London", "SE1 7PB", ""},
	{"Brighton", "BN1 1UG", "East Sussex"},
	{"Dundee", "DD1 4QB", ""},
}

var streets = []string{
	"Victoria Road", "Station Road", "Park Lane", "Mill Street", "Kings Road", "Queen Street",
	"Oak Avenue", "Grange Road", "Albert Terrace", "Manor Close", "Willow Crescent",
	"Highfield Road", "Chapel Lane", "Brook Street", "Orchard Way", "Heather Court",
}

// Valid National Insurance prefixes: neither letter is D, F, I, Q, U or V, the second
// is not O, and BG, GB, KN, NK, NT, TN and ZZ are never issued.
var niPrefixes = []string{
	"AB", "AE", "CE", "EH", "GH", "HJ", "JT", "KL", "LM", "MP", "NW", "PR", "RK", "SC",
	"SH", "TB", "WA", "WL", "YC", "ZA",
}

// Sector is a line of work the generator writes CVs for.
type Sector string

// The sectors UK agencies recruit for most.
const (
	Care         Sector = "care"
	IT           Sector = "it"
	Teaching     Sector = "teaching"
	Logistics    Sector = "logistics"
	Finance      Sector = "finance"
	Hospitality  Sector = "hospitality"
	SocialWork   Sector = "social_work"
	Construction Sector = "construction"
)

// Sectors lists every sector, in a fixed order.
var Sectors = []Sector{Care, IT, Teaching, Logistics, Finance, Hospitality, SocialWork, Construction}

// sectorData is everything a CV in one sector is made of.
type sectorData struct {
	Label      string   // "Care & Nursing"
	Titles     []string // job titles, junior first
	Employers  []string
	Skills     []string
	Quals      []qual
	Bullets    []string
	Statements []string // %s is the headline title, %d years of experience
}

type qual struct {
	Qualification string
	Institution   string // "" picks a generic college
}

var sectors = map[Sector]sectorData{
	Care: {
		Label: "Care & Nursing",
		Titles: []string{"Care Assistant", "Healthcare Assistant", "Support Worker",
			"Domiciliary Care Worker", "Night Care Assistant", "Senior Care Assistant",
			"Staff Nurse", "Registered Nurse", "Deputy Care Manager"},
		Employers: []string{"Brambleside Care Home", "Willowmere Nursing Home", "Hollybank Lodge Care Home",
			"Heatherfield Homecare Ltd", "St Bride's Hospice", "Ashgrove House Residential Care",
			"Meadowcroft Healthcare Ltd", "Pennine Vale NHS Foundation Trust"},
		Skills: []string{"Medication Administration", "Manual Handling", "Safeguarding Adults",
			"Personal Care", "Care Planning", "Dementia Care", "Infection Control", "First Aid",
			"PEG Feeding", "Moving and Positioning", "End of Life Care", "NEWS2 Observations",
			"Record Keeping"},
		Quals: []qual{
			{"NVQ Level 3 Diploma in Health and Social Care", ""},
			{"Care Certificate", ""},
			{"BSc (Hons) Adult Nursing", "University of Sunderland"},
			{"Level 2 Certificate in Dementia Awareness", ""},
			{"GCSEs (6) including English and Maths", "school"},
		},
		Bullets: []string{
			"Supported up to 12 residents with personal care, mobility and meals",
			"Administered medication using MAR charts in line with CQC guidance",
			"Wrote care plans and daily notes on the electronic care record",
			"Used hoists and slide sheets safely after moving and handling training",
			"Mentored new starters through the Care Certificate",
			"Supported residents recovering from strokes and hip fractures",
			"Worked closely with district nurses, GPs and families",
			"Took observations and escalated concerns using NEWS2",
		},
		Statements: []string{
			"Compassionate %s with %d years of experience in residential and home care, committed to dignity, choice and person-centred support.",
			"Reliable and caring %s with %d years in care settings, confident with medication, care planning and supporting people living with dementia.",
		},
	},
	IT: {
		Label: "IT & Digital",
		Titles: []string{"IT Support Technician", "Service Desk Analyst", "Junior Developer",
			"Data Analyst", "Software Developer", "Business Intelligence Analyst",
			"DevOps Engineer", "Senior Software Engineer"},
		Employers: []string{"Kestrel Digital Ltd", "Northbeam Software Ltd", "Quayside Data Solutions",
			"Copperleaf Systems plc", "Harrowgate Technologies Ltd", "Bluefinch Analytics Ltd"},
		Skills: []string{"Python", "SQL", "Go", "JavaScript", "TypeScript", "AWS", "Azure",
			"Docker", "Kubernetes", "Power BI", "Git", "Linux", "ITIL v4", "Microsoft 365",
			"Active Directory", "C#", "React", "Terraform"},
		Quals: []qual{
			{"BSc (Hons) Computer Science, 2:1", "University of Leeds"},
			{"BSc (Hons) Software Engineering", "Cardiff Metropolitan University"},
			{"HND Computing", ""},
			{"A Levels: Mathematics (A), Computing (A), Physics (B)", "sixth form"},
			{"AWS Certified Solutions Architect – Associate", "Amazon Web Services"},
			{"CompTIA A+", "CompTIA"},
		},
		Bullets: []string{
			"Built and maintained REST APIs in Go and Python serving 2m requests a day",
			"Wrote SQL reports and Power BI dashboards for the finance and operations teams",
			"Resolved 1st and 2nd line tickets for 400 users within SLA",
			"Moved build pipelines to GitHub Actions, cutting release time from days to hours",
			"Managed Microsoft 365 and Active Directory accounts, joiners and leavers",
			"Containerised legacy services with Docker and deployed them to Kubernetes",
			"Mentored two apprentices and ran fortnightly code reviews",
		},
		Statements: []string{
			"Analytical %s with %d years of experience turning messy data and legacy systems into reliable, well-tested services.",
			"Hands-on %s with %d years in fast-paced teams; happiest automating the boring parts and explaining technology to non-technical colleagues.",
		},
	},
	Teaching: {
		Label: "Teaching & Education",
		Titles: []string{"Teaching Assistant", "Cover Supervisor", "Higher Level Teaching Assistant",
			"Early Years Practitioner", "Primary School Teacher", "Secondary Mathematics Teacher",
			"SENCO", "Head of English"},
		Employers: []string{"Ashbrook Primary School", "Kingsmead Academy", "Riverside Community College",
			"Hillcrest Day Nursery", "Fernhill Primary School", "Larkspur High School"},
		Skills: []string{"Lesson Planning", "Behaviour Management", "Safeguarding Children",
			"SEND Support", "Phonics (Read Write Inc)", "Curriculum Design",
			"Assessment for Learning", "Google Classroom", "EYFS", "Differentiation"},
		Quals: []qual{
			{"PGCE Primary with QTS", "University of Cumbria"},
			{"PGCE Secondary Mathematics (QTS)", "University of Nottingham"},
			{"BA (Hons) Primary Education with QTS", "Edge Hill University"},
			{"Level 3 Diploma for the Children's Workforce", ""},
			{"BA (Hons) English Literature, 2:1", "University of Glasgow"},
		},
		Bullets: []string{
			"Planned and taught engaging lessons to mixed-ability classes of 30",
			"Raised the proportion of pupils meeting the expected standard in maths by 12%",
			"Led phonics interventions for small groups in Year 1 and Year 2",
			"Acted as designated safeguarding deputy and completed CPOMS records",
			"Supported pupils with EHCPs alongside parents and outside agencies",
			"Ran an after-school coding club and the school council",
		},
		Statements: []string{
			"Enthusiastic %s with %d years of classroom experience, committed to inclusive teaching and high expectations for every pupil.",
			"Organised, creative %s with %d years in primary and secondary settings, skilled in behaviour management and adaptive teaching.",
		},
	},
	Logistics: {
		Label: "Logistics & Driving",
		Titles: []string{"Warehouse Operative", "Picker Packer", "Goods-in Operative",
			"Forklift Driver", "Multi-drop Delivery Driver", "HGV Class 1 Driver",
			"Warehouse Team Leader", "Transport Planner"},
		Employers: []string{"Kestrel Freight Ltd", "Ironbridge Distribution Ltd", "Swiftline Parcels Ltd",
			"Peakway Logistics", "Redmoor Haulage Ltd", "Canal Side Warehousing Ltd"},
		Skills: []string{"Forklift (Counterbalance)", "Reach Truck", "Manual Handling", "Driver CPC",
			"Tachograph Regulations", "Route Planning", "Stock Control", "Pick by Voice",
			"ADR Licence", "Class 1 (C+E) Licence", "WMS Scanners"},
		Quals: []qual{
			{"GCSEs (5) including English and Maths", "school"},
			{"RTITB Counterbalance Forklift Certificate", "Peakway Training Centre"},
			{"Driver CPC (35 hours periodic training)", "Redmoor Training Academy"},
			{"Level 2 Certificate in Warehousing and Storage", ""},
		},
		Bullets: []string{
			"Delivered 120+ parcels a day across multi-drop routes with a 99% first-time rate",
			"Loaded and unloaded trailers safely using counterbalance and reach trucks",
			"Picked and packed orders to 110% of target using pick-by-voice",
			"Completed daily vehicle walk-round checks and kept tachograph records",
			"Planned trunking routes for a fleet of 25 vehicles",
			"Trained new starters on MHE safety and the warehouse management system",
		},
		Statements: []string{
			"Dependable %s with %d years of experience in warehousing and transport, with a clean licence and a strong safety record.",
			"Hard-working %s with %d years in fast-moving distribution centres; punctual, flexible on shifts and used to hitting targets.",
		},
	},
	Finance: {
		Label: "Finance & Accounting",
		Titles: []string{"Purchase Ledger Clerk", "Accounts Assistant", "Payroll Administrator",
			"Credit Controller", "Bookkeeper", "Management Accountant", "Financial Analyst",
			"Finance Manager"},
		Employers: []string{"Thornbury & Webb LLP", "Castlegate Accountancy Services", "Meridian Housing Group",
			"Larchfield Insurance Services Ltd", "Brookvale Building Supplies Ltd"},
		Skills: []string{"Xero", "Sage 50", "QuickBooks", "Excel (Pivot Tables, VLOOKUP)",
			"Month-end Close", "Bank Reconciliations", "VAT Returns", "Payroll (PAYE)",
			"Purchase Ledger", "Credit Control", "Management Accounts", "SAP"},
		Quals: []qual{
			{"AAT Level 4 Diploma in Professional Accounting", ""},
			{"ACCA (part-qualified, 9 of 13 exams)", "Kaplan"},
			{"CIMA Certificate in Business Accounting", "BPP"},
			{"BA (Hons) Accounting and Finance", "Sheffield Hallam University"},
		},
		Bullets: []string{
			"Processed 600+ supplier invoices a month and ran weekly BACS payment runs",
			"Prepared month-end journals, accruals and balance sheet reconciliations",
			"Submitted quarterly VAT returns under Making Tax Digital",
			"Reduced aged debt over 90 days by 35% through proactive credit control",
			"Ran monthly payroll for 250 staff including pensions and statutory payments",
			"Produced management accounts and variance commentary for the board",
		},
		Statements: []string{
			"Detail-focused %s with %d years of experience in practice and industry, confident with Xero, Sage and large spreadsheets.",
			"Numerate %s with %d years in busy finance teams, known for accurate month-ends and clear explanations of the figures.",
		},
	},
	Hospitality: {
		Label: "Hospitality & Catering",
		Titles: []string{"Kitchen Porter", "Barista", "Commis Chef", "Hotel Receptionist",
			"Bar Supervisor", "Chef de Partie", "Sous Chef", "Front of House Manager",
			"Restaurant Manager"},
		Employers: []string{"The Harbourview Hotel", "Copper Kettle Café", "The Old Forge Inn",
			"Saffron Lane Kitchen", "Grand Albion Hotel", "The Moorland Arms"},
		Skills: []string{"Food Hygiene Level 2", "Allergen Awareness", "Cash Handling",
			"EPOS Systems", "Customer Service", "Stock Rotation", "Menu Planning",
			"Personal Licence Holder", "HACCP", "Opera PMS", "Barista Skills"},
		Quals: []qual{
			{"NVQ Level 2 Professional Cookery", ""},
			{"Level 3 Award in Supervising Food Safety in Catering", "Highfield Qualifications"},
			{"BTEC Level 3 Extended Diploma in Hospitality", ""},
			{"Level 2 Award for Personal Licence Holders", ""},
		},
		Bullets: []string{
			"Ran the grill and sauce sections for 120 covers a night",
			"Kept HACCP records and temperature logs for a 5-star food hygiene rating",
			"Managed a front-of-house team of 8 and the weekly rota",
			"Handled check-ins, reservations and complaints on Opera PMS",
			"Cut food waste by 20% with better stock rotation and specials",
			"Trained new staff on allergens, EPOS and cash handling",
		},
		Statements: []string{
			"Energetic %s with %d years of experience in busy kitchens and hotels, calm under pressure and passionate about great service.",
			"Guest-focused %s with %d years in hospitality; organised, flexible on shifts and proud of high food safety standards.",
		},
	},
	SocialWork: {
		Label: "Social Work & Social Care",
		Titles: []string{"Youth Worker", "Community Support Worker", "Residential Support Worker",
			"Family Support Worker", "Social Worker", "Children's Social Worker", "Senior Social Worker"},
		Employers: []string{"Calderbrook Metropolitan Borough Council", "Westvale County Council",
			"Brighter Futures Family Centre", "Harbour Lights Housing Association",
			"Ashton Lane Children's Home"},
		Skills: []string{"Safeguarding Adults", "Safeguarding Children", "Care Act 2014 Assessments",
			"Child Protection", "Case Management", "Mosaic", "Liquidlogic",
			"Motivational Interviewing", "Risk Assessment", "Multi-agency Working",
			"Court Report Writing"},
		Quals: []qual{
			{"BA (Hons) Social Work", "University of Central Lancashire"},
			{"MA Social Work", "University of Stirling"},
			{"Level 3 Diploma in Residential Childcare", ""},
			{"Practice Educator Professional Standards Stage 1", "University of Bradford"},
		},
		Bullets: []string{
			"Held a caseload of 18 children in need and child protection cases",
			"Completed Care Act assessments and support plans for older adults",
			"Wrote court reports and gave evidence in care proceedings",
			"Chaired core groups and worked with schools, police and health visitors",
			"Supported young people in a residential home to build independence skills",
			"Used motivational interviewing with families affected by substance misuse",
		},
		Statements: []string{
			"Resilient %s with %d years of statutory and voluntary sector experience, committed to strengths-based, relationship-led practice.",
			"Registered %s with %d years of experience safeguarding children and adults, with strong report writing and multi-agency skills.",
		},
	},
	Construction: {
		Label: "Construction & Trades",
		Titles: []string{"Labourer", "Groundworker", "Bricklayer", "Joiner", "Electrician",
			"Plant Operator", "Site Supervisor", "Quantity Surveyor", "Site Manager"},
		Employers: []string{"Redbrick Construction Ltd", "Stonebridge Builders Ltd", "Halewood Civil Engineering Ltd",
			"Tarnside Homes plc", "Oakbeam Joinery Ltd", "Greyfriars Electrical Services"},
		Skills: []string{"CSCS Card", "SMSTS", "SSSTS", "First Aid at Work", "Working at Heights",
			"CPCS 360 Excavator", "Asbestos Awareness", "IPAF", "PASMA",
			"18th Edition Wiring Regulations", "AutoCAD", "NEBOSH General Certificate"},
		Quals: []qual{
			{"NVQ Level 2 Trowel Occupations (Bricklaying)", ""},
			{"HNC Construction and the Built Environment", ""},
			{"BSc (Hons) Quantity Surveying", "Nottingham Trent University"},
			{"City & Guilds 2365 Level 3 Electrical Installation", ""},
			{"NEBOSH National General Certificate", "NEBOSH"},
		},
		Bullets: []string{
			"Ran day-to-day site operations on a 60-home development",
			"Carried out toolbox talks, RAMS briefings and site inductions",
			"Set out and laid blockwork and facing brick to NHBC standards",
			"Installed and tested domestic and commercial electrical systems",
			"Priced variations and prepared monthly valuations for the client",
			"Operated 360 excavators for drainage and foundation works",
		},
		Statements: []string{
			"Safety-conscious %s with %d years on residential and commercial sites, holding a current CSCS card and a strong eye for quality.",
			"Practical %s with %d years of experience delivering projects on time and on budget, used to working with subcontractors and clients.",
		},
	},
}

// neutralExtras are Additional Information lines with nothing sensitive in them.
var neutralExtras = []string{
	"Full UK driving licence and own car.",
	"Enhanced DBS certificate on the Update Service.",
	"Right to work in the UK without sponsorship.",
	"Available to start immediately; happy to work nights and weekends.",
	"Interests: fell walking, five-a-side football and baking.",
	"Volunteer at my local food bank on Saturday mornings.",
	"Conversational Welsh and basic British Sign Language (Level 1).",
	"Notice period: one month.",
}

// specialExtras volunteer special-category data about the candidate, as some CVs
// do. The second element is the GDPR category a tagger should find.
var specialExtras = [][2]string{
	{"I have type 1 diabetes, well controlled, and it has never affected my attendance.", "health"},
	{"I am a member of UNISON and have been a workplace representative since 2021.", "trade_union_membership"},
	{"I attend my local church and help run its Friday youth club.", "religious_beliefs"},
	{"I have a spent conviction from 2011, which is declared on my enhanced DBS.", "criminal_convictions"},
	{"I am dyslexic and use assistive software for written reports.", "health"},
	{"Active member of my local Labour Party branch and a volunteer canvasser.", "political_opinions"},
}

// trapExtras read like special-category data but are not about the candidate's own.
var trapExtras = []string{
	"I bring conviction in delivering results and a calm approach to deadlines.",
	"Completed a Health and Safety Officer induction course with my last employer.",
	"Cared for my grandmother, who lived with Parkinson's, for two years.",
}
