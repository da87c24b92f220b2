package stats

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cvetl/cvetl/classifiers"
)

//go:embed stats.sql
var statsSQL string

// spec is one table of stats.sql: its header and its query.
type spec struct {
	Name, Title, RowDim, ColDim, Unit string
	ColOrder                          []string
	Requires                          string   // a store table that must exist, or ""
	RequiresCols                      []string // and the columns it must have
	Same                              []sameFigure
	// Replaces names a table left out of the release when this one is computed: the
	// two would count the same subjects split two ways, and suppression protects each
	// table's cells only against its own totals and declared shared figures.
	Replaces string
	Query    string
}

// sameFigure declares a figure of this table equal to one of another table.
type sameFigure struct {
	Row, Col, Table, OtherRow, OtherCol string
}

// specs parses stats.sql: statements end with ";\n"; each starts with its header lines.
func specs() ([]spec, error) {
	var out []spec
	for _, stmt := range strings.Split(statsSQL, ";\n") {
		var s spec
		var code []string
		for _, line := range strings.Split(stmt, "\n") {
			trimmed := strings.TrimSpace(line)
			if h, ok := strings.CutPrefix(trimmed, "-- "); ok {
				key, value, found := strings.Cut(h, ":")
				if found && !strings.Contains(key, " ") {
					s.set(key, strings.TrimSpace(value))
				}
				continue
			}
			if trimmed != "" && !strings.HasPrefix(trimmed, "--") {
				code = append(code, line)
			}
		}
		if len(code) == 0 {
			continue
		}
		s.Query = strings.Join(code, "\n")
		if s.Name == "" || s.RowDim == "" || s.ColDim == "" || s.Unit == "" || s.Title == "" {
			return nil, fmt.Errorf("stats.sql: a statement lacks its table/title/rows/cols/unit header: %.60s", strings.TrimSpace(s.Query))
		}
		out = append(out, s)
	}
	return out, nil
}

func (s *spec) set(key, value string) {
	switch key {
	case "table":
		s.Name = value
	case "title":
		s.Title = value
	case "rows":
		s.RowDim = value
	case "cols":
		s.ColDim = value
	case "unit":
		s.Unit = value
	case "col_order":
		for _, v := range strings.Split(value, ",") {
			s.ColOrder = append(s.ColOrder, strings.TrimSpace(v))
		}
	case "same_figure":
		left, right, _ := strings.Cut(value, "=")
		table, cell, _ := strings.Cut(strings.TrimSpace(right), "(")
		r, c, _ := strings.Cut(left, ",")
		or, oc, _ := strings.Cut(strings.TrimSuffix(cell, ")"), ",")
		s.Same = append(s.Same, sameFigure{strings.TrimSpace(r), strings.TrimSpace(c), strings.TrimSpace(table),
			strings.TrimSpace(or), strings.TrimSpace(oc)})
	case "replaces":
		s.Replaces = value
	case "requires":
		name, cols, _ := strings.Cut(value, "(")
		s.Requires = strings.TrimSpace(name)
		for _, c := range strings.Split(strings.TrimSuffix(cols, ")"), ",") {
			if c = strings.TrimSpace(c); c != "" {
				s.RequiresCols = append(s.RequiresCols, c)
			}
		}
	}
}

// Compute runs every table of stats.sql against the store as of a day and returns the
// raw counts, before disclosure control. Tables whose required store table is absent
// are skipped and named in the second result. It only reads the store, apart from two
// temporary tables on its own connection. Monitoring answers are not counted by value;
// see ComputeWith.
func Compute(ctx context.Context, db *sql.DB, asOf time.Time) ([]*Table, []string, error) {
	return ComputeWith(ctx, db, nil, asOf)
}

// ComputeWith is Compute that also counts monitoring answers by value, opening them
// through ev (nil: that table is skipped).
func ComputeWith(ctx context.Context, db *sql.DB, ev EvidenceSource, asOf time.Time) ([]*Table, []string, error) {
	all, err := specs()
	if err != nil {
		return nil, nil, err
	}
	var answers []string
	if ev != nil { // before taking a connection: the store may allow only one
		if answers, err = monitoringAnswers(ctx, ev); err != nil {
			return nil, nil, err
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET VARIABLE as_of = DATE '%s'", asOf.Format("2006-01-02"))); err != nil {
		return nil, nil, fmt.Errorf("stats: setting as_of: %w", err)
	}
	if err := loadSkillSectors(ctx, conn); err != nil {
		return nil, nil, err
	}
	if err := loadMonitoringValues(ctx, conn, answers); err != nil {
		return nil, nil, err
	}
	defer conn.ExecContext(ctx, `DROP TABLE IF EXISTS temp.monitoring_values`)
	var tables []*Table
	var skipped []string
	for _, s := range all {
		ok, err := hasTable(ctx, conn, s.Requires, s.RequiresCols)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			skipped = append(skipped, s.Name)
			continue
		}
		t, err := computeTable(ctx, conn, s)
		if err != nil {
			return nil, nil, err
		}
		tables = append(tables, t)
	}
	tables, skipped = dropReplaced(all, tables, skipped)
	if err := linkSameFigures(all, tables); err != nil {
		return nil, nil, err
	}
	return tables, skipped, nil
}

// dropReplaced leaves out the tables a computed table replaces, naming them in skipped.
func dropReplaced(all []spec, tables []*Table, skipped []string) ([]*Table, []string) {
	computed := map[string]bool{}
	for _, t := range tables {
		computed[t.Name] = true
	}
	drop := map[string]bool{}
	for _, s := range all {
		if s.Replaces != "" && computed[s.Name] && computed[s.Replaces] {
			drop[s.Replaces] = true
			skipped = append(skipped, s.Replaces)
		}
	}
	return slices.DeleteFunc(tables, func(t *Table) bool { return drop[t.Name] }), skipped
}

