package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// All fixtures here are invented; no corpus text is used.

func TestIndeedHandle(t *testing.T) {
	for in, want := range map[string]string{
		"indeed.com/r/Ann-Lee/3f2a":                        "ann-lee/3f2a",
		"indeed.com/r/Ann-\nLee/3f2a":                      "ann-lee/3f2a",
		"https://www.indeed.com/r/Ann-Lee/3f2a?isid=x&y=z": "ann-lee/3f2a",
		"indeed.com/r/Ann-Lee/":                            "ann-lee",
	} {
		if got, ok := indeedHandle(in); !ok || got != want {
			t.Errorf("indeedHandle(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := indeedHandle("ann@example.com"); ok {
		t.Error("an e-mail address is not a handle")
	}
	if !handleMatch("ann-lee", "ann-lee/3f2a") || handleMatch("ann-lee/1", "ann-lee/2") {
		t.Error("handleMatch")
	}
}

func TestGoldRange(t *testing.T) {
	for in, want := range map[string][2]string{
		"May 2023 - Present":  {"2023-05", "present"},
		"Summer 2022":         {"2022", ""},
		"Sep 2019 - May 2023": {"2019-09", "2023-05"},
	} {
		if s, e := goldRange(in); s != want[0] || e != want[1] {
			t.Errorf("goldRange(%q) = %q, %q; want %v", in, s, e, want)
		}
	}
	if !sameJob(profile.Employment{Employer: "Acme", Title: "Dev", Start: "2022"},
		profile.Employment{Employer: "ACME", Title: "dev", Start: "2022-06", End: "2022-08"}) {
		t.Error("a year-only gold date should match a month in that year")
	}
}

func TestAddSetAndScores(t *testing.T) {
	r := Row{Metric: Set}
	addSet(&r, []string{"a", "b", "c"}, []string{"a", "b", "x", "y"}, eq)
	p, rc, f1, _ := r.Scores()
	if r.Corr != 2 || p.v != 0.5 || rc.v != 2.0/3 || f1.String() != "0.571" {
		t.Errorf("got %+v p=%v r=%v f1=%v", r, p, rc, f1)
	}
	if _, _, _, acc := (Row{Metric: Fill, N: 0}).Scores(); acc.ok {
		t.Error("a rate over zero documents is undefined")
	}
}

func TestSplitSkillItems(t *testing.T) {
	got := splitSkillItems("SKILLS\nJava (3 years), Python; SQL\n• a very long sentence about many things here\nTools: Git")
	want := []string{"Java", "Python", "SQL", "Git"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoadDataTurksKeepsFullestPass(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.jsonl")
	lines := `{"content":"Ann Lee\nDev","annotation":[{"label":["Name"],"points":[{"start":0,"end":6,"text":"Ann Lee"}]}]}
{"content":"Ann Lee\nDev","annotation":[{"label":["Name"],"points":[{"start":0,"end":6,"text":"Ann Lee "}]},{"label":"Designation","points":[{"start":8,"end":10,"text":"Dev"}]}]}
{"content":"Bob Roe","annotation":{}}
`
	if err := os.WriteFile(p, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	rs, err := loadDataTurks(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || len(rs[0].spans["Designation"]) != 1 || rs[0].spans["Name"][0] != "Ann Lee" || len(rs[1].spans) != 0 {
		t.Errorf("got %+v", rs)
	}
}

func TestMissingCorpus(t *testing.T) {
	err := run(filepath.Join(t.TempDir(), "nope"), false, false, true)
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("want an error naming the path, got %v", err)
	}
}

func TestMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, []Row{{Dataset: "d", Field: "name", Metric: Exact, N: 4, Pred: 3, Corr: 3}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| d | name | exact | 4 | 3 | 3 | 1.000 | – | – | 0.750 |") {
		t.Errorf("got\n%s", b.String())
	}
}
