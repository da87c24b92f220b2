// Package samplegen writes fictional UK candidate CVs and recruitment exports: the
// committed sample inbox under testdata/ and large synthetic corpora for
// benchmarks. Output is deterministic: the same seed always gives the same bytes.
package samplegen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Candidate is one fictional job seeker and the CV written about them. Fields hold
// values as the CV writes them ("07700 900123", "14/03/1988"); an empty field is
// left out of the CV.
type Candidate struct {
	Seed        uint64
	First, Last string
	Email       string
	Phone       string // as written, in one of several UK styles
	Address     string // street line, e.g. "14 Station Road"
	Town        string
	Postcode    string
	NINumber    string // as written: "JT 48 27 19 B" or "JT482719B"
	DateOfBirth string // as written after "Date of Birth:", DD/MM/YYYY
	LinkedIn    string // profile URL
	Sector      Sector
	Headline    string // the job title the candidate is looking for
	Statement   string
	Jobs        []Job // most recent first
	Education   []Education
	Skills      []string
	Extras      []string // lines of the Additional Information section
	// Special lists the GDPR special categories the Extras volunteer about the
	// candidate (what a tagger should find); traps are not listed.
	Special []string
	Style   Style
}

// Job is one role in the work history. Start and End are YYYY-MM; End may be
// "present".
type Job struct {
	Title, Employer, Town string
	Start, End            string
	Bullets               []string
}

// Education is one qualification.
type Education struct {
	Qualification, Institution, Year string
}

// Style picks the layout variants real CVs differ in.
type Style struct {
	Headings int // index into headingSets
	Dates    int // 0 "Apr 2019 – Present", 1 "April 2019 - Present", 2 "04/2019 – present"
}

// Name is the candidate's full name.
func (c Candidate) Name() string { return c.First + " " + c.Last }

// PhoneE164 is the phone number in E.164, as a parser should report it.
func (c Candidate) PhoneE164() string {
	if c.Phone == "" {
		return ""
	}
	var d strings.Builder
	for _, r := range c.Phone {
		if r >= '0' && r <= '9' {
			d.WriteRune(r)
		}
	}
	s := d.String()
	s = strings.TrimPrefix(s, "44")
	s = strings.TrimPrefix(s, "0")
	return "+44" + s
}

// NICompact is the NI number without spaces, as a parser should report it.
func (c Candidate) NICompact() string { return strings.ReplaceAll(c.NINumber, " ", "") }

