package stats

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cvetl/cvetl/internal/popgen"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

var asOf = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *duckstore.Store {
	t.Helper()
	st, err := duckstore.Open(context.Background(), filepath.Join(t.TempDir(), "cvetl.duckdb"), duckstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// populationSize is 100,000 as the acceptance asks; STATS_POPULATION overrides it.
func populationSize(t *testing.T) int {
	if s := os.Getenv("STATS_POPULATION"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("STATS_POPULATION=%q: %v", s, err)
		}
		return n
	}
	return 100_000
}

// TestAttacksOnGeneratedPopulation runs the three attacks on a generated population:
// (a) no released cell below k, (b) no withheld cell recoverable from the published
// cells and totals, (c) no identifier or free text of the store in the release files.
func TestAttacksOnGeneratedPopulation(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	n := populationSize(t)
	if err := popgen.Generate(ctx, st.DB(), n); err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, st.DB(), asOf, DefaultK)
	if err != nil {
		t.Fatal(err)
	}
	released, withheld := 0, 0
	for _, tb := range r.Tables {
		checkProtected(t, tb, DefaultK)
		for i := range tb.Count {
			for j := range tb.Count[i] {
				if tb.Suppressed[i][j] {
					withheld++
				} else if tb.Count[i][j] > 0 {
					released++
				}
			}
		}
	}
	if released == 0 || withheld == 0 {
		t.Fatalf("%d subjects gave %d released and %d withheld cells: the attacks tested nothing", n, released, withheld)
	}
	t.Logf("%d subjects: %d tables, %d released non-empty cells, %d withheld", n, len(r.Tables), released, withheld)
	AssertNoLeaks(t, st.DB(), r)
}

// AssertNoLeaks writes the release both ways and scans every column of both.
func AssertNoLeaks(t *testing.T, db *sql.DB, r *Release) {
	t.Helper()
	AssertNoLeaksWith(t, db, nil, r)
}

// AssertNoLeaksWith also looks for the decrypted monitoring answers ev opens.
func AssertNoLeaksWith(t *testing.T, db *sql.DB, ev EvidenceSource, r *Release) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	file, pq := filepath.Join(dir, "analyst.duckdb"), filepath.Join(dir, "parquet")
	if err := r.WriteDuckDB(ctx, file); err != nil {
		t.Fatal(err)
	}
	if _, err := r.WriteParquet(ctx, pq); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{file, pq} {
		leaks, err := ScanReleaseWith(ctx, db, ev, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range leaks {
			t.Errorf("%s: %s", filepath.Base(p), l)
		}
	}
}

// TestLeakScanFindsAPlantedIdentifier shows the scan can fail: a release file with one
// subject's e-mail inside a longer value, in a column of its own, is caught.
func TestLeakScanFindsAPlantedIdentifier(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	if err := popgen.Generate(ctx, st.DB(), 50); err != nil {
		t.Fatal(err)
	}
	var email, name string
	if err := st.DB().QueryRow(`SELECT emails[1], name FROM profiles ORDER BY profile_id LIMIT 1`).Scan(&email, &name); err != nil {
		t.Fatal(err)
	}
	for what, planted := range map[string]string{"email": "see " + email + " for details", "name": name} {
		file := filepath.Join(t.TempDir(), "bad.duckdb")
		db, err := sql.Open("duckdb", file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`CREATE TABLE innocent (month VARCHAR, note VARCHAR)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO innocent VALUES ('2026-01', ?)`, planted); err != nil {
			t.Fatal(err)
		}
		db.Close()
		leaks, err := ScanRelease(ctx, st.DB(), file)
		if err != nil {
			t.Fatal(err)
		}
		if len(leaks) == 0 {
			t.Errorf("planted %s: not found", what)
		}
		for _, l := range leaks {
			if l.Table != "innocent" || l.Column != "note" {
				t.Errorf("planted %s: leak reported in %s.%s, want innocent.note only", what, l.Table, l.Column)
			}
		}
	}
}
