package apply

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cvetl/cvetl/internal/sqlrows"
	"github.com/cvetl/cvetl/restricted"
)

// Residue is something of an erased person still found in a sink. It names the place
// and the kind of identifier, never the identifier.
type Residue struct {
	Sink      string `json:"sink"`  // duckdb | keys | raw | files | <remote name>
	Place     string `json:"place"` // table, file or object
	SubjectID string `json:"subject_id"`
	What      string `json:"what"`
	Count     int    `json:"count"`
}

func (r Residue) String() string {
	return fmt.Sprintf("%s %s: %s of %s (%d)", r.Sink, r.Place, r.What, r.SubjectID, r.Count)
}

// Remote is a sink outside the store that may hold a subject's data (the S3 raw-file
// archive, the Parquet lake): Erase removes it, Residue finds what is left.
type Remote interface {
	Name() string
	Erase(ctx context.Context, id Identity) error
	Residue(ctx context.Context, id Identity) ([]string, error)
}

// KeyLookup finds a data key; restricted.ErrKeyDestroyed means it was shredded.
type KeyLookup interface {
	Lookup(ctx context.Context, keyID string) ([]byte, error)
}

// Scope is what a verification searches.
type Scope struct {
	DB      *sql.DB
	Keys    KeyLookup
	Dirs    []string // output folders: manifests, outbox, notices, the lake
	Files   []string // single files: the audit log
	Remotes []Remote
	// QuarantineDir holds copies of quarantined files named by content hash.
	QuarantineDir string
}

// keptTables hold only ids and decisions about a subject, never its data: they are the
// proof of what was decided and done, and stay after an erasure.
var keptTables = map[string]bool{"manifest_rows": true, "decisions": true, "applied": true,
	"erasures": true, "requests": true, "audit_head": true, "manifests": true, "runs": true}

// verify searches every sink in scope for the people in m; ids (optional) add the
// checks that need the identity itself: keys shredded, raw files and remote objects gone.
func verify(ctx context.Context, sc Scope, m *matcher, ids []Identity) ([]Residue, error) {
	var out []Residue
	tally := map[Residue]int{}
	note := func(sink, place string, hs []hit) {
		for _, h := range hs {
			tally[Residue{Sink: sink, Place: place, SubjectID: h.subjectID, What: h.what}]++
		}
	}
	if err := scanDuckDB(ctx, sc.DB, m, note); err != nil {
		return nil, err
	}
	var subjectIDs []string
	for _, p := range m.people {
		if p.deleted {
			subjectIDs = append(subjectIDs, p.subjectID)
		}
	}
	rowsLeft, err := subjectRows(ctx, sc.DB, subjectIDs)
	if err != nil {
		return nil, err
	}
	out = append(out, rowsLeft...)
	erasedLeft, err := erasedFileResidue(ctx, sc, ids)
	if err != nil {
		return nil, err
	}
	out = append(out, erasedLeft...)
	dirs := append([]string{}, sc.Dirs...)
	for _, r := range sc.Remotes {
		if v, ok := r.(LocalView); ok {
			dir, cleanup, err := v.LocalDir(ctx)
			if err != nil {
				return nil, err
			}
			defer cleanup()
			dirs = append(dirs, dir)
		}
	}
	for _, dir := range dirs {
		if err := scanDir(ctx, sc.DB, dir, m, note); err != nil {
			return nil, err
		}
	}
	for _, f := range sc.Files {
		if err := scanTextFile(f, m, note); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if err := scanRewrittenRaw(ctx, sc.DB, m, note); err != nil {
		return nil, err
	}
	for _, id := range ids {
		for _, k := range id.KeyIDs {
			if sc.Keys == nil {
				break
			}
			if _, err := sc.Keys.Lookup(ctx, k); !errors.Is(err, restricted.ErrKeyDestroyed) {
				out = append(out, Residue{Sink: "keys", Place: "data key", SubjectID: id.SubjectID, What: "data key not destroyed", Count: 1})
			}
		}
		for _, f := range id.Files {
			if !isLocal(f.Location) {
				continue
			}
			left, err := rawFileLeft(ctx, sc.DB, f)
			if err != nil {
				return nil, err
			}
			if left {
				out = append(out, Residue{Sink: "raw", Place: "raw file " + f.SHA256[:12], SubjectID: id.SubjectID, What: "raw input file", Count: 1})
			}
		}
		for _, r := range sc.Remotes {
			left, err := r.Residue(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("checking %s: %w", r.Name(), err)
			}
			for _, place := range left {
				out = append(out, Residue{Sink: r.Name(), Place: place, SubjectID: id.SubjectID, What: "object", Count: 1})
			}
		}
	}
	for r, n := range tally {
		r.Count = n
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, nil
}

// scanDuckDB reads every row of every table in the store and the restricted archive.
func scanDuckDB(ctx context.Context, db *sql.DB, m *matcher, note func(string, string, []hit)) error {
	tables, err := sqlrows.Strings(ctx, db, `SELECT table_schema || '.' || table_name FROM information_schema.tables
	    WHERE table_schema IN ('main', 'archived') AND table_type = 'BASE TABLE' ORDER BY 1`)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := scanQuery(ctx, db, "SELECT * FROM "+t, func(cells []string) {
			note("duckdb", t, m.hits(m.hashRow(cells)))
		}); err != nil {
			return fmt.Errorf("scanning %s: %w", t, err)
		}
	}
	return nil
}

func scanQuery(ctx context.Context, db *sql.DB, q string, fn func([]string)) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var cells []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		cells = cells[:0]
		for _, v := range vals {
			cells = flatten(cells, v)
		}
		fn(cells)
	}
	return rows.Err()
}

