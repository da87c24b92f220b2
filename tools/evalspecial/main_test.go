package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/classifiers/specialcat"
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

// TestBlindBatchesFoundAndOrdered: every data/blind* folder with labels is scored,
// in batch order; one missing from blindBatches counts as never tuned on, so its
// errors are not listed by -errors.
func TestBlindBatchesFoundAndOrdered(t *testing.T) {
	data := t.TempDir()
	for _, dir := range []string{"blind100", "blind5", "blind", "blind99"} {
		writeBatch(t, filepath.Join(data, dir), dir)
	}
	if err := os.MkdirAll(filepath.Join(data, "blind7"), 0o755); err != nil { // no labels yet
		t.Fatal(err)
	}
	got, err := scoreBlindBatches(data)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range got {
		names = append(names, b.status.name)
		if b.report.Docs != 1 || b.report.Sentences != 1 {
			t.Errorf("%s: %d docs, %d sentences, want 1 and 1", b.status.name, b.report.Docs, b.report.Sentences)
		}
	}
	want := "Blind batch 1,Blind batch 5,Blind batch 99 (blind99/),Blind batch 100 (blind100/)"
	if strings.Join(names, ",") != want {
		t.Errorf("batches %q, want %q", strings.Join(names, ","), want)
	}
	if !got[1].status.tunedOn || got[2].status.tunedOn || got[3].status.tunedOn {
		t.Errorf("tunedOn: blind5 %v, blind99 %v, blind100 %v; want true, false, false",
			got[1].status.tunedOn, got[2].status.tunedOn, got[3].status.tunedOn)
	}
	if !strings.Contains(got[2].title(), "never tuned on") {
		t.Errorf("an unlisted batch's title %q does not say it was never tuned on", got[2].title())
	}
}

// TestBlindBatchBadLabelsNamed: a broken label in a blind folder fails the run and
// names the folder.
func TestBlindBatchBadLabelsNamed(t *testing.T) {
	data := t.TempDir()
	dir := filepath.Join(data, "blind8")
	writeBatch(t, dir, "blind8")
	bad := `{"id":"x-1","kind":"cv","split":"blind","spans":[{"category":"health","evidence":"not in the text"}]}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "labels.jsonl"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "docs", "x-1.txt"), []byte("I enjoy hill walking."), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := scoreBlindBatches(data)
	if err == nil || !strings.Contains(err.Error(), "blind8") {
		t.Fatalf("err = %v, want an error naming blind8", err)
	}
}

// writeBatch writes a one-document, one-sentence blind batch to dir.
func writeBatch(t *testing.T, dir, id string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"docs/" + id + "-d.txt": "Hobbies: chess. I have coeliac disease.",
		"labels.jsonl":          `{"id":"` + id + `-d","kind":"cv","split":"blind","spans":[{"category":"health","evidence":"I have coeliac disease"}]}` + "\n",
		"sentences.jsonl":       `{"id":"` + id + `-s","text":"Mental Health Nurse, Ward 7","categories":[],"hard_negative":true,"split":"blind"}` + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDefaultModeBesideTheRules: every blind batch gets one row scoring the default
// learned mode and the rules on the same documents.
func TestDefaultModeBesideTheRules(t *testing.T) {
	data := t.TempDir()
	writeBatch(t, filepath.Join(data, "blind5"), "blind5")
	// A membership said in passing, which the rules miss and the model finds
	// (classifiers/specialcat TestDetectorForModes).
	unseen := filepath.Join(data, "blind99")
	writeBatch(t, unseen, "blind99")
	if err := os.WriteFile(filepath.Join(unseen, "docs", "blind99-d.txt"), []byte("I've stayed with Unite since my days at the car plant."), 0o644); err != nil {
		t.Fatal(err)
	}
	labels := `{"id":"blind99-d","kind":"cv","split":"blind","spans":[{"category":"trade_union_membership","evidence":"I've stayed with Unite"}]}` + "\n"
	if err := os.WriteFile(filepath.Join(unseen, "labels.jsonl"), []byte(labels), 0o644); err != nil {
		t.Fatal(err)
	}
	batches, err := scoreBlindBatches(data)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := writeDefaultMode(&out, data, batches); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if !strings.Contains(text, "`learned: "+string(specialcat.DefaultLearnedMode)+"`") {
		t.Errorf("the table does not name the default mode:\n%s", text)
	}
	// Batch 5's disclosure ("I have coeliac disease") is found by both and its job
	// title tagged by neither; batch 15's membership only by the default mode.
	for _, row := range []string{"| Blind batch 5 | yes | 1.00 / 1.00 / 1.00 | 1.00 / 1.00 / 1.00 | 0, 0 of 0 | 0, 0 of 1 |",
		"| Blind batch 99 (blind99/) | no | 1.00 / 0.00 / 0.00 | 1.00 / 1.00 / 1.00 | 0, 0 of 0 | 0, 0 of 1 |"} {
		if !strings.Contains(text, row) {
			t.Errorf("missing row %q in:\n%s", row, text)
		}
	}
	// Category by category, only the batch never tuned on, scored by the default mode.
	_, section, found := strings.Cut(text, "#### Blind batch 99 (blind99/), never tuned on: the default detector, category by category")
	if !found || strings.Contains(text, "#### Blind batch 5,") {
		t.Fatalf("want one per-category section, for the unseen batch only:\n%s", text)
	}
	if row := "| `trade_union_membership` | 1.00 | 1.00 | 1.00 | 1 |"; !strings.Contains(section, row) {
		t.Errorf("the per-category section does not score the default mode (want %q):\n%s", row, section)
	}
}
