package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A shard's store hands its data off to the authoritative store through the lake and
// then keeps only its dedupe ledger (docs/lake.md): these tests look, without cvetl's
// code, for the demo corpus's people in every table of the shard stores.

// corpusNeedles reads, from a store that ingested the inputs directly, what must not
// survive in a shard's store: every e-mail, phone, name and file location.
func corpusNeedles(t *testing.T, dbPath string) []string {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	rows, err := db.Query(`SELECT DISTINCT v FROM (
	        SELECT unnest(emails) AS v FROM profiles UNION ALL SELECT unnest(phones) FROM profiles
	        UNION ALL SELECT name FROM profiles UNION ALL SELECT location FROM files)
	    WHERE v IS NOT NULL AND length(v) > 3 ORDER BY v`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		rows.Scan(&v)
		out = append(out, v)
	}
	return out
}

// residue names the tables of a store whose text holds any needle, with counts; the
// needle itself is not printed (test logs are logs too).
func residue(t *testing.T, dbPath string, needles []string) []string {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	tables := storeTables(t, db)
	var out []string
	for _, tbl := range tables {
		for i, n := range needles {
			var c int
			if err := db.QueryRow(`SELECT count(*) FROM `+tbl+` t WHERE lower(CAST(t AS VARCHAR)) LIKE '%' || lower(?) || '%'`, n).Scan(&c); err != nil {
				t.Fatal(err)
			}
			if c > 0 {
				out = append(out, fmt.Sprintf("%s: %d rows hold needle #%d (%d chars)", tbl, c, i, len(n)))
			}
		}
	}
	return out
}

// fileResidue counts the needles found in the bytes of a store's data and key files
// (DuckDB leaves deleted rows in freed blocks unless the file is rewritten).
func fileResidue(t *testing.T, dbPath string, needles [][]byte) int {
	t.Helper()
	n := 0
	for _, p := range []string{dbPath, keyStorePath(dbPath), dbPath + ".wal", keyStorePath(dbPath) + ".wal"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) && strings.HasSuffix(p, ".wal") {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, needle := range needles {
			if bytes.Contains(b, needle) {
				n++
			}
		}
	}
	return n
}

func asBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// wrappedKeys reads a key store's wrapped data keys, as they are before a purge.
func wrappedKeys(t *testing.T, dbPath string) [][]byte {
	t.Helper()
	db := openDB(t, keyStorePath(dbPath))
	defer db.Close()
	rows, err := db.Query(`SELECT wrapped FROM data_keys WHERE wrapped IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var w []byte
		rows.Scan(&w)
		out = append(out, w)
	}
	return out
}

// liveKeys counts a store's data keys that are not destroyed, and all of them.
func liveKeys(t *testing.T, dbPath string) (live, all int) {
	t.Helper()
	db := openDB(t, keyStorePath(dbPath))
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE wrapped IS NOT NULL), count(*) FROM data_keys`).Scan(&live, &all); err != nil {
		t.Fatal(err)
	}
	return live, all
}

func personalRows(t *testing.T, dbPath string) int {
	t.Helper()
	n := 0
	for _, tbl := range []string{"profiles", "sources", "subjects", "subject_keys", "restricted"} {
		n += countRows(t, dbPath, tbl)
	}
	return n
}

