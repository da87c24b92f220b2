package main

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// openedStore is the data store with the key store that seals its restricted rows.
type openedStore struct {
	*duckstore.Store
	keys *restricted.KeyStore
}

// Close closes the stores in reverse order of opening.
func (o *openedStore) Close() error {
	err := o.Store.Close()
	if kerr := o.keys.Close(); err == nil {
		err = kerr
	}
	return err
}

// keyStorePath puts the key store beside the data store but in its own file, so a
// copy of the data is not a copy of the keys.
func keyStorePath(db string) string { return strings.TrimSuffix(db, ".duckdb") + ".keys.duckdb" }

func openStore(ctx context.Context, g globals, quarantine bool) (*openedStore, error) {
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
	return &openedStore{Store: store, keys: keys}, nil
}
