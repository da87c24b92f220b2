package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/profile"
)

func load(t *testing.T, body string) (Config, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cvetl.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(p)
}

func TestLoadErrorsNameTheField(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"typo in a key", "sourcs: []\n", "field sourcs not found"},
		{"bad channel", "sources:\n  - {match: a/, channel: jobboard}\n", "sources[0].channel"},
		{"channel needs a name", "sources:\n  - {match: a/, channel: 'agency'}\n", "needs a name"},
		{"unknown mapping", "sources:\n  - {match: a/, channel: direct, csv_mapping: nope}\n", "sources[0].csv_mapping"},
		{"mapping without columns", "csv_mappings:\n  - {name: x}\n", "csv_mappings[0]"},
		{"negative workers", "workers: -1\n", "workers"},
		{"unknown condition", "special_categories:\n  sections: {\"equal opportunities\": because}\n", "special_categories.sections"},
		{"unknown learned mode", "special_categories:\n  learned: on\n", "special_categories.learned"},
		{"bad lake encryption", "lake: {location: s3://l/p, sse: aes}\n", "lake.sse"},
		{"KMS key without KMS", "lake: {location: s3://l/p, sse: AES256, sse_kms_key_id: k}\n", "lake.sse_kms_key_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := load(t, c.body)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "cvetl.yaml") {
				t.Errorf("err = %v, want it to name %q and the file", err, c.want)
			}
		})
	}
}

func TestEmptyFileIsTheDefaults(t *testing.T) {
	cfg, err := load(t, "")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DefaultChannel != "direct" || cfg.Limits.MaxFileBytes == 0 {
		t.Errorf("defaults lost: %+v", cfg)
	}
}

func TestSpecialCategoriesLearned(t *testing.T) {
	cfg, err := load(t, "special_categories:\n  sections: {\"equal opportunities\": equal_opportunities_monitoring}\n")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SpecialCategories.Learned != specialcat.LearnedVetted {
		t.Errorf("default learned = %q, want vetted", cfg.SpecialCategories.Learned)
	}
	for _, mode := range []specialcat.LearnedMode{specialcat.LearnedOff, specialcat.LearnedBackstop, specialcat.LearnedUnion, specialcat.LearnedVetted} {
		cfg, err := load(t, "special_categories:\n  learned: "+string(mode)+"\n")
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if cfg.SpecialCategories.Learned != mode {
			t.Errorf("learned: %s parsed as %q", mode, cfg.SpecialCategories.Learned)
		}
	}
	_, err = load(t, "special_categories:\n  learned: Union\n")
	if err == nil || !strings.Contains(err.Error(), "special_categories.learned") || !strings.Contains(err.Error(), `"Union"`) {
		t.Errorf("learned: Union: err = %v, want one naming the key and the value", err)
	}
}

func TestChannelForLongestPrefix(t *testing.T) {
	cfg, err := load(t, `default_channel: direct
sources:
  - {match: "indeed/", channel: "job_board:indeed"}
  - {match: "indeed/agency-x/", channel: "agency:x"}
`)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"indeed/cv.pdf":          "job_board:indeed",
		"indeed/agency-x/cv.pdf": "agency:x",
		"other/cv.pdf":           "direct",
		"./indeed/cv.pdf":        "job_board:indeed",
	} {
		if got := cfg.ChannelFor(key).Channel; got != want {
			t.Errorf("ChannelFor(%s) = %s, want %s", key, got, want)
		}
	}
}

func TestConditionFor(t *testing.T) {
	cfg, err := load(t, `special_categories:
  sections:
    "equal opportunities": equal_opportunities_monitoring
    "health": occupational_health
    "pre-employment health declaration": employment_law
  channels:
    "agency:careplus": explicit_consent
`)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ channel, section, want string }{
		{"direct", "Equal Opportunities Monitoring", "equal_opportunities_monitoring"},
		{"direct", "Pre-employment Health Declaration", "employment_law"}, // longest heading wins
		{"agency:careplus", "Additional information", "explicit_consent"},
		{"direct", "Additional information", ""}, // nothing recorded: review flags it
	}
	for _, c := range cases {
		if got := cfg.ConditionFor(profile.Channel(c.channel), c.section); got != c.want {
			t.Errorf("ConditionFor(%s, %s) = %q, want %q", c.channel, c.section, got, c.want)
		}
	}
}

func TestStatsK(t *testing.T) {
	if _, err := load(t, "stats: {k: 4}\n"); err == nil || !strings.Contains(err.Error(), "stats.k") {
		t.Errorf("k = 4: err = %v, want it refused naming stats.k", err)
	}
	cfg, err := load(t, "stats: {k: 25}\n")
	if err != nil || cfg.StatsK() != 25 {
		t.Errorf("k = 25: got %d, %v", cfg.StatsK(), err)
	}
	if cfg, _ := load(t, ""); cfg.StatsK() != 10 {
		t.Errorf("default k = %d, want 10", cfg.StatsK())
	}
}
