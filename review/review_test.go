package review

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

const manifestID = "deletion-2026-11-26-test-0001"

type fixture struct {
	t     *testing.T
	store *duckstore.Store
	log   string
}

// newFixture builds a store with one deletion manifest: S1 flagged, S2 not flagged,
// S3 not flagged but with special-category data.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := duckstore.Open(ctx, filepath.Join(dir, "s.duckdb"), duckstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, store: st, log: filepath.Join(dir, "audit.jsonl")}
	for i, s := range []string{"S1", "S2", "S3"} {
		f.exec(`INSERT INTO subjects VALUES (?, ?, 'candidate', TIMESTAMP '2024-01-01', 1)`, s, strings.ToLower(s)+"@example.com")
		f.exec(`INSERT INTO events VALUES (?, ?, 'applied', DATE '2024-01-02', NULL, 'test', 1)`, "k"+s, s)
		f.exec(`INSERT INTO manifest_rows (manifest_id, row_id, subject_id, subject_type, action, rule_id, due_date,
		    legal_hold, review_required, review_reasons, proposed_action, blocked_by, rules_due, scope)
		    VALUES (?, ?, ?, 'candidate', 'delete', 'stale', DATE '2026-01-01', false, ?, CAST(? AS VARCHAR[]), 'delete', [], ['stale'], 'subject')`,
			manifestID, s+"/stale", s, i == 0, reasons(i == 0))
	}
	f.exec(`INSERT INTO restricted VALUES ('p#1', 'S3', 'S3', 'p', 'health', NULL, 'test', 0.9, 0, 1, 'x'::BLOB, 1)`)
	f.exec(`INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, run_id, created_at)
	    VALUES (?, 'deletion', DATE '2026-11-26', 'test', 'd', 3, 2, TIMESTAMP '2026-11-26')`, manifestID)
	if err := StampFacts(ctx, st.DB(), "deletion", manifestID); err != nil {
		t.Fatal(err)
	}
	return f
}

func reasons(flagged bool) string {
	if flagged {
		return "[open_rights_request]"
	}
	return "[]"
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.store.DB().Exec(q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) service(fourEyes bool) *Service {
	f.t.Helper()
	l, err := audit.Open(context.Background(), f.log, f.store)
	if err != nil {
		f.t.Fatal(err)
	}
	return New(f.store.DB(), l, audit.NewPseudonymizer([]byte("test-salt-test-salt-test-salt-12")), Options{FourEyes: fourEyes})
}

func statuses(t *testing.T, s *Service) map[string]string {
	t.Helper()
	rows, err := s.Rows(context.Background(), manifestID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.RowID] = r.Status
	}
	return out
}

func TestBulkApprovalNeverTakesFlaggedRows(t *testing.T) {
	f := newFixture(t)
	s := f.service(false)
	out, err := s.ApproveUnflagged(context.Background(), manifestID, "Rev A", "")
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(t, s)
	if out.Decided != 2 || got["S1/stale"] != Pending || got["S2/stale"] != Approved || got["S3/stale"] != Approved {
		t.Fatalf("bulk approval: decided %d, statuses %v", out.Decided, got)
	}
	// Naming the flagged row approves it: the reviewer decided deliberately.
	if _, err := s.Approve(context.Background(), manifestID, []string{"S1/stale"}, "Rev A", "checked the request"); err != nil {
		t.Fatal(err)
	}
	if got := statuses(t, s); got["S1/stale"] != Approved {
		t.Fatalf("named approval: %v", got)
	}
	approved, _ := s.Approved(context.Background(), manifestID)
	if len(approved) != 3 {
		t.Fatalf("Approved() = %d rows, want 3", len(approved))
	}
}

