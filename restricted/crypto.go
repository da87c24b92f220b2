// Package restricted keeps special-category evidence apart from everything else:
// sealed with AES-256-GCM under a per-subject data key, each data key wrapped by a
// master key and kept in its own key store. Destroying a data key makes every copy
// of that subject's evidence unreadable, wherever the ciphertext went (crypto-shredding).
package restricted

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// DataKeySize is the size of a data key: AES-256.
const DataKeySize = 32

// ErrKeyDestroyed is returned for evidence whose data key was destroyed.
var ErrKeyDestroyed = errors.New("data key destroyed: the evidence was crypto-shredded")

// NewDataKey returns a fresh random data key.
func NewDataKey() []byte {
	k := make([]byte, DataKeySize)
	if _, err := rand.Read(k); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return k
}

// Seal encrypts plaintext under key, binding it to aad (e.g. the profile and category)
// so a ciphertext cannot be moved to another row. Output is nonce || ciphertext.
func Seal(key, plaintext, aad []byte) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plaintext, aad), nil
}

// Unseal decrypts what Seal produced.
func Unseal(key, sealed, aad []byte) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("sealed value too short")
	}
	n := aead.NonceSize()
	out, err := aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, fmt.Errorf("decrypting evidence: authentication failed")
	}
	return out, nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	if len(key) != DataKeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), DataKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
