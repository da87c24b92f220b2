package rights

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/profile"
)

// exportFixture is a subject with something in every table an export covers.
func exportFixture(t *testing.T) (*env, string) {
	e := newEnv(t, "scotnursing")
	s := e.ingest(person{name: "Lena Marsh", email: "lena.marsh@example.com", phone: "+447700900303", postcode: "EH1 1YZ",
		special: []profile.Tag{{Category: profile.Health, Evidence: "I manage type 1 diabetes", Start: 40, End: 64, Confidence: 0.93, Detector: "test"}}},
		"job_board:indeed", "2026-10-03")
	e.ingest(person{name: "Lena Marsh", email: "lena.marsh@example.com", phone: "+447700900303"}, "linkedin", "2026-10-20")
	e.event(s, "applied", "2026-10-04", `{"vacancy":"SN-NURSE-7"}`)
	e.event(s, "disclosed", "2026-10-12", `{"recipient":"Lothian Care Homes"}`)
	if err := e.svc.DoNotSupply(ctx, s, "Northgate Clinic", "missed two booked shifts without notice"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Rectify(ctx, s, "town", "Edinburgh"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Restrict(ctx, s, "requested"); err != nil {
		t.Fatal(err)
	}
	e.exec(`INSERT INTO manifests (manifest_id, kind, as_of, policy, policy_digest, row_count, files, run_id, created_at)
		VALUES ('notices-2026-11-26-scotnursing-abc', 'notices', DATE '2026-11-26', 'scotnursing', 'd1', 1, ['out/x.json'], 1, TIMESTAMP '2026-11-26 01:00:00')`)
	e.exec(`INSERT INTO notice_rows VALUES ('notices-2026-11-26-scotnursing-abc', ?, ?, 'source', 'job_board:indeed',
		DATE '2026-10-03', DATE '2026-10-12', 'disclosed', 'overdue', NULL, NULL, true, ['disclosed_before_notice'])`, s+"/source:job_board:indeed", s)
	e.exec(`INSERT INTO decisions VALUES ('notices-2026-11-26-scotnursing-abc', ?, 'approve', 'DPO', 'send today', TIMESTAMP '2026-11-26 10:00:00')`, s+"/source:job_board:indeed")
	return e, s
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.st.DB().Exec(q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

func readZip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		r, _ := f.Open()
		out[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	return out
}

func TestExportHoldsEverything(t *testing.T) {
	e, s := exportFixture(t)
	var buf bytes.Buffer
	req, err := e.svc.Export(ctx, s, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if req.Kind != KindAccess || req.Status != Completed {
		t.Errorf("request %+v", req)
	}
	files := readZip(t, buf.Bytes())
	for _, name := range []string{"README.txt", "subject.json", "csv/profiles.csv", "csv/special_categories.csv", "csv/do_not_supply.csv", "csv/events.csv"} {
		if len(files[name]) == 0 {
			t.Errorf("archive has no %s", name)
		}
	}
	var doc Document
	if err := json.Unmarshal(files["subject.json"], &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"subjects": 1, "profiles": 2, "sources": 2, "special_categories": 1, "do_not_supply": 1,
		"restrictions": 1, "rectifications": 1, "manifests": 1, "notice_rows": 1, "decisions": 1}
	for table, n := range want {
		if len(doc.Tables[table]) != n {
			t.Errorf("%s: %d rows, want %d", table, len(doc.Tables[table]), n)
		}
	}
	if ev := doc.Tables["special_categories"][0]["evidence"]; ev != "I manage type 1 diabetes" {
		t.Errorf("special-category evidence %v, want it decrypted", ev)
	}
	if _, ok := doc.Tables["special_categories"][0]["evidence_sealed"]; ok {
		t.Error("the export carries the ciphertext")
	}
	body := string(files["subject.json"])
	for _, fact := range []string{"job_board:indeed", "Lothian Care Homes", "missed two booked shifts", "access_requested", "SN-NURSE-7"} {
		if !strings.Contains(body, fact) {
			t.Errorf("subject.json lacks %q", fact)
		}
	}
	if !strings.HasPrefix(string(files["csv/manifest_rows.csv"]), "manifest_id,row_id,subject_id") {
		t.Errorf("an empty table's CSV has no header: %q", files["csv/manifest_rows.csv"])
	}
	if !strings.Contains(string(files["csv/special_categories.csv"]), "I manage type 1 diabetes") {
		t.Error("the CSV lacks the decrypted evidence")
	}
	// Same data, same day: the same bytes.
	doc2, _ := e.svc.Collect(ctx, s)
	var again bytes.Buffer
	if err := writeArchive(&again, doc2); err != nil {
		t.Fatal(err)
	}
	doc1, _ := e.svc.Collect(ctx, s)
	var once bytes.Buffer
	_ = writeArchive(&once, doc1)
	if !bytes.Equal(once.Bytes(), again.Bytes()) {
		t.Error("two archives of the same data differ")
	}
}

func TestExportReimportsIntoAFreshStoreWithTheSameContent(t *testing.T) {
	e, s := exportFixture(t)
	var buf bytes.Buffer
	if _, err := e.svc.Export(ctx, s, &buf); err != nil {
		t.Fatal(err)
	}
	// The archive's own document (its access request still open when it was written).
	var first Document
	dec := json.NewDecoder(bytes.NewReader(readZip(t, buf.Bytes())["subject.json"]))
	dec.UseNumber()
	if err := dec.Decode(&first); err != nil {
		t.Fatal(err)
	}

	fresh := newEnv(t, "scotnursing")
	if _, err := fresh.svc.ImportExport(ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len())); err != nil {
		t.Fatal(err)
	}
	second, err := fresh.svc.Collect(ctx, s)
	if len(first.Tables["events"]) == 0 || len(first.Tables["special_categories"]) != 1 {
		t.Fatalf("the archive is missing data: %v", first.Tables)
	}
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.MarshalIndent(first, "", " ")
	b, _ := json.MarshalIndent(second, "", " ")
	if !bytes.Equal(a, b) {
		t.Errorf("re-imported content differs:\n%s", firstDiff(string(a), string(b)))
	}
	// The evidence is sealed under the fresh store's own keys.
	if n := fresh.count(`SELECT count(*) FROM restricted WHERE subject_id = ?`, s); n != 1 {
		t.Errorf("%d restricted rows", n)
	}
	if got, err := Find(ctx, fresh.st.DB(), "07700 900303"); err != nil || got != s {
		t.Errorf("the fresh store does not know the subject by phone: %q %v", got, err)
	}
	// A second import is refused: the subject exists.
	if _, err := fresh.svc.ImportExport(ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len())); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second import: %v", err)
	}
	if _, err := fresh.svc.ImportExport(ctx, strings.NewReader("not a zip"), 9); err == nil {
		t.Error("a file that is not an archive was imported")
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + al[i] + "\n  vs " + bl[i]
		}
	}
	return "lengths differ"
}
