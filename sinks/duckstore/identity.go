package duckstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/marcboeker/go-duckdb"

	"github.com/cvetl/cvetl/profile"
)

type appenderSet = map[string]*duckdb.Appender

// identityTx resolves candidates to subjects within one batch. Its changes are staged
// and published to the store's index only after the transaction commits.
type identityTx struct {
	s        *Store
	staged   map[string]string // identity key → subject id, overriding s.identity
	forward  map[string]string // merged subject → the subject it was merged into
	nextSubj int64
	merges   [][2]string // {kept, merged}
}

func (s *Store) newIdentityTx() *identityTx {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &identityTx{s: s, staged: map[string]string{}, forward: map[string]string{}, nextSubj: s.nextSubj}
}

// lookup finds the subject a key belongs to, following merges, so a merge costs
// one map entry instead of a rewrite of every key.
func (t *identityTx) lookup(key string) (string, bool) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	id, ok := t.staged[key]
	if !ok {
		id, ok = t.s.identity[key]
	}
	if !ok {
		return "", false
	}
	for {
		if next, ok := t.forward[id]; ok {
			id = next
		} else if next, ok := t.s.forward[id]; ok {
			id = next
		} else {
			return id, true
		}
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

// publish makes the committed batch's identity changes visible.
func (t *identityTx) publish() {
	for k, id := range t.staged {
		t.s.identity[k] = id
	}
	for merged, kept := range t.forward {
		t.s.forward[merged] = kept
	}
	t.s.nextSubj = t.nextSubj
}
