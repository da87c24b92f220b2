package restricted_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/restricted/kmstest"
)

// kmsMaster selects the KMS master the way cvetl does: CVETL_KMS_KEY_ID plus the
// standard AWS chain (AWS_ENDPOINT_URL_KMS set by kmstest.Start).
func kmsMaster(t *testing.T, keyID string) restricted.Master {
	t.Helper()
	t.Setenv("CVETL_KMS_KEY_ID", keyID)
	t.Setenv("CVETL_MASTER_KEY", "")
	t.Setenv("CVETL_MASTER_KEY_FILE", "")
	m, err := restricted.OpenMaster(context.Background(), filepath.Join(t.TempDir(), "unused.key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.(*restricted.KMSMaster); !ok {
		t.Fatalf("CVETL_KMS_KEY_ID selected %T, want *restricted.KMSMaster", m)
	}
	return m
}

func TestKMSMasterRoundTrip(t *testing.T) {
	srv := kmstest.Start(t)
	keyID := srv.CreateKey(t)
	m := kmsMaster(t, keyID)
	dk := restricted.NewDataKey()
	w, err := m.Wrap(dk)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(w, dk) {
		t.Fatal("the wrapped key contains the data key")
	}
	got, err := m.Unwrap(w)
	if err != nil || !bytes.Equal(got, dk) {
		t.Fatalf("round trip: %v", err)
	}
	// The same key named by an alias resolves to the same ARN, so it unwraps too.
	alias := srv.CreateAlias(t, "cvetl-test", keyID)
	if got, err := kmsMaster(t, alias).Unwrap(w); err != nil || !bytes.Equal(got, dk) {
		t.Fatalf("unwrap through the alias: %v", err)
	}
	// A flipped byte of the KMS ciphertext is refused, not turned into another key.
	bad := append([]byte(nil), w...)
	bad[len(bad)-1] ^= 1
	if _, err := m.Unwrap(bad); err == nil {
		t.Fatal("a damaged wrapped key was unwrapped")
	}
	if _, err := m.Wrap([]byte("short")); err == nil {
		t.Fatal("a 5-byte data key was wrapped")
	}
}

func TestKMSMasterCryptoShredding(t *testing.T) {
	ctx := context.Background()
	srv := kmstest.Start(t)
	keyID := srv.CreateKey(t)
	path := filepath.Join(t.TempDir(), "keys.duckdb")
	ks, err := restricted.OpenKeyStore(ctx, path, kmsMaster(t, keyID))
	if err != nil {
		t.Fatal(err)
	}
	k1, err := ks.DataKey(ctx, "S0000001")
	if err != nil {
		t.Fatal(err)
	}
	k2, err := ks.DataKey(ctx, "S0000002")
	if err != nil {
		t.Fatal(err)
	}
	aad := []byte("p1#0|health")
	sealed1, _ := restricted.Seal(k1, []byte("I manage type 1 diabetes"), aad)
	sealed2, _ := restricted.Seal(k2, []byte("I use a hearing aid"), aad)
	if err := ks.Destroy(ctx, "S0000001"); err != nil {
		t.Fatal(err)
	}
	ks.Close()

	// A new process: no cache, a new KMS client; every key comes back through kms:Decrypt.
	ks, err = restricted.OpenKeyStore(ctx, path, kmsMaster(t, keyID))
	if err != nil {
		t.Fatal(err)
	}
	defer ks.Close()
	if _, err := ks.Lookup(ctx, "S0000001"); !errors.Is(err, restricted.ErrKeyDestroyed) {
		t.Errorf("shredded subject: %v, want ErrKeyDestroyed", err)
	}
	got2, err := ks.Lookup(ctx, "S0000002")
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := restricted.Unseal(got2, sealed2, aad); err != nil || string(plain) != "I use a hearing aid" {
		t.Errorf("surviving subject's evidence: %q %v", plain, err)
	}
	if _, err := restricted.Unseal(got2, sealed1, aad); err == nil {
		t.Error("the shredded subject's evidence opened under another subject's key")
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, k1) || bytes.Contains(raw, k2) {
		t.Error("the key store file holds a data key unwrapped")
	}
}

func TestKMSMasterWrongKey(t *testing.T) {
	srv := kmstest.Start(t)
	keyA, keyB := srv.CreateKey(t), srv.CreateKey(t)
	mA := kmsMaster(t, keyA)
	dk := restricted.NewDataKey()
	w, err := mA.Wrap(dk)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{string(dk), hex.EncodeToString(dk), base64.StdEncoding.EncodeToString(dk),
		base64.StdEncoding.EncodeToString(w), hex.EncodeToString(w)}
	noLeak := func(what string, err error) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("%s: the error carries key material: %v", what, err)
			}
		}
	}

	// A key id that does not exist: refused at start, naming the id and the setting.
	missing := "11111111-2222-3333-4444-555555555555"
	t.Setenv("CVETL_KMS_KEY_ID", missing)
	_, err = restricted.OpenMaster(context.Background(), filepath.Join(t.TempDir(), "unused.key"))
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "CVETL_KMS_KEY_ID") {
		t.Fatalf("missing key id: %v", err)
	}
	t.Logf("missing key id: %v", err)

	// Another existing key cannot unwrap A's data key, and says why.
	_, err = kmsMaster(t, keyB).Unwrap(w)
	if err == nil || !strings.Contains(err.Error(), keyB) || !strings.Contains(err.Error(), "different KMS key") {
		t.Fatalf("unwrap under key B: %v", err)
	}
	t.Logf("unwrap under key B: %v", err)
	noLeak("unwrap under key B", err)

	// A disabled key is refused at start.
	srv.DisableKey(t, keyA)
	t.Setenv("CVETL_KMS_KEY_ID", keyA)
	_, err = restricted.OpenMaster(context.Background(), filepath.Join(t.TempDir(), "unused.key"))
	if err == nil || !strings.Contains(err.Error(), "Disabled") {
		t.Fatalf("disabled key: %v", err)
	}
	t.Logf("disabled key: %v", err)
	// ... and the master made before it was disabled cannot unwrap any more.
	if _, err := mA.Unwrap(w); err == nil {
		t.Fatal("a disabled key unwrapped")
	} else {
		noLeak("unwrap under a disabled key", err)
	}
}

