package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/cvetl/cvetl/profile"
	"github.com/nyaruka/phonenumbers"
)

// openResume is the part of openresume-resume.expected.json that is scored.
type openResume struct {
	Profile struct {
		Name, Email, Phone, URL string
	} `json:"profile"`
	WorkExperiences []struct {
		Company, JobTitle, Date string
	} `json:"workExperiences"`
	Educations []struct {
		School, Degree, Date string
	} `json:"educations"`
	Skills struct {
		FeaturedSkills []struct {
			Skill string `json:"skill"`
		} `json:"featuredSkills"`
		Descriptions []string `json:"descriptions"`
	} `json:"skills"`
}

func runOpenResume(corpus string, d *Diag) ([]Row, error) {
	dir := filepath.Join(corpus, "openresume-samples")
	b, err := os.ReadFile(filepath.Join(dir, "openresume-resume.expected.json"))
	if err != nil {
		return nil, err
	}
	var o openResume
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, err
	}
	c, ok, err := analyseFile(filepath.Join(dir, "openresume-resume.pdf"), d)
	if err != nil {
		return nil, err
	}
	return scoreGold("openresume", openResumeGold(o), c, ok), nil
}

// openResumeGold maps the builder's data to profile fields. OpenResume is a US
// builder ("NYC, NY"), so the phone is read as a US number.
func openResumeGold(o openResume) goldCV {
	g := goldCV{name: o.Profile.Name, emails: []string{o.Profile.Email}, links: []string{o.Profile.URL}}
	if n, err := phonenumbers.Parse(o.Profile.Phone, "US"); err == nil {
		g.phones = []string{phonenumbers.Format(n, phonenumbers.E164)}
	}
	for _, w := range o.WorkExperiences {
		s, e := goldRange(w.Date)
		g.employment = append(g.employment, profile.Employment{Title: w.JobTitle, Employer: w.Company, Start: s, End: e})
	}
	for _, e := range o.Educations {
		s, end := goldRange(e.Date)
		if end == "" {
			end = s
		}
		g.education = append(g.education, profile.Education{Institution: e.School, Qualification: e.Degree, Year: end[:min(4, len(end))]})
	}
	for _, s := range o.Skills.FeaturedSkills {
		g.skills = append(g.skills, s.Skill)
	}
	for _, d := range o.Skills.Descriptions {
		if _, list, ok := strings.Cut(d, ":"); ok {
			d = list
		}
		for _, s := range strings.Split(d, ",") {
			if s = strings.TrimSpace(s); s != "" {
				g.skills = append(g.skills, s)
			}
		}
	}
	return g
}