// flatten turns a DuckDB value (lists, structs and JSON included) into strings.
func flatten(out []string, v any) []string {
	switch x := v.(type) {
	case string:
		return append(out, x)
	case []any:
		for _, e := range x {
			out = flatten(out, e)
		}
	case map[string]any:
		for _, e := range x {
			out = flatten(out, e)
		}
	case time.Time:
		return append(out, x.Format(time.DateOnly))
	case []byte:
		// Sealed evidence and other binary values: ciphertext cannot be searched.
	}
	return out
}

// subjectRows finds rows still keyed by an erased subject id, outside the tables that
// only record decisions.
func subjectRows(ctx context.Context, db *sql.DB, subjectIDs []string) ([]Residue, error) {
	if len(subjectIDs) == 0 {
		return nil, nil
	}
	tables, err := sqlrows.Strings(ctx, db, `SELECT table_schema || '.' || table_name FROM information_schema.columns
	    WHERE table_schema IN ('main', 'archived') AND column_name = 'subject_id' ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	var out []Residue
	for _, t := range tables {
		if keptTables[strings.TrimPrefix(t, "main.")] {
			continue
		}
		for _, id := range subjectIDs {
			var n int
			if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+t+" WHERE subject_id = ?", id).Scan(&n); err != nil {
				return nil, err
			}
			if n > 0 {
				out = append(out, Residue{Sink: "duckdb", Place: t, SubjectID: id, What: "rows keyed by the subject id", Count: n})
			}
		}
	}
	return out, nil
}

// scanDir searches every file under dir: Parquet through DuckDB, the rest as text.
func scanDir(ctx context.Context, db *sql.DB, dir string, m *matcher, note func(string, string, []hit)) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		if strings.HasSuffix(path, ".parquet") {
			return scanQuery(ctx, db, "SELECT * FROM read_parquet("+quote(path)+")", func(cells []string) {
				note("files", path, m.hits(m.hashRow(cells)))
			})
		}
		return scanTextFile(path, m, note)
	})
}

var quotedRe = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)

// scanTextFile treats each line as a row whose cells are the line, its quoted strings
// and its comma- or tab-separated fields.
func scanTextFile(path string, m *matcher, note func(string, string, []hit)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return scanText(f, func(cells []string) { note("files", path, m.hits(m.hashRow(cells))) })
}

// scanText splits text into lines and hands each line's cells to fn.
func scanText(r io.Reader, fn func(cells []string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		cells := []string{line}
		for _, q := range quotedRe.FindAllStringSubmatch(line, -1) {
			cells = append(cells, q[1])
		}
		cells = append(cells, strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '\t' || r == ';' })...)
		fn(cells)
	}
	return sc.Err()
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func isLocal(loc string) bool { return loc != "" && !strings.Contains(loc, "://") }

// rawFileLeft says whether an erased subject's raw file is still on disk as an input
// that holds them: the ingested bytes, or bytes changed since. A file an erasure
// rewrote is not: scanRewrittenRaw searches what it still holds.
func rawFileLeft(ctx context.Context, db *sql.DB, f RawFile) (bool, error) {
	data, err := os.ReadFile(f.Location)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("raw file %.12s: %w", f.SHA256, err)
	}
	disk := sha256Hex(data)
	if disk == f.SHA256 {
		return true, nil
	}
	_, rewritten, err := RawLineage(ctx, db, f.SHA256, disk)
	return !rewritten, err
}

// scanRewrittenRaw searches every raw file an erasure rewrote, line by line, for the
// people in m. Residue names the file by its ingested content hash, never by path (a
// file name can be a person's name).
func scanRewrittenRaw(ctx context.Context, db *sql.DB, m *matcher, note func(string, string, []hit)) error {
	files, err := rewrittenFiles(ctx, db)
	if err != nil {
		return err
	}
	for _, f := range files {
		place := "raw file " + f.ingested[:12]
		err := scanTextFile(f.location, m, func(_, _ string, hs []hit) { note("raw", place, hs) })
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("raw file %.12s: %w", f.ingested, err)
		}
	}
	return nil
}
