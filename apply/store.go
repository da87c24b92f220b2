package apply

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/cvetl/cvetl/review"
)

// subjectTables lists the tables with a subject_id column, in the ordinary schema or
// the restricted archive, except those that only record decisions (keptTables).
func subjectTables(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT table_schema || '.' || table_name FROM information_schema.columns
	    WHERE table_schema IN ('main', 'archived') AND column_name = 'subject_id' ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		if !keptTables[strings.TrimPrefix(t, "main.")] {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}

// deleteSubject removes every row of the subject, and the stored files only they came from.
func deleteSubject(ctx context.Context, tx *sql.Tx, id Identity) error {
	tables, err := subjectTables(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE subject_id = ?", id.SubjectID); err != nil {
			return fmt.Errorf("deleting from %s: %w", t, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM subject_merges WHERE kept_subject_id = ? OR merged_subject_id = ?`, id.SubjectID, id.SubjectID); err != nil {
		return err
	}
	return dropFiles(ctx, tx, id)
}

// dropFiles forgets the subject's raw files: their rows go when no one else's data came
// from them, their quarantine rows (a failed attachment of the same e-mail) go, and
// their hashes are kept so the same bytes are not ingested again.
func dropFiles(ctx context.Context, tx *sql.Tx, id Identity) error {
	for _, f := range id.Files {
		if _, err := tx.ExecContext(ctx, `DELETE FROM quarantine WHERE file_sha256 = ?`, f.SHA256); err != nil {
			return err
		}
		if !f.Shared {
			if _, err := tx.ExecContext(ctx, `DELETE FROM files WHERE sha256 = ?`, f.SHA256); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO erased_files VALUES (?, ?)`, f.SHA256, time.Now().UTC()); err != nil {
			return err
		}
	}
	return nil
}

var postcodeArea = regexp.MustCompile(`^[A-Za-z]{1,2}`)

// anonymiseSubject replaces identifiers with the keyed pseudonym and keeps only what
// statistics need: skills, job titles and dates, qualifications and years, the
// postcode area, the town, events and sources' channels and dates.
// A raw file other people's data came from keeps its location whatever happened to it
// (rewritten without the subject's records, or deleted whole and recorded in
// raw_file_deletions): it is their provenance too. Only a file no one else still
// needs is marked 'erased'.
func anonymiseSubject(ctx context.Context, tx *sql.Tx, id Identity, pseudonym string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE subjects SET subject_ref = ? WHERE subject_id = ?`, pseudonym, id.SubjectID); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT profile_id, coalesce(postcode, ''), coalesce(CAST(employment AS VARCHAR), '[]'),
	        coalesce(CAST(education AS VARCHAR), '[]') FROM profiles WHERE subject_id = ?`, id.SubjectID)
	if err != nil {
		return err
	}
	type upd struct{ pid, area, emp, edu string }
	var ups []upd
	for rows.Next() {
		var u upd
		var pc string
		if err := rows.Scan(&u.pid, &pc, &u.emp, &u.edu); err != nil {
			rows.Close()
			return err
		}
		u.area = strings.ToUpper(postcodeArea.FindString(pc))
		u.emp = keepKeys(u.emp, "title", "start", "end")
		u.edu = keepKeys(u.edu, "qualification", "year")
		ups = append(ups, u)
	}
	rows.Close()
	for _, u := range ups {
		// A new row under a new id rather than an UPDATE: DuckDB 1.1 can neither
		// update list columns of a keyed table nor re-insert a deleted key in the same
		// transaction. The "~anon" suffix also marks the profile as anonymised.
		if _, err := tx.ExecContext(ctx, `INSERT INTO profiles BY NAME
		    SELECT * REPLACE (NULL::VARCHAR AS name, []::VARCHAR[] AS emails, []::VARCHAR[] AS phones,
		        nullif(?, '') AS postcode, NULL::VARCHAR AS ni_number, NULL::DATE AS date_of_birth,
		        CAST(? AS JSON) AS employment, CAST(? AS JSON) AS education, []::VARCHAR[] AS links,
		        profile_id || '~anon' AS profile_id)
		    FROM profiles WHERE profile_id = ?`, u.area, u.emp, u.edu, u.pid); err != nil {
			return fmt.Errorf("anonymising a profile: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM profiles WHERE profile_id = ?`, u.pid); err != nil {
			return err
		}
		for _, t := range []string{"sources", "restricted"} {
			if _, err := tx.ExecContext(ctx, `UPDATE `+t+` SET profile_id = ? WHERE profile_id = ?`, u.pid+"~anon", u.pid); err != nil {
				return err
			}
		}
	}
	for _, q := range []string{
		`UPDATE sources SET location = 'anonymised', origin = NULL WHERE subject_id = ?`,
		`DELETE FROM subject_keys WHERE subject_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, id.SubjectID); err != nil {
			return err
		}
	}
	for _, f := range id.Files {
		if f.OthersKept {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE files SET location = 'erased' WHERE sha256 = ?`, f.SHA256); err != nil {
			return err
		}
	}
	return dropFiles(ctx, tx, Identity{Files: onlyShared(id.Files)})
}

