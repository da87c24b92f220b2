package main

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"
)

// proseHeadBytes is how much of each CV the prose baseline sees: the header,
// where the name is, without paying NER time for the whole document.
const proseHeadBytes = 600

// proseNER is the "prose NER" name baseline: the first PERSON entity that
// github.com/jdkato/prose/v2 finds in the first ~600 bytes of a CV. It was
// measured as a fallback name extractor and rejected (see introducedName in
// classifiers/name.go); this row keeps that measurement reproducible.
type proseNER struct {
	model *prose.Model // loaded once: reloading it per document costs ~200 ms
	load  time.Duration
}

func newProseNER() *proseNER {
	start := time.Now()
	m := prose.ModelFromData("en")
	return &proseNER{model: m, load: time.Since(start)}
}

// firstPerson returns the text of the first PERSON entity, trimmed.
func firstPerson(ents []prose.Entity) (string, bool) {
	for _, e := range ents {
		if e.Label == "PERSON" {
			if t := strings.TrimSpace(e.Text); t != "" {
				return t, true
			}
		}
	}
	return "", false
}

// head returns at most n bytes of s, cut at the last white space before the
// limit so no word is split (or at a rune boundary when there is none).
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	if i := strings.LastIndexAny(s[:n], " \t\r\n"); i > 0 {
		n = i
	}
	return s[:n]
}

// scoreExactName adds one document to an Exact name row: golds are the labelled
// names, pred the extractor's name (ok=false: it gave none). The comparison is
// the one the parser's own name row uses (case- and white-space-insensitive).
func scoreExactName(r *Row, golds []string, pred string, ok bool) {
	if len(golds) == 0 {
		return
	}
	r.N++
	if !ok {
		return
	}
	r.Pred++
	if anyFold(golds, pred) {
		r.Corr++
	}
}

// row runs the baseline over every resume with a labelled name, one document at
// a time so the mean time is per-document latency. It returns the Exact row and
// the mean wall time per document (NewDocument plus the entity scan).
func (p *proseNER) row(ds string, rs []resume) (Row, time.Duration, error) {
	r := Row{Dataset: ds, Field: "name: prose NER (first PERSON, 600 B)", Metric: Exact}
	var total time.Duration
	docs := 0
	for _, res := range rs {
		golds := res.spans["Name"]
		if len(golds) == 0 {
			continue
		}
		start := time.Now()
		doc, err := prose.NewDocument(head(res.text, proseHeadBytes), prose.UsingModel(p.model))
		if err != nil {
			return Row{}, 0, fmt.Errorf("prose: %v", err) // no corpus text in the message
		}
		pred, ok := firstPerson(doc.Entities())
		total += time.Since(start)
		docs++
		scoreExactName(&r, golds, pred, ok)
	}
	if docs == 0 {
		return r, 0, nil
	}
	return r, total / time.Duration(docs), nil
}
