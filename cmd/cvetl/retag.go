package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cvetl/cvetl/apply"
	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/rawedit"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

func init() {
	register(command{name: "retag", usage: "retag [--all] [--dry-run] [--json] [--workers N]",
		summary: "run the current special-category detector over files already ingested (docs/retag.md)", run: runRetag})
}

// retagSummary is what a retag run checked and changed; counts and hashes only.
type retagSummary struct {
	RunID  int64 `json:"run_id,omitempty"` // 0 in a dry run, or when nightly re-read no file: no run is recorded
	DryRun bool  `json:"dry_run"`
	All    bool  `json:"all"` // every file re-read, current or not
	// Detector is the fingerprint of the configured detector (specialcat.Fingerprint).
	Detector         string `json:"detector"`
	FilesCurrent     int    `json:"files_current"`    // not read: the current detector already tagged them
	FilesRestricted  int    `json:"files_restricted"` // not read: every subject they back is restricted (Art. 18)
	FilesListed      int    `json:"files_listed"`     // to be read: tagged by another detector, or an unknown one
	FilesChecked     int    `json:"files_checked"`
	FilesUnavailable int    `json:"files_unavailable"` // missing, changed since ingest (or its erasure rewrite), too large, or unreadable
	// Unavailable names each of them by hash, with why (rawMissing, rawChanged, …).
	Unavailable []unavailableFile `json:"unavailable"`
	FilesFailed int               `json:"files_failed"`
	// FilesChanged are those of FilesUnavailable whose raw input no longer holds the
	// bytes ingested (or last rewritten); remembered ones are counted without reading.
	FilesChanged int `json:"files_changed"`
	// PartsUnmatched counts re-extracted parts of erasure-rewritten files that no
	// stored profile came from: skipped, never sealed (docs/retag.md).
	PartsUnmatched       int            `json:"parts_unmatched"`
	FailedSHA256         []string       `json:"failed_sha256"`
	NewFindings          map[string]int `json:"new_findings"`
	ProfilesRedacted     int            `json:"profiles_redacted"`
	SubjectsKeyDestroyed int            `json:"subjects_key_destroyed"`
	SubjectsRestricted   int            `json:"subjects_restricted"`
	Seconds              float64        `json:"seconds"`
}

// unavailableFile is a stored file whose raw input was not re-read: hash and reason only.
type unavailableFile struct {
	SHA256 string `json:"sha256"`
	Reason string `json:"reason"`
}

func (s retagSummary) newFindings() int {
	n := 0
	for _, c := range s.NewFindings {
		n += c
	}
	return n
}

func runRetag(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("retag", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "report what would be sealed and redacted; write nothing")
	all := fs.Bool("all", false, "re-read every file, also those the current detector already tagged")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	workers := fs.Int("workers", 0, "extraction workers (default: config, else one per CPU)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on one file after this long")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		if err == nil {
			fmt.Fprintln(os.Stderr, "cvetl retag: takes no arguments: it reads the files the store records")
		}
		return exitPartial
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl retag:", err)
		return exitPartial
	}
	if *workers > 0 {
		cfg.Workers = *workers
	}
	if ctx, err = applyConfig(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "cvetl retag:", err)
		return exitPartial
	}
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl retag:", err)
		return exitFailed
	}
	defer store.Close()
	sum, runErr := retagStore(ctx, g, cfg, store, retagOptions{DryRun: *dryRun, All: *all, Timeout: *timeout})
	printRetagSummary(stdout, sum, *asJSON)
	switch {
	case runErr != nil:
		fmt.Fprintln(os.Stderr, "cvetl retag: run failed:", runErr)
		return exitFailed
	case sum.FilesFailed > 0:
		return exitPartial
	}
	return exitOK
}

// retagOptions choose what a retag run reads and records.
type retagOptions struct {
	DryRun  bool
	All     bool          // re-read current files too
	Timeout time.Duration // per file
	// RecordOnlyWork records a run and its audit entry only once a file was re-read
	// (the nightly): a store where everything is current costs one query, and one
	// whose stale files cannot be read (raw inputs gone) records nothing each night.
	RecordOnlyWork bool
}

