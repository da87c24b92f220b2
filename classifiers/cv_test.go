package classifiers

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cvetl/cvetl/profile"
)

// testNow fixes the clock for date-of-birth plausibility checks.
var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestWholeCVs parses each fictional CV in testdata/*.txt and compares every field
// with the hand-checked testdata/*.json next to it.
func TestWholeCVs(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) < 4 {
		t.Fatalf("want at least 4 test CVs, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			wantJSON, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want profile.Candidate
			if err := json.Unmarshal(wantJSON, &want); err != nil {
				t.Fatal(err)
			}
			got := parseCandidate(string(text), profile.Candidate{}, testNow)
			compareCandidates(t, got, want)
		})
	}
}

// compareCandidates reports each differing field separately, so a failure says
// which extractor regressed.
func compareCandidates(t *testing.T, got, want profile.Candidate) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < gv.NumField(); i++ {
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		if !reflect.DeepEqual(g, w) {
			gj, _ := json.Marshal(g)
			wj, _ := json.Marshal(w)
			t.Errorf("%s:\n got %s\nwant %s", gv.Type().Field(i).Name, gj, wj)
		}
	}
}

func BenchmarkParseCandidate(b *testing.B) {
	text, err := os.ReadFile("testdata/nurse.txt") // a two-page CV, ~650 words
	if err != nil {
		b.Fatal(err)
	}
	s := string(text)
	ParseCandidate(s, profile.Candidate{}) // load word lists outside the timing
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		ParseCandidate(s, profile.Candidate{})
	}
}

// BenchmarkParseCandidateNoName measures a CV whose header has no name, so every
// name fallback runs.
func BenchmarkParseCandidateNoName(b *testing.B) {
	text, err := os.ReadFile("testdata/nurse.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := strings.Replace(string(text), "AISHA OKAFOR RGN\n", "", 1)
	if c := ParseCandidate(s, profile.Candidate{}); c.Name != nil {
		b.Fatalf("header still has a name: %q", *c.Name)
	}
	b.ReportAllocs()
	for b.Loop() {
		ParseCandidate(s, profile.Candidate{})
	}
}

// BenchmarkParseCandidateParallel runs the parser as the ingest worker pool does.
func BenchmarkParseCandidateParallel(b *testing.B) {
	text, err := os.ReadFile("testdata/nurse.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := string(text)
	ParseCandidate(s, profile.Candidate{})
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ParseCandidate(s, profile.Candidate{})
		}
	})
}
