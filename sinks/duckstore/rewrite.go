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
// deleted and updated rows in freed blocks until it reuses them, so after a purge or a
// key destruction the old values can still be read from the file; the copy holds none.
// The copy is written beside the file and renamed over it: a crash leaves either file
// whole, and a stale copy is removed by the next call. No other process may open the
// file meanwhile (a shard's store has one writer).
func RewriteFile(ctx context.Context, path string) error {
	fresh := path + ".rewrite"
	for _, p := range []string{fresh, fresh + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("rewriting %s: removing a stale copy: %w", filepath.Base(path), err)
		}
	}
	if err := copyDatabase(ctx, path, fresh); err != nil {
		os.Remove(fresh)
		return fmt.Errorf("rewriting %s: %w", filepath.Base(path), err)
	}
	for _, wal := range []string{path + ".wal", fresh + ".wal"} {
		if _, err := os.Stat(wal); err == nil {
			os.Remove(fresh)
			return fmt.Errorf("rewriting %s: a write-ahead log was left after closing: not replacing the file", filepath.Base(path))
		}
	}
	if err := syncFile(fresh); err != nil {
		return fmt.Errorf("rewriting %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(fresh, path); err != nil {
		return fmt.Errorf("rewriting %s: %w", filepath.Base(path), err)
	}
	return syncFile(filepath.Dir(path))
}

func copyDatabase(ctx context.Context, from, to string) error {
	connector, err := duckdb.NewConnector(from, nil)
	if err != nil {
		return explainOpen(from, err)
	}
	db := sql.OpenDB(connector)
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
