package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/stats"
)

// TestStatsOnDemoData is the acceptance path on the demo data: ingest the sample inbox,
// import its events, run the nightly job, then `stats export` (both formats) and
// `stats report`. The attacks then run against what was written: (a) and (b) on the
// release rebuilt from the store and matched figure by figure to the file, (c) a scan
// of every column of both exports and of the report for the store's identifiers and
// free text.
func TestStatsOnDemoData(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "cvetl.duckdb"), filepath.Join(dir, "out")
	g := []string{"--db", db, "--out", out}
	for _, args := range [][]string{
		{"--config", demoConfig, "--db", db, "--out", out, "ingest", inbox},
		{"--db", db, "events", "import", "../../testdata/events.jsonl"},
		{"--db", db, "--out", out, "nightly", "--as-of", "2026-11-26", "--policy", "121-recruitment"},
		append(g, "stats", "export", "--as-of", "2026-11-26"),
		{"--db", db, "--out", filepath.Join(dir, "parquet"), "stats", "export", "--format", "parquet", "--as-of", "2026-11-26"},
		append(g, "stats", "report", "--as-of", "2026-11-26"),
	} {
		r := cvetl(t, args...)
		if r.code != 0 && !(args[2] == "events" && r.code == 1) { // the sample events hold two bad lines on purpose
			t.Fatalf("cvetl %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	file := filepath.Join(out, "analyst.duckdb")
	ctx := context.Background()
	st, err := openStore(ctx, globals{DB: db, Out: out}, false) // with its key store, as the command does
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rel, err := stats.BuildWith(ctx, st.DB(), st.Store, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), stats.DefaultK)
	if err != nil {
		t.Fatal(err)
	}
	if err := rel.Verify(); err != nil { // attacks (a) and (b)
		t.Fatal(err)
	}
	matchFile(t, file, rel)

	for _, p := range []string{file, filepath.Join(dir, "parquet")} { // attack (c)
		leaks, err := stats.ScanReleaseWith(ctx, st.DB(), st.Store, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range leaks {
			t.Errorf("%s: %s", p, l)
		}
	}
	report, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, string(report), rel, st.DB())
}

// matchFile checks the release file holds exactly the release: every figure of every
// table, NULL where withheld, and nothing else but the two description tables.
func matchFile(t *testing.T, path string, rel *stats.Release) {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	var tables int
	if err := db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != len(rel.Tables)+2 {
		t.Errorf("%s holds %d tables, want the %d aggregates and 2 description tables", path, tables, len(rel.Tables))
	}
	var k int
	var policy string
	if err := db.QueryRow(`SELECT k, policy FROM release_metadata`).Scan(&k, &policy); err != nil || k != stats.DefaultK || policy == "" {
		t.Errorf("release_metadata: k=%d policy=%q err=%v", k, policy, err)
	}
	for _, tb := range rel.Tables {
		got := map[string]sql.NullInt64{}
		rows, err := db.Query(fmt.Sprintf(`SELECT %s, %s, count, suppressed FROM %s`, tb.RowDim, tb.ColDim, tb.Name))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var r, c string
			var n sql.NullInt64
			var withheld bool
			if err := rows.Scan(&r, &c, &n, &withheld); err != nil {
				t.Fatal(err)
			}
			if withheld == n.Valid {
				t.Errorf("%s (%s, %s): suppressed=%v but count=%v", tb.Name, r, c, withheld, n)
			}
			got[r+"\x00"+c] = n
		}
		rows.Close()
		for i := range tb.Count {
			for j := range tb.Count[i] {
				n, ok := got[tb.RowLabel(i)+"\x00"+tb.ColLabel(j)]
				switch {
				case !ok:
					t.Errorf("%s (%s, %s) missing from the file", tb.Name, tb.RowLabel(i), tb.ColLabel(j))
				case tb.Suppressed[i][j] && n.Valid, !tb.Suppressed[i][j] && n.Int64 != tb.Count[i][j]:
					t.Errorf("%s (%s, %s): file says %v, release %d withheld=%v", tb.Name, tb.RowLabel(i), tb.ColLabel(j), n, tb.Count[i][j], tb.Suppressed[i][j])
				case n.Valid && n.Int64 != 0 && n.Int64 < stats.DefaultK:
					t.Errorf("%s (%s, %s): released %d < k", tb.Name, tb.RowLabel(i), tb.ColLabel(j), n.Int64)
				}
			}
		}
		if len(got) != len(tb.Count)*len(tb.Count[0]) {
			t.Errorf("%s: file has %d figures, release %d", tb.Name, len(got), len(tb.Count)*len(tb.Count[0]))
		}
	}
}

// checkReport: self-contained (no script, no external reference), every table drawn,
// and no personal string in any text or attribute of the page.
func checkReport(t *testing.T, page string, rel *stats.Release, store *sql.DB) {
	t.Helper()
	for _, bad := range []string{"<script", "src=", "href=", "@import", "url("} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("report contains %q: it must be self-contained", bad)
		}
	}
	if n := strings.Count(page, "<svg"); n != countDrawable(rel) {
		t.Errorf("report has %d charts, want %d", n, countDrawable(rel))
	}
	var pieces []stats.Value
	for _, piece := range strings.FieldsFunc(page, func(r rune) bool { return r == '<' || r == '>' || r == '"' }) {
		pieces = append(pieces, stats.Value{Table: "report.html", Column: "text", Text: piece})
	}
	leaks, err := stats.FindLeaks(context.Background(), store, pieces)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range leaks {
		t.Errorf("report: %s", l)
	}
}

func countDrawable(rel *stats.Release) int {
	n := 0
	for _, tb := range rel.Tables {
		if tb.R() > 0 {
			n++
		}
	}
	return n
}

func TestStatsRefusesBadUse(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cvetl.duckdb")
	if r := cvetl(t, "--db", db, "--out", dir, "ingest", filepath.Join(inbox, "direct")); r.code != 0 {
		t.Fatalf("ingest: %d %s", r.code, r.stderr)
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"k below 5", []string{"--db", db, "--out", dir, "stats", "export", "--k", "3"}, 1, "at least 5"},
		{"out is the store", []string{"--db", db, "--out", db, "stats", "export"}, 1, "separate file"},
		{"parquet into a .duckdb name", []string{"--db", db, "--out", filepath.Join(dir, "a.duckdb"), "stats", "export", "--format", "parquet"}, 1, "folder"},
		{"no such store", []string{"--db", filepath.Join(dir, "none.duckdb"), "--out", dir, "stats", "report"}, 2, "none.duckdb"},
		{"no subcommand", []string{"--db", db, "stats"}, 1, "usage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cvetl(t, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d naming %q", r.code, r.stderr, c.code, c.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.duckdb")); err == nil {
		t.Error("stats created a store that did not exist")
	}
}
