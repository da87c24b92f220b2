package config

import (
	"slices"
	"strings"
	"testing"
)

func TestMatchingConfig(t *testing.T) {
	// A file without a matching section keeps the defaults (backwards compatible), and a
	// partial section keeps the defaults it does not mention.
	cfg, err := load(t, "default_channel: direct\n")
	if err != nil || cfg.Matching.TopN != 10 || cfg.Matching.VacancyMaxAgeDays != 60 || len(cfg.Matching.Proxies) != 0 {
		t.Fatalf("no matching section: %+v %v", cfg.Matching, err)
	}
	cfg, err = load(t, "matching: {proxies: [postcode, qualifications]}\n")
	if err != nil || cfg.Matching.TopN != 10 || !slices.Equal(cfg.Matching.Proxies, []string{"postcode", "qualifications"}) {
		t.Fatalf("partial matching section: %+v %v", cfg.Matching, err)
	}
	if !cfg.Matching.Excludes("postcode") || cfg.Matching.Excludes("town") {
		t.Errorf("Excludes: %+v", cfg.Matching)
	}
	for _, c := range []struct{ body, want string }{
		{"matching: {top_n: 0}\n", "matching.top_n"},
		{"matching: {proxies: [surname]}\n", "matching.proxies[0]"},
		{"matching: {vacancy_max_age_days: -3}\n", "matching.vacancy_max_age_days"},
		{"matching: {topn: 5}\n", "field topn not found"},
	} {
		if _, err := load(t, c.body); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want it to name %q", c.body, err, c.want)
		}
	}
}
