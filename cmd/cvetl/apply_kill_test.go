package main

import (
	"bufio"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestApplyKillAndRerun kills real apply processes with SIGKILL while they erase, runs
// apply again, and checks the store equals one from an uninterrupted apply.
func TestApplyKillAndRerun(t *testing.T) {
	base := t.TempDir()
	in := copyInbox(t, inbox, filepath.Join(base, "inbox"), map[string]string{"default": "2024-01-15"})
	db, out := filepath.Join(base, "cvetl.duckdb"), filepath.Join(base, "out")
	mustExit := func(want int, args ...string) runResult {
		t.Helper()
		r := cvetl(t, args...)
		if r.code != want {
			t.Fatalf("cvetl %s: exit %d\n%s\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return r
	}
	g := []string{"--db", db, "--out", out}
	mustExit(0, append(g, "--config", demoConfig, "ingest", in)...)
	mustExit(0, append(g, "nightly", "--as-of", "2026-11-26", "--policy", "it-thread")...)
	id := deletionManifest(t, mustExit(0, append(g, "manifest", "list", "--json")...).stdout)
	mustExit(0, append(g, "manifest", "approve", id, "--unflagged", "--reviewer", "Rev One")...)

	// Two copies of the same approved store: one applied in one go, one killed.
	stores := map[string]string{}
	for _, name := range []string{"clean", "crashed"} {
		dir := filepath.Join(t.TempDir(), name)
		copyStoreFiles(t, base, dir)
		stores[name] = filepath.Join(dir, "cvetl.duckdb")
	}
	r := mustExit(0, "--db", stores["clean"], "--out", filepath.Join(filepath.Dir(stores["clean"]), "out"), "apply")
	if !strings.Contains(r.stdout, "delete") {
		t.Fatalf("the clean apply deleted nobody:\n%s", r.stdout)
	}
	// Both stores read the one inbox: the clean apply cut rows out of the shared CSV
	// exports (and deleted other files), so the inbox goes back to what was ingested
	// before the crashed runs, and must end as the clean run left it.
	cleanInbox := dirBytes(t, filepath.Join(base, "inbox"))
	if err := os.RemoveAll(filepath.Join(base, "inbox")); err != nil {
		t.Fatal(err)
	}
	copyInbox(t, inbox, filepath.Join(base, "inbox"), map[string]string{"default": "2024-01-15"})
	crashedArgs := []string{"--db", stores["crashed"], "--out", filepath.Join(filepath.Dir(stores["crashed"]), "out"), "apply"}
	for _, after := range []time.Duration{0, 40 * time.Millisecond, 120 * time.Millisecond} {
		killAfterLog(t, "row applied", after, crashedArgs...)
	}
	partial := countRows(t, stores["crashed"], "applied")
	mustExit(0, crashedArgs...)
	if partial == 0 || partial >= countRows(t, stores["clean"], "applied") {
		t.Errorf("the kills left %d of %d rows applied: they did not interrupt a run half-way", partial, countRows(t, stores["clean"], "applied"))
	}
	if want, got := snapshot(t, stores["clean"]), snapshot(t, stores["crashed"]); want != got {
		t.Errorf("store after kill -9 and re-run differs from an uninterrupted apply:\n%s", firstDiff(want, got))
	}
	if got := dirBytes(t, filepath.Join(base, "inbox")); !maps.Equal(got, cleanInbox) {
		t.Errorf("raw files after kills and a re-run differ from an uninterrupted apply: %d files, want %d", len(got), len(cleanInbox))
	}
	for _, table := range []string{"applied", "erasures", "erased_files", "raw_rewrites", "archived.subjects", "events"} {
		if a, b := countRows(t, stores["clean"], table), countRows(t, stores["crashed"], table); a != b {
			t.Errorf("%s: %d rows after an uninterrupted apply, %d after kills and a re-run", table, a, b)
		}
	}
	mustExit(0, "--db", stores["crashed"], "audit", "verify")
}

// copyStoreFiles copies the store, its key store, master key and audit log.
func copyStoreFiles(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"cvetl.duckdb", "cvetl.duckdb.wal", "cvetl.keys.duckdb", "cvetl.keys.duckdb.wal", "cvetl.master.key", "cvetl.audit.jsonl"} {
		b, err := os.ReadFile(filepath.Join(from, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func countRows(t *testing.T, dbPath, table string) int {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// killAfterLog runs cvetl and SIGKILLs it the given time after it logs marker.
func killAfterLog(t *testing.T, marker string, after time.Duration, args ...string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "CI=true")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if strings.Contains(sc.Text(), marker) {
			break
		}
	}
	time.Sleep(after)
	cmd.Process.Signal(syscall.SIGKILL)
	go io.Copy(io.Discard, stderr)
	cmd.Wait()
}

// dirBytes reads every file under dir, by path relative to dir.
func dirBytes(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
