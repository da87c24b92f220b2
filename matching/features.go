package matching

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/cvetl/cvetl/classifiers"
	"github.com/cvetl/cvetl/config"
)

// Profile is everything matching may know about a candidate. It has no name, contact
// details, date of birth or age, gender, nationality, photo, NI number, links,
// employer or institution names, and no special-category data: a score cannot depend
// on what it is never given. TestProfileHasOnlyJobFacts keeps it that way.
type Profile struct {
	SubjectID      string
	Skills         []string
	Jobs           []Job
	Qualifications []string
	Postcode       string
	Town           string
}

// Job is one role in the candidate's history: the title and when, not the employer.
type Job struct {
	Title string `json:"title"`
	Start string `json:"start"` // YYYY-MM or YYYY
	End   string `json:"end"`   // YYYY-MM, YYYY or "present"
}

// Vacancy is what matching reads of a vacancy.
type Vacancy struct {
	ID, Title, Client, Town, Postcode, Description string
	Skills                                         []string
}

// vocab interns terms (skills, title words, qualifications, places) as small ints.
type vocab struct {
	ids   map[string]int32
	names []string
}

func newVocab() *vocab { return &vocab{ids: map[string]int32{}} }

func (v *vocab) id(s string) int32 {
	if id, ok := v.ids[s]; ok {
		return id
	}
	id := int32(len(v.names))
	v.ids[s] = id
	v.names = append(v.names, s)
	return id
}

// lookup is id without adding: -1 when unknown.
func (v *vocab) lookup(s string) int32 {
	if id, ok := v.ids[s]; ok {
		return id
	}
	return -1
}

// features are a candidate's interned features, after proxies are removed.
type features struct {
	skills   []int32 // sorted canonical skill ids
	jobs     []jobFeature
	quals    []int32 // sorted qualification ids
	district int32   // postcode outward code, -1 none
	area     int32   // postcode area letters, -1 none
	town     int32   // -1 none
}

type jobFeature struct {
	words  []int32 // distinct title words
	months int32
	title  string
}

// extractor turns Profiles and Vacancies into features, sharing one vocabulary and
// the canonical-skill cache (the taxonomy matcher is the slow part).
type extractor struct {
	cfg       config.Matching
	asOf      time.Time
	skills    *vocab
	words     *vocab
	quals     *vocab
	places    *vocab
	canonical map[string]string
	// Per distinct text: a million candidates share a few thousand skill, title and
	// qualification strings, and tokenising is the slow part.
	qualCache  map[string][]int32
	titleCache map[string]titleEntry
	placeCache map[[2]string][3]int32
}

func newExtractor(cfg config.Matching, asOf time.Time) *extractor {
	return &extractor{cfg: cfg, asOf: asOf, skills: newVocab(), words: newVocab(), quals: newVocab(),
		places: newVocab(), canonical: map[string]string{}, qualCache: map[string][]int32{}, titleCache: map[string]titleEntry{},
		placeCache: map[[2]string][3]int32{}}
}

// canonicalSkill maps a stated skill to the taxonomy's canonical name (synonyms:
// "moving and handling" is Manual Handling); a skill the taxonomy does not know is
// kept, lower-cased.
func (x *extractor) canonicalSkill(s string) string {
	if c, ok := x.canonical[s]; ok {
		return c
	}
	c := strings.ToLower(strings.TrimSpace(s))
	if found := classifiers.Skills(s); len(found) == 1 {
		c = found[0]
	}
	x.canonical[s] = c
	return c
}

func (x *extractor) candidate(p Profile) features {
	f := features{district: -1, area: -1, town: -1}
	for _, s := range p.Skills {
		if s = x.canonicalSkill(s); s != "" {
			f.skills = append(f.skills, x.skills.id(s))
		}
	}
	f.skills = sortedUnique(f.skills)
	if !x.cfg.Excludes("qualifications") {
		// Certificates are often listed as skills ("NEBOSH", "Food Hygiene Level 2").
		for _, q := range p.Qualifications {
			f.quals = append(f.quals, x.qualIDs(q)...)
		}
		for _, q := range p.Skills {
			f.quals = append(f.quals, x.qualIDs(q)...)
		}
		f.quals = sortedUnique(f.quals)
	}
	for _, j := range p.Jobs {
		t := x.title(j.Title)
		jf := jobFeature{months: int32(monthsBetween(j.Start, j.End, x.asOf)), title: t.title, words: t.ids}
		if len(jf.words) > 0 || jf.months > 0 {
			f.jobs = append(f.jobs, jf)
		}
	}
	key := [2]string{p.Postcode, p.Town}
	pl, ok := x.placeCache[key]
	if !ok {
		pl[0], pl[1], pl[2] = x.place(p.Postcode, p.Town, x.places.id)
		x.placeCache[key] = pl
	}
	f.district, f.area, f.town = pl[0], pl[1], pl[2]
	return f
}