func TestDecisionsAreAuditedWithoutTheSubject(t *testing.T) {
	f := newFixture(t)
	s := f.service(false)
	if _, err := s.Reject(context.Background(), manifestID, []string{"S2/stale"}, "Rev A", "still placing her"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := f.store.DB().QueryRow(`SELECT count(*) FROM decisions WHERE row_id = 'S2/stale' AND decision = 'reject' AND reviewer = 'Rev A'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("decisions rows = %d, %v", n, err)
	}
	res, err := audit.Verify(context.Background(), f.log, f.store)
	if err != nil || res.Entries != 1 {
		t.Fatalf("audit: %+v %v", res, err)
	}
	raw := readFile(t, f.log)
	for _, leak := range []string{"s2@example.com", "still placing her", `"subject":"S2"`} {
		if strings.Contains(raw, leak) {
			t.Errorf("audit log contains %q", leak)
		}
	}
	if !strings.Contains(raw, `"subject":"p:`) {
		t.Error("audit entry has no subject pseudonym")
	}
}

func TestRejectionNeedsANoteAndWinsOverApproval(t *testing.T) {
	f := newFixture(t)
	s := f.service(false)
	ctx := context.Background()
	var refusedErr *RefusedError
	if _, err := s.Reject(ctx, manifestID, []string{"S2/stale"}, "Rev A", " "); !errors.As(err, &refusedErr) {
		t.Fatalf("reject without a note: %v", err)
	}
	if _, err := s.Approve(ctx, manifestID, []string{"S2/stale"}, "Rev A", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reject(ctx, manifestID, []string{"S2/stale"}, "Rev B", "wrong rule"); err != nil {
		t.Fatal(err)
	}
	if got := statuses(t, s)["S2/stale"]; got != Rejected {
		t.Fatalf("approved by A, rejected by B: %s, want rejected", got)
	}
}

func TestFourEyesNeedsTwoDifferentReviewersForSpecialCategoryRows(t *testing.T) {
	f := newFixture(t)
	s := f.service(true)
	ctx := context.Background()
	for _, who := range []string{"Rev A", "Rev A"} {
		if _, err := s.Approve(ctx, manifestID, []string{"S3/stale", "S2/stale"}, who, ""); err != nil {
			t.Fatal(err)
		}
	}
	got := statuses(t, s)
	if got["S3/stale"] != NeedsSecond || got["S2/stale"] != Approved {
		t.Fatalf("after one reviewer twice: %v", got)
	}
	var n int
	if err := f.store.DB().QueryRow(`SELECT count(*) FROM decisions`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("a repeated decision was recorded again: %d decisions", n)
	}
	if _, err := s.Approve(ctx, manifestID, []string{"S3/stale"}, "Rev B", ""); err != nil {
		t.Fatal(err)
	}
	if got := statuses(t, s)["S3/stale"]; got != Approved {
		t.Fatalf("after a second reviewer: %s", got)
	}
}

func TestDecisionsOnChangedFactsAreRefused(t *testing.T) {
	changes := map[string]string{
		"new event":   `INSERT INTO events VALUES ('new', 'S2', 'meaningful_contact', DATE '2026-11-20', NULL, 'test', 9)`,
		"legal hold":  `INSERT INTO events VALUES ('hold', 'S1', 'legal_hold', DATE '2026-11-20', '{"reason":"tribunal"}', 'test', 9)`,
		"new file":    `INSERT INTO sources VALUES ('p2', 'S3', 'indeed', false, TIMESTAMP '2026-11-20', 'abc', 'cv.pdf', NULL, 9)`,
		"restriction": `INSERT INTO restrictions VALUES ('S2', 'requested', TIMESTAMP '2026-11-20')`,
		"merged away": `DELETE FROM subjects WHERE subject_id = 'S3'`,
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			s := f.service(false)
			f.exec(change)
			_, err := s.Approve(context.Background(), manifestID, []string{"S2/stale"}, "Rev A", "")
			var stale *StaleError
			if !errors.As(err, &stale) {
				t.Fatalf("decision after %s: %v, want StaleError", name, err)
			}
			var n int
			_ = f.store.DB().QueryRow(`SELECT count(*) FROM decisions`).Scan(&n)
			if n != 0 {
				t.Fatalf("%d decisions recorded on a stale manifest", n)
			}
		})
	}
}

func TestUnknownRowsAndSupersededManifestsAreRefused(t *testing.T) {
	f := newFixture(t)
	s := f.service(false)
	ctx := context.Background()
	var refusedErr *RefusedError
	if _, err := s.Approve(ctx, manifestID, []string{"S2/stale", "S9/none"}, "Rev A", ""); !errors.As(err, &refusedErr) || !strings.Contains(err.Error(), "S9/none") {
		t.Fatalf("unknown row: %v", err)
	}
	if got := statuses(t, s)["S2/stale"]; got != Pending {
		t.Fatalf("a refused command recorded a decision: %s", got)
	}
	f.exec(`UPDATE manifests SET superseded_by = 'deletion-newer' WHERE manifest_id = ?`, manifestID)
	if _, err := s.Approve(ctx, manifestID, []string{"S2/stale"}, "Rev A", ""); !errors.As(err, &refusedErr) || !strings.Contains(err.Error(), "deletion-newer") {
		t.Fatalf("superseded: %v", err)
	}
	if _, err := s.Approve(ctx, "deletion-none", []string{"S2/stale"}, "Rev A", ""); !errors.Is(err, ErrNoManifest) {
		t.Fatalf("unknown manifest: %v", err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The manifest list counts statuses in SQL; it must agree with Rows, which derives each
// row's status in Go, including re-decisions, rejections and four-eyes.
func TestManifestListCountsAgreeWithRows(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.service(true)
	steps := []struct {
		reject        bool
		row, reviewer string
	}{
		{true, "S1/stale", "Rev A"},
		{false, "S1/stale", "Rev A"}, // A changed their mind: their latest decision counts
		{true, "S2/stale", "Rev B"},
		{false, "S2/stale", "Rev A"}, // any rejection wins
		{false, "S3/stale", "Rev A"}, // special category: one of two approvals
	}
	for _, st := range steps {
		var err error
		if st.reject {
			_, err = s.Reject(ctx, manifestID, []string{st.row}, st.reviewer, "not yet")
		} else {
			_, err = s.Approve(ctx, manifestID, []string{st.row}, st.reviewer, "")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, fourEyes := range []bool{true, false} {
		s := f.service(fourEyes)
		ms, err := s.Manifests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 {
			t.Fatalf("%d manifests listed, want 1", len(ms))
		}
		fromRows := map[string]int{}
		for _, st := range statuses(t, s) {
			fromRows[st]++
		}
		want := map[string]int{Approved: 1, Rejected: 1, NeedsSecond: 1}
		if !fourEyes {
			want = map[string]int{Approved: 2, Rejected: 1}
		}
		if !maps.Equal(ms[0].ByStatus, fromRows) || !maps.Equal(fromRows, want) {
			t.Fatalf("four-eyes %v: list counts %v, rows %v, want %v", fourEyes, ms[0].ByStatus, fromRows, want)
		}
	}
}
