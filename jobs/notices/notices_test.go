package notices

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// fixture is a real store on disk with helpers that write the rows ingestion and
// events import would write.
type fixture struct {
	t     testing.TB
	st    *duckstore.Store
	n     int
	subjs int
}

func newFixture(t testing.TB) *fixture {
	st, err := duckstore.Open(context.Background(), filepath.Join(t.TempDir(), "cvetl.duckdb"), duckstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &fixture{t: t, st: st}
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.st.DB().Exec(q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) subject(ref string) string {
	f.subjs++
	id := fmt.Sprintf("S%07d", f.subjs)
	f.exec(`INSERT INTO subjects VALUES (?, ?, 'candidate', TIMESTAMP '2026-01-01', 1)`, id, ref)
	return id
}

// source records a file about subj received through channel; it returns the profile id.
func (f *fixture) source(subj, channel, received string) string {
	f.n++
	pid := fmt.Sprintf("p%d/0", f.n)
	f.exec(`INSERT INTO sources VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, 'inbox/x', NULL, 1)`,
		pid, subj, channel, channel == "direct", received, fmt.Sprintf("sha%d", f.n))
	return pid
}

func (f *fixture) event(subj, event, at string) {
	f.n++
	f.exec(`INSERT INTO events VALUES (?, ?, ?, CAST(? AS DATE), NULL, 'test', 1)`, fmt.Sprintf("k%d", f.n), subj, event, at)
}

func (f *fixture) special(subj, profileID, category string) {
	f.n++
	f.exec(`INSERT INTO restricted VALUES (?, ?, ?, ?, ?, NULL, 'test', 0.9, 0, 1, ?, 1)`,
		fmt.Sprintf("t%d", f.n), subj, subj, profileID, category, []byte{1})
}

func day(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

func evaluateAt(t *testing.T, f *fixture, asOf string) map[string]Row {
	t.Helper()
	rows, err := Evaluate(context.Background(), f.st.DB(), day(asOf))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Row{}
	for _, r := range rows {
		out[r.RowID] = r
	}
	return out
}

func TestDueDateEachTriggerWins(t *testing.T) {
	f := newFixture(t)
	byMonth := f.subject("month@example.com")
	f.source(byMonth, "job_board:indeed", "2026-10-03")
	f.event(byMonth, "meaningful_contact", "2026-09-20") // before the data arrived: does not count

	byContact := f.subject("contact@example.com")
	f.source(byContact, "job_board:indeed", "2026-10-03")
	f.event(byContact, "meaningful_contact", "2026-10-10")
	f.event(byContact, "disclosed", "2026-10-12")

	byDisclosure := f.subject("disclosure@example.com")
	f.source(byDisclosure, "linkedin", "2026-10-03")
	f.event(byDisclosure, "disclosed", "2026-10-08")
	f.event(byDisclosure, "meaningful_contact", "2026-10-20")

	endOfMonth := f.subject("jan31@example.com")
	f.source(endOfMonth, "referee", "2026-01-31")

	got := evaluateAt(t, f, "2026-10-11")
	cases := []struct {
		row, due, trigger, status string
	}{
		{byMonth + "/source:job_board:indeed", "2026-11-03", "collected_plus_one_month", StatusDue},
		{byContact + "/source:job_board:indeed", "2026-10-10", "meaningful_contact", StatusOverdue},
		{byDisclosure + "/source:linkedin", "2026-10-08", "disclosed", StatusOverdue},
		{endOfMonth + "/source:referee", "2026-02-28", "collected_plus_one_month", StatusOverdue},
	}
	for _, c := range cases {
		r, ok := got[c.row]
		if !ok {
			t.Errorf("%s: no row (rows %v)", c.row, got)
			continue
		}
		if r.DueDate != c.due || r.DueTrigger != c.trigger || r.Status != c.status {
			t.Errorf("%s: due %s by %s, %s; want %s by %s, %s", c.row, r.DueDate, r.DueTrigger, r.Status, c.due, c.trigger, c.status)
		}
	}
	if r := got[byDisclosure+"/source:linkedin"]; len(r.ReviewReasons) != 1 || r.ReviewReasons[0] != "disclosed_before_notice" || !r.ReviewRequired {
		t.Errorf("a disclosure before any notice must be flagged: %+v", r)
	}
	// On the due day itself the notice is due, not yet overdue.
	if r := evaluateAt(t, f, "2026-11-03")[byMonth+"/source:job_board:indeed"]; r.Status != StatusDue {
		t.Errorf("on its due day: %s, want due", r.Status)
	}
	if r := evaluateAt(t, f, "2026-11-04")[byMonth+"/source:job_board:indeed"]; r.Status != StatusOverdue {
		t.Errorf("the day after its due day: %s, want overdue", r.Status)
	}
	// Data received after the day is not known yet.
	if _, ok := evaluateAt(t, f, "2026-10-02")[byMonth+"/source:job_board:indeed"]; ok {
		t.Error("a source received after the day gave a row")
	}
}

func TestDirectCollectionIsExempt(t *testing.T) {
	f := newFixture(t)
	s := f.subject("direct@example.com")
	f.source(s, "direct", "2026-10-01")
	f.event(s, "disclosed", "2026-10-02")
	got := evaluateAt(t, f, "2026-12-01")
	r := got[s+"/source:direct"]
	if r.Status != StatusExempt || r.ExemptReason != "obtained_from_subject" || r.DueDate != "" || r.ReviewRequired {
		t.Errorf("direct collection: %+v", r)
	}
	if len(got) != 1 {
		t.Errorf("rows %v, want only the exempt one", got)
	}
}

func TestSentNoticeIsNotDueAgainUnlessSomethingNewArrives(t *testing.T) {
	f := newFixture(t)
	same := f.subject("same@example.com")
	f.source(same, "job_board:indeed", "2026-10-01")
	f.event(same, "notice_sent", "2026-10-05")
	f.source(same, "job_board:indeed", "2026-10-12") // another CV through the same board

	newSource := f.subject("newsource@example.com")
	f.source(newSource, "job_board:indeed", "2026-10-01")
	f.event(newSource, "notice_sent", "2026-10-05")
	f.source(newSource, "linkedin", "2026-10-20")

	newCat := f.subject("newcat@example.com")
	p1 := f.source(newCat, "job_board:indeed", "2026-10-01")
	f.special(newCat, p1, "criminal_convictions") // known when the notice went out
	f.event(newCat, "notice_sent", "2026-10-05")
	p2 := f.source(newCat, "job_board:indeed", "2026-10-15")
	f.special(newCat, p2, "health") // new
	f.special(newCat, p2, "criminal_convictions")

	got := evaluateAt(t, f, "2026-11-30")
	want := map[string]string{
		same + "/source:job_board:indeed":      StatusSent,
		newSource + "/source:job_board:indeed": StatusSent,
		newSource + "/source:linkedin":         StatusOverdue,
		newCat + "/source:job_board:indeed":    StatusSent,
		newCat + "/new_category":               StatusOverdue,
	}
	if len(got) != len(want) {
		t.Errorf("%d rows, want %d: %v", len(got), len(want), got)
	}
	for id, status := range want {
		if got[id].Status != status {
			t.Errorf("%s: %q, want %q", id, got[id].Status, status)
		}
	}
	if r := got[newSource+"/source:linkedin"]; r.LastSent != "2026-10-05" || r.DueDate != "2026-11-20" {
		t.Errorf("new source: %+v", r)
	}
	if r := got[newCat+"/new_category"]; r.ReceivedDate != "2026-10-15" || r.Channel != "job_board:indeed" ||
		len(r.ReviewReasons) != 1 || r.ReviewReasons[0] != "special_category_held" {
		t.Errorf("new category: %+v", r)
	}
	// A second notice covers both.
	f.event(newSource, "notice_sent", "2026-11-01")
	f.event(newCat, "notice_sent", "2026-11-01")
	got = evaluateAt(t, f, "2026-11-30")
	for id, r := range got {
		if r.Owed() {
			t.Errorf("%s still owed after the second notice: %+v", id, r)
		}
	}
	if _, ok := got[newCat+"/new_category"]; ok {
		t.Error("the new-category row stays after a notice covered it")
	}
}

func TestRestrictedSubjectsAreFlagged(t *testing.T) {
	f := newFixture(t)
	s := f.subject("r@example.com")
	f.source(s, "job_board:reed", "2026-10-01")
	f.exec(`INSERT INTO restrictions VALUES (?, 'requested', TIMESTAMP '2026-10-02')`, s)
	r := evaluateAt(t, f, "2026-10-10")[s+"/source:job_board:reed"]
	if !r.ReviewRequired || len(r.ReviewReasons) != 1 || r.ReviewReasons[0] != "restricted" {
		t.Errorf("restricted subject: %+v", r)
	}
}

func TestRunWritesAndRecordsAStableManifest(t *testing.T) {
	f := newFixture(t)
	a := f.subject("a@example.com")
	f.source(a, "job_board:indeed", "2026-10-03")
	b := f.subject("b@example.com")
	f.source(b, "direct", "2026-10-03")
	pol, err := policy.Preset("121-recruitment")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx := context.Background()
	opt := Options{Policy: pol, AsOf: day("2026-11-26"), OutDir: out, RunID: 7}
	res, err := Run(ctx, f.st.DB(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 || res.ByStatus[StatusOverdue] != 1 || res.ByStatus[StatusExempt] != 1 || len(res.Files) != 3 || len(res.Problems) != 0 {
		t.Errorf("result %+v", res)
	}
	path := filepath.Join(out, "manifests", "notices-2026-11-26.json")
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ID, Kind, AsOf, Policy string
		Rows                   []map[string]any
	}
	if err := json.Unmarshal(first, &m); err != nil {
		t.Fatal(err)
	}
	if m.ID != res.ManifestID || m.Kind != "notices" || m.Policy != "121-recruitment" || len(m.Rows) != 2 {
		t.Errorf("manifest head %q %q %q, %d rows", m.ID, m.Kind, m.Policy, len(m.Rows))
	}
	for _, key := range []string{"row_id", "subject_id", "review_required", "status", "due_date"} {
		if _, ok := m.Rows[0][key]; !ok {
			t.Errorf("row without %s: %v", key, m.Rows[0])
		}
	}
	res2, err := Run(ctx, f.st.DB(), opt)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(path)
	if res2.ManifestID != res.ManifestID || !bytes.Equal(first, second) {
		t.Error("a second run on the same store and day gave a different manifest")
	}
	var stored, manifests int
	f.st.DB().QueryRow(`SELECT count(*) FROM notice_rows WHERE manifest_id = ?`, res.ManifestID).Scan(&stored)
	f.st.DB().QueryRow(`SELECT count(*) FROM manifests WHERE kind = 'notices' AND run_id = 7`).Scan(&manifests)
	if stored != 2 || manifests != 1 {
		t.Errorf("store holds %d rows and %d manifests, want 2 and 1", stored, manifests)
	}
	// New facts, new manifest id; the old one is superseded.
	f.event(a, "notice_sent", "2026-11-26")
	res3, err := Run(ctx, f.st.DB(), opt)
	if err != nil {
		t.Fatal(err)
	}
	var superseded string
	f.st.DB().QueryRow(`SELECT superseded_by FROM manifests WHERE manifest_id = ?`, res.ManifestID).Scan(&superseded)
	if res3.ManifestID == res.ManifestID || superseded != res3.ManifestID || res3.ByStatus[StatusSent] != 1 {
		t.Errorf("after a notice was sent: %+v, old superseded by %q", res3, superseded)
	}
}
