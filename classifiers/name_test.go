package classifiers

import "testing"

func TestName(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"first line", "Jane Doe\n12 Park Row, Leeds LS1 4AP", "Jane Doe"},
		{"after CV title", "CURRICULUM VITAE\nJane Doe\njane@example.com", "Jane Doe"},
		{"after Resume title", "Resume\n\nJane Doe", "Jane Doe"},
		{"all caps to title case", "JANE DOE\nStaff Nurse", "Jane Doe"},
		{"apostrophe and hyphen in caps", "MARY-JANE O'NEILL", "Mary-Jane O'Neill"},
		{"Mc prefix in caps", "CALLUM MCDONALD", "Callum McDonald"},
		{"labelled", "Personal Details\nName: Jane Doe\nEmail: jane@example.com", "Jane Doe"},
		{"labelled full name", "Full name - Jane Doe", "Jane Doe"},
		{"labelled, lower case with an initial", "Personal Details\nName: priya k\nDate of birth: 01/02/1990", "Priya K"},
		{"labelled after the header", "Curriculum Vitae\nStaff Nurse\n\nPersonal Details\nName: Jane Doe", "Jane Doe"},
		{"pipe list", "Jane Doe | jane@example.com | 07700 900123", "Jane Doe"},
		{"name then job title", "Jane Doe - Registered Nurse", "Jane Doe"},
		{"name comma job title", "Jane Doe, Registered Nurse", "Jane Doe"},
		{"post-nominals dropped", "Jane Doe BSc (Hons) RGN", "Jane Doe"},
		{"honorific dropped", "Dr. Jane Doe", "Jane Doe"},
		{"middle initial", "Jane A. Doe", "Jane A. Doe"},
		{"particle", "Ludwig van Beethoven", "Ludwig van Beethoven"},
		{"three names", "Mohammed Ali Khan\nLeeds", "Mohammed Ali Khan"},
		{"job title line before name", "Registered General Nurse\nJane Doe", "Jane Doe"},
		{"name run into a job title", "Jane Doe Registered Nurse\n07700 900123", "Jane Doe"},
		{"introduced in the profile", "Profile\nI am a caring support worker called Sarah Jones with five years of experience.", "Sarah Jones"},
		{"my name is", "My name is Sarah Jones.", "Sarah Jones"},
		{"I'm, then a clause", "Hi, I'm Sarah Jones, a support worker from Leeds", "Sarah Jones"},
		{"introduction without a name", "Profile\nI am a hard-working carer. I am Registered Nurse qualified.", ""},
		{"region is not a name", "Greater Manchester Area", ""},
		{"role after 'I'm' is not a name", "Profile\nI'm Team Leader at a busy warehouse.", ""},
		{"only a title", "Curriculum Vitae\n\nProfile\nExperienced nurse.", ""},
		{"job title is not a name", "Staff Nurse\nLeeds", ""},
		{"town is not a name", "Leeds\nWest Yorkshire", ""},
		{"employer is not a name", "Leeds Teaching Hospitals", ""},
		{"heading is not a name", "Personal Statement", ""},
		{"single word", "Jane\njane@example.com", ""},
		{"initial only first name", "J. Doe", ""},
		{"lower case words", "jane doe", ""},
		{"address line", "Flat 2 Park View", ""},
		{"too many words", "Jane Mary Anne Louise Doe", ""},
		{"name in a later section is not the header", "Staff Nurse\n\nReferences\nJane Doe", ""},
		{"empty", "", ""},

		// Initials. A name of one full word and an initial is stored only from the top
		// line with contact details after it; with two full words, from anywhere.
		{"initial last on the top line", "Priya K\nData Analyst - Example Ltd\n\nLeeds - priya.k@example.com", "Priya K"},
		{"initial first with a dot", "A. Kumar\nSoftware Engineer\nkumar@example.com", "A. Kumar"},
		{"first word abbreviated, initial last", "Mohd. K\n07700 900123", "Mohd. K"},
		{"initial first, no dot", "R Sharma | r.sharma@example.com", "R Sharma"},
		{"initial between two names", "Jane K Doe\nStaff Nurse", "Jane K Doe"},
		{"initial after two names, anywhere", "Curriculum Vitae\nStaff Nurse\nRavi Kumar K", "Ravi Kumar K"},
		{"initial first before two names", "Staff Nurse\nS Ravi Kumar", "S Ravi Kumar"},
		{"initial name without contact details", "Priya K\nStaff Nurse", ""},
		{"initial name not on the top line", "Staff Nurse\nPriya K\npriya@example.com", ""},
		{"initials only", "J. K.\njk@example.com", ""},

		// Lower case: Title-Cased, and only from the top line with contact details after it.
		{"lower case top line with an e-mail", "jane doe\njane.doe@example.com", "Jane Doe"},
		{"lower case surname", "Jane doe\nNurse - Example Care\n\nLeeds - Email me on Indeed: indeed.com/r/Jane-doe/1a2b3c", "Jane Doe"},
		{"lower case with a particle", "ludwig van beethoven\n07700 900123", "Ludwig van Beethoven"},
		{"lower case job title", "support worker\njane@example.com", ""},
		{"lower case sentence", "looking for work\njane@example.com", ""},
		{"lower case skills", "python sql\njane@example.com", ""},
		{"lower case four words", "jane mary anne doe\njane@example.com", ""},
		{"lower case before dates, not contact details", "jane doe\nStaff Nurse 01/2015 - 12/2019", ""},
		{"lower case after a title line", "Curriculum Vitae\njane doe\njane@example.com", "Jane Doe"},

		// Places are not names: better no name than a wrong one.
		{"city, state line", "Springfield, Illinois\n07700 900123", ""},
		{"city, state - Email me on Indeed", "Data Analyst\n\nPune, Maharashtra - Email me on Indeed: indeed.com/r/x/1a2b3c", ""},
		{"Indeed location line without a comma", "Senior Analyst\n\nNew Delhi - Email me on Indeed: indeed.com/r/x/1a2b3c", ""},
		{"city and state code", "Austin TX\njane@example.com", ""},
		{"city, province code", "Richmond, BC\njane@example.com", ""},
		{"full stop after the surname", "Jane Doe.\njane@example.com", "Jane Doe"},
		{"name then comma and letters", "Jane Doe, RGN\njane@example.com", "Jane Doe"},

		// Agency letterheads and skill lists are never a name; the name is looked for
		// further on.
		{"agency letterhead before the name", "BrightStaff Recruitment – Candidate Profile\n\nRhys Evans\n27 Church Street, Swansea SA1 3SN", "Rhys Evans"},
		{"agency letterhead, then Candidate label", "Northgate Staffing Solutions\nCandidate: Rhys Evans\nSite Manager", "Rhys Evans"},
		{"agency letterhead, then Candidate Name label", "Apex Recruitment Ltd\nCandidate Name: Rhys Evans", "Rhys Evans"},
		{"agency letterhead alone", "Harbour Consulting\nCandidate Profile\n07700 900123", ""},
		{"company letterhead alone", "Meridian Personnel Group", ""},
		{"a skill is not a name", "CSCS Card\n07700 900123", ""},
		{"a name holding a skill's word is", "Ruby Jenkins\n07700 900123", "Ruby Jenkins"},

		// Two-column layouts whose text comes out sidebar first: the name heads the
		// main column, with a headline under it, before the profile heading.
		{"sidebar CV", "Contact\n07700 900245\nt.nowak@example.org\nBradford BD1 1HY\n\nSkills\nADR Licence\nPick by Voice\n\nTomasz Nowak\nHGV Class 1 Driver\n\nPersonal Profile\nHard-working driver.", "Tomasz Nowak"},
		{"LinkedIn profile", "Contact\n07700 900950 (Mobile)\ncallum@example.com\n\nTop Skills\nCSCS Card\nSage Payroll\n\nCertifications\nSMSTS\n\nCallum Fraser\nHealth and Safety Officer at Greyfriars Electrical\nServices\nGlasgow, United Kingdom\n\nSummary\nSafety officer.", "Callum Fraser"},
		{"sidebar list item then a job line is not a name", "Contact\njane@example.com\n\nSkills\nTeam Leadership\nRota Planning\n\nExperience\nCarer", ""},
		{"referee with a job line is not a name", "Profile\nCaring nurse.\n\nReferences\nJane Doe\nWard Manager\n\nExperience\nCarer", ""},
		{"name and headline not before a profile heading", "Contact\njane@example.com\n\nSkills\nFirst Aid\n\nJane Doe\nStaff Nurse\n\nReferences\nAvailable.", ""},

		// Case: only an all-caps or all-lower name is re-cased.
		{"mixed-case surname kept", "Eilidh MacLeod\neilidh@example.com", "Eilidh MacLeod"},
		{"mixed-case surname after a caps first name", "EILIDH MacLeod\neilidh@example.com", "Eilidh MacLeod"},
		{"mixed-case surname after a lower first name", "eilidh MacLeod\neilidh@example.com", "Eilidh MacLeod"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := deref(parse(c.text).Name); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
