package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
)

// Diag counts failure shapes, as numbers only, to explain the table (-diag).
type Diag struct {
	ds     string
	counts map[string][2]int // key -> {failures, total of that shape}
	plain  map[string]bool   // keys that are plain tallies
	order  []string
}

func newDiag() *Diag { return &Diag{counts: map[string][2]int{}, plain: map[string]bool{}} }

// tally counts an event with no failure/total split.
func (d *Diag) tally(key string) {
	d.add(key, true)
	d.plain[d.ds+": "+key] = true
}

func (d *Diag) add(key string, failed bool) {
	key = d.ds + ": " + key
	c, seen := d.counts[key]
	if !seen {
		d.order = append(d.order, key)
	}
	c[1]++
	if failed {
		c[0]++
	}
	d.counts[key] = c
}

// name records the shape of a gold name and whether the parser got it wrong.
func (d *Diag) name(r resume, gold string, pred *string, ok bool) {
	d.add("name, all", !ok)
	d.add("name, no name output", pred == nil)
	toks := strings.Fields(gold)
	d.add(fmt.Sprintf("name, gold has %s words", bucket(len(toks))), !ok)
	if strings.ToLower(gold) == gold {
		d.add("name, gold in lower case", !ok)
	}
	if isAllCaps(gold) {
		d.add("name, gold in ALL CAPS", !ok)
	}
	if pos := initialAt(toks); pos != "" {
		d.add("name, gold has an initial ("+pos+")", !ok)
	}
	if pred != nil && !ok {
		d.add("name, wrong output's words come from "+labelOf(r, *pred), true)
		switch overlap(toks, strings.Fields(*pred)) {
		case 0:
			d.add("name, wrong output shares no word with gold", true)
		default:
			d.add("name, wrong output shares a word with gold", true)
		}
	}
}

func bucket(n int) string {
	if n >= 3 {
		return "3+"
	}
	return fmt.Sprint(n)
}

func isAllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 1
}

// handles records where unmatched Indeed handles come from.
func (d *Diag) handles(gold, pred []string) {
	if len(gold) == 0 {
		d.add("indeed handle, no labelled handle but parser found one", len(pred) > 0)
	}
	d.add("indeed handle, parser found 2+ distinct handles", len(pred) > 1)
}

// initialAt says where a one-letter word sits in a name: "first", "inner", "last".
func initialAt(toks []string) string {
	for i, t := range toks {
		if countLetters(t) != 1 {
			continue
		}
		switch i {
		case 0:
			return "first"
		case len(toks) - 1:
			return "last"
		}
		return "inner"
	}
	return ""
}

// labelOf says where every word of a wrong name comes from: the Indeed location
// line, else the first gold label whose spans hold them all.
func labelOf(r resume, s string) string {
	for _, l := range strings.Split(r.text, "\n") {
		if strings.Contains(l, "Email me on Indeed") && allWordsIn(s, l) {
			return "the \"City, State - Email me on Indeed\" line"
		}
	}
	for _, l := range []string{"Location", "Designation", "Companies worked at", "College Name", "Degree", "Skills"} {
		if allWordsIn(s, strings.Join(r.spans[l], " ")) {
			return "spans labelled " + l
		}
	}
	return "no single label"
}

func allWordsIn(s, in string) bool {
	in = " " + foldPunct(in) + " "
	for _, w := range strings.Fields(foldPunct(s)) {
		if !strings.Contains(in, " "+w+" ") {
			return false
		}
	}
	return true
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func overlap(a, b []string) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) {
				n++
				break
			}
		}
	}
	return n
}

// Write prints "failures of total" per shape: datasets in run order, keys sorted.
func (d *Diag) Write(w io.Writer) {
	rank := map[string]int{}
	for _, k := range d.order {
		ds, _, _ := strings.Cut(k, ": ")
		if _, ok := rank[ds]; !ok {
			rank[ds] = len(rank)
		}
	}
	sort.Slice(d.order, func(i, j int) bool {
		di, _, _ := strings.Cut(d.order[i], ": ")
		dj, _, _ := strings.Cut(d.order[j], ": ")
		if rank[di] != rank[dj] {
			return rank[di] < rank[dj]
		}
		return d.order[i] < d.order[j]
	})
	for _, k := range d.order {
		c := d.counts[k]
		if d.plain[k] {
			fmt.Fprintf(w, "%s: %d\n", k, c[1])
			continue
		}
		fmt.Fprintf(w, "%s: %d of %d\n", k, c[0], c[1])
	}
}
