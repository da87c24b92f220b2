package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
)

func init() {
	register(command{name: "parse", usage: "parse FILE...", summary: "print parsed candidates as JSONL; writes nothing", run: runParse})
}

// parseLine is one line of `cvetl parse` output: the DESIGN.md contract.
type parseLine struct {
	File       string              `json:"file"`
	SHA256     string              `json:"sha256"`
	Format     *string             `json:"format"`
	Error      *string             `json:"error"`
	Candidates []profile.Candidate `json:"candidates"`
	Origins    []string            `json:"origins,omitempty"` // where in the file each candidate came from
	Vacancies  []profile.Vacancy   `json:"vacancies,omitempty"`
	Problems   []parseProblem      `json:"problems,omitempty"`
}

type parseProblem struct {
	Origin string `json:"origin"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

func runParse(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	timeout := fs.Duration("timeout", 30*time.Second, "give up on one file after this long")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return exitPartial
	}
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "cvetl parse: no files given")
		return exitPartial
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl parse:", err)
		return exitPartial
	}
	if ctx, err = applyConfig(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "cvetl parse:", err)
		return exitPartial
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	code := exitOK
	for _, f := range files {
		line := parseOne(ctx, f, cfg.ExtractorLimits(), *timeout)
		if line.Error != nil {
			code = exitPartial
		}
		if err := enc.Encode(line); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl parse:", err)
			return exitFailed
		}
	}
	return code
}

func parseOne(ctx context.Context, path string, lim extractors.Limits, timeout time.Duration) parseLine {
	line := parseLine{File: path, Candidates: []profile.Candidate{}}
	fail := func(err error) parseLine {
		msg := err.Error()
		line.Error = &msg
		return line
	}
	data, err := readCapped(path, lim.MaxFileBytes)
	if data != nil {
		sum := sha256.Sum256(data)
		line.SHA256 = hex.EncodeToString(sum[:])
	}
	if err != nil {
		return fail(err)
	}
	a, err := pipeline.Analyse(ctx, extractors.Input{Name: path, Data: data}, lim, timeout)
	if err != nil {
		return fail(err)
	}
	format := string(a.Format)
	line.Format = &format
	for _, c := range a.Candidates {
		c.Candidate.Normalise()
		line.Candidates = append(line.Candidates, c.Candidate)
		line.Origins = append(line.Origins, c.Origin)
	}
	if len(line.Origins) == 1 && line.Origins[0] == "" {
		line.Origins = nil
	}
	line.Vacancies = a.Vacancies
	for _, p := range a.Problems {
		line.Problems = append(line.Problems, parseProblem{p.Origin, string(p.Reason), p.Detail})
	}
	return line
}

// readCapped reads a file, refusing one over the cap without reading it all.
func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, extractors.Errorf(extractors.ReasonTooLarge, "over the cap of %d bytes", max)
	}
	return data, nil
}
