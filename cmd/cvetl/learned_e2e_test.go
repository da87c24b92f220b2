package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// learnedDetectors parses the fictional export of pipeline/testdata/learned with a
// config naming the learned mode ("" = no config file) and lists the detectors of
// the special-category tags `cvetl parse` prints.
func learnedDetectors(t *testing.T, mode string) ([]string, runResult) {
	t.Helper()
	args := []string{"parse", "../../pipeline/testdata/learned/applicants.csv"}
	if mode != "" {
		cfg := filepath.Join(t.TempDir(), "cvetl.yaml")
		if err := os.WriteFile(cfg, []byte("special_categories:\n  learned: "+mode+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append([]string{"--config", cfg}, args...)
	}
	r := cvetl(t, args...)
	var line struct {
		Candidates []struct {
			Special []struct{ Detector string } `json:"special_categories"`
		}
	}
	var detectors []string
	if r.code == 0 {
		if err := json.Unmarshal([]byte(r.stdout), &line); err != nil {
			t.Fatalf("learned %q: parse output is not JSON: %v", mode, err)
		}
		for _, c := range line.Candidates {
			for _, s := range c.Special {
				detectors = append(detectors, s.Detector)
			}
		}
	}
	return detectors, r
}

func TestParseHonoursLearnedConfig(t *testing.T) {
	for _, c := range []struct {
		mode string
		want string // the one detector expected, "" for no tag
	}{
		{"", "learned-trade_union_membership"}, {"off", ""}, {"backstop", ""}, {"union", "learned-trade_union_membership"},
		{"vetted", "learned-trade_union_membership"},
	} {
		got, r := learnedDetectors(t, c.mode)
		if r.code != 0 {
			t.Fatalf("learned %q: exit %d: %s", c.mode, r.code, r.stderr)
		}
		if (c.want == "" && len(got) != 0) || (c.want != "" && (len(got) != 1 || got[0] != c.want)) {
			t.Errorf("learned %q: detectors %v, want %q", c.mode, got, c.want)
		}
	}
	_, r := learnedDetectors(t, "always")
	if r.code == 0 || !strings.Contains(r.stderr, "special_categories.learned") {
		t.Errorf("learned: always: exit %d, stderr %q; want a failure naming the key", r.code, r.stderr)
	}
}