func (x *extractor) qualIDs(text string) []int32 {
	ids, ok := x.qualCache[text]
	if !ok {
		for _, q := range qualificationTerms(text) {
			ids = append(ids, x.quals.id(q))
		}
		x.qualCache[text] = ids
	}
	return ids
}

// titleEntry is a job title once: its text for explanations and its words as sorted
// ids (shared by every job with that title: never modified).
type titleEntry struct {
	title string
	ids   []int32
}

func (x *extractor) title(title string) titleEntry {
	e, ok := x.titleCache[title]
	if !ok {
		e.title = strings.Clone(strings.TrimSpace(title))
		for _, w := range titleWords(title) {
			e.ids = append(e.ids, x.words.id(w))
		}
		e.ids = sortedUnique(e.ids)
		x.titleCache[strings.Clone(title)] = e
	}
	return e
}

// place interns the location features the proxies allow.
func (x *extractor) place(postcode, town string, intern func(string) int32) (district, area, townID int32) {
	district, area, townID = -1, -1, -1
	if !x.cfg.Excludes("location") && !x.cfg.Excludes("postcode") {
		if d, a := postcodeParts(postcode); d != "" {
			district, area = intern("d:"+d), intern("a:"+a)
		}
	}
	if !x.cfg.Excludes("location") && !x.cfg.Excludes("town") {
		if t := strings.ToLower(strings.TrimSpace(town)); t != "" {
			townID = intern("t:" + t)
		}
	}
	return district, area, townID
}

// vacancyFeatures are a vacancy's requirements as ids; unknown terms get -1 so that
// a skill nobody has still counts in the denominator.
type vacancyFeatures struct {
	skills      []string // canonical names, in the vacancy's order
	skillIDs    []int32
	words       []int32
	wordNames   []string
	quals       []string
	qualIDs     []int32
	years       float64 // experience asked for
	district    int32
	area        int32
	town        int32
	districtTxt string
	areaTxt     string
	townTxt     string
}

var yearsAsked = regexp.MustCompile(`(?i)\b(\d{1,2})\s*\+?\s*(?:years?|yrs?)\b`)

func (x *extractor) vacancy(v Vacancy) vacancyFeatures {
	var f vacancyFeatures
	seen := map[string]bool{}
	for _, s := range append(append([]string{}, v.Skills...), classifiers.Skills(v.Title)...) {
		c := x.canonicalSkill(s)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		f.skills = append(f.skills, c)
		f.skillIDs = append(f.skillIDs, x.skills.lookup(c))
	}
	if !x.cfg.Excludes("job_titles") {
		for _, w := range titleWords(v.Title) {
			f.wordNames = append(f.wordNames, w)
			f.words = append(f.words, x.words.lookup(w))
		}
	}
	if !x.cfg.Excludes("qualifications") {
		f.quals = qualificationTerms(v.Title + "\n" + v.Description)
		for _, q := range f.quals {
			f.qualIDs = append(f.qualIDs, x.quals.lookup(q))
		}
	}
	f.years = 2
	if m := yearsAsked.FindStringSubmatch(v.Description); m != nil {
		if n, _ := strconv.Atoi(m[1]); n > 0 && n <= 30 {
			f.years = float64(n)
		}
	}
	f.district, f.area, f.town = x.place(v.Postcode, v.Town, x.places.lookup)
	// The texts are kept even when no candidate shares the place: the vacancy still
	// asks for a location, and nobody gets the points.
	if !x.cfg.Excludes("location") && !x.cfg.Excludes("postcode") {
		f.districtTxt, f.areaTxt = postcodeParts(v.Postcode)
	}
	if !x.cfg.Excludes("location") && !x.cfg.Excludes("town") {
		f.townTxt = strings.TrimSpace(v.Town)
	}
	return f
}

