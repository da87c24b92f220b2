package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"

	"github.com/cvetl/cvetl/jobs"
	"github.com/cvetl/cvetl/matching"
	"github.com/cvetl/cvetl/sinks/duckstore"
	s3store "github.com/cvetl/cvetl/sinks/s3"
)

func init() {
	register(command{name: "nightly", usage: "nightly --as-of YYYY-MM-DD --policy ID|FILE [--import-lake DIR|s3://B/P] [--no-retag]", summary: "bring stored tags up to the current detector, run the retention jobs; write the deletion manifest", run: runNightly})
}

// runNightly exits 0 when the run completed, 1 when it completed only partly (a manifest
// format could not be written) or was called wrongly, 2 when it failed or another
// nightly holds the lock.
func runNightly(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("nightly", flag.ContinueOnError)
	asOfS := fs.String("as-of", "", "the day to decide for (YYYY-MM-DD, default today UTC); that day counts")
	polRef := fs.String("policy", "", "preset id ("+presetList()+") or policy file; default $CVETL_POLICY")
	memory := fs.String("memory-limit", "512MB", "DuckDB memory limit; beyond it the jobs spill to disk")
	threads := fs.Int("threads", 0, "DuckDB threads (default one per core)")
	asJSON := fs.Bool("json", false, "print the run summary as JSON")
	importFrom := fs.String("import-lake", "", "first import sharded workers' handoffs from this lake (folder or s3://bucket/prefix), as cvetl lake import does")
	noRetag := fs.Bool("no-retag", false, "skip re-tagging files an older special-category detector tagged (docs/retag.md)")
	if rest, err := parseInterleaved(fs, args); err != nil || len(rest) > 0 {
		fmt.Fprintln(os.Stderr, "cvetl nightly: usage: cvetl nightly --as-of YYYY-MM-DD --policy ID|FILE")
		return exitPartial
	}
	asOf, err := asOfFlag(*asOfS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly:", err)
		return exitPartial
	}
	if *polRef == "" && os.Getenv("CVETL_POLICY") == "" {
		fmt.Fprintf(os.Stderr, "cvetl nightly: give --policy ID|FILE (presets: %s) or set CVETL_POLICY\n", presetList())
		return exitPartial
	}
	pol, err := policyFlag(*polRef)
	if err != nil { // a policy that does not load is a failed run, not a usage error
		fmt.Fprintln(os.Stderr, "cvetl nightly:", err)
		return exitFailed
	}
	release, stale, err := jobs.Lock(jobs.LockPath(g.DB))
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly:", err)
		return exitFailed
	}
	defer release()
	if stale {
		slog.Warn("removed a stale nightly lock left by a process that is gone", "lock", jobs.LockPath(g.DB))
	}
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly:", err)
		return exitFailed
	}
	defer store.Close()
	imported := exitOK
	if *importFrom != "" {
		// A failed import leaves the store as it was, so the jobs still run on it and
		// the night's deadlines are kept; the exit code reports the failure. A wrong
		// command line stops here.
		if imported = nightlyImport(ctx, g, store, *importFrom, *memory); imported == exitPartial {
			return imported
		}
	}
	var retagged *nightlyRetagReport
	retagCode := exitOK
	if !*noRetag {
		retagged, retagCode = nightlyRetag(ctx, g, store, stdout, *asJSON)
	}
	res, err := jobs.Nightly(ctx, store, jobs.Options{Policy: pol, AsOf: asOf, OutDir: g.Out,
		MemoryLimit: *memory, Threads: *threads, Log: slog.Default()})
	report := nightlyReport{Result: res, Retag: retagged}
	if err != nil {
		printNightly(stdout, report, *asJSON)
		fmt.Fprintln(os.Stderr, "cvetl nightly: run failed:", err)
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(os.Stderr, "cvetl nightly: interrupted; run it again: it starts over and writes the same manifest")
		}
		return exitFailed
	}
	// The Article 14 notices manifest and overdue rights requests, then the match
	// manifest; either failing makes the night partial.
	if !*asJSON {
		printNightly(stdout, report, false)
	}
	var notices, matches, quarantine int
	report.Notices, notices = nightlyNotices(ctx, store, pol, asOf, g.Out, res.RunID, stdout, *asJSON)
	report.Matching, matches = nightlyMatches(ctx, g, store.DB(), res, asOf, *asJSON, stdout)
	report.Quarantine, quarantine = nightlyQuarantine(ctx, g, store, pol, asOf, res.RunID, stdout, *asJSON)
	// Stripped quarantine locations, which often name the person, stay readable in the
	// file's freed blocks until it is rewritten, as after an erasure.
	purged := report.Quarantine != nil && report.Quarantine.Rows+report.Quarantine.Files > 0
	if err := rewriteAfterRemoval(ctx, g.DB, purged, func() { store.Close() }); err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: rewriting the store after the quarantine purge (the next nightly retries):", err)
		quarantine = max(quarantine, exitPartial)
	}
	if *asJSON {
		printNightly(stdout, report, true)
	}
	if code := max(notices, matches, imported, quarantine, retagCode); code != exitOK {
		return code
	}
	if res.Status == "partial" {
		return exitPartial
	}
	return exitOK
}

// nightlyReport is what `nightly --json` prints: the retention run's fields at the
// top level, and each later step's result beside them, absent when the step did not
// run or failed before producing one.
type nightlyReport struct {
	jobs.Result
	Retag      *nightlyRetagReport        `json:"retag,omitempty"`
	Notices    *nightlyNoticesReport      `json:"notices,omitempty"`
	Matching   *matching.Result           `json:"matching,omitempty"`
	Quarantine *duckstore.QuarantinePurge `json:"quarantine,omitempty"`
}

// printNightly prints the retention run; in text each later step prints its own lines.
func printNightly(w io.Writer, report nightlyReport, asJSON bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(report)
		return
	}
	r := report.Result
	fmt.Fprintf(w, "nightly run %d: as of %s, policy %s@%s: %s in %.1fs\n", r.RunID, r.AsOf, r.Policy, r.PolicyDigest, r.Status, r.Seconds)
	if r.ManifestID == "" {
		return
	}
	fmt.Fprintf(w, "  manifest %s: %d rows\n", r.ManifestID, r.Rows)
	for _, a := range sortedKeys(r.ByAction) {
		fmt.Fprintf(w, "    %-16s %d\n", a, r.ByAction[a])
	}
	fmt.Fprintf(w, "  flagged for review: %d\n", r.Flagged)
	for _, reason := range sortedKeys(r.ByReason) {
		fmt.Fprintf(w, "    %-30s %d\n", reason, r.ByReason[reason])
	}
	for _, f := range r.Files {
		fmt.Fprintf(w, "  %s\n", f)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// nightlyImport brings the shards' handoffs into the store before the jobs run, under
// the nightly lock, so the night's manifests see every shard's inputs.
func nightlyImport(ctx context.Context, g globals, store *openedStore, where, memoryLimit string) int {
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly:", err)
		return exitPartial
	}
	if !s3store.IsURL(where) {
		if _, err := os.Stat(where); err != nil { // a typo must not read as an empty lake
			fmt.Fprintf(os.Stderr, "cvetl nightly: --import-lake %s: %v\n", where, errors.Unwrap(err))
			return exitPartial
		}
	}
	l, err := openLake(ctx, where, cfg.Lake)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: --import-lake:", err)
		return s3ExitCode(err)
	}
	if _, err := importLake(ctx, store, l, memoryLimit); err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: lake import failed:", err)
		return s3ExitCode(err)
	}
	return exitOK
}
