package manifest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testCols = []Column{{"id", String}, {"day", Date}, {"ok", Bool}, {"tags", StringList}, {"note", String}}

func TestWriterFormats(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "notices", "2025-02-28", testCols)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC)
	rows := [][]any{
		{"r1", day, true, []any{"a", "b"}, `quote " and \ and – and <tag>`},
		{"r2", nil, false, nil, nil},
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	digest := w.Digest()
	paths, err := w.Commit(Meta{ID: "notices-2025-02-28-x-abc", Kind: "notices", AsOf: "2025-02-28", Policy: "x",
		Extra: []Field{{"row_count", 2}}})
	if err != nil || len(paths) != 3 {
		t.Fatalf("commit: %v %v", paths, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "notices-2025-02-28.json"))
	want := `{"id":"notices-2025-02-28-x-abc","kind":"notices","as_of":"2025-02-28","policy":"x","row_count":2,"rows":[
{"id":"r1","day":"2025-02-28","ok":true,"tags":["a","b"],"note":"quote \" and \\ and – and <tag>"},
{"id":"r2","day":null,"ok":false,"tags":[],"note":null}
]}
`
	if string(b) != want {
		t.Errorf("json:\n%s\nwant\n%s", b, want)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	c, _ := os.ReadFile(filepath.Join(dir, "notices-2025-02-28.csv"))
	if !strings.HasPrefix(string(c), "id,day,ok,tags,note\nr1,2025-02-28,true,a;b,") {
		t.Errorf("csv:\n%s", c)
	}
	// The digest depends on the rows only.
	w2, _ := Create(t.TempDir(), "notices", "2025-02-28", testCols)
	for _, r := range rows {
		w2.Write(r)
	}
	if w2.Digest() != digest {
		t.Error("same rows, different digest")
	}
	w2.Abort()
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*tmp*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestEmptyManifest(t *testing.T) {
	dir := t.TempDir()
	// Left by a run that was killed while writing.
	os.WriteFile(filepath.Join(dir, "deletion-2025-01-01.json.tmp-1-2"), []byte("{"), 0o644)
	w, _ := Create(dir, "deletion", "2025-01-01", testCols)
	if _, err := w.Commit(Meta{ID: "x", Kind: "deletion", AsOf: "2025-01-01", Policy: "p"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "deletion-2025-01-01.json"))
	if !bytes.Equal(b, []byte(`{"id":"x","kind":"deletion","as_of":"2025-01-01","policy":"p","rows":[]}`+"\n")) {
		t.Errorf("empty manifest: %s", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*tmp*")); len(left) > 0 {
		t.Errorf("stale temporary files kept: %v", left)
	}
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `a"b`, `back\slash`, "tab\there", "é", "\u2028", "<>&", "\x01"} {
		want, _ := marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("%q: %s, want %s", s, got, want)
		}
	}
}
