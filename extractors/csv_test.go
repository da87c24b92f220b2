package extractors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/cvetl/cvetl/profile"
)

// ---- helpers shared by the structured-extractor tests ----

func structuredFixture(tb testing.TB, rel string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", rel))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// structuredSeeds adds every fixture under testdata/dir to a fuzz corpus.
func structuredSeeds(f *testing.F, dir string) {
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata/%s", dir)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func structPtr(s string) *string { return &s }

func structuredJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// wantReason checks an extraction error's reason and that its message holds none
// of the fixture's personal data.
func wantStructuredReason(t *testing.T, err error, want Reason, pii ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", want)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if e.Reason != want {
		t.Fatalf("reason %s (%v), want %s", e.Reason, err, want)
	}
	for _, p := range append(pii, "example.com", "example.org", "7700") {
		if strings.Contains(err.Error(), p) {
			t.Errorf("error message %q leaks %q", err, p)
		}
	}
}

// fuzzCheckDoc asserts the invariants every structured extractor keeps.
func fuzzCheckDoc(t *testing.T, doc *Document, err error) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("plain error %T: %v", err, err)
		}
		if e.Reason == ReasonPanic {
			t.Fatalf("panic: %v", err)
		}
		if doc != nil {
			t.Fatal("document returned with an error")
		}
		return
	}
	if doc == nil {
		t.Fatal("nil document without an error")
	}
	if len(doc.Parts) == 0 && len(doc.Vacancies) == 0 {
		t.Fatal("document with neither parts nor vacancies")
	}
	for _, p := range doc.Problems {
		if p.Origin == "" || p.Reason == "" {
			t.Fatalf("problem without origin or reason: %+v", p)
		}
		if p.Reason == ReasonPanic {
			t.Fatalf("panic recorded as a problem: %+v", p)
		}
	}
}

// ---- applicant CSV ----

var customATSMapping = CSVMapping{
	Name: "acme-ats",
	Columns: map[string]string{
		"Candidate Ref": CSVFieldIgnore, "Applicant": CSVFieldName, "Contact Mail": CSVFieldEmail,
		"Tel": CSVFieldPhone, "Home Town": CSVFieldTown, "Post Code": CSVFieldPostcode,
		"Role Now": CSVFieldJobTitle, "Org": CSVFieldEmployer, "Talents": CSVFieldSkills,
		"Birthdate": CSVFieldDateOfBirth, "NINO": CSVFieldNINumber, "Profile Link": CSVFieldLinkedIn,
	},
	FreeText: []string{"Recruiter Notes"},
}

