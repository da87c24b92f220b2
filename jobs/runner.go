package jobs

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/cvetl/cvetl/internal/sqlfiles"
	"github.com/cvetl/cvetl/policy"
)

// The jobs, one readable SQL file each, run in the order of their numbers.
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// evaluationSteps build the deletion_rows table from the store and the policy tables.
var evaluationSteps = []string{"10_facts", "20_anchors", "30_rules", "40_retention"}

// script returns one embedded SQL file.
func script(name string) string { return sqlfiles.Read(sqlFiles, name) }

// run executes one SQL file, statement by statement, so that an error and the debug
// log name the statement (files with arguments hold one statement).
func run(ctx context.Context, conn *sql.Conn, name string, args ...any) error {
	stmts := statements(script(name))
	for i, stmt := range stmts {
		start := time.Now()
		if _, err := conn.ExecContext(ctx, stmt, args...); err != nil {
			if len(stmts) == 1 {
				return fmt.Errorf("jobs/sql/%s.sql: %w", name, err)
			}
			return fmt.Errorf("jobs/sql/%s.sql, statement %d (%s): %w", name, i+1, firstLine(stmt), err)
		}
		slog.Debug("nightly job statement", "file", name, "statement", i+1, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// statements splits a file at semicolons that end a line (the files keep to that).
func statements(body string) []string {
	var out []string
	for _, s := range strings.Split(body, ";\n") {
		if strings.TrimSpace(stripComments(s)) != "" {
			out = append(out, s)
		}
	}
	return out
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

// firstLine is the statement's first line of code, to name it in errors.
func firstLine(stmt string) string {
	for _, l := range strings.Split(stmt, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			return l
		}
	}
	return ""
}

// evaluate runs the jobs for the as-of day on conn, leaving their temporary tables
// (facts, rule_due, deletion_rows, …) for the caller to read.
func evaluate(ctx context.Context, conn *sql.Conn, pol *policy.Policy, asOf time.Time, onlySubject string, log *slog.Logger) error {
	if err := run(ctx, conn, "00_policy_tables"); err != nil {
		return err
	}
	if err := loadPolicy(ctx, conn, pol, asOf, onlySubject); err != nil {
		return err
	}
	for _, step := range evaluationSteps {
		start := time.Now()
		if err := run(ctx, conn, step); err != nil {
			return err
		}
		log.Debug("nightly job step", "step", step, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// temporaries are the jobs' temporary tables, deletion_rows (the result) first.
var temporaries = []string{"deletion_rows", "effective", "superseded", "due", "rule_due", "applicable",
	"suspended", "cond_fail", "cond_match", "anchors", "facts", "f_status", "f_roles", "f_consent", "f_hold",
	"f_special", "f_prov", "f_profiled", "ev_agg", "subj", "p_vocab", "p_triggers", "p_answers",
	"p_exceptions", "p_not_before", "p_cond_vals", "p_conds", "p_terms", "p_rules", "params"}

// dropTemp removes the jobs' temporary tables, so a long-lived connection does not keep
// a night's worth of facts in memory.
func dropTemp(conn *sql.Conn) { dropTables(conn, temporaries) }

// dropIntermediate keeps only deletion_rows and what the persist step reads, freeing
// memory before the manifest is written.
func dropIntermediate(conn *sql.Conn) {
	keep := map[string]bool{"deletion_rows": true, "params": true}
	var drop []string
	for _, t := range temporaries {
		if !keep[t] {
			drop = append(drop, t)
		}
	}
	dropTables(conn, drop)
}

func dropTables(conn *sql.Conn, tables []string) {
	for _, t := range tables {
		conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp."+t)
	}
}
