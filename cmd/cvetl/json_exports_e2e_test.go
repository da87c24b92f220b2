package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jsonExports holds fictional multi-record JSON exports (JSON Lines and arrays).
const jsonExports = "../../testdata/json-exports"

// jsonExportsInbox copies the named exports into a fresh inbox and returns it with a
// store file and output folder beside it.
func jsonExportsInbox(t *testing.T, files ...string) (in, db, out string) {
	t.Helper()
	dir := t.TempDir()
	in, db, out = filepath.Join(dir, "inbox"), filepath.Join(dir, "s.duckdb"), filepath.Join(dir, "out")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(jsonExports, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return in, db, out
}

// TestIngestMultiRecordJSONExports ingests JSON Lines and JSON-array exports with the
// built binary: one profile per record with its "line N" / "record N" origin, the
// broken line quarantined as a part of its file while the others are ingested, the
// special-category statement of one record tagged for that candidate only and never
// stored in clear, and a second ingest of the folder adding nothing.
func TestIngestMultiRecordJSONExports(t *testing.T) {
	in, db, out := jsonExportsInbox(t, "resumes.jsonl", "applicants.json", "broken-line.jsonl")
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

// TestIngestOneRecordJSONFiles: a JSON Lines export of one flat record is one candidate
// with origin "line 1", as in a longer export, whether the file is named .jsonl or
// .json (the form is sniffed from content); a pretty-printed single flat object is not
// a candidate and is quarantined whole as malformed.
func TestIngestOneRecordJSONFiles(t *testing.T) {
	in, db, out := jsonExportsInbox(t, "one-record.jsonl", "one-record-line.json", "one-record-pretty.json")
	r := cvetl(t, "--db", db, "--out", out, "ingest", "--json", in)
	sum := decodeSummary(t, r)
	if sum.FilesNew != 3 || sum.Candidates != 2 || sum.FilesQuarantined != 1 || sum.QuarantinedByReason["malformed"] != 1 {
		t.Errorf("ingest: exit %d, %+v; want 2 candidates and the pretty-printed object quarantined as malformed", r.code, sum)
	}
	got := queryStrings(t, db, `SELECT regexp_extract(f.location, '[^/]+$') || ' ' || f.format || ' ' || p.origin
	    FROM profiles p JOIN files f ON f.sha256 = p.file_sha256 ORDER BY 1`)
	want := []string{"one-record-line.json jsonl line 1", "one-record.jsonl jsonl line 1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("profiles (file, format, origin): %q, want %q", got, want)
	}
	if q := queryStrings(t, db, `SELECT regexp_extract(location, '[^/]+$') || ' ' || reason FROM quarantine`); len(q) != 1 || q[0] != "one-record-pretty.json malformed" {
		t.Errorf("quarantine: %q, want the pretty-printed object as malformed", q)
	}
}

// TestErasureCutsOnePersonOutOfASharedJSONLinesExport: erasing one of three people in a
// JSON Lines export removes exactly their line, every other byte kept; re-ingesting adds
// nothing and verification finds no residue. Erasing a second leaves one flat record,
// which still reads as JSON Lines ("line 1"), so that line is cut too; erasing the last
// person deletes the file.
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

	// Ivo was line 4 as ingested and is line 3 now; one flat record is left.
	got := s.eraseOneRecord(path, "ivo.imagined@example.com", `"first_name":"Ivo"`, gwilym)
	if lines := strings.Count(strings.TrimSpace(string(got)), "\n"); lines != 0 {
		t.Errorf("the export after two erasures has %d lines, want Gwilym's alone:\n%s", lines+1, got)
	}
	s.reingest()
	s.verifyClean(ivo)

	s.erase("gwilym.fabricated@example.com", 0)
	s.wantLastErasureDeleted(path)
	s.verifyClean(gwilym)
	s.noPersonalDataLogged("Hester", "hester.contrived", "Ivo", "ivo.imagined", "Gwilym", "applicants.jsonl")
}

// TestErasureCutsOnePersonOutOfASharedJSONArrayExport: a pretty-printed JSON array of
// three applicants loses exactly the erased one's element and the separator after it;
// then the last element (record 3 as ingested, record 2 by then) with the separator
// before it. Each time every other byte is kept, the others' stored data does not
// change, re-ingesting adds nothing and verification is clean. The last person's
// erasure deletes the file.
func TestErasureCutsOnePersonOutOfASharedJSONArrayExport(t *testing.T) {
	s := newSharedStore(t, "applicants.json")
	path := filepath.Join(s.in, "applicants.json")
	juniper, kasimir, lavinia := s.subject("juniper.fauxley@example.com"), s.subject("kasimir.nonesuch@example.com"), s.subject("lavinia.pretendy@example.com")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	element := func(text []byte, id string) int { // where the element with this candidate_id starts
		t.Helper()
		i := strings.Index(string(text), "{\n    \"candidate_id\": "+id)
		if i < 0 {
			t.Fatalf("no element %s in\n%s", id, text)
		}
		return i
	}
	eraseTo := func(email, want string, others ...string) {
		t.Helper()
		before := s.profilesOf(others...)
		s.erase(email, 0)
		s.wantRaw(0, 1, 0)
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("the shared export was deleted: %v", err)
		}
		if string(got) != want {
			t.Fatalf("after erasing one record the export is\n%s\nwant\n%s", got, want)
		}
		if !json.Valid(got) {
			t.Errorf("the rewritten export is not valid JSON")
		}
		if after := s.profilesOf(others...); after != before {
			t.Errorf("the other subjects' stored data changed:\n%s\nwas\n%s", after, before)
		}
		s.reingest()
	}

	// The middle element goes with the separator after it.
	want := string(orig[:element(orig, "602")]) + string(orig[element(orig, "603"):])
	eraseTo("kasimir.nonesuch@example.com", want, juniper, lavinia)
	s.verifyClean(kasimir)
	if n := s.count(`SELECT count(*) FROM raw_rewrites WHERE list_contains(removed_origins, 'record 2')`); n != 1 {
		t.Errorf("%d rewrites record record 2 as removed, want 1", n)
	}

	// The last element goes with the separator before it.
	cur := []byte(want)
	sep := strings.LastIndex(string(cur[:element(cur, "603")]), "},") + 1
	want = string(cur[:sep]) + "\n]\n"
	eraseTo("lavinia.pretendy@example.com", want, juniper)
	s.verifyClean(lavinia)
	for _, v := range []string{"Kasimir", "kasimir", "Lavinia", "lavinia", "900552", "900563", "Lemon Street"} {
		if strings.Contains(want, v) {
			t.Errorf("the rewritten export still holds %q", v)
		}
	}

	s.erase("juniper.fauxley@example.com", 0)
	s.wantLastErasureDeleted(path)
	s.verifyClean(juniper)
	s.noPersonalDataLogged("Kasimir", "kasimir.nonesuch", "Lavinia", "lavinia.pretendy", "Juniper", "applicants.json")
}