// hasLocation reports whether the vacancy says where it is (among allowed features).
func (f *vacancyFeatures) hasLocation() bool { return f.districtTxt != "" || f.townTxt != "" }

var postcodeShape = regexp.MustCompile(`^([A-Z]{1,2})([0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})?$`)

// postcodeParts splits a UK postcode into its district ("LS1") and area ("LS").
func postcodeParts(pc string) (district, area string) {
	m := postcodeShape.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(pc)))
	if m == nil {
		return "", ""
	}
	return m[1] + m[2], m[1]
}

// titleStop are words that say nothing about the kind of job.
var titleStop = map[string]bool{"and": true, "of": true, "the": true, "a": true, "in": true, "for": true,
	"to": true, "senior": true, "junior": true, "trainee": true, "nights": true, "night": true, "days": true,
	"day": true, "band": true, "part": true, "full": true, "time": true, "temporary": true, "permanent": true,
	"contract": true, "locum": true, "relief": true, "bank": true, "1st": true, "2nd": true, "line": true,
	"level": true, "i": true, "ii": true, "iii": true, "with": true, "at": true, "ltd": true}

// titleSynonyms expand abbreviations recruiters use in job titles.
var titleSynonyms = map[string][]string{
	"rgn": {"registered", "nurse"}, "rmn": {"mental", "health", "nurse"}, "hca": {"healthcare", "assistant"},
	"carer": {"care", "assistant"}, "ta": {"teaching", "assistant"}, "hgv": {"driver"}, "lgv": {"driver"},
	"dev": {"developer"}, "sw": {"social", "worker"}, "nursing": {"nurse"}, "cook": {"chef"},
	"programmer": {"developer"}, "healthcare": {"healthcare"}, "it": {"it"},
}

// titleWords are the distinct, lower-cased, singular words of a job title.
func titleWords(title string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '+' && r != '#'
	}) {
		if titleStop[w] || len(w) < 2 {
			continue
		}
		if syn, ok := titleSynonyms[w]; ok {
			for _, s := range syn {
				add(s)
			}
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = strings.TrimSuffix(w, "s")
		}
		add(w)
	}
	return out
}

// monthsBetween is the length of a job in months; an open end is asOf.
func monthsBetween(start, end string, asOf time.Time) int {
	s, ok := yearMonth(start, 1)
	if !ok {
		return 0
	}
	e, ok := yearMonth(end, 12)
	if strings.EqualFold(strings.TrimSpace(end), "present") || !ok {
		e = asOf.Year()*12 + int(asOf.Month()) - 1
	}
	if n := e - s + 1; n > 0 {
		return n
	}
	return 0
}

// yearMonth reads YYYY-MM or YYYY (month defaulting to month) as months since year 0.
func yearMonth(s string, month int) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 4 {
		return 0, false
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1950 || y > 2100 {
		return 0, false
	}
	if len(s) >= 7 && s[4] == '-' {
		if m, err := strconv.Atoi(s[5:7]); err == nil && m >= 1 && m <= 12 {
			month = m
		}
	}
	return y*12 + month - 1, true
}

// merge joins two profiles of one subject: skills, jobs and qualifications add up;
// the place is the newer profile's when it has one.
func merge(a, b features, bNewer bool) features {
	out := features{skills: sortedUnique(append(append([]int32{}, a.skills...), b.skills...)),
		jobs:     append(append([]jobFeature{}, a.jobs...), b.jobs...),
		quals:    sortedUnique(append(append([]int32{}, a.quals...), b.quals...)),
		district: a.district, area: a.area, town: a.town}
	if bNewer && (b.district >= 0 || b.town >= 0) || out.district < 0 && out.town < 0 {
		out.district, out.area, out.town = b.district, b.area, b.town
	}
	return out
}

func sortedUnique(ids []int32) []int32 {
	if len(ids) < 2 {
		return ids
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := ids[:1]
	for _, id := range ids[1:] {
		if id != out[len(out)-1] {
			out = append(out, id)
		}
	}
	return out
}

func contains(sorted []int32, id int32) bool {
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i] >= id })
	return i < len(sorted) && sorted[i] == id
}
