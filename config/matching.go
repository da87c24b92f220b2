package config

import (
	"fmt"
	"slices"
)

// Matching configures candidate–vacancy matching (`matching:` in cvetl.yaml).
type Matching struct {
	// TopN is how many candidates are proposed per vacancy.
	TopN int `yaml:"top_n"`
	// Proxies are features the controller has judged to stand in for a protected
	// characteristic; they are left out of every score and explanation.
	Proxies []string `yaml:"proxies"`
	// VacancyMaxAgeDays: a vacancy posted longer ago than this is no longer open.
	VacancyMaxAgeDays int `yaml:"vacancy_max_age_days"`
}

// MatchingProxies are the features a config may list as proxies. Name, date of birth,
// gender, nationality, photos and special categories are not features at all.
var MatchingProxies = []string{"location", "postcode", "town", "qualifications", "experience", "job_titles"}

// DefaultMatching is the matching configuration when cvetl.yaml says nothing.
func DefaultMatching() Matching { return Matching{TopN: 10, VacancyMaxAgeDays: 60} }

// Validate names the first invalid field.
func (m Matching) Validate() error {
	if m.TopN < 1 || m.TopN > 1000 {
		return fmt.Errorf("matching.top_n: must be 1–1000, got %d", m.TopN)
	}
	if m.VacancyMaxAgeDays < 1 {
		return fmt.Errorf("matching.vacancy_max_age_days: must be ≥ 1, got %d", m.VacancyMaxAgeDays)
	}
	for i, p := range m.Proxies {
		if !slices.Contains(MatchingProxies, p) {
			return fmt.Errorf("matching.proxies[%d]: unknown feature %q (known: %v)", i, p, MatchingProxies)
		}
	}
	return nil
}

// Excludes reports whether feature is listed as a proxy.
func (m Matching) Excludes(feature string) bool { return slices.Contains(m.Proxies, feature) }
