package classifiers

import (
	"reflect"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

func job(title, employer, start, end string) profile.Employment {
	return profile.Employment{Title: title, Employer: employer, Start: start, End: end}
}

func edu(institution, qualification, year string) profile.Education {
	return profile.Education{Institution: institution, Qualification: qualification, Year: year}
}

func TestEmployment(t *testing.T) {
	type E = profile.Employment
	cases := []struct {
		name string
		text string
		want []E
	}{
		{"title, employer (dates)",
			"Employment History\nStaff Nurse, Leeds Teaching Hospitals NHS Trust (Apr 2019 – Present)\n• Led a team",
			[]E{job("Staff Nurse", "Leeds Teaching Hospitals NHS Trust", "2019-04", "present")}},
		{"dates | title | employer",
			"Work Experience\nApr 2019 - present | Staff Nurse | St James's",
			[]E{job("Staff Nurse", "St James's", "2019-04", "present")}},
		{"years then title at employer",
			"Career History\n2015–2019  Care Assistant at Sunrise Care Home",
			[]E{job("Care Assistant", "Sunrise Care Home", "2015", "2019")}},
		{"three-line layout",
			"Work Experience\nSoftware Developer\nNorthern Digital Solutions, Leeds\nMarch 2016 – June 2019\n• Built APIs.",
			[]E{job("Software Developer", "Northern Digital Solutions", "2016-03", "2019-06")}},
		{"dates first, then title and employer below",
			"Experience\nMarch 2016 – June 2019\nCare Assistant\nSunrise Care Home\n• Personal care.",
			[]E{job("Care Assistant", "Sunrise Care Home", "2016-03", "2019-06")}},
		{"employer on the line above",
			"Experience\nSunrise Care Home, Bradford\nCare Assistant    Jan 2018 – Mar 2020",
			[]E{job("Care Assistant", "Sunrise Care Home", "2018-01", "2020-03")}},
		{"employer first is recognised by its words",
			"Experience\nSunrise Care Home, Care Assistant, 2015 - 2019",
			[]E{job("Care Assistant", "Sunrise Care Home", "2015", "2019")}},
		{"town and contract terms dropped",
			"Experience\nHGV Class 1 Driver, Northway Logistics Ltd, Manchester, Full-time | Jan 2019 – Present",
			[]E{job("HGV Class 1 Driver", "Northway Logistics Ltd", "2019-01", "present")}},
		{"employer picked among several parts",
			"Experience\nStaff Nurse, Ward 12, St James's University Hospital (2019 - 2021)",
			[]E{job("Staff Nurse", "St James's University Hospital", "2019", "2021")}},
		{"labelled fields",
			"Experience\nEmployer: Acme Ltd\nJob title: Analyst\n01/2018 - 12/2020",
			[]E{job("Analyst", "Acme Ltd", "2018-01", "2020-12")}},
		{"day-first full dates",
			"Experience\nBarista, Café Nero, 01/03/2017 - 31/08/2018",
			[]E{job("Barista", "Café Nero", "2017-03", "2018-08")}},
		{"ISO months and 'to date'",
			"Experience\nTeacher, Oakwood Academy, 2018-09 to date",
			[]E{job("Teacher", "Oakwood Academy", "2018-09", "present")}},
		{"short placement within one year",
			"Experience\nStudent Nurse placement, Leeds General Infirmary, Jan – Mar 2020",
			[]E{job("Student Nurse placement", "Leeds General Infirmary", "2020-01", "2020-03")}},
		{"duration note removed",
			"Experience\nChef, The Old Bell (Jun 2015 - Jul 2017) (2 years)",
			[]E{job("Chef", "The Old Bell", "2015-06", "2017-07")}},
		{"title only",
			"Experience\nVolunteer Driver (2012 - 2014)\n• Drove patients to appointments.",
			[]E{job("Volunteer Driver", "", "2012", "2014")}},
		{"sub-heading between jobs",
			"Experience\nNurse, Leeds NHS Trust (2019 - Present)\nKey achievements:\n• Cut falls by 20%.\nCarer, Sunrise Care Home (2015 - 2019)",
			[]E{job("Nurse", "Leeds NHS Trust", "2019", "present"), job("Carer", "Sunrise Care Home", "2015", "2019")}},
		{"stacked jobs do not steal each other's lines",
			"Experience\nSenior Carer\nMeadow View Care Home\nJan 2019 – Present\n• Led shifts.\n\nCare Assistant\nSunrise Care Home\n2015 – 2018\n• Personal care.",
			[]E{job("Senior Carer", "Meadow View Care Home", "2019-01", "present"), job("Care Assistant", "Sunrise Care Home", "2015", "2018")}},
		{"dates with nothing else give nothing", "Experience\n2015 – 2019\n• Did things.", nil},
		{"end before start is a misread", "Experience\nCarer, Sunrise Care Home (2019 - 2015)", nil},
		{"undated job is not guessed", "Experience\nStaff Nurse, Leeds Teaching Hospitals", nil},
		{"dated lines outside experience ignored", "Profile\nNurse since 2015 - 2019 at Leeds.\nEducation\nBSc Nursing, University of Leeds, 2012 – 2015", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := parse(c.text).Employment
			want := c.want
			if want == nil {
				want = []E{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestEducation(t *testing.T) {
	type E = profile.Education
	cases := []struct {
		name string
		text string
		want []E
	}{
		{"qualification, institution, year",
			"Education\nBSc (Hons) Adult Nursing (2:1), University of Leeds, 2019",
			[]E{edu("University of Leeds", "BSc (Hons) Adult Nursing (2:1)", "2019")}},
		{"pipes with a year range",
			"Education\nUniversity of Leeds | BSc (Hons) Adult Nursing | 2009 – 2012",
			[]E{edu("University of Leeds", "BSc (Hons) Adult Nursing", "2012")}},
		{"institution line then qualification line",
			"Education\nUniversity of Manchester                2013 – 2016\nBSc (Hons) Computer Science (First Class)",
			[]E{edu("University of Manchester", "BSc (Hons) Computer Science (First Class)", "2016")}},
		{"qualification line then institution line",
			"Education\nBSc (Hons) Computer Science\nUniversity of Manchester, 2013 – 2016",
			[]E{edu("University of Manchester", "BSc (Hons) Computer Science", "2016")}},
		{"subjects kept together",
			"Education\nA Levels: Biology (A), Chemistry (B), English (C) – Leeds City College, 2007",
			[]E{edu("Leeds City College", "A Levels: Biology (A), Chemistry (B), English (C)", "2007")}},
		{"no institution",
			"Qualifications\nNVQ Level 3 in Health and Social Care (2016)",
			[]E{edu("", "NVQ Level 3 in Health and Social Care", "2016")}},
		{"still studying has no year",
			"Education\nMSc Data Science, University of York, 2024 – present",
			[]E{edu("University of York", "MSc Data Science", "")}},
		{"town after institution dropped",
			"Education\nSt Mary's High School, Salford — 9 GCSEs including English and Maths (1995)",
			[]E{edu("St Mary's High School", "9 GCSEs including English and Maths", "1995")}},
		{"course without a qualification word is not an entry",
			"Training\nMoving and Handling of People, 2024\nFire safety awareness",
			nil},
		{"institution alone is not an entry", "Education\nUniversity of Leeds, 2012", nil},
		{"awards after education are not qualifications",
			"Education\nBachelor of Science in Computing, Example University, 2008\n\nHonors and Awards\nBest Diploma Project Award, 2008\nDean's List, Bachelor programme 2007",
			[]E{edu("Example University", "Bachelor of Science in Computing", "2008")}},
		{"achievements after education",
			"Education\nBA (Hons) History, University of Leeds, 2015\nAchievements\nBA dissertation prize 2015",
			[]E{edu("University of Leeds", "BA (Hons) History", "2015")}},
		{"education words outside the section ignored", "Profile\nI hold a BSc from the University of Leeds.", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := parse(c.text).Education
			want := c.want
			if want == nil {
				want = []E{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestJobDate(t *testing.T) {
	cases := map[string]string{
		"Apr 2019": "2019-04", "April 2019": "2019-04", "Sept 2019": "2019-09", "Sep. 2019": "2019-09",
		"04/2019": "2019-04", "4.2019": "2019-04", "2019-04": "2019-04", "01/04/2019": "2019-04", "2019": "2019",
		"Present": "present", "current": "present", "to date": "present", "13/2019": "", "Smarch 2019": "",
	}
	for in, want := range cases {
		if got := jobDate(in); got != want {
			t.Errorf("jobDate(%q) = %q, want %q", in, got, want)
		}
	}
}
