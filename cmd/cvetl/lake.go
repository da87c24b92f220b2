package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/lake/handoff"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/sinks/duckstore"
	s3store "github.com/cvetl/cvetl/sinks/s3"
)

// The Parquet lake: `cvetl lake export` writes the store's tables, `cvetl lake
// compact` merges shards' files, `cvetl lake fetch` brings an S3 lake to a folder for
// DuckDB. The location is --lake, else CVETL_LAKE, else lake.location in the config.

func init() {
	register(command{name: "lake", usage: "lake export|compact|import|fetch [--lake DIR|s3://B/P] …", summary: "write, compact, import (shards into this store) or fetch the Parquet lake (docs/lake.md)", run: runLake})
}

func runLake(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	const usage = "cvetl lake: usage: cvetl lake export [--name NAME] [--tables T,…] [--incremental] | compact [--tables T,…] | import [--memory-limit 512MB] | fetch DIR   (each with [--lake DIR|s3://B/P] [--json])"
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, usage)
		return exitPartial
	}
	sub := args[0]
	fs := flag.NewFlagSet("lake "+sub, flag.ContinueOnError)
	where := fs.String("lake", os.Getenv("CVETL_LAKE"), "lake location: a folder or s3://bucket/prefix")
	tablesFlag := fs.String("tables", "", "comma-separated tables (default all: profiles,sources,events,manifests)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	name := fs.String("name", "main", "export: this store's file name in every partition (one per store)")
	incremental := fs.Bool("incremental", false, "export: only partitions with runs since this name's last export")
	memory := fs.String("memory-limit", "512MB", "import: DuckDB memory limit while writing, as for ingest")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return exitPartial
	}
	tables, err := parseTables(*tablesFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl lake:", err)
		return exitPartial
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl lake:", err)
		return exitPartial
	}
	if loc := cmp.Or(*where, cfg.Lake.Location); sub != "export" && loc != "" && !s3store.IsURL(loc) {
		if _, err := os.Stat(loc); err != nil { // a typo must not read as an empty lake
			fmt.Fprintf(os.Stderr, "cvetl lake %s: lake %s: %v\n", sub, loc, errors.Unwrap(err))
			return exitPartial
		}
	}
	l, err := openLake(ctx, *where, cfg.Lake)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl lake:", err)
		return s3ExitCode(err)
	}
	if l == nil {
		fmt.Fprintln(os.Stderr, "cvetl lake: no lake location: give --lake, CVETL_LAKE or lake.location in the config")
		return exitPartial
	}
	var report any
	switch sub {
	case "export":
		if len(pos) != 0 {
			fmt.Fprintln(os.Stderr, usage)
			return exitPartial
		}
		if err := lake.ValidName(*name); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl lake export: --name:", err)
			return exitPartial
		}
		if _, err := os.Stat(g.DB); err != nil {
			fmt.Fprintf(os.Stderr, "cvetl lake export: store %s: %v\n", g.DB, errors.Unwrap(err))
			return exitPartial
		}
		store, err := duckstore.Open(ctx, g.DB, duckstore.Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl lake export:", err)
			return exitFailed
		}
		defer store.Close()
		// A shard's store that purged what it handed off must not take it out of the lake.
		var purges int
		if err := store.DB().QueryRowContext(ctx, `SELECT count(*) FROM shard_purges`).Scan(&purges); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl lake export:", err)
			return exitFailed
		}
		report, err = lake.Export(ctx, store.DB(), l, lake.ExportOptions{Name: *name, Tables: tables, Incremental: *incremental, Retain: purges > 0})
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl lake export:", err)
			return exitFailed
		}
	case "compact":
		if len(pos) != 0 {
			fmt.Fprintln(os.Stderr, usage)
			return exitPartial
		}
		if report, err = lake.Compact(ctx, l, tables); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl lake compact:", err)
			return exitFailed
		}
	case "import":
		if len(pos) != 0 {
			fmt.Fprintln(os.Stderr, usage)
			return exitPartial
		}
		var code int
		if report, code = lakeImport(ctx, g, l, *memory); code != exitOK {
			return code
		}
	case "fetch":
		if len(pos) != 1 {
			fmt.Fprintln(os.Stderr, usage)
			return exitPartial
		}
		root, err := lake.Fetch(ctx, l, pos[0], tables)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl lake fetch:", err)
			return exitFailed
		}
		report = map[string]string{"root": root, "profiles": lake.Glob(root, "profiles")}
	default:
		fmt.Fprintln(os.Stderr, usage)
		return exitPartial
	}
	if *asJSON {
		_ = json.NewEncoder(stdout).Encode(report)
	} else {
		b, _ := json.Marshal(report)
		fmt.Fprintf(stdout, "lake %s %s: %s\n", sub, l, b)
	}
	return exitOK
}

func parseTables(s string) ([]lake.Table, error) {
	if s == "" {
		return nil, nil
	}
	var out []lake.Table
	for _, n := range strings.Split(s, ",") {
		t, err := lake.TableNamed(strings.TrimSpace(n))
		if err != nil {
			return nil, fmt.Errorf("--tables: %w", err)
		}
		out = append(out, t)
	}
	return out, nil
}

