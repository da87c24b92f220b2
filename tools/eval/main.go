// Command eval measures the parser's field accuracy against the external labelled
// corpus (`make eval`). It prints aggregate figures only: counts and rates, never a
// name, address or any other text from the corpus, which holds real people's CVs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus/external", "external corpus directory")
	markdown := flag.Bool("markdown", false, "print the table as markdown")
	diag := flag.Bool("diag", false, "also print aggregate failure counts by shape")
	baselines := flag.Bool("baselines", true, "also score the prose NER name baseline on DataTurks (timing on stderr)")
	flag.Parse()
	if err := run(*corpus, *markdown, *diag, *baselines); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

func run(corpus string, markdown, showDiag, baselines bool) error {
	if st, err := os.Stat(corpus); err != nil || !st.IsDir() {
		abs, _ := filepath.Abs(corpus)
		return fmt.Errorf("corpus directory not found: %s", abs)
	}
	d := newDiag()
	var ner *proseNER // nil: no baseline rows
	if baselines {
		ner = newProseNER()
	}
	var rows []Row
	for _, s := range suites {
		d.ds = s.name
		rs, err := s.run(corpus, d, ner)
		if errors.Is(err, fs.ErrNotExist) && s.optional {
			fmt.Fprintf(os.Stderr, "eval: skipping %s: %v\n", s.name, err)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		rows = append(rows, rs...)
	}
	write := WriteText
	if markdown {
		write = WriteMarkdown
	}
	if err := write(os.Stdout, rows); err != nil {
		return err
	}
	if showDiag {
		fmt.Println()
		d.Write(os.Stdout)
	}
	return nil
}

// suite is one dataset's evaluation. A missing optional suite is skipped with a
// warning; any other error stops the run.
type suite struct {
	name     string
	optional bool
	run      func(corpus string, d *Diag, ner *proseNER) ([]Row, error)
}

var suites = []suite{
	{"dataturks-220", false, func(c string, d *Diag, ner *proseNER) ([]Row, error) {
		dir := filepath.Join(c, "dataturks-resume-ner")
		return dataturks("dataturks-220", d, ner, filepath.Join(dir, "dataturks_testdata.jsonl"), filepath.Join(dir, "dataturks_traindata.jsonl"))
	}},
	{"dataturks-701", true, func(c string, d *Diag, ner *proseNER) ([]Row, error) {
		return dataturks("dataturks-701", d, ner, filepath.Join(c, "dataturks-resume-ner-701", "resumes_701.jsonl"))
	}},
	{"openresume", false, func(c string, d *Diag, _ *proseNER) ([]Row, error) { return runOpenResume(c, d) }},
	{"hropen-uc2", true, func(c string, d *Diag, _ *proseNER) ([]Row, error) { return runHROpen(c, d) }},
	{"omkarpathak", true, func(c string, d *Diag, _ *proseNER) ([]Row, error) { return runOmkar(c, d) }},
	{"other-unlabelled", true, func(c string, d *Diag, _ *proseNER) ([]Row, error) { return runOtherUnlabelled(c, d) }},
}

// dataturks scores the parser on one DataTurks set; with ner non-nil, the prose
// baseline's name row follows the parser's name row and its mean time per
// document goes to stderr (wall clock, so stdout stays byte-identical run to run).
func dataturks(ds string, d *Diag, ner *proseNER, paths ...string) ([]Row, error) {
	rs, err := loadDataTurks(paths...)
	if err != nil {
		return nil, err
	}
	cs := parseAll(rs, runtime.NumCPU())
	rows := append([]Row{{Dataset: ds, Field: "resumes (distinct texts)", Metric: Count, N: len(rs)}},
		scoreDataTurks(ds, rs, cs, d)...)
	if ner == nil {
		return rows, nil
	}
	b, mean, err := ner.row(ds, rs)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "eval: %s: prose NER baseline %.1f ms/doc mean over %d docs (model loaded once in %.2f s)\n",
		ds, float64(mean.Microseconds())/1000, b.N, ner.load.Seconds())
	for i, r := range rows {
		if r.Field == "name" {
			return slices.Insert(rows, i+1, b), nil
		}
	}
	return append(rows, b), nil
}
