package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/review"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// openedStore is the data store with the key store that seals its restricted rows.
type openedStore struct {
	*duckstore.Store
	keys   *restricted.KeyStore
	master restricted.Master // also seals and opens shards' lake handoffs
	closed bool
}

// Close closes the stores in reverse order of opening, once.
func (o *openedStore) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	err := o.Store.Close()
	if kerr := o.keys.Close(); err == nil {
		err = kerr
	}
	return err
}

// keyStorePath puts the key store beside the data store but in its own file, so a
// copy of the data is not a copy of the keys.
func keyStorePath(db string) string { return strings.TrimSuffix(db, ".duckdb") + ".keys.duckdb" }

// cliBusyWait is how long a command waits by default for a store another process
// holds: long enough to outlast a request of `cvetl serve`, which opens the store per
// request. A nightly job that may meet a long ingest passes --wait.
const cliBusyWait = 5 * time.Second

// openStore opens the store and its key store, waiting up to g.Wait while another
// process holds them.
func openStore(ctx context.Context, g globals, quarantine bool) (*openedStore, error) {
	st, err := retryWhileBusy(ctx, g.Wait, func() (*openedStore, error) { return openStoreOnce(ctx, g, quarantine) })
	if storeBusy(err) {
		return nil, fmt.Errorf("another process held the store for the %s this command waits (is a nightly job or ingest running? --wait 30m waits longer): %w", g.Wait, err)
	}
	return st, err
}

// storeBusy reports whether err is DuckDB refusing a file that another process holds.
func storeBusy(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Could not set lock on file")
}

// retryWhileBusy calls open until it succeeds, fails for another reason than a busy
// store, or wait has passed, backing off from 25 ms to 250 ms between tries.
func retryWhileBusy[T any](ctx context.Context, wait time.Duration, open func() (T, error)) (T, error) {
	deadline := time.Now().Add(wait)
	pause := 25 * time.Millisecond
	for {
		v, err := open()
		if !storeBusy(err) || time.Now().Add(pause).After(deadline) {
			return v, err
		}
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(pause):
		}
		pause = min(2*pause, 250*time.Millisecond)
	}
}

func openStoreOnce(ctx context.Context, g globals, quarantine bool) (*openedStore, error) {
	if err := os.MkdirAll(filepath.Dir(g.DB), 0o755); err != nil {
		return nil, err
	}
	master, err := restricted.OpenMaster(ctx, filepath.Join(filepath.Dir(g.DB), "cvetl.master.key"))
	if err != nil {
		return nil, err
	}
	keys, err := restricted.OpenKeyStore(ctx, keyStorePath(g.DB), master)
	if err != nil {
		return nil, err
	}
	opt := duckstore.Options{Keys: keys}
	if quarantine {
		opt.QuarantineDir = filepath.Join(g.Out, "quarantine")
	}
	store, err := duckstore.Open(ctx, g.DB, opt)
	if err != nil {
		keys.Close()
		return nil, err
	}
	return &openedStore{Store: store, keys: keys, master: master}, nil
}

// auditLogPath puts the audit log beside the store, as JSON Lines.
func auditLogPath(db string) string { return strings.TrimSuffix(db, ".duckdb") + ".audit.jsonl" }

// pseudonymKeyID names the audit pseudonym salt in the key store: a secret, so subjects'
// pseudonyms cannot be recomputed from their ids without it.
const pseudonymKeyID = "@audit-pseudonym"

// openAudit opens the audit log anchored in the store, and the pseudonymizer for it.
func openAudit(ctx context.Context, g globals, st *openedStore) (*audit.Log, *audit.Pseudonymizer, error) {
	salt, err := st.keys.DataKey(ctx, pseudonymKeyID)
	if err != nil {
		return nil, nil, fmt.Errorf("audit pseudonym key: %w", err)
	}
	log, err := audit.Open(ctx, auditLogPath(g.DB), st.Store)
	if err != nil {
		return nil, nil, err
	}
	return log, audit.NewPseudonymizer(salt), nil
}

// openReview opens the reviewer workflow over the store. Reading needs no audit log;
// deciding does, and opening it checks its chain, so a damaged log stops decisions.
func openReview(ctx context.Context, g globals, st *openedStore, decide bool) (*review.Service, *audit.Log, error) {
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, nil, err
	}
	if !decide {
		return review.New(st.DB(), nil, nil, review.Options{FourEyes: cfg.Review.FourEyesSpecial}), nil, nil
	}
	log, pseudo, err := openAudit(ctx, g, st)
	if err != nil {
		return nil, nil, err
	}
	return review.New(st.DB(), log, pseudo, review.Options{FourEyes: cfg.Review.FourEyesSpecial}), log, nil
}
