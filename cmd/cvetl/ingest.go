package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"time"

	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
)

func init() {
	register(command{name: "ingest", usage: "ingest [--channel CH] [--shard I/N] [--archive s3://B/P] [--lake DIR|s3://B/P] [--keep-shard-data] DIR|s3://B/P", summary: "ingest a folder of CVs and exports into the store", run: runIngest})
}

func runIngest(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	channel := fs.String("channel", "", "provenance channel for every input, overriding config (e.g. job_board:indeed)")
	shardFlag := fs.String("shard", "", "process only shard I of N (I/N), by input key hash")
	workers := fs.Int("workers", 0, "extraction workers (default: config, else one per CPU)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on one file after this long")
	asJSON := fs.Bool("json", false, "print the run summary as JSON")
	memory := fs.String("memory-limit", "512MB", "DuckDB memory limit while writing: caps its buffer pool; under about 128MB a commit can fail on a store of 100,000+ files (docs/benchmarks.md)")
	s3f := addS3Flags(fs)
	lakeFlag := fs.String("lake", os.Getenv("CVETL_LAKE"), "also write profiles and sources to this Parquet lake (folder or s3://bucket/prefix; default: config lake.location)")
	keepShardData := fs.Bool("keep-shard-data", false, "with --shard I/N (N > 1) and --lake: keep the personal data of handed-off runs in this shard's store (you then own erasure of the shard stores)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return exitPartial
	}
	if len(paths) != 1 {
		fmt.Fprintln(os.Stderr, "cvetl ingest: give exactly one folder to ingest")
		return exitPartial
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
		return exitPartial
	}
	if ctx, err = applyConfig(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
		return exitPartial
	}
	if *workers > 0 {
		cfg.Workers = *workers
	}
	channelFor := func(key string) profile.Channel { return profile.Channel(cfg.ChannelFor(key).Channel) }
	if *channel != "" {
		ch, err := profile.ParseChannel(*channel)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl ingest: --channel:", err)
			return exitPartial
		}
		channelFor = func(string) profile.Channel { return ch }
	}
	shard, err := shardFromEnv(*shardFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
		return exitPartial
	}
	if st, err := os.Stat(paths[0]); !isS3(paths[0]) && (err != nil || !st.IsDir()) {
		fmt.Fprintf(os.Stderr, "cvetl ingest: %s is not a readable folder\n", paths[0])
		return exitPartial
	}
	s3w, err := newS3Wiring(ctx, paths[0], s3f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
		return s3ExitCode(err)
	}
	lk, err := openLake(ctx, *lakeFlag, cfg.Lake)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
		return s3ExitCode(err)
	}

	store, err := openStore(ctx, g, true)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
		return exitFailed
	}
	defer store.Close()
	if err := store.PrepareBulkWrites(ctx, *memory); err != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
		return exitPartial
	}
	// A shard's store drops what it has handed off (docs/lake.md): first finish a purge
	// an earlier run left cut short, so the store is a dedupe ledger whatever happens next.
	purge := lk != nil && shard.Of > 1 && !*keepShardData
	if purge {
		if err := purgeHandedOff(ctx, store, slog.Default()); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
			return exitFailed
		}
	}
	runID, err := store.BeginRun(ctx, "ingest")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest: starting run:", err)
		return exitFailed
	}
	log := slog.Default().With("run", runID)
	log.Info("ingest started", "workers", cfg.WorkerCount(), "shard", fmt.Sprintf("%d/%d", shard.Index, max(shard.Of, 1)))
	runner := &pipeline.Runner{
		Source:       s3w.sourceFor(paths[0]),
		Sink:         s3w.wrap(store),
		Workers:      cfg.WorkerCount(),
		Limits:       cfg.ExtractorLimits(),
		Timeout:      *timeout,
		ChannelFor:   channelFor,
		InputContext: inputContext(cfg),
		Condition:    cfg.ConditionFor,
		BatchSize:    64,
		Shard:        shard,
		Progress:     pipeline.NewProgress(os.Stderr),
		Log:          log,
	}
	start := time.Now()
	sum, runErr := runner.Run(ctx, runID)
	if err := store.FinishRun(context.WithoutCancel(ctx), runID, sum, runErr); err != nil {
		log.Error("recording run failed", "err", err)
	}
	printSummary(stdout, runID, sum, time.Since(start), *asJSON)
	if runErr != nil {
		fmt.Fprintln(os.Stderr, "cvetl ingest: run failed:", runErr)
		return exitFailed
	}
	if lk != nil {
		if err := ingestToLake(ctx, store, lk, shard, purge, log); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl ingest: writing the lake:", err)
			return exitFailed
		}
	}
	if purge {
		// DuckDB leaves purged rows and destroyed keys in freed blocks: copy the live
		// data (the dedupe ledger) into fresh files.
		if err := closeAndRewrite(ctx, store, g.DB); err != nil {
			fmt.Fprintln(os.Stderr, "cvetl ingest:", err)
			return exitFailed
		}
		log.Info("shard store files rewritten")
	}
	log.Info("ingest finished", "files_new", sum.FilesNew, "quarantined", sum.FilesQuarantined)
	if sum.FilesUnreadable > 0 {
		fmt.Fprintf(os.Stderr, "cvetl ingest: %d inputs could not be read from the source; run again to retry them\n", sum.FilesUnreadable)
		return exitPartial
	}
	return exitOK
}