func TestCSVExtract(t *testing.T) {
	tests := []struct {
		name         string
		file         string
		data         []byte // instead of file
		direct       bool   // call the extractor itself: Sniff routes UTF-16 to text
		mappings     []CSVMapping
		force        string
		want         []Part
		wantProblems []Problem
		wantErr      Reason
	}{
		{
			name: "indeed export: location split, applied-for job and status dropped, free text kept",
			file: "csv/indeed_applicants.csv",
			want: []Part{
				{Origin: "row 1", Text: "Relevant Experience: Picker Packer at Northgate Logistics (3 years)\n" +
					"Education: BTEC Level 3 Business, Leeds City College\n" +
					"Screener Questions & Answers: Do you hold a forklift licence? Yes | Can you work weekends? Yes\n" +
					"Cover Letter: I am reliable and I manage my type 1 diabetes well, so shifts are no problem.",
					Fields: profile.Candidate{Name: structPtr("Amelia Hartley"), Emails: []string{"amelia.hartley@example.com"},
						Phones: []string{"+44 7700 900123"}, Postcode: structPtr("LS1 4AP"), Town: structPtr("Leeds")}},
				{Origin: "row 2", Text: "Relevant Experience: Stock Controller at Pennine Foods\n" +
					"Screener Questions & Answers: Do you hold a forklift licence? No",
					Fields: profile.Candidate{Name: structPtr("Tomasz Nowak"), Emails: []string{"tomasz.nowak@example.org"},
						Phones: []string{"07700 900456"}, Town: structPtr("Bradford")}},
				// No name in the export: none is invented.
				{Origin: "row 3", Fields: profile.Candidate{Postcode: structPtr("WF1 2DA"), Town: structPtr("Wakefield")}},
			},
		},
		{
			name: "reed export: first and last name joined, multi-line cover note, skills split",
			file: "csv/reed_applicants.csv",
			want: []Part{
				{Origin: "row 1", Text: "Cover Note: Dear hiring manager,\nI have six years' experience on a mental health ward.\nKind regards\nRight to work: Yes",
					Fields: profile.Candidate{Name: structPtr("Priya Raman"), Emails: []string{"priya.raman@example.com"},
						Phones: []string{"07700 900321"}, Postcode: structPtr("M1 1AE"), Town: structPtr("Manchester"),
						Skills:     []string{"Medication administration", "Care planning", "Dementia care"},
						Employment: []profile.Employment{{Title: "Staff Nurse", Employer: "Northside Care Home"}}}},
				{Origin: "row 2", Text: "Right to work: Requires sponsorship",
					Fields: profile.Candidate{Name: structPtr("Oliver Brooks"), Emails: []string{"oliver.brooks@example.org"},
						Phones: []string{"+44 7700 900654"}, Postcode: structPtr("BS1 5TR"), Town: structPtr("Bristol"),
						Skills: []string{"Excel", "SQL"}}},
			},
		},
		{
			name:     "config mapping selected by header match, semicolons",
			file:     "csv/custom_ats.csv",
			mappings: []CSVMapping{customATSMapping},
			want: []Part{
				{Origin: "row 1", Text: "Recruiter Notes: Strong on safety paperwork\nDiversity Answer: Prefer not to say",
					Fields: profile.Candidate{Name: structPtr("Samuel Okoro"), Emails: []string{"samuel.okoro@example.com"},
						Phones: []string{"07700 900510"}, Postcode: structPtr("S1 2HE"), Town: structPtr("Sheffield"),
						NINumber: structPtr("QQ123456C"), DateOfBirth: structPtr("1985-07-22"),
						Skills:     []string{"CSCS card", "First aid", "SMSTS"},
						Employment: []profile.Employment{{Title: "Site Supervisor", Employer: "Steelbank Construction"}},
						Links:      []string{"https://www.linkedin.com/in/samuel-okoro-example"}}},
				// An unreadable date of birth goes to the text for the classifiers.
				{Origin: "row 2", Text: "Birthdate: not known",
					Fields: profile.Candidate{Name: structPtr("Lena Fischer"), Emails: []string{"lena.fischer@example.org"},
						Phones: []string{"+44 7700 900511"}, Postcode: structPtr("YO1 7HH"), Town: structPtr("York")}},
			},
		},
		{
			name: "forced mapping overrides header match",
			file: "csv/generic_applicants.csv", force: "indeed",
			want: []Part{{Origin: "row 1", Fields: profile.Candidate{Name: structPtr("Noah Bennett"),
				Emails: []string{"noah.bennett@example.com"}, Phones: []string{"07700 900520"}}}},
		},
		{
			name: "plain export is not mistaken for Indeed's: Job Title is the candidate's",
			file: "csv/generic_applicants.csv",
			want: []Part{{Origin: "row 1", Fields: profile.Candidate{Name: structPtr("Noah Bennett"),
				Emails: []string{"noah.bennett@example.com"}, Phones: []string{"07700 900520"},
				Employment: []profile.Employment{{Title: "Forklift Driver"}}}}},
		},
		{
			name: "unknown forced mapping", file: "csv/generic_applicants.csv", force: "nope",
			wantErr: ReasonUnsupported,
		},
		{
			name: "TSV with date of birth, NI number, two e-mails and two phones",
			file: "csv/applicants.tsv",
			want: []Part{
				{Origin: "row 1", Text: "Notes: Available from January",
					Fields: profile.Candidate{Name: structPtr("Grace Okafor"), Emails: []string{"grace.okafor@example.com"},
						Phones: []string{"07700 900789"}, Postcode: structPtr("LS6 3AA"), Town: structPtr("Leeds"),
						NINumber: structPtr("QQ123456C"), DateOfBirth: structPtr("1988-03-14"),
						Links: []string{"https://www.linkedin.com/in/grace-okafor-example"}}},
				{Origin: "row 2", Fields: profile.Candidate{Name: structPtr("Jack Turner"),
					Emails: []string{"jack.turner@example.org", "j.turner@example.com"},
					Phones: []string{"07700 900790", "01632 960001"}, Town: structPtr("Hull")}},
			},
		},
		{
			name: "ragged rows reported by physical line, multi-line cells counted",
			file: "csv/ragged.csv",
			want: []Part{
				{Origin: "row 1", Text: "Cover Letter: Short letter", Fields: profile.Candidate{Name: structPtr("Ada Lin"),
					Emails: []string{"ada.lin@example.com"}, Phones: []string{"07700 900111"}}},
				{Origin: "row 2", Text: "Cover Letter: Line one\nline two\nline three", Fields: profile.Candidate{Name: structPtr("Ben Hale"),
					Emails: []string{"ben.hale@example.com"}, Phones: []string{"07700 900222"}}},
				{Origin: "row 5", Text: "Cover Letter: Multi\nline, with comma", Fields: profile.Candidate{Name: structPtr("Eve Park"),
					Emails: []string{"eve.park@example.org"}, Phones: []string{"07700 900444"}}},
				{Origin: "row 7", Text: "Cover Letter: Fine", Fields: profile.Candidate{Name: structPtr("Gail Ives"),
					Emails: []string{"gail.ives@example.com"}, Phones: []string{"07700 900666"}}},
			},
			wantProblems: []Problem{
				{Origin: "line 6", Reason: ReasonBadRows, Detail: "2 fields, header has 4"},
				{Origin: "line 7", Reason: ReasonBadRows, Detail: "5 fields, header has 4"},
				{Origin: "line 10", Reason: ReasonBadRows, Detail: "5 fields, header has 4"},
			},
		},
		{
			name: "unbalanced quote loses only its own row",
			file: "csv/unbalanced_quote.csv",
			want: []Part{
				{Origin: "row 2", Text: "Cover Letter: fine", Fields: profile.Candidate{Name: structPtr("Ben Hale"),
					Emails: []string{"ben.hale@example.com"}, Phones: []string{"07700 900222"}}},
				{Origin: "row 3", Text: "Cover Letter: fine", Fields: profile.Candidate{Name: structPtr("Cara Moss"),
					Emails: []string{"cara.moss@example.com"}, Phones: []string{"07700 900333"}}},
			},
			wantProblems: []Problem{{Origin: "line 2", Reason: ReasonBadRows, Detail: "2 fields, header has 4"}},
		},
		{name: "no good row", file: "csv/all_ragged.csv", wantErr: ReasonBadRows},
		{name: "header only", data: []byte("Name,Email,Phone\r\n"), wantErr: ReasonNoText},
		{
			name: "UTF-8 with BOM",
			file: "csv/bom_utf8.csv",
			want: []Part{{Origin: "row 1", Fields: profile.Candidate{Name: structPtr("Zoë Adeyemi"),
				Emails: []string{"zoe.adeyemi@example.com"}, Phones: []string{"07700 900777"}}}},
		},
		{
			name: "UTF-16 LE with BOM, tabs", file: "csv/utf16le.csv", direct: true,
			want: []Part{{Origin: "row 1", Fields: profile.Candidate{Name: structPtr("Zoë Adeyemi"),
				Emails: []string{"zoe.adeyemi@example.com"}, Phones: []string{"07700 900777"}}}},
		},
		{
			name: "UTF-16 BE with BOM", direct: true,
			data: utf16BE(t, "\uFEFFName,Email\nZoë Adeyemi,zoe.adeyemi@example.com\n"),
			want: []Part{{Origin: "row 1", Fields: profile.Candidate{Name: structPtr("Zoë Adeyemi"),
				Emails: []string{"zoe.adeyemi@example.com"}}}},
		},
		{
			name: "UTF-16 BE without BOM, through Sniff",
			data: utf16BE(t, "Name,Email,Town\nZoë Adeyemi,zoe.adeyemi@example.com,York\nAda Lin,ada.lin@example.com,Leeds\n"),
			want: []Part{
				{Origin: "row 1", Fields: profile.Candidate{Name: structPtr("Zoë Adeyemi"), Emails: []string{"zoe.adeyemi@example.com"}, Town: structPtr("York")}},
				{Origin: "row 2", Fields: profile.Candidate{Name: structPtr("Ada Lin"), Emails: []string{"ada.lin@example.com"}, Town: structPtr("Leeds")}},
			},
		},
		{
			name: "Windows-1252 with semicolons",
			file: "csv/cp1252_semicolon.csv",
			want: []Part{{Origin: "row 1", Fields: profile.Candidate{Name: structPtr("Renée Dubois"),
				Emails: []string{"renee.dubois@example.com"}, Phones: []string{"07700 900778"}, Town: structPtr("Reading")}}},
		},
		{
			name: "blank rows are skipped but still numbered",
			data: []byte("Name,Email,Town\n,,\nAda Lin,ada.lin@example.com,\n"),
			want: []Part{{Origin: "row 2", Fields: profile.Candidate{Name: structPtr("Ada Lin"), Emails: []string{"ada.lin@example.com"}}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := SetCSVMappings(tc.mappings); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = SetCSVMappings(nil) })
			data := tc.data
			if tc.file != "" {
				data = structuredFixture(t, tc.file)
			}
			ctx := context.Background()
			if tc.force != "" {
				ctx = WithCSVMapping(ctx, tc.force)
			}
			in := Input{Name: "export.csv", Data: data}
			var doc *Document
			var err error
			if tc.direct {
				doc, err = csvExtractor{}.Extract(ctx, in, DefaultLimits)
			} else {
				if f := Sniff(data); f != FormatCSV {
					t.Fatalf("sniffed as %s", f)
				}
				doc, err = Extract(ctx, in, DefaultLimits)
			}
			if tc.wantErr != "" {
				wantStructuredReason(t, err, tc.wantErr, "Ada", "Ben", "Noah")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Parts, tc.want) {
				t.Errorf("parts:\n%s\nwant:\n%s", structuredJSON(doc.Parts), structuredJSON(tc.want))
			}
			if !reflect.DeepEqual(doc.Problems, tc.wantProblems) {
				t.Errorf("problems: %+v, want %+v", doc.Problems, tc.wantProblems)
			}
		})
	}
}

