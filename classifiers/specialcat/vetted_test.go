package specialcat

import (
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// vetoModel scores union membership and health low everywhere except on a
// sentence holding "zorblax", and adds nothing (thresholds above 1).
func vetoModel(veto float64) *Model {
	m := &Model{VetoBelow: WeakBelow}
	for _, c := range []profile.Category{profile.TradeUnionMembership, profile.Health} {
		m.Cats = append(m.Cats, CategoryModel{
			Category: c, Bias: -5, Threshold: 2, UnionThreshold: 2, VetoThreshold: veto,
			Weights: map[string]float64{"w:zorblax": 10},
		})
	}
	return m
}

func categories(tags []profile.Tag) map[profile.Category]string {
	out := map[profile.Category]string{}
	for _, t := range tags {
		out[t.Category] = t.Detector
	}
	return out
}

// TestVetoDropsOnlyWeakRuleTags: the model vetoes a rule tag whose subject was
// inferred (a subject-less "Member of …" line, confidence 0.7) when it scores the
// sentence under the veto threshold, and never a first-person statement.
func TestVetoDropsOnlyWeakRuleTags(t *testing.T) {
	text := "Interests: hill walking.\nMember of UNISON since 2015.\nI have epilepsy, well controlled."
	rules := categories(Detect(text))
	if rules[profile.TradeUnionMembership] != "union.membership" || rules[profile.Health] != "health.first_person" {
		t.Fatalf("test text no longer gives a weak union tag and a first-person health tag: %v", rules)
	}
	got := categories(vetoModel(0.3).Detect(text))
	if _, ok := got[profile.TradeUnionMembership]; ok {
		t.Errorf("weak union tag scored 0.007 kept under a 0.3 veto: %v", got)
	}
	if got[profile.Health] != "health.first_person" {
		t.Errorf("first-person health tag vetoed: %v", got)
	}
	// No veto threshold, or no VetoBelow: the rules' tags stand.
	for name, m := range map[string]*Model{"threshold 0": vetoModel(0), "VetoBelow 0": func() *Model { m := vetoModel(0.3); m.VetoBelow = 0; return m }()} {
		if got := categories(m.Detect(text)); len(got) != 2 {
			t.Errorf("%s: got %v, want both rule tags", name, got)
		}
	}
	// The model scoring the sentence above the veto keeps the weak tag.
	sure := "Interests: hill walking.\nMember of UNISON (zorblax branch) since 2015."
	if got := categories(vetoModel(0.3).Detect(sure)); got[profile.TradeUnionMembership] != "union.membership" {
		t.Errorf("weak tag the model agrees with was vetoed: %v", got)
	}
}

// TestStatedVetoDropsStatementsNeverForms: with VetoStatedBelow (h32), a
// first-person statement the model scores under its category's
// StatedVetoThreshold is dropped, one it agrees with stays, and a form answer
// (confidence at or above StatedBelow) is never vetoed.
func TestStatedVetoDropsStatementsNeverForms(t *testing.T) {
	stated := func(thr float64) *Model {
		m := vetoModel(0)
		m.VetoStatedBelow = StatedBelow
		for i := range m.Cats {
			m.Cats[i].StatedVetoThreshold = thr
		}
		return m
	}
	text := "Interests: hill walking.\nI have epilepsy, well controlled."
	if got := categories(Detect(text)); got[profile.Health] != "health.first_person" {
		t.Fatalf("test text no longer gives a first-person health tag: %v", got)
	}
	if got := categories(stated(0.3).Detect(text)); len(got) != 0 {
		t.Errorf("statement scored 0.007 kept under a 0.3 stated veto: %v", got)
	}
	if got := categories(stated(0).Detect(text)); got[profile.Health] != "health.first_person" {
		t.Errorf("stated veto threshold 0 dropped the statement: %v", got)
	}
	noStated := stated(0.3)
	noStated.VetoStatedBelow = 0
	if got := categories(noStated.Detect(text)); got[profile.Health] != "health.first_person" {
		t.Errorf("no VetoStatedBelow, yet the statement was vetoed: %v", got)
	}
	agreed := "I have epilepsy (zorblax), well controlled."
	if got := categories(stated(0.3).Detect(agreed)); got[profile.Health] != "health.first_person" {
		t.Errorf("statement the model agrees with was vetoed: %v", got)
	}
	form := "Equal opportunities monitoring\nDisability: Yes, epilepsy"
	rules := Detect(form)
	if len(rules) == 0 || rules[0].Confidence < StatedBelow {
		t.Fatalf("test form no longer gives a form tag: %v", rules)
	}
	if got := stated(0.3).Detect(form); len(got) != len(rules) {
		t.Errorf("form answer vetoed: %v, rules %v", got, rules)
	}
}

func TestVetoThresholdRoundTrip(t *testing.T) {
	m := vetoModel(0.1234)
	back, err := ParseModel(m.Format())
	if err != nil {
		t.Fatal(err)
	}
	if back.Cats[1].VetoThreshold != 0.1234 {
		t.Errorf("veto threshold %v after a round trip, want 0.1234", back.Cats[1].VetoThreshold)
	}
	m.Cats[0].StatedVetoThreshold = 0.0567
	if back, err = ParseModel(m.Format()); err != nil || back.Cats[0].StatedVetoThreshold != 0.0567 || back.Cats[1].StatedVetoThreshold != 0 {
		t.Errorf("stated veto thresholds after a round trip: %+v, %v", back.Cats, err)
	}
	// A model written before the stated veto (six fields) loads with none.
	six, err := ParseModel([]byte("category\thealth\t-5.0000\t2.0000\t0.9000\t0.1000\nw:zorblax\t10.0000\n"))
	if err != nil || six.Cats[0].VetoThreshold != 0.1 || six.Cats[0].StatedVetoThreshold != 0 {
		t.Fatalf("six-field model: %+v, %v", six, err)
	}
	// A model written before the veto (five fields) still loads, with no veto.
	old, err := ParseModel([]byte("category\thealth\t-5.0000\t2.0000\t0.9000\nw:zorblax\t10.0000\n"))
	if err != nil || old.Cats[0].VetoThreshold != 0 || old.Cats[0].UnionThreshold != 0.9 {
		t.Fatalf("five-field model: %+v, %v", old, err)
	}
	if _, err := ParseModel([]byte("category\thealth\t-5\t2\t0.9\tx\n")); err == nil {
		t.Error("a bad veto threshold was accepted")
	}
}

// TestVettedTrustsOnlySureAdditions: an addition the per-term checks veto
// (someone else's condition) is kept only when the model is at least trustAbove
// sure, and a trusted addition still obeys the sentence-wide checks (a question).
func TestVettedTrustsOnlySureAdditions(t *testing.T) {
	model := func(bias float64) *Model {
		m := &Model{Cats: []CategoryModel{{
			Category: profile.Health, Bias: bias, Threshold: 2, UnionThreshold: 0.5,
			Weights: map[string]float64{"w:zorblax": 10},
		}}}
		return m
	}
	text := "My brother's zorblax flares up in winter."
	if got := model(-5).Union().Detect(text); len(got) != 0 {
		t.Fatalf("union kept a third party's addition: %+v", got)
	}
	if got := model(-9.5).Vetted().Detect(text); len(got) != 0 { // p = 0.62: checked
		t.Errorf("vetted kept an unsure third-party addition: %+v", got)
	}
	got := model(-5).Vetted().Detect(text) // p = 0.99: trusted
	if len(got) != 1 || got[0].Detector != "learned-health" {
		t.Errorf("vetted dropped a sure addition: %+v", got)
	}
	if got := model(-5).Vetted().Detect("Does your zorblax flare up in winter?"); len(got) != 0 {
		t.Errorf("a trusted addition on a question was kept: %+v", got)
	}
}

// A sure addition still never tags a denial (issue #3, h3p): a one-clause
// negated sentence is dropped in vetted as in union, while a negation in another
// clause of the sentence leaves the model's addition alone.
func TestVettedNeverTagsADenial(t *testing.T) {
	m := &Model{Cats: []CategoryModel{{
		Category: profile.Health, Bias: -5, Threshold: 2, UnionThreshold: 0.5,
		Weights: map[string]float64{"w:zorblax": 10}, // p = 0.99: a trusted addition
	}}}
	vetted := m.Vetted()
	for _, tc := range []struct {
		text string
		keep bool
	}{
		{"I have not been diagnosed with any zorblax.", false},
		{"I do not have a zorblax.", false},
		{"My zorblax flares up in winter.", true},
		{"Yeah no problem, my zorblax flares up in winter.", true},
		{"I don't work Friday afternoons, it's for my zorblax clinic.", true},
	} {
		if got := hasDetector(vetted.Detect(tc.text), "learned-health"); got != tc.keep {
			t.Errorf("vetted kept %q = %v, want %v", tc.text, got, tc.keep)
		}
	}
}

// A row of options none of which is ticked chose nothing, however sure the
// model is of the options' words (h3p, from batch 13's monitoring forms); a
// ticked row is left to the model.
func TestNoAdditionOnUntickedOptions(t *testing.T) {
	m := &Model{Cats: []CategoryModel{{
		Category: profile.Health, Bias: -5, Threshold: 2, UnionThreshold: 0.5,
		Weights: map[string]float64{"w:zorblax": 10}, // p = 0.99
	}}}
	for name, mode := range map[string]*Model{"union": m.Union(), "vetted": m.Vetted()} {
		if got := mode.Detect("[ ] Zorblax   [ ] Grumbit   [ ] Neither"); len(got) != 0 {
			t.Errorf("%s tagged a row with no box ticked: %+v", name, got)
		}
		if got := mode.Detect("☐ Zorblax ☐ Grumbit"); len(got) != 0 {
			t.Errorf("%s tagged a row of empty ballot boxes: %+v", name, got)
		}
		// One option a line, its box left blank (h30, from batch 18's forms).
		if got := mode.Detect("Which applies?\n[ ] Zorblax\n[x] Neither"); len(got) != 0 {
			t.Errorf("%s tagged an option line left blank: %+v", name, got)
		}
		if got := mode.Detect("[x] Zorblax   [ ] Grumbit   [ ] Neither"); !hasDetector(got, "learned-health") {
			t.Errorf("%s dropped a row with the box ticked: %+v", name, got)
		}
	}
}

// In a reference letter the writer is the referee: a sure addition on a
// sentence where the writer speaks of themself is not the candidate's (h3p).
func TestNoSureAdditionForTheReferee(t *testing.T) {
	m := &Model{Cats: []CategoryModel{{
		Category: profile.Health, Bias: -5, Threshold: 2, UnionThreshold: 0.5,
		Weights: map[string]float64{"w:zorblax": 10}, // p = 0.99
	}}}
	vetted := m.Vetted()
	letter := "Character reference for Sam Reid\nApologies for the delay, my zorblax flared up last month.\n"
	if got := vetted.Detect(letter); hasDetector(got, "learned-health") {
		t.Errorf("vetted added the referee's condition: %+v", got)
	}
	if got := vetted.Detect("Cover letter\nApologies for the delay, my zorblax flared up last month.\n"); !hasDetector(got, "learned-health") {
		t.Errorf("vetted dropped the writer's own condition outside a reference: %+v", got)
	}
}

// A yes under a question about something else answers that question, however
// sure the model is of the answer's words (h30, from batches 17-20's
// screening answers); a yes under a question about the category still counts.
func TestNoAdditionForAYesToAnotherQuestion(t *testing.T) {
	m := &Model{Cats: []CategoryModel{{
		Category: profile.CriminalConvictions, Bias: -5, Threshold: 2, UnionThreshold: 0.5,
		Weights: map[string]float64{"w:released": 10}, // p = 0.99: a trusted addition
	}}}
	for name, mode := range map[string]*Model{"union": m.Union(), "vetted": m.Vetted()} {
		if got := mode.Detect("Q: Did you play football at academy level?\nA: Yes, released at sixteen."); len(got) != 0 {
			t.Errorf("%s tagged a yes to a question about football: %+v", name, got)
		}
		if got := mode.Detect("Q: Have you ever been convicted of an offence?\nA: Yes, released on licence in 2019."); len(got) == 0 {
			t.Errorf("%s dropped a yes to a question about convictions", name)
		}
	}
}
