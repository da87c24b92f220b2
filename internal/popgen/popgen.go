// Package popgen writes a fictional population of any size straight into a migrated
// store, for tests and benchmarks that need realistic volumes (the statistics attack
// tests run on 100,000 subjects). It is deterministic and uses only invented data.
package popgen

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"github.com/cvetl/cvetl/classifiers"
)

//go:embed population.sql
var populationSQL string

// Generate adds n subjects (ids P0000001…) with their profiles, sources, events,
// restricted rows, manifests and decisions to the store behind db.
func Generate(ctx context.Context, db *sql.DB, n int) error {
	if n < 1 || n > 9_999_999 {
		return fmt.Errorf("popgen: n = %d: want 1..9999999", n)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	stmts := []string{fmt.Sprintf("SET VARIABLE n = %d", n), "SET VARIABLE skills = " + skillsLiteral()}
	stmts = append(stmts, strings.Split(populationSQL, ";\n")...)
	for _, q := range stmts {
		if strings.TrimSpace(stripComments(q)) == "" {
			continue
		}
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("popgen: %.70s…: %w", strings.TrimSpace(stripComments(q)), err)
		}
	}
	return nil
}

// skillsLiteral is the taxonomy's skill names as a DuckDB list literal, in a stable order.
func skillsLiteral() string {
	var names []string
	for name, sector := range classifiers.SkillSectors() {
		if sector != "general" {
			names = append(names, "'"+strings.ReplaceAll(name, "'", "''")+"'")
		}
	}
	sort.Strings(names)
	return "[" + strings.Join(names, ", ") + "]"
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
