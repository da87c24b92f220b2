package apply

import (
	"context"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/lake"
)

// TestLakeRemoteFindsWaitingHandoffs: a shard handoff object still holding one of an
// erased subject's files is residue, named by its key; once erased from it, none.
func TestLakeRemoteFindsWaitingHandoffs(t *testing.T) {
	ctx := context.Background()
	l, err := lake.Open(t.TempDir(), lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	h := lake.Handoff{Version: lake.HandoffVersion, Writer: "s1of2", Files: []lake.HandoffFile{
		{SHA256: "aaaa", Profiles: []string{"aaaa/0"}}, {SHA256: "bbbb", Profiles: []string{"bbbb/0"}}}}
	key, err := l.PutHandoff(ctx, "20261126T000000Z-r1-1", h)
	if err != nil {
		t.Fatal(err)
	}
	r := LakeRemote{Lake: l}
	id := Identity{SubjectID: "S0000001", Files: []RawFile{{SHA256: "aaaa"}}}
	left, err := r.Residue(ctx, id)
	if err != nil || len(left) != 1 || !strings.Contains(left[0], key) {
		t.Fatalf("residue: %v, %v; want the handoff %s", left, err, key)
	}
	if _, err := lake.EraseSubjects(ctx, l, lake.Subjects{IDs: []string{"S0000001"}, ProfileIDs: []string{"aaaa/0"}, Files: []string{"aaaa"}}); err != nil {
		t.Fatal(err)
	}
	if left, err := r.Residue(ctx, id); err != nil || len(left) != 0 {
		t.Fatalf("residue after erasure: %v, %v", left, err)
	}
	if left, _ := r.Residue(ctx, Identity{SubjectID: "S0000002", Files: []RawFile{{SHA256: "bbbb"}}}); len(left) != 1 {
		t.Fatalf("another subject's waiting file is not found: %v", left)
	}
}
