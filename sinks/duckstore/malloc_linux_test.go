package duckstore

import (
	"context"
	"path/filepath"
	"testing"
)

// The purge of DuckDB's bundled jemalloc is what keeps ingest's C memory from growing;
// it silently stops working if go-duckdb stops linking jemalloc or renames its prefix.
func TestTrimMallocPurgesDuckDBAllocator(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "trim.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := trimMalloc(); err != nil {
		t.Fatal(err)
	}
}
