package notices

import (
	"context"
	"strconv"
	"testing"
)

// BenchmarkEvaluate: the notices job over a generated store (BENCH subjects: a third of
// them direct, the rest from job boards and LinkedIn; three events each, a notice sent
// to every fifth). go test ./jobs/notices/ -run '^$' -bench Evaluate -benchtime 1x
func BenchmarkEvaluate(b *testing.B) {
	n := 100000
	f := newFixture(b)
	db := f.st.DB()
	stmts := []string{
		`INSERT INTO subjects SELECT printf('S%07d', i), printf('p%d@example.com', i), 'candidate', TIMESTAMP '2026-01-01', 1 FROM range(1, ` + strconv.Itoa(n+1) + `) t(i)`,
		`INSERT INTO sources SELECT printf('p%d/0', i), printf('S%07d', i),
			CASE i % 3 WHEN 0 THEN 'direct' WHEN 1 THEN 'job_board:indeed' ELSE 'linkedin' END, i % 3 = 0,
			TIMESTAMP '2026-01-01' + INTERVAL (i % 300) DAY, printf('sha%d', i), 'inbox/x', NULL, 1 FROM range(1, ` + strconv.Itoa(n+1) + `) t(i)`,
		`INSERT INTO events SELECT printf('k%d-%d', i, j), printf('S%07d', i),
			CASE j WHEN 0 THEN 'applied' WHEN 1 THEN 'meaningful_contact' ELSE CASE WHEN i % 5 = 0 THEN 'notice_sent' ELSE 'disclosed' END END,
			DATE '2026-01-01' + INTERVAL (i % 300 + 10 * j) DAY, NULL, 'bench', 1 FROM range(1, ` + strconv.Itoa(n+1) + `) t(i), range(0, 3) u(j)`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		rows, err := Evaluate(context.Background(), db, day("2026-11-26"))
		if err != nil {
			b.Fatal(err)
		}
		if len(rows) != n {
			b.Fatalf("%d rows, want %d", len(rows), n)
		}
	}
}
