// Package audit keeps cvetl's audit trail: an append-only JSON Lines file in which every
// entry carries the hash of the one before it, so that editing, reordering or removing
// any entry breaks the chain. Entries hold ids, reviewer names and keyed pseudonyms of
// subjects, never personal data about a subject.
//
// The chain alone cannot show that its last entries were cut off, so the head (the last
// sequence number and hash) is also recorded in an Anchor kept elsewhere (the store).
package audit

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Entry is one audited act. Subject is a keyed pseudonym (see Pseudonymizer), never an
// e-mail, name or raw subject id.
type Entry struct {
	Seq      int64             `json:"seq"`
	At       string            `json:"at"` // RFC 3339, UTC
	Actor    string            `json:"actor"`
	Action   string            `json:"action"`
	RunID    int64             `json:"run_id,omitempty"`
	Manifest string            `json:"manifest,omitempty"`
	Row      string            `json:"row,omitempty"`
	Subject  string            `json:"subject,omitempty"`
	Detail   map[string]string `json:"detail,omitempty"`
	Prev     string            `json:"prev"`
}

// Anchor records the chain's head outside the log file, so that cutting entries off
// its end is detected too.
type Anchor interface {
	RecordHead(ctx context.Context, seq int64, hash string) error
	Head(ctx context.Context) (seq int64, hash string, ok bool, err error)
}

// Log appends to one audit file. It is safe for concurrent use within a process;
// cvetl's commands that write it do not run concurrently with each other.
type Log struct {
	mu     sync.Mutex
	path   string
	anchor Anchor
	seq    int64
	head   string
	now    func() time.Time
}

// genesis is the Prev of the first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// hashMarker separates an entry's body from its hash on a line: the hash covers every
// byte before it, so a change to any byte of the line is detected.
var hashMarker = []byte(`,"hash":"`)

// Open opens (creating if needed) the log at path. Its last entry must be the head the
// anchor recorded: a log cut short, replaced or with a changed last entry is refused,
// since appending to it would hide the damage. Only the last entry is read, so opening
// costs the same for ten entries or ten million; `Verify` (cvetl audit verify) checks the
// whole chain. Without an anchor the whole chain is checked here.
func Open(ctx context.Context, path string, anchor Anchor) (*Log, error) {
	l := &Log{path: path, anchor: anchor, head: genesis, now: time.Now}
	if anchor == nil {
		res, err := Verify(ctx, path, nil)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if res.Entries > 0 {
			l.seq, l.head = res.Entries, res.Head
		}
		return l, nil
	}
	seq, hash, anchored, err := anchor.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit log: reading the recorded head: %w", err)
	}
	last, err := lastLine(path)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	switch {
	case !anchored && last == nil:
		return l, nil
	case !anchored:
		return nil, fmt.Errorf("audit log %s: the store has no record of this log's head", path)
	case last == nil:
		return nil, fmt.Errorf("audit log %s: missing or empty, but the store recorded entry %d as the last: it was removed or replaced", path, seq)
	}
	e, lineHash, err := parseLine(last)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: last line: %w", path, err)
	}
	if e.Seq == seq+1 && e.Prev == hash {
		// A process stopped between writing an entry and recording it as the head:
		// the entry follows the recorded head, so it is the one that was being added.
		if err := anchor.RecordHead(ctx, e.Seq, lineHash); err != nil {
			return nil, fmt.Errorf("audit log: recording the head: %w", err)
		}
		seq, hash = e.Seq, lineHash
	}
	if e.Seq != seq || lineHash != hash {
		return nil, fmt.Errorf("audit log %s: its last entry is not entry %d as the store recorded: entries were cut off, added or changed; run cvetl audit verify", path, seq)
	}
	l.seq, l.head = seq, hash
	return l, nil
}

// lastLine returns the file's last line (with its newline), or nil for a missing or
// empty file.
func lastLine(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil || size == 0 {
		return nil, err
	}
	// Entries are a few hundred bytes; read back in growing windows until a newline
	// before the last one is found.
	for window := int64(4096); ; window *= 4 {
		start := max(size-window, 0)
		buf := make([]byte, size-start)
		if _, err := f.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if i := bytes.LastIndexByte(buf[:len(buf)-1], '\n'); i >= 0 {
			return buf[i+1:], nil
		}
		if start == 0 {
			return buf, nil
		}
	}
}