// DateOfBirthISO is the date of birth as YYYY-MM-DD, or "".
func (c Candidate) DateOfBirthISO() string {
	var d, m, y int
	if _, err := fmt.Sscanf(c.DateOfBirth, "%d/%d/%d", &d, &m, &y); err != nil {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// headingSet is one CV template's section headings.
type headingSet struct {
	Profile, Experience, Education, Skills, Additional, References string
}

var headingSets = []headingSet{
	{"Personal Statement", "Work Experience", "Education & Qualifications", "Key Skills", "Additional Information", "References"},
	{"Personal Profile", "Career History", "Education", "Skills", "Additional Information", "References"},
	{"Profile", "Employment History", "Qualifications", "Core Skills", "Further Information", "Referees"},
	{"Professional Summary", "Experience", "Education and Training", "Key Skills", "Interests", "References"},
}

func (c Candidate) headings() headingSet { return headingSets[c.Style.Headings%len(headingSets)] }

var monthShort = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"}
var monthLong = []string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// Period formats a job's dates in the candidate's style.
func (c Candidate) Period(j Job) string {
	sep := " – "
	if c.Style.Dates == 1 {
		sep = " - "
	}
	return c.month(j.Start) + sep + c.month(j.End)
}

func (c Candidate) month(ym string) string {
	if ym == "present" {
		if c.Style.Dates == 2 {
			return "present"
		}
		return "Present"
	}
	var y, m int
	fmt.Sscanf(ym, "%d-%d", &y, &m)
	switch c.Style.Dates {
	case 1:
		return fmt.Sprintf("%s %d", monthLong[m-1], y)
	case 2:
		return fmt.Sprintf("%02d/%d", m, y)
	}
	return fmt.Sprintf("%s %d", monthShort[m-1], y)
}

// Options fix parts of a generated candidate; zero fields are drawn at random.
type Options struct {
	First, Last string
	Email       string
	NoEmail     bool
	Phone       string
	NoPhone     bool
	Sector      Sector
	Place       *Place
	Address     string
	WithDOB     bool
	DateOfBirth string
	WithNI      bool
	NINumber    string
	Headline    string
	Extras      []string // replace the random Additional Information lines
	Special     []string
	Jobs        int // number of jobs; 0 picks 2–4
	Bullets     int // fewest bullet points per job; 0 means 2 (up to 2 more are drawn)
	Style       *Style
}

// CV returns the candidate for seed. Equal seeds give equal candidates.
func CV(seed uint64) Candidate { return newCandidate(seed, Options{}) }

// fixedYear and fixedMonth are the "today" of every generated CV, so output never
// depends on the clock.
const fixedYear, fixedMonth = 2026, 11

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// newCandidate draws a candidate from seed. Every random draw happens whatever the
// options say, so fixing one field does not change the others.
func newCandidate(seed uint64, o Options) Candidate {
	r := newRand(seed)
	c := Candidate{Seed: seed}
	c.First, c.Last = pick(r, firstNames), pick(r, surnames)
	c.Sector = pick(r, Sectors)
	pl := pick(r, places)
	c.Style = Style{Headings: r.IntN(len(headingSets)), Dates: r.IntN(3)}
	phoneStyle := r.IntN(5)
	phoneNum := 900000 + r.IntN(1000)
	domain := pick(r, emailDomains)
	emailStyle := r.IntN(4)
	c.Address = fmt.Sprintf("%d %s", 1+r.IntN(120), pick(r, streets))
	if r.IntN(4) == 0 {
		c.Address = fmt.Sprintf("Flat %d, %s", 1+r.IntN(12), c.Address)
	}
	dobDay, dobMonth, dobAge := 1+r.IntN(28), 1+r.IntN(12), 17+r.IntN(6) // age at first job
	withDOB := r.IntN(4) == 0
	ni := fmt.Sprintf("%s %02d %02d %02d %c", pick(r, niPrefixes), r.IntN(100), r.IntN(100), r.IntN(100), 'A'+rune(r.IntN(4)))
	if r.IntN(2) == 0 {
		ni = strings.ReplaceAll(ni, " ", "")
	}
	withNI := r.IntN(6) == 0
	withLinkedIn := r.IntN(3) == 0
	nJobs := 2 + r.IntN(3)
	extraRoll := r.IntN(10)

	if o.First != "" {
		c.First = o.First
	}
	if o.Last != "" {
		c.Last = o.Last
	}
	if o.Sector != "" {
		c.Sector = o.Sector
	}
	if o.Place != nil {
		pl = *o.Place
	}
	if o.Style != nil {
		c.Style = *o.Style
	}
	if o.Jobs > 0 {
		nJobs = o.Jobs
	}
	c.Town, c.Postcode = pl.Town, pl.Postcode
	if o.Address != "" {
		c.Address = o.Address
	}
	sd := sectors[c.Sector]

	switch {
	case o.NoEmail:
	case o.Email != "":
		c.Email = o.Email
	default:
		c.Email = emailFor(c.First, c.Last, emailStyle, phoneNum, domain)
	}
	switch {
	case o.NoPhone:
	case o.Phone != "":
		c.Phone = o.Phone
	default:
		c.Phone = FormatPhone(phoneNum, phoneStyle)
	}
	if o.WithNI || o.NINumber != "" || withNI {
		c.NINumber = ni
		if o.NINumber != "" {
			c.NINumber = o.NINumber
		}
	}
	if withLinkedIn {
		c.LinkedIn = "https://www.linkedin.com/in/" + slug(c.First) + "-" + slug(c.Last) + fmt.Sprintf("-%03x", seed%4096)
	}

	c.Jobs = jobsFor(r, sd, pl.Town, nJobs, max(o.Bullets, 2))
	c.Headline = c.Jobs[0].Title
	if o.Headline != "" {
		c.Headline = o.Headline
		c.Jobs[0].Title = o.Headline
	}
	firstJob := yearOf(c.Jobs[len(c.Jobs)-1].Start)
	if o.WithDOB || o.DateOfBirth != "" || withDOB {
		c.DateOfBirth = fmt.Sprintf("%02d/%02d/%d", dobDay, dobMonth, firstJob-dobAge)
		if o.DateOfBirth != "" {
			c.DateOfBirth = o.DateOfBirth
		}
	}
	years := fixedYear - firstJob
	c.Statement = fmt.Sprintf(pick(r, sd.Statements), c.Headline, max(years, 1))
	c.Education = educationFor(r, sd, pl.Town, yearOf(c.Jobs[len(c.Jobs)-1].Start))
	c.Skills = pickN(r, sd.Skills, 5+r.IntN(4))

	extras := []string{pick(r, neutralExtras)}
	switch {
	case extraRoll == 0:
		sp := pick(r, specialExtras)
		extras = append(extras, sp[0])
		c.Special = append(c.Special, sp[1])
	case extraRoll == 1:
		extras = append(extras, pick(r, trapExtras))
	default:
		if second := pick(r, neutralExtras); second != extras[0] {
			extras = append(extras, second)
		}
	}
	c.Extras = extras
	if o.Extras != nil {
		c.Extras = o.Extras
		c.Special = o.Special
	}
	return c
}

func yearOf(ym string) int {
	var y int
	fmt.Sscanf(ym, "%d", &y)
	return y
}

// FormatPhone writes 07700 9xxxxx (n is 900000–900999) in one of five UK styles.
func FormatPhone(n, style int) string {
	s := fmt.Sprintf("%06d", n)
	switch style % 5 {
	case 1:
		return "+44 (0)7700 " + s
	case 2:
		return "+44 7700 " + s
	case 3:
		return "07700" + s
	case 4:
		return "07700 " + s[:3] + " " + s[3:]
	}
	return "07700 " + s
}

func emailFor(first, last string, style, num int, domain string) string {
	f, l := slug(first), slug(last)
	switch style {
	case 1:
		return f[:1] + "." + l + "@" + domain
	case 2:
		return f + l + fmt.Sprint(num%100) + "@" + domain
	case 3:
		return f + "_" + l + "@" + domain
	}
	return f + "." + l + "@" + domain
}

// slug lowercases a name for an e-mail local part, dropping accents and punctuation.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if a, ok := unaccent[r]; ok {
			r = a
		}
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var unaccent = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ą': 'a', 'ç': 'c', 'ć': 'c', 'é': 'e', 'è': 'e',
	'ê': 'e', 'ë': 'e', 'ę': 'e', 'í': 'i', 'ï': 'i', 'ł': 'l', 'ń': 'n', 'ñ': 'n', 'ó': 'o',
	'ô': 'o', 'ö': 'o', 'ś': 's', 'ú': 'u', 'ü': 'u', 'ź': 'z', 'ż': 'z',
}

