package main

import (
	"fmt"
	"io"

	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/classifiers/specialcat/evalset"
)

// score is one detector's result on one held-out group, all categories pooled.
type score struct {
	doc, span, sent    evalset.PR
	trapHits, hardHits int
	traps, hardSents   int
}

func (s *score) add(o score) {
	for _, p := range []struct{ a, b *evalset.PR }{{&s.doc, &o.doc}, {&s.span, &o.span}, {&s.sent, &o.sent}} {
		p.a.PredTotal += p.b.PredTotal
		p.a.PredHit += p.b.PredHit
		p.a.GoldTotal += p.b.GoldTotal
		p.a.GoldHit += p.b.GoldHit
	}
	s.trapHits += o.trapHits
	s.hardHits += o.hardHits
	s.traps += o.traps
	s.hardSents += o.hardSents
}

func scoreOf(r *evalset.Report) score {
	return score{
		doc: evalset.Total(r.Doc, evalset.Categories), span: evalset.Total(r.Span, evalset.Categories),
		sent: evalset.Total(r.Sent, evalset.Categories), trapHits: r.TrapHits, hardHits: r.HardHits,
		traps: r.Traps, hardSents: r.HardSents,
	}
}

// fold is one held-out author: rules alone and rules + backstop.
type fold struct {
	name                   string
	enabled                int // categories whose threshold the training folds allowed
	enabledAlone           int
	rules, backstop, alone score
	union                  score // rules + backstop with the model-alone thresholds
	unionChecked           score // the union with the rules' context checks on its additions
	rulesVetted            score // the rules with the model's veto on their weak tags, no additions
	unionVetted            score // the vetted mode: veto, checked union, sure additions trusted
}

type cvTable struct {
	folds []fold
	pool  map[string]bool // folds also pooled on their own ("subset" rows), if any
}

// crossValidate holds out each author group in turn, trains (features, weights and
// thresholds) on the others only, and scores the held-out group.
func crossValidate(groups []group) cvTable {
	exs := make([][]example, len(groups))
	for i, g := range groups {
		exs[i] = examples(g)
	}
	var t cvTable
	for held, g := range groups {
		var train [][]example
		for i, e := range exs {
			if i != held {
				train = append(train, e)
			}
		}
		t.folds = append(t.folds, evaluate(train, g))
	}
	return t
}

// holdout trains on train only and scores each test group.
func holdout(train, test []group) cvTable {
	exs := make([][]example, len(train))
	for i, g := range train {
		exs[i] = examples(g)
	}
	var t cvTable
	for _, g := range test {
		t.folds = append(t.folds, evaluate(exs, g))
	}
	return t
}

// evaluate trains on train (features, weights, thresholds) and scores g with the
// rules alone, the rules with the backstop, and the model alone.
func evaluate(train [][]example, g group) fold {
	m, alone := trainOn(train)
	f := fold{name: g.name}
	for i, c := range m.Cats {
		if c.Threshold <= 1 {
			f.enabled++
		}
		if alone.Cats[i].Threshold <= 1 {
			f.enabledAlone++
		}
	}
	f.alone = scoreOf(evalset.Score(g.set, g.name, alone.Alone))
	f.rules = scoreOf(evalset.Score(g.set, g.name, specialcat.Detect))
	f.backstop = scoreOf(evalset.Score(g.set, g.name, m.Detect))
	unchecked := *alone
	unchecked.ContextChecks = false
	f.union = scoreOf(evalset.Score(g.set, g.name, unchecked.Detect))
	checked := unchecked
	checked.ContextChecks = true
	f.unionChecked = scoreOf(evalset.Score(g.set, g.name, checked.Detect))
	vetted := m.Vetted() // what learned: vetted runs
	f.unionVetted = scoreOf(evalset.Score(g.set, g.name, vetted.Detect))
	rv := *vetted
	rv.Cats = append([]specialcat.CategoryModel(nil), vetted.Cats...)
	for i := range rv.Cats {
		rv.Cats[i].Threshold = 2 // the veto alone, no additions
	}
	f.rulesVetted = scoreOf(evalset.Score(g.set, g.name, rv.Detect))
	return f
}