// TestShardStoresKeepNoPersonalDataAfterHandoff: the demo inbox as three shards with
// --lake. Afterwards no shard store holds an e-mail, phone, name, file location or
// piece of evidence of the corpus in any table, every data key is destroyed, a second
// round ingests nothing new, and an import then still gives the authoritative store
// every file and tag: the same-day re-export kept the purged rows in the lake.
func TestShardStoresKeepNoPersonalDataAfterHandoff(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	lk := filepath.Join(dir, "lake")
	direct := filepath.Join(dir, "direct", "cvetl.duckdb")
	if r := cvetlEnv(t, env, "--config", demoConfig, "--db", direct, "--out", filepath.Join(dir, "direct"), "ingest", inbox); r.code != 0 {
		t.Fatalf("direct ingest: exit %d: %s", r.code, r.stderr)
	}
	needles := corpusNeedles(t, direct)
	evidence := storeEvidence(t, direct, env)
	if len(needles) < 20 || len(evidence) < 3 {
		t.Fatalf("%d identifiers and %d evidence strings in the demo inbox: the test would prove nothing", len(needles), len(evidence))
	}
	for _, ev := range evidence {
		needles = append(needles, ev.evidence)
	}
	shard := func(i int) string { return filepath.Join(dir, fmt.Sprintf("shard-%d", i), "cvetl.duckdb") }
	ingestShard := func(i int) summary {
		t.Helper()
		r := cvetlEnv(t, env, "--config", demoConfig, "--db", shard(i), "--out", filepath.Dir(shard(i)),
			"ingest", "--json", "--shard", fmt.Sprintf("%d/3", i), inbox, "--lake", lk)
		if r.code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, r.code, r.stderr)
		}
		return decodeSummary(t, r)
	}
	keysMade, ledger := 0, 0
	for i := range 3 {
		if s := ingestShard(i); s.FilesNew == 0 {
			t.Fatalf("shard %d ingested nothing", i)
		}
		if res := residue(t, shard(i), needles); len(res) > 0 {
			t.Errorf("shard %d store after its handoff:\n%s", i, strings.Join(res, "\n"))
		}
		if n := personalRows(t, shard(i)); n != 0 {
			t.Errorf("shard %d: %d profile, source, subject, identity or restricted rows left", i, n)
		}
		if n := fileResidue(t, shard(i), asBytes(needles)); n != 0 {
			t.Errorf("shard %d: %d identifiers or evidence strings still in the bytes of its store files", i, n)
		}
		live, all := liveKeys(t, shard(i))
		if live != 0 {
			t.Errorf("shard %d: %d of %d data keys not destroyed", i, live, all)
		}
		keysMade += all
		ledger += countRows(t, shard(i), "files")
	}
	if keysMade == 0 {
		t.Fatal("no shard made a data key: the demo evidence went nowhere")
	}
	var directFiles int
	db := openDB(t, direct)
	db.QueryRow(`SELECT count(*) FROM files`).Scan(&directFiles)
	db.Close()
	if ledger != directFiles {
		t.Errorf("the shards' dedupe ledgers hold %d files, want %d", ledger, directFiles)
	}

	// Same day, same inputs: nothing new, and the lake keeps what the stores dropped.
	for i := range 3 {
		if s := ingestShard(i); s.FilesNew != 0 || s.FilesDuplicate != s.FilesSeen {
			t.Errorf("shard %d second round: %+v, want every file a duplicate", i, s)
		}
	}
	auth := filepath.Join(dir, "auth", "cvetl.duckdb")
	rep := runLakeImport(t, env, auth, filepath.Join(dir, "auth"), lk)
	if rep.Objects != 3 || rep.Summary.FilesNew != directFiles || rep.Tags != len(evidence) {
		t.Fatalf("import after the purge: %+v, want 3 objects, %d files, %d tags", rep, directFiles, len(evidence))
	}
	want, got := storeView(t, direct, env), storeView(t, auth, env)
	for _, aspect := range []string{"profiles", "sources", "restricted"} {
		if want[aspect] != got[aspect] {
			t.Errorf("%s: the store imported after the shards purged differs from a direct ingest:\n%s", aspect, firstDiff(want[aspect], got[aspect]))
		}
	}
}

