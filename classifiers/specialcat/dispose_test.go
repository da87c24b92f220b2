package specialcat

import (
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// The union's model proposes and the rules' context checks dispose: each text is
// one the embedded model alone adds (so the check is what changes the result),
// and the union mode must keep or drop that addition as the rules would.
func TestUnionAdditionsPassTheRulesContextChecks(t *testing.T) {
	m, err := LearnedModel()
	if err != nil {
		t.Fatal(err)
	}
	union, err := DetectorFor(LearnedUnion)
	if err != nil {
		t.Fatal(err)
	}
	vetted, err := DetectorFor(LearnedVetted)
	if err != nil {
		t.Fatal(err)
	}
	unchecked := *m.Union()
	unchecked.ContextChecks = false
	for _, tc := range []struct {
		name, text string
		cat        profile.Category
		keep       bool
		vettedKeep bool
	}{
		{"clients' worship", "Several of my clients go to the gurdwara every Sunday.", profile.ReligiousBeliefs, false, false},
		{"residents' worship", "Most of my residents go to church on Sunday mornings.", profile.ReligiousBeliefs, false, false},
		// A denial: dropped in every mode, a sure addition of vetted included.
		{"denied condition", "I have not been diagnosed with anything.", profile.Health, false, false},
		{"own union, no membership word", "I've been with UNISON for ten years.", profile.TradeUnionMembership, true, true},
		{"own union, with it", "I'm with the GMB from my bakery days.", profile.TradeUnionMembership, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(Detect(tc.text)) != 0 {
				t.Fatalf("the rules tag %q: it cannot test the union's additions", tc.name)
			}
			learned := "learned-" + string(tc.cat)
			if !hasDetector(unchecked.Detect(tc.text), learned) {
				t.Fatalf("the model no longer proposes %s here: pick another text", learned)
			}
			if got := hasDetector(union(tc.text), learned); got != tc.keep {
				t.Errorf("union kept %s = %v, want %v", learned, got, tc.keep)
			}
			if got := hasDetector(vetted(tc.text), learned); got != tc.vettedKeep {
				t.Errorf("vetted kept %s = %v, want %v", learned, got, tc.vettedKeep)
			}
		})
	}
}

// With no lexicon term of the category in the sentence (the toy model's made-up
// word), the sentence-wide checks decide.
func TestContextChecksOnSentencesWithoutATerm(t *testing.T) {
	m := toyModel(0.9)
	m.ContextChecks = true
	for _, tc := range []struct {
		name, text string
		keep       bool
	}{
		{"own", "My zorblax flares up in winter.", true},
		{"own, after a label", "Anything else:  My zorblax flares up in winter.", true},
		{"a relative's", "My sister has a zorblax that flares up in winter.", false},
		{"denied", "I do not have a zorblax.", false},
		{"asked", "Do you have a zorblax?", false},
		{"a prompt", "Please describe any zorblax here:", false},
		{"supposed", "If I were ever to get a zorblax I would tell you.", false},
		{"refused answer", "Zorblax:  Prefer not to say", false},
		{"job title", "Senior Mental Health Nurse, zorblax clinic.", false},
		{"referee", "Experience\nWarehouse operative, 2019-2024.\n\nReferences\nMy zorblax flares up in winter.", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !hasDetector(m.Alone(tc.text), "learned-health") {
				t.Fatal("the toy model alone does not tag this text")
			}
			if got := hasDetector(m.Detect(tc.text), "learned-health"); got != tc.keep {
				t.Errorf("kept = %v, want %v", got, tc.keep)
			}
			m.ContextChecks = false
			defer func() { m.ContextChecks = true }()
			if !hasDetector(m.Detect(tc.text), "learned-health") {
				t.Error("without the checks the addition should stay")
			}
		})
	}
}

// FuzzContextChecks runs the checks on every sentence (a threshold of 0 proposes
// them all): no input panics, and what is kept is a valid span.
func FuzzContextChecks(f *testing.F) {
	for _, s := range []string{"My zorblax.", "Zorblax:  No", "Do you?", "If I were", "References\n\nMy zorblax", "I have type 1 diabetes; my son too.", "", "\xff?", cv600} {
		f.Add(s)
	}
	m := toyModel(0)
	m.ContextChecks = true
	f.Fuzz(func(t *testing.T, text string) {
		tags := m.Detect(text)
		for _, tg := range tags {
			if tg.Start < 0 || tg.End > len(text) || tg.Start >= tg.End || text[tg.Start:tg.End] != tg.Evidence {
				t.Fatalf("bad tag %s %d-%d of %d", tg.Category, tg.Start, tg.End, len(text))
			}
		}
		checkOrder(t, tags)
	})
}
