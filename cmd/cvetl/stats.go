package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cvetl/cvetl/sinks/duckstore"
	"github.com/cvetl/cvetl/stats"
)

func init() {
	register(command{name: "stats", usage: "stats export|report [--as-of D] [--k N] [--format duckdb|parquet]",
		summary: "anonymised aggregates for analysts: a separate release file or an HTML report", run: runStats})
}

const statsUsage = `usage: cvetl stats export [--format duckdb|parquet] [--as-of YYYY-MM-DD] [--k N] [--out FILE.duckdb|DIR]
       cvetl stats report [--as-of YYYY-MM-DD] [--k N] [--out FILE.html|DIR]`

// runStats exits 0 when the release was written, 1 on a usage error, 2 when the store
// cannot be read, the release cannot be written or the leak scan finds personal data.
func runStats(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 || (args[0] != "export" && args[0] != "report") {
		fmt.Fprintln(os.Stderr, statsUsage)
		return exitPartial
	}
	sub := args[0]
	fs := flag.NewFlagSet("stats "+sub, flag.ContinueOnError)
	asOfS := fs.String("as-of", "", "count data up to this day (YYYY-MM-DD, default today UTC)")
	k := fs.Int("k", 0, "least distinct subjects per released figure (default: config stats.k, else 10; at least 5)")
	format := fs.String("format", stats.FormatDuckDB, "export format: duckdb (one file) or parquet (a folder)")
	if rest, err := parseInterleaved(fs, args[1:]); err != nil || len(rest) > 0 {
		fmt.Fprintln(os.Stderr, statsUsage)
		return exitPartial
	}
	asOf, err := asOfFlag(*asOfS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl stats:", err)
		return exitPartial
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl stats:", err)
		return exitPartial
	}
	if *k == 0 {
		*k = cfg.StatsK()
	}
	if err := stats.CheckK(*k); err != nil {
		fmt.Fprintln(os.Stderr, "cvetl stats: --k:", err)
		return exitPartial
	}
	out, err := statsOutPath(g, sub, *format)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl stats:", err)
		return exitPartial
	}
	if _, err := os.Stat(g.DB); err != nil {
		fmt.Fprintf(os.Stderr, "cvetl stats: store %s: %v\n", g.DB, err)
		return exitFailed
	}
	// With its key store, like every command: monitoring answers are counted by value,
	// and their evidence is opened in memory only.
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl stats:", err)
		return exitFailed
	}
	defer store.Close()
	rel, err := stats.BuildWith(ctx, store.DB(), store.Store, asOf, *k)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl stats:", err)
		return exitFailed
	}
	if sub == "report" {
		err = writeReport(rel, out)
	} else {
		err = exportRelease(ctx, store.Store, rel, *format, out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl stats:", err)
		return exitFailed
	}
	cells, withheld := 0, 0
	for _, t := range rel.Tables {
		cells += (t.R() + 1) * (t.C() + 1)
		withheld += t.SuppressedCells()
	}
	fmt.Fprintf(stdout, "stats %s as of %s, k=%d: %d tables, %d figures, %d withheld\n  %s\n",
		sub, asOf.Format("2006-01-02"), *k, len(rel.Tables), cells, withheld, out)
	if len(rel.Skipped) > 0 {
		fmt.Fprintf(stdout, "  not released (the store lacks their tables, or another table replaces them; see docs/stats.md): %s\n", strings.Join(rel.Skipped, ", "))
	}
	return exitOK
}

// statsOutPath reads --out as the file to write, or as the folder to write the
// default name into. The release must never land on the store or its key store.
func statsOutPath(g globals, sub, format string) (string, error) {
	out := g.Out
	switch {
	case sub == "report" && !strings.HasSuffix(out, ".html"):
		out = filepath.Join(out, "report.html")
	case sub == "export" && format == stats.FormatDuckDB && !strings.HasSuffix(out, ".duckdb"):
		out = filepath.Join(out, "analyst.duckdb")
	case sub == "export" && format == stats.FormatParquet && strings.HasSuffix(out, ".duckdb"):
		return "", fmt.Errorf("--format parquet writes a folder; --out %s names a .duckdb file", out)
	case sub == "export" && format != stats.FormatDuckDB && format != stats.FormatParquet:
		return "", fmt.Errorf("--format %q: want duckdb or parquet", format)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	for _, p := range []string{g.DB, keyStorePath(g.DB)} {
		if pa, _ := filepath.Abs(p); pa == abs {
			return "", errors.New("--out names the store itself; the analyst release must be a separate file")
		}
	}
	return out, nil
}

// exportRelease writes the release, then scans every column of what it wrote for the
// store's identifiers and free text, and deletes it if anything is found.
func exportRelease(ctx context.Context, store *duckstore.Store, rel *stats.Release, format, out string) error {
	written := []string{out}
	var err error
	if format == stats.FormatParquet {
		written, err = rel.WriteParquet(ctx, out)
	} else {
		err = rel.WriteDuckDB(ctx, out)
	}
	if err != nil {
		return err
	}
	leaks, err := stats.ScanReleaseWith(ctx, store.DB(), store, out)
	if err != nil {
		return err
	}
	if len(leaks) > 0 {
		for _, f := range written {
			os.Remove(f)
		}
		return fmt.Errorf("release withdrawn: %s (and %d more)", leaks[0], len(leaks)-1)
	}
	return nil
}

func writeReport(rel *stats.Release, out string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := rel.WriteReport(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, out)
}
