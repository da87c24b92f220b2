package jobs

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	_ "github.com/marcboeker/go-duckdb"
)

// store is an in-memory DuckDB with the real migrations applied, read from the store's
// migrations folder so the jobs are tested against the schema they will meet.
type store struct {
	t        *testing.T
	db       *sql.DB
	n        int // event and tag keys
	subjects int
}

func newStore(t *testing.T) *store {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	names, err := filepath.Glob("../sinks/duckstore/migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v", err)
	}
	sort.Strings(names)
	for _, n := range names {
		body, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	return &store{t: t, db: db}
}

func (s *store) exec(q string, args ...any) {
	s.t.Helper()
	if _, err := s.db.Exec(q, args...); err != nil {
		s.t.Fatalf("%s: %v", q, err)
	}
}

// subject adds a subject created (as far as the store knows) on created.
func (s *store) subject(ref, typ, created string) string {
	s.subjects++
	id := fmt.Sprintf("S%07d", s.subjects)
	s.exec(`INSERT INTO subjects VALUES (?, ?, ?, ?, 1)`, id, ref, typ, day(s.t, created))
	s.exec(`INSERT INTO subject_keys VALUES (?, ?)`, "email:"+ref, id)
	return id
}

// source records that a file about the subject arrived through channel on received.
func (s *store) source(subj, channel, received string) {
	sha := fmt.Sprintf("%s-%s-%s", subj, channel, received)
	s.exec(`INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 1)`, sha+"/0", subj, channel, channel == "direct",
		day(s.t, received), sha, "inbox/"+sha)
}

// event adds a lifecycle event; detail is key, value, key, value…
func (s *store) event(subj, event, at string, detail ...string) {
	d := map[string]string{}
	for i := 0; i+1 < len(detail); i += 2 {
		d[detail[i]] = detail[i+1]
	}
	var dj any
	if len(d) > 0 {
		b, _ := json.Marshal(d)
		dj = string(b)
	}
	s.n++
	s.exec(`INSERT INTO events VALUES (?, ?, ?, ?, ?, 'test', 1)`, fmt.Sprintf("k%d", s.n), subj, event, day(s.t, at), dj)
}

// special adds a special-category row; condition "" is none recorded.
func (s *store) special(subj, category, condition string) {
	var c any
	if condition != "" {
		c = condition
	}
	s.n++
	s.exec(`INSERT INTO restricted VALUES (?, ?, ?, ?, ?, ?, 'test', 0.9, 0, 1, ?, 1)`,
		fmt.Sprintf("t%d", s.n), subj, subj, subj+"/0", category, c, []byte{1})
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("bad date %q", s)
	}
	return d
}
