package lake

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// fakeProfiles makes n fictional profile rows; ids from start.
func fakeProfiles(start, n int) []Row {
	rows := make([]Row, n)
	dob := time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		id := start + i
		rows[i] = Row{fmt.Sprintf("%016x/0", id), fmt.Sprintf("S%07d", id), fmt.Sprintf("%064x", id), nil, "pdf",
			fmt.Sprintf("Person %d", id), []string{fmt.Sprintf("p%d@example.com", id)}, []string{"+447700900123"},
			"LS1 4AP", "Leeds", nil, dob, []string{"Go", "SQL", "Care Planning"}, `[{"title":"Care Assistant"}]`, `[]`, []string{}}
	}
	return rows
}

// BenchmarkCompactPartition merges three shard files of 20,000 profiles, a tenth of
// them present in two files, into one.
func BenchmarkCompactPartition(b *testing.B) {
	ctx := context.Background()
	const per = 20000
	for range b.N {
		b.StopTimer()
		root := b.TempDir()
		l, err := Open(root, S3{})
		if err != nil {
			b.Fatal(err)
		}
		tmp := b.TempDir()
		for s := range 3 {
			rows := fakeProfiles(s*per-s*per/10, per) // overlaps the previous shard by a tenth
			if err := l.writePartition(ctx, Profiles, "2026-11-26", fmt.Sprintf("s%dof3", s), rows, tmp); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if _, err := Compact(ctx, l, []Table{Profiles}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(3*per*b.N)/b.Elapsed().Seconds(), "rows_in/s")
}

// BenchmarkWriteProfiles writes 50,000 profile rows to one Parquet file.
func BenchmarkWriteProfiles(b *testing.B) {
	rows := fakeProfiles(0, 50000)
	dir := b.TempDir()
	b.ResetTimer()
	for range b.N {
		if err := writeParquet(filepath.Join(dir, "p.parquet"), Profiles, rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "rows/s")
}
