package duckstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/cvetl/cvetl/internal/bloom"
)

// minFilterMembers sizes a new store's filters: 64k members, 128 KB each. A variable so
// that a test can make the filters grow.
var minFilterMembers = 1 << 16

// storedFilters say which file hashes and identity keys the store certainly does not
// hold. Why: DuckDB's primary-key indexes are the index, but one point query costs
// ~0.15–0.25 ms of CPU (planning and execution through the driver), which for every file
// and key of an ingest would cost a third of extraction's time. New keys, the common
// case, skip the query; a filter costs 2 bytes per stored key, against ~150 for the Go
// maps it replaces (docs/benchmarks.md). A false positive costs one query, never a
// wrong answer; the filters are loaded once per process, as the maps were, and kept in
// step by Commit. Rows that go (a quarantine release deletes files rows, release.go)
// need no step: a filter that still holds their keys only answers "maybe", and the
// point query then says no.
type storedFilters struct {
	once  sync.Once
	err   error
	mu    sync.RWMutex
	files *bloom.Filter // sha256 of files, erased_files and rewritten raw files
	keys  *bloom.Filter // subject_keys.key
}

const (
	storedFilesQuery = `SELECT sha256 FROM files UNION ALL SELECT sha256 FROM erased_files
	    UNION ALL SELECT new_sha256 FROM raw_rewrites`
	storedKeysQuery = `SELECT key FROM subject_keys`
)

// loadFilters builds the filters once, outside any transaction.
func (s *Store) loadFilters(ctx context.Context) error {
	f := &s.stored
	f.once.Do(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.files, f.err = s.buildFilter(ctx, storedFilesQuery, 0); f.err != nil {
			f.err = fmt.Errorf("reading stored file hashes: %w", f.err)
			return
		}
		if f.keys, f.err = s.buildFilter(ctx, storedKeysQuery, 0); f.err != nil {
			f.err = fmt.Errorf("reading stored identity keys: %w", f.err)
		}
	})
	return f.err
}

// buildFilter reads one column into a filter with room for twice what is stored (at
// least minMembers), so that it grows by doubling.
func (s *Store) buildFilter(ctx context.Context, query string, minMembers int) (*bloom.Filter, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+query+`)`).Scan(&n); err != nil {
		return nil, err
	}
	f := bloom.New(max(2*n, minMembers, minFilterMembers))
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		f.Add(v)
	}
	return f, rows.Err()
}

func (s *Store) mayHoldFile(sha string) bool {
	s.stored.mu.RLock()
	defer s.stored.mu.RUnlock()
	return s.stored.files.MayContain(sha)
}

func (s *Store) mayHoldKey(key string) bool {
	s.stored.mu.RLock()
	defer s.stored.mu.RUnlock()
	return s.stored.keys.MayContain(key)
}

// addStored records what a committed batch added; a filter past its size is rebuilt
// twice as large from the store (on the store's connection: call outside a transaction).
func (s *Store) addStored(ctx context.Context, files, keys []string) error {
	f := &s.stored
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, sha := range files {
		f.files.Add(sha)
	}
	for _, k := range keys {
		f.keys.Add(k)
	}
	var err error
	if f.files.Full() {
		if f.files, err = s.buildFilter(ctx, storedFilesQuery, 2*f.files.Len()); err != nil {
			return fmt.Errorf("rebuilding the stored-files filter: %w", err)
		}
	}
	if f.keys.Full() {
		if f.keys, err = s.buildFilter(ctx, storedKeysQuery, 2*f.keys.Len()); err != nil {
			return fmt.Errorf("rebuilding the identity-key filter: %w", err)
		}
	}
	return nil
}

// knownQueries are Known's lookups, prepared once on the lookup connections. A raw
// file an erasure rewrote (migration 016) is known by its new content too.
type knownQueries struct {
	files, erased, rewritten *sql.Stmt
}

func prepareKnown(ctx context.Context, db *sql.DB) (knownQueries, error) {
	var q knownQueries
	var err error
	if q.files, err = db.PrepareContext(ctx, `SELECT count(*) FROM files WHERE sha256 = ?`); err != nil {
		return q, err
	}
	if q.erased, err = db.PrepareContext(ctx, `SELECT count(*) FROM erased_files WHERE sha256 = ?`); err != nil {
		return q, err
	}
	q.rewritten, err = db.PrepareContext(ctx, `SELECT count(*) FROM raw_rewrites WHERE new_sha256 = ?`)
	return q, err
}

// holds runs the lookups: files first, since erased and rewritten hashes are rare.
func (q knownQueries) holds(ctx context.Context, sha string) (bool, error) {
	for _, st := range []*sql.Stmt{q.files, q.erased, q.rewritten} {
		var n int
		if err := st.QueryRowContext(ctx, sha).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}
