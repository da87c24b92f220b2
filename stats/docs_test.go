package stats

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/cvetl/cvetl/internal/popgen"
)

// TestDocumentedQueries runs every SQL example of docs/stats.md against a release of a
// generated population: the documentation cannot drift from the tables.
func TestDocumentedQueries(t *testing.T) {
	doc, err := os.ReadFile("../docs/stats.md")
	if err != nil {
		t.Fatal(err)
	}
	queries := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(queries) < 3 {
		t.Fatalf("docs/stats.md has %d example queries, want at least 3", len(queries))
	}
	ctx := context.Background()
	st := openStore(t)
	if err := popgen.Generate(ctx, st.DB(), 5000); err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, st.DB(), asOf, DefaultK)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "analyst.duckdb")
	if err := r.WriteDuckDB(ctx, file); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", file+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, q := range queries {
		rows, err := db.Query(q[1])
		if err != nil {
			t.Errorf("example query %d: %v\n%s", i+1, err, q[1])
			continue
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if n == 0 {
			t.Errorf("example query %d returns no rows on a release of 5,000 subjects", i+1)
		}
	}
}
