package stats

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strings"
	"testing"
)

// execFile runs a SQL file statement by statement.
func execFile(t *testing.T, db *sql.DB, path string) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range strings.Split(string(body), ";\n") {
		if strings.TrimSpace(stripSQLComments(q)) == "" {
			continue
		}
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, q)
		}
	}
}

func stripSQLComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestComputeCounts checks every table's raw counts on a store whose answers were
// worked out by hand (testdata/fixture.sql explains each subject).
func TestComputeCounts(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	execFile(t, st.DB(), "testdata/fixture.sql")
	tables, skipped, err := Compute(ctx, st.DB(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[[2]string]int64{
		"candidates_by_month_channel": {
			{"2026-01", "direct"}: 1, {"2026-01", "job_board:indeed"}: 1,
			{"2026-02", "linkedin"}: 1, {"2026-02", "direct"}: 1, {"2026-02", "referee"}: 1,
		},
		"candidates_by_region_sector": {
			{"M", "nursing"}: 1, {"unknown", "care"}: 1, {"EH", "care"}: 1, {"unknown", "unknown"}: 1, {"G", "unknown"}: 1,
		},
		"pipeline_by_month_stage": {
			{"2026-01", "placed"}: 1, {"2026-01", "unsuccessful"}: 1, {"2026-02", "shortlisted"}: 1, {"2026-02", "applied"}: 1,
		},
		"time_to_placement":   {{"2026", "31-60"}: 1},
		"retention_actions":   {{"2026-03", "delete"}: 1, {"2026-03", "request_consent"}: 1},
		"retention_decisions": {{"2026-03", "rejected"}: 1, {"2026-03", "approved"}: 1},
		"rights_requests":     {{"2026-03", "access"}: 1, {"2026-03", "erasure"}: 1, {"2026-03", "objection"}: 1},
		"notices_sent":        {{"2026-01", "job_board:indeed"}: 1},
		"equal_opportunities": {{"racial_ethnic_origin", "direct"}: 1, {"racial_ethnic_origin", "linkedin"}: 1},
		// The fixture has no notices or rights requests: the tables exist, empty.
		"notices_by_status":         {},
		"rights_request_timeliness": {},
	}
	got := map[string]*Table{}
	for _, tb := range tables {
		got[tb.Name] = tb
	}
	for name, cells := range want {
		tb := got[name]
		if tb == nil {
			t.Errorf("table %s not computed", name)
			continue
		}
		var sum int64
		for i := 0; i < tb.R(); i++ {
			for j := 0; j < tb.C(); j++ {
				key := [2]string{tb.Rows[i], tb.Cols[j]}
				if tb.Count[i][j] != cells[key] {
					t.Errorf("%s %v = %d, want %d", name, key, tb.Count[i][j], cells[key])
				}
				sum += cells[key]
			}
		}
		for key, n := range cells {
			if !slices.Contains(tb.Rows, key[0]) || !slices.Contains(tb.Cols, key[1]) {
				t.Errorf("%s: no cell %v (want %d); rows %v cols %v", name, key, n, tb.Rows, tb.Cols)
			}
		}
		if tb.Count[tb.R()][tb.C()] != sum {
			t.Errorf("%s grand total = %d, want %d", name, tb.Count[tb.R()][tb.C()], sum)
		}
	}
	if len(tables) != len(want) {
		t.Errorf("computed %d tables, want %d", len(tables), len(want))
	}
	// The pipeline stages come in funnel order, not alphabetically.
	if p := got["pipeline_by_month_stage"]; p != nil && !slices.Equal(p.Cols, []string{"applied", "shortlisted", "placed", "unsuccessful"}) {
		t.Errorf("pipeline stages in order %v", p.Cols)
	}
	// Compute has no key store: only the by-value monitoring table is skipped.
	if !slices.Equal(skipped, []string{"equal_opportunities_by_value"}) {
		t.Errorf("skipped = %v, want only equal_opportunities_by_value: the store has every other table the release reads", skipped)
	}
}

// TestRightsRequestTimeliness counts requests answered on time, late, open and
// overdue from the rights work's requests table.
func TestRightsRequestTimeliness(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	execFile(t, st.DB(), "testdata/fixture.sql")
	for _, q := range []string{
		`INSERT INTO requests (request_id, subject_id, kind, received_on, due_on, status, closed_on) VALUES
			('R1', 'C1', 'access', '2026-01-01', '2026-02-01', 'completed', '2026-01-20'),
			('R2', 'C2', 'access', '2026-01-01', '2026-02-01', 'completed', '2026-02-10'),
			('R3', 'C3', 'erasure', '2026-10-01', '2026-11-01', 'open', NULL),
			('R4', 'C4', 'erasure', '2026-11-20', '2026-12-20', 'open', NULL)`,
	} {
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tables, skipped, err := Compute(ctx, st.DB(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 1 {
		t.Errorf("skipped = %v, want only the by-value monitoring table", skipped)
	}
	var tb *Table
	for _, x := range tables {
		if x.Name == "rights_request_timeliness" {
			tb = x
		}
	}
	if tb == nil {
		t.Fatal("rights_request_timeliness not computed")
	}
	want := map[[2]string]int64{{"access", "answered on time"}: 1, {"access", "answered late"}: 1,
		{"erasure", "open overdue"}: 1, {"erasure", "open"}: 1}
	for i := 0; i < tb.R(); i++ {
		for j := 0; j < tb.C(); j++ {
			if k := [2]string{tb.Rows[i], tb.Cols[j]}; tb.Count[i][j] != want[k] {
				t.Errorf("%v = %d, want %d", k, tb.Count[i][j], want[k])
			}
		}
	}
}

// TestRestrictedSubjectsAreNotCounted: a restricted subject (Art. 18: storage only)
// disappears from every table, and nobody else does.
func TestRestrictedSubjectsAreNotCounted(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	execFile(t, st.DB(), "testdata/fixture.sql")
	before, _, err := Compute(ctx, st.DB(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`INSERT INTO restrictions VALUES ('C2', 'accuracy_contested', TIMESTAMP '2026-04-01')`); err != nil {
		t.Fatal(err)
	}
	after, _, err := Compute(ctx, st.DB(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	grand := func(tb *Table) int64 { return tb.Count[tb.R()][tb.C()] }
	got := map[string]int64{}
	for _, tb := range after {
		got[tb.Name] = grand(tb)
	}
	dropped := 0
	for _, tb := range before {
		if got[tb.Name] > grand(tb) {
			t.Errorf("%s grew after a restriction: %d → %d", tb.Name, grand(tb), got[tb.Name])
		}
		if got[tb.Name] < grand(tb) {
			dropped++
		}
	}
	if dropped == 0 {
		t.Fatal("restricting C2 changed no table: restricted subjects are still counted")
	}
	for _, tb := range after {
		if tb.Name != "candidates_by_month_channel" {
			continue
		}
		for i := 0; i < tb.R(); i++ {
			for j := 0; j < tb.C(); j++ {
				if tb.Rows[i] == "2026-01" && tb.Cols[j] == "job_board:indeed" && tb.Count[i][j] != 0 {
					t.Errorf("C2's January Indeed source still counted: %d", tb.Count[i][j])
				}
			}
		}
	}
}
