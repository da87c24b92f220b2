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
	nextSubj int64
	merges   [][2]string // {kept, merged}
}

func (s *Store) newIdentityTx() *identityTx {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &identityTx{s: s, staged: map[string]string{}, nextSubj: s.nextSubj}
}

func (t *identityTx) lookup(key string) (string, bool) {
	if id, ok := t.staged[key]; ok {
		return id, true
	}
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	id, ok := t.s.identity[key]
	return id, ok
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

// merge re-points every key of merged at kept, in the staged view.
func (t *identityTx) merge(kept, merged string) {
	t.merges = append(t.merges, [2]string{kept, merged})
	for k, id := range t.staged {
		if id == merged {
			t.staged[k] = kept
		}
	}
	t.s.mu.RLock()
	for k, id := range t.s.identity {
		if id == merged {
			if _, ok := t.staged[k]; !ok {
				t.staged[k] = kept
			}
		}
	}
	t.s.mu.RUnlock()
}

// applyMerges rewrites the merged subjects' rows, after the appenders have flushed.
func (t *identityTx) applyMerges(ctx context.Context, conn *sql.Conn, runID int64, now time.Time) error {
	for _, m := range t.merges {
		kept, merged := m[0], m[1]
		for _, table := range []string{"profiles", "sources", "subject_keys", "events"} {
			if _, err := conn.ExecContext(ctx, `UPDATE `+table+` SET subject_id = ? WHERE subject_id = ?`, kept, merged); err != nil {
				return fmt.Errorf("merging subjects in %s: %w", table, err)
			}
		}
		if _, err := conn.ExecContext(ctx, `DELETE FROM subjects WHERE subject_id = ?`, merged); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO subject_merges VALUES (?, ?, ?, ?)`, kept, merged, runID, now); err != nil {
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
	t.s.nextSubj = t.nextSubj
}