func TestMasterKindsDoNotMix(t *testing.T) {
	srv := kmstest.Start(t)
	keyID := srv.CreateKey(t)
	km := kmsMaster(t, keyID)
	local, _ := restricted.NewLocalMaster(restricted.NewDataKey())
	dk := restricted.NewDataKey()

	kw, err := km.Wrap(dk)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := local.Unwrap(kw); err == nil || !strings.Contains(err.Error(), "CVETL_KMS_KEY_ID") {
		t.Errorf("local master on a KMS-wrapped key: %v", err)
	}
	lw, _ := local.Wrap(dk)
	if _, err := km.Unwrap(lw); err == nil || !strings.Contains(err.Error(), "local master key") {
		t.Errorf("KMS master on a locally wrapped key: %v", err)
	}

	// Both kinds configured at once is refused rather than guessed.
	t.Setenv("CVETL_KMS_KEY_ID", keyID)
	t.Setenv("CVETL_MASTER_KEY", base64.StdEncoding.EncodeToString(restricted.NewDataKey()))
	if _, err := restricted.OpenMaster(context.Background(), filepath.Join(t.TempDir(), "unused.key")); err == nil || !strings.Contains(err.Error(), "both") {
		t.Errorf("KMS and local master both set: %v", err)
	}
	// Without CVETL_KMS_KEY_ID the local master is chosen.
	t.Setenv("CVETL_KMS_KEY_ID", "")
	if m, err := restricted.OpenMaster(context.Background(), filepath.Join(t.TempDir(), "unused.key")); err != nil {
		t.Fatal(err)
	} else if _, ok := m.(*restricted.LocalMaster); !ok {
		t.Errorf("without CVETL_KMS_KEY_ID: %T, want *restricted.LocalMaster", m)
	}
}

// BenchmarkKMSWrapUnwrap measures one new subject's data key round trip through a
// local KMS server: the cost a KMS master adds per new subject (wrap) and per subject
// first read in a process (unwrap). Real AWS KMS adds network latency on top.
func BenchmarkKMSWrapUnwrap(b *testing.B) {
	srv := kmstest.Start(b)
	b.Setenv("CVETL_KMS_KEY_ID", srv.CreateKey(b))
	b.Setenv("CVETL_MASTER_KEY", "")
	b.Setenv("CVETL_MASTER_KEY_FILE", "")
	m, err := restricted.OpenMaster(context.Background(), filepath.Join(b.TempDir(), "unused.key"))
	if err != nil {
		b.Fatal(err)
	}
	dk := restricted.NewDataKey()
	for b.Loop() {
		w, err := m.Wrap(dk)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.Unwrap(w); err != nil {
			b.Fatal(err)
		}
	}
}

func TestKMSKeyStoreUnwrapsOncePerProcess(t *testing.T) {
	ctx := context.Background()
	srv := kmstest.Start(t)
	keyID := srv.CreateKey(t)
	path := filepath.Join(t.TempDir(), "keys.duckdb")
	ks, err := restricted.OpenKeyStore(ctx, path, kmsMaster(t, keyID))
	if err != nil {
		t.Fatal(err)
	}
	dk, _ := ks.DataKey(ctx, "S0000001")
	ks.Close()
	ks, err = restricted.OpenKeyStore(ctx, path, kmsMaster(t, keyID))
	if err != nil {
		t.Fatal(err)
	}
	defer ks.Close()
	if got, err := ks.Lookup(ctx, "S0000001"); err != nil || !bytes.Equal(got, dk) {
		t.Fatalf("first lookup: %v", err)
	}
	// KMS now refuses every decrypt; a second read of the same subject must not need one.
	srv.DisableKey(t, keyID)
	if got, err := ks.Lookup(ctx, "S0000001"); err != nil || !bytes.Equal(got, dk) {
		t.Fatalf("second lookup went back to KMS: %v", err)
	}
	if err := ks.Destroy(ctx, "S0000001"); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Lookup(ctx, "S0000001"); !errors.Is(err, restricted.ErrKeyDestroyed) {
		t.Fatalf("lookup after destroy served the cached key: %v", err)
	}
}
