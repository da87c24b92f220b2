package duckstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrepareBulkWrites(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "bound.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	setting := func(name string) string {
		var v string
		if err := s.DB().QueryRowContext(ctx, `SELECT value FROM duckdb_settings() WHERE name = ?`, name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := setting("memory_limit")
	for _, bad := range []string{"lots", "64", "64MB; DROP TABLE files", "-1GB"} {
		err := s.PrepareBulkWrites(ctx, bad)
		if err == nil || !strings.Contains(err.Error(), "memory limit") {
			t.Errorf("PrepareBulkWrites(%q) = %v, want an error naming the memory limit", bad, err)
		}
	}
	if got := setting("memory_limit"); got != before {
		t.Fatalf("a rejected limit changed memory_limit from %s to %s", before, got)
	}
	if err := s.PrepareBulkWrites(ctx, "64MB"); err != nil {
		t.Fatal(err)
	}
	if got := setting("memory_limit"); got != "61.0 MiB" { // DuckDB reports 64,000,000 bytes in MiB
		t.Errorf("memory_limit = %s after 64MB (was %s)", got, before)
	}
	if got := setting("allocator_bulk_deallocation_flush_threshold"); got != "0 bytes" {
		t.Errorf("allocator_bulk_deallocation_flush_threshold = %s, want 0 bytes", got)
	}
	// Checkpoints wait for 256 MB of log (256e6 bytes), not DuckDB's 16 MB.
	if got := setting("checkpoint_threshold"); got != "244.1 MiB" {
		t.Errorf("checkpoint_threshold = %s, want 244.1 MiB", got)
	}
	// Empty keeps DuckDB's limit but still returns freed buffers to the OS.
	if err := s.PrepareBulkWrites(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got := setting("memory_limit"); got != "61.0 MiB" {
		t.Errorf("empty limit changed memory_limit to %s", got)
	}
}
