package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNoticesAndRightsThroughTheCLI runs the demo inbox through the real binary:
// the nightly writes the notices manifest, a demo candidate from Indeed gets a notice
// naming the board, the day and the categories, marking it sent clears it, and the
// subject commands answer requests with the exit codes a script can rely on.
func TestNoticesAndRightsThroughTheCLI(t *testing.T) {
	work := t.TempDir()
	db := filepath.Join(work, "cvetl.duckdb")
	out := filepath.Join(work, "out")
	var logs strings.Builder
	g := func(args ...string) []string { return append([]string{"--db", db, "--out", out}, args...) }
	in := copyInbox(t, inbox, filepath.Join(work, "inbox"), map[string]string{
		"default": "2026-10-01", "indeed/Kwame_Mensah_Resume.pdf": "2026-10-03"})
	mustRun(t, &logs, append([]string{"--config", demoConfig}, g("ingest", in)...)...)
	if r := cvetl(t, g("events", "import", "../../testdata/events.jsonl")...); r.code != 1 {
		t.Fatalf("events import: exit %d (the demo file has two bad lines)\n%s", r.code, r.stderr)
	}

	r := mustRun(t, &logs, g("nightly", "--as-of", "2026-11-26", "--policy", "121-recruitment")...)
	if !strings.Contains(r.stdout, "notices notices-2026-11-26-121-recruitment-") || !strings.Contains(r.stdout, "rights requests overdue: 0") {
		t.Errorf("the nightly summary lacks the notices line or the overdue requests:\n%s", r.stdout)
	}
	var m struct {
		ID, Kind string
		Rows     []struct {
			RowID   string `json:"row_id"`
			Status  string `json:"status"`
			DueDate string `json:"due_date"`
		}
	}
	readJSON(t, filepath.Join(out, "manifests", "notices-2026-11-26.json"), &m)
	kwame := strings.TrimSpace(mustRun(t, &logs, g("subject", "find", "kwame.mensah@example.org")...).stdout)
	var found bool
	for _, row := range m.Rows {
		if row.RowID == kwame+"/source:job_board:indeed" {
			found = true
			if row.Status != "overdue" || row.DueDate != "2026-11-03" {
				t.Errorf("Kwame's notice row %+v", row)
			}
		}
	}
	if m.Kind != "notices" || !found {
		t.Fatalf("notices manifest %s (%s) has no row for %s from Indeed", m.ID, m.Kind, kwame)
	}
	// The run ledger lists both manifests of the night.
	var manifests string
	ledger := openDB(t, db)
	ledger.QueryRow(`SELECT CAST(manifests AS VARCHAR) FROM runs WHERE kind = 'nightly'`).Scan(&manifests)
	ledger.Close() // DuckDB allows one process at a time
	if !strings.Contains(manifests, m.ID) || !strings.Contains(manifests, "deletion-2026-11-26") {
		t.Errorf("run ledger manifests %s", manifests)
	}

	r = mustRun(t, &logs, g("notices", "render", "--as-of", "2026-11-26", "--policy", "121-recruitment")...)
	text, err := os.ReadFile(filepath.Join(out, "notices", "2026-11-26", kwame+".txt"))
	if err != nil {
		t.Fatalf("no notice for %s: %v\n%s", kwame, err, r.stdout)
	}
	for _, want := range []string{"Dear Kwame Mensah", "Indeed, 3 October 2026", "your contact details", "your employment history", "121 Recruitment Services Ltd", "Information Commissioner"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("Kwame's notice lacks %q:\n%s", want, text)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "notices", "2026-11-26", kwame+".eml")); err != nil {
		t.Errorf("no .eml: %v", err)
	}
	mustRun(t, &logs, g("notices", "mark-sent", "--as-of", "2026-11-26", "kwame.mensah@example.org")...)
	var rows []struct {
		RowID  string `json:"row_id"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, &logs, g("notices", "list", "--as-of", "2026-11-27", "--all", "--json")...).stdout), &rows); err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if row.RowID == kwame+"/source:job_board:indeed" && row.Status != "sent" {
			t.Errorf("after mark-sent: %+v", row)
		}
	}

	// Rights: an erasure a floor blocks is refused (exit 1), naming the floor, and restricts.
	r = cvetl(t, g("subject", "erase", "tomasz.nowak@example.org", "--policy", "121-recruitment")...)
	if r.code != 1 || !strings.Contains(r.stderr, "placed-statutory") || !strings.Contains(r.stdout, "refused") {
		t.Errorf("erase of a placed candidate: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = mustRun(t, &logs, g("nightly", "--as-of", "2026-11-27", "--policy", "121-recruitment")...)
	var del struct {
		Rows []struct {
			SubjectRef    string   `json:"subject_ref"`
			ReviewReasons []string `json:"review_reasons"`
		}
	}
	readJSON(t, filepath.Join(out, "manifests", "deletion-2026-11-27.json"), &del)
	flagged := false
	for _, row := range del.Rows {
		flagged = flagged || (row.SubjectRef == "tomasz.nowak@example.org" && slices.Contains(row.ReviewReasons, "restricted"))
	}
	if !flagged {
		t.Errorf("the restricted subject is not flagged in the deletion manifest: %+v", del.Rows)
	}
	// A reason naming a special category is refused.
	if r := cvetl(t, g("subject", "do-not-supply", kwame, "--reason", "client heard he has epilepsy")...); r.code != 1 || !strings.Contains(r.stderr, "health") {
		t.Errorf("special-category reason: exit %d %s", r.code, r.stderr)
	}
	// Export (as the issue spells it: --out FILE.zip) and import into a fresh store.
	archive := filepath.Join(work, "kwame.zip")
	mustRun(t, &logs, "--db", db, "subject", "export", kwame, "--out", archive)
	fresh := filepath.Join(work, "fresh.duckdb")
	r = mustRun(t, &logs, "--db", fresh, "subject", "import-export", archive)
	if !strings.Contains(r.stdout, "subject "+kwame+" imported") {
		t.Errorf("import-export: %s", r.stdout)
	}
	if got := strings.TrimSpace(mustRun(t, &logs, "--db", fresh, "subject", "find", "+44 7700 900903").stdout); got != kwame {
		t.Errorf("the fresh store finds %q by phone, want %s", got, kwame)
	}
	if r := cvetl(t, "--db", db, "subject", "find", "Kwame Mensah"); r.code != 1 || strings.Contains(r.stderr, "Kwame") {
		t.Errorf("a name as reference: exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(logs.String(), "kwame.mensah@example.org") || strings.Contains(logs.String(), "Kwame") {
		t.Error("logs name the person")
	}
}
