package matching

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// BenchmarkRun matches a store made by matching/internal/matchgen, named by
// MATCH_BENCH_DB (a copy is used); scripts/bench-match.sh is the full-size benchmark.
func BenchmarkRun(b *testing.B) {
	src := os.Getenv("MATCH_BENCH_DB")
	if src == "" {
		b.Skip("set MATCH_BENCH_DB to a store made by matching/internal/matchgen")
	}
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "bench.duckdb")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		st, err := duckstore.Open(context.Background(), path, duckstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := Run(context.Background(), st.DB(), Options{Config: config.DefaultMatching(), OutDir: b.TempDir(),
			AsOf: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), Policy: "bench", RunID: 1,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Rows), "rows")
		st.Close()
	}
}
