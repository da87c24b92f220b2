// Package handoff brings sharded workers' ingests into the authoritative store through
// the lake: Write (run by each shard after its lake export) seals what the lake tables
// leave out — each file's ledger entry and its special-category tags — into
// <lake>/_restricted/<writer>/; Import (run by the authoritative store) rebuilds each
// file's result from the lake's profiles and the handoff and commits it through the
// store's own write path (duckstore.Store.Commit), so identity is re-resolved by the
// store's rules and the files become known to later ingests.
//
// Tags are sealed with AES-256-GCM under a fresh data key per handoff object, wrapped
// by the master key: shards and the authoritative store must share the master key
// (CVETL_MASTER_KEY, CVETL_MASTER_KEY_FILE or CVETL_KMS_KEY_ID).
package handoff

import (
	"embed"
	"encoding/json"
	"fmt"

	"github.com/cvetl/cvetl/internal/sqlfiles"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
)

//go:embed sql/*.sql
var queries embed.FS

func query(name string) string { return sqlfiles.Read(queries, name) }

// sealedTag is what a handoff tag's Sealed holds.
type sealedTag struct {
	Category   profile.Category `json:"category"`
	Condition  string           `json:"condition,omitempty"`
	Detector   string           `json:"detector"`
	Confidence float64          `json:"confidence"`
	Start      int              `json:"start"`
	End        int              `json:"end"`
	Evidence   string           `json:"evidence"`
}

// tagAAD binds a sealed tag to its writer, profile and place, so it cannot be moved
// to another profile or handed in as another writer's.
func tagAAD(writer, profileID string, n int) []byte {
	return fmt.Appendf(nil, "cvetl handoff v1|%s|%s#%d", writer, profileID, n)
}

func sealTag(dk []byte, writer, profileID string, n int, t sealedTag) ([]byte, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	return restricted.Seal(dk, b, tagAAD(writer, profileID, n))
}

func openTag(dk []byte, writer, profileID string, n int, sealed []byte) (profile.Tag, error) {
	b, err := restricted.Unseal(dk, sealed, tagAAD(writer, profileID, n))
	if err != nil {
		return profile.Tag{}, err
	}
	var t sealedTag
	if err := json.Unmarshal(b, &t); err != nil {
		return profile.Tag{}, fmt.Errorf("sealed tag is not valid JSON")
	}
	return profile.Tag{Category: t.Category, Condition: t.Condition, Detector: t.Detector,
		Confidence: t.Confidence, Start: t.Start, End: t.End, Evidence: t.Evidence}, nil
}
