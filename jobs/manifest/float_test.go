package manifest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A Float column is a JSON number (or null), a plain decimal in CSV.
func TestWriterFloatColumn(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "matches", "2026-11-26", []Column{{"id", String}, {"score", Float}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][]any{{"a", 0.8125}, {"b", nil}, {"c", 1.0}} {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(Meta{ID: "m", Kind: "matches", AsOf: "2026-11-26", Policy: "p"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "matches-2026-11-26.json"))
	var doc struct {
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Rows[0]["score"] != 0.8125 || doc.Rows[1]["score"] != nil || doc.Rows[2]["score"] != 1.0 {
		t.Errorf("json scores: %v", doc.Rows)
	}
	c, _ := os.ReadFile(filepath.Join(dir, "matches-2026-11-26.csv"))
	if !strings.Contains(string(c), "a,0.8125\n") || !strings.Contains(string(c), "b,\n") {
		t.Errorf("csv:\n%s", c)
	}
}
