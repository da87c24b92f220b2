package apply

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/sinks/duckstore"
)

// TestRawRewriteIsSafeToRepeat: the rewrite is recorded before the file is replaced,
// so a run killed in between (the old bytes still on disk) or after (the new bytes on
// disk, the row not yet applied) ends, when run again, with the same file.
func TestRawRewriteIsSafeToRepeat(t *testing.T) {
	ctx, dir, st := openBareStore(t)
	path := filepath.Join(dir, "export.csv")
	orig := "Name,Email,Phone\nAlice Fictional,alice.fictional@example.com,07700 900111\nBruno Madeup,bruno.madeup@example.com,07700 900222\nCarla Invented,carla.invented@example.com,07700 900333\n"
	want := strings.Replace(orig, "Bruno Madeup,bruno.madeup@example.com,07700 900222\n", "", 1)
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	d := Deps{DB: st.DB()}
	opt := Options{Log: slog.New(slog.NewTextHandler(os.Stderr, nil)), RunID: 7, Now: func() time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC) }}
	f := RawFile{SHA256: sha256Hex([]byte(orig)), Location: path, Shared: true, OthersKept: true, Origins: []string{"row 2"}}
	id := Identity{SubjectID: "S2", Emails: []string{"bruno.madeup@example.com"}, Phones: []string{"+447700900222"}}

	check := func(step string, wantOutcome rawOutcome) {
		t.Helper()
		got, _, err := d.eraseRaw(ctx, opt, id, f)
		if err != nil || got != wantOutcome {
			t.Fatalf("%s: outcome %v, %v; want %v", step, got, err, wantOutcome)
		}
		b, _ := os.ReadFile(path)
		if string(b) != want {
			t.Fatalf("%s: file is %q", step, b)
		}
		info, _ := os.Stat(path)
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want the original 0600", step, info.Mode().Perm())
		}
	}
	check("first run", rawRewritten)
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil { // killed before the rename
		t.Fatal(err)
	}
	check("re-run over the old bytes", rawRewritten)
	check("re-run over the new bytes", rawRewritten)
	var n int
	st.DB().QueryRow(`SELECT count(*) FROM raw_rewrites`).Scan(&n)
	if n != 1 {
		t.Errorf("%d rewrites recorded, want 1", n)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".cvetl-rewrite-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// The second person from the same file, in the ingested numbering (row 3), is cut
	// from the rewritten file, where they are row 2.
	f.Origins = []string{"row 3"}
	id = Identity{SubjectID: "S3", Emails: []string{"carla.invented@example.com"}}
	want = strings.Replace(want, "Carla Invented,carla.invented@example.com,07700 900333\n", "", 1)
	check("a second erasure", rawRewritten)

	// The same file changed by someone else since: left alone.
	changed := want + "Dara Unreal,dara.unreal@example.com,07700 900444\n"
	os.WriteFile(path, []byte(changed), 0o600)
	if got, _, err := d.eraseRaw(ctx, opt, id, f); err != nil || got != rawChanged {
		t.Errorf("a changed file: outcome %v, %v", got, err)
	}
	if b, _ := os.ReadFile(path); string(b) != changed {
		t.Errorf("a changed file was touched: %q", b)
	}
}

// TestDeleteAndAnonymiseFromOneSharedExport: two people of a three-row export are
// erased in one run, one deleted and one anonymised; the export keeps the third
// person's row, its file row keeps its location (the kept profile still points at
// it), and the verification is clean.
func TestDeleteAndAnonymiseFromOneSharedExport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	path := filepath.Join(f.dir, "inbox", "export.csv")
	header := "Name,Email,Phone,Town\n"
	rows := map[string]string{}
	content := header
	for i, s := range []string{"S1", "S2", "S5"} {
		rows[s] = "Person " + s + " Example," + strings.ToLower(s) + ".person@example.com,07700 90012" + s[1:] + ",Leeds\n"
		content += rows[s]
		f.exec(`UPDATE sources SET origin = ? WHERE subject_id = ?`, "row "+string(rune('1'+i)), s)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sha := sha256Hex([]byte(content))
	f.exec(`INSERT INTO files (sha256, location, size, format, status, channel, received_at, run_id) VALUES (?, ?, ?, 'csv', 'ingested', 'indeed', TIMESTAMP '2024-01-01', 1)`, sha, path, len(content))
	f.exec(`UPDATE sources SET file_sha256 = ?, location = ? WHERE subject_id IN ('S1', 'S2', 'S5')`, sha, path)
	f.exec(`UPDATE profiles SET file_sha256 = ? WHERE subject_id IN ('S1', 'S2', 'S5')`, sha)

	res, err := Run(ctx, f.deps, f.options())
	if err != nil {
		t.Fatalf("apply: %v (residue %v)", err, res.Residue)
	}
	if res.Raw.Rewritten != 2 || res.Raw.DeletedShared != 0 {
		t.Errorf("raw report %+v, want 2 rewritten", res.Raw)
	}
	if b, _ := os.ReadFile(path); string(b) != header+rows["S5"] {
		t.Errorf("the export after erasing two of three: %q", b)
	}
	var loc string
	f.store.DB().QueryRow(`SELECT location FROM files WHERE sha256 = ?`, sha).Scan(&loc)
	if loc != path {
		t.Errorf("the shared export's file row says %q: the kept profile lost its raw file", loc)
	}
	if n := f.count(`SELECT count(*) FROM raw_rewrites WHERE ingested_sha256 = ?`, sha); n != 2 {
		t.Errorf("%d rewrites recorded, want 2 (a chain)", n)
	}
}

