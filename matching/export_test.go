package matching

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Only rows approved by a reviewer and rejected by none are exported, only the named
// client's, never a subject excluded since; each exported subject gets one disclosed
// event naming the client.
func TestExportApprovedOnly(t *testing.T) {
	f := newFixture(t)
	s := f.standard()
	third := f.candidate(person{email: "gwen.h@example.com", postcode: "S2 4SU", town: "Sheffield",
		skills: []string{"IT Support", "Active Directory"}})
	f.run()
	m := f.lastM
	decide := func(vacancy, subj, decision, reviewer, at string) {
		f.exec(`INSERT INTO decisions VALUES (?, ?, ?, ?, NULL, CAST(? AS TIMESTAMP))`, m, rowID(vacancy, subj), decision, reviewer, at)
	}
	decide(s.it, s.itSheffield, "approve", "dpo", "2026-11-26 09:00:00")       // exported
	decide(s.it, s.itLeeds, "approve", "dpo", "2026-11-26 09:00:00")           // a second reviewer rejects
	decide(s.it, s.itLeeds, "reject", "lead", "2026-11-26 09:05:00")           //
	decide(s.nurse, s.nurseSheffield, "approve", "dpo", "2026-11-26 09:00:00") // another client
	decide(s.nurse, s.carerSheffield, "approve", "dpo", "2026-11-26 09:00:00") // another client
	decide(s.care, s.carerLeeds, "approve", "dpo", "2026-11-26 09:00:00")      // another client
	decide(s.it, s.nurseSheffield, "reject", "dpo", "2026-11-26 09:00:00")     // changed mind: latest counts
	decide(s.it, third, "approve", "dpo", "2026-11-26 10:00:00")               //
	var pending int
	if err := f.db.QueryRow(`SELECT count(*) FROM match_rows WHERE manifest_id = ? AND vacancy_id = ?`, m, s.it).Scan(&pending); err != nil || pending < 3 {
		t.Fatalf("fixture: %d rows for the IT vacancy (%v)", pending, err)
	}

	var recorded bytes.Buffer
	record := func(ctx context.Context, jsonl []byte, source string) error {
		recorded.Write(jsonl)
		runID, err := f.st.BeginRun(ctx, "events_import")
		if err != nil {
			return err
		}
		res, err := f.st.ImportEvents(ctx, bytes.NewReader(jsonl), source, runID)
		if err == nil && len(res.Errors) > 0 {
			err = errors.New(res.Errors[0].String())
		}
		return err
	}
	out := filepath.Join(t.TempDir(), "harrowgate.json")
	at := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	res, err := Export(context.Background(), f.db, ExportOptions{ManifestID: m, Client: "harrowgate technologies ltd", Out: out, At: at}, record)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rows []ExportedRow `json:"rows"`
	}
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range doc.Rows {
		got[r.SubjectID] = true
		if r.VacancyID != s.it {
			t.Errorf("exported a row of vacancy %s", r.VacancyID)
		}
	}
	if !got[s.itSheffield] || !got[third] || got[s.itLeeds] || len(got) != 2 || res.Rows != 2 {
		t.Errorf("exported %v (%+v), want %s and %s only", got, res, s.itSheffield, third)
	}
	var disclosed []string
	rows, err := f.db.Query(`SELECT subject_id FROM events WHERE event = 'disclosed'
		AND json_extract_string(detail, '$.recipient') = 'harrowgate technologies ltd' AND at = DATE '2026-11-27' ORDER BY subject_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		disclosed = append(disclosed, id)
	}
	rows.Close()
	if len(disclosed) != 2 || !got[disclosed[0]] || !got[disclosed[1]] {
		t.Errorf("disclosed events for %v, want the 2 exported subjects", disclosed)
	}

	// Restricted after approval: withheld, and no new disclosure.
	f.exec(`INSERT INTO restrictions VALUES (?, 'requested', TIMESTAMP '2026-11-27')`, third)
	recorded.Reset()
	res, err = Export(context.Background(), f.db, ExportOptions{ManifestID: m, Client: "Harrowgate Technologies Ltd", Out: out, At: at}, record)
	if err != nil || res.Rows != 1 || res.Withheld != 1 || bytes.Contains(recorded.Bytes(), []byte(third)) {
		t.Errorf("after a restriction: %+v %v; events %s", res, err, recorded.String())
	}

	// A review service that has not approved a row (e.g. it waits for a second
	// reviewer) keeps it out.
	waiting := func(context.Context, string) (map[string]bool, error) {
		return map[string]bool{rowID(s.it, s.itLeeds): true}, nil // rejected here: stays out too
	}
	res, err = Export(context.Background(), f.db, ExportOptions{ManifestID: m, Client: "Harrowgate Technologies Ltd", Out: out, At: at,
		Approved: waiting}, record)
	if err != nil || res.Rows != 0 {
		t.Errorf("with a review service that approved none of the approved rows: %+v %v", res, err)
	}

	// A failure to record the disclosures publishes nothing.
	out2 := filepath.Join(t.TempDir(), "x.json")
	_, err = Export(context.Background(), f.db, ExportOptions{ManifestID: m, Client: "Harrowgate Technologies Ltd", Out: out2, At: at},
		func(context.Context, []byte, string) error { return errors.New("store full") })
	if _, statErr := os.Stat(out2); err == nil || statErr == nil {
		t.Errorf("failed recording: err %v, file exists %v", err, statErr == nil)
	}
}

func TestExportRefusesOtherManifests(t *testing.T) {
	f := newFixture(t)
	deletionManifest(f, "deletion-2026-11-26-x-1", "2026-11-26", nil)
	noop := func(context.Context, []byte, string) error { return nil }
	out := filepath.Join(t.TempDir(), "x.json")
	if _, err := Export(context.Background(), f.db, ExportOptions{ManifestID: "deletion-2026-11-26-x-1", Client: "C", Out: out, At: time.Now()}, noop); !errors.Is(err, ErrNotMatches) {
		t.Errorf("deletion manifest: %v", err)
	}
	if _, err := Export(context.Background(), f.db, ExportOptions{ManifestID: "nope", Client: "C", Out: out, At: time.Now()}, noop); err == nil {
		t.Error("unknown manifest exported")
	}
}
