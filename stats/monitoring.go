package stats

import (
	"bufio"
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// MonitoringCondition is the Art. 9 condition of answers collected on a monitoring
// form; only rows recorded with it are opened and counted by value.
const MonitoringCondition = "equal_opportunities_monitoring"

// Unmapped is the value of an answer no phrase of the mapping matches: the raw text
// is never released.
const Unmapped = "other/unmapped"

//go:embed data/monitoring_values.tsv
var monitoringTSV string

// EvidenceSource opens the sealed evidence of the restricted rows recorded with one
// condition, calling fn with each in turn; rows whose data key was destroyed are
// skipped and counted. *duckstore.Store opened with a key store implements it.
type EvidenceSource interface {
	EvidenceWithCondition(ctx context.Context, condition string, fn func(duckstore.Evidence) error) (shredded int, err error)
}

// phrase is one line of the mapping: whole words and the value they stand for.
type phrase struct {
	words []string
	value string
}

// valueMap is the parsed mapping, per category.
type valueMap map[profile.Category][]phrase

var (
	mappingOnce sync.Once
	mapping     valueMap
	mappingErr  error
)

// monitoringValues returns the embedded mapping, parsed once.
func monitoringValues() (valueMap, error) {
	mappingOnce.Do(func() { mapping, mappingErr = parseValueMap(monitoringTSV) })
	return mapping, mappingErr
}

// parseValueMap reads "category<TAB>phrase<TAB>value" lines; # starts a comment.
func parseValueMap(tsv string) (valueMap, error) {
	m := valueMap{}
	sc := bufio.NewScanner(strings.NewReader(tsv))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("monitoring_values.tsv line %d: want 3 tab-separated fields, got %d", n, len(f))
		}
		cat, value := profile.Category(strings.TrimSpace(f[0])), strings.TrimSpace(f[2])
		words := answerWords(f[1])
		if len(words) == 0 || value == "" {
			return nil, fmt.Errorf("monitoring_values.tsv line %d: empty phrase or value", n)
		}
		if value == Total || strings.Contains(value, ",") {
			return nil, fmt.Errorf("monitoring_values.tsv line %d: value %q is %q or holds a comma", n, value, Total)
		}
		m[cat] = append(m[cat], phrase{words, value})
	}
	return m, sc.Err()
}

