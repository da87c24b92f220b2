package lake_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/internal/sqlrows"
	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// All people here are fictional.

var day1 = time.Date(2026, 11, 24, 2, 15, 0, 0, time.UTC)

// testStore is a real store on a temp file whose clock the test sets.
type testStore struct {
	*duckstore.Store
	now time.Time
}

func openStore(t *testing.T) *testStore {
	t.Helper()
	master, err := restricted.NewLocalMaster(restricted.NewDataKey())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keys, err := restricted.OpenKeyStore(context.Background(), filepath.Join(dir, "keys.duckdb"), master)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testStore{now: day1}
	s, err := duckstore.Open(context.Background(), filepath.Join(dir, "store.duckdb"), duckstore.Options{
		Keys: keys, Now: func() time.Time { return ts.now },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); keys.Close() })
	ts.Store = s
	return ts
}

func str(s string) *string { return &s }

// cv is a one-candidate file; its hash is derived from tag, its key from key.
func cv(tag, key, name, email string, evidence string) *pipeline.FileResult {
	c := profile.Candidate{Name: str(name), Emails: []string{email}, Skills: []string{"Go", "SQL"}, Town: str("Leeds")}
	if evidence != "" {
		c.SpecialCategories = []profile.Tag{{Category: profile.Health, Evidence: evidence, Start: 0, End: len(evidence), Confidence: 0.9, Detector: "test"}}
	}
	return &pipeline.FileResult{
		Item:       pipeline.Item{Key: key, Location: "/inbox/" + key, ModTime: day1.Add(-time.Hour)},
		SHA256:     strings.Repeat(tag, 64)[:64],
		Format:     extractors.FormatText,
		Channel:    "job_board:indeed",
		Candidates: []pipeline.ParsedCandidate{{Format: extractors.FormatText, Candidate: c}},
	}
}

// ingest commits one run holding the files.
func (s *testStore) ingest(t *testing.T, files ...*pipeline.FileResult) {
	t.Helper()
	ctx := context.Background()
	run, err := s.BeginRun(ctx, "ingest")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, run, files); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, run, pipeline.Summary{}, nil); err != nil {
		t.Fatal(err)
	}
}

func (s *testStore) events(t *testing.T, jsonl string) {
	t.Helper()
	ctx := context.Background()
	run, err := s.BeginRun(ctx, "events_import")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportEvents(ctx, strings.NewReader(jsonl), "events.jsonl", run)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("importing events: %v %v", err, res.Errors)
	}
	if err := s.FinishEventsRun(ctx, run, res, nil); err != nil {
		t.Fatal(err)
	}
}

func (s *testStore) subjectOf(t *testing.T, email string) string {
	t.Helper()
	var id string
	if err := s.DB().QueryRow(`SELECT DISTINCT subject_id FROM profiles WHERE list_contains(emails, ?)`, email).Scan(&id); err != nil {
		t.Fatalf("subject of %s: %v", email, err)
	}
	return id
}

