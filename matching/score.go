package matching

import (
	"container/heap"
	"fmt"
	"math"
	"strings"

	"github.com/cvetl/cvetl/config"
)

// Weights of the features in a score. A feature the vacancy does not state, or that
// the configuration lists as a proxy, is left out and the others are rescaled, so a
// score is always in [0, 1].
const (
	wSkills     = 0.40
	wTitles     = 0.25
	wExperience = 0.10
	wQuals      = 0.10
	wLocation   = 0.15
)

// relevantTitle is how much of a vacancy's title a past job's title must share (by
// rarity-weighted words) for its months to count as relevant experience.
const relevantTitle = 0.5

// index holds every eligible candidate's features and the inverted indexes from a
// skill or title word to the candidates that have it.
type index struct {
	cands []features
	// Places again, packed: the bound reads them for every blocked-in candidate.
	district, area, town []int32
	bySkill              [][]int32 // skill id → candidate indexes
	byWord               [][]int32 // title word id → candidate indexes
	skillIDF             []float64
	wordIDF              []float64
	quals                *vocab
	skillVoc             *vocab
	unseenIDF            float64 // rarity of a term no candidate has
}

func buildIndex(cands []features, x *extractor) *index {
	ix := &index{cands: cands, bySkill: make([][]int32, len(x.skills.names)),
		byWord: make([][]int32, len(x.words.names)), quals: x.quals, skillVoc: x.skills}
	ix.district, ix.area, ix.town = make([]int32, len(cands)), make([]int32, len(cands)), make([]int32, len(cands))
	for i, c := range cands {
		ix.district[i], ix.area[i], ix.town[i] = c.district, c.area, c.town
		for _, s := range c.skills {
			ix.bySkill[s] = append(ix.bySkill[s], int32(i))
		}
		var words []int32
		for _, j := range c.jobs {
			words = append(words, j.words...)
		}
		for _, w := range sortedUnique(words) {
			ix.byWord[w] = append(ix.byWord[w], int32(i))
		}
	}
	n := float64(len(cands))
	idf := func(df int) float64 { return math.Log(1 + n/float64(max(df, 1))) }
	ix.unseenIDF = idf(0)
	ix.skillIDF = make([]float64, len(ix.bySkill))
	for s, p := range ix.bySkill {
		ix.skillIDF[s] = idf(len(p))
	}
	ix.wordIDF = make([]float64, len(ix.byWord))
	for w, p := range ix.byWord {
		ix.wordIDF[w] = idf(len(p))
	}
	return ix
}

func (ix *index) skillWeight(id int32) float64 {
	if id < 0 {
		return ix.unseenIDF
	}
	return ix.skillIDF[id]
}

func (ix *index) wordWeight(id int32) float64 {
	if id < 0 {
		return ix.unseenIDF
	}
	return ix.wordIDF[id]
}

// Match is one proposed candidate for a vacancy.
type Match struct {
	Candidate     int32 // index into the loaded candidates
	Score         float64
	MatchedSkills []string
	Explanation   string
}

// prepared is a vacancy prepared for scoring: its weights and which features count.
type prepared struct {
	v                                  *vacancyFeatures
	skillTotal, wordTotal              float64
	useSkills, useTitles, useExp, useQ bool
	useLoc                             bool
	total                              float64 // sum of the weights in use
}

func (ix *index) prepare(v *vacancyFeatures, cfg config.Matching) prepared {
	q := prepared{v: v}
	for _, s := range v.skillIDs {
		q.skillTotal += ix.skillWeight(s)
	}
	for _, w := range v.words {
		q.wordTotal += ix.wordWeight(w)
	}
	q.useSkills = len(v.skillIDs) > 0
	q.useTitles = len(v.words) > 0
	q.useExp = !cfg.Excludes("experience")
	q.useQ = len(v.qualIDs) > 0
	q.useLoc = v.hasLocation()
	for _, u := range []struct {
		on bool
		w  float64
	}{{q.useSkills, wSkills}, {q.useTitles, wTitles}, {q.useExp, wExperience}, {q.useQ, wQuals}, {q.useLoc, wLocation}} {
		if u.on {
			q.total += u.w
		}
	}
	return q
}

// scorer scores one vacancy at a time; each worker has its own.
type scorer struct {
	ix       *index
	skillAcc []float64
	wordAcc  []float64
	stamp    []uint32
	gen      uint32
	touched  []int32
	bounds   []float64 // bound of touched[i]
}

func newScorer(ix *index) *scorer {
	n := len(ix.cands)
	return &scorer{ix: ix, skillAcc: make([]float64, n), wordAcc: make([]float64, n), stamp: make([]uint32, n)}
}

