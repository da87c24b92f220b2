package rights

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// env is a real store on disk with its key store, filled through ingestion's Commit.
type env struct {
	t    *testing.T
	st   *duckstore.Store
	keys *restricted.KeyStore
	svc  *Service
	run  int64
}

var today = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

func newEnv(t *testing.T, preset string) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	master, err := restricted.NewLocalMaster(restricted.NewDataKey())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := restricted.OpenKeyStore(ctx, filepath.Join(dir, "cvetl.keys.duckdb"), master)
	if err != nil {
		t.Fatal(err)
	}
	st, err := duckstore.Open(ctx, filepath.Join(dir, "cvetl.duckdb"), duckstore.Options{Keys: keys, Now: func() time.Time { return today }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); keys.Close() })
	var pol *policy.Policy
	if preset != "" {
		if pol, err = policy.Preset(preset); err != nil {
			t.Fatal(err)
		}
	}
	svc := New(st, keys, pol)
	svc.Now = func() time.Time { return today }
	return &env{t: t, st: st, keys: keys, svc: svc}
}

type person struct {
	name, email, phone string
	postcode           string
	special            []profile.Tag
}

// ingest commits one file about the person, received through channel on the day given,
// and returns the subject id.
func (e *env) ingest(p person, channel, received string) string {
	e.t.Helper()
	e.run++
	c := profile.Candidate{Name: &p.name, Emails: []string{p.email}, Skills: []string{"Care Planning"}, SpecialCategories: p.special}
	if p.phone != "" {
		c.Phones = []string{p.phone}
	}
	if p.postcode != "" {
		c.Postcode = &p.postcode
	}
	at, _ := time.Parse(time.DateOnly, received)
	h := sha256.Sum256([]byte(p.email + channel + received))
	sha := hex.EncodeToString(h[:])
	res := &pipeline.FileResult{
		Item:       pipeline.Item{Key: sha[:8] + ".txt", Location: "/inbox/" + sha[:8] + ".txt", ModTime: at},
		SHA256:     sha,
		Format:     extractors.FormatText,
		Channel:    profile.Channel(channel),
		Candidates: []pipeline.ParsedCandidate{{Format: extractors.FormatText, Candidate: c}},
	}
	if err := e.st.Commit(context.Background(), e.run, []*pipeline.FileResult{res}); err != nil {
		e.t.Fatal(err)
	}
	id, err := Find(context.Background(), e.st.DB(), p.email)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// event records a past lifecycle event.
func (e *env) event(subject, event, at string, detail string) {
	e.t.Helper()
	ev := profile.Event{Event: event, At: at}
	if detail != "" {
		ev.Detail = []byte(detail)
	}
	if _, err := e.st.RecordEvent(context.Background(), subject, ev, "test", 1); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.st.DB().QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

func day(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