func (t cvTable) write(w io.Writer, markdown bool) {
	head := []string{"held out", "detector", "cats on", "doc P", "doc R", "doc F2", "span P", "span R", "span F2", "sent P", "sent R", "trap hits", "hard-sent hits"}
	sep, open, end := " | ", "| ", " |"
	if !markdown {
		sep, open, end = "  ", "", ""
	}
	line := func(cells ...string) {
		fmt.Fprint(w, open)
		for i, c := range cells {
			if i > 0 {
				fmt.Fprint(w, sep)
			}
			fmt.Fprintf(w, "%-9s", c)
		}
		fmt.Fprintln(w, end)
	}
	line(head...)
	if markdown {
		dashes := make([]string, len(head))
		for i := range dashes {
			dashes[i] = "---"
		}
		line(dashes...)
	}
	row := func(name, det, on string, s score) {
		line(name, det, on,
			f2(s.doc.Precision()), f2(s.doc.Recall()), f2(s.doc.F2()),
			f2(s.span.Precision()), f2(s.span.Recall()), f2(s.span.F2()),
			f2(s.sent.Precision()), f2(s.sent.Recall()),
			fmt.Sprintf("%d/%d", s.trapHits, s.traps), fmt.Sprintf("%d/%d", s.hardHits, s.hardSents))
	}
	var rules, back, alone, union, checked, rv, uv score
	var sub [7]score // the folds named in t.pool
	for _, f := range t.folds {
		row(f.name, "rules", "", f.rules)
		row(f.name, "+backstop", fmt.Sprint(f.enabled), f.backstop)
		row(f.name, "model alone", fmt.Sprint(f.enabledAlone), f.alone)
		row(f.name, "rules+model", fmt.Sprint(f.enabledAlone), f.union)
		row(f.name, "+context", fmt.Sprint(f.enabledAlone), f.unionChecked)
		row(f.name, "rules+veto", "", f.rulesVetted)
		row(f.name, "vetted", fmt.Sprint(f.enabledAlone), f.unionVetted)
		rv.add(f.rulesVetted)
		uv.add(f.unionVetted)
		rules.add(f.rules)
		back.add(f.backstop)
		alone.add(f.alone)
		union.add(f.union)
		checked.add(f.unionChecked)
		if t.pool[f.name] {
			for i, s := range []score{f.rules, f.backstop, f.alone, f.union, f.unionChecked, f.rulesVetted, f.unionVetted} {
				sub[i].add(s)
			}
		}
	}
	row("pooled", "rules", "", rules)
	row("pooled", "+backstop", "", back)
	row("pooled", "model alone", "", alone)
	row("pooled", "rules+model", "", union)
	row("pooled", "+context", "", checked)
	row("pooled", "rules+veto", "", rv)
	row("pooled", "vetted", "", uv)
	if len(t.pool) > 0 {
		for i, det := range []string{"rules", "+backstop", "model alone", "rules+model", "+context", "rules+veto", "vetted"} {
			row("subset", det, "", sub[i])
		}
	}
	fmt.Fprintln(w, "\n(+backstop: thresholds chosen on the sentences the rules missed, the gated candidate; rules+model: the same weights with the model-alone thresholds, a variant added after the first run; +context: rules+model whose additions pass the rules' context checks, what the union mode runs; rules+veto: the rules minus the weak tags the model vetoes; vetted: what the vetted mode runs, the veto plus +context with its surest additions passing the sentence-wide checks only)")
	dr := back.doc.Recall() - rules.doc.Recall()
	dp := back.doc.Precision() - rules.doc.Precision()
	pass := dr >= 0.05 && dp >= -0.01 && back.trapHits <= rules.trapHits
	fmt.Fprintf(w, "\npooled document recall %+.3f, precision %+.3f, trap hits %+d: gate (recall >= +0.05, precision >= -0.01, trap hits not up) %s\n",
		dr, dp, back.trapHits-rules.trapHits, map[bool]string{true: "PASSED", false: "FAILED"}[pass])
}

func f2(x float64) string { return fmt.Sprintf("%.3f", x) }