// Path is the log file's path.
func (l *Log) Path() string { return l.path }

// Append writes e as the next entry (Seq, At and Prev are filled in) and syncs it.
func (l *Log) Append(ctx context.Context, e Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Seq = l.seq + 1
	if e.At == "" {
		e.At = l.now().UTC().Format(time.RFC3339Nano)
	}
	e.Prev = l.head
	line, hash, err := encode(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return fmt.Errorf("audit log %s: %w", l.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("audit log %s: %w", l.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("audit log %s: %w", l.path, err)
	}
	l.seq, l.head = e.Seq, hash
	if l.anchor != nil {
		if err := l.anchor.RecordHead(ctx, l.seq, l.head); err != nil {
			return fmt.Errorf("audit log: recording the head: %w", err)
		}
	}
	return nil
}

func encode(e Entry) (line []byte, hash string, err error) {
	body, err := json.Marshal(e)
	if err != nil {
		return nil, "", fmt.Errorf("audit entry: %w", err)
	}
	body = body[:len(body)-1] // drop the closing brace: the hash field follows
	hash = digest(body)
	line = append(append(append(body, hashMarker...), hash...), "\"}\n"...)
	return line, hash, nil
}

func digest(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Result is what Verify found.
type Result struct {
	Entries int64
	Head    string
}

// Verify reads the whole log and checks every entry's hash, sequence and link to the
// one before, and the last entry against the anchor (when given). The error names the
// first line that fails and why; it never quotes the line.
func Verify(ctx context.Context, path string, anchor Anchor) (Result, error) {
	res := Result{Head: genesis}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			if err := checkAnchor(ctx, anchor, res); err != nil {
				return res, err
			}
		}
		return res, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for n := int64(1); ; n++ {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return res, fmt.Errorf("audit log %s: %w", path, err)
		}
		if err := checkLine(line, n, res.Head); err != nil {
			return res, fmt.Errorf("audit log %s: line %d: %w", path, n, err)
		}
		res.Entries = n
		res.Head = string(line[len(line)-3-64 : len(line)-3])
	}
	return res, checkAnchor(ctx, anchor, res)
}

func checkLine(line []byte, seq int64, prev string) error {
	e, _, err := parseLine(line)
	if err != nil {
		return err
	}
	if e.Seq != seq {
		return fmt.Errorf("sequence %d where %d was expected: an entry was removed or moved", e.Seq, seq)
	}
	if e.Prev != prev {
		return errors.New("does not link to the entry before it: an entry was removed, moved or replaced")
	}
	return nil
}

// parseLine checks that a line is a whole entry whose hash matches its bytes, and
// returns the entry and that hash.
func parseLine(line []byte) (Entry, string, error) {
	var e Entry
	if !bytes.HasSuffix(line, []byte("\"}\n")) {
		return e, "", errors.New("not a complete entry (truncated or edited)")
	}
	i := bytes.LastIndex(line, hashMarker)
	if i < 0 || len(line)-i != len(hashMarker)+64+3 {
		return e, "", errors.New("no hash")
	}
	body, hash := line[:i], string(line[i+len(hashMarker):len(line)-3])
	if digest(body) != hash {
		return e, "", errors.New("hash does not match the entry: it was edited")
	}
	if err := json.Unmarshal(append(append([]byte{}, body...), '}'), &e); err != nil {
		return e, "", fmt.Errorf("not valid JSON: %w", err)
	}
	return e, hash, nil
}

func checkAnchor(ctx context.Context, anchor Anchor, res Result) error {
	if anchor == nil {
		return nil
	}
	seq, hash, ok, err := anchor.Head(ctx)
	if err != nil {
		return fmt.Errorf("audit log: reading the recorded head: %w", err)
	}
	if !ok {
		if res.Entries > 0 {
			return errors.New("audit log: the store has no record of this log's head")
		}
		return nil
	}
	if seq != res.Entries {
		return fmt.Errorf("audit log: ends at entry %d but the store recorded entry %d as the last: entries were cut off or the log was replaced", res.Entries, seq)
	}
	if hash != res.Head {
		return fmt.Errorf("audit log: its last entry %d is not the one the store recorded: the log was rewritten", seq)
	}
	return nil
}