// retagStore re-tags the store's files with the detector ctx carries (applyConfig)
// and records the run and its audit entry; a dry run records nothing. Only a failure
// of the store or the audit log is returned: a file that fails is counted.
func retagStore(ctx context.Context, g globals, cfg config.Config, store *openedStore, opt retagOptions) (retagSummary, error) {
	start := time.Now()
	sum := retagSummary{DryRun: opt.DryRun, All: opt.All, NewFindings: map[string]int{}, FailedSHA256: []string{}, Unavailable: []unavailableFile{}}
	var err error
	if sum.Detector, err = detectorFingerprint(cfg); err != nil {
		return sum, err
	}
	if err := refuseShardStore(ctx, store.DB()); err != nil {
		return sum, err
	}
	list, err := store.RetagFiles(ctx, sum.Detector, opt.All)
	if err != nil {
		return sum, err
	}
	sum.FilesCurrent, sum.FilesRestricted, sum.FilesListed = list.Current, list.Restricted, len(list.Files)
	if opt.RecordOnlyWork && len(list.Files) == 0 {
		sum.Seconds = time.Since(start).Seconds()
		return sum, nil
	}
	var alog *audit.Log
	begin := func() error {
		if opt.DryRun || alog != nil {
			return nil
		}
		// The audit log opens first: nothing is sealed that could not be recorded.
		l, err := audit.Open(ctx, auditLogPath(g.DB), store.Store)
		if err != nil {
			return err
		}
		if sum.RunID, err = store.BeginRun(ctx, "retag"); err != nil {
			return fmt.Errorf("starting run: %w", err)
		}
		alog = l
		return nil
	}
	if !opt.RecordOnlyWork {
		if err := begin(); err != nil {
			return sum, err
		}
	}
	log := slog.Default()
	log.Info("retag started", "run", sum.RunID, "dry_run", opt.DryRun, "all", opt.All, "learned", string(cfg.SpecialCategories.Learned),
		"detector", sum.Detector, "files", len(list.Files), "files_current", list.Current, "workers", cfg.WorkerCount())
	raw := newRawReader(ctx, list.Files, cfg.ExtractorLimits().MaxFileBytes, opt.All, log)
	runErr := retagFiles(ctx, cfg, store, raw, list.Files, opt.Timeout, &sum, begin, log)
	sum.Seconds = time.Since(start).Seconds()
	if alog != nil {
		if err := store.FinishRetagRun(context.WithoutCancel(ctx), sum.RunID, sum.FilesChecked, sum.FilesUnavailable, runErr); err != nil {
			log.Error("recording run failed", "err", err)
		}
		if err := alog.Append(context.WithoutCancel(ctx), retagAuditEntry(sum, runErr)); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("recording the run in the audit log: %w", err))
		}
	}
	if lake := firstNonEmpty(os.Getenv("CVETL_LAKE"), cfg.Lake.Location); lake != "" && !opt.DryRun && sum.ProfilesRedacted > 0 {
		// The lake's profile files were written before this redaction.
		fmt.Fprintln(os.Stderr, "cvetl retag: profiles were re-redacted: run a full `cvetl lake export --tables profiles` (not --incremental) so the lake's profile files carry the new redaction")
	}
	log.Info("retag finished", "run", sum.RunID, "files_checked", sum.FilesChecked, "files_unavailable", sum.FilesUnavailable,
		"files_failed", sum.FilesFailed, "new_findings", sum.newFindings(), "profiles_redacted", sum.ProfilesRedacted)
	return sum, runErr
}

// retagged is one stored file as a worker re-read it.
type retagged struct {
	file        duckstore.RetagFile
	unavailable string             // why its raw input was not read; "" when it was
	seen        *duckstore.RawSeen // a local input newly found changed: remembered
	rewritten   bool               // an erasure's rewrite: cands' origins are mapped to the ingested rows
	cands       []pipeline.ParsedCandidate
	err         error // the file failed to extract; named by hash only
}

