package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// nightlyRetagReport is the retag step of `nightly --json`: counts only.
type nightlyRetagReport struct {
	RunID                int64          `json:"run_id,omitempty"` // 0 when no file was re-read: nothing was recorded
	Detector             string         `json:"detector"`
	FilesCurrent         int            `json:"files_current"`
	FilesRestricted      int            `json:"files_restricted"`
	FilesListed          int            `json:"files_listed"`
	FilesChecked         int            `json:"files_checked"`
	FilesUnavailable     int            `json:"files_unavailable"`
	FilesFailed          int            `json:"files_failed"`
	FilesChanged         int            `json:"files_changed"` // of files_unavailable: raw input changed since ingest
	PartsUnmatched       int            `json:"parts_unmatched"`
	NewFindings          map[string]int `json:"new_findings"`
	ProfilesRedacted     int            `json:"profiles_redacted"`
	SubjectsKeyDestroyed int            `json:"subjects_key_destroyed"`
	SubjectsRestricted   int            `json:"subjects_restricted"`
	Seconds              float64        `json:"seconds"`
}

// nightlyRetag brings the store up to the configured special-category detector before
// the retention, notices and matching steps read it (docs/retag.md): only files whose
// recorded detector fingerprint is not the current one are read, so a store where
// every file is current costs one query and records nothing, and so does one whose
// stale files cannot be read. A file that fails is
// counted and retried the next night without failing the night; a config or store
// failure makes the night partial or failed, and the later steps still run.
func nightlyRetag(ctx context.Context, g globals, store *openedStore, stdout io.Writer, asJSON bool) (*nightlyRetagReport, int) {
	cfg, err := loadConfig(g)
	if err == nil {
		ctx, err = applyConfig(ctx, cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: retag step skipped:", err)
		return nil, exitPartial
	}
	sum, err := retagStore(ctx, g, cfg, store, retagOptions{Timeout: 30 * time.Second, RecordOnlyWork: true})
	if errors.Is(err, errShardStore) {
		fmt.Fprintln(os.Stderr, "cvetl nightly: retag step skipped:", err)
		return nil, exitOK
	}
	rep := &nightlyRetagReport{RunID: sum.RunID, Detector: sum.Detector, FilesCurrent: sum.FilesCurrent, FilesRestricted: sum.FilesRestricted,
		FilesListed: sum.FilesListed, FilesChecked: sum.FilesChecked, FilesUnavailable: sum.FilesUnavailable,
		FilesFailed: sum.FilesFailed, FilesChanged: sum.FilesChanged, PartsUnmatched: sum.PartsUnmatched, NewFindings: sum.NewFindings, ProfilesRedacted: sum.ProfilesRedacted,
		SubjectsKeyDestroyed: sum.SubjectsKeyDestroyed, SubjectsRestricted: sum.SubjectsRestricted, Seconds: sum.Seconds}
	if !asJSON {
		fmt.Fprintf(stdout, "retag: detector %s: %d files current, %d read (%d unavailable, %d failed): %d new findings, %d profiles re-redacted\n",
			rep.Detector, rep.FilesCurrent, rep.FilesChecked, rep.FilesUnavailable, rep.FilesFailed, sum.newFindings(), rep.ProfilesRedacted)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl nightly: retag step failed (the next nightly retries):", err)
		return rep, exitFailed
	}
	return rep, exitOK
}
