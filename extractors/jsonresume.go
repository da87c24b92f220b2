package extractors

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cvetl/cvetl/profile"
)

func init() { Register(FormatJSONResume, jsonResumeExtractor{}) }

// jrString accepts any JSON scalar, so a number where the schema wants a string
// (a year, a phone) is kept rather than failing the whole resume. It never errors:
// an Unmarshaler error would abort decoding.
type jrString string

func (s *jrString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var v string
		if json.Unmarshal(b, &v) == nil {
			*s = jrString(v)
		}
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*s = jrString(b)
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*s = jrString(b)
	}
	return nil
}

func (s jrString) str() string { return strings.TrimSpace(string(s)) }

// jrStrings accepts an array of scalars or a single string.
type jrStrings []string

func (s *jrStrings) UnmarshalJSON(b []byte) error {
	var one jrString
	var many []jrString
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		if json.Unmarshal(b, &many) == nil {
			for _, v := range many {
				if v.str() != "" {
					*s = append(*s, v.str())
				}
			}
		}
		return nil
	}
	_ = one.UnmarshalJSON(b)
	if one.str() != "" {
		*s = jrStrings{one.str()}
	}
	return nil
}

// jrResume is the part of the JSON Resume v1 schema cvetl reads. Unknown properties
// are ignored, as the schema allows them.
type jrResume struct {
	Basics *struct {
		Name     jrString `json:"name"`
		Label    jrString `json:"label"`
		Email    jrString `json:"email"`
		Phone    jrString `json:"phone"`
		URL      jrString `json:"url"`
		Website  jrString `json:"website"` // pre-1.0 name of url
		Summary  jrString `json:"summary"`
		Location struct {
			Address    jrString `json:"address"`
			PostalCode jrString `json:"postalCode"`
			City       jrString `json:"city"`
		} `json:"location"`
		Profiles []struct {
			Network  jrString `json:"network"`
			Username jrString `json:"username"`
			URL      jrString `json:"url"`
		} `json:"profiles"`
	} `json:"basics"`
	Work []struct {
		Name        jrString  `json:"name"`
		Company     jrString  `json:"company"` // pre-1.0 name of name
		Position    jrString  `json:"position"`
		Location    jrString  `json:"location"`
		Description jrString  `json:"description"`
		StartDate   jrString  `json:"startDate"`
		EndDate     jrString  `json:"endDate"`
		Summary     jrString  `json:"summary"`
		Highlights  jrStrings `json:"highlights"`
	} `json:"work"`
	Volunteer []struct {
		Organization jrString  `json:"organization"`
		Position     jrString  `json:"position"`
		StartDate    jrString  `json:"startDate"`
		EndDate      jrString  `json:"endDate"`
		Summary      jrString  `json:"summary"`
		Highlights   jrStrings `json:"highlights"`
	} `json:"volunteer"`
	Education []struct {
		Institution jrString  `json:"institution"`
		Area        jrString  `json:"area"`
		StudyType   jrString  `json:"studyType"`
		StartDate   jrString  `json:"startDate"`
		EndDate     jrString  `json:"endDate"`
		Score       jrString  `json:"score"`
		Courses     jrStrings `json:"courses"`
	} `json:"education"`
	Awards []struct {
		Title   jrString `json:"title"`
		Date    jrString `json:"date"`
		Awarder jrString `json:"awarder"`
		Summary jrString `json:"summary"`
	} `json:"awards"`
	Certificates []struct {
		Name   jrString `json:"name"`
		Date   jrString `json:"date"`
		Issuer jrString `json:"issuer"`
	} `json:"certificates"`
	Publications []struct {
		Name      jrString `json:"name"`
		Publisher jrString `json:"publisher"`
		Summary   jrString `json:"summary"`
	} `json:"publications"`
	Skills []struct {
		Name     jrString  `json:"name"`
		Keywords jrStrings `json:"keywords"`
	} `json:"skills"`
	Languages []struct {
		Language jrString `json:"language"`
		Fluency  jrString `json:"fluency"`
	} `json:"languages"`
	Interests []struct {
		Name     jrString  `json:"name"`
		Keywords jrStrings `json:"keywords"`
	} `json:"interests"`
	References []struct {
		Name      jrString `json:"name"`
		Reference jrString `json:"reference"`
	} `json:"references"`
	Projects []struct {
		Name        jrString  `json:"name"`
		Description jrString  `json:"description"`
		Highlights  jrStrings `json:"highlights"`
	} `json:"projects"`
}

type jsonResumeExtractor struct{}

func (jsonResumeExtractor) Extract(ctx context.Context, in Input, lim Limits) (*Document, error) {
	part, problems, err := jrPart(bytes.TrimPrefix(in.Data, []byte("\xEF\xBB\xBF")), "")
	if err != nil {
		return nil, err
	}
	return &Document{Format: FormatJSONResume, Parts: []Part{part}, Problems: problems}, nil
}

