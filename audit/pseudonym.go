package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Pseudonymizer turns a subject id into a keyed pseudonym: HMAC-SHA-256 under a secret
// salt, so that the audit trail can show that two entries concern the same person
// without saying who, and nobody without the salt can test a guess.
type Pseudonymizer struct{ salt []byte }

// NewPseudonymizer returns a pseudonymizer keyed by salt (at least 16 secret bytes).
func NewPseudonymizer(salt []byte) *Pseudonymizer {
	return &Pseudonymizer{salt: append([]byte(nil), salt...)}
}

// Of returns the pseudonym of a subject id: "p:" and 32 hex digits.
func (p *Pseudonymizer) Of(subjectID string) string {
	m := hmac.New(sha256.New, p.salt)
	m.Write([]byte(subjectID))
	return "p:" + hex.EncodeToString(m.Sum(nil)[:16])
}
