package extractors

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

func TestJSONResumeFullSample(t *testing.T) {
	data := structuredFixture(t, "jsonresume/full.json")
	if f := Sniff(data); f != FormatJSONResume {
		t.Fatalf("sniffed as %s", f)
	}
	doc, err := Extract(context.Background(), Input{Name: "cv.json", Data: data}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Parts) != 1 || len(doc.Problems) != 0 {
		t.Fatalf("parts %d, problems %+v", len(doc.Parts), doc.Problems)
	}
	p := doc.Parts[0]
	want := profile.Candidate{
		Name:     structPtr("Hannah Whitfield"),
		Emails:   []string{"hannah.whitfield@example.com"},
		Phones:   []string{"+44 7700 900901"}, // raw: E.164 is the classifiers' job
		Postcode: structPtr("LS2 9JT"),
		Town:     structPtr("Leeds"),
		Skills:   []string{"Analytics", "SQL", "Python", "Power BI", "dbt"},
		Employment: []profile.Employment{
			{Title: "Senior Data Analyst", Employer: "Pennine Retail Group", Start: "2021-04", End: "present"},
			{Title: "Data Analyst", Employer: "Leeds Community Health", Start: "2017-09", End: "2021-03"},
		},
		Education: []profile.Education{
			{Institution: "University of Leeds", Qualification: "BSc Statistics", Year: "2016"},
			{Institution: "Open University", Qualification: "MSc Data Science"},
		},
		Links: []string{"https://hannah.example.org", "https://www.linkedin.com/in/hannah-whitfield-example",
			"https://github.com/hwhitfield-example"},
	}
	if !reflect.DeepEqual(p.Fields, want) {
		t.Errorf("fields:\n%s\nwant:\n%s", structuredJSON(p.Fields), structuredJSON(want))
	}
	if p.Origin != "" || p.Format != "" {
		t.Errorf("origin %q format %q, want empty for a whole-file CV", p.Origin, p.Format)
	}
	for _, s := range []string{
		"I use a wheelchair", // summary: special-category detection must see it
		"Senior Data Analyst at Pennine Retail Group (2021-04 – present)",
		"- Built the weekly sales dashboard", "Reporting on clinic waiting times.",
		"Driver at Leeds Food Bank", "Polish (Professional)", "Hannah is meticulous",
	} {
		if !strings.Contains(p.Text, s) {
			t.Errorf("text lacks %q:\n%s", s, p.Text)
		}
	}
	if strings.Contains(p.Text, "hannah.whitfield@example.com") {
		t.Error("contact details belong in Fields, not Text")
	}
}

func TestJSONResumeErrors(t *testing.T) {
	tests := []struct {
		name       string
		file       string
		data       string
		wantErr    Reason
		wantDetail string
		// viaExtract is the reason through Extract when it differs: a one-line object
		// without "basics" reads as a JSON Lines export of one flat record.
		viaExtract Reason
	}{
		{name: "missing comma", file: "jsonresume/malformed.json", wantErr: ReasonMalformed,
			wantDetail: "JSON syntax error at line 5, column 5"},
		{name: "truncated", file: "jsonresume/truncated.json", wantErr: ReasonMalformed,
			wantDetail: "JSON ends early at line 4, column 36"},
		{name: "column counts characters", data: "{\"basics\": {\"name\": \"Zoë\" x}}", wantErr: ReasonMalformed,
			wantDetail: "JSON syntax error at line 1, column 27"},
		{name: "no basics", data: `{"work": []}`, wantErr: ReasonMalformed, wantDetail: `no "basics" object`, viaExtract: ReasonBadRows},
		{name: "basics not an object", data: `{"basics": "Ivy Chen"}`, wantErr: ReasonMalformed, wantDetail: `no "basics" object`},
		{name: "all empty", data: `{"basics": {}}`, wantErr: ReasonNoText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.data)
			if tc.file != "" {
				data = structuredFixture(t, tc.file)
			}
			// Directly: Sniff sends JSON that does not parse to FormatJSON, whose
			// generic error has no position.
			_, err := jsonResumeExtractor{}.Extract(context.Background(), Input{Name: "cv.json", Data: data}, DefaultLimits)
			wantStructuredReason(t, err, tc.wantErr, "Ivy", "Chen", "Zoë")
			if e := err.(*Error); tc.wantDetail != "" && e.Detail != tc.wantDetail {
				t.Errorf("detail %q, want %q", e.Detail, tc.wantDetail)
			}
			// Through Extract the file is quarantined either way.
			if tc.wantErr == ReasonMalformed {
				want := ReasonMalformed
				if tc.viaExtract != "" {
					want = tc.viaExtract
				}
				_, err = Extract(context.Background(), Input{Name: "cv.json", Data: data}, DefaultLimits)
				wantStructuredReason(t, err, want, "Ivy", "Chen")
			}
		})
	}
}

