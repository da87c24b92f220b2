package duckstore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
)

// handOff records runs first..last as handed off, as lake/handoff.Write does once its
// object is stored: the purge reads nothing else.
func handOff(t *testing.T, s *Store, first, last int64) {
	t.Helper()
	if _, err := s.DB().Exec(`INSERT INTO lake_handoffs VALUES ('s0of2', ?, ?, 'obj', 0, 0, now())`, first, last); err != nil {
		t.Fatal(err)
	}
}

func commitRun(t *testing.T, s *Store, batch ...*pipeline.FileResult) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := s.BeginRun(ctx, "ingest")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, id, batch); err != nil {
		t.Fatal(err)
	}
	return id
}

// tablesHolding counts, in every table of the store, the rows whose text holds needle.
func tablesHolding(t *testing.T, s *Store, needle string) map[string]int {
	t.Helper()
	rows, err := s.DB().Query(`SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]int{}
	for _, tbl := range tables {
		var c int
		if err := s.DB().QueryRow(`SELECT count(*) FROM `+tbl+` t WHERE lower(CAST(t AS VARCHAR)) LIKE '%' || lower(?) || '%'`, needle).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if c > 0 {
			out[tbl] = c
		}
	}
	return out
}

func TestPurgeDropsOnlyHandedOffRuns(t *testing.T) {
	s := openWithKeys(t)
	ctx := context.Background()
	commitRun(t, s,
		fileResult("a", tagged("Amara Okafor", "amara@example.com", "I have type 1 diabetes", profile.Health)),
		fileResult("b", cand("Bryn Test", "bryn@example.com", "07700 900123")))
	// Run 2 is not handed off (its handoff failed): Amara has a CV in each run.
	commitRun(t, s,
		fileResult("c", tagged("Amara Okafor", "amara@example.com", "I am a UNISON steward", profile.TradeUnionMembership)),
		fileResult("d", cand("Dana Roe", "dana@example.com", "")))
	amara := subjectOf(t, s, "amara@example.com")
	if _, err := s.SubjectEvidence(ctx, amara); err != nil {
		t.Fatal(err) // loads the key into the cache, which the purge must not trust
	}

	if rep, err := s.PurgeHandedOff(ctx); err != nil || rep != (PurgeReport{}) {
		t.Fatalf("purge with nothing handed off: %+v, %v; want nothing dropped", rep, err)
	}
	handOff(t, s, 1, 1)
	rep, err := s.PurgeHandedOff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (PurgeReport{ThroughRun: 1, Subjects: 1, Profiles: 2, Restricted: 1, Files: 2}); rep != want {
		t.Errorf("purge of run 1: %+v, want %+v", rep, want)
	}
	for _, needle := range []string{"bryn@example.com", "Bryn Test", "07700 900123", "/inbox/a.txt", "/inbox/b.txt"} {
		if got := tablesHolding(t, s, needle); len(got) > 0 {
			t.Errorf("%q still in %v after its run was handed off and purged", needle, got)
		}
	}
	// Run 2 is intact: Amara's subject, identity and key stay, her run-2 evidence opens.
	for _, needle := range []string{"amara@example.com", "dana@example.com", "/inbox/c.txt"} {
		if got := tablesHolding(t, s, needle); len(got) == 0 {
			t.Errorf("%q (a run not handed off) was purged: %v", needle, got)
		}
	}
	ev, err := s.SubjectEvidence(ctx, amara)
	if err != nil || len(ev) != 1 || ev[0].Evidence != "I am a UNISON steward" {
		t.Errorf("evidence of the run not handed off: %+v, %v", ev, err)
	}
	var ledger int
	s.DB().QueryRow(`SELECT count(*) FROM files WHERE location = ?`, HandedOffLocation).Scan(&ledger)
	if ledger != 2 || !s.Known(strings.Repeat("a", 64)) || !s.Known(strings.Repeat("b", 64)) {
		t.Errorf("dedupe ledger: %d files marked handed off, want 2, and both still known", ledger)
	}

	// Run 2 is handed off; a purge killed after destroying the keys is finished by
	// the next call.
	handOff(t, s, 2, 2)
	if _, err := s.keys.DestroyMany(ctx, []string{amara}); err != nil {
		t.Fatal(err)
	}
	rep, err = s.PurgeHandedOff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Subjects != 2 || rep.Profiles != 2 || rep.Restricted != 1 || rep.Files != 2 {
		t.Errorf("purge finishing run 2: %+v", rep)
	}
	for _, tbl := range []string{"profiles", "sources", "subjects", "subject_keys", "restricted", "vacancies", "events"} {
		var n int
		s.DB().QueryRow(`SELECT count(*) FROM ` + tbl).Scan(&n)
		if n != 0 {
			t.Errorf("%s: %d rows left after everything was handed off", tbl, n)
		}
	}
	if _, err := s.keys.Lookup(ctx, amara); !errors.Is(err, restricted.ErrKeyDestroyed) {
		t.Errorf("data key of a purged subject: %v, want destroyed", err)
	}
	if again, err := s.PurgeHandedOff(ctx); err != nil || again.Subjects+again.Profiles+again.Files != 0 {
		t.Errorf("second purge: %+v, %v; want nothing left to drop", again, err)
	}

	if !s.Known(strings.Repeat("c", 64)) || !s.Known(strings.Repeat("d", 64)) {
		t.Error("files of a purged run are no longer known: a re-run would ingest them again")
	}

	// New people get new ids (a purged id reused would name a destroyed key).
	commitRun(t, s, fileResult("e", tagged("Erin New", "erin@example.com", "I have asthma", profile.Health)))
	erin := subjectOf(t, s, "erin@example.com")
	if erin <= amara {
		t.Errorf("subject after the purge is %s, not above the purged %s: ids are reused", erin, amara)
	}
	if ev, err := s.SubjectEvidence(ctx, erin); err != nil || len(ev) != 1 {
		t.Errorf("evidence after the purge: %+v, %v", ev, err)
	}
}

// TestRewriteFileDropsFreedBytesAndKeepsTheStore: after a purge the old values are in
// the file's freed blocks; the rewritten file has none, opens with every migration and
// keeps its keys' constraints. A stale copy from a killed rewrite is replaced.
func TestRewriteFileDropsFreedBytesAndKeepsTheStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shard.duckdb")
	s, err := Open(ctx, path, Options{Keys: benchKeys(t)})
	if err != nil {
		t.Fatal(err)
	}
	commitRun(t, s, fileResult("a", cand("Gwen Fictional", "gwen.fictional@example.com", "")))
	handOff(t, s, 1, 1)
	if _, err := s.PurgeHandedOff(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	needle := []byte("gwen.fictional@example.com")
	if b, _ := os.ReadFile(path); !bytes.Contains(b, needle) {
		t.Log("DuckDB already dropped the freed bytes: the rewrite is not exercised by this check")
	}
	if err := os.WriteFile(path+".rewrite", []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := RewriteFile(ctx, path); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); bytes.Contains(b, needle) {
		t.Error("the rewritten file still holds a purged e-mail")
	}
	if _, err := os.Stat(path + ".rewrite"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("copy left beside the store: %v", err)
	}
	s, err = Open(ctx, path, Options{Keys: benchKeys(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.Known(strings.Repeat("a", 64)) {
		t.Error("the rewritten store forgot its dedupe ledger")
	}
	if _, err := s.DB().Exec(`INSERT INTO files SELECT * FROM files`); err == nil {
		t.Error("the rewritten store lost the files primary key")
	}
	var migrations int
	s.DB().QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&migrations)
	if migrations == 0 {
		t.Error("the rewritten store lost its migrations")
	}
}
