package classifiers

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

func sp(s string) *string { return &s }

// TestStructuredFieldsKeptAndNormalised: values a CSV or JSON Resume stated win over
// the text, after normalisation.
func TestStructuredFieldsKeptAndNormalised(t *testing.T) {
	text := "John Smith\njohn@example.com\n07700 900999\nLS6 3AA\nNI: JT987654B\nDOB: 01/01/1990\n" +
		"Skills\nPython\nExperience\nCarer, Sunrise Care Home (2015 - 2019)\nEducation\nBSc Nursing, University of York, 2012\nlinkedin.com/in/john"
	fields := profile.Candidate{
		Name:        sp("  JANE   DOE "),
		Emails:      []string{"Jane@EXAMPLE.com", "jane@example.com"},
		Phones:      []string{"07700 900 123", "+44 (0)113 496 0000"},
		Postcode:    sp("ls14ap"),
		Town:        sp("LEEDS"),
		NINumber:    sp("ab 12 34 56 c"),
		DateOfBirth: sp("14.03.1988"),
		Skills:      []string{"moving and handling", "Python", "Underwater basket weaving"},
		Employment:  []profile.Employment{{Title: " Staff  Nurse ", Employer: "NHS", Start: "2019-04-01", End: "Present"}},
		Education:   []profile.Education{{Institution: "University of Leeds", Qualification: "BSc Nursing", Year: "2012-06-30"}},
		Links:       []string{"www.linkedin.com/in/jane-doe/"},
	}
	got := parseCandidate(text, fields, testNow)
	want := profile.Candidate{
		Name:              sp("Jane Doe"),
		Emails:            []string{"Jane@example.com"},
		Phones:            []string{"+447700900123", "+441134960000"},
		Postcode:          sp("LS1 4AP"),
		Town:              sp("Leeds"),
		NINumber:          sp("AB123456C"),
		DateOfBirth:       sp("1988-03-14"),
		Skills:            []string{"Manual Handling", "Python", "Underwater basket weaving"},
		Employment:        []profile.Employment{{Title: "Staff Nurse", Employer: "NHS", Start: "2019-04", End: "present"}},
		Education:         []profile.Education{{Institution: "University of Leeds", Qualification: "BSc Nursing", Year: "2012"}},
		Links:             []string{"https://linkedin.com/in/jane-doe"},
		SpecialCategories: []profile.Tag{},
	}
	compareCandidates(t, got, want)
}

// TestInvalidStructuredValuesDropped: an invalid stated value is dropped and the text
// may supply the field instead.
func TestInvalidStructuredValuesDropped(t *testing.T) {
	text := "Jane Doe\njane@example.com | 07700 900123\n12 Park Row, Leeds LS1 4AP\nNI Number: AB123456C\nDate of Birth: 14/03/1988"
	fields := profile.Candidate{
		Name:        sp("   "),
		Emails:      []string{"not-an-email"},
		Phones:      []string{"2019-2021"},
		Postcode:    sp("AA1 1AA"),
		NINumber:    sp("QQ 12 34 56 C"),
		DateOfBirth: sp("31/02/1988"),
	}
	got := parseCandidate(text, fields, testNow)
	if deref(got.Name) != "Jane Doe" || !reflect.DeepEqual(got.Emails, []string{"jane@example.com"}) ||
		!reflect.DeepEqual(got.Phones, []string{"+447700900123"}) || deref(got.Postcode) != "LS1 4AP" ||
		deref(got.Town) != "Leeds" || deref(got.NINumber) != "AB123456C" || deref(got.DateOfBirth) != "1988-03-14" {
		j, _ := json.Marshal(got)
		t.Errorf("got %s", j)
	}
}

// TestStructuredTownKeptWithTextPostcode: a stated town is not replaced by the one
// beside the postcode the text supplied.
func TestStructuredTownKeptWithTextPostcode(t *testing.T) {
	got := parseCandidate("Jane Doe\n12 Park Row, Leeds LS1 4AP", profile.Candidate{Town: sp("Horsforth")}, testNow)
	if deref(got.Town) != "Horsforth" || deref(got.Postcode) != "LS1 4AP" {
		t.Errorf("town %q postcode %q", deref(got.Town), deref(got.Postcode))
	}
}

// TestNeverInvent: text without a field gives null or [], never a guess.
func TestNeverInvent(t *testing.T) {
	cases := []struct{ name, text string }{
		{"empty", ""},
		{"white space", " \n\t\n"},
		{"profile only", "Profile\nHard-working and reliable, looking for a new challenge in 2025.\nReferences\nOn request"},
		{"numbers that are not contact details", "Reference 2019-2021, invoice 14/03/1988, order AB-12-34\nSalary £25,000 - £30,000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := parseCandidate(c.text, profile.Candidate{}, testNow)
			want := profile.Candidate{}
			want.Normalise()
			compareCandidates(t, got, want)
		})
	}
}

// TestNonNilSlices: the JSON contract shows [] rather than null.
func TestNonNilSlices(t *testing.T) {
	j, err := json.Marshal(ParseCandidate("", profile.Candidate{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"emails", "phones", "skills", "employment", "education", "links", "special_categories"} {
		if !strings.Contains(string(j), `"`+f+`":[]`) {
			t.Errorf("%s is not []: %s", f, j)
		}
	}
}

// TestSpecialCategoriesUntouched: tagging is another detector's job; the parser
// neither adds tags nor drops the caller's.
func TestSpecialCategoriesUntouched(t *testing.T) {
	got := ParseCandidate("Jane Doe\nI manage type 1 diabetes.", profile.Candidate{})
	if len(got.SpecialCategories) != 0 {
		t.Errorf("parser tagged %+v", got.SpecialCategories)
	}
	tag := profile.Tag{Category: profile.Health, Evidence: "x", Start: 0, End: 1, Confidence: 0.9, Detector: "other"}
	got = ParseCandidate("x", profile.Candidate{SpecialCategories: []profile.Tag{tag}})
	if !reflect.DeepEqual(got.SpecialCategories, []profile.Tag{tag}) {
		t.Errorf("tags changed: %+v", got.SpecialCategories)
	}
}

// TestParseCandidateConcurrent exercises the shared word lists and matcher from
// several goroutines (run with -race).
func TestParseCandidateConcurrent(t *testing.T) {
	texts := []string{
		"Jane Doe\njane@example.com\nSkills\nPython, Xero\nExperience\nNurse, NHS (2019 - Present)",
		"Profile\nI am a caring support worker called Sarah Jones.",
	}
	for _, text := range texts {
		want := ParseCandidate(text, profile.Candidate{})
		done := make(chan profile.Candidate)
		for range 8 {
			go func() { done <- ParseCandidate(text, profile.Candidate{}) }()
		}
		for range 8 {
			if c := <-done; !reflect.DeepEqual(c, want) {
				t.Error("results differ between goroutines")
			}
		}
	}
}

func TestStructuredPhoneLosesNoSpreadsheetZero(t *testing.T) {
	for in, want := range map[string]string{
		"7700900123":   "+447700900123", // Excel dropped the 0
		"07700 900123": "+447700900123",
		"1234567890":   "", // not a UK mobile: never coerced
		"77009001234":  "", // eleven digits: not a stripped mobile
	} {
		got := ParseCandidate("", profile.Candidate{Phones: []string{in}})
		if (want == "" && len(got.Phones) != 0) || (want != "" && (len(got.Phones) != 1 || got.Phones[0] != want)) {
			t.Errorf("structured phone %q → %v, want %q", in, got.Phones, want)
		}
	}
}
