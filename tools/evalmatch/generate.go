package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// persona is a candidate's latent truth: what they do, for how long, and where.
type persona struct {
	id     string
	occ    int
	years  int
	place  int
	before int // an earlier occupation (-1: an unrelated job or none)
}

// generate writes the labelled set: vacancies.jsonl, candidates.jsonl (the surface the
// store holds), personas.tsv (the latent truth, for reading) and judgements.tsv.
func generate(dir string) error {
	rng := rand.New(rand.NewSource(20261126))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var vacs []vacancyRec
	vacPlace := map[string]int{}
	for i, o := range occupations {
		p := rng.Intn(len(places))
		desc := fmt.Sprintf("We are recruiting a %s.", o.vacancy)
		if o.asks != "" {
			desc += " " + o.asks + " required."
		}
		if o.minYears > 0 {
			desc += fmt.Sprintf(" At least %d years experience.", o.minYears)
		}
		k := 3 + rng.Intn(3)
		vacs = append(vacs, vacancyRec{ID: fmt.Sprintf("job_board:eval/EV-%02d", i+1), Title: o.vacancy,
			Client: fmt.Sprintf("Eval Client %d", 1+i%7), Postcode: places[p][0], Town: places[p][1],
			Description: desc, Skills: o.skills[:k]})
		vacPlace[vacs[i].ID] = p
	}
	// Four people per occupation (96) and four career changers.
	var people []persona
	for i := 0; i < 100; i++ {
		p := persona{id: fmt.Sprintf("S%07d", 9000001+i), occ: i % len(occupations), years: rng.Intn(12),
			place: rng.Intn(len(places)), before: -1}
		if i >= 96 || rng.Intn(4) == 0 {
			near := occupations[p.occ].near
			p.before = slices.Index(occIDs(), near[rng.Intn(len(near))])
		}
		people = append(people, p)
	}
	rng.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })

	var cands []candidateRec
	var lat strings.Builder
	lat.WriteString("subject_id\toccupation\tyears\tplace\tearlier_occupation\n")
	for _, p := range people {
		cands = append(cands, surface(rng, p))
		before := "-"
		if p.before >= 0 {
			before = occupations[p.before].id
		}
		fmt.Fprintf(&lat, "%s\t%s\t%d\t%s\t%s\n", p.id, occupations[p.occ].id, p.years, places[p.place][0], before)
	}
	var judg strings.Builder
	judg.WriteString("vacancy_id\tsubject_id\tgrade\n")
	for i, v := range vacs {
		for _, p := range people {
			fmt.Fprintf(&judg, "%s\t%s\t%d\n", v.ID, p.id, judge(i, vacPlace[v.ID], p))
		}
	}
	if err := writeJSONL(filepath.Join(dir, "vacancies.jsonl"), vacs); err != nil {
		return err
	}
	if err := writeJSONL(filepath.Join(dir, "candidates.jsonl"), cands); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "personas.tsv"), []byte(lat.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "judgements.tsv"), []byte(judg.String()), 0o644)
}

// judge grades a person for the vacancy of occupation occ at place vp, from the latent
// truth only: 3 the right job nearby with the experience asked for; 2 the right job
// further away, or too little experience nearby, or a near job nearby; 1 a near job
// further away, or the right job with too little experience further away; 0 else.
func judge(occ, vp int, p persona) int {
	o := occupations[occ]
	nearby := places[vp][0][:2] == places[p.place][0][:2] // same postcode area (two letters here)
	enough := p.years >= o.minYears
	switch {
	case p.occ == occ && enough && nearby:
		return 3
	case p.occ == occ && (enough || nearby):
		return 2
	case p.occ == occ:
		return 1
	case slices.Contains(o.near, occupations[p.occ].id) && nearby:
		return 2
	case slices.Contains(o.near, occupations[p.occ].id) || (p.before == occ && nearby):
		return 1
	}
	return 0
}

// surface is what a CV parser would have stored for the persona: a worded title, some
// of the skills (sometimes in other words, sometimes none), a qualification or not.
func surface(rng *rand.Rand, p persona) candidateRec {
	o := occupations[p.occ]
	c := candidateRec{SubjectID: p.id, Postcode: places[p.place][0], Town: places[p.place][1],
		Skills: []string{}, Employment: []map[string]string{}, Education: []map[string]string{}}
	if rng.Intn(7) > 0 { // one in seven CVs yields no skills
		for _, s := range o.skills {
			if rng.Intn(10) < 6 {
				c.Skills = append(c.Skills, s)
			}
		}
		if len(o.written) > 0 && rng.Intn(2) == 0 {
			c.Skills = append(c.Skills, o.written[rng.Intn(len(o.written))])
		}
		c.Skills = append(c.Skills, []string{"Customer Service", "Microsoft Excel", "Teamwork", "Communication"}[rng.Intn(4)])
	}
	start := 2026 - p.years
	if p.years > 0 || rng.Intn(2) == 0 {
		c.Employment = append(c.Employment, map[string]string{"title": o.titles[rng.Intn(len(o.titles))],
			"employer": "Fictional Employer " + fmt.Sprint(rng.Intn(50)), "start": fmt.Sprintf("%d-%02d", start, 1+rng.Intn(12)), "end": "present"})
	}
	earlier := unrelated[rng.Intn(len(unrelated))]
	if p.before >= 0 {
		b := occupations[p.before]
		earlier = b.titles[rng.Intn(len(b.titles))]
		if rng.Intn(2) == 0 {
			c.Skills = append(c.Skills, b.skills[rng.Intn(len(b.skills))])
		}
	}
	c.Employment = append(c.Employment, map[string]string{"title": earlier, "employer": "Earlier Employer Ltd",
		"start": fmt.Sprintf("%d-01", start-3), "end": fmt.Sprintf("%d-12", start-1)})
	if rng.Intn(10) < 6 {
		c.Education = append(c.Education, map[string]string{"institution": "Fictional College",
			"qualification": o.quals[rng.Intn(len(o.quals))], "year": fmt.Sprint(start - 1)})
	}
	return c
}

func occIDs() []string {
	out := make([]string, len(occupations))
	for i, o := range occupations {
		out[i] = o.id
	}
	return out
}

func writeJSONL[T any](path string, rows []T) error {
	var b strings.Builder
	for _, r := range rows {
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
