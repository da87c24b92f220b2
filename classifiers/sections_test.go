package classifiers

import (
	"strings"
	"testing"
)

// sectionSummary renders sections as "kind:Heading=body" with bodies trimmed, so the
// cases read like the CVs they describe.
func sectionSummary(text string) []string {
	var out []string
	for _, s := range Sections(text) {
		out = append(out, s.Kind+":"+s.Heading+"="+strings.TrimSpace(text[s.Start:s.End]))
	}
	return out
}

func TestSections(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"header then headings",
			"Jane Doe\njane@example.com\n\nPROFILE\nCaring nurse.\n\nWORK EXPERIENCE\nStaff Nurse\n\nEDUCATION & QUALIFICATIONS\nBSc Nursing\n\nREFERENCES\nOn request",
			[]string{"contact:=Jane Doe\njane@example.com", "profile:PROFILE=Caring nurse.", "experience:WORK EXPERIENCE=Staff Nurse",
				"education:EDUCATION & QUALIFICATIONS=BSc Nursing", "references:REFERENCES=On request"}},
		{"UK heading variants",
			"Personal Statement\na\nCareer History\nb\nEmployment History\nc\nKey Skills\nd\nAdditional Information\ne\nInterests\nf\nTraining\ng\nContact Details\nh",
			[]string{"profile:Personal Statement=a", "experience:Career History=b", "experience:Employment History=c", "skills:Key Skills=d",
				"additional:Additional Information=e", "additional:Interests=f", "education:Training=g", "contact:Contact Details=h"}},
		{"decorated and numbered headings",
			"== SKILLS ==\na\n**Profile**\nb\n1. Education\nc\nExperience:\nd",
			[]string{"skills:SKILLS=a", "profile:Profile=b", "education:Education=c", "experience:Experience=d"}},
		{"heading with ampersand and slash",
			"Skills & Interests\na\nEducation / Training\nb",
			[]string{"skills:Skills & Interests=a", "education:Education / Training=b"}},
		{"inline heading",
			"Jane Doe\nKey Skills: Python, SQL\nInterests: running",
			[]string{"contact:=Jane Doe", "skills:Key Skills=Python, SQL", "additional:Interests=running"}},
		{"inline label inside skills is not a new section",
			"Technical Skills\nLanguages: Python, Go\nFrameworks: Django",
			[]string{"skills:Technical Skills=Languages: Python, Go\nFrameworks: Django"}},
		{"inline label among contact details",
			"Jane Doe\nDriving licence: Full UK\njane@example.com\nProfile\nx",
			[]string{"contact:=Jane Doe\nDriving licence: Full UK\njane@example.com", "profile:Profile=x"}},
		{"summary labels in the header do not end it",
			"Jane Doe\nExperience: 10 years in care\nEducation: NVQ Level 3\n12 Park Row, Leeds LS1 4AP",
			[]string{"contact:=Jane Doe\nExperience: 10 years in care\nEducation: NVQ Level 3\n12 Park Row, Leeds LS1 4AP"}},
		{"honours and awards end education",
			"Education\nBSc\nHonours and Awards\nPrize\nHONORS & AWARDS\nMedal",
			[]string{"education:Education=BSc", "additional:Honours and Awards=Prize", "additional:HONORS & AWARDS=Medal"}},
		{"references available on request",
			"Skills\nTeamwork\nReferences available on request",
			[]string{"skills:Skills=Teamwork", "references:References available on request="}},
		{"bullet item is not a heading",
			"Education\n• Training\n- Skills\nBSc",
			[]string{"education:Education=• Training\n- Skills\nBSc"}},
		{"sub-heading inside a job history does not end it",
			"Experience\nNurse, NHS (2019 - Present)\nKey achievements:\n• Audit\nCarer, Home (2015 - 2019)\nEducation\nBSc",
			[]string{"experience:Experience=Nurse, NHS (2019 - Present)\nKey achievements:\n• Audit\nCarer, Home (2015 - 2019)", "education:Education=BSc"}},
		{"achievements after the job history is its own section",
			"Experience\nNurse, NHS (2019 - Present)\nKey achievements\nWon an award",
			[]string{"experience:Experience=Nurse, NHS (2019 - Present)", "additional:Key achievements=Won an award"}},
		{"long line is not a heading",
			"Experience of working in a busy acute ward with education responsibilities",
			[]string{"contact:=Experience of working in a busy acute ward with education responsibilities"}},
		{"Windows line endings", "Jane Doe\r\nSkills\r\nPython\r\n", []string{"contact:=Jane Doe", "skills:Skills=Python"}},
		{"no headings", "Jane Doe\nStaff Nurse", []string{"contact:=Jane Doe\nStaff Nurse"}},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := sectionSummary(c.text)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestSectionOffsets checks Start/End are byte offsets into the original text, also
// after multi-byte characters.
func TestSectionOffsets(t *testing.T) {
	text := "Zoë Brontë – Café Manager\n\nSKILLS\nBarista skills, latte art\n"
	secs := Sections(text)
	if len(secs) != 2 {
		t.Fatalf("got %d sections: %+v", len(secs), secs)
	}
	s := secs[1]
	if s.Kind != KindSkills || text[s.Start:s.End] != "Barista skills, latte art\n" {
		t.Errorf("got %+v body %q", s, text[s.Start:s.End])
	}
	if secs[0].Start != 0 || secs[0].End != strings.Index(text, "SKILLS") {
		t.Errorf("header section %+v", secs[0])
	}
}
