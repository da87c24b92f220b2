package specialcat

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// toyModel tags health in any sentence holding the made-up word "zorblax".
func toyModel(threshold float64) *Model {
	return &Model{Cats: []CategoryModel{{
		Category: profile.Health, Bias: -5, Threshold: threshold,
		Weights: map[string]float64{"w:zorblax": 10},
	}}}
}

func TestBackstopAddsSentenceTheRulesMissed(t *testing.T) {
	// A blank line between: a rule's health span runs on over a next sentence of
	// its paragraph that tells the course ("flares"), never into the next paragraph.
	text := "I have type 1 diabetes.\n\nMy zorblax flares up in winter."
	m := toyModel(0.9)
	got := m.Detect(text)
	var learned, ruled int
	for _, tg := range got {
		switch {
		case tg.Detector == "learned-health":
			learned++
			if tg.Evidence != "My zorblax flares up in winter." || text[tg.Start:tg.End] != tg.Evidence {
				t.Errorf("backstop evidence = %q at %d-%d, want the whole second sentence", tg.Evidence, tg.Start, tg.End)
			}
		case tg.Category == profile.Health:
			ruled++
		}
	}
	if learned != 1 || ruled != 1 {
		t.Fatalf("want one rule tag and one learned tag, got %+v", got)
	}
	for _, tg := range Detect(text) {
		if strings.HasPrefix(tg.Detector, "learned-") {
			t.Errorf("Detect must not use the backstop, got %+v", tg)
		}
	}
}

func TestBackstopLeavesRuleTaggedSentencesAndRespectsThreshold(t *testing.T) {
	// The rules tag this sentence: the backstop must not add a second tag there.
	text := "I have type 1 diabetes and a zorblax."
	for _, tg := range toyModel(0.9).Detect(text) {
		if tg.Detector == "learned-health" {
			t.Errorf("backstop tagged a sentence the rules had tagged: %+v", tg)
		}
	}
	// Probability sigmoid(5) ≈ 0.993: a higher threshold, or a disabled one, tags nothing.
	for _, thr := range []float64{0.995, 2} {
		if got := toyModel(thr).Alone("My zorblax is fine."); len(got) != 0 {
			t.Errorf("threshold %v: got %+v, want nothing", thr, got)
		}
	}
	if got := toyModel(0.99).Alone("My zorblax is fine."); len(got) != 1 {
		t.Errorf("threshold 0.99: got %+v, want one tag", got)
	}
}

func TestBackstopTagsTheAnswerOfALabelledLine(t *testing.T) {
	text := "Name: Ann Example\nAdditional notes:  My zorblax flares up in winter."
	got := toyModel(0.9).Alone(text)
	if len(got) != 1 || got[0].Evidence != "My zorblax flares up in winter." || text[got[0].Start:got[0].End] != got[0].Evidence {
		t.Fatalf("got %+v, want the answer without its label", got)
	}
	// A sentence that does not start a line has no label.
	text = "I asked for one thing. Since 2019 my zorblax: it flares up in winter."
	got = toyModel(0.9).Alone(text)
	if len(got) != 1 || got[0].Evidence != "Since 2019 my zorblax: it flares up in winter." {
		t.Fatalf("got %+v, want the whole sentence", got)
	}
}

func TestModelFormatRoundTrip(t *testing.T) {
	m := toyModel(0.8123)
	m.Cats = append(m.Cats, CategoryModel{Category: profile.Genetic, Bias: -1.5, Threshold: 2, UnionThreshold: 0.6, Weights: map[string]float64{"b:brca_carrier": 2.25, "ctx:self": 0.5}})
	b := m.Format()
	back, err := ParseModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(back.Format()) != string(b) {
		t.Fatalf("round trip changed the file:\n%s\nvs\n%s", b, back.Format())
	}
	if back.Cats[1].Weights["b:brca_carrier"] != 2.25 || back.Cats[0].Threshold != 0.8123 || back.Cats[1].UnionThreshold != 0.6 {
		t.Errorf("parsed values wrong: %+v", back.Cats)
	}
}

func TestUnionUsesTheUnionThresholds(t *testing.T) {
	m := toyModel(2) // backstop: health off
	m.Cats[0].UnionThreshold = 0.9
	text := "My zorblax is fine."
	if got := m.Detect(text); len(got) != 0 {
		t.Errorf("backstop with health disabled tagged %+v", got)
	}
	got := m.Union().Detect(text)
	if len(got) != 1 || got[0].Detector != "learned-health" {
		t.Errorf("union: got %+v, want one learned-health tag", got)
	}
	if m.Cats[0].Threshold != 2 {
		t.Error("Union changed the model it was made from")
	}
}

