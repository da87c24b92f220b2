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

// TestPickVetoKeepsTheRecallBudget: the veto threshold drops at most
// vetoRecallBudget of the right weak tags, never reaches vetoMax, and is 0 when
// too few right tags support it.
func TestPickVetoKeepsTheRecallBudget(t *testing.T) {
	var ss []scored
	for i := 0; i < 100; i++ { // right weak tags at 0.005, 0.015, …, 0.995
		ss = append(ss, scored{p: 0.005 + float64(i)/100, pos: true})
	}
	for i := 0; i < 10; i++ { // wrong ones, all scored low
		ss = append(ss, scored{p: 0.001 + float64(i)/1000, pos: false})
	}
	v := pickVeto(ss)
	lost := 0
	for _, s := range ss {
		if s.pos && s.p < v {
			lost++
		}
	}
	if v <= 0.01 || lost > int(vetoRecallBudget*100) {
		t.Errorf("veto %v drops %d of 100 right tags, want above 0.01 and at most %d", v, lost, int(vetoRecallBudget*100))
	}
	for _, s := range ss {
		if !s.pos && s.p >= v {
			t.Errorf("veto %v keeps a wrong tag at %v", v, s.p)
		}
	}
	// Right tags only at high probabilities: the cap holds.
	var high []scored
	for i := 0; i < 50; i++ {
		high = append(high, scored{p: 0.9, pos: true})
	}
	high = append(high, scored{p: 0.7, pos: false})
	if v := pickVeto(high); v > vetoMax {
		t.Errorf("veto %v above the cap %v", v, vetoMax)
	}
	if v := pickVeto(ss[:2]); v != 0 {
		t.Errorf("two right tags gave veto %v, want 0", v)
	}
}
