package lake_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/lake"
)

func handoffFile(sha string, profiles ...string) lake.HandoffFile {
	f := lake.HandoffFile{SHA256: sha, Location: "/inbox/" + sha, Size: 10, Status: "ingested",
		Channel: "direct", ReceivedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), IngestDate: "2026-11-26", Profiles: profiles}
	for _, p := range profiles {
		f.Tags = append(f.Tags, lake.HandoffTag{ProfileID: p, Sealed: []byte("sealed")})
	}
	return f
}

// TestEraseReachesWaitingHandoffs: an erasure drops the subjects' files from handoff
// objects still waiting for an import — rewriting an object that holds others,
// deleting one left empty — and the residue check sees exactly what is left.
func TestEraseReachesWaitingHandoffs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l, err := lake.Open(dir, lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	h := lake.Handoff{Version: lake.HandoffVersion, Writer: "s0of2", WrappedKey: []byte("k"), Files: []lake.HandoffFile{
		handoffFile("aaaa", "aaaa/0"), handoffFile("bbbb", "bbbb/0", "bbbb/1"), handoffFile("cccc", "cccc/0")}}
	key, err := l.PutHandoff(ctx, "20261126T000000Z-r1-1", h)
	if err != nil {
		t.Fatal(err)
	}
	residue := func(shas ...string) []string {
		t.Helper()
		r, err := lake.HandoffResidue(ctx, l, shas)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := residue("bbbb"); len(r) != 1 || !strings.Contains(r[0], key) {
		t.Fatalf("residue before erasure: %v, want the object %s", r, key)
	}

	// One person of a shared file (an applicant export): the file's entry goes.
	rep, err := lake.EraseSubjects(ctx, l, lake.Subjects{IDs: []string{"S0000002"}, ProfileIDs: []string{"bbbb/1"}, SharedFiles: []string{"bbbb"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.FilesRewritten != 1 || rep.RowsRemoved["handoff"] != 1 {
		t.Fatalf("erasing one file's entry: %+v, want the object rewritten without one entry", rep)
	}
	objs, err := l.Handoffs(ctx)
	if err != nil || len(objs) != 1 {
		t.Fatalf("handoffs after a partial erasure: %v, %v", objs, err)
	}
	left, err := l.ReadHandoff(ctx, objs[0])
	if err != nil {
		t.Fatal(err)
	}
	var shas []string
	for _, f := range left.Files {
		shas = append(shas, f.SHA256)
	}
	if !slices.Equal(shas, []string{"aaaa", "cccc"}) || string(left.WrappedKey) != "k" {
		t.Fatalf("the rewritten handoff holds %v, want the others' entries and its key kept", shas)
	}
	if r := residue("bbbb"); len(r) != 0 {
		t.Fatalf("residue after erasure: %v", r)
	}
	if r := residue("aaaa"); len(r) != 1 {
		t.Fatalf("residue of a file not erased: %v, want the object", r)
	}

	// The rest, found by profile id alone: the object is deleted, not left empty.
	rep, err = lake.EraseSubjects(ctx, l, lake.Subjects{IDs: []string{"S0000001"}, ProfileIDs: []string{"aaaa/0", "cccc/0"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.FilesDeleted != 1 {
		t.Fatalf("erasing the last entries: %+v, want the object deleted", rep)
	}
	if objs, _ := l.Handoffs(ctx); len(objs) != 0 {
		t.Fatalf("handoffs left: %v", objs)
	}
	// Idempotent: nothing left to find.
	if rep, err := lake.EraseSubjects(ctx, l, lake.Subjects{IDs: []string{"S0000001"}, ProfileIDs: []string{"aaaa/0"}}); err != nil || rep.RowsRemoved["handoff"] != 0 {
		t.Fatalf("second erasure: %+v, %v", rep, err)
	}
}

// TestHandoffsRefuseWhatTheyCannotExplain: a stray object in the handoff area, a
// document of another version or one whose writer is not its key's fail with errors
// naming the object.
func TestHandoffsRefuseWhatTheyCannotExplain(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct{ key, body, want string }{
		"stray object":  {"_restricted/notes.txt", "x", "unexpected object _restricted/notes.txt"},
		"other version": {"_restricted/s0of2/a.json", `{"version":99,"writer":"s0of2"}`, "version 99"},
		"other writer":  {"_restricted/s0of2/a.json", `{"version":1,"writer":"s1of2"}`, `says writer "s1of2"`},
		"not JSON":      {"_restricted/s0of2/a.json", `{`, "not valid JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			l, err := lake.Open(dir, lake.S3{})
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, filepath.FromSlash(tc.key))
			os.MkdirAll(filepath.Dir(p), 0o750)
			if err := os.WriteFile(p, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			objs, err := l.Handoffs(ctx)
			if err == nil && len(objs) == 1 {
				_, err = l.ReadHandoff(ctx, objs[0])
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
