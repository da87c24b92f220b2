package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
)

// fileTimeout bounds one file's extraction and parsing.
const fileTimeout = 30 * time.Second

// analyseFile runs one file through the same path as ingestion. ok is false when
// extraction fails or yields no candidate; the diagnostics get the reason, and
// whether the extracted text holds U+FFFD (glyphs the extractor could not map).
func analyseFile(path string, d *Diag) (c profile.Candidate, ok bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return c, false, err
	}
	in := extractors.Input{Name: path, Data: data}
	a, aerr := pipeline.Analyse(context.Background(), in, extractors.DefaultLimits, fileTimeout)
	ok = aerr == nil && a != nil && len(a.Candidates) > 0
	reason := "ok"
	if aerr != nil {
		reason = string(extractors.ReasonOf(aerr))
	} else if !ok {
		reason = "no candidate"
	}
	d.tally("extraction: " + reason)
	if ok {
		c = a.Candidates[0].Candidate
		if doc, err := extractors.Extract(context.Background(), in, extractors.DefaultLimits); err == nil {
			bad, first := false, false
			for _, p := range doc.Parts {
				bad = bad || strings.ContainsRune(p.Text, '\uFFFD')
				top, _, _ := strings.Cut(strings.TrimSpace(p.Text), "\n")
				first = first || strings.ContainsRune(top, '\uFFFD')
			}
			d.add("extracted text has U+FFFD", bad)
			d.add("first text line (the name line) has U+FFFD", first)
		}
	}
	return c, ok, nil
}

// goldCV is a structured expected profile. Empty fields are not scored.
type goldCV struct {
	name, town                      string
	emails, phones, links, skills   []string
	employment                      []profile.Employment
	education                       []profile.Education
	qualContains, employmentPartial bool
}

// scoreGold compares one parsed candidate with its expected profile, field by field.
// employmentPartial marks gold that lists only some jobs: recall only.
func scoreGold(ds string, g goldCV, c profile.Candidate, ok bool) []Row {
	c.Normalise()
	rows := []Row{{Dataset: ds, Field: "extracted", Metric: Fill, N: 1, Pred: b2i(ok)}}
	if g.name != "" {
		r := Row{Dataset: ds, Field: "name", Metric: Exact, N: 1}
		if c.Name != nil {
			r.Pred, r.Corr = 1, b2i(fold(*c.Name) == fold(g.name))
		}
		rows = append(rows, r)
	}
	if g.town != "" {
		r := Row{Dataset: ds, Field: "town", Metric: Exact, N: 1}
		if c.Town != nil {
			r.Pred, r.Corr = 1, b2i(fold(*c.Town) == fold(g.town))
		}
		rows = append(rows, r)
	}
	set := func(field string, gold, pred []string, f func(string) string) {
		if len(gold) > 0 {
			r := Row{Dataset: ds, Field: field, Metric: Set}
			addSet(&r, uniq(mapStr(gold, f)), uniq(mapStr(pred, f)), eq)
			rows = append(rows, r)
		}
	}
	set("email", g.emails, c.Emails, strings.ToLower)
	set("phone (E.164)", g.phones, c.Phones, strings.TrimSpace)
	set("links", g.links, c.Links, normLink)
	set("skills", g.skills, c.Skills, fold)
	if len(g.employment) > 0 {
		rows = append(rows, jobRows(ds, g, c.Employment)...)
	}
	if len(g.education) > 0 {
		rows = append(rows, eduRows(ds, g, c.Education)...)
	}
	return rows
}

func jobRows(ds string, g goldCV, pred []profile.Employment) []Row {
	m := Set
	if g.employmentPartial {
		m = Recall
	}
	emp := Row{Dataset: ds, Field: "employment.employer", Metric: m}
	title := Row{Dataset: ds, Field: "employment.title", Metric: m}
	whole := Row{Dataset: ds, Field: "employment entry (all + dates)", Metric: m}
	field := func(r *Row, get func(profile.Employment) string) {
		var gs, ps []string
		for _, e := range g.employment {
			gs = append(gs, foldPunct(get(e)))
		}
		for _, e := range pred {
			ps = append(ps, foldPunct(get(e)))
		}
		addSet(r, gs, ps, eq)
	}
	field(&emp, func(e profile.Employment) string { return e.Employer })
	field(&title, func(e profile.Employment) string { return e.Title })
	whole.N, whole.Pred = len(g.employment), len(pred)
	used := make([]bool, len(pred))
	for _, ge := range g.employment {
		for j, pe := range pred {
			if !used[j] && sameJob(ge, pe) {
				used[j] = true
				whole.Corr++
				break
			}
		}
	}
	rows := []Row{emp, title, whole}
	if m == Recall {
		for i := range rows {
			rows[i].Pred = -1
		}
	}
	return rows
}

// sameJob: employer and title equal, start and end equal to the precision the
// gold gives ("2022" matches "2022-06"); a gold without an end matches any end.
func sameJob(g, p profile.Employment) bool {
	return foldPunct(g.Employer) == foldPunct(p.Employer) && foldPunct(g.Title) == foldPunct(p.Title) &&
		g.Start != "" && strings.HasPrefix(p.Start, g.Start) && (g.End == "" || strings.HasPrefix(p.End, g.End))
}

func eduRows(ds string, g goldCV, pred []profile.Education) []Row {
	inst := Row{Dataset: ds, Field: "education.institution", Metric: Set}
	qual := Row{Dataset: ds, Field: "education.qualification", Metric: Set}
	year := Row{Dataset: ds, Field: "education.year", Metric: Set}
	var gi, gq, gy, pi, pq, py []string
	for _, e := range g.education {
		gi, gq, gy = append(gi, foldPunct(e.Institution)), append(gq, foldPunct(e.Qualification)), append(gy, e.Year)
	}
	for _, e := range pred {
		pi, pq, py = append(pi, foldPunct(e.Institution)), append(pq, foldPunct(e.Qualification)), append(py, e.Year)
	}
	qualMatch := eq
	if g.qualContains {
		qualMatch = func(g, p string) bool { return strings.Contains(" "+p+" ", " "+g+" ") }
	}
	addSet(&inst, uniq(gi), uniq(pi), eq)
	addSet(&qual, uniq(gq), uniq(pq), qualMatch)
	addSet(&year, uniq(gy), uniq(py), eq)
	return []Row{inst, qual, year}
}

var (
	monthYearRe = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+((?:19|20)\d\d)\b`)
	yearRe      = regexp.MustCompile(`\b(?:19|20)\d\d\b`)
	months      = map[string]string{"jan": "01", "feb": "02", "mar": "03", "apr": "04", "may": "05", "jun": "06",
		"jul": "07", "aug": "08", "sep": "09", "oct": "10", "nov": "11", "dec": "12"}
)

// goldDate turns "May 2023", "Summer 2022" or "Present" into the profile's form:
// "2023-05", "2022", "present"; "" when there is no date.
func goldDate(s string) string {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "present") || strings.EqualFold(s, "current") {
		return "present"
	}
	if m := monthYearRe.FindStringSubmatch(s); m != nil {
		return m[2] + "-" + months[strings.ToLower(m[1])]
	}
	return yearRe.FindString(s)
}

// goldRange splits "May 2023 - Present" into start and end; a single date is a
// start with no end.
func goldRange(s string) (start, end string) {
	for _, sep := range []string{" - ", " – ", " — ", " to "} {
		if a, b, ok := strings.Cut(s, sep); ok {
			return goldDate(a), goldDate(b)
		}
	}
	return goldDate(s), ""
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
