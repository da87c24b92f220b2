package main

import (
	"strings"
	"testing"

	"github.com/jdkato/prose/v2"
)

// All fixtures here are invented; no corpus text is used.

func TestFirstPerson(t *testing.T) {
	ents := []prose.Entity{{Text: "Northwick", Label: "GPE"}, {Text: " Ann Lee ", Label: "PERSON"}, {Text: "Bo Chen", Label: "PERSON"}}
	if got, ok := firstPerson(ents); !ok || got != "Ann Lee" {
		t.Errorf("firstPerson = %q, %v; want the first PERSON, trimmed", got, ok)
	}
	if got, ok := firstPerson([]prose.Entity{{Text: "Acme Widgets", Label: "ORG"}, {Text: " ", Label: "PERSON"}}); ok {
		t.Errorf("no usable PERSON: got %q", got)
	}
}

func TestHead(t *testing.T) {
	if got := head("Ann Lee", 600); got != "Ann Lee" {
		t.Errorf("short text: got %q", got)
	}
	if got := head("Ann Lee\nSupport worker", 10); got != "Ann Lee" {
		t.Errorf("cut at white space: got %q", got)
	}
	if got := head("Zoë", 3); got != "Zo" { // 'ë' is 2 bytes: no split rune
		t.Errorf("cut at a rune boundary: got %q", got)
	}
	long := strings.Repeat("word ", 200)
	if got := head(long, 600); len(got) > 600 || strings.HasSuffix(got, "wor") {
		t.Errorf("got %d bytes ending %q", len(got), got[len(got)-4:])
	}
}

func TestScoreExactName(t *testing.T) {
	r := Row{Metric: Exact}
	scoreExactName(&r, []string{"Ann  Lee"}, "ann lee", true)  // right: case and spacing ignored
	scoreExactName(&r, []string{"Bo Chen"}, "Northwick", true) // wrong name
	scoreExactName(&r, []string{"Cy Dunn"}, "", false)         // no name
	scoreExactName(&r, nil, "Acme Widgets", true)              // no gold: not scored
	if r.N != 3 || r.Pred != 2 || r.Corr != 1 {
		t.Fatalf("got n=%d pred=%d correct=%d; want 3 2 1", r.N, r.Pred, r.Corr)
	}
	if p, _, _, acc := r.Scores(); p.String() != "0.500" || acc.String() != "0.333" {
		t.Errorf("P=%v acc=%v", p, acc)
	}
}
