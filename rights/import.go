package rights

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cvetl/cvetl/internal/sqlrows"
	"github.com/cvetl/cvetl/profile"
)

// ImportExport restores a subject from an export archive's subject.json into this
// store (data portability, Art. 20, and the proof that the export is complete): every
// table's rows as they were, special-category evidence sealed again under this store's
// keys. It refuses a subject id or identity key the store already holds.
func (s *Service) ImportExport(ctx context.Context, r io.ReaderAt, size int64) (*Document, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, refuse("not an export archive: %v", err)
	}
	f, err := z.Open("subject.json")
	if err != nil {
		return nil, refuse("not an export archive: no subject.json")
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		return nil, refuse("subject.json: %v", err)
	}
	if doc.Format != ExportFormat {
		return nil, refuse("subject.json: format %q, want %q", doc.Format, ExportFormat)
	}
	if len(doc.Tables["subjects"]) != 1 {
		return nil, refuse("subject.json: want exactly one subjects row")
	}
	if err := s.checkFree(ctx, &doc); err != nil {
		return nil, err
	}
	// Seal first: the key store is a separate database, outside the transaction.
	sealed := map[string][]byte{}
	for i, row := range doc.Tables["special_categories"] {
		tag, _ := row["tag_id"].(string)
		keyID, _ := row["key_id"].(string)
		cat, _ := row["category"].(string)
		ev, ok := row["evidence"].(string)
		if tag == "" || keyID == "" || !ok {
			return nil, refuse("subject.json: special_categories[%d]: needs tag_id, key_id and evidence", i)
		}
		if sealed[tag], err = s.Store.SealEvidence(ctx, keyID, tag, profile.Category(cat), ev); err != nil {
			return nil, err
		}
	}
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, err
	}
	err = func() error {
		for _, t := range exportTables {
			table := t.name
			if table == "special_categories" {
				table = "restricted"
			}
			cols, err := columns(ctx, conn, table)
			if err != nil {
				return err
			}
			for i, row := range doc.Tables[t.name] {
				if key, shared := sharedRowKeys[table]; shared {
					var n int
					if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE `+key+` = ?`, row[key]).Scan(&n); err != nil {
						return err
					}
					if n > 0 {
						continue // another subject's import brought it
					}
				}
				q, args, err := insertRow(table, cols, row, sealed)
				if err != nil {
					return fmt.Errorf("subject.json: %s[%d]: %w", t.name, i, err)
				}
				if _, err := conn.ExecContext(ctx, q, args...); err != nil {
					return fmt.Errorf("subject.json: %s[%d]: %w", t.name, i, err)
				}
			}
		}
		return nil
	}()
	if err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return nil, err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return &doc, err
}

// sharedRowKeys are the exported tables whose rows are not the subject's alone (a
// manifest, a deleted file several people's data came from), by key column: an import
// skips a row the store already holds.
var sharedRowKeys = map[string]string{"manifests": "manifest_id", "raw_file_deletions": "file_sha256"}

// checkFree refuses an import whose subject id or identity keys are taken.
func (s *Service) checkFree(ctx context.Context, doc *Document) error {
	ids, err := sqlrows.Strings(ctx, s.DB, `SELECT subject_id FROM subjects WHERE subject_id = ?`, doc.SubjectID)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		return refuse("subject %s already exists in this store", doc.SubjectID)
	}
	for _, k := range doc.Tables["subject_keys"] {
		key, _ := k["key"].(string)
		owners, err := sqlrows.Strings(ctx, s.DB, `SELECT subject_id FROM subject_keys WHERE key = ?`, key)
		if err != nil {
			return err
		}
		if len(owners) > 0 {
			return refuse("an identity key of the export already belongs to subject %s: merge by hand", owners[0])
		}
	}
	return nil
}

type column struct{ name, typ string }

func columns(ctx context.Context, conn *sql.Conn, table string) ([]column, error) {
	// On the transaction's connection: the store has only one.
	rows, err := conn.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position`, table)
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

// insertRow builds an INSERT that lets DuckDB cast each JSON value to its column's type.
func insertRow(table string, cols []column, row map[string]any, sealed map[string][]byte) (string, []any, error) {
	obj := map[string]any{}
	for k, v := range row {
		obj[k] = v
	}
	delete(obj, "evidence")
	j, err := json.Marshal(obj)
	if err != nil {
		return "", nil, err
	}
	names := make([]string, 0, len(cols))
	exprs := make([]string, 0, len(cols))
	args := []any{string(j)}
	for _, c := range cols {
		if table == "restricted" && c.name == "evidence_sealed" {
			tag, _ := row["tag_id"].(string)
			names = append(names, `"`+c.name+`"`)
			exprs = append(exprs, "$2")
			args = append(args, sealed[tag])
			continue
		}
		if _, ok := row[c.name]; !ok {
			continue // a column added after the export: its default
		}
		path := "'$." + c.name + "'"
		var e string
		switch {
		case strings.HasSuffix(c.typ, "[]") || c.typ == "JSON":
			e = fmt.Sprintf("CAST(json_extract(j, %s) AS %s)", path, c.typ)
		default:
			e = fmt.Sprintf("CAST(json_extract_string(j, %s) AS %s)", path, c.typ)
		}
		names = append(names, `"`+c.name+`"`)
		exprs = append(exprs, fmt.Sprintf("CASE WHEN json_type(j, %s) = 'NULL' THEN NULL ELSE %s END", path, e))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "INSERT INTO %s (%s) SELECT %s FROM (SELECT CAST($1 AS JSON) AS j)", table, strings.Join(names, ", "), strings.Join(exprs, ", "))
	return b.String(), args, nil
}
