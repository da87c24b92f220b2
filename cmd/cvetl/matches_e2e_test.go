package main

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// The sample inbox's vacancy feeds give a match manifest from `cvetl nightly`; an
// approved row is exported with `cvetl matches export` and recorded as a disclosure.
func TestNightlyMatchesAndExport(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "cvetl.duckdb"), filepath.Join(dir, "out")
	// Received before the night of 2026-11-26, whenever the test runs: a file's time is
	// its receipt, and a checkout dates the repository's files to the day it was made.
	in := copyInbox(t, inbox, filepath.Join(dir, "inbox"), map[string]string{"default": "2026-10-01"})
	if r := cvetl(t, "--config", demoConfig, "--db", db, "--out", out, "ingest", in); r.code != 1 && r.code != 0 {
		t.Fatalf("ingest: %d %s", r.code, r.stderr)
	}
	r := cvetl(t, "--db", db, "--out", out, "nightly", "--as-of", "2026-11-26", "--policy", "121-recruitment", "--json")
	if r.code != 0 {
		t.Fatalf("nightly: %d %s", r.code, r.stderr)
	}
	// One JSON object: the retention fields at the top, as before, and every later
	// step of the night beside them.
	var summary struct {
		ManifestID string `json:"manifest_id"`
		Notices    *struct {
			ManifestID      string           `json:"manifest_id"`
			Rows            int              `json:"rows"`
			OverdueRequests []map[string]any `json:"overdue_requests"`
		} `json:"notices"`
		Matching *struct {
			ManifestID string `json:"manifest_id"`
			Rows       int    `json:"rows"`
		} `json:"matching"`
		Quarantine *struct {
			CopiesDeleted []string `json:"copies_deleted"`
			CopiesKept    int      `json:"copies_kept"`
		} `json:"quarantine"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &summary); err != nil {
		t.Fatalf("nightly --json output is no longer one JSON object: %v\n%s", err, r.stdout)
	}
	if summary.ManifestID == "" || summary.Notices == nil || summary.Notices.ManifestID == "" || summary.Notices.Rows == 0 ||
		summary.Notices.OverdueRequests == nil || summary.Matching == nil || summary.Quarantine == nil {
		t.Fatalf("nightly --json lacks a step of the night:\n%s", r.stdout)
	}
	var m struct {
		ID   string `json:"id"`
		Rows []struct {
			RowID          string  `json:"row_id"`
			Client         string  `json:"client"`
			SubjectID      string  `json:"subject_id"`
			Score          float64 `json:"score"`
			ReviewRequired bool    `json:"review_required"`
		} `json:"rows"`
	}
	readJSON(t, filepath.Join(out, "manifests", "matches-2026-11-26.json"), &m)
	if len(m.Rows) < 20 {
		t.Fatalf("match manifest has %d rows for the sample vacancies", len(m.Rows))
	}
	if summary.Matching.ManifestID != m.ID || summary.Matching.Rows != len(m.Rows) {
		t.Fatalf("nightly --json says matching wrote %s with %d rows; the manifest is %s with %d", summary.Matching.ManifestID, summary.Matching.Rows, m.ID, len(m.Rows))
	}
	for _, row := range m.Rows {
		if !row.ReviewRequired || row.Score < 0 || row.Score > 1 {
			t.Fatalf("row %+v", row)
		}
	}
	// Matching again on its own with the same inputs gives the same manifest, no new rows.
	r = cvetl(t, "--db", db, "--out", out, "matches", "run", "--as-of", "2026-11-26", "--policy", "121-recruitment", "--json")
	var again struct {
		ManifestID string `json:"manifest_id"`
		Rows       int    `json:"rows"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &again); r.code != 0 || err != nil || again.ManifestID != m.ID || again.Rows != len(m.Rows) {
		t.Fatalf("matches run: %d %v %+v (nightly gave %s, %d rows)\n%s", r.code, err, again, m.ID, len(m.Rows), r.stderr)
	}
	pick := m.Rows[0]
	rw, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := rw.QueryRow(`SELECT count(*) FROM match_rows WHERE manifest_id = ?`, m.ID).Scan(&stored); err != nil || stored != len(m.Rows) {
		t.Errorf("match_rows holds %d rows for %s, want %d (%v)", stored, m.ID, len(m.Rows), err)
	}
	var listed string
	if err := rw.QueryRow(`SELECT CAST(manifests AS VARCHAR) FROM runs WHERE kind = 'nightly'`).Scan(&listed); err != nil ||
		!strings.Contains(listed, `"deletion-2026-11-26-`) || !strings.Contains(listed, `"`+m.ID+`"`) {
		t.Errorf("the nightly run lists manifests %s (%v), want the deletion and the match manifest", listed, err)
	}
	if _, err := rw.Exec(`INSERT INTO decisions VALUES (?, ?, 'approve', 'test reviewer', NULL, TIMESTAMP '2026-11-26 12:00:00')`, m.ID, pick.RowID); err != nil {
		t.Fatal(err)
	}
	rw.Close()

	file := filepath.Join(dir, "export.json")
	r = cvetl(t, "--db", db, "matches", "export", "--manifest", m.ID, "--client", pick.Client, "--out", file, "--at", "2026-11-27")
	if r.code != 0 || !strings.Contains(r.stdout, "exported 1 approved matches") {
		t.Fatalf("export: %d %s %s", r.code, r.stdout, r.stderr)
	}
	var exported struct {
		Rows []struct {
			SubjectID string `json:"subject_id"`
		} `json:"rows"`
	}
	readJSON(t, file, &exported)
	if len(exported.Rows) != 1 || exported.Rows[0].SubjectID != pick.SubjectID {
		t.Errorf("exported %+v, want %s", exported.Rows, pick.SubjectID)
	}
	ro := openDB(t, db)
	var n int
	if err := ro.QueryRow(`SELECT count(*) FROM events WHERE event = 'disclosed' AND subject_id = ?
		AND json_extract_string(detail, '$.recipient') = ?`, pick.SubjectID, pick.Client).Scan(&n); err != nil || n != 1 {
		t.Errorf("disclosed events: %d %v", n, err)
	}
	ro.Close()
	// --out naming a folder puts the file in it.
	r = cvetl(t, "--db", db, "--out", dir, "matches", "export", "--manifest", m.ID, "--client", pick.Client, "--at", "2026-11-27")
	if r.code != 0 || !strings.Contains(r.stdout, filepath.Join(dir, "matches-export-"+m.ID+"-")) {
		t.Errorf("export to a folder: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := cvetl(t, "--db", db, "matches", "export", "--manifest", m.ID, "--out", file); r.code != 1 || !strings.Contains(r.stderr, "usage") {
		t.Errorf("export without --client: %d %s", r.code, r.stderr)
	}
}
