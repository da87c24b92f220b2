package main

import (
	"math"
	"testing"
)

func TestMetrics(t *testing.T) {
	grades := map[string]int{"a": 3, "b": 0, "c": 2, "d": 1}
	ranked := []string{"a", "b", "c"}
	if got := precisionAt(ranked, grades, 5); got != 0.4 {
		t.Errorf("precision@5 = %v, want 0.4 (2 relevant of 5, short list)", got)
	}
	// DCG = 7/log2(2) + 0 + 3/log2(4) = 8.5; ideal 3,2,1,0 = 7 + 3/log2(3) + 1/log2(4).
	want := 8.5 / (7 + 3/math.Log2(3) + 0.5)
	if got := ndcgAt(ranked, grades, 10); math.Abs(got-want) > 1e-12 {
		t.Errorf("nDCG@10 = %v, want %v", got, want)
	}
	if got := ndcgAt([]string{"a", "c", "d", "b"}, grades, 10); math.Abs(got-1) > 1e-12 {
		t.Errorf("ideal order nDCG = %v, want 1", got)
	}
}