func pickN(r *rand.Rand, xs []string, n int) []string {
	idx := r.Perm(len(xs))
	out := make([]string, 0, n)
	for _, i := range idx[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

// jobsFor draws n jobs, most recent first, working back from the fixed today.
func jobsFor(r *rand.Rand, sd sectorData, town string, n, minBullets int) []Job {
	// Titles rise with seniority: the most recent job gets the highest index.
	titleIdx := make([]int, n)
	top := min(len(sd.Titles)-1, n+r.IntN(len(sd.Titles)-n/2))
	for i := range titleIdx {
		titleIdx[i] = max(0, top-i-r.IntN(2))
	}
	jobs := make([]Job, n)
	end := fixedYear*12 + fixedMonth - 1 // months since year 0
	current := r.IntN(10) < 7
	if !current {
		end -= 1 + r.IntN(8)
	}
	employers := r.Perm(len(sd.Employers))
	bullets := r.Perm(len(sd.Bullets)) // dealt in turn so jobs rarely repeat a line
	next := 0
	for i := range jobs {
		length := 10 + r.IntN(50)
		start := end - length
		j := Job{
			Title:    sd.Titles[titleIdx[i]],
			Employer: sd.Employers[employers[i%len(employers)]],
			Town:     town,
			Start:    fmt.Sprintf("%d-%02d", start/12, start%12+1),
			End:      fmt.Sprintf("%d-%02d", end/12, end%12+1),
		}
		for range min(minBullets+r.IntN(3), len(bullets)) {
			j.Bullets = append(j.Bullets, sd.Bullets[bullets[next%len(bullets)]])
			next++
		}
		if i == 0 && current {
			j.End = "present"
		}
		if r.IntN(4) == 0 {
			j.Town = pick(r, places).Town
		}
		jobs[i] = j
		end = start - r.IntN(3)
	}
	return jobs
}

func educationFor(r *rand.Rand, sd sectorData, town string, careerStart int) []Education {
	n := 1 + r.IntN(2)
	qs := r.Perm(len(sd.Quals))
	var out []Education
	for i := range n {
		q := sd.Quals[qs[i]]
		inst := q.Institution
		switch inst {
		case "":
			inst = town + " College"
		case "school":
			inst = pick(r, []string{"Oakwood High School", "St Aidan's Academy", "Meadowbank Community School", "Northfield Academy"})
		case "sixth form":
			inst = town + " Sixth Form College"
		}
		out = append(out, Education{Qualification: q.Qualification, Institution: inst,
			Year: fmt.Sprint(careerStart - i*2 - r.IntN(2))})
	}
	return out
}
