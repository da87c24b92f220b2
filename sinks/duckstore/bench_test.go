package duckstore

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/internal/samplegen"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
)

// BenchmarkIngest measures the whole spine — read, hash, extract, parse, identity,
// DuckDB commit — on 500 synthetic mixed PDF/DOCX/TXT CVs per iteration.
// go test -run='^$' -bench=BenchmarkIngest -benchtime=3x ./sinks/duckstore/
func BenchmarkIngest(b *testing.B) {
	const n = 500
	in := b.TempDir()
	if err := samplegen.Synthetic(n, 1, in, ""); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := openBench(b)
		b.StartTimer()
		r := &pipeline.Runner{
			Source: pipeline.DirSource{Root: in}, Sink: s, Workers: runtime.NumCPU(),
			Limits: extractors.DefaultLimits, Timeout: 30 * time.Second, BatchSize: 64,
			ChannelFor: func(string) profile.Channel { return "direct" },
			Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		}
		sum, err := r.Run(context.Background(), 1)
		if err != nil || sum.FilesNew != n {
			b.Fatalf("run: %v, %+v", err, sum)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "files/s")
}

func openBench(b *testing.B) *Store {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.duckdb"), Options{Keys: benchKeys(b)})
	if err != nil {
		b.Fatal(err)
	}
	return s
}
