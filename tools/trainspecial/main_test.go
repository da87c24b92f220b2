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

// TestPickVetoWeighsRightTags: the veto threshold is where vetoing
// gains most (a wrong weak tag dropped +1, a right one -vetoRecallWeight), never
// reaches vetoMax, and is 0 when nothing gains or too few right tags support it.
func TestPickVetoWeighsRightTags(t *testing.T) {
	var ss []scored
	for i := 0; i < 100; i++ { // right weak tags at 0.005, 0.015, …, 0.995
		ss = append(ss, scored{p: 0.005 + float64(i)/100, pos: true})
	}
	for i := 0; i < 10; i++ { // ten wrong ones, all under 0.011
		ss = append(ss, scored{p: 0.001 + float64(i)/1000, pos: false})
	}
	// Vetoing under 0.0149 drops the ten wrong tags and one right one (gain 7);
	// any higher veto loses a further right tag for no wrong one.
	if v := pickVeto(ss); v <= 0.005 || v > 0.015 {
		t.Errorf("veto %v, want it between the first and second right tags (0.005, 0.015]", v)
	}
	// Many wrong tags for one right one at a low probability: vetoed. Three
	// right ones among seven wrong: vetoing them would cost more than it gains.
	var mixed []scored
	for i := 0; i < 20; i++ {
		mixed = append(mixed, scored{p: 0.01, pos: i < 1}, scored{p: 0.3, pos: true})
	}
	if v := pickVeto(mixed); v <= 0.01 || v > 0.3 {
		t.Errorf("veto %v: 19 wrong tags for 1 right one at 0.01 should be vetoed", v)
	}
	var costly []scored
	for i := 0; i < 10; i++ {
		costly = append(costly, scored{p: 0.01, pos: i < 3}, scored{p: 0.9, pos: true})
	}
	if v := pickVeto(costly); v != 0 {
		t.Errorf("veto %v: 7 wrong tags for 3 right ones (gain -2) should not be vetoed", v)
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

// TestExtraGroupsRefuseUnmeasuredBatches: -extra loads a measured batch for one
// -train/-test run, and refuses a batch not yet measured (before reading it), one
// that is already a group, and anything that is not a blind folder name.
func TestExtraGroupsRefuseUnmeasuredBatches(t *testing.T) {
	for _, name := range []string{notYetMeasured[0], "blind5", "../blind35", "b1"} {
		if _, err := loadExtra("../../testdata/eval", name); err == nil {
			t.Errorf("-extra %s: want an error", name)
		}
	}
	gs, err := loadExtra("../../testdata/eval", "blind35")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].name != "blind35" || len(gs[0].set.Docs) == 0 {
		t.Fatalf("-extra blind35: got %d groups", len(gs))
	}
	for _, d := range gs[0].set.Docs {
		if d.Split != "blind35" {
			t.Fatalf("%s: split %q, want blind35", d.ID, d.Split)
		}
	}
}
