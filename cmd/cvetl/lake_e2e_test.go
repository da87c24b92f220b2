package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

// These tests run the binary as a scheduler would: ingest with --lake, one shard or
// three, then `cvetl lake compact`, and read the lake with DuckDB.

// lakeRows is every row of a lake table in a local folder, sorted, as text. Subject
// ids are left out: each store numbers its own subjects, so shards' ids differ from
// one store's (the lake's keys, profile ids, are derived from content instead).
func lakeRows(t *testing.T, root, table string) string {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return queryText(t, db, fmt.Sprintf(`SELECT * EXCLUDE (subject_id) FROM read_parquet('%s', hive_partitioning = true) ORDER BY ALL`, lake.Glob(root, table)))
}

// withCopies copies a folder and adds the same content again under other keys, so
// some copies land in a different shard from their original.
func withCopies(t *testing.T, from string) string {
	t.Helper()
	dir := t.TempDir()
	var originals []string
	err := filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if len(data) > 0 && strings.HasSuffix(p, ".txt") {
			originals = append(originals, rel)
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, rel := range originals[:min(8, len(originals))] {
		data, _ := os.ReadFile(filepath.Join(dir, rel))
		dst := filepath.Join(dir, "zz-copies", fmt.Sprintf("copy-%d.txt", i))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type compactReport struct {
	Partitions int `json:"partitions"`
	Duplicates int `json:"duplicates"`
}

// TestLakeShardsEqualOneShard: three shards, each with its own store, write their own
// lake files; after `cvetl lake compact` the lake holds exactly the rows of a
// one-shard ingest — from a folder into a local lake, and from S3 into an S3 lake.
func TestLakeShardsEqualOneShard(t *testing.T) {
	for _, where := range []string{"local", "s3"} {
		t.Run(where, func(t *testing.T) {
			dir := t.TempDir()
			var env []string
			input := withCopies(t, synthInbox(t, 90))
			oneLake, shardLake := filepath.Join(dir, "lake-one"), filepath.Join(dir, "lake-shards")
			var srv *s3test.Server
			if where == "s3" {
				srv = s3test.StartVersioned(t)
				env = srv.Env()
				srv.Bucket(t, "cvs")
				srv.Bucket(t, "lake")
				srv.Versioned(t, "lake")
				srv.UploadDir(t, input, "cvs", "in/")
				input = "s3://cvs/in"
				oneLake, shardLake = "s3://lake/one", "s3://lake/shards"
			}
			if r := cvetlEnv(t, env, "--db", filepath.Join(dir, "one.duckdb"), "--out", dir, "ingest", input, "--lake", oneLake); r.code != 0 {
				t.Fatalf("one shard: exit %d: %s", r.code, r.stderr)
			}
			done := make(chan runResult, 3)
			for i := range 3 {
				go func() {
					done <- cvetlEnv(t, append(env, "JOB_COMPLETION_INDEX="+fmt.Sprint(i), "CVETL_SHARDS=3"),
						"--db", filepath.Join(dir, fmt.Sprintf("shard-%d.duckdb", i)), "--out", dir, "ingest", input, "--lake", shardLake)
				}()
			}
			for range 3 {
				if r := <-done; r.code != 0 {
					t.Fatalf("shard: exit %d: %s", r.code, r.stderr)
				}
			}
			r := cvetlEnv(t, env, "lake", "compact", "--lake", shardLake, "--json")
			if r.code != 0 {
				t.Fatalf("compact: exit %d: %s", r.code, r.stderr)
			}
			var rep compactReport
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("compact report %q: %v", r.stdout, err)
			}
			// Copies under other keys in other shards are what compaction must drop.
			if rep.Partitions != 2 || rep.Duplicates == 0 {
				t.Fatalf("compaction %+v: want profiles and sources merged, with duplicates dropped", rep)
			}
			oneRoot, shardRoot := oneLake, shardLake
			if where == "s3" {
				oneRoot, shardRoot = filepath.Join(dir, "fetched-one"), filepath.Join(dir, "fetched-shards")
				for _, f := range [][2]string{{oneLake, oneRoot}, {shardLake, shardRoot}} {
					if r := cvetlEnv(t, env, "lake", "fetch", "--lake", f[0], f[1]); r.code != 0 {
						t.Fatalf("fetch: exit %d: %s", r.code, r.stderr)
					}
				}
			}
			for _, table := range []string{"profiles", "sources"} {
				want, got := lakeRows(t, oneRoot, table), lakeRows(t, shardRoot, table)
				if want != got || strings.Count(want, "\n")+1 < 90 {
					t.Fatalf("%s: three compacted shards differ from one shard (%d vs %d rows):\n%s",
						table, strings.Count(want, "\n")+1, strings.Count(got, "\n")+1, firstDiff(want, got))
				}
			}
		})
	}
}

// TestLakeWriteFailsCleanlyAndResumes: the S3 server is down when the ingest has
// committed and goes to write the lake. The run must exit 2 naming the cause, and a
// re-run with the server back must write the lake — though nothing new was ingested —
// with every row once.
func TestLakeWriteFailsCleanlyAndResumes(t *testing.T) {
	srv := s3test.Start(t)
	srv.Bucket(t, "lake")
	dir := t.TempDir()
	input := synthInbox(t, 30)
	db := filepath.Join(dir, "s.duckdb")
	srv.Stop()
	r := cvetlEnv(t, srv.Env(), "--db", db, "--out", dir, "ingest", input, "--lake", "s3://lake/l")
	if r.code != exitFailed || !strings.Contains(r.stderr, "writing the lake") || !strings.Contains(r.stderr, "connection refused") {
		t.Fatalf("lake write with the server down: exit %d, want %d naming the cause:\n%s", r.code, exitFailed, r.stderr)
	}
	srv.Restart(t)
	r = cvetlEnv(t, srv.Env(), "--db", db, "--out", dir, "ingest", "--json", input, "--lake", "s3://lake/l")
	if s := decodeSummary(t, r); r.code != 0 || s.FilesNew != 0 {
		t.Fatalf("re-run: exit %d, %d new: %s", r.code, s.FilesNew, r.stderr)
	}
	fetched := filepath.Join(dir, "fetched")
	if r := cvetlEnv(t, srv.Env(), "lake", "fetch", "--lake", "s3://lake/l", fetched); r.code != 0 {
		t.Fatalf("fetch: %s", r.stderr)
	}
	local := filepath.Join(dir, "local-lake")
	if r := cvetl(t, "--db", db, "lake", "export", "--lake", local, "--tables", "profiles,sources"); r.code != 0 {
		t.Fatalf("export: %s", r.stderr)
	}
	for _, table := range []string{"profiles", "sources"} {
		if want, got := lakeRows(t, local, table), lakeRows(t, fetched, table); want != got || want == "" {
			t.Fatalf("%s in the resumed lake differs from the store:\n%s", table, firstDiff(want, got))
		}
	}
}

// TestLakeSurvivesS3ServerStopMidRun kills the S3 server (inputs and lake) while an
// ingest with --lake runs: exit 2, and after a restart a re-run leaves the lake with
// exactly the rows of an uninterrupted run, none twice.
func TestLakeSurvivesS3ServerStopMidRun(t *testing.T) {
	srv := s3test.Start(t)
	s3Inbox(t, srv, 1200)
	srv.Bucket(t, "lake")
	dir := t.TempDir()
	env := srv.Env()
	clean := []string{"--db", filepath.Join(dir, "clean.duckdb"), "--out", dir, "ingest", "s3://cvs/in", "--lake", "s3://lake/clean"}
	if r := cvetlEnv(t, env, clean...); r.code != 0 {
		t.Fatalf("clean run: %s", r.stderr)
	}
	faulted := []string{"--db", filepath.Join(dir, "faulted.duckdb"), "--out", dir, "ingest", "s3://cvs/in", "--lake", "s3://lake/faulted"}
	stopMidRun(t, srv, env, faulted)
	srv.Restart(t)
	if r := cvetlEnv(t, env, faulted...); r.code != 0 {
		t.Fatalf("re-run after restart: %s", r.stderr)
	}
	roots := map[string]string{}
	for _, name := range []string{"clean", "faulted"} {
		roots[name] = filepath.Join(dir, "fetched-"+name)
		if r := cvetlEnv(t, env, "lake", "fetch", "--lake", "s3://lake/"+name, roots[name]); r.code != 0 {
			t.Fatalf("fetch: %s", r.stderr)
		}
	}
	for _, table := range []string{"profiles", "sources"} {
		want, got := lakeRows(t, roots["clean"], table), lakeRows(t, roots["faulted"], table)
		if want != got || strings.Count(want, "\n")+1 < 1200 {
			t.Fatalf("%s after the fault and a re-run differs from a clean run (%d vs %d rows):\n%s",
				table, strings.Count(want, "\n")+1, strings.Count(got, "\n")+1, firstDiff(want, got))
		}
	}
}

// TestS3EncryptionHeadersAreSent checks that SSE settings reach every write: the
// archive's copies and the lake's uploads, from the environment (SSE-KMS with a key)
// and, for the lake, from the config file (SSE-S3). versitygw accepts these headers
// without applying or echoing them, so a recording proxy checks what cvetl sends.
func TestS3EncryptionHeadersAreSent(t *testing.T) {
	srv := s3test.Start(t)
	s3Inbox(t, srv, 20)
	srv.Bucket(t, "lake")
	rec := srv.Record(t)
	dir := t.TempDir()
	const kmsKey = "arn:aws:kms:eu-west-2:111122223333:key/cvetl-test"
	env := append(rec.Env(), "CVETL_S3_SSE=aws:kms", "CVETL_S3_SSE_KMS_KEY_ID="+kmsKey)
	r := cvetlEnv(t, env, "--db", filepath.Join(dir, "a.duckdb"), "--out", dir, "ingest", "s3://cvs/in", "--archive", "s3://archive/raw", "--lake", "s3://lake/kms")
	if r.code != 0 {
		t.Fatalf("ingest: %s", r.stderr)
	}
	check := func(prefix, alg, key string, atLeast int) {
		t.Helper()
		puts := rec.Requests("PUT", prefix)
		if len(puts) < atLeast {
			t.Fatalf("%d PUTs under %s, want at least %d", len(puts), prefix, atLeast)
		}
		for _, p := range puts {
			if got := p.Header.Get("X-Amz-Server-Side-Encryption"); got != alg {
				t.Fatalf("PUT %s?%s: SSE header %q, want %q", p.Path, p.Query, got, alg)
			}
			if got := p.Header.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"); got != key {
				t.Fatalf("PUT %s: KMS key header %q, want %q", p.Path, got, key)
			}
		}
	}
	check("/archive/raw/", "aws:kms", kmsKey, 20)
	check("/lake/kms/profiles/", "aws:kms", kmsKey, 1)

	cfg := filepath.Join(dir, "cvetl.yaml")
	if err := os.WriteFile(cfg, []byte("lake: {location: s3://lake/cfg, sse: AES256}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = cvetlEnv(t, rec.Env(), "--config", cfg, "--db", filepath.Join(dir, "b.duckdb"), "--out", dir, "ingest", "s3://cvs/in")
	if r.code != 0 {
		t.Fatalf("ingest with the lake from the config: %s", r.stderr)
	}
	check("/lake/cfg/", "AES256", "", 3) // profiles, sources, export state
}

func TestLakeCommandErrorsNameTheProblem(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.duckdb")
	if r := cvetl(t, "--db", db, "--out", dir, "ingest", synthInbox(t, 3)); r.code != 0 {
		t.Fatalf("ingest: %s", r.stderr)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"lake"}, "usage"},
		{"unknown subcommand", []string{"lake", "vacuum", "--lake", dir}, "usage"},
		{"no location", []string{"--db", db, "lake", "export"}, "no lake location"},
		{"unknown table", []string{"--db", db, "lake", "export", "--lake", dir, "--tables", "profiles,cvs"}, `"cvs": unknown`},
		{"bad writer name", []string{"--db", db, "lake", "export", "--lake", dir, "--name", "Shard 1"}, `"Shard 1"`},
		{"missing store", []string{"--db", filepath.Join(dir, "none.duckdb"), "lake", "export", "--lake", dir}, "none.duckdb"},
		{"missing lake folder", []string{"lake", "compact", "--lake", filepath.Join(dir, "typo")}, "typo"},
		{"bad S3 URL", []string{"lake", "compact", "--lake", "s3:///nobucket"}, "s3://bucket/prefix"},
		{"fetch without a folder", []string{"lake", "fetch", "--lake", dir}, "usage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cvetl(t, c.args...)
			if r.code != exitPartial || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, want %d naming %s: %s", r.code, exitPartial, c.want, r.stderr)
			}
		})
	}
}
