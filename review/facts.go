package review

import (
	"context"
	"database/sql"
	"fmt"
)

// Querier is the part of *sql.DB, *sql.Conn and *sql.Tx that review uses.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// factsSQL digests everything a manifest's rows were decided on, for its subjects:
// whether each still exists (a merge removes one), its events (holds included), the
// files its profiles came from, and restrictions. Any new event, file or hold changes it.
const factsSQL = `WITH subj AS (%s)
SELECT sha256(coalesce(string_agg(k, ',' ORDER BY k), '')) FROM (
    SELECT 's:' || subj.subject_id || ':' || (x.subject_id IS NOT NULL) AS k
      FROM subj LEFT JOIN subjects x ON x.subject_id = subj.subject_id
    UNION ALL SELECT 'e:' || e.event_key FROM events e JOIN subj ON e.subject_id = subj.subject_id
    UNION ALL SELECT 'f:' || s.profile_id || '/' || s.file_sha256 FROM sources s JOIN subj ON s.subject_id = subj.subject_id
    UNION ALL SELECT 'r:' || r.subject_id FROM restrictions r JOIN subj ON r.subject_id = subj.subject_id
)`

// FactsDigest computes the digest of the facts behind a manifest of the given kind.
func FactsDigest(ctx context.Context, q Querier, kindName, manifestID string) (string, error) {
	k, ok := kinds[kindName]
	if !ok {
		return "", fmt.Errorf("manifest kind %q cannot be reviewed", kindName)
	}
	var digest string
	if err := q.QueryRowContext(ctx, fmt.Sprintf(factsSQL, k.subjects), manifestID).Scan(&digest); err != nil {
		return "", fmt.Errorf("digesting the facts of manifest %s: %w", manifestID, err)
	}
	return digest, nil
}

// StampFacts records, when a manifest is generated, the digest of the facts it was
// computed from; decisions are refused once they differ.
func StampFacts(ctx context.Context, q Querier, kindName, manifestID string) error {
	digest, err := FactsDigest(ctx, q, kindName, manifestID)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE manifests SET facts_digest = ? WHERE manifest_id = ?`, digest, manifestID)
	return err
}