// jrPart reads one JSON Resume object. where prefixes the origin of its problems
// ("line 3, "), so a resume inside a multi-record export names its record.
func jrPart(data []byte, where string) (Part, []Problem, error) {
	var r jrResume
	err := json.Unmarshal(data, &r)
	var typeErr *json.UnmarshalTypeError
	var problems []Problem
	switch {
	case errors.As(err, &typeErr):
		// The decoder skips a mistyped property and fills the rest; keep what it got.
		problems = append(problems, Problem{Origin: where + "property " + jrPath(typeErr), Reason: ReasonMalformed,
			Detail: fmt.Sprintf("JSON %s where the schema expects %s", typeErr.Value, jrKind(typeErr))})
	case err != nil:
		return Part{}, nil, jrSyntaxError(data, err)
	}
	if r.Basics == nil || (typeErr != nil && typeErr.Field == "basics") {
		return Part{}, nil, Errorf(ReasonMalformed, "no \"basics\" object")
	}
	part := Part{Fields: jrFields(&r), Text: jrText(&r)}
	if part.Text == "" && part.Fields.Name == nil && len(part.Fields.Emails) == 0 && len(part.Fields.Employment) == 0 {
		return Part{}, nil, Errorf(ReasonNoText, "the resume has no values")
	}
	return part, problems, nil
}

func jrPath(e *json.UnmarshalTypeError) string {
	if e.Field == "" {
		return "(top level)"
	}
	return e.Field
}

func jrKind(e *json.UnmarshalTypeError) string {
	if e.Type == nil {
		return "another type"
	}
	switch e.Type.Kind().String() {
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	return e.Type.Kind().String()
}

// jrSyntaxError reports where the JSON breaks as line:column (1-based, column in
// characters, as editors show it), without quoting the offending text.
func jrSyntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return Errorf(ReasonMalformed, "JSON does not parse")
	}
	pos := min(max(int(se.Offset), 0), len(data))
	what := "JSON ends early"
	if pos < len(bytes.TrimRight(data, " \t\r\n")) {
		what = "JSON syntax error"
		if pos > 0 {
			pos-- // Offset counts the offending byte itself
		}
	}
	lineStart := bytes.LastIndexByte(data[:pos], '\n') + 1
	line := 1 + bytes.Count(data[:pos], []byte("\n"))
	col := 1 + utf8.RuneCount(data[lineStart:pos])
	return Errorf(ReasonMalformed, "%s at line %d, column %d", what, line, col)
}

func jrFields(r *jrResume) profile.Candidate {
	var c profile.Candidate
	b := r.Basics
	c.Name = csvStrPtr(b.Name.str())
	c.Emails = csvAppendUnique(nil, b.Email.str())
	c.Phones = csvAppendUnique(nil, b.Phone.str()) // raw: the classifiers do E.164
	c.Postcode = csvStrPtr(csvNormalisePostcode(b.Location.PostalCode.str()))
	c.Town = csvStrPtr(b.Location.City.str())
	c.Links = csvAppendUnique(c.Links, csvFirstNonEmpty(b.URL.str(), b.Website.str()))
	for _, p := range b.Profiles {
		c.Links = csvAppendUnique(c.Links, p.URL.str())
	}
	for _, w := range r.Work {
		e := profile.Employment{
			Title:    w.Position.str(),
			Employer: csvFirstNonEmpty(w.Name.str(), w.Company.str()),
			Start:    jrDate(w.StartDate.str()),
		}
		if e.Title == "" && e.Employer == "" {
			continue
		}
		if w.EndDate.str() == "" {
			// The schema's convention: a job with no end date is the current one.
			e.End = "present"
		} else {
			e.End = jrDate(w.EndDate.str())
		}
		c.Employment = append(c.Employment, e)
	}
	for _, ed := range r.Education {
		q := strings.TrimSpace(ed.StudyType.str() + " " + ed.Area.str())
		if ed.Institution.str() == "" && q == "" {
			continue
		}
		year := jrDate(ed.EndDate.str())
		if year == "present" {
			year = "" // still studying: no year to state
		} else if len(year) > 4 {
			year = year[:4]
		}
		c.Education = append(c.Education, profile.Education{Institution: ed.Institution.str(), Qualification: q, Year: year})
	}
	for _, s := range r.Skills {
		c.Skills = csvAppendUnique(c.Skills, s.Name.str())
		for _, k := range s.Keywords {
			c.Skills = csvAppendUnique(c.Skills, k)
		}
	}
	return c
}

var jrMonths = map[string]string{
	"jan": "01", "feb": "02", "mar": "03", "apr": "04", "may": "05", "jun": "06",
	"jul": "07", "aug": "08", "sep": "09", "oct": "10", "nov": "11", "dec": "12",
}