func TestDetectorForModes(t *testing.T) {
	m, err := LearnedModel()
	if err != nil {
		t.Fatal(err)
	}
	// A fictional sentence the rules and the backstop (union off there) miss and
	// the union tags: the modes must differ on this text.
	text := "I kept up with Unite after leaving the car plant.\n\n" + cv600
	want := map[LearnedMode][]profile.Tag{
		"": m.Vetted().Detect(text), LearnedOff: Detect(text),
		LearnedBackstop: m.Detect(text), LearnedUnion: m.Union().Detect(text),
		LearnedVetted: m.Vetted().Detect(text),
	}
	if reflect.DeepEqual(want[LearnedBackstop], want[LearnedUnion]) || !hasDetector(want[LearnedUnion], "learned-trade_union_membership") {
		t.Fatalf("test text does not separate the modes: union %+v", want[LearnedUnion])
	}
	for mode, w := range want {
		d, err := DetectorFor(mode)
		if err != nil {
			t.Fatalf("%q: %v", mode, err)
		}
		if got := d(text); !reflect.DeepEqual(got, w) {
			t.Errorf("%q: got %d tags, want %d", mode, len(got), len(w))
		}
	}
	if _, err := DetectorFor("always"); err == nil || !strings.Contains(err.Error(), `"always"`) {
		t.Errorf("unknown mode: err = %v, want one naming the mode", err)
	}
}

func TestParseModelErrorsNameTheLine(t *testing.T) {
	for _, bad := range []string{
		"w:orphan\t1.0\n",
		"category\thealth\tx\t0.5\t0.5\n",
		"category\thealth\t1\t0.5\n",
		"category\thealth\t1\t0.5\t0.5\nw:a\tnope\n",
	} {
		_, err := ParseModel([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), "learned model line") {
			t.Errorf("%q: err = %v, want a line-numbered error", bad, err)
		}
	}
}

func TestEmbeddedModelLoads(t *testing.T) {
	m, err := LearnedModel()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cats) != nCats {
		t.Fatalf("embedded model has %d categories, want %d", len(m.Cats), nCats)
	}
	// Both modes must be able to run from the file: every category keeps weights,
	// and the union enables at least as many categories as the backstop.
	var backstopOn, unionOn int
	for _, c := range m.Cats {
		if len(c.Weights) == 0 {
			t.Errorf("%s has no weights", c.Category)
		}
		if c.Threshold <= 1 {
			backstopOn++
		}
		if c.UnionThreshold <= 1 {
			unionOn++
		}
	}
	if backstopOn == 0 || unionOn < backstopOn {
		t.Errorf("categories on: backstop %d, union %d", backstopOn, unionOn)
	}
}

func TestFeaturesOfASentence(t *testing.T) {
	fs := Features("I have epilepsy and my epilepsy is controlled. Do you need adjustments?")
	if len(fs) != 2 {
		t.Fatalf("want 2 sentences, got %d", len(fs))
	}
	has := map[string]bool{}
	for i, f := range fs[0].Features {
		if i > 0 && fs[0].Features[i-1] >= f {
			t.Fatalf("features not sorted and distinct at %q", f)
		}
		has[f] = true
	}
	for _, want := range []string{"w:epilepsy", "b:<s>_i", "b:have_epilepsy", "cue:health", "ctx:self", "ctx:poss"} {
		if !has[want] {
			t.Errorf("first sentence lacks %q: %v", want, fs[0].Features)
		}
	}
	if has["question"] {
		t.Error("a statement is marked as a question")
	}
	q := strings.Join(fs[1].Features, " ")
	if !strings.Contains(q, "question") {
		t.Errorf("second sentence is a question: %v", fs[1].Features)
	}
}

// FuzzBackstop: the embedded backstop and union never panic, and every tag's evidence is
// exactly text[start:end], as with Detect.
func FuzzBackstop(f *testing.F) {
	for _, s := range []string{"I have type 1 diabetes.", "My zorblax.\n\nReligion: ", "\xff\xfe?", "", cv600} {
		f.Add(s)
	}
	m, err := LearnedModel()
	if err != nil {
		f.Fatal(err)
	}
	union := m.Union()
	f.Fuzz(func(t *testing.T, text string) {
		for _, tags := range [][]profile.Tag{m.Detect(text), union.Detect(text)} {
			for _, tg := range tags {
				if tg.Start < 0 || tg.End > len(text) || tg.Start >= tg.End || text[tg.Start:tg.End] != tg.Evidence {
					t.Fatalf("bad tag %s %d-%d of %d", tg.Category, tg.Start, tg.End, len(text))
				}
			}
			checkOrder(t, tags)
		}
	})
}

func hasDetector(tags []profile.Tag, detector string) bool {
	for _, tg := range tags {
		if tg.Detector == detector {
			return true
		}
	}
	return false
}

// TestJointWeightsScoreAsTheMaps: the parsed model's joint weight table is only a
// faster way to sum the same weights, so the union tags exactly as it does from
// the per-category maps, on every document of a labelled batch.
func TestJointWeightsScoreAsTheMaps(t *testing.T) {
	m, err := LearnedModel()
	if err != nil {
		t.Fatal(err)
	}
	if m.joint == nil {
		t.Fatal("ParseModel built no joint weights")
	}
	fromMaps := *m.Union()
	fromMaps.joint = nil
	docs, err := filepath.Glob("../../testdata/eval/blind8/docs/*.txt")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no documents to score: %v", err)
	}
	learned := 0
	for _, p := range docs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, want := m.Union().Detect(string(b)), fromMaps.Detect(string(b))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: joint weights tag %d, maps %d", filepath.Base(p), len(got), len(want))
		}
		for _, tg := range got {
			if strings.HasPrefix(tg.Detector, "learned-") {
				learned++
			}
		}
	}
	if learned == 0 {
		t.Error("the union added nothing on the batch: the comparison proves nothing")
	}
}
