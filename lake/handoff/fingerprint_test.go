package handoff_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/pipeline"
)

// fingerprintFiles are a shard's files: one tagged (with a finding) and one clean,
// both by detector "fp-current", one whose detector is unknown, one quarantined.
func fingerprintFiles() []*pipeline.FileResult {
	tagged := cv("/in/a.txt", "a", "Ada Fictional", "ada@example.invalid", "I manage type 1 diabetes")
	clean := cv("/in/b.txt", "b", "Bo Fictional", "bo@example.invalid", "")
	unknown := cv("/in/c.txt", "c", "Cy Fictional", "cy@example.invalid", "")
	bad := cv("/in/d.txt", "d", "", "", "")
	tagged.TaggedBy, clean.TaggedBy, bad.TaggedBy = "fp-current", "fp-current", "fp-current"
	bad.Candidates, bad.Err = nil, &extractors.Error{Reason: extractors.ReasonCorrupt}
	return []*pipeline.FileResult{tagged, clean, unknown, bad}
}

// TestHandoffCarriesTheDetectorFingerprint: an imported file keeps the detector the
// shard recorded, so the authoritative store's retag does not read again what the
// same detector tagged; a file the shard did not know the detector of stays stale.
func TestHandoffCarriesTheDetectorFingerprint(t *testing.T) {
	ctx := context.Background()
	master := newMaster(t)
	l, err := lake.Open(t.TempDir(), lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	shard := openStore(t, master)
	ingest(t, shard, l, master, "s0of2", fingerprintFiles()...)
	shardView := `SELECT location || '=' || coalesce(detector_fingerprint, 'NULL') FROM files ORDER BY location`
	want := "/in/a.txt=fp-current; /in/b.txt=fp-current; /in/c.txt=NULL; /in/d.txt=NULL"
	if got := query(t, shard, shardView); got != want {
		t.Fatalf("shard's files: %s, want %s", got, want)
	}

	auth := openStore(t, master)
	if rep := importInto(t, auth, l, master); rep.Summary.FilesNew != 4 || rep.Tags != 1 {
		t.Fatalf("import %+v: want 4 files and the tag", rep)
	}
	if got := query(t, auth, shardView); got != want {
		t.Fatalf("imported files' detectors: %s, want the shard's %s", got, want)
	}
	list, err := auth.RetagFiles(ctx, "fp-current", false)
	if err != nil {
		t.Fatal(err)
	}
	if list.Current != 2 || len(list.Files) != 1 || list.Files[0].Location != "/in/c.txt" {
		t.Fatalf("retag after the import: %d current, listed %+v; want a and b current, only c to read", list.Current, list.Files)
	}
	// Another detector on the authoritative store: every imported file is stale.
	if list, err := auth.RetagFiles(ctx, "fp-next", false); err != nil || list.Current != 0 || len(list.Files) != 3 {
		t.Fatalf("retag with another detector: %+v, %v; want all three files listed", list, err)
	}
}

// TestOldHandoffImportsAsStale: a handoff written before the fingerprint was carried
// (no detector_fingerprint key at all) still imports, and its files are stale.
func TestOldHandoffImportsAsStale(t *testing.T) {
	ctx := context.Background()
	master := newMaster(t)
	root := t.TempDir()
	l, err := lake.Open(root, lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, openStore(t, master), l, master, "s0of2", fingerprintFiles()...)
	objs, err := filepath.Glob(filepath.Join(root, "_restricted", "s0of2", "*.json"))
	if err != nil || len(objs) != 1 {
		t.Fatalf("handoff objects %v, %v: want one", objs, err)
	}
	stripFingerprints(t, objs[0])

	auth := openStore(t, master)
	if rep := importInto(t, auth, l, master); rep.Summary.FilesNew != 4 || rep.Tags != 1 {
		t.Fatalf("import of an old handoff %+v: want 4 files and the tag", rep)
	}
	if got := query(t, auth, `SELECT CAST(count(*) AS VARCHAR) FROM files WHERE detector_fingerprint IS NOT NULL`); got != "0" {
		t.Fatalf("%s files imported from an old handoff claim a detector", got)
	}
	list, err := auth.RetagFiles(ctx, "fp-current", false)
	if err != nil {
		t.Fatal(err)
	}
	if list.Current != 0 || len(list.Files) != 3 {
		t.Fatalf("retag after importing an old handoff: %+v, want every file with a profile listed", list)
	}
}

// stripFingerprints rewrites a handoff object as an older release wrote it.
func stripFingerprints(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	files, _ := doc["files"].([]any)
	stripped := 0
	for _, f := range files {
		m := f.(map[string]any)
		if _, ok := m["detector_fingerprint"]; ok {
			stripped++
		}
		delete(m, "detector_fingerprint")
	}
	if stripped != 2 {
		t.Fatalf("the handoff carried %d fingerprints, want the two the shard knew", stripped)
	}
	if b, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
