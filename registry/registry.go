// Package registry registers data subjects that do not arrive through ingestion —
// client and supplier contacts, employees, marketing contacts, referees, complainants —
// by e-mail and type, so that their events can be imported and retention rules applied.
package registry

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cvetl/cvetl/profile"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

// Store is what registering needs: the database (for subjects and identity keys) and
// the events import (for the `registered` event that records the subject's role).
type Store interface {
	DB() *sql.DB
	ImportEvents(ctx context.Context, r io.Reader, name string, runID int64) (duckstore.EventsResult, error)
}

// Entry is one line of a subjects file.
type Entry struct {
	Email       string `json:"email"`
	SubjectType string `json:"subject_type"`
	// At is the day the subject was registered (YYYY-MM-DD): their record's creation.
	At string `json:"at"`
}

// Validate checks one entry; messages name fields, never values.
func (e Entry) Validate() error {
	if !email.MatchString(strings.TrimSpace(e.Email)) {
		return fmt.Errorf("email: want an e-mail address")
	}
	if !slices.Contains(profile.SubjectTypes, e.SubjectType) {
		return fmt.Errorf("subject_type: must be one of %v", profile.SubjectTypes)
	}
	if _, err := time.Parse(time.DateOnly, e.At); err != nil {
		return fmt.Errorf("at: want YYYY-MM-DD")
	}
	return nil
}

var email = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// Result is what an import did. Errors hold line numbers and reasons only.
type Result struct {
	Lines    int                    `json:"lines"`
	Created  int                    `json:"created"`
	Existing int                    `json:"existing"`
	Events   duckstore.EventsResult `json:"events"`
	Errors   []duckstore.LineError  `json:"errors"`
}

// Import reads JSONL entries, creates the subjects no identity key knows (subject ids
// continue the store's sequence; the e-mail becomes the subject's reference and
// identity key) and records a `registered` event for every entry, so a subject that is
// already a candidate gains a second role. Re-importing a file changes nothing.
func Import(ctx context.Context, st Store, r io.Reader, name string, runID int64) (Result, error) {
	var res Result
	var entries []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		res.Lines++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var e Entry
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			res.Errors = append(res.Errors, duckstore.LineError{Line: res.Lines, Reason: "not a JSON subject object (email, subject_type, at)"})
			continue
		}
		if err := e.Validate(); err != nil {
			res.Errors = append(res.Errors, duckstore.LineError{Line: res.Lines, Reason: err.Error()})
			continue
		}
		e.Email = strings.ToLower(strings.TrimSpace(e.Email))
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return res, fmt.Errorf("reading %s: %w", name, err)
	}
	ids, err := ensureSubjects(ctx, st.DB(), entries, runID, &res)
	if err != nil {
		return res, err
	}
	var events bytes.Buffer
	for i, e := range entries {
		ev, _ := json.Marshal(map[string]any{"subject": ids[i], "event": "registered", "at": e.At,
			"detail": map[string]string{"subject_type": e.SubjectType}})
		events.Write(ev)
		events.WriteByte('\n')
	}
	res.Events, err = st.ImportEvents(ctx, &events, name, runID)
	return res, err
}

// ensureSubjects returns each entry's subject id, creating subjects in one transaction.
func ensureSubjects(ctx context.Context, db *sql.DB, entries []Entry, runID int64, res *Result) ([]string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, err
	}
	ids, err := func() ([]string, error) {
		var next int64
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(CAST(substr(subject_id, 2) AS BIGINT)), 0) + 1 FROM subjects`).Scan(&next); err != nil {
			return nil, err
		}
		known := map[string]string{}
		ids := make([]string, len(entries))
		for i, e := range entries {
			key := "email:" + e.Email
			id, ok := known[key]
			if !ok {
				err := conn.QueryRowContext(ctx, `SELECT subject_id FROM subject_keys WHERE key = ?`, key).Scan(&id)
				switch {
				case err == sql.ErrNoRows:
					id = fmt.Sprintf("S%07d", next)
					next++
					at, _ := time.Parse(time.DateOnly, e.At)
					if _, err := conn.ExecContext(ctx, `INSERT INTO subjects VALUES (?, ?, ?, ?, ?)`, id, e.Email, e.SubjectType, at, runID); err != nil {
						return nil, err
					}
					if _, err := conn.ExecContext(ctx, `INSERT INTO subject_keys VALUES (?, ?)`, key, id); err != nil {
						return nil, err
					}
					res.Created++
				case err != nil:
					return nil, err
				default:
					res.Existing++
				}
				known[key] = id
			}
			ids[i] = id
		}
		return ids, nil
	}()
	if err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return nil, err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return ids, err
}
