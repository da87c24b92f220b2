package rawedit

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkCutOneRowOf10000 is the cost of one erasure from a large export: the file is
// parsed before and after the cut. An apply erasing k people of one export pays it k times.
func BenchmarkCutOneRowOf10000(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Name,Email,Phone,Location,Skills,Cover Letter\r\n")
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&sb, "Person%05d Fictional,person%05d@example.com,07700 9%05d,\"Leeds, LS6 2AB\",python; sql,\"Keen to work\r\nnights\"\r\n", i, i, i)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := Cut(context.Background(), data, []int{5000}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCutOneRecordOf10000JSONArray is the same for a pretty-printed JSON array of
// flat records: the file is validated, its elements located, and extracted before and
// after the cut.
func BenchmarkCutOneRecordOf10000JSONArray(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("[\n")
	for i := 1; i <= 10000; i++ {
		if i > 1 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, "  {\n    \"name\": \"Person%05d Fictional\",\n    \"email\": \"person%05d@example.com\",\n    \"mobile\": \"07700 9%05d\",\n    \"location\": \"Leeds, LS6 2AB\",\n    \"skills\": [\"python\", \"sql\"],\n    \"cover_letter\": \"Keen to work nights\"\n  }", i, i, i)
	}
	sb.WriteString("\n]\n")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := CutRecords(context.Background(), data, UnitRecord, []int{5000}); err != nil {
			b.Fatal(err)
		}
	}
}
