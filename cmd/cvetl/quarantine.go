package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// nightlyQuarantine ends the retention of quarantined files (the policy's
// quarantine.keep, docs/quarantine.md): copies under <out>/quarantine older than that
// are deleted and their rows stripped of locations and details. One audit entry per
// run that changed something (or failed) records the counts and the deleted copies'
// content hashes; a night with nothing to purge adds none. A failure makes the night
// partial; the next night finishes the work.
func nightlyQuarantine(ctx context.Context, g globals, store *openedStore, pol *policy.Policy, asOf time.Time, runID int64, stdout io.Writer, quiet bool) (*duckstore.QuarantinePurge, int) {
	// A --as-of in the future plans manifests ahead; it must not delete copies early.
	day := asOf
	if now := time.Now().UTC(); now.Before(day) {
		day = now
	}
	before := pol.Quarantine.ExpiredBefore(day)
	// The audit log opens first: nothing is deleted that could not be recorded.
	log, err := audit.Open(ctx, auditLogPath(g.DB), store.Store)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: quarantine retention:", err)
		return nil, exitPartial
	}
	rep, err := store.PurgeQuarantine(ctx, filepath.Join(g.Out, "quarantine"), before)
	outcome := "done"
	if err != nil {
		outcome = "failed"
	}
	entry := audit.Entry{Actor: "cvetl nightly", Action: "purge_quarantine", RunID: runID, Detail: map[string]string{
		"keep":           pol.Quarantine.Keep.String(),
		"expired_before": before.Format(time.DateOnly),
		"rows":           fmt.Sprint(rep.Rows),
		"files":          fmt.Sprint(rep.Files),
		"copies_deleted": fmt.Sprint(len(rep.CopiesDeleted)),
		"copies_kept":    fmt.Sprint(rep.CopiesKept),
		"sha256":         strings.Join(rep.CopiesDeleted, ","),
		"outcome":        outcome,
	}}
	if changed := rep.Rows+rep.Files > 0 || len(rep.CopiesDeleted) > 0; changed || err != nil {
		if aerr := log.Append(ctx, entry); aerr != nil && err == nil {
			err = fmt.Errorf("recording the purge in the audit log: %w", aerr)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: quarantine retention:", err)
		return &rep, exitPartial
	}
	slog.Info("quarantine retention", "keep", pol.Quarantine.Keep.String(), "expired_before", before.Format(time.DateOnly),
		"rows", rep.Rows, "files", rep.Files, "copies_deleted", len(rep.CopiesDeleted), "copies_kept", rep.CopiesKept)
	if !quiet {
		fmt.Fprintf(stdout, "  quarantine (kept %s): %d copies deleted, %d kept; %d rows and %d file locations stripped\n",
			pol.Quarantine.Keep, len(rep.CopiesDeleted), rep.CopiesKept, rep.Rows, rep.Files)
	}
	return &rep, exitOK
}
