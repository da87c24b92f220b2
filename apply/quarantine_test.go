package apply

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fileOf is the content hash and raw path of a fixture subject's one input file.
func (f *fixture) fileOf(subject string) (sha, raw string) {
	f.t.Helper()
	err := f.store.DB().QueryRow(`SELECT s.file_sha256, s.location FROM sources s WHERE s.subject_id = ?`, subject).Scan(&sha, &raw)
	if err != nil {
		f.t.Fatal(err)
	}
	return sha, raw
}

// quarantinePart records a failed part of a subject's file, as ingest does for an
// e-mail whose attachment could not be read, with a copy of its bytes.
func (f *fixture) quarantinePart(subject string) (sha, copyPath string) {
	f.t.Helper()
	sha, raw := f.fileOf(subject)
	f.exec(`INSERT INTO quarantine (file_sha256, location, origin, reason, detail, run_id, at)
	    VALUES (?, ?, ?, 'corrupt', 'zip: not a valid zip file', 1, TIMESTAMP '2024-01-01')`, sha, raw, "attachment Person_"+subject+"_CV.docx")
	content, err := os.ReadFile(raw)
	if err != nil {
		f.t.Fatal(err)
	}
	// The e-mail carries its attachment base64-encoded: no identifier in plain text,
	// so only the hash names the copy as the erased person's.
	content = []byte("Content-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString(content))
	copyPath = filepath.Join(f.options().QuarantineDir, sha)
	if err := os.MkdirAll(filepath.Dir(copyPath), 0o700); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(copyPath, content, 0o600); err != nil {
		f.t.Fatal(err)
	}
	return sha, copyPath
}

func TestErasureRemovesQuarantinedPartsAndVerificationChecksThem(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	deleted, deletedCopy := f.quarantinePart("S1") // delete
	anonymised, anonCopy := f.quarantinePart("S2") // anonymise
	kept, keptCopy := f.quarantinePart("S5")       // keep
	other := strings.Repeat("c", 64)               // a stranger's corrupt file
	f.exec(`INSERT INTO quarantine (file_sha256, location, origin, reason, detail, run_id, at)
	    VALUES (?, '/inbox/unrelated.pdf', NULL, 'corrupt', 'no trailer', 1, TIMESTAMP '2024-01-01')`, other)

	res, err := Run(ctx, f.deps, f.options())
	if err != nil {
		t.Fatalf("Run: %v (residue %v)", err, res.Residue)
	}
	for sha, want := range map[string]int{deleted: 0, anonymised: 0, kept: 1, other: 1} {
		if n := f.count(`SELECT count(*) FROM quarantine WHERE file_sha256 = ?`, sha); n != want {
			t.Errorf("quarantine rows of %.12s: %d, want %d", sha, n, want)
		}
	}
	for path, want := range map[string]bool{deletedCopy: false, anonCopy: false, keptCopy: true} {
		if _, err := os.Stat(path); (err == nil) != want {
			t.Errorf("copy %s exists=%v, want %v", filepath.Base(path)[:12], err == nil, want)
		}
	}
	if n := f.count(`SELECT count(*) FROM quarantine WHERE origin LIKE '%Person_S1%' OR origin LIKE '%Person_S2%'`); n != 0 {
		t.Errorf("%d quarantine rows still name an erased person's attachment", n)
	}

	// A copy put back (a restored backup of <out>) and a row put back are residue.
	content, _ := os.ReadFile(keptCopy)
	if err := os.WriteFile(deletedCopy, content, 0o600); err != nil {
		t.Fatal(err)
	}
	f.exec(`INSERT INTO quarantine (file_sha256, location, origin, reason, detail, run_id, at)
	    VALUES (?, 'purged', 'attachment', 'corrupt', NULL, 1, TIMESTAMP '2024-01-01')`, anonymised)
	found := map[string]bool{}
	for _, ref := range []string{"S1", "S2"} {
		residue, err := VerifySubject(ctx, f.deps, f.options(), ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range residue {
			found[r.Place+"/"+r.What] = true
			if strings.Contains(r.String(), "inbox") || strings.Contains(r.String(), "Person_") {
				t.Errorf("residue names a path or a person: %s", r)
			}
		}
	}
	for _, want := range []string{"quarantine copy " + deleted[:12] + "/copy of an erased file", "main.quarantine/quarantine row of an erased file"} {
		if !found[want] {
			t.Errorf("verification missed %q; found %v", want, found)
		}
	}
	// Once both are gone again, neither is reported. (The fixture's people share a
	// postcode and birth date, so their names match each other: not checked here.)
	os.Remove(deletedCopy)
	f.exec(`DELETE FROM quarantine WHERE file_sha256 = ?`, anonymised)
	for _, ref := range []string{"S1", "S2"} {
		residue, err := VerifySubject(ctx, f.deps, f.options(), ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range residue {
			if strings.Contains(r.What, "erased file") {
				t.Errorf("after cleaning up: %s", r)
			}
		}
	}
}
