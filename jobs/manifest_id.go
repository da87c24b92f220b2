package jobs

import "github.com/cvetl/cvetl/policy"

// ManifestID is the id every manifest kind gets (deletion, notices, matches): kind, day,
// policy and a hash of the policy's content and the rows' digest.
func ManifestID(kind, asOf string, pol *policy.Policy, rowsDigest string) string {
	return manifestID(kind, asOf, pol, rowsDigest)
}
