package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteOutKeepsHandWrittenParts: a re-run replaces only the marked block.
func TestWriteOutKeepsHandWrittenParts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.md")
	before := "# Title\nmethod\n" + beginMark + "\nold\n" + endMark + "\nhistory\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeOut(path, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# Title\nmethod\n" + beginMark + "\nnew\n" + endMark + "\nhistory\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRunOnLabelledSet(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.txt")
	if err := run("../../testdata/eval", "", false, out, false, false); err != nil {
		t.Fatal(err)
	}
}

// TestSeenBlind: measured blind batches (1 and 4) may have their errors listed; a
// newer batch's ids stay unlisted until it has been measured.
func TestSeenBlind(t *testing.T) {
	for id, want := range map[string]bool{
		"b3-cv-01": true, "s3-eth-p01": true, "b4-cv-01": true, "s4-hea-p01": true,
		"b5-cv-01": false, "s5-hea-p01": false, "cv-001": false,
	} {
		if got := seenBlind(id); got != want {
			t.Errorf("seenBlind(%q) = %v, want %v", id, got, want)
		}
	}
}
