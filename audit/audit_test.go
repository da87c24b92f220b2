package audit

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// memAnchor keeps the head in memory; the store's anchor is tested in cmd/cvetl.
type memAnchor struct {
	seq  int64
	hash string
	set  bool
}

func (a *memAnchor) RecordHead(_ context.Context, seq int64, hash string) error {
	a.seq, a.hash, a.set = seq, hash, true
	return nil
}

func (a *memAnchor) Head(context.Context) (int64, string, bool, error) {
	return a.seq, a.hash, a.set, nil
}

func writeLog(t *testing.T, n int) (string, *memAnchor) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	anchor := &memAnchor{}
	l, err := Open(ctx, path, anchor)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPseudonymizer([]byte("0123456789abcdef0123456789abcdef"))
	for i := 0; i < n; i++ {
		if err := l.Append(ctx, Entry{Actor: "Reviewer One", Action: "approve", Manifest: "deletion-x",
			Row: "S0000001/stale", Subject: p.Of("S0000001"), Detail: map[string]string{"status": "approved"}}); err != nil {
			t.Fatal(err)
		}
	}
	return path, anchor
}

func TestVerifyAcceptsAnUntouchedLogAndReopenContinuesTheChain(t *testing.T) {
	ctx := context.Background()
	path, anchor := writeLog(t, 3)
	res, err := Verify(ctx, path, anchor)
	if err != nil || res.Entries != 3 {
		t.Fatalf("Verify = %+v, %v; want 3 entries, no error", res, err)
	}
	l, err := Open(ctx, path, anchor)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Append(ctx, Entry{Actor: "cvetl", Action: "apply"}); err != nil {
		t.Fatal(err)
	}
	if res, err := Verify(ctx, path, anchor); err != nil || res.Entries != 4 {
		t.Fatalf("after reopening and appending: %+v, %v", res, err)
	}
}

// Every single-byte change anywhere in the file must be detected.
func TestVerifyDetectsEveryOneByteChange(t *testing.T) {
	ctx := context.Background()
	path, anchor := writeLog(t, 3)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range orig {
		changed := bytes.Clone(orig)
		changed[i] ^= 0x01
		if err := os.WriteFile(path, changed, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(ctx, path, anchor); err == nil {
			t.Fatalf("flipping a bit of byte %d (%q) went undetected", i, orig[i])
		}
	}
}

func TestVerifyDetectsRemovedReorderedAndCutOffEntries(t *testing.T) {
	ctx := context.Background()
	path, anchor := writeLog(t, 4)
	orig, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(orig), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	// Open reads only the last entry (so it costs the same at any size): it refuses a
	// log whose end is not the recorded head; Verify checks the whole chain.
	cases := map[string]struct {
		content     string
		openRefuses bool
	}{
		"middle entry removed":  {lines[0] + lines[2] + lines[3], false},
		"entries swapped":       {lines[1] + lines[0] + lines[2] + lines[3], false},
		"last entry cut off":    {lines[0] + lines[1] + lines[2], true},
		"last entry duplicated": {lines[0] + lines[1] + lines[2] + lines[3] + lines[3], false},
		"a line appended":       {lines[0] + lines[1] + lines[2] + lines[3] + lines[1], true},
		"emptied":               {"", true},
	}
	for name, c := range cases {
		if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(ctx, path, anchor); err == nil {
			t.Errorf("%s: went undetected", name)
		}
		if _, err := Open(ctx, path, anchor); (err != nil) != c.openRefuses {
			t.Errorf("%s: Open error %v, want refused=%v", name, err, c.openRefuses)
		}
	}
	os.Remove(path)
	if _, err := Open(ctx, path, anchor); err == nil {
		t.Error("Open accepted a missing log the store has a head for")
	}
}

func TestPseudonymsAreKeyedAndStable(t *testing.T) {
	a := NewPseudonymizer([]byte("salt-one-salt-one-salt-one-12345"))
	b := NewPseudonymizer([]byte("salt-two-salt-two-salt-two-12345"))
	if again := NewPseudonymizer([]byte("salt-one-salt-one-salt-one-12345")); a.Of("S0000007") != again.Of("S0000007") {
		t.Fatal("pseudonym not stable")
	}
	if a.Of("S0000007") == a.Of("S0000008") {
		t.Fatal("two subjects share a pseudonym")
	}
	if a.Of("S0000007") == b.Of("S0000007") {
		t.Fatal("pseudonym does not depend on the salt")
	}
	if strings.Contains(a.Of("S0000007"), "0000007") {
		t.Fatal("pseudonym contains the subject id")
	}
}

// BenchmarkOpen opens a log of 10,000 entries, as every decision does.
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "audit.jsonl")
	anchor := &memAnchor{}
	l, err := Open(ctx, path, anchor)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 10000; i++ {
		if err := l.Append(ctx, Entry{Actor: "Reviewer One", Action: "approve", Manifest: "deletion-x", Row: "S0000001/stale"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Open(ctx, path, anchor); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify checks the whole chain of a log of 10,000 entries (cvetl audit verify).
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "audit.jsonl")
	anchor := &memAnchor{}
	l, _ := Open(ctx, path, anchor)
	for i := 0; i < 10000; i++ {
		if err := l.Append(ctx, Entry{Actor: "Reviewer One", Action: "approve", Manifest: "deletion-x", Row: "S0000001/stale"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Verify(ctx, path, anchor); err != nil {
			b.Fatal(err)
		}
	}
}

// A process killed between writing an entry and recording the head leaves one entry
// past the recorded head: the next Open takes it as the head, and the chain verifies.
func TestOpenRecoversFromAStopBetweenWriteAndHead(t *testing.T) {
	ctx := context.Background()
	path, anchor := writeLog(t, 3)
	seq, hash := anchor.seq, anchor.hash
	l, err := Open(ctx, path, anchor)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Append(ctx, Entry{Actor: "cvetl", Action: "apply_delete"}); err != nil {
		t.Fatal(err)
	}
	anchor.seq, anchor.hash = seq, hash // the head was never recorded
	if _, err := Open(ctx, path, anchor); err != nil {
		t.Fatalf("Open after a stop between write and head: %v", err)
	}
	if anchor.seq != 4 {
		t.Fatalf("head not moved to the written entry: %d", anchor.seq)
	}
	if _, err := Verify(ctx, path, anchor); err != nil {
		t.Fatal(err)
	}
}