// linkSameFigures records the figures two tables share, after checking they are equal.
func linkSameFigures(all []spec, tables []*Table) error {
	byName := map[string]*Table{}
	for _, t := range tables {
		byName[t.Name] = t
	}
	for _, s := range all {
		for _, f := range s.Same {
			a, b := byName[s.Name], byName[f.Table]
			if a == nil || b == nil {
				continue // a table not computed shares nothing
			}
			ac, aok := a.cell(f.Row, f.Col)
			bc, bok := b.cell(f.OtherRow, f.OtherCol)
			av, bv := a.valueAt(ac, aok), b.valueAt(bc, bok)
			if av != bv {
				return fmt.Errorf("stats.sql: %s(%s, %s) = %d and %s(%s, %s) = %d are declared the same figure",
					a.Name, f.Row, f.Col, av, b.Name, f.OtherRow, f.OtherCol, bv)
			}
			if !aok || !bok {
				continue // both empty
			}
			if a.partners == nil {
				a.partners = map[[2]int]partner{}
			}
			if b.partners == nil {
				b.partners = map[[2]int]partner{}
			}
			a.partners[ac] = partner{b, bc}
			b.partners[bc] = partner{a, ac}
		}
	}
	return nil
}

// hasTable reports whether a store table with the given columns exists ("" always does).
func hasTable(ctx context.Context, conn *sql.Conn, table string, cols []string) (bool, error) {
	if table == "" {
		return true, nil
	}
	for _, c := range append([]string{""}, cols...) {
		var n int
		err := conn.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.columns
			WHERE table_schema = 'main' AND table_name = ? AND (? = '' OR column_name = ?)`, table, c, c).Scan(&n)
		if err != nil {
			return false, fmt.Errorf("stats: looking for table %s: %w", table, err)
		}
		if n == 0 {
			return false, nil
		}
	}
	return true, nil
}

// loadSkillSectors puts the skills taxonomy in a temp table for the sector aggregate.
func loadSkillSectors(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE skill_sectors (skill VARCHAR, sector VARCHAR)`); err != nil {
		return fmt.Errorf("stats: skill_sectors: %w", err)
	}
	var values []string // the taxonomy is our own embedded data, quoted all the same
	for skill, sector := range classifiers.SkillSectors() {
		values = append(values, "("+quote(skill)+", "+quote(sector)+")")
	}
	if len(values) == 0 {
		return nil
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO skill_sectors VALUES `+strings.Join(values, ", "))
	if err != nil {
		return fmt.Errorf("stats: loading skill_sectors: %w", err)
	}
	return nil
}

// computeTable counts one spec's units per cell and per margin. GROUPING SETS give the
// distinct subjects of every margin, which the threshold needs (a subject may count in
// several cells of a line, so those are not sums).
func computeTable(ctx context.Context, conn *sql.Conn, s spec) (*Table, error) {
	// Restricted subjects (GDPR Art. 18: storage only) are left out of every count.
	q := `WITH units AS (SELECT DISTINCT CAST(row_key AS VARCHAR) AS row_key, CAST(col_key AS VARCHAR) AS col_key, subject_id
		FROM (` + s.Query + `) u WHERE NOT EXISTS (SELECT 1 FROM restrictions r WHERE r.subject_id = u.subject_id))
		SELECT grouping(row_key) AS row_total, grouping(col_key) AS col_total,
		       coalesce(row_key, ''), coalesce(col_key, ''), count(*), count(DISTINCT subject_id)
		FROM units GROUP BY GROUPING SETS ((row_key, col_key), (row_key), (col_key), ())`
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("stats.sql table %s: %w", s.Name, err)
	}
	defer rows.Close()
	type cell struct {
		rowTotal, colTotal bool
		row, col           string
		count, subjects    int64
	}
	var cells []cell
	rowSet, colSet := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var c cell
		var rt, ct int
		if err := rows.Scan(&rt, &ct, &c.row, &c.col, &c.count, &c.subjects); err != nil {
			return nil, fmt.Errorf("stats.sql table %s: %w", s.Name, err)
		}
		c.rowTotal, c.colTotal = rt == 1, ct == 1
		if !c.rowTotal && !c.colTotal {
			if c.row == "" || c.col == "" {
				return nil, fmt.Errorf("stats.sql table %s: a unit has an empty %s or %s", s.Name, s.RowDim, s.ColDim)
			}
			rowSet[c.row], colSet[c.col] = true, true
		}
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats.sql table %s: %w", s.Name, err)
	}
	t := newTable(s.Name, sortedKeys(rowSet, nil), sortedKeys(colSet, s.ColOrder))
	t.Title, t.RowDim, t.ColDim, t.Unit = s.Title, s.RowDim, s.ColDim, s.Unit
	ri, ci := index(t.Rows), index(t.Cols)
	for _, c := range cells {
		i, j := t.R(), t.C()
		if !c.rowTotal {
			i = ri[c.row]
		}
		if !c.colTotal {
			j = ci[c.col]
		}
		t.Count[i][j], t.Subjects[i][j] = c.count, c.subjects
	}
	if err := t.checkAdditive(); err != nil {
		return nil, err
	}
	return t, nil
}

// sortedKeys puts the values of order first, in that order, then the rest sorted.
func sortedKeys(set map[string]bool, order []string) []string {
	var out []string
	for _, o := range order {
		if set[o] {
			out = append(out, o)
		}
	}
	var rest []string
	for k := range set {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func index(keys []string) map[string]int {
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	return m
}

// quote is a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
