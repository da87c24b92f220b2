package main

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/cvetl/cvetl/profile"
)

// hrCandidate is the part of the HR Open UC2 extraction response that is scored.
type hrCandidate struct {
	Person struct {
		Name struct {
			FormattedName string `json:"formattedName"`
		} `json:"name"`
		Communication struct {
			Address []struct {
				City string `json:"city"`
			} `json:"address"`
			Email []struct {
				Address string `json:"address"`
			} `json:"email"`
		} `json:"communication"`
	} `json:"person"`
	Profiles []struct {
		Employment []struct {
			Organization struct {
				Name string `json:"name"`
			} `json:"organization"`
			PositionHistories []struct {
				Title, Start, End string
				Current           bool
			} `json:"positionHistories"`
		} `json:"employment"`
		Education []struct {
			End         string `json:"end"`
			Institution struct {
				Name string `json:"name"`
			} `json:"institution"`
			EducationDegrees []struct {
				Name string `json:"name"`
			} `json:"educationDegrees"`
		} `json:"education"`
	} `json:"profiles"`
}

// runHROpen scores the Word resume (as converted docx and pdf) against the
// illustrative extraction response. The response lists 2 of the 6 jobs, so
// employment is recall only; its degree date contradicts the document, so the
// education year is the attendance end year.
func runHROpen(corpus string, d *Diag) ([]Row, error) {
	root := filepath.Join(corpus, "hropen-4.2.1")
	b, err := os.ReadFile(filepath.Join(root, "HROpen-v4.2-1", "recruiting", "json", "samples", "Candidate_UC2_resumeextraction_response.json"))
	if err != nil {
		return nil, err
	}
	var h hrCandidate
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, err
	}
	g := hrGold(h)
	var rows []Row
	for _, ext := range []string{"docx", "pdf"} {
		c, ok, err := analyseFile(filepath.Join(root, "resume-extraction-uc2", "Peter_Apple."+ext), d)
		if err != nil {
			return nil, err
		}
		rows = append(rows, scoreGold("hropen-uc2 "+ext, g, c, ok)...)
	}
	return rows, nil
}

func hrGold(h hrCandidate) goldCV {
	g := goldCV{name: h.Person.Name.FormattedName, qualContains: true, employmentPartial: true}
	for _, a := range h.Person.Communication.Address {
		g.town = a.City
	}
	for _, e := range h.Person.Communication.Email {
		g.emails = append(g.emails, e.Address)
	}
	for _, p := range h.Profiles {
		for _, e := range p.Employment {
			for _, ph := range e.PositionHistories {
				end := ph.End
				if ph.Current {
					end = "present"
				}
				g.employment = append(g.employment, profile.Employment{Employer: e.Organization.Name, Title: ph.Title, Start: ph.Start, End: end})
			}
		}
		for _, e := range p.Education {
			for _, d := range e.EducationDegrees {
				g.education = append(g.education, profile.Education{Institution: e.Institution.Name, Qualification: d.Name, Year: e.End})
			}
		}
	}
	return g
}
