package pipeline

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard selects a deterministic slice of the inputs: shard Index of Of, by key hash.
// The zero value keeps everything.
type Shard struct {
	Index, Of int
}

// ParseShard reads "I/N" with 0 ≤ I < N.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want I/N with 0 ≤ I < N", s)
	}
	return Shard{Index: i, Of: n}, nil
}

// Filter keeps the items of this shard, in order.
func (s Shard) Filter(items []Item) []Item {
	if s.Of <= 1 {
		return items
	}
	var out []Item
	for _, it := range items {
		if s.Keeps(it.Key) {
			out = append(out, it)
		}
	}
	return out
}

// Keeps reports whether the input with this key belongs to this shard.
func (s Shard) Keeps(key string) bool {
	if s.Of <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32()%uint32(s.Of)) == s.Index
}
