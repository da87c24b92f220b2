// Command benchgen writes a synthetic store for the nightly benchmark
// (scripts/bench-nightly.sh): subjects, identity keys, profiles, sources, events and
// special-category rows, generated inside DuckDB.
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cvetl/cvetl/sinks/duckstore"
)

//go:embed generate.sql
var generate string

func main() {
	db := flag.String("db", "bench.duckdb", "store to create (must not exist)")
	subjects := flag.Int("subjects", 1_000_000, "subjects")
	events := flag.Int("events", 10_000_000, "events")
	flag.Parse()
	if _, err := os.Stat(*db); err == nil {
		fmt.Fprintf(os.Stderr, "benchgen: %s exists\n", *db)
		os.Exit(1)
	}
	ctx := context.Background()
	start := time.Now()
	st, err := duckstore.Open(ctx, *db, duckstore.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
	defer st.Close()
	stmts := []string{fmt.Sprintf("SET VARIABLE subjects = %d", *subjects), fmt.Sprintf("SET VARIABLE events = %d", *events)}
	stmts = append(stmts, strings.Split(generate, ";\n")...)
	for _, q := range append(stmts, "CHECKPOINT") {
		if strings.TrimSpace(q) == "" {
			continue
		}
		t := time.Now()
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			fmt.Fprintf(os.Stderr, "benchgen: %.60s…: %v\n", strings.TrimSpace(q), err)
			os.Exit(1)
		}
		fmt.Printf("  %5.1fs  %.60s\n", time.Since(t).Seconds(), firstCode(q))
	}
	fmt.Printf("benchgen: %d subjects, %d events in %s (%.1fs)\n", *subjects, *events, *db, time.Since(start).Seconds())
}

// firstCode is the first line of a statement that is not a comment.
func firstCode(q string) string {
	for _, l := range strings.Split(q, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			return l
		}
	}
	return ""
}
