package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestRetagRefusesAShardStore: a shard that has handed off through the lake is not
// re-tagged, neither by `cvetl retag` (exit 2, saying where to run it) nor by the
// nightly's retag step (skipped, the night goes on): its tags would carry retag ids
// its next handoff cannot parse. Neither records a retag run in the shard's store.
func TestRetagRefusesAShardStore(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	db, out := filepath.Join(dir, "shard", "cvetl.duckdb"), filepath.Join(dir, "shard")
	base := []string{"--config", demoConfig, "--db", db, "--out", out}
	if r := cvetlEnv(t, env, append(base, "ingest", "--shard", "0/2", inbox, "--lake", filepath.Join(dir, "lake"), "--keep-shard-data")...); r.code != 0 {
		t.Fatalf("shard ingest: exit %d: %s", r.code, r.stderr)
	}

	r := cvetlEnv(t, env, append(base, "retag", "--all")...)
	if r.code != exitFailed || !strings.Contains(r.stderr, "authoritative store") {
		t.Fatalf("retag on a shard store: exit %d, want %d naming the authoritative store:\n%s", r.code, exitFailed, r.stderr)
	}
	r = cvetlEnv(t, env, append(base, "nightly", "--as-of", "2026-11-26", "--policy", "121-recruitment")...)
	if r.code != exitOK || !strings.Contains(r.stderr, "retag step skipped") {
		t.Fatalf("nightly on a shard store: exit %d, want %d with the retag step skipped:\n%s", r.code, exitOK, r.stderr)
	}
	if strings.Contains(r.stdout, "retag: detector") {
		t.Errorf("nightly on a shard store printed a retag summary:\n%s", r.stdout)
	}
	var retagRuns int
	conn, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.QueryRow(`SELECT count(*) FROM runs WHERE kind = 'retag'`).Scan(&retagRuns); err != nil {
		t.Fatal(err)
	}
	if retagRuns != 0 {
		t.Errorf("%d retag runs recorded on a shard store", retagRuns)
	}
}
