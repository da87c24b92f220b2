package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/cvetl/cvetl/jobs"
	"github.com/cvetl/cvetl/matching"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

func init() {
	register(command{name: "matches", usage: "matches export --manifest ID --client C --out FILE",
		summary: "export a client's approved matches (records disclosures); `matches run --as-of D` matches outside the nightly", run: runMatches})
}

// nightlyMatches runs matching after the retention jobs of a completed nightly, so
// that subjects now due for deletion are left out. It prints its summary unless the
// nightly prints JSON, and returns the exit status matching adds.
func nightlyMatches(ctx context.Context, g globals, db *sql.DB, night jobs.Result, asOf time.Time, quiet bool, stdout io.Writer) (*matching.Result, int) {
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: matching:", err)
		return nil, exitPartial
	}
	res, err := matching.Run(ctx, db, matching.Options{Config: cfg.Matching, AsOf: asOf, OutDir: g.Out,
		Policy: night.Policy, RunID: night.RunID, Log: slog.Default()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: matching failed:", err)
		return nil, exitPartial
	}
	if !quiet {
		fmt.Fprintf(stdout, "  matching: %d open vacancies, %d eligible candidates in %.1fs\n", res.Vacancies, res.Candidates, res.Seconds)
		for _, reason := range sortedKeys(res.Excluded) {
			fmt.Fprintf(stdout, "    never matched (%s) %d\n", reason, res.Excluded[reason])
		}
		if res.ManifestID != "" {
			fmt.Fprintf(stdout, "  manifest %s: %d rows, every one to be reviewed\n", res.ManifestID, res.Rows)
		}
		for _, f := range res.Files {
			fmt.Fprintf(stdout, "  %s\n", f)
		}
		for _, p := range res.Problems {
			fmt.Fprintf(stdout, "  problem: %s\n", p)
		}
	}
	if len(res.Problems) > 0 {
		return &res, exitPartial
	}
	return &res, exitOK
}

func runMatches(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	const usage = "cvetl matches: usage: cvetl matches export --manifest ID --client C --out FILE [--at YYYY-MM-DD]\n" +
		"                    cvetl matches run --as-of YYYY-MM-DD [--policy ID]"
	if len(args) > 0 && args[0] == "run" {
		return matchesRun(ctx, g, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(os.Stderr, usage)
		return exitPartial
	}
	fs := flag.NewFlagSet("matches export", flag.ContinueOnError)
	id := fs.String("manifest", "", "match manifest id")
	client := fs.String("client", "", "the client (the vacancy's employer) receiving the matches")
	atS := fs.String("at", "", "day of the disclosure (YYYY-MM-DD, default today UTC)")
	if rest, err := parseInterleaved(fs, args[1:]); err != nil || len(rest) > 0 || *id == "" || *client == "" {
		fmt.Fprintln(os.Stderr, usage)
		return exitPartial
	}
	// --out is a global flag: here it names the file, or a folder to put it in.
	out := g.Out
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		out = filepath.Join(out, "matches-export-"+*id+"-"+slug(*client)+".json")
	}
	at, err := asOfFlag(*atS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches export: --at:", err)
		return exitPartial
	}
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches export:", err)
		return exitFailed
	}
	defer store.Close()
	record := func(ctx context.Context, jsonl []byte, source string) error {
		runID, err := store.BeginRun(ctx, "events_import")
		if err != nil {
			return err
		}
		res, err := store.ImportEvents(ctx, bytes.NewReader(jsonl), source, runID)
		if err == nil && len(res.Errors) > 0 {
			err = fmt.Errorf("%d disclosed events refused, first: %s", len(res.Errors), res.Errors[0])
		}
		if ferr := store.FinishEventsRun(ctx, runID, res, err); err == nil {
			err = ferr
		}
		return err
	}
	svc, _, err := openReview(ctx, g, store, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches export:", err)
		return exitFailed
	}
	// Approval as the review service sees it (four-eyes included) must agree with the
	// export's own reading of the decisions.
	approved := func(ctx context.Context, manifestID string) (map[string]bool, error) {
		rows, err := svc.Approved(ctx, manifestID)
		if err != nil {
			return nil, err
		}
		out := map[string]bool{}
		for _, r := range rows {
			out[r.RowID] = true
		}
		return out, nil
	}
	res, err := matching.Export(ctx, store.DB(), matching.ExportOptions{ManifestID: *id, Client: *client, Out: out, At: at, Approved: approved}, record)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches export:", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "exported %d approved matches (%d candidates) to %s; %d withheld (now excluded); disclosed events recorded\n",
		res.Rows, res.Subjects, out, res.Withheld)
	return exitOK
}

// matchesRun matches outside the nightly (after a configuration change, or to time
// matching alone), as its own run in the ledger. The nightly lock keeps it apart from
// a nightly run.
func matchesRun(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("matches run", flag.ContinueOnError)
	asOfS := fs.String("as-of", "", "the day to match for (YYYY-MM-DD, default today UTC)")
	pol := fs.String("policy", "matching", "the policy id the manifest is filed under")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if rest, err := parseInterleaved(fs, args); err != nil || len(rest) > 0 {
		fmt.Fprintln(os.Stderr, "cvetl matches run: usage: cvetl matches run --as-of YYYY-MM-DD [--policy ID] [--json]")
		return exitPartial
	}
	asOf, err := asOfFlag(*asOfS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches run:", err)
		return exitPartial
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches run:", err)
		return exitPartial
	}
	release, _, err := jobs.Lock(jobs.LockPath(g.DB))
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches run:", err)
		return exitFailed
	}
	defer release()
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches run:", err)
		return exitFailed
	}
	defer store.Close()
	runID, err := store.BeginRun(ctx, "matching")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches run:", err)
		return exitFailed
	}
	res, err := matching.Run(ctx, store.DB(), matching.Options{Config: cfg.Matching, AsOf: asOf, OutDir: g.Out,
		Policy: *pol, RunID: runID, Log: slog.Default()})
	// FinishEventsRun records only the outcome, which is all a matching run has.
	if ferr := store.FinishEventsRun(context.WithoutCancel(ctx), runID, duckstore.EventsResult{}, err); ferr != nil && err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl matches run: failed:", err)
		return exitFailed
	}
	if *asJSON {
		_ = json.NewEncoder(stdout).Encode(res)
	} else {
		fmt.Fprintf(stdout, "matching run %d: %d open vacancies, %d eligible candidates, %d rows in %.1fs\n",
			runID, res.Vacancies, res.Candidates, res.Rows, res.Seconds)
		for _, f := range res.Files {
			fmt.Fprintf(stdout, "  %s\n", f)
		}
	}
	if len(res.Problems) > 0 {
		return exitPartial
	}
	return exitOK
}

// slug makes a client name safe for a file name.
func slug(s string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return '-'
	}, s), "-")
}
