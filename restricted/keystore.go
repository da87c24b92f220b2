package restricted

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/marcboeker/go-duckdb"
)

// KeyStore holds wrapped data keys in a DuckDB file of its own, apart from the data
// store, so a backup of the data holds ciphertext but no keys.
type KeyStore struct {
	db     *sql.DB
	master Master

	mu    sync.Mutex
	cache map[string][]byte
}

// OpenKeyStore opens or creates the key store at path.
func OpenKeyStore(ctx context.Context, path string, master Master) (*KeyStore, error) {
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("opening key store %s: %w", path, err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS data_keys (
		key_id VARCHAR PRIMARY KEY, wrapped BLOB, created_at TIMESTAMP NOT NULL, destroyed_at TIMESTAMP)`)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("key store %s: %w", path, err)
	}
	return &KeyStore{db: db, master: master, cache: map[string][]byte{}}, nil
}

// Close closes the key store.
func (k *KeyStore) Close() error { return k.db.Close() }

// DataKey returns the data key for keyID, creating it on first use.
func (k *KeyStore) DataKey(ctx context.Context, keyID string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if dk, ok := k.cache[keyID]; ok {
		return dk, nil
	}
	dk, err := k.load(ctx, keyID)
	if errors.Is(err, sql.ErrNoRows) {
		dk = NewDataKey()
		wrapped, err := k.master.Wrap(dk)
		if err != nil {
			return nil, err
		}
		if _, err := k.db.ExecContext(ctx, `INSERT INTO data_keys VALUES (?, ?, ?, NULL)`, keyID, wrapped, time.Now().UTC()); err != nil {
			return nil, fmt.Errorf("storing data key: %w", err)
		}
	} else if err != nil {
		return nil, err
	}
	k.cache[keyID] = dk
	return dk, nil
}

// Lookup returns an existing data key, or ErrKeyDestroyed when it was destroyed or
// never existed.
func (k *KeyStore) Lookup(ctx context.Context, keyID string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if dk, ok := k.cache[keyID]; ok {
		return dk, nil
	}
	dk, err := k.load(ctx, keyID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrKeyDestroyed
	}
	if err != nil {
		return nil, err
	}
	// Cached like DataKey: with a KMS master every unwrap is a network call.
	k.cache[keyID] = dk
	return dk, nil
}

// Destroyed reports whether keyID names a data key that was destroyed, as opposed to
// one that exists or was never created: what a read-only caller (`cvetl retag
// --dry-run`) asks before it would seal anything, without creating a key.
func (k *KeyStore) Destroyed(ctx context.Context, keyID string) (bool, error) {
	var destroyed bool
	err := k.db.QueryRowContext(ctx, `SELECT wrapped IS NULL FROM data_keys WHERE key_id = ?`, keyID).Scan(&destroyed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return destroyed, err
}

func (k *KeyStore) load(ctx context.Context, keyID string) ([]byte, error) {
	var wrapped []byte
	err := k.db.QueryRowContext(ctx, `SELECT wrapped FROM data_keys WHERE key_id = ?`, keyID).Scan(&wrapped)
	if err != nil {
		return nil, err
	}
	if wrapped == nil {
		return nil, ErrKeyDestroyed
	}
	return k.master.Unwrap(wrapped)
}

// Destroy erases a data key for good; the row stays, without the key, as a record
// that shredding happened.
func (k *KeyStore) Destroy(ctx context.Context, keyID string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.cache, keyID)
	_, err := k.db.ExecContext(ctx, `UPDATE data_keys SET wrapped = NULL, destroyed_at = ? WHERE key_id = ?`, time.Now().UTC(), keyID)
	if err != nil {
		return err
	}
	// Checkpoint so the key's bytes leave the write-ahead log as well.
	_, err = k.db.ExecContext(ctx, `CHECKPOINT`)
	return err
}

// DestroyMany destroys many data keys with one checkpoint, for a purge that shreds a
// whole shard's evidence at once, and returns how many it destroyed. Destroying a
// destroyed or unknown key is a no-op, so a purge cut short can simply run again.
func (k *KeyStore) DestroyMany(ctx context.Context, keyIDs []string) (int, error) {
	if len(keyIDs) == 0 {
		return 0, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, id := range keyIDs {
		delete(k.cache, id)
	}
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	now := time.Now().UTC()
	n := 0
	for _, id := range keyIDs {
		res, err := tx.ExecContext(ctx, `UPDATE data_keys SET wrapped = NULL, destroyed_at = ? WHERE key_id = ? AND wrapped IS NOT NULL`, now, id)
		if err != nil {
			return 0, err
		}
		if c, err := res.RowsAffected(); err == nil {
			n += int(c)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	// Checkpoint so the keys' bytes leave the write-ahead log as well.
	_, err = k.db.ExecContext(ctx, `CHECKPOINT`)
	return n, err
}
