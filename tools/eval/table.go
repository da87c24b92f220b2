package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Metric says how a row's counts are read.
type Metric string

const (
	// Exact: per document, one gold value; n docs, pred docs with a value, correct exact.
	Exact Metric = "exact"
	// Set: micro-averaged over items; n gold items, pred predicted items, correct matched.
	Set Metric = "set"
	// Recall: as Set, but the gold lists only some items, so precision is not defined.
	Recall Metric = "recall"
	// Fill: no gold; n documents, pred documents where the field is filled.
	Fill Metric = "fill"
	// Agree: agreement with another parser's output, not gold; read as Exact.
	Agree Metric = "agree"
	// Count: just n, e.g. how many documents a dataset holds.
	Count Metric = "count"
)

// Row is one aggregate figure. It holds counts only, never corpus text.
type Row struct {
	Dataset, Field string
	Metric         Metric
	N, Pred, Corr  int
}

func ratio(a, b int) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return float64(a) / float64(b), true
}

// Scores returns precision, recall, F1 and accuracy (or fill rate), each with
// ok=false where the metric does not apply or the denominator is zero.
func (r Row) Scores() (p, rc, f1, acc opt) {
	switch r.Metric {
	case Set:
		p, rc = mk(ratio(r.Corr, r.Pred)), mk(ratio(r.Corr, r.N))
		if p.ok && rc.ok && p.v+rc.v > 0 {
			f1 = opt{2 * p.v * rc.v / (p.v + rc.v), true}
		} else if p.ok && rc.ok {
			f1 = opt{0, true}
		}
	case Recall:
		rc = mk(ratio(r.Corr, r.N))
	case Exact, Agree:
		p, acc = mk(ratio(r.Corr, r.Pred)), mk(ratio(r.Corr, r.N))
	case Fill:
		acc = mk(ratio(r.Pred, r.N))
	}
	return
}

type opt struct {
	v  float64
	ok bool
}

func mk(v float64, ok bool) opt { return opt{v, ok} }

func (o opt) String() string {
	if !o.ok {
		return "–"
	}
	return fmt.Sprintf("%.3f", o.v)
}

var header = []string{"dataset", "field", "metric", "n", "pred", "correct", "P", "R", "F1", "acc/fill"}

func (r Row) cells() []string {
	p, rc, f1, acc := r.Scores()
	pred, corr := fmt.Sprint(r.Pred), fmt.Sprint(r.Corr)
	if r.Metric == Fill || r.Metric == Count {
		corr = "–"
	}
	if r.Metric == Count || r.Metric == Recall && r.Pred < 0 {
		pred = "–"
	}
	return []string{r.Dataset, r.Field, string(r.Metric), fmt.Sprint(r.N), pred, corr,
		p.String(), rc.String(), f1.String(), acc.String()}
}

// WriteText prints rows as an aligned plain-text table.
func WriteText(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r.cells(), "\t")+"\t")
	}
	return tw.Flush()
}

// WriteMarkdown prints rows as a GitHub markdown table.
func WriteMarkdown(w io.Writer, rows []Row) error {
	fmt.Fprintf(w, "| %s |\n", strings.Join(header, " | "))
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
		if i >= 3 {
			sep[i] = "---:"
		}
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(sep, "|"))
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "| %s |\n", strings.Join(r.cells(), " | ")); err != nil {
			return err
		}
	}
	return nil
}
