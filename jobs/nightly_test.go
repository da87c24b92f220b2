package jobs

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/policy"
)

// ledger is the store as the nightly sees it: the database and the run ledger.
type ledger struct{ db *sql.DB }

func (l ledger) DB() *sql.DB { return l.db }

func (l ledger) BeginRun(ctx context.Context, kind string) (int64, error) {
	var id int64
	if err := l.db.QueryRowContext(ctx, `SELECT coalesce(max(run_id), 0) + 1 FROM runs`).Scan(&id); err != nil {
		return 0, err
	}
	_, err := l.db.ExecContext(ctx, `INSERT INTO runs (run_id, kind, started_at, status) VALUES (?, ?, now(), 'running')`, id, kind)
	return id, err
}

func nightlyFixture(t *testing.T) *store {
	s := newStore(t)
	a := s.candidate("a@example.com", "2023-01-02")
	s.event(a, "applied", "2023-01-02", "vacancy", "TH-1")
	s.event(a, "unsuccessful", "2024-08-31")
	b := s.candidate("b@example.com", "2023-01-02")
	s.event(b, "legal_hold", "2024-12-01", "reason", "claim")
	s.event(b, "erasure_requested", "2025-01-10")
	s.special(b, "health", "")
	c := s.candidate("c@example.com", "2024-06-01") // nothing due
	s.event(c, "applied", "2024-06-01", "vacancy", "TH-2")
	return s
}

