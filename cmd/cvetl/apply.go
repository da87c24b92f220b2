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

	"github.com/cvetl/cvetl/apply"
	"github.com/cvetl/cvetl/policy"
)

func init() {
	register(command{name: "apply", usage: "apply [--manifest ID] [--dry-run] [--policy ID|FILE]",
		summary: "carry out approved manifest rows, then verify every erasure", run: runApply})
	register(command{name: "verify-erasure", usage: "verify-erasure SUBJECT_ID|EMAIL|PHONE",
		summary: "search every sink for an erased subject", run: runVerifyErasure})
}

// hashKeyID names the key that keys the identifier hashes kept after an erasure.
const hashKeyID = "@erasure-hashes"

// runApply exits 0 when every approved row was applied and verified, 1 on a usage
// error, 2 when a row failed or verification found residue.
func runApply(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	manifestID := fs.String("manifest", "", "apply one manifest (default: every current deletion manifest)")
	dryRun := fs.Bool("dry-run", false, "say what would be done, change nothing")
	polRef := fs.String("policy", "", "policy whose controller signs consent requests (default $CVETL_POLICY)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	sinks := addRemoteFlags(fs)
	if rest, err := parseInterleaved(fs, args); err != nil || len(rest) > 0 {
		fmt.Fprintln(os.Stderr, "usage: cvetl apply [--manifest ID] [--dry-run] [--policy ID|FILE] [--archive s3://B/P] [--lake DIR|s3://B/P]")
		return exitPartial
	}
	d, opt, closeAll, code := openApply(ctx, g, *polRef, sinks)
	if code != exitOK {
		return code
	}
	defer closeAll()
	opt.Manifest, opt.DryRun = *manifestID, *dryRun
	runID, err := d.beginRun(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl apply:", err)
		return exitFailed
	}
	opt.RunID = runID
	res, err := apply.Run(ctx, d.Deps, opt)
	d.finishRun(ctx, runID, err)
	if rerr := rewriteAfterRemoval(ctx, g.DB, res.Erased > 0 && !*dryRun, closeAll); rerr != nil {
		err = errors.Join(err, fmt.Errorf("rewriting the store after erasure (run apply again to retry): %w", rerr))
	}
	printApply(stdout, res, *asJSON, *dryRun)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl apply:", err)
		if !errors.Is(err, apply.ErrResidue) {
			fmt.Fprintln(os.Stderr, "cvetl apply: run it again: rows already applied are skipped")
		}
		return exitFailed
	}
	return exitOK
}

// rewriteAfterRemoval rewrites the store and key files when this run erased someone or
// purged quarantine locations, or an earlier run's rewrite did not finish: deleted and
// overwritten values and destroyed keys stay readable in DuckDB's freed blocks until
// reused. A marker file beside the store makes the rewrite survive a failure or a kill
// until it has completed.
func rewriteAfterRemoval(ctx context.Context, db string, removed bool, closeStore func()) error {
	marker := db + ".rewrite-pending"
	if _, err := os.Stat(marker); err != nil && !removed {
		return nil
	}
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		return err
	}
	closeStore()
	if err := rewriteStoreFiles(ctx, db); err != nil {
		return err
	}
	return os.Remove(marker)
}

func printApply(w io.Writer, r apply.Result, asJSON, dry bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(r)
		return
	}
	verb := "applied"
	if dry {
		verb = "would apply"
	}
	fmt.Fprintf(w, "%s: %d manifests; %d rows already applied, %d not approved\n", verb, len(r.Manifests), r.Skipped, r.Pending)
	for _, a := range sortedKeys(r.ByAction) {
		fmt.Fprintf(w, "  %-16s %d\n", a, r.ByAction[a])
	}
	for _, p := range r.Planned {
		fmt.Fprintf(w, "  %s %s: %s (%d raw files)\n", p.Manifest, p.RowID, p.Action, p.Files)
	}
	if !dry && r.Erased > 0 {
		fmt.Fprintf(w, "raw files: %d deleted, %d rewritten without the erased records, %d shared with others deleted whole\n",
			r.Raw.Deleted, r.Raw.Rewritten, r.Raw.DeletedShared)
	}
	if !dry && r.Verified > 0 {
		fmt.Fprintf(w, "erasure verification: %d subjects, %d residue\n", r.Verified, len(r.Residue))
	}
	for _, res := range r.Residue {
		fmt.Fprintf(w, "  RESIDUE %s\n", res)
	}
}

