package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"strings"
)

// dtRecord is one DataTurks line. Offsets are not used: they are inclusive and
// drift after "&amp;", so the span's own text is taken as the gold string.
type dtRecord struct {
	Content    string          `json:"content"`
	Annotation json.RawMessage `json:"annotation"` // a list; null or {} when empty
}

type dtAnnotation struct {
	Label  json.RawMessage `json:"label"` // a list, sometimes a bare string
	Points []struct {
		Text string `json:"text"`
	} `json:"points"`
}

// resume is one distinct text with its gold spans, grouped by label.
type resume struct {
	text  string
	spans map[string][]string // label -> trimmed span texts
}

func labels(raw json.RawMessage) []string {
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	var one string
	if json.Unmarshal(raw, &one) == nil && one != "" {
		return []string{one}
	}
	return nil
}

// loadDataTurks reads JSON Lines files and keeps one annotation pass per distinct
// content: the one with the most spans (the first on a tie), so repeated passes
// over the same resume are not counted twice.
func loadDataTurks(paths ...string) ([]resume, error) {
	var out []resume
	index := map[string]int{}
	size := map[string]int{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		line := 0
		for sc.Scan() {
			line++
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var rec dtRecord
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s line %d: %v", p, line, err) // no content in the message
			}
			r, n := toResume(rec)
			i, seen := index[rec.Content]
			switch {
			case !seen:
				index[rec.Content], size[rec.Content] = len(out), n
				out = append(out, r)
			case n > size[rec.Content]:
				out[i], size[rec.Content] = r, n
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
	}
	return out, nil
}

// toResume unescapes the HTML entities left in the content ("&amp;"): the span
// texts already read "&", and a CV file would not hold them.
func toResume(rec dtRecord) (resume, int) {
	r := resume{text: html.UnescapeString(rec.Content), spans: map[string][]string{}}
	n := 0
	var anns []dtAnnotation
	_ = json.Unmarshal(rec.Annotation, &anns) // not a list: no annotations
	for _, a := range anns {
		for _, l := range labels(a.Label) {
			for _, p := range a.Points {
				if t := strings.TrimSpace(p.Text); t != "" {
					r.spans[l] = append(r.spans[l], t)
					n++
				}
			}
		}
	}
	return r, n
}
