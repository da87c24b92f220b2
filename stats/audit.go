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

// Leak is one place in a release holding a personal string. It names where, and the
// store column the string came from, never the string.
type Leak struct {
	Table, Column, From string
}

func (l Leak) String() string {
	return fmt.Sprintf("%s.%s holds a value from %s", l.Table, l.Column, l.From)
}

// Value is one string found in a release: a value, or a table or column name.
type Value struct {
	Table, Column, Text string
}

// ReleaseValues reads every value of every column of every table of a release (a
// DuckDB file, or a folder of Parquet files), with the table and column names.
func ReleaseValues(ctx context.Context, path string) ([]Value, error) {
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
	var out []Value
	for _, c := range cols {
		out = append(out, Value{c[0], c[1], c[0]}, Value{c[0], c[1], c[1]})
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
			out = append(out, Value{c[0], c[1], v})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ScanRelease reports each column of a release that contains an identifier or free
// text of the store.
func ScanRelease(ctx context.Context, store *sql.DB, path string) ([]Leak, error) {
	return ScanReleaseWith(ctx, store, nil, path)
}

// ScanReleaseWith is ScanRelease that also looks for the decrypted monitoring answers
// ev opens (the only evidence stats decrypts).
func ScanReleaseWith(ctx context.Context, store *sql.DB, ev EvidenceSource, path string) ([]Leak, error) {
	values, err := ReleaseValues(ctx, path)
	if err != nil {
		return nil, err
	}
	// Before FindLeaks takes a connection: the store may allow only one.
	evidence, err := monitoringEvidence(ctx, ev)
	if err != nil {
		return nil, err
	}
	return FindLeaksWith(ctx, store, values, evidence)
}

// EvidenceSourceName is the From of a leak of decrypted evidence.
const EvidenceSourceName = "restricted.evidence (decrypted)"

// FindLeaks reports the places among values holding, anywhere inside them (case
// ignored), an identifier or free-text value of the store. Every substring of at least
// MinPersonalLen characters of every value goes to a temporary table on the store's
// connection, and DuckDB joins it with the store's columns: memory stays with the size
// of the release, not of the store.
func FindLeaks(ctx context.Context, store *sql.DB, values []Value) ([]Leak, error) {
	return FindLeaksWith(ctx, store, values, nil)
}

// FindLeaksWith is FindLeaks that also looks for each of secrets (decrypted evidence,
// held only in memory): they are matched in Go against the release's substrings and
// never written to the store.
func FindLeaksWith(ctx context.Context, store *sql.DB, values []Value, secrets []string) ([]Leak, error) {
	names := make([]string, 0, len(personalSources))
	for n := range personalSources {
		names = append(names, n)
	}
	sort.Strings(names)
	// No substring longer than the longest personal string can match one.
	longest := 0
	for _, name := range names {
		var n sql.NullInt64
		q := `SELECT max(length(trim(CAST(v AS VARCHAR)))) FROM (` + personalSources[name] + `) t(v)`
		if err := store.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("stats: leak scan of %s: %w", name, err)
		}
		longest = max(longest, int(n.Int64))
	}
	var wanted []string // the secrets, as the substrings are keyed
	for _, sec := range secrets {
		sec = strings.ToLower(strings.TrimSpace(strings.ToValidUTF8(sec, "\uFFFD")))
		if n := len([]rune(sec)); n >= MinPersonalLen {
			wanted = append(wanted, sec)
			longest = max(longest, n)
		}
	}
	where := map[string][]int{} // substring -> the values holding it
	var subs []string
	for k, v := range values {
		text := []rune(strings.ToLower(strings.ToValidUTF8(v.Text, "\uFFFD")))
		for i := 0; i < len(text); i++ {
			for j := i + MinPersonalLen; j <= len(text) && j-i <= longest; j++ {
				sub := string(text[i:j])
				if len(where[sub]) == 0 {
					subs = append(subs, sub)
				}
				if w := where[sub]; len(w) == 0 || w[len(w)-1] != k {
					where[sub] = append(w, k)
				}
			}
		}
	}
	seen := map[Leak]bool{}
	var leaks []Leak
	for _, sec := range wanted {
		for _, k := range where[sec] {
			l := Leak{Table: values[k].Table, Column: values[k].Column, From: EvidenceSourceName}
			if !seen[l] {
				seen[l] = true
				leaks = append(leaks, l)
			}
		}
	}
	conn, err := store.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer conn.ExecContext(ctx, `DROP TABLE IF EXISTS temp.release_substrings`)
	// One parameter, split in SQL: the driver takes no list parameters and passes strings
	// as C strings (no NUL); a unit separator in a value only splits it further.
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE release_substrings AS
		SELECT DISTINCT unnest(string_split(?, chr(31))) AS s`, strings.Join(subs, "\x1f")); err != nil {
		return nil, fmt.Errorf("stats: leak scan: %w", err)
	}
	for _, name := range names {
		rows, err := conn.QueryContext(ctx, `SELECT DISTINCT p.v FROM (SELECT lower(trim(CAST(v AS VARCHAR))) AS v FROM (`+
			personalSources[name]+`) t(v) WHERE v IS NOT NULL) p JOIN release_substrings r ON r.s = p.v`)
		if err != nil {
			return nil, fmt.Errorf("stats: leak scan of %s: %w", name, err)
		}
		for rows.Next() {
			var hit string
			if err := rows.Scan(&hit); err != nil {
				rows.Close()
				return nil, err
			}
			for _, k := range where[hit] {
				l := Leak{Table: values[k].Table, Column: values[k].Column, From: name}
				if !seen[l] {
					seen[l] = true
					leaks = append(leaks, l)
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
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
