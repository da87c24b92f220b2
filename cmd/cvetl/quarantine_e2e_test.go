package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/audit"
)

// TestNightlyPurgesExpiredQuarantineCopies ingests the sample inbox (its corrupt,
// encrypted and oversized files are quarantined and copied to <out>/quarantine), moves
// half of the quarantine rows 40 days into the past, and runs the nightly job twice
// with a preset that keeps copies 30 days (and once before, a year ahead).
func TestNightlyPurgesExpiredQuarantineCopies(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cvetl.duckdb")
	out := filepath.Join(dir, "out")
	qdir := filepath.Join(out, "quarantine")
	if r := cvetl(t, "--config", demoConfig, "--db", db, "--out", out, "ingest", inbox); r.code != 0 {
		t.Fatalf("ingest: exit %d: %s", r.code, r.stderr)
	}
	copies := dirNames(t, qdir)
	if len(copies) < 4 {
		t.Fatalf("the sample inbox gave %d quarantine copies, want at least 4", len(copies))
	}
	// Planning ahead with a future --as-of deletes nothing early.
	if r := cvetl(t, "--db", db, "--out", out, "nightly", "--as-of", time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly), "--policy", "tophat"); r.code != 0 ||
		!strings.Contains(r.stdout, "quarantine (kept 30 days): 0 copies deleted") || len(dirNames(t, qdir)) != len(copies) {
		t.Fatalf("a nightly a year ahead: exit %d, %s", r.code, r.stdout)
	}
	old, young := copies[:len(copies)/2], copies[len(copies)/2:]
	var oldLocations []string
	w, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, sha := range old {
		if _, err := w.Exec(`UPDATE quarantine SET at = at - INTERVAL 40 DAY WHERE file_sha256 = ?`, sha); err != nil {
			t.Fatal(err)
		}
		var loc string
		if err := w.QueryRow(`SELECT location FROM files WHERE sha256 = ?`, sha).Scan(&loc); err != nil {
			t.Fatal(err)
		}
		oldLocations = append(oldLocations, loc)
	}
	w.Close()

	names := make([][]byte, len(oldLocations))
	for i, loc := range oldLocations {
		names[i] = []byte(filepath.Base(loc))
	}
	if b, _ := os.ReadFile(db); !slices.ContainsFunc(names, func(n []byte) bool { return bytes.Contains(b, n) }) {
		t.Log("no old file name is in the store's bytes before the purge: the rewrite is not exercised by the byte check")
	}

	today := time.Now().UTC().Format(time.DateOnly)
	nightly := func() runResult {
		t.Helper()
		r := cvetl(t, "--db", db, "--out", out, "nightly", "--as-of", today, "--policy", "tophat")
		if r.code != 0 {
			t.Fatalf("nightly: exit %d: %s", r.code, r.stderr)
		}
		return r
	}
	r := nightly()
	if want := fmt.Sprintf("quarantine (kept 30 days): %d copies deleted, %d kept", len(old), len(young)); !strings.Contains(r.stdout, want) {
		t.Errorf("nightly summary lacks %q:\n%s", want, r.stdout)
	}
	if left := dirNames(t, qdir); !slices.Equal(left, young) {
		t.Errorf("copies left %v, want the younger %v", left, young)
	}
	// The purge rewrote the store: the stripped locations are not in its freed blocks.
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		if bytes.Contains(b, n) {
			t.Errorf("the store's file still holds purged location %d's file name", i)
		}
	}
	if _, err := os.Stat(db + ".rewrite-pending"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the rewrite marker is left: %v", err)
	}
	ro := openDB(t, db)
	var whole, stripped int
	err = ro.QueryRow(`SELECT count(*) FILTER (WHERE purged_at IS NULL), count(*) FILTER (WHERE location = 'purged' AND detail IS NULL AND purged_at IS NOT NULL)
	    FROM quarantine WHERE list_contains(?::VARCHAR[], file_sha256)`, "["+strings.Join(old, ",")+"]").Scan(&whole, &stripped)
	if err != nil {
		t.Fatal(err)
	}
	var youngWhole int
	ro.QueryRow(`SELECT count(*) FROM quarantine WHERE purged_at IS NULL AND location LIKE '%inbox%'`).Scan(&youngWhole)
	ro.Close()
	if whole != 0 || stripped < len(old) || youngWhole < len(young) {
		t.Errorf("old rows: %d whole, %d stripped (want 0 and ≥ %d); %d younger rows whole (want ≥ %d)", whole, stripped, len(old), youngWhole, len(young))
	}

	entries := auditLog(t, db)
	if len(entries) != 1 || entries[0].Action != "purge_quarantine" || entries[0].Detail["sha256"] != strings.Join(old, ",") ||
		entries[0].Detail["copies_deleted"] != fmt.Sprint(len(old)) || entries[0].Detail["keep"] != "30 days" {
		t.Fatalf("audit log: %+v", entries)
	}
	line, _ := json.Marshal(entries[0])
	for _, loc := range oldLocations {
		name := strings.TrimSuffix(filepath.Base(loc), filepath.Ext(loc))
		if strings.Contains(string(line), name) || strings.Contains(string(line), "inbox") {
			t.Errorf("the audit entry names a path or file name (%s): %s", name, line)
		}
	}
	if v := cvetl(t, "--db", db, "audit", "verify"); v.code != 0 {
		t.Errorf("audit verify: exit %d: %s %s", v.code, v.stdout, v.stderr)
	}

	// A second nightly changes nothing: no row, no copy, no audit entry.
	before := quarantineState(t, db, qdir)
	r = nightly()
	if !strings.Contains(r.stdout, fmt.Sprintf("quarantine (kept 30 days): 0 copies deleted, %d kept; 0 rows and 0 file locations stripped", len(young))) {
		t.Errorf("second nightly:\n%s", r.stdout)
	}
	if after := quarantineState(t, db, qdir); after != before {
		t.Errorf("the second nightly changed the quarantine:\n%s\nwas\n%s", after, before)
	}
	if n := len(auditLog(t, db)); n != 1 {
		t.Errorf("%d audit entries after the second nightly, want 1", n)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func auditLog(t *testing.T, db string) []audit.Entry {
	t.Helper()
	f, err := os.Open(auditLogPath(db))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []audit.Entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e audit.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func quarantineState(t *testing.T, db, qdir string) string {
	t.Helper()
	ro := openDB(t, db)
	defer ro.Close()
	rows := queryText(t, ro, `SELECT * FROM quarantine ORDER BY ALL`) + "\n" +
		queryText(t, ro, `SELECT sha256, location, status FROM files ORDER BY ALL`)
	return rows + "\n" + strings.Join(dirNames(t, qdir), "\n")
}
