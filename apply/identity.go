package apply

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/cvetl/cvetl/internal/sqlrows"
)

// Identity is what identifies one subject, gathered before an erasure so that every
// sink can be searched for it afterwards. It lives in memory only; the store keeps
// keyed hashes of it (see Identity.hmacs).
type Identity struct {
	SubjectID string
	Emails    []string
	Phones    []string
	NINumbers []string
	Names     []string
	Postcodes []string
	Births    []string // YYYY-MM-DD
	Files     []RawFile
	KeyIDs    []string // data keys sealing the subject's restricted rows
}

// RawFile is one input file a subject's data came from.
type RawFile struct {
	SHA256, Location string
	Shared           bool // other subjects' data came from it too (either schema)
	// OthersKept: data of subjects not erased came from it, in either schema: their
	// raw record should survive this erasure.
	OthersKept bool
	Origins    []string // where in the file the subject's profiles came from ("row 7")
}

// schemas are where subject rows can live: the ordinary tables and the restricted archive.
var schemas = []string{"main", "archived"}

// collect gathers a subject's identity from every schema.
func collect(ctx context.Context, db *sql.DB, subjectID string) (Identity, error) {
	id := Identity{SubjectID: subjectID}
	add := func(dst *[]string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*dst = append(*dst, v)
		}
	}
	for _, schema := range schemas {
		rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT coalesce(name, ''), coalesce(emails, []), coalesce(phones, []),
		        coalesce(ni_number, ''), coalesce(postcode, ''), coalesce(CAST(date_of_birth AS VARCHAR), '')
		    FROM %s.profiles WHERE subject_id = ?`, schema), subjectID)
		if err != nil {
			return id, fmt.Errorf("reading subject %s: %w", subjectID, err)
		}
		for rows.Next() {
			var name, ni, postcode, dob string
			var emails, phones []any
			if err := rows.Scan(&name, &emails, &phones, &ni, &postcode, &dob); err != nil {
				rows.Close()
				return id, err
			}
			add(&id.Names, name)
			add(&id.NINumbers, ni)
			add(&id.Postcodes, postcode)
			add(&id.Births, dob)
			for _, e := range emails {
				add(&id.Emails, fmt.Sprint(e))
			}
			for _, p := range phones {
				add(&id.Phones, fmt.Sprint(p))
			}
		}
		rows.Close()
		var ref sql.NullString
		err = db.QueryRowContext(ctx, fmt.Sprintf(`SELECT subject_ref FROM %s.subjects WHERE subject_id = ?`, schema), subjectID).Scan(&ref)
		if err != nil && err != sql.ErrNoRows {
			return id, err
		}
		add(&id.Emails, ref.String)
		if err := collectFiles(ctx, db, schema, &id); err != nil {
			return id, err
		}
		keys, err := sqlrows.Strings(ctx, db, fmt.Sprintf(`SELECT DISTINCT key_id FROM %s.restricted WHERE subject_id = ?`, schema), subjectID)
		if err != nil {
			return id, err
		}
		id.KeyIDs = append(id.KeyIDs, keys...)
	}
	id.KeyIDs = append(id.KeyIDs, subjectID) // the subject's own key, created on first use
	for _, l := range []*[]string{&id.Emails, &id.Phones, &id.NINumbers, &id.Names, &id.Postcodes, &id.Births, &id.KeyIDs} {
		*l = dedupe(*l)
	}
	for i, e := range id.Emails {
		id.Emails[i] = strings.ToLower(e)
	}
	id.Emails = dedupe(id.Emails)
	return id, nil
}

func collectFiles(ctx context.Context, db *sql.DB, schema string, id *Identity) error {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`WITH all_sources AS (SELECT file_sha256, subject_id FROM main.sources
	        UNION ALL SELECT file_sha256, subject_id FROM archived.sources)
	    SELECT g.sha, coalesce(f.location, g.loc),
	        EXISTS (SELECT 1 FROM all_sources o WHERE o.file_sha256 = g.sha AND o.subject_id <> $1),
	        EXISTS (SELECT 1 FROM all_sources o WHERE o.file_sha256 = g.sha AND o.subject_id <> $1
	              AND o.subject_id NOT IN (SELECT subject_id FROM erasures)),
	        g.origins
	    FROM (SELECT file_sha256 AS sha, min(location) AS loc,
	                 list(DISTINCT coalesce(origin, '') ORDER BY coalesce(origin, '')) AS origins
	          FROM %s.sources WHERE subject_id = $1 GROUP BY 1) g
	    LEFT JOIN files f ON f.sha256 = g.sha ORDER BY 1`, schema), id.SubjectID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f RawFile
		var origins []any
		if err := rows.Scan(&f.SHA256, &f.Location, &f.Shared, &f.OthersKept, &origins); err != nil {
			return err
		}
		for _, o := range origins {
			f.Origins = append(f.Origins, fmt.Sprint(o))
		}
		id.Files = append(id.Files, f)
	}
	return rows.Err()
}

func dedupe(l []string) []string {
	sort.Strings(l)
	out := l[:0]
	for i, s := range l {
		if i == 0 || s != l[i-1] {
			out = append(out, s)
		}
	}
	return out
}
