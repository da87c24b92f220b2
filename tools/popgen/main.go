// Command popgen writes a fictional population into a new store, to try `cvetl stats`
// (or any job) at volume: go run ./tools/popgen -db pop.duckdb -n 100000.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/cvetl/cvetl/internal/popgen"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

func main() {
	db := flag.String("db", "pop.duckdb", "store to create (must not exist)")
	n := flag.Int("n", 100_000, "subjects")
	flag.Parse()
	if _, err := os.Stat(*db); err == nil {
		fmt.Fprintf(os.Stderr, "popgen: %s exists\n", *db)
		os.Exit(1)
	}
	start := time.Now()
	ctx := context.Background()
	st, err := duckstore.Open(ctx, *db, duckstore.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "popgen:", err)
		os.Exit(1)
	}
	defer st.Close()
	if err := popgen.Generate(ctx, st.DB(), *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("popgen: %d subjects in %s (%.1fs)\n", *n, *db, time.Since(start).Seconds())
}