// runVerifyErasure exits 0 when nothing is found, 2 when residue is found or the
// search fails, 1 on a usage error.
func runVerifyErasure(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("verify-erasure", flag.ContinueOnError)
	sinks := addRemoteFlags(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(os.Stderr, "usage: cvetl verify-erasure [--archive s3://B/P] [--lake DIR|s3://B/P] SUBJECT_ID|EMAIL|PHONE")
		return exitPartial
	}
	args = pos
	d, opt, closeAll, code := openApply(ctx, g, "", sinks)
	if code != exitOK {
		return code
	}
	defer closeAll()
	residue, err := apply.VerifySubject(ctx, d.Deps, opt, args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl verify-erasure:", err)
		return exitFailed
	}
	for _, r := range residue {
		fmt.Fprintf(stdout, "RESIDUE %s\n", r)
	}
	if len(residue) > 0 {
		fmt.Fprintf(stdout, "verify-erasure: %d places still hold the subject\n", len(residue))
		return exitFailed
	}
	fmt.Fprintln(stdout, "verify-erasure: nothing found in the store, the key store, the output folder or the audit log")
	return exitOK
}

type applyDeps struct {
	apply.Deps
	st *openedStore
}

// remoteFlags name the sinks outside the store an erasure must reach.
type remoteFlags struct{ archive, lake *string }

func addRemoteFlags(fs *flag.FlagSet) remoteFlags {
	return remoteFlags{
		archive: fs.String("archive", os.Getenv("CVETL_ARCHIVE"), "the S3 raw-file archive (s3://bucket/prefix) to erase raw inputs from"),
		lake:    fs.String("lake", os.Getenv("CVETL_LAKE"), "the Parquet lake to erase from (default: config lake.location)"),
	}
}

// remotes opens the archive and the lake named by flags, env or config.
func remotes(ctx context.Context, g globals, f remoteFlags, db *sql.DB) ([]apply.Remote, error) {
	var out []apply.Remote
	if *f.archive != "" {
		w, err := newS3Wiring(ctx, "", &s3Flags{archive: f.archive})
		if err != nil {
			return nil, err
		}
		out = append(out, apply.ArchiveRemote{Archive: w.archive})
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, err
	}
	l, err := openLake(ctx, *f.lake, cfg.Lake)
	if err != nil {
		return nil, err
	}
	if l != nil {
		out = append(out, apply.LakeRemote{Lake: l, DB: db})
	}
	return out, nil
}

func openApply(ctx context.Context, g globals, polRef string, sinks remoteFlags) (applyDeps, apply.Options, func(), int) {
	var d applyDeps
	st, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl:", err)
		return d, apply.Options{}, nil, exitFailed
	}
	svc, log, err := openReview(ctx, g, st, true)
	if err != nil {
		st.Close()
		fmt.Fprintln(os.Stderr, "cvetl:", err)
		return d, apply.Options{}, nil, exitFailed
	}
	hashKey, err := st.keys.DataKey(ctx, hashKeyID)
	if err != nil {
		st.Close()
		fmt.Fprintln(os.Stderr, "cvetl:", err)
		return d, apply.Options{}, nil, exitFailed
	}
	_, pseudo, err := openAudit(ctx, g, st)
	if err != nil {
		st.Close()
		fmt.Fprintln(os.Stderr, "cvetl:", err)
		return d, apply.Options{}, nil, exitFailed
	}
	var ctl policy.Controller
	if polRef != "" || os.Getenv("CVETL_POLICY") != "" {
		pol, err := policyFlag(polRef)
		if err != nil {
			st.Close()
			fmt.Fprintln(os.Stderr, "cvetl:", err)
			return d, apply.Options{}, nil, exitPartial
		}
		ctl = pol.Controller
	}
	rem, err := remotes(ctx, g, sinks, st.DB())
	if err != nil {
		st.Close()
		fmt.Fprintln(os.Stderr, "cvetl:", err)
		if errors.Is(err, errUsage) {
			return d, apply.Options{}, nil, exitPartial
		}
		return d, apply.Options{}, nil, exitFailed
	}
	d = applyDeps{st: st, Deps: apply.Deps{DB: st.DB(), Keys: st.keys, Review: svc, Audit: log, Pseudo: pseudo,
		HashKey: hashKey, Controller: ctl, Remotes: rem}}
	opt := apply.Options{OutDir: g.Out, QuarantineDir: filepath.Join(g.Out, "quarantine"), AuditLog: auditLogPath(g.DB), Log: slog.Default()}
	return d, opt, func() { st.Close() }, exitOK
}

func (d applyDeps) beginRun(ctx context.Context) (int64, error) { return d.st.BeginRun(ctx, "apply") }

func (d applyDeps) finishRun(ctx context.Context, runID int64, runErr error) {
	if err := d.st.FinishPlainRun(context.WithoutCancel(ctx), runID, runErr); err != nil {
		slog.Warn("recording the apply run", "run", runID, "err", err)
	}
}
