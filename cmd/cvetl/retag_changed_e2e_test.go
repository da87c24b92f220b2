package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestNightlyRemembersAChangedRawFile: a raw file changed since ingest is hashed once
// and then skipped, night after night, while its size and modification time stay what
// that night saw; counted files_changed each night either way. Once either moves it is
// read again: here it holds the ingested bytes again, so it is re-tagged and current.
func TestNightlyRemembersAChangedRawFile(t *testing.T) {
	dir := t.TempDir()
	s := newRetagFixture(t, dir, "s", []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")})
	in := retagInbox(t, dir)
	s.run(0, s.rules, "ingest", in)
	eligible := retagEligible(t, s.db)
	today := time.Now().UTC()

	// Same length, other bytes: only the hash tells it apart.
	path := filepath.Join(in, "retag", "oswin-farthingale.txt")
	original, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := append([]byte(nil), original...)
	edited[0] ^= 0x20
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	sha := queryStrings(t, s.db, `SELECT sha256 FROM files WHERE location = ?`, path)
	if len(sha) != 1 {
		t.Fatalf("the edited file is stored %d times", len(sha))
	}
	first, _ := s.nightly(s.current, today)
	if rt := first.Retag; rt == nil || rt.FilesChecked != eligible-1 || rt.FilesUnavailable != 1 || rt.FilesChanged != 1 {
		t.Fatalf("first nightly after the edit: %+v, want %d read and the edited file changed", first.Retag, eligible-1)
	}
	if n := count(t, s.db, `SELECT count(*) FROM retag_changed WHERE sha256 = ?`, sha[0]); n != 1 {
		t.Fatalf("the changed file is remembered %d times, want once", n)
	}

	// The ingested bytes back, with the edit's size and time: the store cannot tell
	// without hashing, and it must not hash: still counted changed, not read.
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, original, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		rep, _ := s.nightly(s.current, today)
		if rt := rep.Retag; rt == nil || rt.FilesListed != 1 || rt.FilesChecked != 0 || rt.FilesChanged != 1 || rt.RunID != 0 {
			t.Fatalf("nightly with the changed file's size and time as seen: %+v, want it skipped, counted changed, no run", rep.Retag)
		}
	}
	// --all hashes every file, remembered or not.
	if all := s.retag(s.current, "--all", "--dry-run"); all.FilesChecked != eligible || all.FilesChanged != 0 {
		t.Fatalf("retag --all: %+v, want every file read, the restored one too", all)
	}

	// Its time moves: read again, the ingested bytes, re-tagged, current, forgotten.
	later := st.ModTime().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	rep, _ := s.nightly(s.current, today)
	if rt := rep.Retag; rt == nil || rt.FilesChecked != 1 || rt.FilesChanged != 0 || rt.FilesUnavailable != 0 {
		t.Fatalf("nightly once the file's time moved: %+v, want it read", rep.Retag)
	}
	if n := count(t, s.db, `SELECT count(*) FROM retag_changed`); n != 0 {
		t.Errorf("%d files still remembered as changed after the file was read", n)
	}
	if rep, _ := s.nightly(s.current, today); rep.Retag == nil || rep.Retag.FilesCurrent != eligible || rep.Retag.FilesListed != 0 {
		t.Errorf("next nightly: %+v, want every file current", rep.Retag)
	}
}
