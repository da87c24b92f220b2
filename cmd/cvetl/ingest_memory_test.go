package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A tight DuckDB memory limit makes ingest evict what it has written; it must still
// store everything, and a limit that is not a size must stop the run before it starts.
func TestIngestMemoryLimit(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cvetl.duckdb")
	bad := cvetl(t, "--config", demoConfig, "--db", db, "--out", filepath.Join(dir, "out"), "ingest", "--memory-limit", "lots", inbox)
	if bad.code != exitPartial || !strings.Contains(bad.stderr, `memory limit "lots"`) {
		t.Fatalf("--memory-limit lots: exit %d, stderr %q", bad.code, bad.stderr)
	}
	tight := cvetl(t, "--config", demoConfig, "--db", db, "--out", filepath.Join(dir, "out"), "ingest", "--json", "--memory-limit", "16MB", inbox)
	if tight.code != 0 {
		t.Fatalf("ingest with a 16MB limit: exit %d: %s", tight.code, tight.stderr)
	}
	s := decodeSummary(t, tight)
	if s.FilesNew != s.FilesSeen-s.FilesDuplicate || s.Candidates < 40 {
		t.Errorf("ingest with a 16MB limit: %+v", s)
	}
	store := openDB(t, db)
	defer store.Close()
	var runs int
	if err := store.QueryRow(`SELECT count(*) FROM runs`).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	if runs != 1 {
		t.Errorf("%d runs recorded, want 1: the rejected limit must not start a run", runs)
	}
}