func TestJSONResumeMistypedPropertiesKeepTheRest(t *testing.T) {
	doc, err := Extract(context.Background(), Input{Name: "cv.json", Data: structuredFixture(t, "jsonresume/mistyped.json")}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	f := doc.Parts[0].Fields
	if *f.Name != "Ivy Chen" || !reflect.DeepEqual(f.Phones, []string{"447700900902"}) ||
		!reflect.DeepEqual(f.Employment, []profile.Employment{{Title: "Clerk", Employer: "Acme Example Ltd", Start: "2019", End: "2020-12"}}) {
		t.Errorf("fields %s", structuredJSON(f))
	}
	want := []Problem{{Origin: "property education", Reason: ReasonMalformed, Detail: "JSON string where the schema expects an array"}}
	if !reflect.DeepEqual(doc.Problems, want) {
		t.Errorf("problems %+v, want %+v", doc.Problems, want)
	}
}

func TestJRDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2013-12-01", "2013-12"}, {"2013-12", "2013-12"}, {"2013", "2013"}, {"2013-12-01T10:00:00Z", "2013-12"},
		{"Present", "present"}, {"Dec 2014", "2014-12"}, {"December 2014", "2014-12"}, {"3/2014", "2014-03"},
		{"2013-13", ""}, {"soon", ""}, {"", ""}, {"-123", ""},
	} {
		if got := jrDate(tc.in); got != tc.want {
			t.Errorf("jrDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestJSONResumeExternalCorpus reads the upstream JSON Resume sample and schema test
// fixtures from the shared corpus when present (never copied into the repo).
func TestJSONResumeExternalCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "external", "jsonresume-schema")
	sample, err := os.ReadFile(filepath.Join(dir, "sample.resume.json"))
	if err != nil {
		t.Skip("shared corpus not present")
	}
	doc, err := Extract(context.Background(), Input{Name: "sample.resume.json", Data: sample}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	f := doc.Parts[0].Fields
	if f.Name == nil || len(f.Employment) != 1 || f.Employment[0].Start != "2013-12" || f.Employment[0].End != "2014-12" ||
		len(f.Education) != 1 || f.Education[0].Year != "2014" || len(f.Skills) != 8 || len(f.Links) != 3 {
		t.Errorf("sample resume: %s", structuredJSON(f))
	}
	fixtures, _ := filepath.Glob(filepath.Join(dir, "test-fixtures", "*.json"))
	n := 0
	for _, name := range fixtures {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var docs map[string]json.RawMessage
		if json.Unmarshal(raw, &docs) != nil {
			continue
		}
		for key, d := range docs {
			if !bytes.HasPrefix(bytes.TrimSpace(d), []byte("{")) {
				continue
			}
			n++
			_, err := jsonResumeExtractor{}.Extract(context.Background(), Input{Name: key, Data: d}, DefaultLimits)
			if r := ReasonOf(err); err != nil && r != ReasonMalformed && r != ReasonNoText {
				t.Errorf("%s %s: %v", filepath.Base(name), key, err)
			}
		}
	}
	t.Logf("%d schema fixtures extracted without a panic or unexpected reason", n)
}

func FuzzJSONResume(f *testing.F) {
	structuredSeeds(f, "jsonresume")
	f.Add([]byte(`{"basics":{"name":1,"profiles":[null,{"url":[]}]},"work":[{"endDate":{}}],"skills":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		in := Input{Name: "fuzz.json", Data: data}
		doc, err := jsonResumeExtractor{}.Extract(ctx, in, DefaultLimits)
		fuzzCheckDoc(t, doc, err)
		if err == nil && len(doc.Parts) != 1 {
			t.Fatalf("%d parts", len(doc.Parts))
		}
		if Sniff(data) == FormatJSONResume {
			doc, err = Extract(ctx, in, DefaultLimits)
			fuzzCheckDoc(t, doc, err)
		}
	})
}
