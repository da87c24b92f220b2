// Package evalset loads the labelled special-category evaluation set
// (testdata/eval) and scores a detector on it. It reports ids, offsets and counts,
// never the evidence text.
package evalset

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"

	"github.com/cvetl/cvetl/profile"
)

// Splits. Which one an example is in depends on its id alone (SplitOf).
const (
	Tune    = "tune"
	Heldout = "heldout"
	// Blind is the split of a batch written without reading the rules
	// (testdata/eval/blind, LoadBlind). All of it is held out; it is reported as an
	// estimate and is no regression target.
	Blind = "blind"
)

// SplitOf is the split rule fixed before any tuning: FNV-1a (32-bit) of the id,
// held out when the hash mod 10 is 0–3 (about 40 %).
func SplitOf(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	if h.Sum32()%10 < 4 {
		return Heldout
	}
	return Tune
}

// Categories are the nine categories in report order.
var Categories = []profile.Category{
	profile.RacialEthnicOrigin, profile.PoliticalOpinions, profile.ReligiousBeliefs,
	profile.TradeUnionMembership, profile.Genetic, profile.Biometric, profile.Health,
	profile.SexLifeOrientation, profile.CriminalConvictions,
}

func validCategory(c profile.Category) bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}

// Span is a labelled stretch of a document: byte offsets into its text.
type Span struct {
	Category   profile.Category
	Start, End int
}

// Doc is one labelled document.
type Doc struct {
	ID, Kind, Split string
	Text            string
	Gold            []Span
	Traps           []Span // every occurrence of every hard-negative string
}

// Sentence is one labelled sentence.
type Sentence struct {
	ID           string             `json:"id"`
	Text         string             `json:"text"`
	Categories   []profile.Category `json:"categories"`
	HardNegative bool               `json:"hard_negative"`
	Split        string             `json:"split"`
}

// Set is the whole labelled set.
type Set struct {
	Docs      []Doc
	Sentences []Sentence
}

type labelLine struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Split string `json:"split"`
	Spans []struct {
		Category   profile.Category `json:"category"`
		Evidence   string           `json:"evidence"`
		Occurrence int              `json:"occurrence"`
	} `json:"spans"`
	HardNegatives []struct {
		Text string           `json:"text"`
		Trap profile.Category `json:"trap"`
	} `json:"hard_negatives"`
}

// Load reads dir/labels.jsonl, dir/docs/*.txt and dir/sentences.jsonl and checks
// them: every evidence string is in its document, every split follows SplitOf.
func Load(dir string) (*Set, error) {
	return load(dir, SplitOf)
}

// LoadBlind reads a blind batch (same format as Load) whose every example has
// split "blind": all of it is held out, so SplitOf does not apply.
func LoadBlind(dir string) (*Set, error) {
	return load(dir, func(string) string { return Blind })
}

func load(dir string, splitOf func(id string) string) (*Set, error) {
	set := &Set{}
	err := eachJSONLine(filepath.Join(dir, "labels.jsonl"), func(n int, raw []byte) error {
		var l labelLine
		if err := json.Unmarshal(raw, &l); err != nil {
			return err
		}
		if l.Split != splitOf(l.ID) {
			return fmt.Errorf("%s: split %q, but the rule says %q", l.ID, l.Split, splitOf(l.ID))
		}
		b, err := os.ReadFile(filepath.Join(dir, "docs", l.ID+".txt"))
		if err != nil {
			return err
		}
		d := Doc{ID: l.ID, Kind: l.Kind, Split: l.Split, Text: string(b)}
		for i, s := range l.Spans {
			if !validCategory(s.Category) {
				return fmt.Errorf("%s span %d: unknown category %q", l.ID, i+1, s.Category)
			}
			start := nth(d.Text, s.Evidence, max(s.Occurrence, 1))
			if start < 0 || s.Evidence == "" {
				return fmt.Errorf("%s span %d: evidence not in the document", l.ID, i+1)
			}
			d.Gold = append(d.Gold, Span{s.Category, start, start + len(s.Evidence)})
		}
		for i, h := range l.HardNegatives {
			if h.Text == "" || !strings.Contains(d.Text, h.Text) {
				return fmt.Errorf("%s hard negative %d: text not in the document", l.ID, i+1)
			}
			for off := 0; ; {
				k := strings.Index(d.Text[off:], h.Text)
				if k < 0 {
					break
				}
				d.Traps = append(d.Traps, Span{h.Trap, off + k, off + k + len(h.Text)})
				off += k + len(h.Text)
			}
		}
		set.Docs = append(set.Docs, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachJSONLine(filepath.Join(dir, "sentences.jsonl"), func(n int, raw []byte) error {
		var s Sentence
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		if s.Split != splitOf(s.ID) {
			return fmt.Errorf("%s: split %q, but the rule says %q", s.ID, s.Split, splitOf(s.ID))
		}
		for _, c := range s.Categories {
			if !validCategory(c) {
				return fmt.Errorf("%s: unknown category %q", s.ID, c)
			}
		}
		if s.HardNegative && len(s.Categories) > 0 {
			return fmt.Errorf("%s: a hard negative with categories", s.ID)
		}
		set.Sentences = append(set.Sentences, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return set, nil
}

// nth is the byte offset of the n-th (1-based) occurrence of sub in s, or -1.
func nth(s, sub string, n int) int {
	off := 0
	for ; n > 0; n-- {
		k := strings.Index(s[off:], sub)
		if k < 0 {
			return -1
		}
		if n == 1 {
			return off + k
		}
		off += k + len(sub)
	}
	return -1
}

func eachJSONLine(path string, fn func(n int, raw []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if err := fn(n, []byte(line)); err != nil {
			return fmt.Errorf("%s line %d: %w", filepath.Base(path), n, err)
		}
	}
	return sc.Err()
}
