package classifiers

import "strings"

// phraseTrie finds known phrases in tokenised text: a trie over lowercased tokens,
// matched longest-first so "Forklift (Counterbalance)" wins over "forklift".
type phraseTrie struct {
	root *trieNode
}

type trieNode struct {
	next map[string]*trieNode
	id   int // phrase id matched case-insensitively, or -1
	// exact holds phrases that match only with their original capitalisation.
	exact []exactPhrase
}

type exactPhrase struct {
	words []string
	id    int
}

func newTrieNode() *trieNode { return &trieNode{id: -1} }

// newPhraseTrie indexes phrases; the id of a match is the phrase's index.
func newPhraseTrie(phrases []string) *phraseTrie {
	t := &phraseTrie{root: newTrieNode()}
	for i, p := range phrases {
		t.add(p, i, false)
	}
	return t
}

// add indexes phrase under id and reports the id it already had, if any, so that
// callers can detect collisions. An exact phrase matches only as capitalised.
func (t *phraseTrie) add(phrase string, id int, exact bool) (previous int) {
	tk := tokenize(phrase)
	if tk.len() == 0 {
		return -1
	}
	n := t.root
	for _, w := range tk.lower {
		if n.next == nil {
			n.next = map[string]*trieNode{}
		}
		c := n.next[w]
		if c == nil {
			c = newTrieNode()
			n.next[w] = c
		}
		n = c
	}
	if exact {
		words := make([]string, tk.len())
		for i := range words {
			words[i] = tk.original(i)
		}
		for _, e := range n.exact {
			if strings.Join(e.words, " ") == strings.Join(words, " ") {
				return e.id
			}
		}
		n.exact = append(n.exact, exactPhrase{words: words, id: id})
		return -1
	}
	if n.id >= 0 {
		return n.id
	}
	n.id = id
	return -1
}

// matchAt returns the id and token length of the longest phrase starting at token i.
func (t *phraseTrie) matchAt(tk *tokens, i int) (id, length int) {
	id = -1
	n := t.root
	for j := i; j < tk.len() && n.next != nil; j++ {
		n = n.next[tk.lower[j]]
		if n == nil {
			break
		}
		if n.id >= 0 {
			id, length = n.id, j-i+1
			continue
		}
		for _, e := range n.exact {
			if exactAt(tk, i, e.words) {
				id, length = e.id, j-i+1
				break
			}
		}
	}
	return id, length
}

func exactAt(tk *tokens, i int, words []string) bool {
	for k, w := range words {
		if tk.original(i+k) != w {
			return false
		}
	}
	return true
}

// scan calls found for each non-overlapping longest match in tokens [from, to).
func (t *phraseTrie) scan(tk *tokens, from, to int, found func(id, i, n int)) {
	for i := from; i < to; {
		id, n := t.matchAt(tk, i)
		if id < 0 || i+n > to {
			i++
			continue
		}
		found(id, i, n)
		i += n
	}
}

// contains reports whether s holds any of the phrases.
func (t *phraseTrie) contains(s string) bool {
	tk := tokenize(s)
	ok := false
	t.scan(&tk, 0, tk.len(), func(int, int, int) { ok = true })
	return ok
}

// count returns how many phrase occurrences s holds.
func (t *phraseTrie) count(s string) int {
	tk := tokenize(s)
	c := 0
	t.scan(&tk, 0, tk.len(), func(int, int, int) { c++ })
	return c
}
