package samplegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

// The renderers share one line model: a "# " prefix marks a section heading (the
// convention of internal/synth) and an empty string is a blank line.

// contactLines are the lines under the name: address, phone and e-mail, and the
// personal details some UK CVs still give.
func (c Candidate) contactLines() []string {
	var out []string
	addr := strings.TrimSpace(strings.Join(nonEmpty(c.Address, c.Town), ", ") + " " + c.Postcode)
	if addr != "" {
		out = append(out, addr)
	}
	var contact []string
	if c.Phone != "" {
		contact = append(contact, pick2(c.Style.Headings, "Mobile: ", "Tel: ")+c.Phone)
	}
	if c.Email != "" {
		contact = append(contact, "Email: "+c.Email)
	}
	if len(contact) > 0 {
		out = append(out, strings.Join(contact, " | "))
	}
	if c.LinkedIn != "" {
		out = append(out, "LinkedIn: "+c.LinkedIn)
	}
	if c.DateOfBirth != "" {
		out = append(out, "Date of Birth: "+c.DateOfBirth)
	}
	if c.NINumber != "" {
		out = append(out, "National Insurance No: "+c.NINumber)
	}
	return out
}

func pick2(i int, a, b string) string {
	if i%2 == 0 {
		return a
	}
	return b
}

func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// bullet is the list marker of the candidate's template.
func (c Candidate) bullet() string {
	if c.Style.Headings == 2 {
		return "- "
	}
	return "• "
}

// jobLines writes one job in the candidate's layout.
func (c Candidate) jobLines(j Job) []string {
	where := j.Employer
	if j.Town != "" {
		where += ", " + j.Town
	}
	var out []string
	switch c.Style.Headings {
	case 1:
		out = append(out, where, j.Title+" ("+c.Period(j)+")")
	case 3:
		out = append(out, c.Period(j), j.Title+" – "+where)
	default:
		out = append(out, j.Title, where+" | "+c.Period(j))
	}
	for _, b := range j.Bullets {
		out = append(out, c.bullet()+b)
	}
	return out
}

func (c Candidate) educationLine(e Education) string {
	return e.Qualification + " – " + e.Institution + ", " + e.Year
}

// mainLines are the sections after the contact block, from the statement on.
func (c Candidate) mainLines(withSkills bool) []string {
	h := c.headings()
	out := []string{"# " + h.Profile, c.Statement, "", "# " + h.Experience}
	for i, j := range c.Jobs {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, c.jobLines(j)...)
	}
	out = append(out, "", "# "+h.Education)
	for _, e := range c.Education {
		out = append(out, c.educationLine(e))
	}
	if withSkills {
		out = append(out, "", "# "+h.Skills)
		out = append(out, c.skillLines()...)
	}
	if len(c.Extras) > 0 {
		out = append(out, "", "# "+h.Additional)
		out = append(out, c.Extras...)
	}
	out = append(out, "", "# "+h.References, "Available on request.")
	return out
}

func (c Candidate) skillLines() []string {
	if c.Style.Headings == 1 {
		return []string{strings.Join(c.Skills, ", ")}
	}
	out := make([]string, len(c.Skills))
	for i, s := range c.Skills {
		out[i] = c.bullet() + s
	}
	return out
}

// Lines is the CV as lines in the synth markup: "# " headings, blank separators.
func (c Candidate) Lines() []string {
	out := []string{"# " + c.Name()}
	out = append(out, c.contactLines()...)
	out = append(out, "")
	return append(out, c.mainLines(true)...)
}