func onlyShared(fs []RawFile) []RawFile {
	out := make([]RawFile, len(fs))
	for i, f := range fs {
		f.Shared = true // anonymised profiles still point at their file rows
		out[i] = f
	}
	return out
}

// keepKeys keeps only the named keys of each object in a JSON array.
func keepKeys(arr string, keys ...string) string {
	var in []map[string]any
	if json.Unmarshal([]byte(arr), &in) != nil {
		return "[]"
	}
	out := make([]map[string]any, 0, len(in))
	for _, o := range in {
		k := map[string]any{}
		for _, name := range keys {
			if v, ok := o[name]; ok {
				k[name] = v
			}
		}
		out = append(out, k)
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// archiveSubject moves the subject's rows into the restricted archive schema.
func archiveSubject(ctx context.Context, tx *sql.Tx, subjectID string) error {
	for _, t := range []string{"subjects", "profiles", "sources", "events", "restricted", "subject_keys"} {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO archived.%s BY NAME SELECT * FROM main.%s WHERE subject_id = ?`, t, t), subjectID); err != nil {
			return fmt.Errorf("archiving %s: %w", t, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM main.%s WHERE subject_id = ?`, t), subjectID); err != nil {
			return fmt.Errorf("archiving %s: %w", t, err)
		}
	}
	return nil
}

func recordErasure(ctx context.Context, tx *sql.Tx, id Identity, pseudonym, action, manifestID, rowID string, hashes []string, now time.Time) error {
	list := "[" + strings.Join(hashes, ",") + "]"
	_, err := tx.ExecContext(ctx, `INSERT INTO erasures VALUES (?, ?, ?, ?, ?, CAST(? AS VARCHAR[]), ?, ?)`,
		id.SubjectID, pseudonym, action, manifestID, rowID, list, len(id.Files), now)
	return err
}

func recordConsentRequest(ctx context.Context, tx *sql.Tx, r review.Row, path string, opt Options) error {
	day := opt.Now().Format(time.DateOnly)
	key := fmt.Sprintf("consent_requested|%s|%s|%s", r.SubjectID, day, r.RowID)
	detail, _ := json.Marshal(map[string]string{"rule": fieldString(r, "rule"), "message": path})
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO events VALUES (sha256(?), ?, 'consent_requested', CAST(? AS DATE), CAST(? AS JSON), 'cvetl apply', ?)`,
		key, r.SubjectID, day, string(detail), opt.RunID)
	return err
}

// closeErasureRequests completes the subject's open erasure requests: the deletion
// that fulfils them has just been applied.
func closeErasureRequests(ctx context.Context, tx *sql.Tx, subjectID, manifestID, rowID string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE requests SET status = 'completed', outcome = ?, closed_on = CAST(? AS DATE)
	    WHERE subject_id = ? AND kind = 'erasure' AND status = 'open'`,
		"erased: manifest "+manifestID+" row "+rowID, now.Format(time.DateOnly), subjectID)
	return err
}