// TestSharedExportNamingThePersonOutsideTheirRowIsDeletedWhole: a malformed row (not
// ingested, so not theirs by origin) still holds the erased person's e-mail; cutting
// their row would leave it, so the file is deleted whole and counted.
func TestSharedExportNamingThePersonOutsideTheirRowIsDeletedWhole(t *testing.T) {
	ctx, dir, st := openBareStore(t)
	path := filepath.Join(dir, "export.csv")
	data := "Name,Email,Phone\nAlice Fictional,alice.fictional@example.com,07700 900111\n" +
		"Bruno Madeup,bruno.madeup@example.com,07700 900222\nresent by,bruno.madeup@example.com,see above,extra\n"
	os.WriteFile(path, []byte(data), 0o644)
	d := Deps{DB: st.DB()}
	opt := Options{Log: slog.New(slog.NewTextHandler(os.Stderr, nil)), Now: time.Now}
	f := RawFile{SHA256: sha256Hex([]byte(data)), Location: path, Shared: true, OthersKept: true, Origins: []string{"row 2"}}
	id := Identity{SubjectID: "S2", Emails: []string{"bruno.madeup@example.com"}}
	got, _, err := d.eraseRaw(ctx, opt, id, f)
	if err != nil || got != rawDeletedShared {
		t.Fatalf("outcome %v, %v; want deleted whole as shared", got, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file is still there: %v", err)
	}
}

// openBareStore opens an empty store without a key store in a fresh directory, closed
// when the test ends.
func openBareStore(t *testing.T) (context.Context, string, *duckstore.Store) {
	t.Helper()
	ctx, dir := context.Background(), t.TempDir()
	st, err := duckstore.Open(ctx, filepath.Join(dir, "s.duckdb"), duckstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return ctx, dir, st
}

// TestRawRewriteOfAJSONArrayFollowsTheChain: a pretty-printed JSON array of three
// applicants loses one element, then a second (record 3 as ingested, record 2 after
// the first cut), each time valid JSON with the kept element's bytes and layout
// unchanged; a repeat finds the rows already gone. An array whose other record still
// names the erased person is deleted whole instead.
func TestRawRewriteOfAJSONArrayFollowsTheChain(t *testing.T) {
	ctx, dir, st := openBareStore(t)
	path := filepath.Join(dir, "export.json")
	alice := `{"name": "Alice Fictional", "email": "alice.fictional@example.com"}`
	bruno := `{"name": "Bruno Madeup", "email": "bruno.madeup@example.com", "mobile": "07700 900222"}`
	carla := `{"name": "Carla Invented", "email": "carla.invented@example.com"}`
	orig := "[\n  " + alice + ",\n  " + bruno + ",\n  " + carla + "\n]\n"
	if err := os.WriteFile(path, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	d := Deps{DB: st.DB()}
	opt := Options{Log: slog.New(slog.NewTextHandler(os.Stderr, nil)), RunID: 3, Now: time.Now}
	f := RawFile{SHA256: sha256Hex([]byte(orig)), Location: path, Shared: true, OthersKept: true, Origins: []string{"record 2"}}
	id := Identity{SubjectID: "S2", Emails: []string{"bruno.madeup@example.com"}, Phones: []string{"+447700900222"}}
	step := func(name, want string) {
		t.Helper()
		got, _, err := d.eraseRaw(ctx, opt, id, f)
		if err != nil || got != rawRewritten {
			t.Fatalf("%s: outcome %v, %v; want rewritten", name, got, err)
		}
		if b, _ := os.ReadFile(path); string(b) != want {
			t.Fatalf("%s: file is\n%q\nwant\n%q", name, b, want)
		}
	}
	step("the middle record", "[\n  "+alice+",\n  "+carla+"\n]\n")
	step("a repeat", "[\n  "+alice+",\n  "+carla+"\n]\n")
	f.Origins, id = []string{"record 3"}, Identity{SubjectID: "S3", Emails: []string{"carla.invented@example.com"}}
	step("the last record, after the chain", "[\n  "+alice+"\n]\n")
	var removed string
	st.DB().QueryRow(`SELECT CAST(removed_origins AS VARCHAR) FROM raw_rewrites WHERE ingested_sha256 = ? ORDER BY records_kept LIMIT 1`, f.SHA256).Scan(&removed)
	if removed != "[record 2, record 3]" {
		t.Errorf("the last rewrite records %s as cut, want records 2 and 3 in the ingested numbering", removed)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the original 0640", info.Mode().Perm())
	}

	// Another applicant's notes name the erased person: the cut would not erase them.
	naming := "[" + alice + "," + `{"name": "Dara Unreal", "notes": "referred by bruno.madeup@example.com"}` + "," + bruno + "]"
	os.WriteFile(path, []byte(naming), 0o644)
	f = RawFile{SHA256: sha256Hex([]byte(naming)), Location: path, Shared: true, OthersKept: true, Origins: []string{"record 3"}}
	id = Identity{SubjectID: "S2", Emails: []string{"bruno.madeup@example.com"}}
	if got, _, err := d.eraseRaw(ctx, opt, id, f); err != nil || got != rawDeletedShared {
		t.Fatalf("an array naming the person in another record: outcome %v, %v; want deleted whole", got, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file is still there: %v", err)
	}
}

// TestSharedFileDeletedWholeKeepsTheOthersProvenance: a text file two people's data came
// from cannot be cut; anonymising one (S2) deletes it whole. The other person (S5)
// keeps a truthful record: their source still says the channel, when it was received
// and where, the file row keeps its location (it is not marked 'erased'), and
// raw_file_deletions says the file was deleted, when and why, without naming anyone.
// The anonymised subject's own link is anonymised.
func TestSharedFileDeletedWholeKeepsTheOthersProvenance(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	path := filepath.Join(f.dir, "inbox", "cv-pack.txt")
	content := "CV pack\nPerson S2 Example s2.person@example.com\nPerson S5 Example s5.person@example.com\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sha := sha256Hex([]byte(content))
	f.exec(`INSERT INTO files (sha256, location, size, format, status, channel, received_at, run_id) VALUES (?, ?, ?, 'text', 'ingested', 'reed', TIMESTAMP '2024-03-05', 1)`, sha, path, len(content))
	f.exec(`UPDATE sources SET file_sha256 = ?, location = ?, channel = 'reed', received_at = TIMESTAMP '2024-03-05' WHERE subject_id IN ('S2', 'S5')`, sha, path)
	f.exec(`UPDATE profiles SET file_sha256 = ? WHERE subject_id IN ('S2', 'S5')`, sha)
	before := f.sourcesOf("S5")
	opt := f.options()
	opt.RunID = 41
	when := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	opt.Now = func() time.Time { return when }

	res, err := Run(ctx, f.deps, opt)
	if err != nil {
		t.Fatalf("apply: %v (residue %v)", err, res.Residue)
	}
	if res.Raw.DeletedShared != 1 {
		t.Errorf("raw report %+v, want the shared file deleted whole", res.Raw)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the shared file is still there: %v", err)
	}
	if after := f.sourcesOf("S5"); after != before {
		t.Errorf("the remaining person's source changed:\n%s\nwas\n%s", after, before)
	}
	var loc string
	f.store.DB().QueryRow(`SELECT location FROM files WHERE sha256 = ?`, sha).Scan(&loc)
	if loc != path {
		t.Errorf("the file row's location is %q: the remaining person's provenance lost where the file came from", loc)
	}
	var got string
	f.store.DB().QueryRow(`SELECT file_sha256 || ' ' || strftime(deleted_at, '%Y-%m-%d %H:%M') || ' ' || cause || ' ' || run_id FROM raw_file_deletions`).Scan(&got)
	if want := sha + " 2026-11-27 09:30 erasure_of_another_subject 41"; got != want || f.count(`SELECT count(*) FROM raw_file_deletions`) != 1 {
		t.Errorf("raw_file_deletions: %q, want the one row %q", got, want)
	}
	if n := f.count(`SELECT count(*) FROM sources WHERE subject_id = 'S2' AND location <> 'anonymised'`); n != 0 {
		t.Errorf("%d of the anonymised subject's sources still name the file", n)
	}
}

// sourcesOf is the subject's sources rows as text, to compare.
func (f *fixture) sourcesOf(subject string) string {
	f.t.Helper()
	var out string
	if err := f.store.DB().QueryRow(`SELECT string_agg(CAST(s AS VARCHAR), '\n' ORDER BY profile_id) FROM sources s WHERE subject_id = ?`, subject).Scan(&out); err != nil {
		f.t.Fatal(err)
	}
	return out
}
