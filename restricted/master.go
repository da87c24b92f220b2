package restricted

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// Master wraps and unwraps data keys. The local implementation uses a 256-bit key;
// a KMS-backed one can satisfy the same interface.
type Master interface {
	Wrap(dataKey []byte) ([]byte, error)
	Unwrap(wrapped []byte) ([]byte, error)
}

// LocalMaster wraps data keys with AES-256-GCM under a key held by this process.
type LocalMaster struct{ key []byte }

// NewLocalMaster takes a 32-byte master key.
func NewLocalMaster(key []byte) (*LocalMaster, error) {
	if len(key) != DataKeySize {
		return nil, fmt.Errorf("master key is %d bytes, want %d", len(key), DataKeySize)
	}
	return &LocalMaster{key: append([]byte(nil), key...)}, nil
}

var wrapAAD = []byte("cvetl data key v1")

// Wrap encrypts a data key.
func (m *LocalMaster) Wrap(dk []byte) ([]byte, error) { return Seal(m.key, dk, wrapAAD) }

// Unwrap decrypts a wrapped data key.
func (m *LocalMaster) Unwrap(w []byte) ([]byte, error) {
	if bytes.HasPrefix(w, kmsWrapMagic) {
		return nil, errors.New("unwrapping data key: it was wrapped by AWS KMS (set CVETL_KMS_KEY_ID to the key this key store was made with)")
	}
	return Unseal(m.key, w, wrapAAD)
}

// OpenMaster chooses the master key from the environment: AWS KMS when
// CVETL_KMS_KEY_ID is set, else the local key of MasterFromEnv. Setting both kinds is
// refused: which one wrapped the key store must not be a guess.
func OpenMaster(ctx context.Context, defaultFile string) (Master, error) {
	keyID := strings.TrimSpace(os.Getenv("CVETL_KMS_KEY_ID"))
	if keyID == "" {
		return MasterFromEnv(defaultFile)
	}
	for _, v := range []string{"CVETL_MASTER_KEY", "CVETL_MASTER_KEY_FILE"} {
		if os.Getenv(v) != "" {
			return nil, fmt.Errorf("both CVETL_KMS_KEY_ID and %s are set: set only the master key this key store was made with", v)
		}
	}
	return NewKMSMaster(ctx, keyID)
}

// MasterFromEnv loads the master key from CVETL_MASTER_KEY (base64 of 32 bytes) or
// from the file CVETL_MASTER_KEY_FILE names. With neither set it uses defaultFile,
// creating it (mode 0600) on first use so the embedded default works out of the box;
// production deployments should set one of the variables from a secret store.
func MasterFromEnv(defaultFile string) (*LocalMaster, error) {
	if v := os.Getenv("CVETL_MASTER_KEY"); v != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil {
			return nil, errors.New("CVETL_MASTER_KEY: not base64")
		}
		m, err := NewLocalMaster(key)
		if err != nil {
			return nil, fmt.Errorf("CVETL_MASTER_KEY: %w", err)
		}
		return m, nil
	}
	path := os.Getenv("CVETL_MASTER_KEY_FILE")
	if path == "" {
		path = defaultFile
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			key := NewDataKey()
			enc := base64.StdEncoding.EncodeToString(key) + "\n"
			if err := os.WriteFile(path, []byte(enc), 0o600); err != nil {
				return nil, fmt.Errorf("creating master key file %s: %w", path, err)
			}
			slog.Warn("created a local master key; keep it in a secret store and set CVETL_MASTER_KEY_FILE", "file", path)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("master key file %s: not base64", path)
	}
	m, err := NewLocalMaster(key)
	if err != nil {
		return nil, fmt.Errorf("master key file %s: %w", path, err)
	}
	return m, nil
}
