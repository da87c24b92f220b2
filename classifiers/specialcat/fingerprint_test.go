package specialcat

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestFingerprintNamesModeAndIsStable(t *testing.T) {
	hexID := regexp.MustCompile(`^[0-9a-f]{16}$`)
	seen := map[string]LearnedMode{}
	for _, m := range LearnedModes {
		fp, err := Fingerprint(m)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if !hexID.MatchString(fp) {
			t.Errorf("%s: fingerprint %q is not 16 hex digits", m, fp)
		}
		if other, dup := seen[fp]; dup {
			t.Errorf("modes %s and %s share fingerprint %s", other, m, fp)
		}
		seen[fp] = m
		if again, _ := Fingerprint(m); again != fp {
			t.Errorf("%s: fingerprint changed between calls: %s, then %s", m, fp, again)
		}
	}
	def, _ := Fingerprint(DefaultLearnedMode)
	if fp, err := Fingerprint(""); err != nil || fp != def {
		t.Errorf(`Fingerprint("") = %q, %v; want the default mode's %q`, fp, err, def)
	}
	if _, err := Fingerprint("vetoed"); err == nil || !strings.Contains(err.Error(), "vetoed") {
		t.Errorf("an unknown mode: %v, want an error naming it", err)
	}
}

// TestFingerprintCoversEveryDetectorFile: a data file or source file added to the
// package, however it is embedded, must change the fingerprint when it changes.
func TestFingerprintCoversEveryDetectorFile(t *testing.T) {
	_, hashed := hashContent()
	var want []string
	for _, dir := range []string{".", "data"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || (dir == "." && (!strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go"))) {
				continue
			}
			want = append(want, filepath.ToSlash(filepath.Join(dir, n)))
		}
	}
	slices.Sort(want)
	if !slices.Equal(hashed, want) {
		t.Errorf("the fingerprint hashes\n%v\nbut the detector is made of\n%v", hashed, want)
	}
	// The digest follows the bytes: one changed byte in any file changes it.
	before, _ := hashContent()
	saved := learnedFile
	learnedFile = append(append([]byte(nil), saved...), '\n')
	after, _ := hashContent()
	learnedFile = saved
	if before == after {
		t.Error("changing the learned model's bytes left the digest unchanged")
	}
}
