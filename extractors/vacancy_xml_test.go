package extractors

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

var feedWarehouse = profile.Vacancy{
	Reference: "WH-1042", Title: "Warehouse Operative", Employer: "Northgate Logistics", Town: "Leeds",
	Postcode: "LS10 1AB", Description: "Join our night shift team.\n\n- Forklift licence\n- Pick & pack",
	Salary: "£24,500 per year", JobType: "fulltime", PostedDate: "2026-11-20",
	URL: "https://jobs.example.com/wh-1042", Category: "Logistics",
}

func TestVacancyXMLExtract(t *testing.T) {
	tests := []struct {
		name         string
		file         string
		data         string
		maxJobs      int
		want         []profile.Vacancy
		wantProblems []Problem
		wantErr      Reason
	}{
		{
			name: "Indeed-style feed: CDATA, HTML description, entities, derived reference",
			file: "vacancy/feed.xml",
			want: []profile.Vacancy{feedWarehouse, {
				Reference: derivedVacancyReference("Care Assistant – Nights", "Northside Care Home", "https://jobs.example.com/care-7"),
				Title:     "Care Assistant – Nights", Employer: "Northside Care Home", Town: "Manchester", Postcode: "M1 1AE",
				Description: "Caring for residents overnight.\nTraining provided.", Salary: "£12.60 per hour",
				JobType: "parttime", PostedDate: "2026-11-18", URL: "https://jobs.example.com/care-7", Category: "Healthcare",
			}},
		},
		{
			name:         "truncated feed keeps the jobs before the break",
			file:         "vacancy/truncated.xml",
			want:         []profile.Vacancy{{Reference: "WH-1042", Title: "Warehouse Operative", Employer: "Northgate Logistics"}},
			wantProblems: []Problem{{Origin: "line 11", Reason: ReasonMalformed, Detail: "XML does not parse here; later jobs were skipped"}},
		},
		{
			name: "job cap", file: "vacancy/feed.xml", maxJobs: 1,
			want:         []profile.Vacancy{feedWarehouse},
			wantProblems: []Problem{{Origin: "line 21", Reason: ReasonTooLarge, Detail: "more than 1 jobs; the rest were skipped"}},
		},
		{
			name: "declared Latin-1 encoding",
			data: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<source><job><title>Caf\xe9 Manager</title>" +
				"<referencenumber>CM-1</referencenumber><salary>\xa330,000</salary></job></source>",
			want: []profile.Vacancy{{Reference: "CM-1", Title: "Café Manager", Salary: "£30,000"}},
		},
		{
			name: "unescaped HTML inside a description element",
			data: "<source><job><title>Chef</title><referencenumber>C-2</referencenumber>" +
				"<description><p>Busy kitchen<br>Split shifts</p><p>Apply now</p></description></job></source>",
			want: []profile.Vacancy{{Reference: "C-2", Title: "Chef", Description: "Busy kitchen\nSplit shifts\n\nApply now"}},
		},
		{name: "no jobs", data: "<source><publisher>x</publisher><job></job></source>", wantErr: ReasonNoText},
		{name: "breaks before the first job ends", data: "<source><job><title>Chef</title></jo", wantErr: ReasonMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.maxJobs > 0 {
				old := maxFeedJobs
				maxFeedJobs = tc.maxJobs
				t.Cleanup(func() { maxFeedJobs = old })
			}
			data := []byte(tc.data)
			if tc.file != "" {
				data = structuredFixture(t, tc.file)
			}
			if f := Sniff(data); f != FormatVacancyXML {
				t.Fatalf("sniffed as %s", f)
			}
			doc, err := Extract(context.Background(), Input{Name: "feed.xml", Data: data}, DefaultLimits)
			if tc.wantErr != "" {
				wantStructuredReason(t, err, tc.wantErr, "Chef")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Vacancies, tc.want) {
				t.Errorf("vacancies:\n%s\nwant:\n%s", structuredJSON(doc.Vacancies), structuredJSON(tc.want))
			}
			if !reflect.DeepEqual(doc.Problems, tc.wantProblems) {
				t.Errorf("problems %+v, want %+v", doc.Problems, tc.wantProblems)
			}
			if len(doc.Parts) != 0 {
				t.Errorf("a feed gave candidate parts: %+v", doc.Parts)
			}
		})
	}
}

func TestDerivedVacancyReferenceIsStable(t *testing.T) {
	a := derivedVacancyReference("Chef", "Harbour Cafe", "https://jobs.example.com/1")
	if a != derivedVacancyReference("Chef", "Harbour Cafe", "https://jobs.example.com/1") ||
		a == derivedVacancyReference("Chef", "Harbour Cafe", "https://jobs.example.com/2") ||
		a == derivedVacancyReference("ChefHarbour", " Cafe", "https://jobs.example.com/1") || !strings.HasPrefix(a, "sha256-") {
		t.Errorf("reference %q is not stable and distinct", a)
	}
}

func TestCrudeHTMLToText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<p>a</p><p>b</p>", "a\n\nb"},
		{"<ul><li>x</li><li>y</li></ul>", "- x\n- y"},
		{"a&nbsp;&amp;&lt;b&gt;", "a &<b>"},
		{"<style>p{}</style><script>x()</script>text", "text"},
		{"<table><tr><td>a</td><td>b</td></tr></table>", "a b"},
		{"plain", "plain"},
	} {
		if got := crudeHTMLToText(tc.in); got != tc.want {
			t.Errorf("crudeHTMLToText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzVacancyXML(f *testing.F) {
	structuredSeeds(f, "vacancy")
	f.Add([]byte("<source><job><description><![CDATA[<p>x]]></description></job><job><job></job></source>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		in := Input{Name: "fuzz.xml", Data: data}
		doc, err := vacancyXMLExtractor{}.Extract(ctx, in, DefaultLimits)
		fuzzCheckDoc(t, doc, err)
		if err == nil && len(doc.Parts) != 0 {
			t.Fatal("parts from a feed")
		}
		if Sniff(data) == FormatVacancyXML {
			doc, err = Extract(ctx, in, DefaultLimits)
			fuzzCheckDoc(t, doc, err)
		}
	})
}
