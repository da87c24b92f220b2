package duckstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/marcboeker/go-duckdb"

	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
)

type appenderSet = map[string]*duckdb.Appender

// identityTx resolves candidates to subjects within one batch. Its changes are staged
// and become the store's only when the transaction commits.
type identityTx struct {
	s        *Store
	stored   map[string]string // identity key → subject id, as committed (this batch's keys only)
	staged   map[string]string // identity key → subject id, added by this batch
	forward  map[string]string // merged subject → the subject it was merged into
	nextSubj int64
	merges   [][2]string // {kept, merged}
}

// newIdentityTx looks up, on conn, the subjects of the batch's identity keys that the
// store may hold: one query per keysPerLookup keys instead of an in-memory index of every
// key ever seen. Call loadFilters and firstSubjectNumber first, outside the transaction.
func (s *Store) newIdentityTx(ctx context.Context, conn *sql.Conn, batch []*pipeline.FileResult) (*identityTx, error) {
	var keys []string
	seen := map[string]bool{}
	for _, res := range batch {
		if res.Duplicate || res.Unreadable { // as Commit skips them
			continue
		}
		for _, pc := range res.Candidates {
			for _, k := range IdentityKeys(pc.Candidate) {
				if !seen[k] && s.mayHoldKey(k) {
					keys = append(keys, k)
				}
				seen[k] = true
			}
		}
	}
	stored, err := subjectsOfKeys(ctx, conn, keys)
	if err != nil {
		return nil, fmt.Errorf("looking up identity keys: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return &identityTx{s: s, stored: stored, staged: map[string]string{}, forward: map[string]string{}, nextSubj: s.nextSubj}, nil
}

// keysPerLookup bounds one lookup statement: each key is one branch of a UNION ALL.
const keysPerLookup = 128

// subjectsOfKeys maps the keys that are stored to their subjects. Merges rewrite
// subject_keys in the same transaction (applyMerges), so a stored key names the surviving
// subject. Why a UNION ALL of equalities: DuckDB 1.1 answers each branch from the primary-
// key index, while `key IN (…)` or a join scans the whole table (docs/benchmarks.md).
func subjectsOfKeys(ctx context.Context, conn *sql.Conn, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), keysPerLookup)]
		keys = keys[len(chunk):]
		branches := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, k := range chunk {
			branches[i] = `SELECT key, subject_id FROM subject_keys WHERE key = ?`
			args[i] = k
		}
		rows, err := conn.QueryContext(ctx, strings.Join(branches, " UNION ALL "), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k, id string
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = id
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// lookup finds the subject a key belongs to, following this batch's merges.
func (t *identityTx) lookup(key string) (string, bool) {
	id, ok := t.staged[key]
	if !ok {
		id, ok = t.stored[key]
	}
	if !ok {
		return "", false
	}
	for {
		next, ok := t.forward[id]
		if !ok {
			return id, true
		}
		id = next
	}
}

// IdentityKeys are the facts that identify a person: any e-mail alone, or a phone
// together with the name. A name alone never identifies: two Jane Smiths stay two.
func IdentityKeys(c profile.Candidate) []string {
	var keys []string
	for _, e := range c.Emails {
		keys = append(keys, "email:"+strings.ToLower(strings.TrimSpace(e)))
	}
	if c.Name != nil {
		name := strings.Join(strings.Fields(strings.ToLower(*c.Name)), " ")
		for _, p := range c.Phones {
			keys = append(keys, "phone_name:"+p+"|"+name)
		}
	}
	return keys
}

// resolve returns the subject for a candidate, creating one when no key matches and
// merging subjects when the candidate proves two of them are one person.
func (t *identityTx) resolve(c profile.Candidate, runID int64, now time.Time, apps appenderSet) (string, error) {
	keys := IdentityKeys(c)
	found := map[string]bool{}
	for _, k := range keys {
		if id, ok := t.lookup(k); ok {
			found[id] = true
		}
	}
	var subj string
	switch len(found) {
	case 0:
		subj = fmt.Sprintf("S%07d", t.nextSubj)
		t.nextSubj++
		var ref any
		if len(c.Emails) > 0 {
			ref = strings.ToLower(c.Emails[0])
		}
		if err := apps["subjects"].AppendRow(subj, ref, "candidate", now, runID); err != nil {
			return "", err
		}
	default:
		ids := make([]string, 0, len(found))
		for id := range found {
			ids = append(ids, id)
		}
		sort.Strings(ids) // the oldest subject survives a merge
		subj = ids[0]
		for _, other := range ids[1:] {
			t.merge(subj, other)
		}
	}
	for _, k := range keys {
		if _, ok := t.lookup(k); ok {
			continue
		}
		t.staged[k] = subj
		if err := apps["subject_keys"].AppendRow(k, subj); err != nil {
			return "", err
		}
	}
	return subj, nil
}

// merge records that merged is the same person as kept.
func (t *identityTx) merge(kept, merged string) {
	t.merges = append(t.merges, [2]string{kept, merged})
	t.forward[merged] = kept
}

// applyMerges rewrites the merged subjects' rows, after the appenders have flushed:
// one statement per table for the whole batch, since each is a scan of the table.
func (t *identityTx) applyMerges(ctx context.Context, conn *sql.Conn, runID int64, now time.Time) error {
	if len(t.merges) == 0 {
		return nil
	}
	// A subject merged into one that is itself merged later in the batch must end at
	// the final survivor.
	final := map[string]string{}
	for _, m := range t.merges {
		final[m[1]] = m[0]
	}
	resolve := func(id string) string {
		for final[id] != "" {
			id = final[id]
		}
		return id
	}
	values := make([]string, 0, len(t.merges))
	args := make([]any, 0, 2*len(t.merges))
	for _, m := range t.merges {
		values = append(values, "(?, ?)")
		args = append(args, resolve(m[1]), m[1])
	}
	mapping := `(VALUES ` + strings.Join(values, ", ") + `) AS m(kept, merged)`
	for _, table := range []string{"profiles", "sources", "subject_keys", "events", "restricted"} {
		q := `UPDATE ` + table + ` SET subject_id = m.kept FROM ` + mapping + ` WHERE ` + table + `.subject_id = m.merged`
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("merging subjects in %s: %w", table, err)
		}
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM subjects WHERE subject_id IN (SELECT merged FROM `+mapping+`)`, args...); err != nil {
		return err
	}
	for _, m := range t.merges {
		if _, err := conn.ExecContext(ctx, `INSERT INTO subject_merges VALUES (?, ?, ?, ?)`, m[0], m[1], runID, now); err != nil {
			return err
		}
	}
	return nil
}

// publish makes the committed batch's subject numbering the store's, and returns the
// identity keys it added.
func (t *identityTx) publish() []string {
	t.s.nextSubj = t.nextSubj
	keys := make([]string, 0, len(t.staged))
	for k := range t.staged {
		keys = append(keys, k)
	}
	return keys
}