// jrDate turns an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, with time) into the
// profile's YYYY-MM or YYYY; "present"-like words stay "present"; anything else is
// dropped rather than guessed.
func jrDate(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return ""
	case "present", "current", "now", "ongoing", "today":
		return "present"
	}
	digits := func(x string) bool {
		_, err := strconv.Atoi(x)
		return err == nil && !strings.HasPrefix(x, "-") && !strings.HasPrefix(x, "+")
	}
	validMonth := func(m string) bool { return len(m) == 2 && digits(m) && m >= "01" && m <= "12" }
	switch {
	case len(s) >= 7 && digits(s[:4]) && (s[4] == '-' || s[4] == '/') && validMonth(s[5:7]):
		return s[:4] + "-" + s[5:7]
	case len(s) == 4 && digits(s):
		return s
	}
	// "Dec 2014", "December 2014", "12/2014"
	if f := strings.Fields(strings.ReplaceAll(s, "/", " ")); len(f) == 2 && len(f[1]) == 4 && digits(f[1]) {
		if m, ok := jrMonths[strings.ToLower(f[0][:min(3, len(f[0]))])]; ok {
			return f[1] + "-" + m
		}
		if len(f[0]) == 1 {
			f[0] = "0" + f[0]
		}
		if validMonth(f[0]) {
			return f[1] + "-" + f[0]
		}
	}
	return ""
}

// jrText lays the free-text properties out like a CV, so the special-category
// detectors see each statement with its heading and job for context.
func jrText(r *jrResume) string {
	var b strings.Builder
	line := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			b.WriteString(strings.Join(kept, " "))
			b.WriteByte('\n')
		}
	}
	section := func(title string) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(title)
		b.WriteByte('\n')
	}
	bullets := func(items []string) {
		for _, h := range items {
			line("-", h)
		}
	}
	span := func(start, end string) string {
		if start == "" && end == "" {
			return ""
		}
		return "(" + start + " – " + csvFirstNonEmpty(end, "present") + ")"
	}
	bs := r.Basics
	line(bs.Label.str())
	line(bs.Summary.str())
	if len(r.Work) > 0 {
		section("Work")
		for _, w := range r.Work {
			at := ""
			if org := csvFirstNonEmpty(w.Name.str(), w.Company.str()); org != "" {
				at = "at " + org
			}
			line(w.Position.str(), at, w.Location.str(), span(jrDate(w.StartDate.str()), jrDate(w.EndDate.str())))
			line(w.Description.str())
			line(w.Summary.str())
			bullets(w.Highlights)
		}
	}
	if len(r.Volunteer) > 0 {
		section("Volunteering")
		for _, v := range r.Volunteer {
			at := ""
			if v.Organization.str() != "" {
				at = "at " + v.Organization.str()
			}
			line(v.Position.str(), at, span(jrDate(v.StartDate.str()), jrDate(v.EndDate.str())))
			line(v.Summary.str())
			bullets(v.Highlights)
		}
	}
	if len(r.Education) > 0 {
		section("Education")
		for _, e := range r.Education {
			line(e.StudyType.str(), e.Area.str(), e.Institution.str(), span(jrDate(e.StartDate.str()), jrDate(e.EndDate.str())))
			if e.Score.str() != "" {
				line("Score:", e.Score.str())
			}
			bullets(e.Courses)
		}
	}
	if len(r.Skills) > 0 {
		section("Skills")
		for _, s := range r.Skills {
			line(nameWithKeywords(s.Name.str(), s.Keywords))
		}
	}
	if len(r.Certificates) > 0 {
		section("Certificates")
		for _, c := range r.Certificates {
			line(c.Name.str(), c.Issuer.str(), c.Date.str())
		}
	}
	if len(r.Awards) > 0 {
		section("Awards")
		for _, a := range r.Awards {
			line(a.Title.str(), a.Awarder.str(), a.Date.str())
			line(a.Summary.str())
		}
	}
	if len(r.Publications) > 0 {
		section("Publications")
		for _, p := range r.Publications {
			line(p.Name.str(), p.Publisher.str())
			line(p.Summary.str())
		}
	}
	if len(r.Projects) > 0 {
		section("Projects")
		for _, p := range r.Projects {
			line(p.Name.str())
			line(p.Description.str())
			bullets(p.Highlights)
		}
	}
	if len(r.Languages) > 0 {
		section("Languages")
		for _, l := range r.Languages {
			f := l.Fluency.str()
			if f != "" {
				f = "(" + f + ")"
			}
			line(l.Language.str(), f)
		}
	}
	if len(r.Interests) > 0 {
		section("Interests")
		for _, i := range r.Interests {
			line(nameWithKeywords(i.Name.str(), i.Keywords))
		}
	}
	if len(r.References) > 0 {
		// A referee's words can reveal the candidate's health or beliefs too.
		section("References")
		for _, ref := range r.References {
			line(ref.Reference.str())
		}
	}
	return strings.TrimSpace(b.String())
}

// nameWithKeywords renders a JSON Resume skill or interest: "Name: kw1, kw2".
func nameWithKeywords(name string, keywords []string) string {
	kw := strings.Join(keywords, ", ")
	if name != "" && kw != "" {
		return name + ": " + kw
	}
	return name + kw
}
