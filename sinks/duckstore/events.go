package duckstore

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/cvetl/cvetl/profile"
)

// EventsResult is what an events import did. Errors hold line numbers and reasons
// only: the offending line may be personal data.
type EventsResult struct {
	Lines     int         `json:"lines"`
	Imported  int         `json:"imported"`
	Duplicate int         `json:"duplicate"`
	Errors    []LineError `json:"errors"`
}

// LineError is one rejected line.
type LineError struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (e LineError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

var subjectIDPattern = regexp.MustCompile(`^S\d{7}$`)

// ImportEvents reads JSONL events. Bad lines and unknown subjects are reported by line
// number and skipped; the good lines are imported in one transaction. Re-importing the
// same file adds nothing: an event's key is the hash of its content.
func (s *Store) ImportEvents(ctx context.Context, r io.Reader, name string, runID int64) (EventsResult, error) {
	var res EventsResult
	if err := s.indexes(ctx); err != nil {
		return res, err
	}
	type row struct {
		key, subject string
		ev           profile.Event
		line         int
	}
	var rows []row
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		res.Lines++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var ev profile.Event
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ev); err != nil {
			res.Errors = append(res.Errors, LineError{res.Lines, "not a JSON event object: " + jsonErrorKind(err)})
			continue
		}
		if err := ev.Validate(); err != nil {
			res.Errors = append(res.Errors, LineError{res.Lines, err.Error()})
			continue
		}
		subj, err := s.subjectFor(ctx, ev.Subject)
		if err != nil {
			return res, err
		}
		if subj == "" {
			res.Errors = append(res.Errors, LineError{res.Lines, "unknown subject"})
			continue
		}
		key := eventKey(subj, ev)
		if seen[key] {
			res.Duplicate++
			continue
		}
		seen[key] = true
		rows = append(rows, row{key, subj, ev, res.Lines})
	}
	if err := sc.Err(); err != nil {
		return res, fmt.Errorf("reading %s: %w", name, err)
	}
	err := s.inTx(ctx, func(conn *sql.Conn) error {
		for _, rw := range rows {
			var exists bool
			if err := conn.QueryRowContext(ctx, `SELECT count(*) > 0 FROM events WHERE event_key = ?`, rw.key).Scan(&exists); err != nil {
				return err
			}
			if exists {
				res.Duplicate++
				continue
			}
			at, _ := time.Parse(time.DateOnly, rw.ev.At)
			var detail any
			if len(rw.ev.Detail) > 0 {
				detail = string(rw.ev.Detail)
			}
			if _, err := conn.ExecContext(ctx, `INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)`,
				rw.key, rw.subject, rw.ev.Event, at, detail, fmt.Sprintf("%s:%d", name, rw.line), runID); err != nil {
				return err
			}
			if rw.ev.Event == "registered" {
				var d struct {
					SubjectType string `json:"subject_type"`
				}
				_ = json.Unmarshal(rw.ev.Detail, &d) // validated above
				if _, err := conn.ExecContext(ctx, `UPDATE subjects SET subject_type = ? WHERE subject_id = ?`, d.SubjectType, rw.subject); err != nil {
					return err
				}
			}
			res.Imported++
		}
		return nil
	})
	return res, err
}

// subjectFor resolves an e-mail or subject id; "" means unknown.
func (s *Store) subjectFor(ctx context.Context, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if subjectIDPattern.MatchString(ref) {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM subjects WHERE subject_id = ?`, ref).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return "", nil
		}
		return ref, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.identity["email:"+strings.ToLower(ref)], nil
}

func eventKey(subject string, ev profile.Event) string {
	var detail any
	_ = json.Unmarshal(ev.Detail, &detail)
	canon, _ := json.Marshal(detail) // map keys sorted: same detail, same key
	h := sha256.Sum256([]byte(subject + "\x00" + ev.Event + "\x00" + ev.At + "\x00" + string(canon)))
	return hex.EncodeToString(h[:16])
}

// jsonErrorKind describes a decode error without quoting the input.
func jsonErrorKind(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %s has the wrong type", typ.Field)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return err.Error()
	}
	return "invalid JSON"
}
