package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/restricted/kmstest"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// TestIngestWithKMSMasterKey runs ingest with CVETL_KMS_KEY_ID against a real local
// KMS server: every data key in the key store is KMS-wrapped, no local master key file
// appears, the evidence opens through KMS and not with a local key, and shredding a
// subject still makes its evidence unreadable.
func TestIngestWithKMSMasterKey(t *testing.T) {
	ctx := context.Background()
	srv := kmstest.Start(t) // sets AWS_ENDPOINT_URL_KMS, AWS_REGION, credentials for the binary
	keyID := srv.CreateKey(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "cvetl.duckdb")
	env := []string{"CVETL_KMS_KEY_ID=" + keyID, "CVETL_MASTER_KEY=", "CVETL_MASTER_KEY_FILE="}
	r := cvetlEnv(t, env, "--config", demoConfig, "--db", db, "--out", filepath.Join(dir, "out"), "ingest", inbox)
	if r.code != 0 {
		t.Fatalf("ingest with a KMS master key: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "cvetl.master.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a local master key file was created next to the store: %v", err)
	}

	keys := openDB(t, keyStorePath(db))
	var total, kmsWrapped int
	prefix := strings.ToUpper(hex.EncodeToString([]byte("cvetl-kms1:"))) + "%"
	if err := keys.QueryRow(`SELECT count(*), count(*) FILTER (WHERE hex(wrapped) LIKE ?)
		FROM data_keys WHERE wrapped IS NOT NULL`, prefix).Scan(&total, &kmsWrapped); err != nil {
		t.Fatal(err)
	}
	keys.Close()
	if total == 0 || kmsWrapped != total {
		t.Fatalf("%d of %d data keys are KMS-wrapped", kmsWrapped, total)
	}

	// Read the evidence back as a later job would, through the KMS master.
	t.Setenv("CVETL_KMS_KEY_ID", keyID)
	master, err := restricted.OpenMaster(ctx, filepath.Join(dir, "unused.key"))
	if err != nil {
		t.Fatal(err)
	}
	ks, err := restricted.OpenKeyStore(ctx, keyStorePath(db), master)
	if err != nil {
		t.Fatal(err)
	}
	store, err := duckstore.Open(ctx, db, duckstore.Options{Keys: ks})
	if err != nil {
		t.Fatal(err)
	}
	var subject string
	if err := store.DB().QueryRow(`SELECT subject_id FROM restricted ORDER BY subject_id LIMIT 1`).Scan(&subject); err != nil {
		t.Fatalf("no restricted rows after ingesting the sample inbox: %v", err)
	}
	ev, err := store.SubjectEvidence(ctx, subject)
	if err != nil || len(ev) == 0 || ev[0].Evidence == "" {
		t.Fatalf("evidence of %s through KMS: %d rows, %v", subject, len(ev), err)
	}
	if err := store.ShredSubject(ctx, subject); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SubjectEvidence(ctx, subject); !errors.Is(err, restricted.ErrKeyDestroyed) {
		t.Errorf("evidence after shredding: %v, want ErrKeyDestroyed", err)
	}
	store.Close()
	ks.Close()

	// The same key store under a local master key: refused, saying why, no evidence.
	local, _ := restricted.NewLocalMaster(restricted.NewDataKey())
	ks, err = restricted.OpenKeyStore(ctx, keyStorePath(db), local)
	if err != nil {
		t.Fatal(err)
	}
	defer ks.Close()
	var other string
	keys = openDB(t, keyStorePath(db))
	err = keys.QueryRow(`SELECT key_id FROM data_keys WHERE wrapped IS NOT NULL LIMIT 1`).Scan(&other)
	keys.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Lookup(ctx, other); err == nil || !strings.Contains(err.Error(), "CVETL_KMS_KEY_ID") {
		t.Errorf("a local master on a KMS key store: %v", err)
	}

	// Both kinds of master configured: the run fails before touching the store.
	r = cvetlEnv(t, []string{"CVETL_KMS_KEY_ID=" + keyID, "CVETL_MASTER_KEY_FILE=" + filepath.Join(dir, "m.key")},
		"--config", demoConfig, "--db", db, "--out", filepath.Join(dir, "out"), "ingest", inbox)
	if r.code == 0 || !strings.Contains(r.stderr, "both CVETL_KMS_KEY_ID and CVETL_MASTER_KEY_FILE") {
		t.Errorf("two master keys: exit %d, stderr %q", r.code, r.stderr)
	}
	if bytes.Contains([]byte(r.stderr), []byte(ev[0].Evidence)) {
		t.Error("the error output holds evidence")
	}
}
