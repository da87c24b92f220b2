package main

import (
	"bytes"
	"os"
	"testing"
)

// TestModelFileIsRegenerated proves the embedded model is what the trainer makes
// from testdata now: same input, same bytes. Regenerate with
// go run ./tools/trainspecial -o classifiers/specialcat/data/learned.tsv
func TestModelFileIsRegenerated(t *testing.T) {
	groups, err := loadGroups("../../testdata/eval")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../classifiers/specialcat/data/learned.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if got := Train(groups).Format(); !bytes.Equal(got, want) {
		t.Fatal("classifiers/specialcat/data/learned.tsv is stale: regenerate it with go run ./tools/trainspecial -o classifiers/specialcat/data/learned.tsv")
	}
}

func TestGroupsNeverReadHeldOutBatches(t *testing.T) {
	for _, a := range authorGroups {
		for _, unseen := range notYetMeasured {
			if a.dir == unseen {
				t.Fatalf("group %s reads %s, a blind batch not yet measured", a.name, a.dir)
			}
		}
	}
	groups, err := loadGroups("../../testdata/eval")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if len(g.set.Docs) == 0 || len(g.set.Sentences) == 0 {
			t.Errorf("group %s is empty", g.name)
		}
		for _, d := range g.set.Docs {
			if d.Split != g.name {
				t.Errorf("%s: split %q, want the group name %q", d.ID, d.Split, g.name)
			}
		}
	}
}

func TestRunNeedsAnOutput(t *testing.T) {
	if err := run("../../testdata/eval", "", false, false, &bytes.Buffer{}, ""); err == nil {
		t.Fatal("run with neither -o nor -cv must fail")
	}
}
