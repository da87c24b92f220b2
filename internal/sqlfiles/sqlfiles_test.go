package sqlfiles

import (
	"embed"
	"strings"
	"testing"
)

//go:embed sql/*.sql
var testFiles embed.FS

func TestReadReturnsTheFileAndPanicsOnAMissingName(t *testing.T) {
	if got := Read(testFiles, "one"); !strings.HasPrefix(got, "SELECT 1") {
		t.Errorf("Read(one) = %q, want the file's text", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "sql/two.sql") {
			t.Errorf("Read(two) recovered %v, want a panic naming sql/two.sql", r)
		}
	}()
	Read(testFiles, "two")
}
