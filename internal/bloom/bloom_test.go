package bloom

import (
	"fmt"
	"testing"
)

func TestMembersAreAlwaysFound(t *testing.T) {
	f := New(1000)
	for i := range 1000 {
		f.Add(fmt.Sprintf("email:person%d@example.com", i))
	}
	for i := range 1000 {
		if k := fmt.Sprintf("email:person%d@example.com", i); !f.MayContain(k) {
			t.Fatalf("member %q reported absent: a Bloom filter must have no false negatives", k)
		}
	}
	if f.Len() != 1000 {
		t.Errorf("Len = %d, want 1000", f.Len())
	}
}

func TestFalsePositivesStayRareAtCapacity(t *testing.T) {
	const n = 20000
	f := New(n)
	for i := range n {
		f.Add(fmt.Sprintf("member-%d", i))
	}
	if f.Full() {
		t.Fatalf("a filter sized for %d is full after %d members", n, n)
	}
	fp := 0
	for i := range n {
		if f.MayContain(fmt.Sprintf("stranger-%d", i)) {
			fp++
		}
	}
	// 16 bits and 4 probes per member: ~0.24% expected (fewer when the table is rounded up).
	if rate := float64(fp) / n; rate > 0.01 {
		t.Errorf("false-positive rate %.3f%%, want under 1%%", rate*100)
	}
}

func TestFullOnceOverCapacity(t *testing.T) {
	f := New(10) // rounds up to 256 bits: room for 16 members
	for i := 0; !f.Full(); i++ {
		if i > 16 {
			t.Fatalf("not full after %d members", i)
		}
		f.Add(fmt.Sprint(i))
	}
	if f.Len() != 17 {
		t.Errorf("full at %d members, want 17 (256 bits / 16 + 1)", f.Len())
	}
}

func TestEmptyFilterContainsNothing(t *testing.T) {
	f := New(0)
	for _, s := range []string{"", "a", "email:x@example.com"} {
		if f.MayContain(s) {
			t.Errorf("empty filter may contain %q", s)
		}
	}
}
