package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jsonExports holds fictional multi-record JSON exports (JSON Lines and arrays).
const jsonExports = "../../testdata/json-exports"

// TestIngestMultiRecordJSONExports ingests JSON Lines and JSON-array exports with the
// built binary: one profile per record with its "line N" / "record N" origin, the
// broken line quarantined as a part of its file while the others are ingested, the
// special-category statement of one record tagged for that candidate only and never
// stored in clear, and a second ingest of the folder adding nothing.
func TestIngestMultiRecordJSONExports(t *testing.T) {
	dir := t.TempDir()
	in, db, out := filepath.Join(dir, "inbox"), filepath.Join(dir, "s.duckdb"), filepath.Join(dir, "out")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	files := []string{"resumes.jsonl", "applicants.json", "broken-line.jsonl"}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(jsonExports, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first := cvetl(t, "--db", db, "--out", out, "ingest", "--json", in)
	if first.code != 0 {
		t.Fatalf("ingest: exit %d\n%s", first.code, first.stderr)
	}
	s1 := decodeSummary(t, first)
	if s1.FilesNew != 3 || s1.FilesQuarantined != 0 || s1.Candidates != 8 {
		t.Errorf("first ingest: %+v, want 3 new files, none quarantined whole, 8 candidates", s1)
	}

	store := openDB(t, db)
	origins := map[string][]string{}
	formats := map[string]string{}
	rows, err := store.Query(`SELECT f.location, f.format, p.origin FROM profiles p JOIN files f ON f.sha256 = p.file_sha256
	    ORDER BY f.location, p.profile_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var loc, format, origin string
		if err := rows.Scan(&loc, &format, &origin); err != nil {
			t.Fatal(err)
		}
		origins[filepath.Base(loc)] = append(origins[filepath.Base(loc)], origin)
		formats[filepath.Base(loc)] = format
	}
	rows.Close()
	want := map[string]string{
		"resumes.jsonl":     "jsonl: line 1, line 2, line 3",
		"applicants.json":   "json_array: record 1, record 2, record 3",
		"broken-line.jsonl": "jsonl: line 1, line 3",
	}
	for f, w := range want {
		if got := formats[f] + ": " + strings.Join(origins[f], ", "); got != w {
			t.Errorf("%s: %q, want %q", f, got, w)
		}
	}

	var qOrigin, qReason, qDetail string
	var nq int
	if err := store.QueryRow(`SELECT count(*), any_value(q.origin), any_value(q.reason), any_value(q.detail)
	    FROM quarantine q JOIN files f ON f.sha256 = q.file_sha256 WHERE f.location LIKE '%broken-line.jsonl'`).Scan(&nq, &qOrigin, &qReason, &qDetail); err != nil {
		t.Fatal(err)
	}
	if nq != 1 || qOrigin != "line 2" || qReason != "malformed" || strings.Contains(qDetail, "Fergus") || strings.Contains(qDetail, "okoro") {
		t.Errorf("broken line quarantined as %d row(s): origin %q reason %q detail %q", nq, qOrigin, qReason, qDetail)
	}
	var total int
	store.QueryRow(`SELECT count(*) FROM quarantine`).Scan(&total)
	if total != 1 {
		t.Errorf("%d quarantine rows, want only the broken line's", total)
	}

	// The union statement is in Marisol Quint's record (line 2) only.
	var tagged, taggedProfiles int
	var taggedName, taggedOrigin string
	if err := store.QueryRow(`SELECT count(*), count(DISTINCT r.profile_id), any_value(p.name), any_value(p.origin)
	    FROM restricted r JOIN profiles p USING (profile_id)`).Scan(&tagged, &taggedProfiles, &taggedName, &taggedOrigin); err != nil {
		t.Fatal(err)
	}
	if tagged == 0 || taggedProfiles != 1 || taggedName != "Marisol Quint" || taggedOrigin != "line 2" {
		t.Errorf("special categories: %d tags on %d profiles (%s, %s), want tags on Marisol Quint's line 2 only",
			tagged, taggedProfiles, taggedName, taggedOrigin)
	}
	var category string
	store.QueryRow(`SELECT any_value(category) FROM restricted`).Scan(&category)
	if category != "trade_union_membership" {
		t.Errorf("category %q, want trade_union_membership", category)
	}
	store.Close()

	evidence := parseEvidence(t, "parse", filepath.Join(in, "resumes.jsonl"))
	if len(evidence) == 0 {
		t.Fatal("parse reports no evidence in resumes.jsonl: the redaction check would prove nothing")
	}
	assertEvidenceOnlyRestricted(t, db, evidence, first.stdout+first.stderr)
	for _, v := range []string{"Marisol", "Quint", "marisol.quint", "Fergus", "fergus.okoro", "Rowena"} {
		if strings.Contains(first.stderr, v) {
			t.Errorf("the ingest log holds %q", v)
		}
	}

	second := cvetl(t, "--db", db, "--out", out, "ingest", "--json", in)
	s2 := decodeSummary(t, second)
	if second.code != 0 || s2.FilesNew != 0 || s2.FilesDuplicate != 3 || s2.Candidates != 0 {
		t.Errorf("second ingest: exit %d, %+v; want the 3 files known and nothing new", second.code, s2)
	}
	store = openDB(t, db)
	defer store.Close()
	var profiles, quarantined int
	store.QueryRow(`SELECT count(*) FROM profiles`).Scan(&profiles)
	store.QueryRow(`SELECT count(*) FROM quarantine`).Scan(&quarantined)
	if profiles != 8 || quarantined != 1 {
		t.Errorf("after re-ingest: %d profiles, %d quarantine rows; want 8 and 1", profiles, quarantined)
	}
}

// TestErasureCutsOnePersonOutOfASharedJSONLinesExport: erasing one of three people in a
// JSON Lines export removes exactly their line, every other byte kept; re-ingesting adds
// nothing and verification finds no residue. Erasing a second would leave one record,
// which no longer reads as JSON Lines, so the file is deleted whole and counted.
func TestErasureCutsOnePersonOutOfASharedJSONLinesExport(t *testing.T) {
	s := newSharedStore(t, "applicants.jsonl")
	path := filepath.Join(s.in, "applicants.jsonl")
	gwilym, hester, ivo := s.subject("gwilym.fabricated@example.com"), s.subject("hester.contrived@example.com"), s.subject("ivo.imagined@example.com")

	s.eraseOneRecord(path, "hester.contrived@example.com", "Hester Contrived", gwilym, ivo)
	if n := s.count(`SELECT count(*) FROM raw_rewrites WHERE list_contains(removed_origins, 'line 2')`); n != 1 {
		t.Errorf("%d rewrites record line 2 as removed, want 1", n)
	}
	s.reingest()
	s.verifyClean(hester)

	s.erase("ivo.imagined@example.com", 0)
	s.wantRaw(0, 0, 1)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("an export left with one record was not deleted whole: %v", err)
	}
	s.verifyClean(ivo)
	s.noPersonalDataLogged("Hester", "hester.contrived", "Ivo", "ivo.imagined", "applicants.jsonl")
}
