package restricted

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSealIsBoundToKeyAndRow(t *testing.T) {
	k1, k2 := NewDataKey(), NewDataKey()
	sealed, err := Seal(k1, []byte("I attend my local mosque"), []byte("p1#0|religious_beliefs"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("mosque")) {
		t.Fatal("ciphertext contains the plaintext")
	}
	if got, err := Unseal(k1, sealed, []byte("p1#0|religious_beliefs")); err != nil || string(got) != "I attend my local mosque" {
		t.Fatalf("round trip: %q %v", got, err)
	}
	if _, err := Unseal(k2, sealed, []byte("p1#0|religious_beliefs")); err == nil {
		t.Error("another key opened it")
	}
	if _, err := Unseal(k1, sealed, []byte("p2#0|religious_beliefs")); err == nil {
		t.Error("it opened under another row's AAD")
	}
}

func TestKeyStoreDestroy(t *testing.T) {
	ctx := context.Background()
	master, _ := NewLocalMaster(NewDataKey())
	path := filepath.Join(t.TempDir(), "keys.duckdb")
	ks, err := OpenKeyStore(ctx, path, master)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := ks.DataKey(ctx, "S0000001")
	b, _ := ks.DataKey(ctx, "S0000002")
	if again, _ := ks.DataKey(ctx, "S0000001"); !bytes.Equal(a, again) || bytes.Equal(a, b) {
		t.Fatal("data keys are not stable per id or not distinct")
	}
	if err := ks.Destroy(ctx, "S0000001"); err != nil {
		t.Fatal(err)
	}
	ks.Close()
	// A fresh process (no cache) sees the destruction and still has the other key.
	ks, err = OpenKeyStore(ctx, path, master)
	if err != nil {
		t.Fatal(err)
	}
	defer ks.Close()
	if _, err := ks.Lookup(ctx, "S0000001"); !errors.Is(err, ErrKeyDestroyed) {
		t.Errorf("destroyed key: %v", err)
	}
	if got, err := ks.Lookup(ctx, "S0000002"); err != nil || !bytes.Equal(got, b) {
		t.Errorf("surviving key: %v", err)
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, b) {
		t.Error("the key store file holds a data key unwrapped")
	}
}

func TestMasterFromEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CVETL_MASTER_KEY", "")
	t.Setenv("CVETL_MASTER_KEY_FILE", "")
	def := filepath.Join(dir, "master.key")
	m1, err := MasterFromEnv(def)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(def); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("default key file: %v %v", fi, err)
	}
	m2, _ := MasterFromEnv(def)
	w, _ := m1.Wrap([]byte("k"))
	if got, err := m2.Unwrap(w); err != nil || string(got) != "k" {
		t.Error("the default key file is not reused")
	}
	t.Setenv("CVETL_MASTER_KEY", base64.StdEncoding.EncodeToString([]byte("too short")))
	if _, err := MasterFromEnv(def); err == nil {
		t.Error("a short CVETL_MASTER_KEY was accepted")
	}
	t.Setenv("CVETL_MASTER_KEY", "")
	t.Setenv("CVETL_MASTER_KEY_FILE", filepath.Join(dir, "missing"))
	if _, err := MasterFromEnv(def); err == nil {
		t.Error("a missing CVETL_MASTER_KEY_FILE was accepted")
	}
}