// shardFromEnv takes --shard, or the array index a Kubernetes Indexed Job or an AWS
// Batch array job sets, with CVETL_SHARDS as the count.
func shardFromEnv(flagValue string) (pipeline.Shard, error) {
	if flagValue != "" {
		return pipeline.ParseShard(flagValue)
	}
	for _, env := range []string{"JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"} {
		if idx := os.Getenv(env); idx != "" {
			n := os.Getenv("CVETL_SHARDS")
			if n == "" {
				return pipeline.Shard{}, fmt.Errorf("%s is set but CVETL_SHARDS (the shard count) is not", env)
			}
			return pipeline.ParseShard(idx + "/" + n)
		}
	}
	return pipeline.Shard{}, nil
}

func printSummary(w io.Writer, runID int64, s pipeline.Summary, took time.Duration, asJSON bool) {
	if asJSON {
		out := struct {
			RunID int64 `json:"run_id"`
			pipeline.Summary
			Seconds float64 `json:"seconds"`
		}{runID, s, took.Seconds()}
		_ = json.NewEncoder(w).Encode(out)
		return
	}
	fmt.Fprintf(w, "run %d: %d files seen, %d new, %d duplicate, %d quarantined, %d with skipped parts\n",
		runID, s.FilesSeen, s.FilesNew, s.FilesDuplicate, s.FilesQuarantined, s.FilesWithProblems)
	reasons := make([]string, 0, len(s.QuarantinedByReason))
	for r := range s.QuarantinedByReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(w, "  quarantined %-22s %d\n", r, s.QuarantinedByReason[r])
	}
	if s.FilesUnreadable > 0 {
		fmt.Fprintf(w, "  unreadable (retried next run) %d\n", s.FilesUnreadable)
	}
	fmt.Fprintf(w, "  candidates %d, vacancies %d, in %.1fs\n", s.Candidates, s.Vacancies, took.Seconds())
}

// applyConfig hands the extractors the configuration they need, and returns ctx
// carrying the special-category detector the config chose (rules alone by default).
func applyConfig(ctx context.Context, cfg config.Config) (context.Context, error) {
	detect, err := specialcat.DetectorFor(cfg.SpecialCategories.Learned)
	if err != nil {
		return ctx, fmt.Errorf("special_categories.learned: %w", err)
	}
	fingerprint, err := detectorFingerprint(cfg)
	if err != nil {
		return ctx, err
	}
	return pipeline.WithFingerprintedDetector(ctx, detect, fingerprint), extractors.SetCSVMappings(cfg.ExtractorCSVMappings())
}

// detectorFingerprint names the special-category detector cfg selects: what ingest
// records per file and what retag compares it with.
func detectorFingerprint(cfg config.Config) (string, error) {
	fp, err := specialcat.Fingerprint(cfg.SpecialCategories.Learned)
	if err != nil {
		return "", fmt.Errorf("special_categories.learned: %w", err)
	}
	return fp, nil
}

// inputContext forces the CSV mapping a source rule names for its inputs.
func inputContext(cfg config.Config) func(context.Context, string) context.Context {
	return func(ctx context.Context, key string) context.Context {
		if m := cfg.ChannelFor(key).CSVMapping; m != "" {
			return extractors.WithCSVMapping(ctx, m)
		}
		return ctx
	}
}
