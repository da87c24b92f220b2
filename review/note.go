package review

import (
	"crypto/sha256"
	"encoding/hex"
)

func noteDigest(note string) string {
	sum := sha256.Sum256([]byte(note))
	return hex.EncodeToString(sum[:8])
}