// Text renders the CV as plain text with upper-case headings, as a candidate pasting
// from Word would send it.
func Text(c Candidate) string {
	var b strings.Builder
	for _, l := range c.Lines() {
		if h, ok := strings.CutPrefix(l, "# "); ok {
			l = strings.ToUpper(h)
			if c.Style.Headings == 3 {
				l = h + "\n" + strings.Repeat("-", len([]rune(h)))
			}
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// HTML renders the CV as a small standalone HTML page, as CV builders export them.
func HTML(c Candidate) string {
	e := html.EscapeString
	h := c.headings()
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s – CV</title>\n", e(c.Name()))
	b.WriteString("<style>body{font-family:Arial,sans-serif;max-width:48em;margin:2em auto}h2{border-bottom:1px solid #999}.meta{color:#555}</style>\n</head>\n<body>\n")
	fmt.Fprintf(&b, "<header>\n<h1>%s</h1>\n<p>", e(c.Name()))
	for i, l := range c.contactLines() {
		if i > 0 {
			b.WriteString("<br>\n")
		}
		b.WriteString(e(l))
	}
	b.WriteString("</p>\n</header>\n")
	section := func(title string) { fmt.Fprintf(&b, "<section>\n<h2>%s</h2>\n", e(title)) }
	section(h.Profile)
	fmt.Fprintf(&b, "<p>%s</p>\n</section>\n", e(c.Statement))
	section(h.Experience)
	for _, j := range c.Jobs {
		where := j.Employer
		if j.Town != "" {
			where += ", " + j.Town
		}
		fmt.Fprintf(&b, "<article>\n<h3>%s</h3>\n<p class=\"meta\">%s | %s</p>\n<ul>\n", e(j.Title), e(where), e(c.Period(j)))
		for _, bl := range j.Bullets {
			fmt.Fprintf(&b, "<li>%s</li>\n", e(bl))
		}
		b.WriteString("</ul>\n</article>\n")
	}
	b.WriteString("</section>\n")
	section(h.Education)
	b.WriteString("<ul>\n")
	for _, ed := range c.Education {
		fmt.Fprintf(&b, "<li>%s</li>\n", e(c.educationLine(ed)))
	}
	b.WriteString("</ul>\n</section>\n")
	section(h.Skills)
	b.WriteString("<ul>\n")
	for _, s := range c.Skills {
		fmt.Fprintf(&b, "<li>%s</li>\n", e(s))
	}
	b.WriteString("</ul>\n</section>\n")
	if len(c.Extras) > 0 {
		section(h.Additional)
		for _, x := range c.Extras {
			fmt.Fprintf(&b, "<p>%s</p>\n", e(x))
		}
		b.WriteString("</section>\n")
	}
	section(h.References)
	b.WriteString("<p>Available on request.</p>\n</section>\n</body>\n</html>\n")
	return b.String()
}

// JSON Resume v1.0.0 (https://jsonresume.org/schema), the properties cvetl reads.
type jsonResume struct {
	Schema    string        `json:"$schema"`
	Basics    jrBasics      `json:"basics"`
	Work      []jrWork      `json:"work"`
	Education []jrEducation `json:"education"`
	Skills    []jrSkill     `json:"skills"`
	Languages []jrLanguage  `json:"languages,omitempty"`
	Meta      jrMeta        `json:"meta"`
}

type jrBasics struct {
	Name     string      `json:"name"`
	Label    string      `json:"label"`
	Email    string      `json:"email,omitempty"`
	Phone    string      `json:"phone,omitempty"`
	Summary  string      `json:"summary"`
	Location jrLocation  `json:"location"`
	Profiles []jrProfile `json:"profiles"`
}

type jrLocation struct {
	Address     string `json:"address,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"`
	City        string `json:"city,omitempty"`
	CountryCode string `json:"countryCode"`
	Region      string `json:"region,omitempty"`
}

type jrProfile struct {
	Network  string `json:"network"`
	Username string `json:"username"`
	URL      string `json:"url"`
}

type jrWork struct {
	Name       string   `json:"name"`
	Position   string   `json:"position"`
	Location   string   `json:"location,omitempty"`
	StartDate  string   `json:"startDate"`
	EndDate    string   `json:"endDate,omitempty"`
	Highlights []string `json:"highlights"`
}

type jrEducation struct {
	Institution string `json:"institution"`
	StudyType   string `json:"studyType"`
	EndDate     string `json:"endDate,omitempty"`
}

type jrSkill struct {
	Name     string   `json:"name"`
	Keywords []string `json:"keywords,omitempty"`
}

type jrLanguage struct {
	Language string `json:"language"`
	Fluency  string `json:"fluency"`
}

type jrMeta struct {
	Version      string `json:"version"`
	LastModified string `json:"lastModified"`
}

// JSONResume renders the CV as a JSON Resume v1.0.0 document. Additional
// Information lines follow the statement in basics.summary, as people write them.
func JSONResume(c Candidate) []byte {
	r := jsonResume{
		Schema: "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
		Basics: jrBasics{
			Name: c.Name(), Label: c.Headline, Email: c.Email, Phone: c.Phone,
			Summary:  strings.Join(append([]string{c.Statement}, c.Extras...), "\n\n"),
			Location: jrLocation{Address: c.Address, PostalCode: c.Postcode, City: c.Town, CountryCode: "GB", Region: regionOf(c.Town)},
			Profiles: []jrProfile{},
		},
		Languages: []jrLanguage{{"English", "Native speaker"}},
		Meta:      jrMeta{Version: "v1.0.0", LastModified: "2026-11-18T09:30:00"},
	}
	if c.LinkedIn != "" {
		user := c.LinkedIn[strings.LastIndexByte(c.LinkedIn, '/')+1:]
		r.Basics.Profiles = append(r.Basics.Profiles, jrProfile{"LinkedIn", user, c.LinkedIn})
	}
	for _, j := range c.Jobs {
		w := jrWork{Name: j.Employer, Position: j.Title, Location: j.Town, StartDate: j.Start, Highlights: j.Bullets}
		if j.End != "present" {
			w.EndDate = j.End
		}
		r.Work = append(r.Work, w)
	}
	for _, e := range c.Education {
		r.Education = append(r.Education, jrEducation{Institution: e.Institution, StudyType: e.Qualification, EndDate: e.Year})
	}
	for _, s := range c.Skills {
		r.Skills = append(r.Skills, jrSkill{Name: s})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		panic(err) // only plain strings and slices: cannot fail
	}
	return b.Bytes()
}

func regionOf(town string) string {
	for _, p := range places {
		if p.Town == town {
			return p.County
		}
	}
	return ""
}
