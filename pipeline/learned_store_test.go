package pipeline_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// unionOnly is a fictional sentence the rules and the backstop miss and the
// union (rules + model at its model-alone thresholds) tags as trade union
// membership. The applicant typed it in an export's free-text notes and pasted it
// into the skills box too, so it reaches an ordinary profile field.
const unionOnly = "I've stayed with Unite since my days at the car plant."

func applicantsCSV(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/learned/applicants.csv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), unionOnly) != 2 {
		t.Fatal("testdata/learned/applicants.csv lost its union-only sentence")
	}
	return b
}

// ingestWith runs the real runner into a real store (DuckDB file, key store)
// with the detector the learned mode chooses, as `cvetl ingest` does.
func ingestWith(t *testing.T, mode specialcat.LearnedMode) *duckstore.Store {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	os.MkdirAll(inbox, 0o755)
	if err := os.WriteFile(filepath.Join(inbox, "applicants.csv"), applicantsCSV(t), 0o644); err != nil {
		t.Fatal(err)
	}
	master, err := restricted.NewLocalMaster(restricted.NewDataKey())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := restricted.OpenKeyStore(ctx, filepath.Join(dir, "keys.duckdb"), master)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { keys.Close() })
	store, err := duckstore.Open(ctx, filepath.Join(dir, "cvetl.duckdb"), duckstore.Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg := config.Default()
	cfg.SpecialCategories.Learned = mode
	cfg.SpecialCategories.Sections = map[string]string{"notes": "explicit_consent"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	detect, err := specialcat.DetectorFor(cfg.SpecialCategories.Learned)
	if err != nil {
		t.Fatal(err)
	}
	runID, err := store.BeginRun(ctx, "ingest")
	if err != nil {
		t.Fatal(err)
	}
	r := &pipeline.Runner{
		Source: pipeline.DirSource{Root: inbox}, Sink: store, Workers: 1, Limits: extractors.DefaultLimits,
		Timeout: time.Minute, BatchSize: 8, Condition: cfg.ConditionFor,
		ChannelFor: func(string) profile.Channel { return "direct" },
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	sum, err := r.Run(pipeline.WithSpecialDetector(ctx, detect), runID)
	if err != nil || sum.Candidates != 1 {
		t.Fatalf("run: %v, summary %+v", err, sum)
	}
	return store
}

// tablesHolding lists the tables with a row whose text holds s in clear.
func tablesHolding(t *testing.T, store *duckstore.Store, s string) []string {
	t.Helper()
	rows, err := store.DB().Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	var holding []string
	for _, table := range tables {
		var n int
		q := `SELECT count(*) FROM "` + table + `" t WHERE contains(CAST(t AS VARCHAR), ?)`
		if err := store.DB().QueryRow(q, s).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if n > 0 {
			holding = append(holding, table)
		}
	}
	return holding
}

// TestLearnedUnionTagIsSealedAndRedacted: with learned: union a sentence only the
// model finds is tagged "learned-<category>", gets its section's condition, is
// sealed in restricted and redacted from the profile, like a rule's tag; with
// learned: off it is not tagged, and the profile holds it in clear.
func TestLearnedUnionTagIsSealedAndRedacted(t *testing.T) {
	ctx := context.Background()
	off := ingestWith(t, specialcat.LearnedOff)
	if got := tablesHolding(t, off, unionOnly); len(got) != 1 || got[0] != "profiles" {
		t.Fatalf("learned: off: tables holding the sentence in clear = %v, want [profiles] (the skills box)", got)
	}
	var n int
	off.DB().QueryRow(`SELECT count(*) FROM restricted`).Scan(&n)
	if n != 0 {
		t.Fatalf("learned: off: %d restricted rows, want none", n)
	}

	union := ingestWith(t, specialcat.LearnedUnion)
	if got := tablesHolding(t, union, unionOnly); len(got) != 0 {
		t.Errorf("learned: union: tables holding the sentence in clear: %v", got)
	}
	var subject, detector, condition string
	err := union.DB().QueryRow(`SELECT subject_id, detector, coalesce(condition, '') FROM restricted`).Scan(&subject, &detector, &condition)
	if err != nil {
		t.Fatalf("learned: union: one restricted row: %v", err)
	}
	if detector != "learned-trade_union_membership" || condition != "explicit_consent" {
		t.Errorf("restricted row: detector %q condition %q, want learned-trade_union_membership and the notes section's explicit_consent", detector, condition)
	}
	ev, err := union.SubjectEvidence(ctx, subject)
	if err != nil || len(ev) != 1 || ev[0].Evidence != unionOnly || ev[0].Category != profile.TradeUnionMembership {
		t.Fatalf("decrypted evidence: %v, %d rows (want the sentence, trade union membership)", err, len(ev))
	}
	var skills string
	union.DB().QueryRow(`SELECT CAST(skills AS VARCHAR) FROM profiles`).Scan(&skills)
	if !strings.Contains(skills, "[special category: trade_union_membership]") {
		t.Errorf("profile skills not redacted: %d bytes, no redaction marker", len(skills))
	}
}
