package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cvetl/cvetl/jobs/notices"
	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/rights"
)

func init() {
	register(command{name: "notices", usage: "notices list|render|mark-sent --as-of D --policy ID|FILE",
		summary: "Article 14 notices: who is owed one, render them (text, HTML, .eml), record them sent", run: runNotices})
}

const noticesUsage = `usage:
  cvetl notices list      [--as-of D] [--all] [--json]             subjects owed a notice (--all: every row)
  cvetl notices render    [--as-of D] --policy ID|FILE [--out DIR] one notice per owed subject in DIR/notices/<as-of>/
  cvetl notices mark-sent [--as-of D] (--all | SUBJECT...)         record notice_sent for the owed subjects or those named`

func runNotices(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "cvetl notices:", noticesUsage)
		return exitPartial
	}
	fs := flag.NewFlagSet("notices "+args[0], flag.ContinueOnError)
	asOfS := fs.String("as-of", "", "the day (YYYY-MM-DD, default today UTC)")
	polRef := fs.String("policy", "", "preset id ("+presetList()+") or policy file; default $CVETL_POLICY")
	all := fs.Bool("all", false, "list: every row, not only owed ones; mark-sent: every owed subject")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl notices:", noticesUsage)
		return exitPartial
	}
	asOf, err := asOfFlag(*asOfS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl notices:", err)
		return exitPartial
	}
	var pol *policy.Policy
	if args[0] == "render" {
		if pol, err = policyFlag(*polRef); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl notices render:", err)
			return exitPartial
		}
	}
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl notices:", err)
		return exitFailed
	}
	defer store.Close()
	switch args[0] {
	case "list":
		return noticesList(ctx, store, asOf, *all, *asJSON, stdout)
	case "render":
		dir := filepath.Join(g.Out, "notices", asOf.Format(time.DateOnly))
		res, err := notices.RenderDue(ctx, store.DB(), pol, asOf, dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl notices render:", err)
			return exitFailed
		}
		fmt.Fprintf(stdout, "%d notices rendered as of %s in %s (text, HTML, .eml each)\n", len(res.Subjects), asOf.Format(time.DateOnly), dir)
		for _, s := range res.Subjects {
			fmt.Fprintf(stdout, "  %s\n", s)
		}
		if len(res.NoEmail) > 0 {
			fmt.Fprintf(stdout, "no e-mail address, so no .eml (send the text by post): %s\n", strings.Join(res.NoEmail, ", "))
		}
		return exitOK
	case "mark-sent":
		return noticesMarkSent(ctx, store, asOf, *all, pos, stdout)
	}
	fmt.Fprintf(os.Stderr, "cvetl notices: unknown subcommand %q\n%s\n", args[0], noticesUsage)
	return exitPartial
}

