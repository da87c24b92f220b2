package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

func init() {
	register(command{name: "quarantine", usage: "quarantine release [--reason R]... [--since YYYY-MM-DD] [--all] [--from-copies] [--dry-run] [--json] [SHA256-PREFIX...]",
		summary: "let the next ingest read whole-file quarantines again, e.g. after a release that reads them (docs/quarantine.md)", run: runQuarantine})
}

// releaseSummary is what a release chose and did: counts, reasons and hashes, never a
// path.
type releaseSummary struct {
	RunID    int64          `json:"run_id,omitempty"` // 0 in a dry run: nothing is recorded
	DryRun   bool           `json:"dry_run"`
	Version  string         `json:"version,omitempty"` // the cvetl build that released them, if it says
	Files    int            `json:"files"`
	ByReason map[string]int `json:"by_reason"`
	// Copies counts the chosen files whose copy is still under <out>/quarantine; they
	// stay until the retention purge, as before.
	Copies int                         `json:"copies"`
	Chosen []duckstore.QuarantinedFile `json:"files_chosen"`
	// FromCopies is the ingest of the released files from their copies
	// (--from-copies); nil without it.
	FromCopies *copiesIngest `json:"from_copies,omitempty"`
}

// copiesIngest is what --from-copies read: an ingest run's summary, and the released
// files left for the next ingest of their inbox (no copy, or its location purged).
type copiesIngest struct {
	RunID   int64            `json:"run_id,omitempty"` // 0: a dry run, or no copy to read
	Files   int              `json:"files"`            // read (or, in a dry run, to be read) from copies
	Summary pipeline.Summary `json:"summary"`
	Left    []string         `json:"left_sha256"`
}

// reasonList collects repeated --reason flags.
type reasonList []string

func (r *reasonList) String() string { return strings.Join(*r, ",") }

func (r *reasonList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		switch reason := extractors.Reason(s); {
		case reason == extractors.ReasonUnreadable:
			return fmt.Errorf("%s: inputs the source could not deliver are retried by every ingest; nothing to release", s)
		case reason == extractors.ReasonBadRows:
			return fmt.Errorf("%s: a bad row is quarantined inside a file whose rest was ingested; there is no whole file to release", s)
		case reason.Advice() == "":
			return fmt.Errorf("%q is not a quarantine reason (e.g. malformed, too_large, unsupported_format)", s)
		}
		*r = append(*r, s)
	}
	return nil
}

func runQuarantine(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	const usage = "cvetl quarantine: usage: cvetl quarantine release [--reason R]... [--since YYYY-MM-DD] [--all] [--dry-run] [--json] [SHA256-PREFIX...]"
	if len(args) == 0 || args[0] != "release" {
		fmt.Fprintln(os.Stderr, usage)
		return exitPartial
	}
	fs := flag.NewFlagSet("quarantine release", flag.ContinueOnError)
	var reasons reasonList
	fs.Var(&reasons, "reason", "release files quarantined for this reason (repeat, or comma-separated)")
	since := fs.String("since", "", "release files quarantined on or after this day (YYYY-MM-DD, UTC)")
	all := fs.Bool("all", false, "release every whole-file quarantine (needed when no other selector is given)")
	fromCopies := fs.Bool("from-copies", false, "ingest the released files now from their copies under <out>/quarantine, as from their original location (the inbox was cleaned)")
	dryRun := fs.Bool("dry-run", false, "list what would be released; write nothing")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	prefixes, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return exitPartial
	}
	filter := duckstore.QuarantineFilter{Reasons: reasons}
	if *since != "" {
		if filter.Since, err = time.Parse(time.DateOnly, *since); err != nil {
			fmt.Fprintf(os.Stderr, "cvetl quarantine release: --since %q: want a day as YYYY-MM-DD\n", *since)
			return exitPartial
		}
	}
	for _, p := range prefixes {
		if err := checkHashPrefix(p); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl quarantine release:", err)
			return exitPartial
		}
		filter.Prefixes = append(filter.Prefixes, strings.ToLower(p))
	}
	if !*all && len(reasons) == 0 && *since == "" && len(prefixes) == 0 {
		fmt.Fprintln(os.Stderr, "cvetl quarantine release: choose what to release: --reason, --since, hash prefixes, or --all")
		return exitPartial
	}
	// Files read from their copies and failing again are copied again: the store
	// needs the quarantine folder then.
	store, err := openStore(ctx, g, *fromCopies)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl quarantine release:", err)
		return exitFailed
	}
	defer store.Close()
	sum, err := releaseQuarantine(ctx, g, store, filter, releaseOptions{DryRun: *dryRun, FromCopies: *fromCopies})
	if err != nil {
		if sum.RunID > 0 {
			printReleaseSummary(stdout, sum, *asJSON)
		}
		fmt.Fprintln(os.Stderr, "cvetl quarantine release:", err)
		if errors.Is(err, duckstore.ErrNoSuchQuarantine) {
			return exitPartial
		}
		return exitFailed
	}
	printReleaseSummary(stdout, sum, *asJSON)
	return exitOK
}

// checkHashPrefix accepts 6 to 64 hex digits: shorter prefixes name too many files
// for an operator to mean one.
func checkHashPrefix(p string) error {
	if len(p) < 6 || len(p) > 64 {
		return fmt.Errorf("%q: give 6 to 64 hex digits of a file's SHA-256", p)
	}
	for _, c := range strings.ToLower(p) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("%q: not a hex SHA-256 prefix", p)
		}
	}
	return nil
}

// releaseOptions say whether to write, and whether to read the released files from
// their copies at once.
type releaseOptions struct {
	DryRun, FromCopies bool
}

