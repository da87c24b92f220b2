package evalset

import (
	"fmt"
	"io"
	"strings"

	"github.com/cvetl/cvetl/profile"
)

// Targets for the held-out split (biometric aside).
const (
	TargetPrecision = 0.95
	TargetRecall    = 0.95
)

// Guarded are the categories the targets apply to: all but biometric.
func Guarded() []profile.Category {
	var out []profile.Category
	for _, c := range Categories {
		if c != profile.Biometric {
			out = append(out, c)
		}
	}
	return out
}

// WriteText prints a report as plain tables.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "split %s: %d documents (%d gold spans, %d predicted), %d sentences\n",
		r.Split, r.Docs, r.GoldSpans, r.PredSpans, r.Sentences)
	fmt.Fprintf(w, "%-28s %-23s %-23s %-23s\n", "category", "document P/R/F2 (n)", "span P/R/F2 (n)", "sentence P/R/F2 (n)")
	row := func(name string, d, s, t PR) {
		fmt.Fprintf(w, "%-28s %-23s %-23s %-23s\n", name, cell(d), cell(s), cell(t))
	}
	for _, c := range Categories {
		row(string(c), *r.Doc[c], *r.Span[c], *r.Sent[c])
	}
	row("all (micro)", Total(r.Doc, Categories), Total(r.Span, Categories), Total(r.Sent, Categories))
	fmt.Fprintf(w, "hard negatives tagged: %d of %d document traps, %d of %d sentences\n",
		r.TrapHits, r.Traps, r.HardHits, r.HardSents)
}

func cell(p PR) string {
	return fmt.Sprintf("%.2f/%.2f/%.2f (%d)", p.Precision(), p.Recall(), p.F2(), p.GoldTotal)
}

// WriteMarkdown prints a report as Markdown tables.
func (r *Report) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "%d documents (%d gold spans), %d sentences. Cells are precision / recall / F2; n is the number of gold items.\n\n",
		r.Docs, r.GoldSpans, r.Sentences)
	fmt.Fprintln(w, "| category | document P | R | F2 | n | span P | R | F2 | n | sentence P | R | F2 | n |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	row := func(name string, ps ...PR) {
		var b strings.Builder
		fmt.Fprintf(&b, "| %s |", name)
		for _, p := range ps {
			fmt.Fprintf(&b, " %.2f | %.2f | %.2f | %d |", p.Precision(), p.Recall(), p.F2(), p.GoldTotal)
		}
		fmt.Fprintln(w, b.String())
	}
	for _, c := range Categories {
		row("`"+string(c)+"`", *r.Doc[c], *r.Span[c], *r.Sent[c])
	}
	row("all (micro)", Total(r.Doc, Categories), Total(r.Span, Categories), Total(r.Sent, Categories))
	fmt.Fprintf(w, "\nHard negatives tagged: **%d of %d** trap regions in documents, **%d of %d** hard-negative sentences.\n",
		r.TrapHits, r.Traps, r.HardHits, r.HardSents)
}

// Shortfalls lists the guarded categories below target at document, span or
// sentence level, and any hard negative tagged.
func (r *Report) Shortfalls() []string {
	var out []string
	for _, c := range Guarded() {
		for _, l := range []struct {
			name string
			p    *PR
		}{{"document", r.Doc[c]}, {"span", r.Span[c]}, {"sentence", r.Sent[c]}} {
			if l.p.Precision() < TargetPrecision {
				out = append(out, fmt.Sprintf("%s %s precision %.2f", c, l.name, l.p.Precision()))
			}
			if l.p.Recall() < TargetRecall {
				out = append(out, fmt.Sprintf("%s %s recall %.2f", c, l.name, l.p.Recall()))
			}
		}
	}
	if r.TrapHits > 0 || r.HardHits > 0 {
		out = append(out, fmt.Sprintf("hard negatives tagged: %d traps, %d sentences", r.TrapHits, r.HardHits))
	}
	return out
}

// WriteText prints the Presidio result.
func (p *PresidioReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "presidio synth_dataset_v2: %d sentences, %d NRP spans\n", p.Sentences, p.NRPSpans)
	fmt.Fprintf(w, "  religious NRP spans: %d, tagged religious_beliefs: %d\n", p.ReligionSpans, p.ReligionFound)
	fmt.Fprintf(w, "  political NRP spans: %d, tagged political_opinions: %d\n", p.PoliticalSpans, p.PoliticalFound)
	fmt.Fprintf(w, "  religion tags on sentences without a religious span: %d; political tags without a political span: %d\n", p.ReligionFP, p.PoliticalFP)
	fmt.Fprintf(w, "  sentences tagged, by category:")
	for _, c := range Categories {
		if n := p.TaggedSentences[c]; n > 0 {
			fmt.Fprintf(w, " %s %d", c, n)
		}
	}
	fmt.Fprintln(w)
}
