package lake

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cvetl/cvetl/internal/sqlfiles"
)

//go:embed sql/*.sql
var queries embed.FS

func query(name string) string { return sqlfiles.Read(queries, name) }

// ExportOptions say what one export writes.
type ExportOptions struct {
	// Name is this writer's file name in every partition (part-<Name>.parquet): one
	// name per store, e.g. "main" or a shard label "s0of3". An export replaces the
	// files of its own name and touches no other.
	Name string
	// Tables to export; nil means all.
	Tables []Table
	// Incremental rewrites only the partitions from the first day with runs (or
	// subject merges) after the last export of this name; otherwise every partition.
	Incremental bool
	// Retain keeps, in each partition rewritten, the rows this writer's file already
	// holds that the store no longer has (by the table's key), and never removes this
	// writer's files: for a shard's store, which drops what it has handed off
	// (duckstore.Store.PurgeHandedOff) while the lake must keep it.
	Retain bool
}

// ExportReport says what an export wrote.
type ExportReport struct {
	Files   int               `json:"files"`           // Parquet files written
	Removed int               `json:"removed"`         // files of this name whose partition has no rows any more
	Rows    map[string]int    `json:"rows"`            // rows written, by table
	Since   map[string]string `json:"since,omitempty"` // first partition rewritten, by table
}

// exportState is what an incremental export remembers, in the lake itself, so the
// lake says what it holds: the last run of the store written, per table.
type exportState struct {
	SchemaVersion int              `json:"schema_version"`
	LastRun       map[string]int64 `json:"last_run_id"`
}

func stateKey(name string) string { return "_cvetl/exports/" + name + ".json" }

