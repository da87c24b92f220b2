package apply

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// erasedMark replaces an erased person's identifiers in output files.
const erasedMark = "[erased]"

// scrubOutputs removes a person from the files cvetl wrote under out: identifiers in
// manifests are replaced (the rows stay, as the record of what was decided); any other
// file that names them (a consent request or notice addressed to them) is deleted.
func scrubOutputs(ctx context.Context, db *sql.DB, out string, id Identity) error {
	needles := identifiers(id)
	if len(needles) == 0 {
		return nil
	}
	manifests := filepath.Join(out, "manifests")
	return filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(filepath.Base(path), ".") {
			return nil
		}
		inManifests := strings.HasPrefix(path, manifests+string(filepath.Separator))
		if strings.HasSuffix(path, ".parquet") {
			if !inManifests {
				return nil // the lake is rewritten by its own Remote
			}
			return scrubParquet(ctx, db, path, needles)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		changed := b
		for _, n := range needles {
			changed = replaceFold(changed, n, erasedMark)
		}
		if bytes.Equal(changed, b) {
			return nil
		}
		if !inManifests {
			return os.Remove(path)
		}
		return writeAtomic(path, changed)
	})
}

// identifiers are the exact strings to remove from output files: e-mails, phones in
// the form stored, NI numbers and names.
func identifiers(id Identity) []string {
	var out []string
	for _, l := range [][]string{id.Emails, id.Phones, id.NINumbers, id.Names} {
		for _, s := range l {
			if len(s) >= 3 {
				out = append(out, s)
			}
		}
	}
	return out
}

func replaceFold(b []byte, needle, with string) []byte {
	lower := bytes.ToLower(b)
	n := bytes.ToLower([]byte(needle))
	var out []byte
	for {
		i := bytes.Index(lower, n)
		if i < 0 {
			return append(out, b...)
		}
		out = append(append(out, b[:i]...), with...)
		b, lower = b[i+len(n):], lower[i+len(n):]
	}
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// scrubParquet rewrites a Parquet manifest with the identifiers replaced in every
// text column.
func scrubParquet(ctx context.Context, db *sql.DB, path string, needles []string) error {
	cols, err := describe(ctx, db, path)
	if err != nil {
		return err
	}
	var sel []string
	for _, c := range cols {
		expr := `"` + c.name + `"`
		if c.typ == "VARCHAR" {
			for _, n := range needles {
				expr = fmt.Sprintf("regexp_replace(%s, %s, %s, 'gi')", expr, quote(regexpQuote(n)), quote(erasedMark))
			}
			expr += ` AS "` + c.name + `"`
		}
		sel = append(sel, expr)
	}
	tmp := path + ".tmp.parquet"
	q := fmt.Sprintf("COPY (SELECT %s FROM read_parquet(%s)) TO %s (FORMAT parquet, COMPRESSION zstd)",
		strings.Join(sel, ", "), quote(path), quote(tmp))
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("rewriting %s: %w", filepath.Base(path), err)
	}
	return os.Rename(tmp, path)
}

type column struct{ name, typ string }

func describe(ctx context.Context, db *sql.DB, path string) ([]column, error) {
	rows, err := db.QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet("+quote(path)+"))")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteRune('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