// top returns the best n candidates for the vacancy, best first (ties: the earlier
// candidate, i.e. the lower subject id). Only candidates sharing a skill or a title
// word with the vacancy are considered (blocking); of those, a candidate is scored in
// full only when an upper bound of its score could still enter the top n.
func (s *scorer) top(q prepared, n int) []Match {
	ix := s.ix
	s.gen += 2 // gen: touched for this vacancy; gen+1: already scored in full
	s.touched = s.touched[:0]
	touch := func(c int32) {
		if s.stamp[c] != s.gen {
			s.stamp[c] = s.gen
			s.skillAcc[c], s.wordAcc[c] = 0, 0
			s.touched = append(s.touched, c)
		}
	}
	if q.useSkills {
		for _, id := range q.v.skillIDs {
			if id < 0 {
				continue
			}
			w := ix.skillIDF[id]
			for _, c := range ix.bySkill[id] {
				touch(c)
				s.skillAcc[c] += w
			}
		}
	}
	if q.useTitles {
		for _, id := range q.v.words {
			if id < 0 {
				continue
			}
			w := ix.wordIDF[id]
			for _, c := range ix.byWord[id] {
				touch(c)
				s.wordAcc[c] += w
			}
		}
	}
	rest := 0.0 // what experience and qualifications can add at most
	if q.useExp {
		rest += wExperience
	}
	if q.useQ {
		rest += wQuals
	}
	// Seed the top n with the n best bounds, so that the threshold is high from the
	// start and few other candidates need a full score.
	seeds := &matchHeap{}
	s.bounds = s.bounds[:0]
	for _, c := range s.touched {
		b := s.bound(q, c, rest)
		s.bounds = append(s.bounds, b)
		if seeds.Len() < n {
			heap.Push(seeds, scored{c, b})
		} else if better(scored{c, b}, (*seeds)[0]) {
			(*seeds)[0] = scored{c, b}
			heap.Fix(seeds, 0)
		}
	}
	h := &matchHeap{}
	for _, sd := range *seeds {
		s.stamp[sd.c] = s.gen + 1 // scored
		heap.Push(h, scored{sd.c, s.score(q, sd.c)})
	}
	for i, c := range s.touched {
		if s.stamp[c] != s.gen {
			continue
		}
		// The bound adds the same terms in another order than score does: allow for
		// rounding. A candidate that can at best tie the worst kept one, and comes
		// later in subject order, cannot displace it.
		if h.Len() == n {
			bound, worst := s.bounds[i], (*h)[0]
			if bound < worst.score-1e-9 || (bound <= worst.score+1e-9 && c > worst.c) {
				continue
			}
		}
		sc := s.score(q, c)
		if h.Len() < n {
			heap.Push(h, scored{c, sc})
		} else if better(scored{c, sc}, (*h)[0]) {
			(*h)[0] = scored{c, sc}
			heap.Fix(h, 0)
		}
	}
	out := make([]Match, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		best := heap.Pop(h).(scored)
		out[i] = Match{Candidate: best.c, Score: best.score}
	}
	return out
}

// bound is at least the score of candidate c: its accumulated skill and title sums,
// its location, and the most experience and qualifications (rest) could add.
func (s *scorer) bound(q prepared, c int32, rest float64) float64 {
	b := rest
	if q.useSkills && q.skillTotal > 0 {
		b += wSkills * s.skillAcc[c] / q.skillTotal
	}
	if q.useTitles && q.wordTotal > 0 {
		b += wTitles * min(1, s.wordAcc[c]/q.wordTotal)
	}
	if q.useLoc {
		b += wLocation * s.location(q, c)
	}
	return b / q.total
}

func (s *scorer) location(q prepared, c int32) float64 {
	switch {
	case q.v.district >= 0 && s.ix.district[c] == q.v.district:
		return 1
	case q.v.area >= 0 && s.ix.area[c] == q.v.area:
		return 0.75
	case q.v.town >= 0 && s.ix.town[c] == q.v.town:
		return 0.6
	}
	return 0
}

// parts are a candidate's feature scores for a vacancy, each in [0, 1].
type parts struct {
	skills, title, exp, quals, loc float64
	bestJob                        int   // the job that best matches the title, -1 none
	relevantMonths                 int32 // months in jobs that match the title
	longestJob                     int   // the longest relevant job, -1 none
}