// TestShardPurgeIsFinishedAfterAKill: a shard killed right after its handoff was
// written, and one that kept its data (--keep-shard-data: the state a kill between
// handoff and purge leaves), are purged by the next run, which ingests nothing new.
func TestShardPurgeIsFinishedAfterAKill(t *testing.T) {
	dir := t.TempDir()
	lk := filepath.Join(dir, "lake")
	args := func(name string, extra ...string) []string {
		d := filepath.Join(dir, name)
		return append([]string{"--config", demoConfig, "--db", filepath.Join(d, "cvetl.duckdb"), "--out", d,
			"ingest", "--json", "--shard", "1/2", inbox, "--lake", filepath.Join(lk, name)}, extra...)
	}
	killAfterLog(t, "lake handoff written", 0, args("killed")...)
	if r := cvetl(t, args("kept", "--keep-shard-data")...); r.code != 0 {
		t.Fatalf("ingest --keep-shard-data: exit %d: %s", r.code, r.stderr)
	}
	kept := filepath.Join(dir, "kept", "cvetl.duckdb")
	if n := countRows(t, kept, "lake_handoffs"); n != 1 || personalRows(t, kept) == 0 {
		t.Fatalf("--keep-shard-data: %d handoffs, %d personal rows; want the handoff written and the rows kept", n, personalRows(t, kept))
	}
	if live, _ := liveKeys(t, kept); live == 0 {
		t.Fatal("--keep-shard-data destroyed the data keys")
	}
	wrapped := wrappedKeys(t, kept)
	for _, name := range []string{"killed", "kept"} {
		db := filepath.Join(dir, name, "cvetl.duckdb")
		if countRows(t, db, "lake_handoffs") != 1 {
			t.Fatalf("%s: the first run did not record its handoff", name)
		}
		r := cvetl(t, args(name)...)
		if s := decodeSummary(t, r); r.code != 0 || s.FilesNew != 0 || s.FilesSeen == 0 {
			t.Fatalf("%s: re-run exit %d, %+v: want every file known", name, r.code, s)
		}
		if n := personalRows(t, db); n != 0 {
			t.Errorf("%s: %d personal rows left after the next run", name, n)
		}
		if live, all := liveKeys(t, db); live != 0 || all == 0 {
			t.Errorf("%s: %d of %d data keys not destroyed", name, live, all)
		}
		if name == "kept" {
			if n := fileResidue(t, db, wrapped); n != 0 {
				t.Errorf("%d of %d destroyed wrapped keys still in the bytes of the store files", n, len(wrapped))
			}
		}
		var located int
		d := openDB(t, db)
		d.QueryRow(`SELECT count(*) FROM files WHERE location <> 'handed-off'`).Scan(&located)
		d.Close()
		if located != 0 {
			t.Errorf("%s: %d files keep their location", name, located)
		}
	}
}

// TestShardKeepsWhatItCouldNotHandOff: the handoff cannot be stored, so the run fails
// and its data stays in the shard's store; the next run hands it off with its own and
// only then drops it, and the import receives every file.
func TestShardKeepsWhatItCouldNotHandOff(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	lk := filepath.Join(dir, "lake")
	db, out := filepath.Join(dir, "shard", "cvetl.duckdb"), filepath.Join(dir, "shard")
	if err := os.MkdirAll(lk, 0o755); err != nil {
		t.Fatal(err)
	}
	// A file where the handoff folder goes: the lake export works, the handoff fails.
	blocker := filepath.Join(lk, "_restricted")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	ingest := []string{"--config", demoConfig, "--db", db, "--out", out, "ingest", "--json", "--shard", "0/2", inbox, "--lake", lk}
	if r := cvetlEnv(t, env, ingest...); r.code == 0 || !strings.Contains(r.stderr, "handing off") {
		t.Fatalf("ingest with an unwritable handoff: exit %d: %s", r.code, r.stderr)
	}
	if countRows(t, db, "lake_handoffs") != 0 || personalRows(t, db) == 0 {
		t.Fatal("the shard dropped data it never handed off")
	}
	if live, _ := liveKeys(t, db); live == 0 {
		t.Fatal("the shard destroyed keys of evidence it never handed off")
	}
	files := countRows(t, db, "files")
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	r := cvetlEnv(t, env, ingest...)
	if s := decodeSummary(t, r); r.code != 0 || s.FilesNew != 0 {
		t.Fatalf("re-run: exit %d, %+v: %s", r.code, s, r.stderr)
	}
	if n := personalRows(t, db); n != 0 {
		t.Errorf("%d personal rows left after the handoff succeeded", n)
	}
	auth := filepath.Join(dir, "auth", "cvetl.duckdb")
	rep := runLakeImport(t, env, auth, filepath.Join(dir, "auth"), lk)
	if rep.Objects != 1 || rep.Summary.FilesNew != files {
		t.Fatalf("import: %+v, want the one handoff with all %d files", rep, files)
	}
}
