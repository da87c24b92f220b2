// Package jobs runs the nightly retention jobs: readable SQL files (sql/, embedded)
// that derive each subject's anchors from events and ingested data, apply a policy's
// rules, floors, exceptions and legal holds, and produce the deletion manifest, which
// this package writes to files and records in the store.
package jobs

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cvetl/cvetl/jobs/manifest"
	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/review"
)

// Store is what the nightly needs from the store: its database and the run ledger.
type Store interface {
	DB() *sql.DB
	BeginRun(ctx context.Context, kind string) (int64, error)
}

// Options configure one nightly run.
type Options struct {
	Policy *policy.Policy
	AsOf   time.Time
	// OutDir receives manifests/<kind>-<as-of>.{json,csv,parquet}.
	OutDir string
	// MemoryLimit caps DuckDB's memory (e.g. "1GB"); beyond it DuckDB spills to disk.
	MemoryLimit string
	// Threads caps DuckDB's threads; 0 leaves DuckDB's default (one per core).
	Threads int
	Log     *slog.Logger
}

// Result is the run summary.
type Result struct {
	RunID        int64          `json:"run_id"`
	Status       string         `json:"status"` // completed | partial | failed
	AsOf         string         `json:"as_of"`
	Policy       string         `json:"policy"`
	PolicyDigest string         `json:"policy_digest"`
	ManifestID   string         `json:"manifest_id"`
	Rows         int            `json:"rows"`
	ByAction     map[string]int `json:"by_action"`
	Flagged      int            `json:"flagged"`
	ByReason     map[string]int `json:"by_reason"`
	Files        []string       `json:"files"`
	// Problems are failures that did not stop the run (a format that could not be written).
	Problems []string `json:"problems"`
	Seconds  float64  `json:"seconds"`
}

const deletionKind = "deletion"

var memoryLimit = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// Nightly runs the retention jobs for opt.AsOf, writes the deletion manifest and records
// it and the run in the store. An error means the run failed (nothing reliable was
// produced); Problems in the result mean it completed only partly.
func Nightly(ctx context.Context, st Store, opt Options) (res Result, err error) {
	start := time.Now()
	log := opt.Log
	if log == nil {
		log = slog.Default()
	}
	pol := opt.Policy
	asOf := opt.AsOf.Format(time.DateOnly)
	res = Result{AsOf: asOf, Policy: pol.ID, PolicyDigest: pol.Digest(), ByAction: map[string]int{},
		ByReason: map[string]int{}, Files: []string{}, Problems: []string{}}
	if opt.MemoryLimit != "" && !memoryLimit.MatchString(opt.MemoryLimit) {
		return res, fmt.Errorf("memory limit %q: want e.g. 1GB or 512MB", opt.MemoryLimit)
	}
	res.RunID, err = st.BeginRun(ctx, "nightly")
	if err != nil {
		return res, fmt.Errorf("starting the run: %w", err)
	}
	log = log.With("run", res.RunID)
	conn, err := st.DB().Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	defer func() {
		res.Seconds = time.Since(start).Seconds()
		res.Status = "completed"
		switch {
		case err != nil:
			res.Status = "failed"
		case len(res.Problems) > 0:
			res.Status = "partial"
		}
		if ferr := finishRun(context.WithoutCancel(ctx), conn, res, err); ferr != nil {
			err = errors.Join(err, fmt.Errorf("recording the run: %w", ferr))
		}
	}()
	if err := settings(ctx, conn, opt); err != nil {
		return res, err
	}
	log.Info("nightly started", "as_of", asOf, "policy", pol.ID, "policy_digest", res.PolicyDigest)
	phase := time.Now()
	if err := evaluate(ctx, conn, pol, opt.AsOf, "", log); err != nil {
		return res, err
	}
	defer dropTemp(conn)
	dropIntermediate(conn)
	log.Info("nightly jobs evaluated", "took", time.Since(phase).Round(time.Millisecond))
	phase = time.Now()

	w, err := manifest.Create(filepath.Join(opt.OutDir, "manifests"), deletionKind, asOf, DeletionColumns)
	if err != nil {
		return res, err
	}
	err = eachRow(ctx, conn, func(vals []any) error {
		if err := w.Write(vals); err != nil {
			return err
		}
		res.Rows++
		action, _ := vals[4].(string)
		res.ByAction[action]++
		if flagged, _ := vals[11].(bool); flagged {
			res.Flagged++
			reasons, _ := vals[12].([]any)
			for _, r := range reasons {
				if reason, ok := r.(string); ok {
					res.ByReason[reason]++
				}
			}
		}
		return nil
	})
	if err != nil {
		w.Abort()
		return res, fmt.Errorf("writing the deletion manifest: %w", err)
	}
	res.ManifestID = manifestID(deletionKind, asOf, pol, w.Digest())
	meta := manifest.Meta{ID: res.ManifestID, Kind: deletionKind, AsOf: asOf, Policy: pol.ID, Extra: []manifest.Field{
		{Key: "policy_digest", Value: res.PolicyDigest},
		{Key: "row_count", Value: res.Rows},
		{Key: "rules", Value: ruleSummaries(pol)},
	}}
	files, werr := w.Commit(meta)
	if len(files) == 0 {
		return res, fmt.Errorf("writing the deletion manifest: %w", werr)
	}
	res.Files = files
	if werr != nil {
		res.Problems = append(res.Problems, "manifest "+werr.Error())
		log.Warn("a manifest format could not be written", "err", werr)
	}
	log.Info("manifest written", "rows", res.Rows, "took", time.Since(phase).Round(time.Millisecond))
	phase = time.Now()
	if err := persist(ctx, conn, res); err != nil {
		return res, fmt.Errorf("recording the manifest in the store: %w", err)
	}
	log.Info("manifest recorded in the store", "took", time.Since(phase).Round(time.Millisecond))
	log.Info("nightly finished", "manifest", res.ManifestID, "rows", res.Rows, "flagged", res.Flagged)
	return res, nil
}

