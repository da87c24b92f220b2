package apply

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/review"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

const mid = "deletion-2026-11-26-test-0001"

type fixture struct {
	t      *testing.T
	dir    string
	store  *duckstore.Store
	keys   *restricted.KeyStore
	deps   Deps
	remote *flakyRemote
}

// flakyRemote stands for a sink outside the store that fails on demand, to interrupt
// a run half-way.
type flakyRemote struct{ failOn string }

func (f *flakyRemote) Name() string { return "remote" }
func (f *flakyRemote) Erase(_ context.Context, id Identity) error {
	if id.SubjectID == f.failOn {
		return errors.New("connection refused")
	}
	return nil
}
func (f *flakyRemote) Residue(context.Context, Identity) ([]string, error) { return nil, nil }

// newFixture builds a store with four subjects, one manifest row each, all approved:
// S1 delete, S2 anonymise, S3 archive, S4 request_consent, S5 keep.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	master, err := restricted.NewLocalMaster(make([]byte, restricted.DataKeySize))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := restricted.OpenKeyStore(ctx, filepath.Join(dir, "k.duckdb"), master)
	if err != nil {
		t.Fatal(err)
	}
	st, err := duckstore.Open(ctx, filepath.Join(dir, "s.duckdb"), duckstore.Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); keys.Close() })
	f := &fixture{t: t, dir: dir, store: st, keys: keys, remote: &flakyRemote{}}
	actions := map[string]string{"S1": "delete", "S2": "anonymise", "S3": "archive", "S4": "request_consent", "S5": "keep"}
	for _, s := range []string{"S1", "S2", "S3", "S4", "S5"} {
		email := strings.ToLower(s) + ".person@example.com"
		raw := filepath.Join(dir, "inbox", s+".txt")
		content := []byte("CV of person " + s + "\n" + email + "\n")
		os.MkdirAll(filepath.Dir(raw), 0o755)
		if err := os.WriteFile(raw, content, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(content)
		sha := hex.EncodeToString(sum[:])
		f.exec(`INSERT INTO subjects VALUES (?, ?, 'candidate', TIMESTAMP '2024-01-01', 1)`, s, email)
		f.exec(`INSERT INTO subject_keys VALUES (?, ?)`, "email:"+email, s)
		f.exec(`INSERT INTO files (sha256, location, size, format, status, channel, received_at, run_id) VALUES (?, ?, ?, 'text', 'ingested', 'indeed', TIMESTAMP '2024-01-01', 1)`, sha, raw, len(content))
		f.exec(`INSERT INTO profiles (profile_id, subject_id, file_sha256, format, name, emails, phones, postcode, town,
		        ni_number, date_of_birth, skills, employment, education, links, run_id)
		    VALUES (?, ?, ?, 'text', ?, [?], ['07700 90012' || right(?, 1)], 'LS6 2AB', 'Leeds', 'QQ12345' || right(?, 1) || 'C', DATE '1990-05-04',
		        ['python', 'sql'], '[{"title":"Data Analyst","employer":"Fictional Widgets Ltd","start":"2019-01","end":"2023-06"}]',
		        '[{"institution":"University of Nowhere","qualification":"BSc Mathematics","year":"2012"}]', ['https://example.com/'||?], 1)`,
			sha[:16]+"/0", s, sha, "Person "+s+" Example", email, s, s, s)
		f.exec(`INSERT INTO sources VALUES (?, ?, 'indeed', false, TIMESTAMP '2024-01-01', ?, ?, NULL, 1)`, sha[:16]+"/0", s, sha, raw)
		f.exec(`INSERT INTO events VALUES (?, ?, 'applied', DATE '2024-01-02', '{"vacancy":"V1"}', 'test', 1)`, "ev"+s, s)
		dk, err := keys.DataKey(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		sealed, _ := restricted.Seal(dk, []byte("evidence"), []byte("aad"))
		f.exec(`INSERT INTO restricted VALUES (?, ?, ?, ?, 'health', NULL, 'test', 0.9, 0, 8, ?, 1)`, sha[:16]+"/0#0", s, s, sha[:16]+"/0", sealed)
		f.exec(`INSERT INTO manifest_rows (manifest_id, row_id, subject_id, subject_type, action, rule_id, due_date,
		    legal_hold, review_required, review_reasons, proposed_action, blocked_by, rules_due, scope)
		    VALUES (?, ?, ?, 'candidate', ?, 'stale', DATE '2026-01-01', false, false, [], ?, [], ['stale'], 'subject')`,
			mid, s+"/stale", s, actions[s], actions[s])
	}
	f.exec(`INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, run_id, created_at)
	    VALUES (?, 'deletion', DATE '2026-11-26', 'test', 'd', 5, 2, TIMESTAMP '2026-11-26')`, mid)
	if err := review.StampFacts(ctx, st.DB(), "deletion", mid); err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(ctx, filepath.Join(dir, "audit.jsonl"), st)
	if err != nil {
		t.Fatal(err)
	}
	pseudo := audit.NewPseudonymizer([]byte("pseudonym-salt-pseudonym-salt-01"))
	svc := review.New(st.DB(), log, pseudo, review.Options{})
	if _, err := svc.ApproveUnflagged(ctx, mid, "Rev One", ""); err != nil {
		t.Fatal(err)
	}
	f.deps = Deps{DB: st.DB(), Keys: keys, Review: svc, Audit: log, Pseudo: pseudo,
		HashKey: []byte("hash-key-hash-key-hash-key-hash-"), Remotes: []Remote{f.remote},
		Controller: policy.Controller{Name: "Fictional Recruitment Ltd", Contact: "privacy@fictional.example"}}
	return f
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.store.DB().Exec(q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.store.DB().QueryRow(q, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (f *fixture) options() Options {
	return Options{OutDir: filepath.Join(f.dir, "out"), AuditLog: filepath.Join(f.dir, "audit.jsonl"),
		QuarantineDir: filepath.Join(f.dir, "out", "quarantine")}
}

func TestEachActionDoesWhatItSays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.exec(`INSERT INTO requests VALUES ('R1', 'S1', 'erasure', DATE '2026-11-01', DATE '2026-12-01', NULL, 'open', NULL, NULL)`)
	res, err := Run(ctx, f.deps, f.options())
	if err != nil {
		t.Fatalf("Run: %v (residue %v)", err, res.Residue)
	}
	if n := f.count(`SELECT count(*) FROM requests WHERE request_id = 'R1' AND status = 'completed' AND closed_on IS NOT NULL`); n != 1 {
		t.Error("the erasure request was not closed when the deletion was applied")
	}
	if res.Verified != 2 || len(res.Residue) != 0 {
		t.Fatalf("verified %d subjects, residue %v; want 2 and none", res.Verified, res.Residue)
	}
	// delete: nothing of S1 in any table but the decision records; raw file and key gone.
	for _, tbl := range []string{"subjects", "profiles", "sources", "events", "restricted", "subject_keys"} {
		if n := f.count(`SELECT count(*) FROM ` + tbl + ` WHERE subject_id = 'S1'`); n != 0 {
			t.Errorf("delete left %d rows in %s", n, tbl)
		}
	}
	if _, err := os.Stat(filepath.Join(f.dir, "inbox", "S1.txt")); !os.IsNotExist(err) {
		t.Error("delete left the raw file")
	}
	if _, err := f.keys.Lookup(ctx, "S1"); !errors.Is(err, restricted.ErrKeyDestroyed) {
		t.Errorf("delete left the data key: %v", err)
	}
	// anonymise: identifiers gone, statistics fields kept, evidence shredded.
	var name, postcode, emp, ref any
	var skills []any
	if err := f.store.DB().QueryRow(`SELECT p.name, p.postcode, CAST(p.employment AS VARCHAR), p.skills, s.subject_ref
	    FROM profiles p JOIN subjects s USING (subject_id) WHERE subject_id = 'S2'`).Scan(&name, &postcode, &emp, &skills, &ref); err != nil {
		t.Fatal(err)
	}
	if name != nil || postcode != "LS" || strings.Contains(emp.(string), "Fictional Widgets") || !strings.Contains(emp.(string), "Data Analyst") ||
		len(skills) != 2 || !strings.HasPrefix(ref.(string), "p:") {
		t.Errorf("anonymised profile: name %v, postcode %v, employment %v, skills %v, ref %v", name, postcode, emp, skills, ref)
	}
	if n := f.count(`SELECT count(*) FROM profiles WHERE subject_id = 'S2' AND (len(emails) > 0 OR len(phones) > 0 OR ni_number IS NOT NULL OR date_of_birth IS NOT NULL OR len(links) > 0)`); n != 0 {
		t.Error("anonymise kept an identifier")
	}
	if n := f.count(`SELECT count(*) FROM restricted r JOIN profiles p USING (profile_id) WHERE r.subject_id = 'S2'`); n != 1 {
		t.Errorf("anonymised profile lost its link to its category rows (%d)", n)
	}
	if _, err := f.keys.Lookup(ctx, "S2"); !errors.Is(err, restricted.ErrKeyDestroyed) {
		t.Error("anonymise left the evidence readable")
	}
	// archive: moved out of the ordinary tables into the archive schema, whole.
	if f.count(`SELECT count(*) FROM profiles WHERE subject_id = 'S3'`) != 0 || f.count(`SELECT count(*) FROM archived.profiles WHERE subject_id = 'S3'`) != 1 ||
		f.count(`SELECT count(*) FROM archived.events WHERE subject_id = 'S3'`) != 1 || f.count(`SELECT count(*) FROM archived.subjects WHERE subject_id = 'S3'`) != 1 {
		t.Error("archive did not move the subject")
	}
	// request_consent: a message to the person, from the controller, and an event.
	msgs, _ := filepath.Glob(filepath.Join(f.dir, "out", "outbox", "*.eml"))
	if len(msgs) != 1 {
		t.Fatalf("outbox holds %d messages, want 1", len(msgs))
	}
	msg, _ := os.ReadFile(msgs[0])
	if !strings.Contains(string(msg), "To: s4.person@example.com") || !strings.Contains(string(msg), "Fictional Recruitment Ltd") {
		t.Errorf("consent request:\n%s", msg)
	}
	if f.count(`SELECT count(*) FROM events WHERE subject_id = 'S4' AND event = 'consent_requested'`) != 1 {
		t.Error("no consent_requested event")
	}
	// keep: nothing changes but the record that it was applied.
	if f.count(`SELECT count(*) FROM profiles WHERE subject_id = 'S5'`) != 1 || f.count(`SELECT count(*) FROM applied`) != 5 {
		t.Error("keep changed something, or a row was not recorded as applied")
	}
	if _, err := audit.Verify(ctx, filepath.Join(f.dir, "audit.jsonl"), f.store); err != nil {
		t.Fatal(err)
	}
}

// A run that fails half-way and is run again ends exactly as an uninterrupted run.
func TestApplyResumesAfterAFailureHalfWay(t *testing.T) {
	ctx := context.Background()
	clean := newFixture(t)
	if _, err := Run(ctx, clean.deps, clean.options()); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	f.remote.failOn = "S2"
	if _, err := Run(ctx, f.deps, f.options()); err == nil {
		t.Fatal("a failing sink did not fail the run")
	}
	if n := f.count(`SELECT count(*) FROM applied`); n != 1 {
		t.Fatalf("after the failure %d rows are applied, want 1 (S1 only)", n)
	}
	f.remote.failOn = ""
	res, err := Run(ctx, f.deps, f.options())
	if err != nil || res.Skipped != 1 {
		t.Fatalf("re-run: %v, skipped %d", err, res.Skipped)
	}
	for _, q := range []string{
		`SELECT count(*) FROM applied`, `SELECT count(*) FROM profiles`, `SELECT count(*) FROM archived.profiles`,
		`SELECT count(*) FROM events`, `SELECT count(*) FROM erasures`, `SELECT count(*) FROM subjects WHERE subject_ref LIKE 'p:%'`,
	} {
		if a, b := clean.count(q), f.count(q); a != b {
			t.Errorf("%s: %d after an uninterrupted run, %d after a resumed one", q, a, b)
		}
	}
}

func TestVerificationFindsWhatIsLeft(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := Run(ctx, f.deps, f.options()); err != nil {
		t.Fatal(err)
	}
	// Residue planted where a careless process might leave it.
	f.exec(`INSERT INTO events VALUES ('x', 'S5', 'disclosed', DATE '2026-11-01', '{"recipient":"forwarded S1.Person@example.com"}', 'test', 9)`)
	f.exec(`INSERT INTO quarantine (file_sha256, location, origin, reason, detail, run_id, at) VALUES ('y', 'a.txt', NULL, 'x', 'phone 07700900121 and more', 9, TIMESTAMP '2026-11-01')`)
	res, err := VerifySubject(ctx, f.deps, f.options(), "S1")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, r := range res {
		found[r.Place+"/"+r.What] = true
		if strings.Contains(r.String(), "example.com") || strings.Contains(r.String(), "07700") {
			t.Errorf("residue report names the identifier: %s", r)
		}
	}
	if !found["main.events/e-mail"] || !found["main.quarantine/phone"] {
		t.Fatalf("residue found: %v", res)
	}
	// By identifier, for someone never erased: their data is everywhere.
	res, err = VerifySubject(ctx, f.deps, f.options(), "s5.person@example.com")
	if err != nil || len(res) == 0 {
		t.Fatalf("a live subject's e-mail: %v %v", res, err)
	}
}