func (s *scorer) parts(q prepared, c int32) parts {
	f := &s.ix.cands[c]
	p := parts{bestJob: -1, longestJob: -1}
	if q.useSkills && q.skillTotal > 0 {
		var have float64
		for _, id := range q.v.skillIDs {
			if id >= 0 && contains(f.skills, id) {
				have += s.ix.skillIDF[id]
			}
		}
		p.skills = have / q.skillTotal
	}
	var totalMonths int32
	for j := range f.jobs {
		job := &f.jobs[j]
		totalMonths += job.months
		if !q.useTitles || q.wordTotal == 0 {
			continue
		}
		var have float64
		for _, id := range q.v.words {
			if id >= 0 && contains(job.words, id) {
				have += s.ix.wordIDF[id]
			}
		}
		t := have / q.wordTotal
		if t > p.title {
			p.title, p.bestJob = t, j
		}
		if t >= relevantTitle {
			p.relevantMonths += job.months
			if p.longestJob < 0 || job.months > f.jobs[p.longestJob].months {
				p.longestJob = j
			}
		}
	}
	if q.useExp {
		months := p.relevantMonths
		if !q.useTitles { // titles are a proxy: all experience counts
			months = totalMonths
		}
		p.exp = min(1, float64(months)/12/q.v.years)
	}
	if q.useQ {
		have := 0
		for _, id := range q.v.qualIDs {
			if id >= 0 && contains(f.quals, id) {
				have++
			}
		}
		p.quals = float64(have) / float64(len(q.v.qualIDs))
	}
	if q.useLoc {
		p.loc = s.location(q, c)
	}
	return p
}

func (s *scorer) score(q prepared, c int32) float64 {
	p := s.parts(q, c)
	sum := 0.0
	if q.useSkills {
		sum += wSkills * p.skills
	}
	if q.useTitles {
		sum += wTitles * p.title
	}
	if q.useExp {
		sum += wExperience * p.exp
	}
	if q.useQ {
		sum += wQuals * p.quals
	}
	if q.useLoc {
		sum += wLocation * p.loc
	}
	return min(1, max(0, sum/q.total))
}

// explain says in a recruiter's words why the candidate scored: "shares 6 of 8
// required skills: …; 7 years as Staff Nurse; holds NVQ Level 3; same postcode area LS".
func (s *scorer) explain(q prepared, c int32) (string, []string) {
	f := &s.ix.cands[c]
	p := s.parts(q, c)
	var out []string
	var matched, missing []string
	if q.useSkills {
		for i, id := range q.v.skillIDs {
			if id >= 0 && contains(f.skills, id) {
				matched = append(matched, q.v.skills[i])
			} else {
				missing = append(missing, q.v.skills[i])
			}
		}
		line := fmt.Sprintf("shares %d of %d required skills", len(matched), len(q.v.skillIDs))
		if len(matched) > 0 {
			line += ": " + strings.Join(matched, ", ")
		}
		if len(missing) > 0 {
			line += " (missing: " + strings.Join(missing, ", ") + ")"
		}
		out = append(out, line)
	}
	switch {
	case p.longestJob >= 0 && q.useExp:
		out = append(out, duration(p.relevantMonths)+" as "+f.jobs[p.longestJob].title)
	case p.bestJob >= 0:
		out = append(out, "has worked as "+f.jobs[p.bestJob].title)
	case q.useTitles:
		out = append(out, "no past job title like the vacancy's")
	}
	if q.useQ {
		var held []string
		for i, id := range q.v.qualIDs {
			if id >= 0 && contains(f.quals, id) {
				held = append(held, q.v.quals[i])
			}
		}
		if len(held) > 0 {
			out = append(out, "holds "+strings.Join(held, ", "))
		} else {
			out = append(out, "none of the qualifications asked for ("+strings.Join(q.v.quals, ", ")+")")
		}
	}
	if q.useLoc {
		switch {
		case q.v.district >= 0 && f.district == q.v.district:
			out = append(out, "same postcode district "+q.v.districtTxt)
		case q.v.area >= 0 && f.area == q.v.area:
			out = append(out, "same postcode area "+q.v.areaTxt)
		case q.v.town >= 0 && f.town == q.v.town:
			out = append(out, "same town "+q.v.townTxt)
		default:
			out = append(out, "not in the vacancy's area")
		}
	}
	if matched == nil {
		matched = []string{}
	}
	return strings.Join(out, "; "), matched
}

func duration(months int32) string {
	switch y := months / 12; {
	case y >= 2:
		return fmt.Sprintf("%d years", y)
	case y == 1:
		return "1 year"
	case months == 1:
		return "1 month"
	default:
		return fmt.Sprintf("%d months", months)
	}
}

// scored is a candidate with its score; the heap keeps the worst on top.
type scored struct {
	c     int32
	score float64
}

// better orders by score, then by candidate index (subject id order).
func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.c < b.c
}

type matchHeap []scored

func (h matchHeap) Len() int           { return len(h) }
func (h matchHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h matchHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *matchHeap) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *matchHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
