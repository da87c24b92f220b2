package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// erasedPerson is what a test knows of a subject before erasing them, to search for
// afterwards without trusting cvetl's own verification.
type erasedPerson struct {
	subjectID string
	needles   []string // e-mails, phones as stored
	rawFiles  []string
}

// TestApproveApplyAndVerifyErasure is the reviewer workflow end to end on the demo
// corpus: nightly proposes, a reviewer approves, apply erases, and an independent
// search finds nothing of the erased people in the store, the output files or the raw
// inputs; the audit log verifies and detects a one-byte change.
func TestApproveApplyAndVerifyErasure(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "s.duckdb"), filepath.Join(dir, "out")
	in := copyInbox(t, inbox, filepath.Join(dir, "inbox"), map[string]string{"default": "2024-01-15"})
	g := []string{"--db", db, "--out", out}
	run := func(want int, args ...string) runResult {
		t.Helper()
		r := cvetl(t, append(append([]string{}, g...), args...)...)
		if r.code != want {
			t.Fatalf("cvetl %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
		}
		return r
	}
	run(0, "--config", demoConfig, "ingest", in)
	run(1, "events", "import", "../../testdata/events.jsonl") // two lines are wrong on purpose
	run(0, "nightly", "--as-of", "2026-11-26", "--policy", "it-thread")

	id := deletionManifest(t, run(0, "manifest", "list", "--json").stdout)
	var shown struct {
		Rows []struct {
			RowID, SubjectID, Status string
			ReviewRequired           bool
			Fields                   []struct{ Name, Value any }
		}
	}
	if err := json.Unmarshal([]byte(run(0, "manifest", "show", id, "--json").stdout), &shown); err != nil {
		t.Fatal(err)
	}
	var flagged, deleted []string
	for _, r := range shown.Rows {
		if r.ReviewRequired {
			flagged = append(flagged, r.RowID)
		}
		for _, f := range r.Fields {
			if f.Name == "action" && (f.Value == "delete" || f.Value == "anonymise") {
				deleted = append(deleted, r.SubjectID)
			}
		}
	}
	if len(flagged) == 0 || len(deleted) < 2 {
		t.Fatalf("the demo manifest should have flagged rows and deletions: flagged %v, deleted %v", flagged, deleted)
	}
	people := peopleBefore(t, db, deleted)
	erasedFiles := fileHashes(t, db, deleted)

	// Nothing is applied before a reviewer approves; bulk approval skips flagged rows.
	if r := run(0, "apply"); !strings.Contains(r.stdout, "0 rows already applied") || strings.Contains(r.stdout, "delete ") {
		t.Fatalf("apply before any approval did something:\n%s", r.stdout)
	}
	run(0, "manifest", "approve", id, "--unflagged", "--reviewer", "Rev One")
	if r := run(0, "manifest", "show", id, "--flagged", "--status", "approved"); strings.Contains(r.stdout, "[approved]") {
		t.Fatalf("bulk approval approved a flagged row:\n%s", r.stdout)
	}
	run(0, append([]string{"manifest", "approve", id}, append(flagged, "--reviewer", "Rev One", "--note", "checked with the team")...)...)

	dry := run(0, "apply", "--dry-run")
	before := snapshot(t, db)
	if !strings.Contains(dry.stdout, "would apply") || snapshot(t, db) != before {
		t.Fatalf("dry run changed the store or said nothing:\n%s", dry.stdout)
	}
	wrapped := wrappedKeysOf(t, db, deleted)
	applied := run(0, "apply")
	if !strings.Contains(applied.stdout, "0 residue") {
		t.Fatalf("apply did not report a clean verification:\n%s", applied.stdout)
	}
	assertGone(t, db, out, people)
	assertNotOnDisk(t, db, people, wrapped)

	// Idempotent: a second run does nothing and changes nothing.
	after := snapshot(t, db)
	again := run(0, "apply")
	if !strings.Contains(again.stdout, "rows already applied") || snapshot(t, db) != after {
		t.Fatalf("second apply changed the store:\n%s", again.stdout)
	}
	// Nothing erased: the files are not rewritten; a rewrite left pending by a failed or
	// killed run is finished by the next one.
	fileBefore, _ := os.Stat(db)
	run(0, "apply")
	if fileNow, _ := os.Stat(db); !os.SameFile(fileBefore, fileNow) {
		t.Error("apply rewrote the store with nothing erased")
	}
	if err := os.WriteFile(db+".rewrite-pending", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	run(0, "apply")
	if fileNow, _ := os.Stat(db); os.SameFile(fileBefore, fileNow) {
		t.Error("a pending rewrite was not finished")
	}
	if _, err := os.Stat(db + ".rewrite-pending"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the pending-rewrite marker is still there: %v", err)
	}
	if snapshot(t, db) != after {
		t.Error("the rewrite changed the store's content")
	}
	for _, p := range people {
		run(0, "verify-erasure", p.subjectID)
	}

	// The same bytes arriving again are not ingested again.
	for _, p := range people {
		for _, f := range p.rawFiles {
			rel, _ := filepath.Rel(in, f)
			b, err := os.ReadFile(filepath.Join(inbox, rel))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if s := decodeSummary(t, run(0, "--config", demoConfig, "ingest", "--json", in)); s.FilesNew != 0 {
		t.Fatalf("an erased file was ingested again: %+v", s)
	}

	// Residue planted in an output file is found, and reported without the identifier.
	planted := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(planted, []byte("call "+people[0].needles[0]+" back\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(2, "verify-erasure", people[0].subjectID)
	if !strings.Contains(r.stdout, "notes.txt") || strings.Contains(r.stdout+r.stderr, people[0].needles[0]) {
		t.Fatalf("planted residue: %s %s", r.stdout, r.stderr)
	}
	os.Remove(planted)
	// So is a quarantine copy of an erased file put back (its bytes need not name anyone).
	putBack := filepath.Join(out, "quarantine", erasedFiles[0])
	if err := os.WriteFile(putBack, []byte("%PDF-1.4 broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(2, "verify-erasure", people[0].subjectID); !strings.Contains(r.stdout, "quarantine copy "+erasedFiles[0][:12]) {
		t.Fatalf("a quarantine copy put back was not found: %s", r.stdout)
	}
	os.Remove(putBack)

	// The audit log verifies, names no one, and any one-byte change is detected.
	run(0, "audit", "verify")
	logPath := strings.TrimSuffix(db, ".duckdb") + ".audit.jsonl"
	logBytes, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		for _, n := range append(p.needles, `"`+p.subjectID+`"`) {
			if bytes.Contains(logBytes, []byte(n)) {
				t.Fatalf("the audit log holds an identifier of %s", p.subjectID)
			}
		}
	}
	changed := bytes.Clone(logBytes)
	changed[len(changed)/2] ^= 0x20
	if err := os.WriteFile(logPath, changed, 0o600); err != nil {
		t.Fatal(err)
	}
	run(2, "audit", "verify")
}

func peopleBefore(t *testing.T, dbPath string, subjects []string) []erasedPerson {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	var out []erasedPerson
	for _, s := range subjects {
		p := erasedPerson{subjectID: s}
		rows, err := db.Query(`SELECT e FROM (SELECT unnest(emails) AS e FROM profiles WHERE subject_id = $1
		    UNION SELECT unnest(phones) FROM profiles WHERE subject_id = $1) WHERE e IS NOT NULL`, s)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			rows.Scan(&v)
			p.needles = append(p.needles, v)
		}
		rows.Close()
		rows, err = db.Query(`SELECT DISTINCT location FROM sources WHERE subject_id = ?`, s)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			rows.Scan(&v)
			p.rawFiles = append(p.rawFiles, v)
		}
		rows.Close()
		if len(p.needles) == 0 || len(p.rawFiles) == 0 {
			t.Fatalf("subject %s has no e-mail, phone or file to look for", s)
		}
		out = append(out, p)
	}
	return out
}

// wrappedKeysOf returns the wrapped data keys the subjects' evidence is sealed under.
func wrappedKeysOf(t *testing.T, dbPath string, subjects []string) [][]byte {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	keysPath := strings.ReplaceAll(keyStorePath(dbPath), "'", "''")
	if _, err := db.Exec(`ATTACH '` + keysPath + `' AS k (READ_ONLY)`); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT DISTINCT d.wrapped FROM restricted r JOIN k.data_keys d ON d.key_id = r.key_id
	    WHERE r.subject_id IN (SELECT unnest(string_split(?, ','))) AND d.wrapped IS NOT NULL`, strings.Join(subjects, ","))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// assertNotOnDisk reads the store and key files as bytes: DuckDB keeps deleted rows in
// freed blocks until it reuses them, so a table scan alone does not show an erasure
// left the disk.
func assertNotOnDisk(t *testing.T, dbPath string, people []erasedPerson, wrapped [][]byte) {
	t.Helper()
	for _, path := range []string{dbPath, keyStorePath(dbPath)} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range people {
			for _, n := range p.needles {
				if bytes.Contains(b, []byte(n)) {
					t.Errorf("%s still holds an identifier of erased subject %s in its bytes", filepath.Base(path), p.subjectID)
				}
			}
		}
		for _, w := range wrapped {
			if bytes.Contains(b, w) {
				t.Errorf("%s still holds a destroyed data key in its bytes", filepath.Base(path))
			}
		}
	}
}

// assertGone searches, without cvetl's code, every table, every output file and the
// raw inputs for the erased people.
func assertGone(t *testing.T, dbPath, out string, people []erasedPerson) {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	tables := storeTables(t, db)
	for _, p := range people {
		for _, n := range p.needles {
			for _, tbl := range tables {
				var c int
				if err := db.QueryRow(`SELECT count(*) FROM `+tbl+` t WHERE lower(CAST(t AS VARCHAR)) LIKE '%' || lower(?) || '%'`, n).Scan(&c); err != nil {
					t.Fatal(err)
				}
				if c > 0 {
					t.Errorf("%s: an identifier of %s is still in %d rows", tbl, p.subjectID, c)
				}
			}
		}
		for _, f := range p.rawFiles {
			// A shared applicant export stays, without the person's rows.
			if b, err := os.ReadFile(f); err == nil {
				compact := strings.ToLower(strings.ReplaceAll(string(b), " ", ""))
				for _, n := range p.needles {
					n = strings.ToLower(strings.ReplaceAll(n, " ", ""))
					if strings.Contains(compact, n) || (strings.HasPrefix(n, "+44") && strings.Contains(compact, "0"+n[3:])) {
						t.Errorf("raw file of %s still exists and holds an identifier of theirs", p.subjectID)
					}
				}
			}
		}
	}
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		text := fileText(t, db, path)
		for _, p := range people {
			for _, n := range p.needles {
				if strings.Contains(strings.ToLower(text), strings.ToLower(n)) {
					t.Errorf("%s still holds an identifier of %s", path, p.subjectID)
				}
			}
		}
		return nil
	})
}

// fileText is a file's content as text; Parquet files are read through DuckDB.
func fileText(t *testing.T, db *sql.DB, path string) string {
	t.Helper()
	if !strings.HasSuffix(path, ".parquet") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var text sql.NullString
	if err := db.QueryRow(`SELECT string_agg(CAST(t AS VARCHAR), chr(10)) FROM read_parquet(?) t`, path).Scan(&text); err != nil {
		t.Fatal(err)
	}
	return text.String
}

// deletionManifest picks the one current deletion manifest from `manifest list --json`.
func deletionManifest(t *testing.T, listJSON string) string {
	t.Helper()
	var list []struct{ ID, Kind, SupersededBy string }
	if err := json.Unmarshal([]byte(listJSON), &list); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range list {
		if m.Kind == "deletion" && m.SupersededBy == "" {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("want one current deletion manifest, got %v", list)
	}
	return ids[0]
}

// storeTables lists every base table of a store, schema-qualified.
func storeTables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, s)
	}
	return tables
}