// releaseQuarantine chooses the files and, unless a dry run, releases them in a run of
// its own and records one audit entry; with FromCopies it then ingests those it can
// from their copies. The audit log opens first: nothing is released that could not be
// recorded.
func releaseQuarantine(ctx context.Context, g globals, store *openedStore, filter duckstore.QuarantineFilter, opt releaseOptions) (releaseSummary, error) {
	dryRun := opt.DryRun
	sum := releaseSummary{DryRun: dryRun, Version: buildVersion(), ByReason: map[string]int{}}
	chosen, err := store.QuarantinedFiles(ctx, filter)
	if err != nil {
		return sum, err
	}
	sum.Chosen = chosen
	shas := make([]string, len(chosen))
	for i, q := range chosen {
		shas[i] = q.SHA256
		sum.ByReason[q.Reason]++
		if _, err := os.Stat(filepath.Join(g.Out, "quarantine", q.SHA256)); err == nil {
			sum.Copies++
		}
	}
	var src *copySource
	if opt.FromCopies {
		var left []string
		if src, left, err = newCopySource(filepath.Join(g.Out, "quarantine"), chosen); err != nil {
			return sum, err
		}
		sum.FromCopies = &copiesIngest{Files: len(src.items), Left: append([]string{}, left...), Summary: pipeline.Summary{QuarantinedByReason: map[string]int{}}}
	}
	if dryRun {
		sum.Files = len(chosen)
		return sum, nil
	}
	if len(chosen) == 0 {
		return sum, nil // nothing to record
	}
	log, err := audit.Open(ctx, auditLogPath(g.DB), store.Store)
	if err != nil {
		return sum, err
	}
	if sum.RunID, err = store.BeginRun(ctx, "quarantine_release"); err != nil {
		return sum, fmt.Errorf("recording the run: %w", err)
	}
	sum.Files, err = store.ReleaseQuarantined(ctx, shas, sum.RunID, sum.Version)
	outcome := "done"
	if err != nil {
		outcome = "failed"
	}
	entry := audit.Entry{Actor: "cvetl quarantine release", Action: "release_quarantine", RunID: sum.RunID, Detail: map[string]string{
		"files":     fmt.Sprint(sum.Files),
		"by_reason": countsByKey(sum.ByReason),
		"sha256":    strings.Join(shas, ","),
		"version":   sum.Version,
		"outcome":   outcome,
	}}
	if aerr := log.Append(context.WithoutCancel(ctx), entry); aerr != nil && err == nil {
		err = fmt.Errorf("recording the release in the audit log: %w", aerr)
	}
	if ferr := store.FinishPlainRun(context.WithoutCancel(ctx), sum.RunID, err); ferr != nil && err == nil {
		err = fmt.Errorf("recording the run: %w", ferr)
	}
	if err != nil || src == nil || len(src.items) == 0 {
		return sum, err
	}
	// Released and recorded: a failure from here on leaves the files released, for
	// the next ingest of their inbox, or another --from-copies.
	fc := sum.FromCopies
	fc.RunID, fc.Summary, err = ingestCopies(ctx, g, store, src)
	if err != nil {
		return sum, fmt.Errorf("ingesting from copies (the files stay released): %w", err)
	}
	return sum, nil
}

func printReleaseSummary(w io.Writer, s releaseSummary, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(s)
		return
	}
	verb := "released"
	if s.DryRun {
		verb = "would be released (dry run)"
	}
	fmt.Fprintf(w, "quarantine release: %s %s", countOf(s.Files, "file"), verb)
	if len(s.ByReason) > 0 {
		fmt.Fprintf(w, " (%s)", countsByKey(s.ByReason))
	}
	if s.RunID > 0 {
		fmt.Fprintf(w, ", run %d", s.RunID)
	}
	fmt.Fprintln(w)
	for _, q := range s.Chosen {
		fmt.Fprintf(w, "  %s  %-18s quarantined %s by run %d\n", q.SHA256, q.Reason, q.QuarantinedAt.Format(time.DateOnly), q.RunID)
	}
	if fc := s.FromCopies; fc != nil {
		if s.DryRun {
			fmt.Fprintf(w, "from copies: %s would be read from their copies; %d left for the next ingest of their inbox (no copy, or its location purged)\n", countOf(fc.Files, "file"), len(fc.Left))
		} else {
			fmt.Fprintf(w, "from copies: run %d read %s: %d new, %d quarantined again, %d candidates; %d left for the next ingest of their inbox (no copy, or its location purged)\n",
				fc.RunID, countOf(fc.Files, "file"), fc.Summary.FilesNew, fc.Summary.FilesQuarantined, fc.Summary.Candidates, len(fc.Left))
		}
		for _, sha := range fc.Left {
			fmt.Fprintf(w, "  left: %s\n", sha)
		}
	}
	if s.Files > 0 && !s.DryRun {
		fmt.Fprintf(w, "the next ingest of their inbox or S3 prefix reads them again; %d copies under <out>/quarantine stay until the retention purge\n", s.Copies)
	}
}

// buildVersion names this cvetl build: its module version, else its VCS revision;
// empty when the build carries neither.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && rev != "" {
		rev += "+dirty"
	}
	switch v := bi.Main.Version; {
	case v != "" && v != "(devel)" && rev != "":
		return v + " (" + rev + ")"
	case v != "" && v != "(devel)":
		return v
	case rev != "":
		return "rev " + rev
	}
	return ""
}

// countOf writes n with its noun, in the plural unless n is 1: "1 file", "2 files".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