// manifestID names a manifest by kind, day, policy and a hash of the policy's content
// and the rows: the same inputs give the same id, and any change gives a new one.
func manifestID(kind, asOf string, pol *policy.Policy, rowsDigest string) string {
	h := sha256.Sum256([]byte(strings.Join([]string{kind, asOf, pol.ID, pol.Digest(), rowsDigest}, "\n")))
	return fmt.Sprintf("%s-%s-%s-%s", kind, asOf, pol.ID, hex.EncodeToString(h[:6]))
}

// ruleSummary tells a reader of the manifest what each rule_id means.
type ruleSummary struct {
	Kind   string `json:"kind"`
	Action string `json:"action,omitempty"`
	Period string `json:"period"`
	Source string `json:"source"`
}

func ruleSummaries(pol *policy.Policy) map[string]ruleSummary {
	out := map[string]ruleSummary{}
	for _, r := range pol.Rules {
		out[r.ID] = ruleSummary{Kind: "rule", Action: string(r.Action), Period: r.Period.String(), Source: r.Source}
		if f := r.FollowUp; f != nil {
			out[f.ID] = ruleSummary{Kind: "follow_up", Action: string(f.Action), Period: f.After.String() + " after " + r.ID, Source: f.Source}
		}
	}
	for _, f := range pol.Floors {
		out[f.ID] = ruleSummary{Kind: "floor", Period: f.Period.String(), Source: f.Source}
	}
	return out
}

func settings(ctx context.Context, conn *sql.Conn, opt Options) error {
	stmts := []string{"SET preserve_insertion_order = false"}
	if opt.MemoryLimit != "" {
		stmts = append(stmts, fmt.Sprintf("SET memory_limit = '%s'", opt.MemoryLimit))
	}
	if opt.Threads > 0 {
		stmts = append(stmts, fmt.Sprintf("SET threads = %d", opt.Threads))
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// persist records the manifest and its rows in one transaction.
func persist(ctx context.Context, conn *sql.Conn, res Result) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	files, _ := json.Marshal(res.Files)
	if _, err := conn.ExecContext(ctx, script("60_persist_manifest"),
		sql.Named("manifest_id", res.ManifestID), sql.Named("kind", deletionKind), sql.Named("as_of", res.AsOf),
		sql.Named("policy", res.Policy), sql.Named("policy_digest", res.PolicyDigest), sql.Named("row_count", res.Rows),
		sql.Named("files", string(files)), sql.Named("run_id", res.RunID), sql.Named("created_at", timestamp())); err != nil {
		return fmt.Errorf("jobs/sql/60_persist_manifest.sql: %w", err)
	}
	if _, err := conn.ExecContext(ctx, script("61_persist_rows"), sql.Named("manifest_id", res.ManifestID)); err != nil {
		return fmt.Errorf("jobs/sql/61_persist_rows.sql: %w", err)
	}
	if err := review.StampFacts(ctx, conn, deletionKind, res.ManifestID); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, script("62_supersede"), sql.Named("manifest_id", res.ManifestID),
		sql.Named("kind", deletionKind), sql.Named("as_of", res.AsOf)); err != nil {
		return fmt.Errorf("jobs/sql/62_supersede.sql: %w", err)
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// finishRun closes the run in the ledger. The error text names files and SQL, never
// personal data.
func finishRun(ctx context.Context, conn *sql.Conn, res Result, runErr error) error {
	var errText any
	if runErr != nil {
		errText = runErr.Error()
	}
	manifests := []string{}
	if res.ManifestID != "" {
		manifests = append(manifests, res.ManifestID)
	}
	ids, _ := json.Marshal(manifests)
	summary, _ := json.Marshal(res)
	_, err := conn.ExecContext(ctx, script("70_run_finish"),
		sql.Named("finished_at", timestamp()), sql.Named("status", res.Status), sql.Named("error", errText),
		sql.Named("as_of", res.AsOf), sql.Named("policy", res.Policy+"@"+res.PolicyDigest),
		sql.Named("manifests", string(ids)), sql.Named("summary", string(summary)), sql.Named("run_id", res.RunID))
	return err
}

// timestamp is now in UTC as text: go-duckdb cannot bind a time.Time to a parameter
// whose type DuckDB leaves open (inside CAST), so the SQL casts the text.
func timestamp() string { return time.Now().UTC().Format("2006-01-02 15:04:05.000000") }