// duck is an in-memory DuckDB for reading lake files as analysts would.
func duck(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func scalar[T any](t *testing.T, db *sql.DB, q string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// dump is every row of a table of the lake in root, ordered, as text.
func dump(t *testing.T, root, table string, except ...string) string {
	t.Helper()
	db := duck(t)
	sel := "*"
	if len(except) > 0 {
		sel = "* EXCLUDE (" + strings.Join(except, ", ") + ")"
	}
	lines, err := sqlrows.Lines(context.Background(), db, fmt.Sprintf(`SELECT %s FROM read_parquet('%s', hive_partitioning = true) ORDER BY ALL`, sel, lake.Glob(root, table)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

func keysOf(t *testing.T, l *lake.Lake, table string) []string {
	t.Helper()
	files, err := l.Files(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		out = append(out, f.Key)
	}
	return out
}

func TestExportWritesAVersionedHivePartitionedLakeDuckDBReads(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	s.ingest(t, cv("a", "a.txt", "Ada Example", "ada@example.com", "I have type 1 diabetes"), cv("b", "b.txt", "Ben Sample", "ben@example.org", ""))
	s.events(t, `{"subject":"ada@example.com","event":"registered","at":"2026-11-01","detail":{"subject_type":"candidate"}}`+"\n")
	s.now = day1.AddDate(0, 0, 1)
	s.ingest(t, cv("c", "c.txt", "Cara Test", "cara@example.net", ""))

	root := t.TempDir()
	l, err := lake.Open(root, lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := lake.Export(ctx, s.DB(), l, lake.ExportOptions{Name: "main"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"profiles/ingest_date=2026-11-24/part-main.parquet", "profiles/ingest_date=2026-11-25/part-main.parquet"}
	if got := keysOf(t, l, "profiles"); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("profile files %v, want %v", got, want)
	}
	if rep.Rows["profiles"] != 3 || rep.Rows["sources"] != 3 || rep.Rows["events"] != 1 || rep.Files != 5 {
		t.Fatalf("report %+v: want 3 profiles, 3 sources, 1 event in 5 files", rep)
	}

	db := duck(t)
	glob := lake.Glob(root, "profiles")
	if n := scalar[int](t, db, `SELECT count(*) FROM read_parquet(?, hive_partitioning = true) WHERE ingest_date = DATE '2026-11-24'`, glob); n != 2 {
		t.Fatalf("%d profiles in the 2026-11-24 partition, want 2", n)
	}
	// Zone-less timestamps: DuckDB 1.1 does interval arithmetic on TIMESTAMP only.
	if typ := scalar[string](t, db, `SELECT typeof(received_at) FROM read_parquet(?) LIMIT 1`, lake.Glob(root, "sources")); typ != "TIMESTAMP" {
		t.Fatalf("received_at reads as %s, want TIMESTAMP", typ)
	}
	if got := scalar[string](t, db, `SELECT strftime(received_at + INTERVAL 6 MONTH, '%Y-%m-%d %H:%M') FROM read_parquet(?) WHERE location = '/inbox/a.txt'`, lake.Glob(root, "sources")); got != "2027-05-24 01:15" {
		t.Fatalf("received_at + 6 months = %s", got)
	}
	if v := scalar[string](t, db, `SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = 'cvetl.lake.schema_version'`, filepath.Join(root, want[0])); v != fmt.Sprint(lake.SchemaVersion) {
		t.Fatalf("schema_version metadata %q", v)
	}
	if codec := scalar[string](t, db, `SELECT DISTINCT compression FROM parquet_metadata(?)`, filepath.Join(root, want[0])); codec != "ZSTD" {
		t.Fatalf("compression %s, want ZSTD", codec)
	}
	// Special-category evidence stays in the restricted store.
	for _, table := range []string{"profiles", "sources", "events"} {
		if d := dump(t, root, table); strings.Contains(d, "diabetes") || d == "" {
			t.Fatalf("%s: evidence leaked or table empty:\n%s", table, d)
		}
	}

	// Re-exporting changes no byte and adds no file.
	before, _ := os.ReadFile(filepath.Join(root, want[0]))
	if _, err := lake.Export(ctx, s.DB(), l, lake.ExportOptions{Name: "main"}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(root, want[0]))
	if !bytes.Equal(before, after) || len(keysOf(t, l, "profiles")) != 2 {
		t.Fatal("a second export of the same store changed the lake")
	}
}

func TestIncrementalExportRewritesOnlyNewPartitions(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	s.ingest(t, cv("a", "a.txt", "Ada Example", "ada@example.com", ""))
	l, err := lake.Open(t.TempDir(), lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	opt := lake.ExportOptions{Name: "s0of2", Tables: []lake.Table{lake.Profiles, lake.Sources}, Incremental: true}
	if _, err := lake.Export(ctx, s.DB(), l, opt); err != nil {
		t.Fatal(err)
	}
	rep, err := lake.Export(ctx, s.DB(), l, opt)
	if err != nil || rep.Files != 0 {
		t.Fatalf("nothing new, yet %d files written (err %v)", rep.Files, err)
	}
	s.now = day1.AddDate(0, 0, 2)
	s.ingest(t, cv("b", "b.txt", "Ben Sample", "ben@example.org", ""))
	rep, err = lake.Export(ctx, s.DB(), l, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 2 || rep.Since["profiles"] != "2026-11-26" {
		t.Fatalf("incremental export %+v: want the 2026-11-26 partitions only", rep)
	}
	// A later run that merges a subject changes an older partition's subject_id: it
	// must be rewritten too.
	s.now = day1.AddDate(0, 0, 3)
	merge := cv("d", "d.txt", "Ada Example", "ada@example.com", "")
	merge.Candidates[0].Candidate.Emails = append(merge.Candidates[0].Candidate.Emails, "ben@example.org")
	s.ingest(t, merge)
	rep, err = lake.Export(ctx, s.DB(), l, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Since["profiles"] != "2026-11-24" {
		t.Fatalf("after a merge the export rewrote from %s, want 2026-11-24", rep.Since["profiles"])
	}
	if n := strings.Count(dump(t, l.LocalRoot(), "profiles"), s.subjectOf(t, "ben@example.org")); n != 3 {
		t.Fatalf("%d lake profiles carry the merged subject, want 3", n)
	}
}

// shardLakes exports the same inputs once from one store, and once from three stores
// that each ingested a third (with one content twice, under two keys in two shards).
func TestCompactMakesShardsEqualOneStore(t *testing.T) {
	ctx := context.Background()
	files := func() []*pipeline.FileResult {
		return []*pipeline.FileResult{
			cv("a", "a.txt", "Ada Example", "ada@example.com", ""),
			cv("b", "b.txt", "Ben Sample", "ben@example.org", ""),
			cv("c", "c.txt", "Cara Test", "cara@example.net", ""),
			cv("d", "d.txt", "Dev Fictional", "dev@example.com", ""),
		}
	}
	one := openStore(t)
	one.ingest(t, files()...)
	oneLake, _ := lake.Open(t.TempDir(), lake.S3{})
	if _, err := lake.Export(ctx, one.DB(), oneLake, lake.ExportOptions{Name: "main"}); err != nil {
		t.Fatal(err)
	}

	shardRoot := t.TempDir()
	shards, _ := lake.Open(shardRoot, lake.S3{})
	f := files()
	copyOfA := cv("a", "z-copy-of-a.txt", "Ada Example", "ada@example.com", "")
	// The copy's shard numbers its subject first, so only the Prefer columns (not
	// subject ids) make compaction keep the original key, as one store does.
	for i, part := range [][]*pipeline.FileResult{{copyOfA, f[1]}, {f[2], f[0]}, {f[3]}} {
		s := openStore(t)
		s.ingest(t, part...)
		if _, err := lake.Export(ctx, s.DB(), shards, lake.ExportOptions{Name: fmt.Sprintf("s%dof3", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(keysOf(t, shards, "sources")); got != 3 {
		t.Fatalf("%d source files before compaction, want 3", got)
	}
	rep, err := lake.Compact(ctx, shards, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Duplicates != 2 || rep.RowsOut["profiles"] != 4 || rep.FilesIn != 6 {
		t.Fatalf("compaction %+v: want 2 duplicates dropped (profile and source of the copy), 4 profiles, 6 files merged", rep)
	}
	if got := keysOf(t, shards, "profiles"); len(got) != 1 || !strings.HasSuffix(got[0], "/part-compacted.parquet") {
		t.Fatalf("after compaction: %v", got)
	}
	// Subject ids are numbered per store, so they are compared apart from the rows.
	for _, table := range []string{"profiles", "sources"} {
		if want, got := dump(t, oneLake.LocalRoot(), table, "subject_id"), dump(t, shardRoot, table, "subject_id"); want != got {
			t.Fatalf("%s after compaction differs from one store:\nwant\n%s\ngot\n%s", table, want, got)
		}
	}
	// Compacting again is a no-op.
	if rep, err := lake.Compact(ctx, shards, nil); err != nil || rep.Partitions != 0 {
		t.Fatalf("second compaction rewrote %d partitions (err %v)", rep.Partitions, err)
	}
}

// The compacted file is the same bytes whatever order its inputs are read in.
func TestCompactOutputIsDeterministic(t *testing.T) {
	ctx := context.Background()
	var stores []*testStore
	for _, part := range [][]*pipeline.FileResult{
		{cv("a", "a.txt", "Ada Example", "ada@example.com", ""), cv("b", "b.txt", "Ben Sample", "ben@example.org", "")},
		{cv("c", "c.txt", "Cara Test", "cara@example.net", ""), cv("a", "z.txt", "Ada Example", "ada@example.com", "")},
		{cv("b", "y.txt", "Ben Sample", "ben@example.org", "")},
	} {
		s := openStore(t)
		s.ingest(t, part...)
		stores = append(stores, s)
	}
	compacted := func(names []string) []byte {
		root := t.TempDir()
		l, _ := lake.Open(root, lake.S3{})
		for i, s := range stores {
			if _, err := lake.Export(ctx, s.DB(), l, lake.ExportOptions{Name: names[i]}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := lake.Compact(ctx, l, nil); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(root, "sources/ingest_date=2026-11-24/part-compacted.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := compacted([]string{"s0of3", "s1of3", "s2of3"}), compacted([]string{"s2of3", "s0of3", "s1of3"})
	if !bytes.Equal(a, b) {
		t.Fatal("compacted sources differ with the order the files were read in")
	}
}

func TestEraseSubjectsRewritesEveryFileHoldingThem(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	// An applicant export holds both Ada and Ben.
	export := cv("e", "export.csv", "Ada Example", "ada@example.com", "")
	export.Candidates = append(export.Candidates, cv("e", "export.csv", "Ben Sample", "ben@example.org", "").Candidates...)
	s.ingest(t, cv("a", "a.txt", "Ada Example", "ada@example.com", ""), cv("b", "b.txt", "Ben Sample", "ben@example.org", ""), export)
	s.events(t, `{"subject":"ada@example.com","event":"registered","at":"2026-11-01","detail":{"subject_type":"candidate"}}`+"\n"+
		`{"subject":"ben@example.org","event":"registered","at":"2026-11-02","detail":{"subject_type":"candidate"}}`+"\n")
	s.now = day1.AddDate(0, 0, 1)
	s.ingest(t, cv("c", "c.txt", "Ada Example", "ada@example.com", "")) // Ada again, next day
	root := t.TempDir()
	l, _ := lake.Open(root, lake.S3{})
	if _, err := lake.Export(ctx, s.DB(), l, lake.ExportOptions{Name: "main"}); err != nil {
		t.Fatal(err)
	}
	ada := s.subjectOf(t, "ada@example.com")
	subjects, err := lake.SubjectsFromStore(ctx, s.DB(), []string{ada})
	if err != nil || len(subjects.ProfileIDs) != 3 {
		t.Fatalf("Ada's profiles: %v, %v", subjects.ProfileIDs, err)
	}
	sha := func(tag string) string { return strings.Repeat(tag, 64) }
	if strings.Join(subjects.Files, " ") != sha("a")+" "+sha("c") || strings.Join(subjects.SharedFiles, " ") != sha("e") {
		t.Fatalf("Ada's files %v, shared %v: want a and c alone, the export shared", subjects.Files, subjects.SharedFiles)
	}
	rep, err := lake.EraseSubjects(ctx, l, subjects)
	if err != nil {
		t.Fatal(err)
	}
	// Day 1 profiles/sources rewritten (Ben stays), day 2 deleted (only Ada), events rewritten.
	if rep.RowsRemoved["profiles"] != 3 || rep.RowsRemoved["sources"] != 3 || rep.RowsRemoved["events"] != 1 ||
		rep.FilesRewritten != 3 || rep.FilesDeleted != 2 {
		t.Fatalf("erase report %+v", rep)
	}
	for _, table := range []string{"profiles", "sources", "events"} {
		d := dump(t, root, table)
		if strings.Contains(d, ada) || strings.Contains(d, "ada@example.com") || !strings.Contains(d, s.subjectOf(t, "ben@example.org")) {
			t.Fatalf("%s after erasure:\n%s", table, d)
		}
	}
	if rep, err := lake.EraseSubjects(ctx, l, subjects); err != nil || rep.FilesRewritten+rep.FilesDeleted != 0 {
		t.Fatalf("second erasure changed %d files (err %v)", rep.FilesRewritten+rep.FilesDeleted, err)
	}
	if _, err := lake.EraseSubjects(ctx, l, lake.Subjects{}); err == nil {
		t.Fatal("erasing no subjects must be refused")
	}
}

func TestLakeRefusesFilesItDidNotWrite(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	s.ingest(t, cv("a", "a.txt", "Ada Example", "ada@example.com", ""))
	root := t.TempDir()
	l, _ := lake.Open(root, lake.S3{})
	if _, err := lake.Export(ctx, s.DB(), l, lake.ExportOptions{Name: "main"}); err != nil {
		t.Fatal(err)
	}
	if _, err := lake.Export(ctx, s.DB(), l, lake.ExportOptions{Name: "Bad Name"}); err == nil || !strings.Contains(err.Error(), "Bad Name") {
		t.Fatalf("bad writer name: %v", err)
	}
	// A profiles file moved into sources is caught by its metadata.
	src := filepath.Join(root, "profiles/ingest_date=2026-11-24/part-main.parquet")
	dst := filepath.Join(root, "sources/ingest_date=2026-11-24/part-other.parquet")
	data, _ := os.ReadFile(src)
	if err := os.WriteFile(dst, data, 0o640); err != nil {
		t.Fatal(err)
	}
	_, err := lake.Compact(ctx, l, []lake.Table{lake.Sources})
	if err == nil || !strings.Contains(err.Error(), "part-other.parquet") || !strings.Contains(err.Error(), "not a cvetl sources file") {
		t.Fatalf("foreign file: %v", err)
	}
	os.Remove(dst)
	if err := os.WriteFile(filepath.Join(root, "sources", "notes.txt"), []byte("x"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := lake.EraseSubjects(ctx, l, lake.Subjects{IDs: []string{"S0000001"}}); err == nil || !strings.Contains(err.Error(), "sources/notes.txt") {
		t.Fatalf("stray object: %v", err)
	}
}

// TestRetainKeepsRowsTheStoreDropped: a shard's store drops what it handed off; its
// next export the same day (and one of a day with nothing new left) must keep those
// rows in the lake, while an export without Retain mirrors the store.
func TestRetainKeepsRowsTheStoreDropped(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	s.ingest(t, cv("a", "a.txt", "Ada Example", "ada@example.com", ""))
	s.ingest(t, cv("c", "c.txt", "Cy Other", "cy@example.com", ""))
	l, err := lake.Open(t.TempDir(), lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	opt := lake.ExportOptions{Name: "s0of2", Tables: []lake.Table{lake.Profiles, lake.Sources}, Incremental: true, Retain: true}
	if _, err := lake.Export(ctx, s.DB(), l, opt); err != nil {
		t.Fatal(err)
	}
	before := dump(t, l.LocalRoot(), "profiles")
	if _, err := s.DB().Exec(`INSERT INTO lake_handoffs VALUES ('s0of2', 1, 2, 'obj', 2, 0, now())`); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.PurgeHandedOff(ctx); err != nil || rep.Profiles != 2 {
		t.Fatalf("purge %+v, %v", rep, err)
	}
	// Same day: a run with nothing new, then one with a new file; the partition is
	// rewritten each time.
	s.ingest(t)
	if _, err := lake.Export(ctx, s.DB(), l, opt); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, l.LocalRoot(), "profiles"); got != before {
		t.Fatalf("an export after the purge changed the lake:\n%s", got)
	}
	s.ingest(t, cv("b", "b.txt", "Ben Sample", "ben@example.org", ""))
	rep, err := lake.Export(ctx, s.DB(), l, opt)
	if err != nil || rep.Rows["profiles"] != 3 || rep.Rows["sources"] != 3 {
		t.Fatalf("export after a new file: %+v, %v; want the purged two rows kept beside the new one", rep, err)
	}
	got := dump(t, l.LocalRoot(), "profiles")
	for _, who := range []string{"ada@example.com", "cy@example.com", "ben@example.org"} {
		if !strings.Contains(got, who) {
			t.Errorf("the lake lost %s's profile", who)
		}
	}
	// Without Retain the writer's partition mirrors the store: the purged rows go.
	opt.Retain = false
	s.ingest(t)
	if _, err := lake.Export(ctx, s.DB(), l, opt); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, l.LocalRoot(), "profiles"); strings.Contains(got, "ada@example.com") || !strings.Contains(got, "ben@example.org") {
		t.Fatalf("an export without Retain after the purge:\n%s", got)
	}
}
