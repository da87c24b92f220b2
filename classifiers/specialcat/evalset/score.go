package evalset

import (
	"fmt"
	"strings"

	"github.com/cvetl/cvetl/profile"
)

// DetectFunc is the detector under test (specialcat.Detect).
type DetectFunc func(text string) []profile.Tag

// PR counts one category at one level. Precision is the share of predictions that
// hit a gold item, recall the share of gold items hit; at document and sentence
// level an item is a (document, category) pair, at span level a span, and a
// predicted span hits a gold span of the same category when they overlap.
type PR struct {
	PredTotal, PredHit int
	GoldTotal, GoldHit int
}

// Precision is 1 when nothing was predicted (no false positive was made).
func (p PR) Precision() float64 {
	if p.PredTotal == 0 {
		return 1
	}
	return float64(p.PredHit) / float64(p.PredTotal)
}

// Recall is 1 when there was nothing to find.
func (p PR) Recall() float64 {
	if p.GoldTotal == 0 {
		return 1
	}
	return float64(p.GoldHit) / float64(p.GoldTotal)
}

// F2 weighs recall twice as much as precision: a missed disclosure is worse here
// than a needless restriction.
func (p PR) F2() float64 {
	pr, rc := p.Precision(), p.Recall()
	if pr+rc == 0 {
		return 0
	}
	return 5 * pr * rc / (4*pr + rc)
}

func (p *PR) add(q PR) {
	p.PredTotal += q.PredTotal
	p.PredHit += q.PredHit
	p.GoldTotal += q.GoldTotal
	p.GoldHit += q.GoldHit
}

// Error is one mistake, named by id and offsets only.
type Error struct {
	ID         string
	Kind       string // "FP", "FN" (span level) or "HN" (a hard negative tagged)
	Category   profile.Category
	Start, End int
}

func (e Error) String() string {
	return fmt.Sprintf("%s %s %s %d-%d", e.Kind, e.ID, e.Category, e.Start, e.End)
}

// Report is the score of one split.
type Report struct {
	Split                string
	Docs, Sentences      int
	Doc, Span, Sent      map[profile.Category]*PR
	Traps, TrapHits      int // hard-negative regions in documents, and those tagged
	HardSents, HardHits  int // hard-negative sentences, and those tagged
	Errors               []Error
	GoldSpans, PredSpans int
}

// Score runs detect over the split's documents and sentences.
func Score(set *Set, split string, detect DetectFunc) *Report {
	return ScoreBatch(set, split, "", detect)
}

// BatchOf is the batch an id was written in: "b2" for ids starting "b2-" or
// "s2-", otherwise "b1". Batch 2 was written after batch 1's held-out split had
// been measured, so its held-out part stays blind (see testdata/eval/README.md).
func BatchOf(id string) string {
	if strings.HasPrefix(id, "b2-") || strings.HasPrefix(id, "s2-") {
		return "b2"
	}
	return "b1"
}

// ScoreBatch is Score restricted to one batch ("" for all).
func ScoreBatch(set *Set, split, batch string, detect DetectFunc) *Report {
	in := func(id, sp string) bool { return sp == split && (batch == "" || BatchOf(id) == batch) }
	r := &Report{Split: split, Doc: map[profile.Category]*PR{}, Span: map[profile.Category]*PR{}, Sent: map[profile.Category]*PR{}}
	if batch != "" {
		r.Split += " (batch " + batch + ")"
	}
	for _, c := range Categories {
		r.Doc[c], r.Span[c], r.Sent[c] = &PR{}, &PR{}, &PR{}
	}
	for i := range set.Docs {
		d := &set.Docs[i]
		if !in(d.ID, d.Split) {
			continue
		}
		r.Docs++
		r.scoreDoc(d, detect(d.Text))
	}
	for _, s := range set.Sentences {
		if !in(s.ID, s.Split) {
			continue
		}
		r.Sentences++
		tags := detect(s.Text)
		gold := map[profile.Category]bool{}
		for _, c := range s.Categories {
			gold[c] = true
		}
		pred := map[profile.Category]bool{}
		for _, t := range tags {
			pred[t.Category] = true
		}
		for _, c := range Categories {
			p := r.Sent[c]
			if gold[c] {
				p.GoldTotal++
				if pred[c] {
					p.GoldHit++
				} else {
					r.Errors = append(r.Errors, Error{s.ID, "FN", c, 0, len(s.Text)})
				}
			}
			if pred[c] {
				p.PredTotal++
				if gold[c] {
					p.PredHit++
				} else {
					r.Errors = append(r.Errors, Error{s.ID, "FP", c, 0, len(s.Text)})
				}
			}
		}
		if s.HardNegative {
			r.HardSents++
			if len(tags) > 0 {
				r.HardHits++
				r.Errors = append(r.Errors, Error{s.ID, "HN", tags[0].Category, tags[0].Start, tags[0].End})
			}
		}
	}
	return r
}

func overlaps(a0, a1, b0, b1 int) bool { return a0 < b1 && b0 < a1 }

func (r *Report) scoreDoc(d *Doc, tags []profile.Tag) {
	r.GoldSpans += len(d.Gold)
	r.PredSpans += len(tags)
	goldCats, predCats := map[profile.Category]bool{}, map[profile.Category]bool{}
	for _, g := range d.Gold {
		goldCats[g.Category] = true
		p := r.Span[g.Category]
		p.GoldTotal++
		hit := false
		for _, t := range tags {
			if t.Category == g.Category && overlaps(t.Start, t.End, g.Start, g.End) {
				hit = true
				break
			}
		}
		if hit {
			p.GoldHit++
		} else {
			r.Errors = append(r.Errors, Error{d.ID, "FN", g.Category, g.Start, g.End})
		}
	}
	for _, t := range tags {
		predCats[t.Category] = true
		p := r.Span[t.Category]
		p.PredTotal++
		if d.hits(t) {
			p.PredHit++
		} else {
			r.Errors = append(r.Errors, Error{d.ID, "FP", t.Category, t.Start, t.End})
		}
	}
	for _, c := range Categories {
		p := r.Doc[c]
		if goldCats[c] {
			p.GoldTotal++
			if predCats[c] {
				p.GoldHit++
			}
		}
		if predCats[c] {
			p.PredTotal++
			if goldCats[c] {
				p.PredHit++
			}
		}
	}
	for _, tr := range d.Traps {
		r.Traps++
		for _, t := range tags {
			if overlaps(t.Start, t.End, tr.Start, tr.End) && !d.hits(t) {
				r.TrapHits++
				r.Errors = append(r.Errors, Error{d.ID, "HN", t.Category, t.Start, t.End})
				break
			}
		}
	}
}

// hits reports whether tag t overlaps a gold span of its category.
func (d *Doc) hits(t profile.Tag) bool {
	for _, g := range d.Gold {
		if g.Category == t.Category && overlaps(t.Start, t.End, g.Start, g.End) {
			return true
		}
	}
	return false
}

// Total sums one level over the given categories.
func Total(m map[profile.Category]*PR, cats []profile.Category) PR {
	var t PR
	for _, c := range cats {
		t.add(*m[c])
	}
	return t
}
