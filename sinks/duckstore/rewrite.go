package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/marcboeker/go-duckdb"
)

// RewriteFile replaces the closed DuckDB file at path with a fresh copy of its live
// data (COPY FROM DATABASE: tables, constraints, schemas). DuckDB leaves the bytes of
// deleted and updated rows in freed blocks until it reuses them, so after a purge, an
// erasure or a key destruction the old values can still be read from the file; the
// copy holds none. The copy is written beside the file and renamed over it while the
// original is still open, so DuckDB's lock on it keeps every other process (`cvetl
// serve` opens the store per request) from writing to the old file in between; they
// wait and then open the new one. A crash leaves either file whole, and a stale copy is
// removed by the next call.
func RewriteFile(ctx context.Context, path string) error {
	fresh := path + ".rewrite"
	for _, p := range []string{fresh, fresh + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("rewriting %s: removing a stale copy: %w", filepath.Base(path), err)
		}
	}
	if err := copyOver(ctx, path, fresh); err != nil {
		os.Remove(fresh)
		return fmt.Errorf("rewriting %s: %w", filepath.Base(path), err)
	}
	if _, err := os.Stat(path + ".wal"); err == nil {
		return fmt.Errorf("rewriting %s: the old file left a write-ahead log beside the new one", filepath.Base(path))
	}
	return nil
}

// copyOver copies the database at from into to, then renames to over from while from
// is still open.
func copyOver(ctx context.Context, from, to string) error {
	connector, err := duckdb.NewConnector(from, nil)
	if err != nil {
		return explainOpen(from, err)
	}
	db := sql.OpenDB(connector) // closes the connector, and so the file, when closed
	defer db.Close()
	db.SetMaxOpenConns(1)
	var name string
	if err := db.QueryRowContext(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		return err
	}
	for _, q := range []string{
		`ATTACH '` + strings.ReplaceAll(to, "'", "''") + `' AS cvetl_rewrite`,
		`COPY FROM DATABASE "` + strings.ReplaceAll(name, `"`, `""`) + `" TO cvetl_rewrite`,
		`DETACH cvetl_rewrite`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if _, err := os.Stat(to + ".wal"); err == nil {
		return errors.New("the copy left a write-ahead log after it was detached: not replacing the file")
	}
	if err := syncFile(to); err != nil {
		return err
	}
	if err := os.Rename(to, from); err != nil {
		return err
	}
	if err := syncFile(filepath.Dir(from)); err != nil {
		return err
	}
	return db.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
