package specialcat

import (
	"sort"
	"strings"
)

// matcher finds lexicon phrases in tokenised text, longest first.
type matcher struct {
	first map[string][]*entry // by first word, longest phrase first
}

// builder merges every use of one phrase into one entry, so that "I'm" is both a
// first-person cue and an identity predicate.
type builder struct {
	byKey map[string]*entry
	order []*entry
}

func newBuilder() *builder { return &builder{byKey: map[string]*entry{}} }

// add registers phrase (and, when it has an apostrophe, its spelling without one:
// "Crohn's" and "Crohns") and lets set fill in what it means.
func (b *builder) add(phrase string, set func(*entry)) {
	mode := uint8(0)
	switch {
	case strings.HasPrefix(phrase, "=="):
		mode, phrase = 2, phrase[2:]
	case strings.HasPrefix(phrase, "="):
		mode, phrase = 1, phrase[1:]
	}
	b.addOne(phrase, mode, set)
	if strings.ContainsAny(phrase, "'’") && mode != 2 {
		b.addOne(strings.NewReplacer("'", "", "’", "").Replace(phrase), mode, set)
	}
}

func (b *builder) addOne(phrase string, mode uint8, set func(*entry)) {
	toks := tokenize(phrase)
	if len(toks) == 0 {
		return
	}
	words := make([]string, len(toks))
	var surface []string
	for i, t := range toks {
		words[i] = t.key
		if mode == 2 {
			surface = append(surface, phrase[t.start:t.end])
		}
	}
	key := string('0'+mode) + strings.Join(words, " ") + "|" + strings.Join(surface, " ")
	e := b.byKey[key]
	if e == nil {
		e = &entry{words: words, caseMode: mode, surface: surface}
		b.byKey[key] = e
		b.order = append(b.order, e)
	}
	set(e)
}

func (b *builder) build() *matcher {
	m := &matcher{first: map[string][]*entry{}}
	for _, e := range b.order {
		m.first[e.words[0]] = append(m.first[e.words[0]], e)
	}
	for _, es := range m.first {
		// Longest first; at equal length the stricter case rule first, so "=Unite"
		// is tried before a case-blind phrase of the same words.
		sort.SliceStable(es, func(i, j int) bool {
			if len(es[i].words) != len(es[j].words) {
				return len(es[i].words) > len(es[j].words)
			}
			return es[i].caseMode > es[j].caseMode
		})
	}
	return m
}

// longest returns the longest phrase starting at toks[i] and ending by toks[end-1].
// A possessive "'s" may end a phrase: "my gurdwara's langar" holds "gurdwara".
func (m *matcher) longest(text string, toks []token, i, end int) *entry {
	for _, e := range m.first[toks[i].key] {
		n := len(e.words)
		if i+n > end || !m.fits(e, text, toks, i) {
			continue
		}
		return e
	}
	if b := toks[i].base; b != "" {
		for _, e := range m.first[b] {
			if len(e.words) == 1 && m.fits(e, text, toks, i) {
				return e
			}
		}
	}
	return nil
}

func (m *matcher) fits(e *entry, text string, toks []token, i int) bool {
	last := len(e.words) - 1
	for k := 1; k <= last; k++ {
		t := toks[i+k]
		if (t.key != e.words[k] && (k < last || t.base != e.words[k])) || !joinable(gap(text, toks[i+k-1], t)) {
			return false
		}
	}
	switch e.caseMode {
	case 1:
		return toks[i].cap
	case 2:
		for k, s := range e.surface {
			if text[toks[i+k].start:toks[i+k].end] != s {
				return false
			}
		}
	}
	return true
}

// scan runs the matcher over toks[from:to], leftmost-longest, and calls fn for each
// phrase found.
func (m *matcher) scan(text string, toks []token, from, to int, fn func(i int, e *entry)) {
	for i := from; i < to; {
		if e := m.longest(text, toks, i, to); e != nil {
			fn(i, e)
			i += len(e.words)
			continue
		}
		i++
	}
}
