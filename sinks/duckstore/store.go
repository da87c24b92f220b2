// Package duckstore is the embedded default store: one DuckDB file holding subjects,
// profiles, provenance, vacancies, events, runs and the quarantine register.
package duckstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/marcboeker/go-duckdb"

	"github.com/cvetl/cvetl/restricted"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the DuckDB store. One process writes at a time: DuckDB locks the file.
type Store struct {
	db            *sql.DB
	path          string
	quarantineDir string
	keys          *restricted.KeyStore
	now           func() time.Time
	commits       int // batches committed by this process: every trimEvery, malloc is trimmed

	// reads answers Known from the extraction workers on its own connections, so they
	// need not wait for the writer's transaction; it sees committed rows only.
	reads *sql.DB
	known knownQueries

	// Dedupe and identity lookups are point queries on the files and subject_keys
	// primary keys, not Go maps, so ingest's memory does not grow with the store; the
	// filters spare the queries for keys the store certainly lacks (stored.go).
	stored   storedFilters
	subjOnce sync.Once
	subjErr  error
	mu       sync.Mutex
	nextSubj int64
	knownErr error // the first failed Known query; Commit reports it
}

// Options configure Open.
type Options struct {
	// QuarantineDir receives a copy of every quarantined file, named by its hash.
	QuarantineDir string
	// Keys seals special-category evidence; without it the store refuses evidence.
	Keys *restricted.KeyStore
	// Now is the clock; tests fix it.
	Now func() time.Time
}

// Open opens (creating if needed) the store at path and applies pending migrations.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, explainOpen(path, err)
	}
	db := sql.OpenDB(connector)
	// One connection: the Appender and the transaction it writes in must share it.
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, explainOpen(path, err)
	}
	reads := sql.OpenDB(sharedConnector{connector})
	reads.SetMaxOpenConns(2) // one per extraction worker is plenty: a lookup takes ~0.1 ms
	s := &Store{db: db, reads: reads, path: path, quarantineDir: opt.QuarantineDir, keys: opt.Keys, now: opt.Now}
	if s.now == nil {
		s.now = func() time.Time { return time.Now().UTC() }
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if _, err := s.recoverRetag(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("opening store %s: restoring profiles a retag left mid-rewrite: %w", path, err)
	}
	if s.known, err = prepareKnown(ctx, reads); err != nil {
		s.Close()
		return nil, fmt.Errorf("opening store %s: preparing lookups: %w", path, err)
	}
	return s, nil
}

// sharedConnector lends the database to a second sql.DB without letting that DB's Close
// close the database under the first.
type sharedConnector struct{ driver.Connector }

func explainOpen(path string, err error) error {
	if strings.Contains(err.Error(), "lock") {
		return fmt.Errorf("store %s is in use by another cvetl process (DuckDB allows one writer): %w", path, err)
	}
	return fmt.Errorf("opening store %s: %w", path, err)
}

// DB exposes the database for read-only queries by jobs and tests.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database once: the lookup connections first, then the database.
func (s *Store) Close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.known.files, s.known.erased, s.known.rewritten} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(append(errs, s.reads.Close(), s.db.Close())...)
}

// migrate applies migrations/NNN_*.sql in order, each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	applied := map[int]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
		if applied[v] {
			continue
		}
		body, _ := migrations.ReadFile(name)
		err = s.inTx(ctx, func(tx *sql.Conn) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?, ?)`, v, base, s.now())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

// inTx runs fn on the single connection inside one transaction.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Conn) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	committing := false
	defer func() {
		if err == nil {
			return
		}
		// A COMMIT that fails has normally ended the transaction already, and the
		// ROLLBACK's "no transaction is active" would only bury the real reason.
		if _, rbErr := conn.ExecContext(context.Background(), "ROLLBACK"); rbErr != nil && !committing {
			err = errors.Join(err, rbErr)
		}
	}()
	if err = fn(conn); err != nil {
		return err
	}
	committing = true
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// appenders opens one Appender per table on conn; close them (flushing) before COMMIT.
func appenders(conn *sql.Conn, tables ...string) (map[string]*duckdb.Appender, error) {
	out := map[string]*duckdb.Appender{}
	err := conn.Raw(func(dc any) error {
		for _, t := range tables {
			a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", t)
			if err != nil {
				return fmt.Errorf("appender for %s: %w", t, err)
			}
			out[t] = a
		}
		return nil
	})
	return out, err
}

// issuedSubjectIDs lists every subject id the store has issued, including those of
// merged, erased, archived and (in a shard's store) handed-off and purged subjects.
const issuedSubjectIDs = `SELECT subject_id AS id FROM subjects UNION ALL SELECT merged_subject_id FROM subject_merges
	UNION ALL SELECT subject_id FROM erasures UNION ALL SELECT subject_id FROM archived.subjects
	UNION ALL SELECT subjects_high FROM shard_purges WHERE subjects_high IS NOT NULL`

// firstSubjectNumber finds, once, the number the next new subject gets.
func (s *Store) firstSubjectNumber(ctx context.Context) error {
	s.subjOnce.Do(func() {
		var maxID sql.NullInt64
		// Ids are never reused: not those of merged, erased or archived subjects either, so
		// that manifests, decisions and the audit trail never point at the wrong person.
		s.subjErr = s.db.QueryRowContext(ctx, `SELECT max(CAST(substr(id, 2) AS BIGINT)) FROM (`+issuedSubjectIDs+`)`).Scan(&maxID)
		s.nextSubj = maxID.Int64 + 1
	})
	return s.subjErr
}

// Known reports whether a file with this content hash is already stored (ingested,
// quarantined, or erased). It sees committed batches only: the runner dedupes within
// the batches it has not committed yet. A failed lookup answers false and is reported
// by the next Commit, which then fails the run.
func (s *Store) Known(sha string) bool {
	ctx := context.Background()
	if err := s.loadFilters(ctx); err != nil {
		s.noteKnownErr(err)
		return false
	}
	if !s.mayHoldFile(sha) {
		return false
	}
	held, err := s.known.holds(ctx, sha)
	if err != nil {
		s.noteKnownErr(fmt.Errorf("looking up file %s: %w", sha[:min(12, len(sha))], err))
		return false
	}
	return held
}

func (s *Store) noteKnownErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.knownErr == nil {
		s.knownErr = err
	}
}