// answerWords lower-cases text and splits it into words of letters and digits.
func answerWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Value maps one monitoring-form answer (the evidence of a form field: "Ethnicity:
// White Irish", "☒ Black Caribbean", "Disabled?  [ ] Yes  [x] No") to the controlled
// value of its category, or Unmapped. The answer is the ticked option if there is
// one, else the text after the label's colon or question mark; "Group - subgroup"
// answers are read from the last dash-separated part a phrase matches.
func (m valueMap) Value(cat profile.Category, evidence string) string {
	parts := dashParts(answerText(evidence))
	for i := len(parts) - 1; i >= 0; i-- {
		if v, ok := m.match(cat, answerWords(parts[i])); ok {
			return v
		}
	}
	return Unmapped
}

// match finds the phrase starting earliest in words, the longest at the same start.
func (m valueMap) match(cat profile.Category, words []string) (string, bool) {
	for start := range words {
		best := -1
		value := ""
		for _, p := range m[cat] {
			if len(p.words) > best && start+len(p.words) <= len(words) && equalWords(words[start:start+len(p.words)], p.words) {
				best, value = len(p.words), p.value
			}
		}
		if best > 0 {
			return value, true
		}
	}
	return "", false
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Tick-box marks as the form parser of classifiers/specialcat knows them.
var (
	checkedMarks   = []string{"[x]", "[X]", "[✓]", "[✔]", "(x)", "(X)", "☒", "☑", "✓", "✔"}
	uncheckedMarks = []string{"[ ]", "[]", "( )", "☐"}
)

// answerText strips the question from a form field.
func answerText(evidence string) string {
	if i, n := firstMark(evidence, checkedMarks); i >= 0 {
		rest := evidence[i+n:]
		if j, _ := firstMark(rest, append(checkedMarks, uncheckedMarks...)); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	if i := strings.IndexByte(evidence, ':'); i >= 0 {
		return evidence[i+1:]
	}
	if i := strings.LastIndexByte(evidence, '?'); i >= 0 {
		return evidence[i+1:]
	}
	return evidence
}

// firstMark finds the earliest of marks in s: its offset and length, or -1.
func firstMark(s string, marks []string) (int, int) {
	at, n := -1, 0
	for _, m := range marks {
		if i := strings.Index(s, m); i >= 0 && (at < 0 || i < at) {
			at, n = i, len(m)
		}
	}
	return at, n
}

// dashParts splits "Asian or Asian British - Indian" at spaced dashes.
func dashParts(s string) []string {
	r := strings.NewReplacer(" – ", "\x00", " — ", "\x00", " - ", "\x00")
	return strings.Split(r.Replace(s), "\x00")
}

// monitoringAnswers opens the monitoring answers and maps each to its controlled value
// in memory, returning "tag_id\x1fvalue" rows; the evidence text is dropped as soon as
// it is mapped. It runs before Compute takes the store's one connection.
func monitoringAnswers(ctx context.Context, ev EvidenceSource) ([]string, error) {
	m, err := monitoringValues()
	if err != nil {
		return nil, err
	}
	rows := []string{}
	_, err = ev.EvidenceWithCondition(ctx, MonitoringCondition, func(e duckstore.Evidence) error {
		rows = append(rows, e.TagID+"\x1f"+m.Value(e.Category, e.Evidence))
		return nil
	})
	if err != nil {
		// The evidence layer names the tag; say which step failed, never the text.
		return nil, fmt.Errorf("stats: opening monitoring answers: %w", err)
	}
	return rows, nil
}

// loadMonitoringValues puts the (tag_id, value) rows in a temporary table for
// stats.sql. With no rows (no evidence source) the table is not created and the
// by-value table is skipped.
func loadMonitoringValues(ctx context.Context, conn *sql.Conn, rows []string) error {
	if rows == nil { // the connection is pooled: no table from an earlier run
		_, err := conn.ExecContext(ctx, `DROP TABLE IF EXISTS temp.monitoring_values`)
		return err
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE monitoring_values (tag_id VARCHAR, value VARCHAR)`); err != nil {
		return fmt.Errorf("stats: monitoring_values: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	// One parameter split in SQL, as the leak scan does: tag ids and values hold no
	// control characters.
	_, err := conn.ExecContext(ctx, `INSERT INTO monitoring_values
		SELECT split_part(r, chr(31), 1), split_part(r, chr(31), 2) FROM (SELECT unnest(string_split(?, chr(30))) AS r)`,
		strings.Join(rows, "\x1e"))
	if err != nil {
		return fmt.Errorf("stats: loading monitoring_values: %w", err)
	}
	return nil
}

// monitoringEvidence returns the decrypted monitoring answers, for the leak scan to
// look for in a release; they stay in memory.
func monitoringEvidence(ctx context.Context, ev EvidenceSource) ([]string, error) {
	if ev == nil {
		return nil, nil
	}
	m, err := monitoringValues()
	if err != nil {
		return nil, err
	}
	var out []string
	_, err = ev.EvidenceWithCondition(ctx, MonitoringCondition, func(e duckstore.Evidence) error {
		// An answer that is part of a controlled value ("Christian", "Black" on its
		// own line) is vocabulary the release uses by design, not text about a person.
		if !m.isVocabulary(e.Evidence) {
			out = append(out, e.Evidence)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stats: leak scan: opening monitoring answers: %w", err)
	}
	return out, nil
}

// isVocabulary reports whether text, trimmed and lower-cased, is part of a controlled
// value or a category name: the release holds those by design.
func (m valueMap) isVocabulary(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	vocab := []string{Unmapped}
	for cat, ps := range m {
		vocab = append(vocab, string(cat))
		for _, p := range ps {
			vocab = append(vocab, p.value)
		}
	}
	for _, v := range vocab {
		if strings.Contains(strings.ToLower(v), t) {
			return true
		}
	}
	return false
}
