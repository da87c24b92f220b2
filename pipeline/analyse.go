package pipeline

import (
	"context"
	"time"

	"github.com/cvetl/cvetl/classifiers"
	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/profile"
)

// Analysis is what one input yields before it is stored.
type Analysis struct {
	Format     extractors.Format
	Candidates []ParsedCandidate
	Vacancies  []profile.Vacancy
	Problems   []extractors.Problem
}

// Analyse extracts and parses one input. It never panics and never blocks longer than
// timeout: a library that hangs is abandoned and the input reported as timed out.
// `cvetl parse` and ingestion both call it, so they cannot disagree.
func Analyse(ctx context.Context, in extractors.Input, lim extractors.Limits, timeout time.Duration) (*Analysis, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type outcome struct {
		a   *Analysis
		err error
	}
	done := make(chan outcome, 1) // buffered: an abandoned goroutine must not block forever
	go func() {
		a, err := analyse(ctx, in, lim)
		done <- outcome{a, err}
	}()
	select {
	case o := <-done:
		return o.a, o.err
	case <-ctx.Done():
		return nil, extractors.Errorf(extractors.ReasonTimeout, "no result within %s", timeout)
	}
}

func analyse(ctx context.Context, in extractors.Input, lim extractors.Limits) (a *Analysis, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, extractors.Errorf(extractors.ReasonPanic, "parser panicked (%T)", r)
		}
	}()
	doc, err := extractors.Extract(ctx, in, lim)
	if err != nil {
		return nil, err
	}
	a = &Analysis{Format: doc.Format, Problems: doc.Problems}
	detect := specialDetector(ctx).detect
	for _, p := range doc.Parts {
		f := p.Format
		if f == "" {
			f = doc.Format
		}
		c := classifiers.ParseCandidate(p.Text, p.Fields)
		c.SpecialCategories = tagSpecialCategories(p.Text, detect)
		a.Candidates = append(a.Candidates, ParsedCandidate{Origin: p.Origin, Format: f, Candidate: c})
	}
	for _, v := range doc.Vacancies {
		if len(v.Skills) == 0 {
			v.Skills = classifiers.Skills(v.Title + "\n" + v.Description)
		}
		a.Vacancies = append(a.Vacancies, v)
	}
	return a, nil
}