// openLake opens the lake at where (a flag or CVETL_LAKE), else at the configured
// location; nil, nil when neither is set. Encryption for S3 uploads comes from
// CVETL_S3_SSE / CVETL_S3_SSE_KMS_KEY_ID, else the config.
func openLake(ctx context.Context, where string, cfg config.Lake) (*lake.Lake, error) {
	if where == "" {
		where = cfg.Location
	}
	if where == "" {
		return nil, nil
	}
	if !s3store.IsURL(where) {
		return lake.Open(where, lake.S3{})
	}
	sse, kms := cfg.SSE, cfg.SSEKMSKeyID
	if v, ok := os.LookupEnv("CVETL_S3_SSE"); ok {
		sse, kms = v, os.Getenv("CVETL_S3_SSE_KMS_KEY_ID")
	}
	if err := s3store.ValidSSE(sse); err != nil {
		return nil, fmt.Errorf("%w: CVETL_S3_SSE: %v", errUsage, err)
	}
	if _, err := s3store.ParseURL(where); err != nil {
		return nil, fmt.Errorf("%w: lake %v", errUsage, err)
	}
	s3cfg, err := s3store.ConfigFromEnv()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	c, err := s3store.NewClient(ctx, s3cfg)
	if err != nil {
		return nil, err
	}
	return lake.Open(where, lake.S3{Client: c, SSE: sse, KMSKeyID: kms})
}

// ingestToLake writes the store's profiles and sources to the lake after an ingest,
// under this shard's own file name (s<I>of<N>, or main), so shards never overwrite
// each other. It rewrites every partition from the first run not yet exported, so a
// run that failed after committing some batches reaches the lake with the re-run.
// A shard then hands off, sealed, what the lake leaves out (lake/handoff), for
// `cvetl lake import` into the authoritative store.
func ingestToLake(ctx context.Context, store *openedStore, l *lake.Lake, shard pipeline.Shard, purge bool, log *slog.Logger) error {
	name := "main"
	if shard.Of > 1 {
		name = fmt.Sprintf("s%dof%d", shard.Index, shard.Of)
	}
	// A shard's store may have purged rows its lake files hold: keep them there.
	rep, err := lake.Export(ctx, store.DB(), l, lake.ExportOptions{Name: name, Tables: []lake.Table{lake.Profiles, lake.Sources},
		Incremental: true, Retain: shard.Of > 1})
	if err != nil {
		return err
	}
	log.Info("lake written", "lake", l.String(), "name", name, "files", rep.Files, "profiles", rep.Rows["profiles"])
	if shard.Of <= 1 {
		return nil // the main store is the authoritative one: nothing to hand off
	}
	hr, err := handoff.Write(ctx, store.Store, l, store.master, name, time.Now())
	if err != nil {
		return fmt.Errorf("handing off to the authoritative store: %w", err)
	}
	log.Info("lake handoff written", "name", name, "object", hr.Object, "files", hr.Files, "tags", hr.Tags)
	if !purge {
		return nil
	}
	return purgeHandedOff(ctx, store, log)
}

// closeAndRewrite closes the store and rewrites its data and key files, so no byte
// of what a purge dropped stays on disk.
func closeAndRewrite(ctx context.Context, store *openedStore, db string) error {
	if err := store.Close(); err != nil {
		return fmt.Errorf("closing the store: %w", err)
	}
	return rewriteStoreFiles(ctx, db)
}

// rewriteStoreFiles rewrites the closed store's data and key files, so no byte of what
// was purged or erased, and no destroyed data key, stays in their freed blocks.
func rewriteStoreFiles(ctx context.Context, db string) error {
	for _, p := range []string{db, keyStorePath(db)} {
		if err := duckstore.RewriteFile(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// purgeHandedOff drops from a shard's store the personal data of the runs it has
// handed off, keeping the dedupe ledger (docs/lake.md).
func purgeHandedOff(ctx context.Context, store *openedStore, log *slog.Logger) error {
	pr, err := store.PurgeHandedOff(ctx)
	if err != nil {
		return fmt.Errorf("dropping handed-off data from the shard's store: %w", err)
	}
	if pr.Subjects+pr.Profiles+pr.Restricted+pr.Files > 0 || pr.KeysDestroyed > 0 {
		log.Info("shard store purged", "through_run", pr.ThroughRun, "subjects", pr.Subjects, "profiles", pr.Profiles,
			"restricted", pr.Restricted, "keys_destroyed", pr.KeysDestroyed, "files", pr.Files)
	}
	return nil
}

// lakeImport runs `cvetl lake import`: the shards' handoffs into the store at --db.
func lakeImport(ctx context.Context, g globals, l *lake.Lake, memoryLimit string) (any, int) {
	store, err := openStore(ctx, g, true)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl lake import:", err)
		return nil, exitFailed
	}
	defer store.Close()
	rep, err := importLake(ctx, store, l, memoryLimit)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl lake import:", err)
		return nil, s3ExitCode(err)
	}
	return rep, exitOK
}

// importLake imports the shards' handoffs in a run of its own (kind lake_import), so
// the run ledger says when and how many files arrived.
func importLake(ctx context.Context, store *openedStore, l *lake.Lake, memoryLimit string) (handoff.ImportReport, error) {
	if err := store.PrepareBulkWrites(ctx, memoryLimit); err != nil {
		return handoff.ImportReport{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	runID, err := store.BeginRun(ctx, "lake_import")
	if err != nil {
		return handoff.ImportReport{}, fmt.Errorf("starting run: %w", err)
	}
	log := slog.Default().With("run", runID)
	rep, err := handoff.Import(ctx, store.Store, l, store.master, runID, time.Now())
	if ferr := store.FinishRun(context.WithoutCancel(ctx), runID, rep.Summary, err); ferr != nil {
		log.Error("recording run failed", "err", ferr)
	}
	if err != nil {
		return rep, err
	}
	log.Info("lake import finished", "objects", rep.Objects, "files_new", rep.Summary.FilesNew,
		"duplicate", rep.Summary.FilesDuplicate, "quarantined", rep.Summary.FilesQuarantined, "tags", rep.Tags)
	return rep, nil
}
