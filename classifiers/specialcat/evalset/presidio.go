package evalset

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/cvetl/cvetl/profile"
)

// PresidioReport is the aggregate result on Presidio's synthetic sentences
// (presidio-research data/synth_dataset_v2.json). Its NRP label mixes
// nationality, religion and politics; only the religious and political NRP spans
// bear on GDPR special categories.
type PresidioReport struct {
	Sentences       int
	NRPSpans        int
	ReligionSpans   int // NRP spans whose value is a religion
	ReligionFound   int // … overlapped by a religious_beliefs tag
	PoliticalSpans  int // NRP spans whose value is a political group
	PoliticalFound  int
	TaggedSentences map[profile.Category]int // sentences with at least one tag, by category
	ReligionFP      int                      // religion tags on sentences with no religious span
	PoliticalFP     int                      // political tags on sentences with no political span
}

type presidioRecord struct {
	FullText string `json:"full_text"`
	Spans    []struct {
		Type  string `json:"entity_type"`
		Value string `json:"entity_value"`
		Start int    `json:"start_position"`
		End   int    `json:"end_position"`
	} `json:"spans"`
}

// politicalWords name political groups; Presidio's set has none, so this only
// guards the count.
var politicalWords = []string{"socialist", "conservative", "democrat", "republican", "labour",
	"communist", "liberal", "green", "tory", "nationalist"}

// religionExtras adds branches missing from Presidio's religions.csv gazetteer.
var religionExtras = []string{"shia", "shii", "shiite", "sunni", "catholic", "protestant"}

// Presidio scores detect on dir/synth_dataset_v2.json.
func Presidio(dir string, detect DetectFunc) (*PresidioReport, error) {
	b, err := os.ReadFile(filepath.Join(dir, "synth_dataset_v2.json"))
	if err != nil {
		return nil, err
	}
	var recs []presidioRecord
	if err := json.Unmarshal(b, &recs); err != nil {
		return nil, err
	}
	religions, err := readReligions(filepath.Join(dir, "religions.csv"))
	if err != nil {
		return nil, err
	}
	r := &PresidioReport{TaggedSentences: map[profile.Category]int{}}
	for _, rec := range recs {
		r.Sentences++
		tags := detect(rec.FullText)
		seen := map[profile.Category]bool{}
		for _, t := range tags {
			seen[t.Category] = true
		}
		for c := range seen {
			r.TaggedSentences[c]++
		}
		relSpan, polSpan := false, false
		for _, s := range rec.Spans {
			if s.Type != "NRP" {
				continue
			}
			r.NRPSpans++
			start, end := byteOffset(rec.FullText, s.Start), byteOffset(rec.FullText, s.End)
			v := strings.ToLower(s.Value)
			switch {
			case matchesAny(v, religions):
				relSpan = true
				r.ReligionSpans++
				if tagOverlaps(tags, profile.ReligiousBeliefs, start, end) {
					r.ReligionFound++
				}
			case matchesAny(v, politicalWords):
				polSpan = true
				r.PoliticalSpans++
				if tagOverlaps(tags, profile.PoliticalOpinions, start, end) {
					r.PoliticalFound++
				}
			}
		}
		if seen[profile.ReligiousBeliefs] && !relSpan {
			r.ReligionFP++
		}
		if seen[profile.PoliticalOpinions] && !polSpan {
			r.PoliticalFP++
		}
	}
	return r, nil
}

// byteOffset turns Presidio's code-point offset into a byte offset.
func byteOffset(s string, cp int) int {
	for i := range s {
		if cp == 0 {
			return i
		}
		cp--
	}
	return len(s)
}

func tagOverlaps(tags []profile.Tag, c profile.Category, start, end int) bool {
	for _, t := range tags {
		if t.Category == c && overlaps(t.Start, t.End, start, end) {
			return true
		}
	}
	return false
}

// matchesAny reports whether v is one of the words, allowing a plural "s".
func matchesAny(v string, words []string) bool {
	v = strings.TrimSpace(v)
	for _, w := range words {
		if v == w || v == w+"s" || strings.TrimSuffix(v, "s") == w {
			return true
		}
	}
	return false
}

func readReligions(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []string
	for i, row := range rows {
		if i == 0 || len(row) == 0 || !utf8.ValidString(row[0]) {
			continue
		}
		out = append(out, strings.ToLower(strings.TrimSpace(row[0])))
	}
	return append(out, religionExtras...), nil
}
