package handoff_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/lake"
	"github.com/cvetl/cvetl/lake/handoff"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

var now = time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)

func openStore(t *testing.T, master restricted.Master) *duckstore.Store {
	t.Helper()
	return openStoreAt(t, master, func() time.Time { return now })
}

func openStoreAt(t *testing.T, master restricted.Master, clock func() time.Time) *duckstore.Store {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	keys, err := restricted.OpenKeyStore(ctx, filepath.Join(dir, "keys.duckdb"), master)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { keys.Close() })
	st, err := duckstore.Open(ctx, filepath.Join(dir, "store.duckdb"), duckstore.Options{Keys: keys, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newMaster(t *testing.T) restricted.Master {
	t.Helper()
	m, err := restricted.NewLocalMaster(restricted.NewDataKey())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// cv is a fictional one-candidate file; evidence, when given, is a health tag.
func cv(location, content, name, email, evidence string) *pipeline.FileResult {
	sum := sha256.Sum256([]byte(content))
	c := profile.Candidate{Name: &name, Emails: []string{email}}
	if evidence != "" {
		c.SpecialCategories = []profile.Tag{{Category: profile.Health, Evidence: evidence, Start: 10, End: 10 + len(evidence),
			Confidence: 0.9, Detector: "test", Condition: "explicit_consent"}}
	}
	return &pipeline.FileResult{
		Item:   pipeline.Item{Key: filepath.Base(location), Location: location, ModTime: now.Add(-time.Hour)},
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)), Format: "txt", Channel: "direct",
		Candidates: []pipeline.ParsedCandidate{{Format: "txt", Candidate: c}},
	}
}

// ingest commits results as one run of a shard's store, exports its lake files and
// writes its handoff, as `cvetl ingest --shard … --lake` does.
func ingest(t *testing.T, st *duckstore.Store, l *lake.Lake, master restricted.Master, writer string, results ...*pipeline.FileResult) handoff.WriteReport {
	t.Helper()
	ctx := context.Background()
	runID, err := st.BeginRun(ctx, "ingest")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(ctx, runID, results); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, runID, pipeline.Summary{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := lake.Export(ctx, st.DB(), l, lake.ExportOptions{Name: writer, Tables: []lake.Table{lake.Profiles, lake.Sources}, Incremental: true}); err != nil {
		t.Fatal(err)
	}
	rep, err := handoff.Write(ctx, st, l, master, writer, now)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func importInto(t *testing.T, st *duckstore.Store, l *lake.Lake, master restricted.Master) handoff.ImportReport {
	t.Helper()
	ctx := context.Background()
	runID, err := st.BeginRun(ctx, "lake_import")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := handoff.Import(ctx, st, l, master, runID, now)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func query(t *testing.T, st *duckstore.Store, q string) string {
	t.Helper()
	rows, err := st.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// TestHandoffIsIncremental: each handoff covers the runs since the last one; a shard
// with nothing new writes nothing; the import takes both objects, re-seals the
// evidence under the authoritative store's keys, records and deletes the objects.
func TestHandoffIsIncremental(t *testing.T) {
	ctx := context.Background()
	master := newMaster(t)
	l, err := lake.Open(t.TempDir(), lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	shard := openStore(t, master)
	first := ingest(t, shard, l, master, "s0of2", cv("/in/a.txt", "a", "Ada Fictional", "ada@example.invalid", "I manage type 1 diabetes"))
	if first.Object == "" || first.Files != 1 || first.Tags != 1 || first.FirstRun != 1 || first.LastRun != 1 {
		t.Fatalf("first handoff %+v: want run 1's file and tag", first)
	}
	if again, err := handoff.Write(ctx, shard, l, master, "s0of2", now); err != nil || again.Object != "" {
		t.Fatalf("handoff with no new run: %+v, %v: want no object", again, err)
	}
	second := ingest(t, shard, l, master, "s0of2", cv("/in/b.txt", "b", "Bo Fictional", "bo@example.invalid", ""))
	if second.Files != 1 || second.FirstRun != 2 || second.Tags != 0 {
		t.Fatalf("second handoff %+v: want run 2's file only", second)
	}

	auth := openStore(t, master)
	rep := importInto(t, auth, l, master)
	if rep.Objects != 2 || rep.Summary.FilesNew != 2 || rep.Tags != 1 || rep.ObjectsDeleted != 2 {
		t.Fatalf("import %+v: want 2 objects, 2 files, 1 tag", rep)
	}
	if got := query(t, auth, `SELECT writer || ' ' || files_new FROM lake_imports ORDER BY object`); got != "s0of2 1; s0of2 1" {
		t.Fatalf("lake_imports: %q", got)
	}
	subj := query(t, auth, `SELECT subject_id FROM profiles WHERE file_sha256 = (SELECT sha256 FROM files WHERE location = '/in/a.txt')`)
	ev, err := auth.SubjectEvidence(ctx, subj)
	if err != nil || len(ev) != 1 || ev[0].Evidence != "I manage type 1 diabetes" || ev[0].Category != profile.Health || ev[0].Condition != "explicit_consent" {
		t.Fatalf("evidence in the authoritative store: %+v, %v", ev, err)
	}
	if objs, _ := l.Handoffs(ctx); len(objs) != 0 {
		t.Fatalf("handoffs left: %v", objs)
	}
	if again := importInto(t, auth, l, master); again.Summary.FilesNew != 0 || again.Objects != 0 {
		t.Fatalf("second import %+v: want nothing", again)
	}
	// The same bytes ingested later are duplicates.
	if !auth.Known(cv("/elsewhere/a.txt", "a", "", "", "").SHA256) {
		t.Fatal("an imported file is not known to the store")
	}
}

// TestImportResolvesIdentityAcrossShards: the same e-mail in two shards is one
// person in the authoritative store; the same name with other e-mails is not; the
// same content in two shards is imported once, from the first location.
func TestImportResolvesIdentityAcrossShards(t *testing.T) {
	master := newMaster(t)
	l, err := lake.Open(t.TempDir(), lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	s0, s1 := openStore(t, master), openStore(t, master)
	ingest(t, s0, l, master, "s0of2",
		cv("/in/ada-2024.txt", "ada 2024", "Ada Fictional", "ada@example.invalid", ""),
		cv("/in/zz-copy.txt", "same bytes", "Cy Fictional", "cy@example.invalid", ""),
		cv("/in/jane-1.txt", "jane one", "Jane Smith", "jane.one@example.invalid", ""))
	ingest(t, s1, l, master, "s1of2",
		cv("/in/ada-2025.txt", "ada 2025", "Ada Fictional", "ADA@example.invalid", ""),
		cv("/in/aa-first.txt", "same bytes", "Cy Fictional", "cy@example.invalid", ""),
		cv("/in/jane-2.txt", "jane two", "Jane Smith", "jane.two@example.invalid", ""))

	auth := openStore(t, master)
	rep := importInto(t, auth, l, master)
	if rep.Summary.FilesNew != 5 || rep.Summary.FilesDuplicate != 1 {
		t.Fatalf("import %+v: want 5 new files and the copy counted as a duplicate", rep.Summary)
	}
	if got := query(t, auth, `SELECT location FROM files WHERE location LIKE '%first%' OR location LIKE '%copy%'`); got != "/in/aa-first.txt" {
		t.Fatalf("the shared content came from %q, want the first location", got)
	}
	groups := query(t, auth, `SELECT string_agg(location, ',' ORDER BY location) FROM sources GROUP BY subject_id ORDER BY 1`)
	want := "/in/aa-first.txt; /in/ada-2024.txt,/in/ada-2025.txt; /in/jane-1.txt; /in/jane-2.txt"
	if groups != want {
		t.Fatalf("subjects by file:\n got %s\nwant %s", groups, want)
	}
}

// TestImportSpansDays: a shard's backlog of two nights sits in two lake partitions;
// one import takes both, a day at a time, and still links the person across them.
func TestImportSpansDays(t *testing.T) {
	master := newMaster(t)
	l, err := lake.Open(t.TempDir(), lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	day := now.AddDate(0, 0, -1)
	shard := openStoreAt(t, master, func() time.Time { return day })
	ingest(t, shard, l, master, "s0of2", cv("/in/ada-1.txt", "ada one", "Ada Fictional", "ada@example.invalid", "I am a Unison member"))
	day = now
	ingest(t, shard, l, master, "s0of2", cv("/in/ada-2.txt", "ada two", "Ada Fictional", "ada@example.invalid", ""))
	files, err := l.Files(context.Background(), "profiles")
	if err != nil || len(files) != 2 || files[0].IngestDate == files[1].IngestDate {
		t.Fatalf("lake profile files %v, %v: want two partitions", files, err)
	}
	auth := openStore(t, master)
	rep := importInto(t, auth, l, master)
	if rep.Summary.FilesNew != 2 || rep.Tags != 1 {
		t.Fatalf("import %+v: want both days' files and the tag", rep)
	}
	if got := query(t, auth, `SELECT CAST(count(DISTINCT subject_id) AS VARCHAR) FROM profiles`); got != "1" {
		t.Fatalf("%s subjects, want one person across the two days", got)
	}
}

// TestReshardedStoreHandsOffOnlyNewRuns: a store handed off as s0of2 and then run as
// s0of3 hands off only its later runs — the earlier ones may already be purged.
func TestReshardedStoreHandsOffOnlyNewRuns(t *testing.T) {
	master := newMaster(t)
	l, err := lake.Open(t.TempDir(), lake.S3{})
	if err != nil {
		t.Fatal(err)
	}
	shard := openStore(t, master)
	if first := ingest(t, shard, l, master, "s0of2", cv("/in/a.txt", "a", "Ada Fictional", "ada@example.invalid", "")); first.Files != 1 {
		t.Fatalf("first handoff %+v", first)
	}
	if _, err := shard.PurgeHandedOff(context.Background()); err != nil {
		t.Fatal(err)
	}
	next := ingest(t, shard, l, master, "s0of3", cv("/in/b.txt", "b", "Bo Fictional", "bo@example.invalid", ""))
	if next.Files != 1 || next.FirstRun != 2 || next.LastRun != 2 {
		t.Fatalf("handoff under the new name %+v: want run 2's file only", next)
	}
	rep := importInto(t, openStore(t, master), l, master)
	if rep.Objects != 2 || rep.Summary.FilesNew != 2 {
		t.Fatalf("import %+v: want both files once", rep)
	}
}
