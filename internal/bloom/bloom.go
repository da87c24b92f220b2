// Package bloom is a Bloom filter over strings: a set that answers "certainly not a
// member" in 16 bits per member, so the store can skip an index lookup for a key it has
// never seen (most keys, on a nightly ingest of new files).
package bloom

import (
	"hash/maphash"
	"math/bits"
)

const (
	bitsPerMember = 16
	probes        = 4 // with 16 bits per member: about 0.24% false positives at capacity
)

// Filter is a Bloom filter sized for a number of members. It is not safe for concurrent
// use: callers lock.
type Filter struct {
	words        []uint64
	mask         uint64 // number of bits - 1: a power of two
	members      int
	seed1, seed2 maphash.Seed
}

// New returns an empty filter for about n members.
func New(n int) *Filter {
	m := uint64(1) << bits.Len64(uint64(max(n, 4)*bitsPerMember-1)) // a power of two ≥ 16n
	return &Filter{words: make([]uint64, m/64), mask: m - 1, seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed()}
}

// Add makes s a member.
func (f *Filter) Add(s string) {
	h1, h2 := f.hashes(s)
	for i := range uint64(probes) {
		b := (h1 + i*h2) & f.mask
		f.words[b/64] |= 1 << (b % 64)
	}
	f.members++
}

// MayContain is false when s was certainly never added, true when it may have been.
func (f *Filter) MayContain(s string) bool {
	h1, h2 := f.hashes(s)
	for i := range uint64(probes) {
		b := (h1 + i*h2) & f.mask
		if f.words[b/64]&(1<<(b%64)) == 0 {
			return false
		}
	}
	return true
}

// Full reports whether the filter holds more members than it was sized for, so that its
// false-positive rate is rising: time to build a bigger one.
func (f *Filter) Full() bool { return uint64(f.members)*bitsPerMember > f.mask+1 }

// Len is the number of Add calls.
func (f *Filter) Len() int { return f.members }

// hashes gives the two independent hashes of double hashing; the step is odd so that the
// probes of one member are distinct positions in a power-of-two table.
func (f *Filter) hashes(s string) (uint64, uint64) {
	return maphash.String(f.seed1, s), maphash.String(f.seed2, s) | 1
}
