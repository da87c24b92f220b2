package main

import (
	"strings"
	"sync"

	"github.com/cvetl/cvetl/classifiers"
	"github.com/cvetl/cvetl/profile"
)

// parseAll runs the text parser over every resume on workers goroutines; the
// result order is the input order, so the figures do not depend on scheduling.
func parseAll(rs []resume, workers int) []profile.Candidate {
	out := make([]profile.Candidate, len(rs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i] = classifiers.ParseCandidate(rs[i].text, profile.Candidate{})
			}
		}()
	}
	for i := range rs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

// scoreDataTurks compares parsed candidates with the DataTurks labels.
func scoreDataTurks(ds string, rs []resume, cs []profile.Candidate, diag *Diag) []Row {
	name := Row{Dataset: ds, Field: "name", Metric: Exact}
	all := Row{Dataset: ds, Field: "email (as labelled)", Metric: Set}
	addr := Row{Dataset: ds, Field: "email: @ addresses", Metric: Set}
	hdl := Row{Dataset: ds, Field: "email: Indeed handle via links", Metric: Set}
	skills := Row{Dataset: ds, Field: "skills: labelled items found", Metric: Recall, Pred: -1}
	title := Row{Dataset: ds, Field: "designation vs employment.title", Metric: Set}
	emp := Row{Dataset: ds, Field: "companies vs employment.employer", Metric: Set}
	for i, r := range rs {
		c := cs[i]
		if golds := r.spans["Name"]; len(golds) > 0 {
			name.N++
			ok := false
			if c.Name != nil {
				name.Pred++
				ok = anyFold(golds, *c.Name)
				if ok {
					name.Corr++
				}
			}
			diag.name(r, golds[0], c.Name, ok)
		}
		ga, gh := goldContacts(r.spans["Email Address"])
		pa, ph := predContacts(c)
		addSet(&addr, ga, pa, eq)
		addSet(&hdl, gh, ph, handleMatch)
		diag.handles(gh, ph)
		skillRecall(&skills, r.spans["Skills"], c.Skills)
		var titles, employers []string
		for _, e := range c.Employment {
			titles, employers = append(titles, e.Title), append(employers, e.Employer)
		}
		addSet(&title, uniq(mapStr(r.spans["Designation"], foldPunct)), uniq(mapStr(titles, foldPunct)), eq)
		addSet(&emp, uniq(mapStr(r.spans["Companies worked at"], foldPunct)), uniq(mapStr(employers, foldPunct)), eq)
	}
	all.N, all.Pred, all.Corr = addr.N+hdl.N, addr.Pred+hdl.Pred, addr.Corr+hdl.Corr
	return []Row{name, all, addr, hdl, skills, title, emp}
}

// skillRecall: a labelled skill item ("Core Java", "MS Excel") counts as found when
// a taxonomy skill the parser reported for the CV occurs in it. Precision is not
// defined: the spans miss skills named elsewhere in the CV.
func skillRecall(r *Row, blocks, pred []string) {
	have := map[string]bool{}
	for _, p := range pred {
		have[fold(p)] = true
	}
	seen := map[string]bool{}
	for _, it := range splitSkillItems(strings.Join(blocks, "\n")) {
		if seen[fold(it)] {
			continue // case matters to the taxonomy ("=Excel"), so fold only to dedupe
		}
		seen[fold(it)] = true
		r.N++
		for _, s := range classifiers.Skills(it) {
			if have[fold(s)] {
				r.Corr++
				break
			}
		}
	}
}

// goldContacts splits "Email Address" spans into real addresses and Indeed handles.
func goldContacts(spans []string) (addrs, handles []string) {
	for _, s := range spans {
		if strings.Contains(s, "@") {
			addrs = append(addrs, strings.ToLower(strings.TrimPrefix(strings.Join(strings.Fields(s), ""), "mailto:")))
		} else if h, ok := indeedHandle(s); ok {
			handles = append(handles, h)
		}
	}
	return uniq(addrs), uniq(handles)
}

// predContacts: the parser's e-mails, and the Indeed handles among its links.
func predContacts(c profile.Candidate) (addrs, handles []string) {
	for _, e := range c.Emails {
		addrs = append(addrs, strings.ToLower(e))
	}
	for _, l := range append(append([]string{}, c.Links...), c.Emails...) {
		if h, ok := indeedHandle(l); ok {
			handles = append(handles, h)
		}
	}
	return uniq(addrs), uniq(handles)
}

// addSet adds one document's gold and predicted sets to a Set row; each gold item
// is matched by at most one prediction.
func addSet(r *Row, gold, pred []string, match func(g, p string) bool) {
	r.N += len(gold)
	r.Pred += len(pred)
	used := make([]bool, len(pred))
	for _, g := range gold {
		for j, p := range pred {
			if !used[j] && match(g, p) {
				used[j] = true
				r.Corr++
				break
			}
		}
	}
}

func eq(a, b string) bool { return a == b }

func anyFold(golds []string, pred string) bool {
	for _, g := range golds {
		if fold(g) == fold(pred) {
			return true
		}
	}
	return false
}

func mapStr(v []string, f func(string) string) []string {
	out := make([]string, 0, len(v))
	for _, s := range v {
		out = append(out, f(s))
	}
	return out
}

// uniq drops empty strings and repeats, keeping first-seen order.
func uniq(v []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range v {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