func TestNightlyWritesStableManifests(t *testing.T) {
	s := nightlyFixture(t)
	pol, _ := policy.Preset("tophat")
	out := t.TempDir()
	opt := Options{Policy: pol, AsOf: day(t, "2025-02-28"), OutDir: out, MemoryLimit: "512MB", Threads: 2}
	ctx := context.Background()
	res, err := Nightly(ctx, ledger{s.db}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "completed" || res.Rows != 2 || res.ByAction["delete"] != 1 || res.ByAction["keep"] != 1 || res.Flagged != 1 {
		t.Errorf("summary %+v", res)
	}
	if !strings.HasPrefix(res.ManifestID, "deletion-2025-02-28-tophat-") || len(res.ManifestID) != len("deletion-2025-02-28-tophat-")+12 {
		t.Errorf("manifest id %q", res.ManifestID)
	}
	jsonPath := filepath.Join(out, "manifests", "deletion-2025-02-28.json")
	first, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ID, Kind, AsOf, Policy string
		Rows                   []map[string]any
	}
	if err := json.Unmarshal(first, &m); err != nil {
		t.Fatalf("manifest is not JSON: %v", err)
	}
	if m.ID != res.ManifestID || m.Kind != "deletion" || m.Policy != "tophat" || len(m.Rows) != 2 {
		t.Errorf("manifest head: id %q kind %q policy %q, %d rows", m.ID, m.Kind, m.Policy, len(m.Rows))
	}
	if !bytes.HasPrefix(first, []byte(`{"id":"`+res.ManifestID+`","kind":"deletion","as_of":"2025-02-28","policy":"tophat",`)) {
		t.Errorf("manifest does not start with id, kind, as_of, policy: %.120s", first)
	}
	for _, col := range []string{"row_id", "subject_id", "subject_ref", "subject_type", "action", "rule_id", "anchor_event",
		"anchor_date", "due_date", "earliest_permitted_date", "legal_hold", "review_required", "review_reasons", "status"} {
		if _, ok := m.Rows[0][col]; !ok {
			t.Errorf("row lacks %s", col)
		}
	}
	if m.Rows[1]["earliest_permitted_date"] != nil || m.Rows[1]["legal_hold"] != true || m.Rows[1]["action"] != "keep" {
		t.Errorf("held row: %v", m.Rows[1])
	}

	// Same inputs, same bytes; the store keeps one manifest.
	res2, err := Nightly(ctx, ledger{s.db}, opt)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(jsonPath)
	if !bytes.Equal(first, second) || res2.ManifestID != res.ManifestID {
		t.Errorf("re-run changed the manifest:\n%s\n%s", first, second)
	}
	var manifests, rows int
	s.db.QueryRow(`SELECT count(*) FROM manifests`).Scan(&manifests)
	s.db.QueryRow(`SELECT count(*) FROM manifest_rows WHERE manifest_id = ?`, res.ManifestID).Scan(&rows)
	if manifests != 1 || rows != 2 {
		t.Errorf("store: %d manifests, %d rows; want 1 and 2", manifests, rows)
	}
	var status, asOf, pol2 string
	var ids []any
	s.db.QueryRow(`SELECT status, CAST(as_of AS VARCHAR), policy, manifests FROM runs WHERE run_id = ?`, res2.RunID).Scan(&status, &asOf, &pol2, &ids)
	if status != "completed" || asOf != "2025-02-28" || !strings.HasPrefix(pol2, "tophat@") || len(ids) != 1 {
		t.Errorf("run record: %s %s %s %v", status, asOf, pol2, ids)
	}
	// No e-mail in the store's copy of the manifest.
	var leaked int
	s.db.QueryRow(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'manifest_rows' AND column_name = 'subject_ref'`).Scan(&leaked)
	if leaked != 0 {
		t.Error("manifest_rows stores subject_ref")
	}

	// CSV: header, one line a row.
	f, _ := os.Open(filepath.Join(out, "manifests", "deletion-2025-02-28.csv"))
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 3 || recs[0][0] != "row_id" || recs[1][8] != "2025-02-28" {
		t.Errorf("csv: %v %v", recs, err)
	}
	// Parquet: DuckDB reads it back with real DATE columns.
	var n int
	var dueType string
	pq := filepath.Join(out, "manifests", "deletion-2025-02-28.parquet")
	if err := s.db.QueryRow(`SELECT count(*), any_value(typeof(due_date)) FROM read_parquet(?)`, pq).Scan(&n, &dueType); err != nil || n != 2 || dueType != "DATE" {
		t.Errorf("parquet: %d rows, due_date %s, %v", n, dueType, err)
	}
	var reasons []any
	if err := s.db.QueryRow(`SELECT review_reasons FROM read_parquet(?) WHERE action = 'keep'`, pq).Scan(&reasons); err != nil || len(reasons) != 4 {
		t.Errorf("parquet review_reasons %v %v", reasons, err)
	}

	// New input: a new manifest id that supersedes the old one.
	s.event("S0000003", "erasure_requested", "2025-02-27")
	res3, err := Nightly(ctx, ledger{s.db}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res3.ManifestID == res.ManifestID || res3.Rows != 3 {
		t.Errorf("new input: id %s, %d rows", res3.ManifestID, res3.Rows)
	}
	var superseded string
	s.db.QueryRow(`SELECT superseded_by FROM manifests WHERE manifest_id = ?`, res.ManifestID).Scan(&superseded)
	if superseded != res3.ManifestID {
		t.Errorf("old manifest superseded by %q", superseded)
	}
	leftovers, _ := filepath.Glob(filepath.Join(out, "manifests", "*tmp*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestNightlyReportsAFailedFormatAsPartial(t *testing.T) {
	s := nightlyFixture(t)
	pol, _ := policy.Preset("tophat")
	out := t.TempDir()
	// A directory where the CSV file should go makes that one format fail.
	if err := os.MkdirAll(filepath.Join(out, "manifests", "deletion-2025-02-28.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Nightly(context.Background(), ledger{s.db}, Options{Policy: pol, AsOf: day(t, "2025-02-28"), OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "partial" || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "csv") || len(res.Files) != 2 {
		t.Errorf("status %s, problems %v, files %v", res.Status, res.Problems, res.Files)
	}
	var status string
	s.db.QueryRow(`SELECT status FROM runs WHERE run_id = ?`, res.RunID).Scan(&status)
	if status != "partial" {
		t.Errorf("run recorded as %s", status)
	}
}

func TestNightlyRecordsAFailedRun(t *testing.T) {
	s := nightlyFixture(t)
	pol, _ := policy.Preset("tophat")
	out := filepath.Join(t.TempDir(), "file")
	os.WriteFile(out, nil, 0o644) // the output folder is a file
	res, err := Nightly(context.Background(), ledger{s.db}, Options{Policy: pol, AsOf: day(t, "2025-02-28"), OutDir: out})
	if err == nil {
		t.Fatal("no error")
	}
	var status, msg string
	s.db.QueryRow(`SELECT status, error FROM runs WHERE run_id = ?`, res.RunID).Scan(&status, &msg)
	if status != "failed" || msg == "" || strings.Contains(msg, "@example.com") {
		t.Errorf("run recorded as %s: %q", status, msg)
	}
}

func TestLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cvetl.duckdb.nightly.lock")
	release, stale, err := Lock(path)
	if err != nil || stale {
		t.Fatal(err, stale)
	}
	_, _, err = Lock(path)
	var locked *LockedError
	if !errors.As(err, &locked) || locked.PID != os.Getpid() || !strings.Contains(err.Error(), "another cvetl nightly is running") {
		t.Fatalf("second lock: %v", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("release left the lock")
	}

	// A lock whose process has exited is stale and taken over.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true(1)")
	}
	host, _ := os.Hostname()
	os.WriteFile(path, []byte(strings.Join([]string{strconv.Itoa(cmd.Process.Pid), host, time.Now().Format(time.RFC3339)}, "\n")), 0o644)
	release, stale, err = Lock(path)
	if err != nil || !stale {
		t.Fatalf("stale lock: %v, stale %v", err, stale)
	}
	release()
	// A half-written lock (no pid) is stale too.
	os.WriteFile(path, nil, 0o644)
	if release, stale, err = Lock(path); err != nil || !stale {
		t.Fatalf("empty lock: %v, stale %v", err, stale)
	}
	release()
}

func TestExplain(t *testing.T) {
	s := newStore(t)
	a := s.candidate("a@example.com", "2024-01-02")
	s.event(a, "applied", "2024-01-02", "vacancy", "TH-1")
	s.event(a, "unsuccessful", "2024-03-10")
	s.event(a, "consent_given", "2024-03-10", "purpose", "future_vacancies")
	pol, _ := policy.Preset("tophat")
	ex, err := Explain(context.Background(), s.db, pol, day(t, "2024-10-01"), "A@Example.com")
	if err != nil {
		t.Fatal(err)
	}
	if ex.Subject.SubjectID != a || ex.Subject.Status != "unsuccessful" || ex.Row != nil {
		t.Errorf("subject %+v, row %+v", ex.Subject, ex.Row)
	}
	verdicts := map[string]string{}
	for _, r := range ex.Rules {
		verdicts[r.RuleID] = r.Verdict
	}
	wantV := map[string]string{
		"unsuccessful": "suspended by exception future-vacancies-consent",
		"on-file":      "due 2025-03-10: not yet",
		"withdrawn":    "no anchor: none of its anchor events has happened",
		"erasure":      "no anchor: none of its anchor events has happened",
	}
	for id, v := range wantV {
		if verdicts[id] != v {
			t.Errorf("%s: %q, want %q", id, verdicts[id], v)
		}
	}
	if _, err := Explain(context.Background(), s.db, pol, day(t, "2024-10-01"), "nobody@example.com"); !errors.Is(err, ErrUnknownSubject) {
		t.Errorf("unknown subject: %v", err)
	}
}

// TestCalendarPeriods checks that DuckDB's DATE + INTERVAL, which the jobs use, and
// policy.Period.AddTo, which explains and tests use, agree: month ends clamp, leap
// days exist, hours round down to the day.
func TestCalendarPeriods(t *testing.T) {
	s := newStore(t)
	cases := []struct{ from, period, want string }{
		{"2024-08-31", "6 months", "2025-02-28"},
		{"2023-08-31", "6 months", "2024-02-29"},
		{"2024-02-29", "1 year", "2025-02-28"},
		{"2024-02-29", "4 years", "2028-02-29"},
		{"2024-01-31", "1 month", "2024-02-29"},
		{"2024-03-31", "1 month", "2024-04-30"},
		{"2024-11-30", "3 months", "2025-02-28"},
		{"2025-03-10", "48 hours", "2025-03-12"},
		{"2025-03-10", "36 hours", "2025-03-11"},
		{"2024-12-31", "2 months", "2025-02-28"},
		{"2025-01-15", "30 days", "2025-02-14"},
		{"2018-02-28", "7 years", "2025-02-28"},
		{"2020-02-29", "6 years", "2026-02-28"},
	}
	for _, c := range cases {
		p, err := policy.ParsePeriod(c.period)
		if err != nil {
			t.Fatal(err)
		}
		var got time.Time
		if err := s.db.QueryRow(`SELECT CAST(CAST(? AS DATE) + CAST(? AS INTERVAL) AS DATE)`, c.from, p.String()).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if g := got.Format(time.DateOnly); g != c.want {
			t.Errorf("DuckDB: %s + %s = %s, want %s", c.from, c.period, g, c.want)
		}
		if g := p.AddTo(day(t, c.from)).Format(time.DateOnly); g != c.want {
			t.Errorf("Go: %s + %s = %s, want %s", c.from, c.period, g, c.want)
		}
	}
	// And over every day of four years, for the periods the presets use.
	for _, per := range []string{"1 month", "2 months", "3 months", "6 months", "12 months", "1 year", "2 years", "7 years", "30 days", "48 hours"} {
		p, _ := policy.ParsePeriod(per)
		rows, err := s.db.Query(`SELECT d, CAST(d + CAST(? AS INTERVAL) AS DATE)
			FROM (SELECT CAST(unnest(range(DATE '2023-01-01', DATE '2027-01-01', INTERVAL 1 DAY)) AS DATE) AS d)`, p.String())
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var d, end time.Time
			rows.Scan(&d, &end)
			if g := p.AddTo(d); !g.Equal(end) {
				t.Errorf("%s + %s: DuckDB %s, Go %s", d.Format(time.DateOnly), per, end.Format(time.DateOnly), g.Format(time.DateOnly))
			}
		}
		rows.Close()
	}
}
