package duckstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestBoundWriterMemory(t *testing.T) {
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
		err := s.BoundWriterMemory(ctx, bad)
		if err == nil || !strings.Contains(err.Error(), "memory limit") {
			t.Errorf("BoundWriterMemory(%q) = %v, want an error naming the memory limit", bad, err)
		}
	}
	if got := setting("memory_limit"); got != before {
		t.Fatalf("a rejected limit changed memory_limit from %s to %s", before, got)
	}
	if err := s.BoundWriterMemory(ctx, "64MB"); err != nil {
		t.Fatal(err)
	}
	if got := setting("memory_limit"); got != "61.0 MiB" { // DuckDB reports 64,000,000 bytes in MiB
		t.Errorf("memory_limit = %s after 64MB (was %s)", got, before)
	}
	if got := setting("allocator_bulk_deallocation_flush_threshold"); got != "0 bytes" {
		t.Errorf("allocator_bulk_deallocation_flush_threshold = %s, want 0 bytes", got)
	}
	// Empty keeps DuckDB's limit but still returns freed buffers to the OS.
	if err := s.BoundWriterMemory(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got := setting("memory_limit"); got != "61.0 MiB" {
		t.Errorf("empty limit changed memory_limit to %s", got)
	}
}
