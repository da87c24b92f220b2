package stats

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/marcboeker/go-duckdb"
)

// Export formats.
const (
	FormatDuckDB  = "duckdb"
	FormatParquet = "parquet"
)

// MetadataTable and TablesTable are the two tables that describe a release.
const (
	MetadataTable = "release_metadata"
	TablesTable   = "release_tables"
)

var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// WriteDuckDB writes the release as its own DuckDB file at path: one table per
// aggregate plus release_metadata and release_tables, nothing else. The file is written
// beside path and renamed into place, so analysts never open half a release.
func (r *Release) WriteDuckDB(ctx context.Context, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	if err := r.write(ctx, tmp, ""); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// WriteParquet writes one Parquet file per table (and the two description tables)
// into dir, and returns the files it wrote.
func (r *Release) WriteParquet(ctx context.Context, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := r.write(ctx, "", dir); err != nil {
		return nil, err
	}
	files := []string{filepath.Join(dir, MetadataTable+".parquet"), filepath.Join(dir, TablesTable+".parquet")}
	for _, t := range r.Tables {
		files = append(files, filepath.Join(dir, t.Name+".parquet"))
	}
	return files, nil
}

// write builds the release in a fresh DuckDB database (the file at path, or in memory)
// and, given a dir, copies every table to Parquet there.
func (r *Release) write(ctx context.Context, path, parquetDir string) error {
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return fmt.Errorf("stats: creating %s: %w", path, err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1)
	names := []string{MetadataTable, TablesTable}
	if err := r.writeMetadata(ctx, db); err != nil {
		return err
	}
	for _, t := range r.Tables {
		if err := writeTable(ctx, db, t); err != nil {
			return err
		}
		names = append(names, t.Name)
	}
	if parquetDir == "" {
		_, err := db.ExecContext(ctx, "CHECKPOINT")
		return err
	}
	for _, n := range names {
		file := filepath.Join(parquetDir, n+".parquet")
		q := fmt.Sprintf(`COPY %s TO '%s' (FORMAT parquet)`, n, strings.ReplaceAll(file, "'", "''"))
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("stats: writing %s: %w", file, err)
		}
	}
	return nil
}

func (r *Release) writeMetadata(ctx context.Context, db *sql.DB) error {
	stmts := []string{
		`CREATE TABLE release_metadata (as_of DATE, generated_at TIMESTAMP, k INTEGER, epsilon DOUBLE,
			delta DOUBLE, policy VARCHAR, retention_policy VARCHAR, tables_not_computed VARCHAR)`,
		`CREATE TABLE release_tables (table_name VARCHAR, title VARCHAR, row_dimension VARCHAR,
			column_dimension VARCHAR, unit VARCHAR, cells INTEGER, suppressed_cells INTEGER)`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("stats: %w", err)
		}
	}
	_, err := db.ExecContext(ctx, `INSERT INTO release_metadata VALUES (CAST(? AS DATE), ?, ?, NULL, NULL, ?, ?, ?)`,
		r.AsOf.Format("2006-01-02"), time.Now().UTC().Truncate(time.Second), r.K, r.Policy(), r.RetentionPolicy,
		strings.Join(r.Skipped, ", "))
	if err != nil {
		return fmt.Errorf("stats: release_metadata: %w", err)
	}
	for _, t := range r.Tables {
		_, err := db.ExecContext(ctx, `INSERT INTO release_tables VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.Name, t.Title, t.RowDim, t.ColDim, t.Unit, (t.R()+1)*(t.C()+1), t.SuppressedCells())
		if err != nil {
			return fmt.Errorf("stats: release_tables: %w", err)
		}
	}
	return nil
}

// writeTable writes a table in long form: one row per cell of the extended grid, the
// margins labelled Total, count NULL where withheld.
func writeTable(ctx context.Context, db *sql.DB, t *Table) error {
	for _, id := range []string{t.Name, t.RowDim, t.ColDim} {
		if !identifier.MatchString(id) || id == "count" || id == "suppressed" {
			return fmt.Errorf("stats: table %s: %q is not a usable column or table name", t.Name, id)
		}
	}
	create := fmt.Sprintf(`CREATE TABLE %s (%s VARCHAR NOT NULL, %s VARCHAR NOT NULL, count BIGINT, suppressed BOOLEAN NOT NULL)`,
		t.Name, t.RowDim, t.ColDim)
	if _, err := db.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("stats: table %s: %w", t.Name, err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", t.Name)
		if err != nil {
			return fmt.Errorf("stats: table %s: %w", t.Name, err)
		}
		for i := range t.Count {
			for j := range t.Count[i] {
				var count driver.Value // NULL where withheld
				if !t.Suppressed[i][j] {
					count = t.Count[i][j]
				}
				if err := a.AppendRow(t.RowLabel(i), t.ColLabel(j), count, t.Suppressed[i][j]); err != nil {
					a.Close()
					return fmt.Errorf("stats: table %s: %w", t.Name, err)
				}
			}
		}
		if err := a.Close(); err != nil {
			return fmt.Errorf("stats: table %s: %w", t.Name, err)
		}
		return nil
	})
}