func noticesList(ctx context.Context, store *openedStore, asOf time.Time, all, asJSON bool, stdout io.Writer) int {
	rows, err := notices.Evaluate(ctx, store.DB(), asOf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl notices list:", err)
		return exitFailed
	}
	shown := []notices.Row{}
	for _, r := range rows {
		if all || r.Owed() {
			shown = append(shown, r)
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(shown)
		return exitOK
	}
	for _, r := range shown {
		fmt.Fprintf(stdout, "%-40s %-8s due %-10s by %-24s %s\n", r.RowID, r.Status, orDash(r.DueDate), orDash(r.DueTrigger), strings.Join(r.ReviewReasons, ","))
	}
	fmt.Fprintf(stdout, "%d rows as of %s\n", len(shown), asOf.Format(time.DateOnly))
	return exitOK
}

// noticesMarkSent records notice_sent, dated the --as-of day, for every owed subject
// (--all) or for the subjects named (ids, e-mails or phones).
func noticesMarkSent(ctx context.Context, store *openedStore, asOf time.Time, all bool, refs []string, stdout io.Writer) int {
	if all == (len(refs) > 0) {
		fmt.Fprintln(os.Stderr, "cvetl notices mark-sent: give --all or the subjects the notices were sent to")
		return exitPartial
	}
	var subjects []string
	if all {
		rows, err := notices.Evaluate(ctx, store.DB(), asOf)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl notices mark-sent:", err)
			return exitFailed
		}
		seen := map[string]bool{}
		for _, r := range rows {
			if r.Owed() && !seen[r.SubjectID] {
				seen[r.SubjectID] = true
				subjects = append(subjects, r.SubjectID)
			}
		}
	}
	for _, ref := range refs {
		id, code := findSubject(ctx, store, "notices mark-sent", ref)
		if code != exitOK {
			return code
		}
		subjects = append(subjects, id)
	}
	runID, err := store.BeginRun(ctx, "notices_mark_sent")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl notices mark-sent:", err)
		return exitFailed
	}
	recorded := 0
	for _, s := range subjects {
		added, err := store.RecordEvent(ctx, s, profile.Event{Event: "notice_sent", At: asOf.Format(time.DateOnly)}, "cvetl notices mark-sent", runID)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl notices mark-sent:", err)
			return exitFailed
		}
		if added {
			recorded++
		}
	}
	if _, err := store.DB().ExecContext(ctx, `UPDATE runs SET status = 'completed', finished_at = now() WHERE run_id = ?`, runID); err != nil {
		slog.Warn("could not close the run", "run", runID, "err", err)
	}
	fmt.Fprintf(stdout, "notice_sent recorded for %d subjects as of %s (%d already recorded)\n", recorded, asOf.Format(time.DateOnly), len(subjects)-recorded)
	return exitOK
}

// nightlyNotices runs the notices job after the retention jobs and reports overdue
// rights requests: the nightly's one call into issue #6. A failure here makes the
// night partial, not failed: the deletion manifest is already written.
func nightlyNotices(ctx context.Context, store *openedStore, pol *policy.Policy, asOf time.Time, out string, runID int64, stdout io.Writer, quiet bool) (*nightlyNoticesReport, int) {
	res, err := notices.Run(ctx, store.DB(), notices.Options{Policy: pol, AsOf: asOf, OutDir: out, RunID: runID})
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: notices:", err)
		return nil, exitPartial
	}
	if _, err := store.DB().ExecContext(ctx, `UPDATE runs SET manifests = to_json(list_append(coalesce(from_json(manifests, '["VARCHAR"]'), []::VARCHAR[]), ?))
		WHERE run_id = ?`, res.ManifestID, runID); err != nil {
		slog.Warn("could not add the notices manifest to the run ledger", "run", runID, "err", err)
	}
	report := &nightlyNoticesReport{Result: res}
	overdue, err := rights.Overdue(ctx, store.DB(), asOf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: rights requests:", err)
		return report, exitPartial
	}
	report.OverdueRequests = append([]rights.Request{}, overdue...)
	slog.Info("notices manifest written", "manifest", res.ManifestID, "rows", res.Rows, "overdue_requests", len(overdue))
	if !quiet {
		fmt.Fprintf(stdout, "  notices %s: %d rows: %d due, %d overdue, %d sent, %d exempt; flagged %d\n", res.ManifestID, res.Rows,
			res.ByStatus[notices.StatusDue], res.ByStatus[notices.StatusOverdue], res.ByStatus[notices.StatusSent], res.ByStatus[notices.StatusExempt], res.Flagged)
		for _, f := range res.Files {
			fmt.Fprintf(stdout, "  %s\n", f)
		}
		fmt.Fprintf(stdout, "  rights requests overdue: %d\n", len(overdue))
		for _, r := range overdue {
			fmt.Fprintf(stdout, "    %s (%s) due %s\n", r.ID, r.Kind, r.DueOn)
		}
	}
	if len(res.Problems) > 0 {
		for _, p := range res.Problems {
			fmt.Fprintf(os.Stderr, "cvetl nightly: problem: %s\n", p)
		}
		return report, exitPartial
	}
	return report, exitOK
}

// nightlyNoticesReport is the notices step in `nightly --json`.
type nightlyNoticesReport struct {
	notices.Result
	OverdueRequests []rights.Request `json:"overdue_requests"`
}