// markBatch is how many settled files are marked with the detector in one statement.
const markBatch = 512

// errShardStore: retag runs on the authoritative store only. A shard's retag would
// write tags its next handoff cannot carry (their ids name the retag run) and hand off
// fingerprints for profiles the lake may hold in their older redaction.
var errShardStore = errors.New("this store hands off to an authoritative store through the lake (it has lake handoffs): run retag on the authoritative store, after `cvetl lake import`")

// refuseShardStore returns errShardStore for a store that has handed off through the lake.
func refuseShardStore(ctx context.Context, db *sql.DB) error {
	var handoffs int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM lake_handoffs`).Scan(&handoffs); err != nil {
		return fmt.Errorf("reading lake handoffs: %w", err)
	}
	if handoffs > 0 {
		return errShardStore
	}
	return nil
}

// retagFiles re-reads and re-tags files: workers extract, this goroutine writes, one
// file at a time. A bad file is counted and named by its hash; only a failure of the
// store itself stops the run. A file that ends settled is marked with the detector's
// fingerprint: by Retag in its sealing transaction when it sealed something, else
// here in batches. begin records the run before the first file reaches the store.
func retagFiles(ctx context.Context, cfg config.Config, store *openedStore, raw *rawReader, files []duckstore.RetagFile, timeout time.Duration, sum *retagSummary, begin func() error, log *slog.Logger) error {
	var settled []string
	mark := func() error {
		err := store.MarkTagged(context.WithoutCancel(ctx), sum.Detector, settled)
		settled = settled[:0]
		return err
	}
	progress := pipeline.NewProgress(os.Stderr)
	progress.Start(len(files))
	defer progress.Finish()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan duckstore.RetagFile)
	results := make(chan retagged, cfg.WorkerCount())
	var wg sync.WaitGroup
	for range max(cfg.WorkerCount(), 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				r := reanalyse(ctx, cfg, store.DB(), raw, f, timeout)
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	keyDestroyed, restrictedSubjects := map[string]bool{}, map[string]bool{}
	// Local inputs found changed (remembered), and those remembered but read again.
	seen, forget := map[string]duckstore.RawSeen{}, []string{}
	defer func() {
		if sum.DryRun {
			return
		}
		if err := store.RememberChanged(context.WithoutCancel(ctx), seen, forget); err != nil {
			log.Warn("files found changed not remembered: the next run hashes them again", "err", err)
		}
	}()
	fail := func(sha string, err error) {
		sum.FilesFailed++
		sum.FailedSHA256 = append(sum.FailedSHA256, sha)
		log.Warn("file not re-tagged", "sha256", sha[:min(12, len(sha))], "err", err)
	}
	var storeErr error
	for r := range results {
		progress.Add(1)
		if storeErr != nil {
			continue // drain: let the workers exit
		}
		switch {
		case r.unavailable != "":
			sum.FilesUnavailable++
			if r.unavailable == rawChanged {
				sum.FilesChanged++
			}
			if r.seen != nil {
				seen[r.file.SHA256] = *r.seen
			}
			sum.Unavailable = append(sum.Unavailable, unavailableFile{SHA256: r.file.SHA256, Reason: r.unavailable})
			if isURL(r.file.Location) {
				// Local inputs moved away after ingest are routine and only counted;
				// an object gone from a bucket is worth a line. Never the key.
				log.Warn("raw file on S3 not re-read", "sha256", r.file.SHA256, "reason", r.unavailable)
			}
			continue
		case r.err != nil:
			fail(r.file.SHA256, r.err)
			continue
		}
		if err := begin(); err != nil {
			storeErr = err
			cancel()
			continue
		}
		sum.FilesChecked++
		if r.file.Changed != nil {
			forget = append(forget, r.file.SHA256)
		}
		retag := store.Retag
		if r.rewritten {
			retag = store.RetagRewritten
		}
		res, err := retag(ctx, duckstore.RetagRun{ID: sum.RunID, Fingerprint: sum.Detector, DryRun: sum.DryRun}, r.file.SHA256, r.cands)
		if err != nil {
			if ctx.Err() != nil || !errors.Is(err, duckstore.ErrRetagMismatch) {
				storeErr = err
				cancel()
				continue
			}
			fail(r.file.SHA256, err)
			continue
		}
		for c, n := range res.NewFindings {
			sum.NewFindings[string(c)] += n
		}
		sum.ProfilesRedacted += res.ProfilesRedacted
		if res.Unmatched > 0 {
			sum.PartsUnmatched += res.Unmatched
			log.Warn("parts of a rewritten file matched no stored profile: skipped", "sha256", r.file.SHA256[:12], "parts", res.Unmatched)
		}
		if res.Settled && !res.Marked && !sum.DryRun {
			if settled = append(settled, r.file.SHA256); len(settled) >= markBatch {
				if err := mark(); err != nil {
					storeErr = err
					cancel()
				}
			}
		}
		for _, s := range res.KeyDestroyed {
			keyDestroyed[s] = true
		}
		for _, s := range res.Restricted {
			restrictedSubjects[s] = true
		}
	}
	sum.SubjectsKeyDestroyed, sum.SubjectsRestricted = len(keyDestroyed), len(restrictedSubjects)
	sort.Strings(sum.FailedSHA256)
	sort.Slice(sum.Unavailable, func(i, j int) bool { return sum.Unavailable[i].SHA256 < sum.Unavailable[j].SHA256 })
	if storeErr != nil {
		return storeErr
	}
	// The files settled so far are done even when the run is being stopped.
	if err := mark(); err != nil {
		return err
	}
	return ctx.Err()
}

// reanalyse reads a stored file where ingest found it (a local path or an s3:// object,
// rawReader) and, when its bytes still hash to
// the stored sha256, extracts and tags it exactly as ingest does: the configured
// detector (in ctx), the same section logic (pipeline.Analyse) and conditions. A file
// an erasure rewrote is read only when it holds that rewrite, the last of its chain
// (never the ingested bytes, which hold the erased person); its parts' origins are
// then mapped back to the rows ingest numbered (apply.RawLineage).
func reanalyse(ctx context.Context, cfg config.Config, db *sql.DB, raw *rawReader, f duckstore.RetagFile, timeout time.Duration) retagged {
	r := retagged{file: f}
	want := f.SHA256
	if f.Rewritten != "" {
		want = f.Rewritten
	}
	got := raw.read(ctx, f, want, timeout)
	if got.why != "" {
		r.unavailable, r.seen = got.why, got.seen
		return r
	}
	data := got.data
	var lineage rawedit.Lineage
	if f.Rewritten != "" {
		var ours bool
		var err error
		if lineage, ours, err = apply.RawLineage(ctx, db, f.SHA256, f.Rewritten); err != nil {
			r.err = err // names the file by hash only
			return r
		}
		if !ours {
			r.unavailable = rawNotOurs
			return r
		}
		r.rewritten = true
	}
	key := ingestKey(cfg, f.Location, f.Channel)
	a, err := pipeline.Analyse(inputContext(cfg)(ctx, key), extractors.Input{Name: key, Data: data}, cfg.ExtractorLimits(), timeout)
	if err != nil {
		r.err = fmt.Errorf("extraction failed: %s", extractors.ReasonOf(err))
		return r
	}
	pipeline.RecordConditions(a.Candidates, f.Channel, cfg.ConditionFor)
	if r.rewritten {
		for i := range a.Candidates {
			a.Candidates[i].Origin = lineage.IngestedOrigin(a.Candidates[i].Origin)
		}
	}
	r.cands = a.Candidates
	return r
}

// ingestKey recovers the key ingest gave a file (its path relative to the folder
// ingested), which decides the CSV mapping a source rule forces: the longest suffix of
// the location that a source rule of the file's recorded channel matches. Without one,
// the file name.
func ingestKey(cfg config.Config, location string, channel profile.Channel) string {
	loc := filepath.ToSlash(location)
	for i := 0; i < len(loc); i++ {
		if i > 0 && loc[i-1] != '/' {
			continue
		}
		rel := loc[i:]
		for _, s := range cfg.Sources {
			m := strings.TrimPrefix(s.Match, "./")
			if m != "" && strings.HasPrefix(rel, m) && profile.Channel(s.Channel) == channel {
				return rel
			}
		}
	}
	return filepath.Base(loc)
}

func retagAuditEntry(s retagSummary, runErr error) audit.Entry {
	outcome := "done"
	if runErr != nil {
		outcome = "failed"
	}
	d := map[string]string{
		"detector":               s.Detector,
		"all":                    fmt.Sprint(s.All),
		"files_current":          fmt.Sprint(s.FilesCurrent),
		"files_restricted":       fmt.Sprint(s.FilesRestricted),
		"files_checked":          fmt.Sprint(s.FilesChecked),
		"files_unavailable":      fmt.Sprint(s.FilesUnavailable),
		"files_failed":           fmt.Sprint(s.FilesFailed),
		"parts_unmatched":        fmt.Sprint(s.PartsUnmatched),
		"new_findings":           fmt.Sprint(s.newFindings()),
		"profiles_redacted":      fmt.Sprint(s.ProfilesRedacted),
		"subjects_key_destroyed": fmt.Sprint(s.SubjectsKeyDestroyed),
		"subjects_restricted":    fmt.Sprint(s.SubjectsRestricted),
		"outcome":                outcome,
	}
	for c, n := range s.NewFindings {
		d["new_"+c] = fmt.Sprint(n)
	}
	return audit.Entry{Actor: "cvetl retag", Action: "retag", RunID: s.RunID, Detail: d}
}

func printRetagSummary(w io.Writer, s retagSummary, asJSON bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(s)
		return
	}
	head := fmt.Sprintf("run %d", s.RunID)
	verb := "sealed"
	if s.DryRun {
		head, verb = "dry run (nothing written)", "would seal"
	}
	fmt.Fprintf(w, "%s: detector %s: %d files checked, %d unavailable, %d failed, of %d to read; %d already current, %d left for restricted subjects\n",
		head, s.Detector, s.FilesChecked, s.FilesUnavailable, s.FilesFailed, s.FilesListed, s.FilesCurrent, s.FilesRestricted)
	cats := make([]string, 0, len(s.NewFindings))
	for c := range s.NewFindings {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	fmt.Fprintf(w, "  %s %d new findings\n", verb, s.newFindings())
	for _, c := range cats {
		fmt.Fprintf(w, "    %-28s %d\n", c, s.NewFindings[c])
	}
	fmt.Fprintf(w, "  profiles re-redacted %d\n", s.ProfilesRedacted)
	if s.SubjectsKeyDestroyed+s.SubjectsRestricted > 0 {
		fmt.Fprintf(w, "  skipped: %d subjects with a destroyed data key, %d restricted\n", s.SubjectsKeyDestroyed, s.SubjectsRestricted)
	}
	if s.PartsUnmatched > 0 {
		fmt.Fprintf(w, "  skipped: %d parts of rewritten files that no stored profile came from\n", s.PartsUnmatched)
	}
	if len(s.Unavailable) > 0 {
		byReason := map[string]int{}
		for _, u := range s.Unavailable {
			byReason[u.Reason]++
		}
		reasons := make([]string, 0, len(byReason))
		for r := range byReason {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for i, r := range reasons {
			reasons[i] = fmt.Sprintf("%d %s", byReason[r], r)
		}
		fmt.Fprintf(w, "  unavailable: %s (by hash: --json)\n", strings.Join(reasons, ", "))
	}
	for _, sha := range s.FailedSHA256 {
		fmt.Fprintf(w, "  failed %s\n", sha)
	}
	fmt.Fprintf(w, "  in %.1fs\n", s.Seconds)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
