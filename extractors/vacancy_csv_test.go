package extractors

import (
	"context"
	"reflect"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

func TestVacancyCSVExtract(t *testing.T) {
	tests := []struct {
		name         string
		file         string
		data         string
		want         []profile.Vacancy
		wantProblems []Problem
		wantErr      Reason
	}{
		{
			name: "job board export: HTML description, UK dates, derived reference, ragged row",
			file: "vacancy/feed.csv",
			want: []profile.Vacancy{
				{Reference: "WH-1042", Title: "Warehouse Operative", Employer: "Northgate Logistics", Town: "Leeds",
					Postcode: "LS10 1AB", Description: "Join our night shift team.\n\n- Forklift licence",
					Salary: "£24500 per year", JobType: "Full-time", PostedDate: "2026-11-20",
					URL: "https://jobs.example.com/wh-1042", Category: "Logistics"},
				{Reference: derivedVacancyReference("Care Assistant", "Northside Care Home", "https://jobs.example.com/care-7"),
					Title: "Care Assistant", Employer: "Northside Care Home", Town: "Manchester",
					Description: "Days and nights available.", Salary: "£12.60 per hour", JobType: "Part-time",
					PostedDate: "2026-11-18", URL: "https://jobs.example.com/care-7", Category: "Healthcare"},
			},
			wantProblems: []Problem{{Origin: "line 4", Reason: ReasonBadRows, Detail: "3 fields, header has 11"}},
		},
		{
			name: "TSV with a contact e-mail column and skills",
			data: "Vacancy Reference\tJob Title\tEmployer\tTown\tPostcode\tSalary\tKey Skills\tContact Email\n" +
				"V-7\tBarista\tHarbour Cafe\tWhitby\tyo21 3pu\t£11.50/hr\tLatte art; cash handling\tjobs@example.org\n",
			want: []profile.Vacancy{{Reference: "V-7", Title: "Barista", Employer: "Harbour Cafe", Town: "Whitby",
				Postcode: "YO21 3PU", Salary: "£11.50/hr", Skills: []string{"Latte art", "cash handling"}}},
		},
		{name: "every row ragged", data: "Job ID,Title,Salary\nA,B\nC\n", wantErr: ReasonBadRows},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.data)
			if tc.file != "" {
				data = structuredFixture(t, tc.file)
			}
			if f := Sniff(data); f != FormatVacancyCSV {
				t.Fatalf("sniffed as %s", f)
			}
			doc, err := Extract(context.Background(), Input{Name: "vacancies.csv", Data: data}, DefaultLimits)
			if tc.wantErr != "" {
				wantStructuredReason(t, err, tc.wantErr)
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
		})
	}
}
