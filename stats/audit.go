package stats

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/marcboeker/go-duckdb"
)

// MinPersonalLen is the shortest identifier or text the leak scan looks for: shorter
// strings ("IT", "Ali") collide with ordinary words and dimension values.
const MinPersonalLen = 4

// personalSources are the store columns holding identifiers, pseudonyms or free text,
// as one query each returning strings. Employment and education are free text from CVs.
var personalSources = map[string]string{
	"subjects":         `SELECT subject_id FROM subjects UNION ALL SELECT subject_ref FROM subjects`,
	"subject_keys":     `SELECT key FROM subject_keys UNION ALL SELECT split_part(key, ':', 2) FROM subject_keys`,
	"profiles.ids":     `SELECT profile_id FROM profiles UNION ALL SELECT file_sha256 FROM profiles`,
	"profiles.name":    `SELECT name FROM profiles`,
	"profiles.contact": `SELECT unnest(emails) FROM profiles UNION ALL SELECT unnest(phones) FROM profiles UNION ALL SELECT unnest(links) FROM profiles`,
	"profiles.address": `SELECT postcode FROM profiles UNION ALL SELECT town FROM profiles`,
	"profiles.ni_dob":  `SELECT ni_number FROM profiles UNION ALL SELECT CAST(date_of_birth AS VARCHAR) FROM profiles`,
	"profiles.employment": `SELECT unnest(json_extract_string(employment, '$[*].employer')) FROM profiles
		UNION ALL SELECT unnest(json_extract_string(employment, '$[*].title')) FROM profiles`,
	"profiles.education": `SELECT unnest(json_extract_string(education, '$[*].institution')) FROM profiles
		UNION ALL SELECT unnest(json_extract_string(education, '$[*].qualification')) FROM profiles`,
	"sources": `SELECT location FROM sources UNION ALL SELECT origin FROM sources UNION ALL SELECT file_sha256 FROM sources`,
	"files":   `SELECT sha256 FROM files UNION ALL SELECT location FROM files`,
	"events": `SELECT event_key FROM events UNION ALL SELECT json_extract_string(detail, '$.vacancy') FROM events
		UNION ALL SELECT json_extract_string(detail, '$.recipient') FROM events
		UNION ALL SELECT json_extract_string(detail, '$.reason') FROM events`,
	"restricted":    `SELECT tag_id FROM restricted UNION ALL SELECT key_id FROM restricted`,
	"manifest_rows": `SELECT row_id FROM manifest_rows`,
	"decisions":     `SELECT reviewer FROM decisions UNION ALL SELECT note FROM decisions`,
	"quarantine":    `SELECT location FROM quarantine UNION ALL SELECT detail FROM quarantine`,
	"do_not_supply": `SELECT client FROM do_not_supply UNION ALL SELECT reason FROM do_not_supply`,
}

// PersonalStrings collects, lower-cased, every identifier and free-text value in the
// store that a release must not contain, mapped to the store column it came from.
func PersonalStrings(ctx context.Context, db *sql.DB) (map[string]string, error) {
	out := map[string]string{}
	names := make([]string, 0, len(personalSources))
	for n := range personalSources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		rows, err := db.QueryContext(ctx, `SELECT DISTINCT lower(trim(CAST(v AS VARCHAR))) FROM (`+personalSources[name]+`) t(v) WHERE v IS NOT NULL`)
		if err != nil {
			return nil, fmt.Errorf("stats: reading %s for the leak scan: %w", name, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return nil, err
			}
			if len(s) >= MinPersonalLen {
				if _, seen := out[s]; !seen {
					out[s] = name
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Leak is one place in a release holding a personal string. It names where, and the
// store column the string came from, never the string.
type Leak struct {
	Table, Column, From string
}

func (l Leak) String() string {
	return fmt.Sprintf("%s.%s holds a value from %s", l.Table, l.Column, l.From)
}

// ScanRelease reads every value of every column of every table of a release (a DuckDB
// file, or a folder of Parquet files), and the table and column names, and reports each
// column that contains any of the personal strings.
func ScanRelease(ctx context.Context, path string, personal map[string]string) ([]Leak, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	dsn := path + "?access_mode=read_only"
	if st.IsDir() {
		dsn = ""
	}
	connector, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, fmt.Errorf("stats: opening %s: %w", path, err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1)
	if st.IsDir() {
		files, err := filepath.Glob(filepath.Join(path, "*.parquet"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".parquet")
			q := fmt.Sprintf(`CREATE VIEW "%s" AS SELECT * FROM read_parquet('%s')`, strings.ReplaceAll(name, `"`, `""`), strings.ReplaceAll(f, "'", "''"))
			if _, err := db.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("stats: reading %s: %w", f, err)
			}
		}
	}
	cols, err := columns(ctx, db)
	if err != nil {
		return nil, err
	}
	var leaks []Leak
	for _, c := range cols {
		values := []string{c[0], c[1]}
		rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT DISTINCT CAST("%s" AS VARCHAR) FROM "%s" WHERE "%s" IS NOT NULL`, c[1], c[0], c[1]))
		if err != nil {
			return nil, fmt.Errorf("stats: scanning %s.%s: %w", c[0], c[1], err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			values = append(values, v)
		}
		rows.Close()
		for _, v := range values {
			if from, found := containsPersonal(v, personal); found {
				leaks = append(leaks, Leak{Table: c[0], Column: c[1], From: from})
				break
			}
		}
	}
	return leaks, nil
}

// columns lists (table, column) for every user table and view.
func columns(ctx context.Context, db *sql.DB) ([][2]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// containsPersonal reports whether any substring of v (lower-cased) is a personal
// string, by looking up every substring long enough: releases hold short values.
func containsPersonal(v string, personal map[string]string) (string, bool) {
	v = strings.ToLower(v)
	for i := 0; i < len(v); i++ {
		for j := i + MinPersonalLen; j <= len(v); j++ {
			if from, ok := personal[v[i:j]]; ok {
				return from, true
			}
		}
	}
	return "", false
}
