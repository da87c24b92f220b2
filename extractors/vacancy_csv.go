package extractors

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/cvetl/cvetl/profile"
)

func init() { Register(FormatVacancyCSV, vacancyCSVExtractor{}) }

// Vacancy field targets for the header table below.
const (
	vacReference   = "reference"
	vacTitle       = "title"
	vacEmployer    = "employer"
	vacTown        = "town"
	vacLocation    = "location" // "Leeds, LS1 4AP"
	vacPostcode    = "postcode"
	vacDescription = "description"
	vacSalary      = "salary"
	vacJobType     = "job_type"
	vacPosted      = "posted_date"
	vacURL         = "url"
	vacCategory    = "category"
	vacSkills      = "skills"
	vacIgnore      = "ignore"
)

// vacancyCSVColumns maps normalised header names (see csvHeaderKey) of job-board
// vacancy exports to Vacancy fields. Unknown headers are dropped: a vacancy holds no
// personal data that could be lost.
var vacancyCSVColumns = map[string]string{
	"reference": vacReference, "ref": vacReference, "job ref": vacReference,
	"job reference": vacReference, "vacancy reference": vacReference, "vacancy ref": vacReference,
	"job id": vacReference, "jobid": vacReference, "vacancy id": vacReference,
	"requisition id": vacReference, "reference number": vacReference, "referencenumber": vacReference,
	"title": vacTitle, "job title": vacTitle, "vacancy title": vacTitle, "vacancy": vacTitle,
	"position": vacTitle, "role": vacTitle,
	"company": vacEmployer, "employer": vacEmployer, "company name": vacEmployer,
	"hiring company": vacEmployer, "client": vacEmployer, "employer name": vacEmployer,
	"town": vacTown, "city": vacTown, "location": vacLocation, "job location": vacLocation,
	"postcode": vacPostcode, "post code": vacPostcode, "postal code": vacPostcode,
	"postalcode": vacPostcode, "zip": vacPostcode,
	"description": vacDescription, "job description": vacDescription, "details": vacDescription,
	"salary": vacSalary, "salary range": vacSalary, "pay": vacSalary, "rate": vacSalary,
	"job type": vacJobType, "jobtype": vacJobType, "contract type": vacJobType,
	"employment type": vacJobType, "type": vacJobType,
	"date posted": vacPosted, "posted": vacPosted, "posted date": vacPosted,
	"date": vacPosted, "publish date": vacPosted, "published": vacPosted,
	"url": vacURL, "link": vacURL, "job url": vacURL, "apply url": vacURL,
	"category": vacCategory, "sector": vacCategory, "industry": vacCategory,
	"skills": vacSkills, "required skills": vacSkills, "key skills": vacSkills,
	"closing date": vacIgnore, "expiry date": vacIgnore, "contact email": vacIgnore,
}

type vacancyCSVExtractor struct{}

func (vacancyCSVExtractor) Extract(ctx context.Context, in Input, lim Limits) (*Document, error) {
	tab, err := readCSVTable(ctx, in.Data)
	if err != nil {
		return nil, err
	}
	targets := make([]string, len(tab.header))
	for i, h := range tab.header {
		targets[i] = vacancyCSVColumns[csvHeaderKey(h)]
	}
	doc := &Document{Format: FormatVacancyCSV}
	for _, rec := range tab.rows {
		fields := map[string]string{}
		for i, v := range rec.fields {
			v = strings.TrimSpace(v)
			if t := targets[i]; t != "" && t != vacIgnore && v != "" && fields[t] == "" {
				fields[t] = v
			}
		}
		if len(fields) == 0 {
			continue
		}
		doc.Vacancies = append(doc.Vacancies, buildVacancy(fields))
	}
	if err := tab.finish(len(doc.Vacancies)); err != nil {
		return nil, err
	}
	doc.Problems = tab.problems // after finish: it appends the summary problem
	return doc, nil
}

// buildVacancy fills a Vacancy from field values keyed by the vac… targets; the XML
// feed uses it too, so both feeds clean values the same way.
func buildVacancy(f map[string]string) profile.Vacancy {
	clean := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	v := profile.Vacancy{
		Reference: clean(f[vacReference]),
		Title:     clean(f[vacTitle]),
		Employer:  clean(f[vacEmployer]),
		Town:      clean(f[vacTown]),
		Postcode:  csvNormalisePostcode(f[vacPostcode]),
		Salary:    clean(f[vacSalary]),
		JobType:   clean(f[vacJobType]),
		URL:       strings.TrimSpace(f[vacURL]),
		Category:  clean(f[vacCategory]),
	}
	if d := f[vacDescription]; strings.ContainsAny(d, "<&") {
		v.Description = crudeHTMLToText(d)
	} else {
		v.Description = crudeTidyText(d)
	}
	if loc := f[vacLocation]; loc != "" {
		t, p := csvSplitLocation(loc)
		v.Town, v.Postcode = csvFirstNonEmpty(v.Town, t), csvFirstNonEmpty(v.Postcode, p)
	}
	// Only a date we can read is kept: the field's contract is YYYY-MM-DD.
	if d, ok := csvNormaliseDate(f[vacPosted]); ok {
		v.PostedDate = d
	}
	if s := f[vacSkills]; s != "" {
		v.Skills = csvAppendSkills(nil, s)
	}
	if v.Reference == "" {
		v.Reference = derivedVacancyReference(v.Title, v.Employer, v.URL)
	}
	return v
}

// derivedVacancyReference gives a feed job without a reference one that is stable
// across nightly runs, so re-ingesting a feed does not duplicate its jobs.
func derivedVacancyReference(title, employer, url string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s", title, employer, url)))
	return "sha256-" + hex.EncodeToString(sum[:8])
}
