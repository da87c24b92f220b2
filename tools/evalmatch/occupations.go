package main

// The latent truth of the labelled set: occupations, what people in them write on a
// CV, and which occupations are near each other. Candidates' files show only the
// surface (titles as worded, some skills, a qualification); the judgements come from
// the occupation, experience and place behind them (see judge).

type occupation struct {
	id       string
	vacancy  string   // the vacancy's title
	titles   []string // how holders word their job title
	skills   []string // canonical taxonomy skills of the job
	written  []string // how some CVs write a few of them (synonyms)
	quals    []string // qualifications holders have
	asks     string   // qualification a vacancy asks for
	near     []string // occupations whose people could do this job
	minYears int      // experience the vacancy asks for
}

var occupations = []occupation{
	{"care_assistant", "Care Assistant", []string{"Care Assistant", "Carer", "Care Worker"}, []string{"Personal Care", "Manual Handling", "Dementia Care", "Medication Administration", "Care Planning", "Safeguarding Adults"}, []string{"moving and handling", "administering medication", "personal care tasks"}, []string{"NVQ Level 2 in Health and Social Care", "Care Certificate"}, "Care Certificate", []string{"senior_care_assistant", "support_worker", "healthcare_assistant"}, 0},
	{"senior_care_assistant", "Senior Care Assistant – Nights", []string{"Senior Care Assistant", "Senior Carer", "Team Leader (Care)"}, []string{"Medication Administration", "MAR Charts", "Care Planning", "Safeguarding Adults", "Manual Handling", "Hoist Operation"}, []string{"drug rounds", "moving and handling"}, []string{"NVQ Level 3 in Health and Social Care"}, "NVQ Level 3 in Health and Social Care", []string{"care_assistant", "healthcare_assistant"}, 2},
	{"support_worker", "Learning Disability Support Worker", []string{"Support Worker", "Residential Support Worker", "Community Support Worker"}, []string{"Learning Disability Support", "Autism Support", "Positive Behaviour Support", "Challenging Behaviour", "Personal Care", "Safeguarding Adults"}, []string{"pbs"}, []string{"NVQ Level 3 in Health and Social Care"}, "", []string{"care_assistant", "youth_worker"}, 0},
	{"healthcare_assistant", "Healthcare Assistant", []string{"Healthcare Assistant", "HCA", "Nursing Assistant"}, []string{"Clinical Observations", "Personal Care", "Infection Control", "Manual Handling", "Phlebotomy", "NEWS2"}, []string{"taking bloods", "moving and handling"}, []string{"Care Certificate"}, "Care Certificate", []string{"care_assistant", "staff_nurse"}, 0},
	{"staff_nurse", "Registered General Nurse (RGN)", []string{"Staff Nurse", "Registered Nurse", "RGN"}, []string{"NMC Registration", "Medicines Management", "Wound Care", "IV Therapy", "NEWS2", "Discharge Planning", "Venepuncture"}, []string{"drug administration"}, []string{"BSc Adult Nursing"}, "NMC registration", []string{"mental_health_nurse", "healthcare_assistant"}, 1},
	{"mental_health_nurse", "Registered Mental Health Nurse (RMN)", []string{"Mental Health Nurse", "RMN", "Community Psychiatric Nurse"}, []string{"NMC Registration", "Mental Health Nursing", "Mental Health Act 1983", "Medicines Management", "Care Planning", "Risk Assessment"}, nil, []string{"BSc Mental Health Nursing"}, "NMC registration", []string{"staff_nurse", "social_worker"}, 1},
	{"teaching_assistant", "Teaching Assistant (SEND)", []string{"Teaching Assistant", "Learning Support Assistant", "Higher Level Teaching Assistant"}, []string{"SEND", "Behaviour Management", "Phonics", "Classroom Support", "Safeguarding Children", "Intervention Groups"}, nil, []string{"Level 3 Certificate in Supporting Teaching and Learning"}, "Level 3 Supporting Teaching and Learning", []string{"primary_teacher", "youth_worker"}, 0},
	{"primary_teacher", "Primary School Teacher (KS2)", []string{"Primary Teacher", "Class Teacher", "Primary School Teacher"}, []string{"Lesson Planning", "Key Stage 2", "National Curriculum", "Behaviour Management", "Assessment for Learning", "Differentiation", "Phonics"}, nil, []string{"PGCE Primary with QTS", "BEd Primary Education"}, "QTS", []string{"teaching_assistant"}, 1},
	{"software_developer", "Software Developer (Go)", []string{"Software Developer", "Software Engineer", "Backend Developer"}, []string{"Go (Golang)", "PostgreSQL", "Docker", "REST APIs", "Git", "Microservices", "Kubernetes"}, []string{"golang"}, []string{"BSc Computer Science"}, "", []string{"devops_engineer", "data_analyst"}, 2},
	{"devops_engineer", "DevOps Engineer", []string{"DevOps Engineer", "Site Reliability Engineer", "Platform Engineer"}, []string{"AWS", "Terraform", "Kubernetes", "Docker", "CI/CD", "Linux", "Ansible"}, nil, []string{"BSc Computer Science"}, "", []string{"software_developer", "it_support"}, 2},
	{"data_analyst", "Data Analyst", []string{"Data Analyst", "BI Analyst", "Reporting Analyst"}, []string{"SQL", "Power BI", "Python", "Microsoft Excel", "Data Visualisation", "Tableau"}, nil, []string{"BSc Mathematics"}, "", []string{"software_developer", "management_accountant"}, 1},
	{"it_support", "IT Support Technician", []string{"IT Support Technician", "Service Desk Analyst", "1st Line Support Engineer"}, []string{"IT Support", "Active Directory", "Microsoft 365", "ITIL", "Windows Server", "Network Administration"}, nil, []string{"CompTIA A+", "ITIL Foundation"}, "ITIL v4", []string{"devops_engineer"}, 1},
	{"warehouse_operative", "Warehouse Operative", []string{"Warehouse Operative", "Picker Packer", "Warehouse Assistant"}, []string{"Order Picking", "Pick and Pack", "RF Scanners", "Goods In", "Despatch", "Forklift (Counterbalance)"}, nil, []string{"Counterbalance Forklift Licence"}, "", []string{"warehouse_team_leader", "hgv_driver"}, 0},
	{"warehouse_team_leader", "Warehouse Team Leader", []string{"Warehouse Team Leader", "Shift Supervisor (Warehouse)", "Warehouse Supervisor"}, []string{"Stock Control", "Warehouse Management Systems", "Forklift (Reach Truck)", "Goods In", "Despatch", "Stock Taking"}, nil, []string{"Counterbalance Forklift Licence"}, "Forklift Licence", []string{"warehouse_operative"}, 2},
	{"hgv_driver", "HGV Class 1 Driver", []string{"HGV Class 1 Driver", "Class 1 Driver", "LGV Driver"}, []string{"HGV Class 1 (C+E)", "Driver CPC", "Digital Tachograph", "Trunking", "Load Securing", "Vehicle Checks"}, nil, []string{"HGV Class 1 (C+E) licence", "Driver CPC"}, "Driver CPC", []string{"warehouse_operative"}, 1},
	{"payroll_administrator", "Payroll Administrator", []string{"Payroll Administrator", "Payroll Officer", "Payroll Clerk"}, []string{"Payroll", "Sage 50", "Pensions Administration", "HMRC Compliance", "Microsoft Excel", "Expenses Processing"}, nil, []string{"CIPP Foundation Degree in Payroll"}, "CIPP", []string{"accounts_assistant"}, 1},
	{"accounts_assistant", "Accounts Assistant", []string{"Accounts Assistant", "Purchase Ledger Clerk", "Finance Assistant"}, []string{"Accounts Payable", "Accounts Receivable", "Bank Reconciliation", "Xero", "Sage 50", "Sales Invoicing"}, nil, []string{"AAT Level 3"}, "AAT", []string{"payroll_administrator", "management_accountant"}, 0},
	{"management_accountant", "Management Accountant", []string{"Management Accountant", "Financial Accountant", "Finance Business Partner"}, []string{"Management Accounts", "Month End Close", "Budgeting", "Forecasting", "Variance Analysis", "Financial Reporting"}, nil, []string{"CIMA", "ACCA"}, "CIMA", []string{"accounts_assistant", "data_analyst"}, 3},
	{"chef_de_partie", "Chef de Partie", []string{"Chef de Partie", "Section Chef", "Commis Chef"}, []string{"Food Preparation", "Knife Skills", "Food Hygiene Level 2", "Allergen Awareness", "Menu Planning", "Kitchen Hygiene"}, nil, []string{"NVQ Level 3 Professional Cookery"}, "Food Hygiene Level 2", []string{"sous_chef"}, 1},
	{"sous_chef", "Sous Chef", []string{"Sous Chef", "Junior Sous Chef", "Head Chef"}, []string{"Kitchen Management", "Menu Planning", "Food Cost Control", "HACCP", "Food Hygiene Level 3", "Stock Rotation"}, nil, []string{"NVQ Level 3 Professional Cookery"}, "Food Hygiene Level 3", []string{"chef_de_partie"}, 3},
	{"social_worker", "Children's Social Worker", []string{"Social Worker", "Senior Social Worker", "Children's Social Worker"}, []string{"Section 47 Enquiries", "Child Protection Conferences", "Court Report Writing", "Multi-Agency Working", "Social Work England Registration", "Care Proceedings"}, nil, []string{"BA (Hons) Social Work"}, "Social Work England", []string{"family_support_worker", "mental_health_nurse"}, 2},
	{"family_support_worker", "Family Support Worker", []string{"Family Support Worker", "Early Help Practitioner", "Family Practitioner"}, []string{"Direct Work with Children", "Parenting Assessments", "Multi-Agency Working", "Safeguarding Children", "Supervised Contact"}, nil, []string{"Level 3 Diploma for the Children and Young People's Workforce"}, "", []string{"social_worker", "youth_worker"}, 0},
	{"youth_worker", "Youth Worker", []string{"Youth Worker", "Youth Support Worker", "Detached Youth Worker"}, []string{"Youth Work", "Safeguarding Children", "Substance Misuse Support", "Motivational Interviewing", "Multi-Agency Working"}, nil, []string{"Level 3 Youth Work"}, "", []string{"family_support_worker", "support_worker"}, 0},
	{"site_manager", "Site Manager", []string{"Site Manager", "Construction Manager", "Site Supervisor"}, []string{"SMSTS", "CSCS Card", "Site Management", "RAMS", "CDM Regulations", "First Aid at Work", "Groundworks"}, nil, []string{"SMSTS", "NEBOSH Construction Certificate"}, "SMSTS", []string{"health_safety_officer"}, 3},
	{"health_safety_officer", "Health and Safety Officer", []string{"Health and Safety Officer", "HSE Advisor", "SHEQ Advisor"}, []string{"NEBOSH", "IOSH Managing Safely", "RAMS", "CDM Regulations", "Health and Safety", "Working at Height"}, nil, []string{"NEBOSH General Certificate"}, "NEBOSH", []string{"site_manager"}, 2},
}

// places: postcode, town; two districts per area, six areas.
var places = [][2]string{
	{"LS1 4AP", "Leeds"}, {"LS6 2QT", "Leeds"}, {"S1 2HH", "Sheffield"}, {"S10 1AA", "Sheffield"},
	{"M1 1AE", "Manchester"}, {"M14 5RB", "Manchester"}, {"B1 1AA", "Birmingham"}, {"B15 2TT", "Birmingham"},
	{"G2 3BZ", "Glasgow"}, {"G12 8QQ", "Glasgow"}, {"BS1 4DJ", "Bristol"}, {"BS8 1TH", "Bristol"},
}

// unrelated are earlier jobs outside every occupation above.
var unrelated = []string{"Retail Assistant", "Customer Service Advisor", "Bar Staff", "Receptionist", "Delivery Driver", "Cleaner"}