func utf16BE(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSVWithoutItsMappingKeepsColumnsAsText(t *testing.T) {
	doc, err := Extract(context.Background(), Input{Name: "a.csv", Data: structuredFixture(t, "csv/custom_ats.csv")}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	p := doc.Parts[0]
	// Nothing is lost: the classifiers still find the e-mail in the text.
	if !strings.Contains(p.Text, "Contact Mail: samuel.okoro@example.com") || p.Fields.Emails != nil {
		t.Errorf("text %q, emails %v", p.Text, p.Fields.Emails)
	}
}

func TestCSVProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("Name,Email,Phone\nAda Lin,ada.lin@example.com,07700 900111\n")
	for i := 0; i < csvMaxProblems+5; i++ {
		b.WriteString("only,two\n")
	}
	doc, err := Extract(context.Background(), Input{Name: "a.csv", Data: []byte(b.String())}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(doc.Problems); got != csvMaxProblems+1 {
		t.Fatalf("%d problems, want %d", got, csvMaxProblems+1)
	}
	last := doc.Problems[len(doc.Problems)-1]
	if want := (Problem{Origin: "line " + strconv.Itoa(csvMaxProblems+3), Reason: ReasonBadRows, Detail: "5 more bad rows not listed"}); last != want {
		t.Errorf("summary %+v, want %+v", last, want)
	}
}

func TestCSVMappingAPI(t *testing.T) {
	t.Cleanup(func() { _ = SetCSVMappings(nil) })
	bad := []struct {
		name string
		m    CSVMapping
	}{
		{"no name", CSVMapping{Columns: map[string]string{"A": CSVFieldName}}},
		{"unknown field", CSVMapping{Name: "x", Columns: map[string]string{"A": "nickname"}}},
		{"empty header", CSVMapping{Name: "x", Columns: map[string]string{" ": CSVFieldName}}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if err := RegisterCSVMapping(tc.m); err == nil {
				t.Error("accepted")
			}
		})
	}
	if err := SetCSVMappings([]CSVMapping{{Name: "a"}, {Name: "a"}}); err == nil {
		t.Error("duplicate names accepted")
	}
	if err := RegisterCSVMapping(CSVMapping{Name: "a", Columns: map[string]string{"X": CSVFieldName}}); err != nil {
		t.Fatal(err)
	}
	if err := RegisterCSVMapping(CSVMapping{Name: "a", Columns: map[string]string{"Y": CSVFieldName}}); err != nil {
		t.Fatal(err)
	}
	if got, want := CSVMappingNames(), []string{"a", "indeed", "reed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("names %v, want %v", got, want)
	}
	if m, _ := lookupCSVMapping("a"); m.cols["y"] != CSVFieldName || m.cols["x"] != "" {
		t.Errorf("re-registering did not replace: %v", m.cols)
	}
}

func TestCSVSniff(t *testing.T) {
	t.Cleanup(func() { _ = SetCSVMappings(nil) })
	tests := []struct {
		name     string
		data     string
		mappings []CSVMapping
		want     Format
	}{
		{"indeed", string(structuredFixture(t, "csv/indeed_applicants.csv")), nil, FormatCSV},
		{"reed with expected salary", "First Name,Last Name,Email Address,Mobile,Salary Expectation\n", nil, FormatCSV},
		{"vacancy feed with a contact e-mail", "Job ID,Title,Company,Location,Salary,Contact Email\n", nil, FormatVacancyCSV},
		{"configured headers without an e-mail column", "Applicant;Tel;Home Town;Role Now;Org\n",
			[]CSVMapping{{Name: "m", Columns: map[string]string{"Home Town": CSVFieldTown, "Role Now": CSVFieldJobTitle, "Org": CSVFieldEmployer}}}, FormatCSV},
		{"prose with commas", "I like apples, pears, and plums.\nMore text.\n", nil, FormatText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := SetCSVMappings(tc.mappings); err != nil {
				t.Fatal(err)
			}
			if got := Sniff([]byte(tc.data)); got != tc.want {
				t.Errorf("Sniff = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCSVValueHelpers(t *testing.T) {
	locs := []struct{ in, town, postcode string }{
		{"Leeds, LS1 4AP", "Leeds", "LS1 4AP"},
		{"Leeds LS6", "Leeds", ""},
		{"ls14ap", "", "LS1 4AP"},
		{"Headingley, Leeds, West Yorkshire", "Headingley", ""},
		{"LS6, Leeds", "Leeds", ""},
		{"", "", ""},
	}
	for _, tc := range locs {
		if town, pc := csvSplitLocation(tc.in); town != tc.town || pc != tc.postcode {
			t.Errorf("csvSplitLocation(%q) = %q, %q; want %q, %q", tc.in, town, pc, tc.town, tc.postcode)
		}
	}
	dates := []struct{ in, want string }{
		{"14/03/1988", "1988-03-14"}, {"1988-03-14", "1988-03-14"}, {"14 March 1988", "1988-03-14"},
		{"Fri, 20 Nov 2026 06:00:00 GMT", "2026-11-20"}, {"2026-11-20T06:00:00Z", "2026-11-20"},
		{"31/02/1988", ""}, {"March 1988", ""}, {"not known", ""},
	}
	for _, tc := range dates {
		if got, _ := csvNormaliseDate(tc.in); got != tc.want {
			t.Errorf("csvNormaliseDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	delims := []struct {
		in   string
		want rune
	}{
		{"a,b,c\n", ','}, {"a\tb\tc\n", '\t'}, {"a;b;c\n", ';'}, {"\"a,b\";c;d\n", ';'}, {"a|b|c\n", '|'}, {"abc\n", ','},
	}
	for _, tc := range delims {
		if got := csvDetectDelimiter(tc.in); got != tc.want {
			t.Errorf("csvDetectDelimiter(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzCSV feeds both delimited extractors directly (a panic fails the test rather
// than being recovered) and through Extract.
func FuzzCSV(f *testing.F) {
	structuredSeeds(f, "csv")
	structuredSeeds(f, "vacancy")
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		in := Input{Name: "fuzz.csv", Data: data}
		doc, err := csvExtractor{}.Extract(ctx, in, DefaultLimits)
		fuzzCheckDoc(t, doc, err)
		if err == nil {
			for _, p := range doc.Parts {
				if !strings.HasPrefix(p.Origin, "row ") {
					t.Fatalf("origin %q", p.Origin)
				}
			}
		}
		doc, err = vacancyCSVExtractor{}.Extract(ctx, in, DefaultLimits)
		fuzzCheckDoc(t, doc, err)
		if f := Sniff(data); f == FormatCSV || f == FormatVacancyCSV {
			doc, err = Extract(ctx, in, DefaultLimits)
			fuzzCheckDoc(t, doc, err)
		}
	})
}

// A source whose applicant export uses its own header names gets a mapping from
// configuration; headers it does not name fall back to the generic table or, if
// unknown, to "Header: value" lines of Part.Text.
func ExampleRegisterCSVMapping() {
	defer SetCSVMappings(nil)
	err := RegisterCSVMapping(CSVMapping{
		Name:     "acme-ats",
		Columns:  map[string]string{"Applicant": CSVFieldName, "Contact Mail": CSVFieldEmail, "Home Town": CSVFieldTown},
		FreeText: []string{"Recruiter Notes"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	export := "Applicant;Contact Mail;Home Town;Recruiter Notes;Shoe Size\n" +
		"Ada Lin;ada.lin@example.com;York;Keen;5\n"
	// To skip header matching for a source, pass WithCSVMapping(ctx, "acme-ats").
	doc, err := Extract(context.Background(), Input{Name: "acme.csv", Data: []byte(export)}, DefaultLimits)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := doc.Parts[0]
	fmt.Println(p.Origin, *p.Fields.Name, p.Fields.Emails, *p.Fields.Town)
	fmt.Println(p.Text)
	// Output:
	// row 1 Ada Lin [ada.lin@example.com] York
	// Recruiter Notes: Keen
	// Shoe Size: 5
}