// Export writes the store's tables (db is an open duckstore database) to the lake,
// one file per table, partition and writer name. Re-running it gives the same files;
// a run that fails part-way can be re-run.
func Export(ctx context.Context, db *sql.DB, l *Lake, opt ExportOptions) (ExportReport, error) {
	rep := ExportReport{Rows: map[string]int{}, Since: map[string]string{}}
	if err := ValidName(opt.Name); err != nil {
		return rep, err
	}
	tables := opt.Tables
	if tables == nil {
		tables = Tables
	}
	tmp, err := os.MkdirTemp("", "cvetl-lake-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)

	st, err := l.readState(ctx, opt.Name, tmp)
	if err != nil {
		return rep, err
	}
	var lastRun sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT max(run_id) FROM runs`).Scan(&lastRun); err != nil {
		return rep, fmt.Errorf("lake export: reading runs: %w", err)
	}
	for _, t := range tables {
		since := "0001-01-01"
		if opt.Incremental {
			var s sql.NullString
			if err := db.QueryRowContext(ctx, query("since"), st.LastRun[t.Name]).Scan(&s); err != nil {
				return rep, fmt.Errorf("lake export %s: %w", t.Name, err)
			}
			if !s.Valid {
				continue // nothing new for this table
			}
			since = s.String
			rep.Since[t.Name] = since
		}
		if err := l.exportTable(ctx, db, t, opt.Name, since, opt.Retain, tmp, &rep); err != nil {
			return rep, err
		}
		st.LastRun[t.Name] = lastRun.Int64
	}
	if err := l.writeState(ctx, opt.Name, st, tmp); err != nil {
		return rep, err
	}
	return rep, nil
}

// exportTable streams one table's rows from since on into one file per partition
// (the query is in partition order), storing each file when its partition's last row
// has been read, then removes this writer's files of partitions now empty. Memory
// stays at one row group whatever the partition's size.
func (l *Lake) exportTable(ctx context.Context, db *sql.DB, t Table, name, since string, retain bool, tmp string, rep *ExportReport) (err error) {
	existing, err := l.Files(ctx, t.Name)
	if err != nil {
		return err
	}
	mine := map[string]File{} // this writer's files, by partition
	for _, f := range existing {
		if f.Name == name {
			mine[f.IngestDate] = f
		}
	}
	key := columnIndexes(t, t.Key)
	var fromStore map[string]bool // keys of the partition's rows read from the store, when retaining
	rows, err := db.QueryContext(ctx, query(t.Name), since)
	if err != nil {
		return fmt.Errorf("lake export %s: %w", t.Name, err)
	}
	defer rows.Close()
	written := map[string]bool{}
	var (
		day   string
		w     *fileWriter
		local string
	)
	defer func() {
		if w != nil { // an error left a file open
			w.abort()
		}
	}()
	finish := func() error {
		if w == nil {
			return nil
		}
		if retain {
			if err := l.retainRows(ctx, t, mine, day, key, fromStore, w, tmp); err != nil {
				return err
			}
		}
		n := w.n
		err := w.close()
		w = nil
		if err != nil {
			return fmt.Errorf("lake: writing %s: %w", fileKey(t.Name, day, name), err)
		}
		defer os.Remove(local)
		if err := l.b.put(ctx, fileKey(t.Name, day, name), local); err != nil {
			return fmt.Errorf("lake %s: storing %s: %w", l, fileKey(t.Name, day, name), err)
		}
		written[day] = true
		rep.Files++
		rep.Rows[t.Name] += n
		return nil
	}
	vals := make([]any, len(t.Columns)+1)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("lake export %s: %w", t.Name, err)
		}
		if d, _ := vals[0].(string); d != day || w == nil {
			if err := finish(); err != nil {
				return err
			}
			day = d
			local = filepath.Join(tmp, t.Name+"-"+day+"-"+name+".parquet")
			if w, err = newFileWriter(local, t); err != nil {
				return fmt.Errorf("lake: writing %s: %w", fileKey(t.Name, day, name), err)
			}
			fromStore = map[string]bool{}
		}
		r := make(Row, len(t.Columns))
		for i, c := range t.Columns {
			v, err := fromDB(vals[i+1], c.Type)
			if err != nil {
				return fmt.Errorf("lake export %s, column %s: %w", t.Name, c.Name, err)
			}
			r[i] = v
		}
		if err := w.add(r); err != nil {
			return err
		}
		if retain {
			fromStore[rowKey(r, key)] = true
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lake export %s: %w", t.Name, err)
	}
	if err := finish(); err != nil {
		return err
	}
	for _, f := range existing {
		if !retain && f.Name == name && f.IngestDate >= since && !written[f.IngestDate] {
			if _, err := l.b.remove(ctx, f.Key); err != nil {
				return fmt.Errorf("lake %s: removing %s: %w", l, f.Key, err)
			}
			rep.Removed++
		}
	}
	return nil
}

// retainRows adds to w the rows of this writer's existing file of the partition whose
// key the store's rows did not have: rows of runs the store has handed off and purged.
func (l *Lake) retainRows(ctx context.Context, t Table, mine map[string]File, day string, key []int, fromStore map[string]bool, w *fileWriter, tmp string) error {
	f, ok := mine[day]
	if !ok {
		return nil
	}
	old, err := l.read(ctx, f, t, tmp)
	if err != nil {
		return err
	}
	for _, r := range old {
		if !fromStore[rowKey(r, key)] {
			if err := w.add(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// rowKey joins a row's key columns into one map key.
func rowKey(r Row, key []int) string {
	var b strings.Builder
	for _, i := range key {
		fmt.Fprintf(&b, "%v\x00", r[i])
	}
	return b.String()
}

// writePartition writes rows to a temp file and stores it under the partition key.
func (l *Lake) writePartition(ctx context.Context, t Table, day, name string, rows []Row, tmp string) error {
	key := fileKey(t.Name, day, name)
	local := filepath.Join(tmp, t.Name+"-"+day+"-"+name+".parquet")
	if err := writeParquet(local, t, rows); err != nil {
		return fmt.Errorf("lake: writing %s: %w", key, err)
	}
	defer os.Remove(local)
	if err := l.b.put(ctx, key, local); err != nil {
		return fmt.Errorf("lake %s: storing %s: %w", l, key, err)
	}
	return nil
}

// fromDB turns what the DuckDB driver scanned into a Row value of the column type.
func fromDB(v any, t ColType) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t {
	case String, JSON:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case StringList:
		if l, ok := v.([]any); ok {
			out := make([]string, 0, len(l))
			for _, x := range l {
				s, ok := x.(string)
				if !ok {
					return nil, fmt.Errorf("list element %T, want string", x)
				}
				out = append(out, s)
			}
			return out, nil
		}
	case Date, Timestamp:
		if ts, ok := v.(time.Time); ok {
			return ts.UTC(), nil
		}
	case Bool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	}
	return nil, fmt.Errorf("unexpected %T from the store", v)
}

func (l *Lake) readState(ctx context.Context, name, tmp string) (exportState, error) {
	st := exportState{SchemaVersion: SchemaVersion, LastRun: map[string]int64{}}
	keys, err := l.b.list(ctx, stateKey(name))
	if err != nil {
		return st, fmt.Errorf("lake %s: reading export state: %w", l, err)
	}
	found := false
	for _, k := range keys {
		found = found || k == stateKey(name)
	}
	if !found {
		return st, nil // first export of this name
	}
	p, err := l.b.local(ctx, stateKey(name), tmp)
	if err != nil {
		return st, fmt.Errorf("lake %s: reading export state: %w", l, err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(b, &st); err != nil || st.LastRun == nil {
		return st, fmt.Errorf("lake %s: export state %s is not valid: %v", l, stateKey(name), err)
	}
	if st.SchemaVersion != SchemaVersion {
		// Another layout: rewrite everything this writer owns.
		return exportState{SchemaVersion: SchemaVersion, LastRun: map[string]int64{}}, nil
	}
	return st, nil
}

func (l *Lake) writeState(ctx context.Context, name string, st exportState, tmp string) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(tmp, "state.json")
	if err := os.WriteFile(p, b, 0o640); err != nil {
		return err
	}
	if err := l.b.put(ctx, stateKey(name), p); err != nil {
		return fmt.Errorf("lake %s: storing export state: %w", l, err)
	}
	return nil
}
