package lake

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/cvetl/cvetl/profile"
)

// The handoff area (<lake>/_restricted/<writer>/<name>.json) is not a lake table: it
// carries from a sharded worker's store to the authoritative store what the tables
// leave out on purpose — each input file's ledger entry (size, format, status,
// quarantine reasons, vacancies) and its special-category tags, whose contents are
// sealed under a data key that only the shared master key unwraps. The authoritative
// store's `lake import` deletes each object once it is committed; erasure rewrites the
// objects still waiting. Package lake/handoff writes and imports them; this file
// stores, lists and erases them.

// HandoffVersion is the version of the handoff document; an import refuses others.
const HandoffVersion = 1

// HandoffPrefix is where handoff objects live under the lake root.
const HandoffPrefix = "_restricted/"

// Handoff is one handoff object: what one shard writer committed in a range of runs.
type Handoff struct {
	Version int    `json:"version"`
	Writer  string `json:"writer"`
	// FirstRun and LastRun are the writer's own store's runs it covers.
	FirstRun int64 `json:"first_run"`
	LastRun  int64 `json:"last_run"`
	// WrappedKey is the data key the tags are sealed under, wrapped by the master key.
	WrappedKey []byte        `json:"wrapped_key"`
	Files      []HandoffFile `json:"files"`
}

// HandoffFile is one input file as the writer's store recorded it.
type HandoffFile struct {
	SHA256     string    `json:"sha256"`
	Location   string    `json:"location"`
	Size       int64     `json:"size"`
	Format     string    `json:"format,omitempty"`
	Status     string    `json:"status"` // ingested | quarantined
	Channel    string    `json:"channel"`
	ReceivedAt time.Time `json:"received_at"`
	// IngestDate is the lake partition holding the file's profiles and sources.
	IngestDate string `json:"ingest_date"`
	// Profiles are the ids of the file's profiles in the lake, in candidate order.
	Profiles   []string          `json:"profiles,omitempty"`
	Quarantine []HandoffProblem  `json:"quarantine,omitempty"`
	Vacancies  []profile.Vacancy `json:"vacancies,omitempty"`
	Tags       []HandoffTag      `json:"tags,omitempty"`
	// DetectorFingerprint is the special-category detector that last tagged the file
	// in the writer's store (files.detector_fingerprint, docs/retag.md), so the
	// import does not leave a file the current detector tagged stale. Absent in
	// handoffs written before it was carried, and for files never tagged: unknown.
	DetectorFingerprint string `json:"detector_fingerprint,omitempty"`
}

// HandoffProblem is a quarantine row: Origin "" is the whole file.
type HandoffProblem struct {
	Origin string `json:"origin,omitempty"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

// HandoffTag is one special-category tag. Everything about it but the profile it
// belongs to — category, condition, detector, confidence, offsets, evidence — is in
// Sealed (AES-256-GCM under the handoff's data key), since even the category says
// something about a person.
type HandoffTag struct {
	ProfileID string `json:"profile_id"`
	N         int    `json:"n"` // the tag's index among its profile's tags
	Sealed    []byte `json:"sealed"`
}

// HandoffObject names one stored handoff object.
type HandoffObject struct {
	Key    string // relative to the lake root
	Writer string
}

var handoffKeyRE = regexp.MustCompile(`^_restricted/([a-z0-9][a-z0-9-]*)/([A-Za-z0-9._-]+)\.json$`)

// HandoffKey is the key of a writer's handoff object called name.
func HandoffKey(writer, name string) string {
	return path.Join("_restricted", writer, name+".json")
}

// Handoffs lists the handoff objects waiting in the lake, in key order. A key that
// does not follow the layout is an error: the area holds nothing unexplained.
func (l *Lake) Handoffs(ctx context.Context) ([]HandoffObject, error) {
	keys, err := l.b.list(ctx, HandoffPrefix)
	if err != nil {
		return nil, fmt.Errorf("lake %s: listing handoffs: %w", l, err)
	}
	var out []HandoffObject
	for _, k := range keys {
		m := handoffKeyRE.FindStringSubmatch(k)
		if m == nil {
			if filepath.Ext(k) == ".tmp" {
				continue // an interrupted local write
			}
			return nil, fmt.Errorf("lake %s: unexpected object %s: want _restricted/WRITER/NAME.json", l, k)
		}
		out = append(out, HandoffObject{Key: k, Writer: m[1]})
	}
	return out, nil
}

// PutHandoff stores a handoff object under the writer's name.
func (l *Lake) PutHandoff(ctx context.Context, name string, h Handoff) (string, error) {
	if err := ValidName(h.Writer); err != nil {
		return "", err
	}
	key := HandoffKey(h.Writer, name)
	if !handoffKeyRE.MatchString(key) {
		return "", fmt.Errorf("lake: handoff name %q: want letters, digits, dots, dashes", name)
	}
	tmp, err := os.MkdirTemp("", "cvetl-handoff-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := l.putHandoff(ctx, key, h, tmp); err != nil {
		return "", err
	}
	return key, nil
}

func (l *Lake) putHandoff(ctx context.Context, key string, h Handoff, tmp string) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	p := filepath.Join(tmp, "handoff.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		return err
	}
	if err := l.b.put(ctx, key, p); err != nil {
		return fmt.Errorf("lake %s: storing %s: %w", l, key, err)
	}
	return nil
}

// ReadHandoff reads a handoff object. An object of another version, or whose writer
// is not the one its key names, is an error naming the object.
func (l *Lake) ReadHandoff(ctx context.Context, o HandoffObject) (Handoff, error) {
	var h Handoff
	tmp, err := os.MkdirTemp("", "cvetl-handoff-")
	if err != nil {
		return h, err
	}
	defer os.RemoveAll(tmp)
	p, err := l.b.local(ctx, o.Key, tmp)
	if err != nil {
		return h, fmt.Errorf("lake %s: reading %s: %w", l, o.Key, err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return h, fmt.Errorf("lake %s: reading %s: %w", l, o.Key, err)
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, fmt.Errorf("lake %s: handoff %s is not valid JSON: %v", l, o.Key, err)
	}
	if h.Version != HandoffVersion {
		return h, fmt.Errorf("lake %s: handoff %s has version %d, this cvetl reads version %d", l, o.Key, h.Version, HandoffVersion)
	}
	if h.Writer != o.Writer {
		return h, fmt.Errorf("lake %s: handoff %s says writer %q, its key says %q", l, o.Key, h.Writer, o.Writer)
	}
	return h, nil
}

// RemoveHandoff deletes a handoff object, every version of it.
func (l *Lake) RemoveHandoff(ctx context.Context, o HandoffObject) error {
	if _, err := l.b.remove(ctx, o.Key); err != nil {
		return fmt.Errorf("lake %s: deleting %s: %w", l, o.Key, err)
	}
	return nil
}

// holds reports whether a handoff file entry belongs to the subjects: its content is
// theirs (alone or shared), or it carries one of their profiles.
func (s Subjects) holds(f HandoffFile, files map[string]bool, profiles map[string]bool) bool {
	if files[f.SHA256] {
		return true
	}
	return slices.ContainsFunc(f.Profiles, func(p string) bool { return profiles[p] })
}

func (s Subjects) sets() (files, profiles map[string]bool) {
	files, profiles = map[string]bool{}, map[string]bool{}
	for _, f := range append(slices.Clone(s.Files), s.SharedFiles...) {
		files[f] = true
	}
	for _, p := range s.ProfileIDs {
		profiles[p] = true
	}
	return files, profiles
}

// eraseHandoffs drops the subjects' file entries from every waiting handoff object:
// the object is rewritten without them, or deleted when nothing is left. A file the
// subjects' profiles came from is already in the authoritative store (that is where
// their profile ids were read), so an import would skip the entry anyway: dropping
// the whole entry loses nothing and leaves no sealed copy of their evidence.
func (l *Lake) eraseHandoffs(ctx context.Context, s Subjects, rep *EraseReport, tmp string) error {
	objs, err := l.Handoffs(ctx)
	if err != nil {
		return err
	}
	files, profiles := s.sets()
	for _, o := range objs {
		h, err := l.ReadHandoff(ctx, o)
		if err != nil {
			return err
		}
		rep.FilesScanned++
		keep := slices.DeleteFunc(slices.Clone(h.Files), func(f HandoffFile) bool { return s.holds(f, files, profiles) })
		if len(keep) == len(h.Files) {
			continue
		}
		rep.RowsRemoved["handoff"] += len(h.Files) - len(keep)
		if len(keep) == 0 {
			n, err := l.b.remove(ctx, o.Key)
			if err != nil {
				return fmt.Errorf("lake %s: deleting %s: %w", l, o.Key, err)
			}
			rep.FilesDeleted++
			rep.VersionsDeleted += max(n-1, 0)
			continue
		}
		h.Files = keep
		if err := l.putHandoff(ctx, o.Key, h, tmp); err != nil {
			return err
		}
		rep.FilesRewritten++
	}
	return nil
}

// HandoffResidue names the waiting handoff objects that still hold any of the given
// input files (content hashes): what an erasure verification reports.
func HandoffResidue(ctx context.Context, l *Lake, fileSHA256 []string) ([]string, error) {
	objs, err := l.Handoffs(ctx)
	if err != nil {
		return nil, err
	}
	files, _ := Subjects{Files: fileSHA256}.sets()
	var out []string
	for _, o := range objs {
		h, err := l.ReadHandoff(ctx, o)
		if err != nil {
			return nil, err
		}
		for _, f := range h.Files {
			if files[f.SHA256] {
				out = append(out, "handoff "+o.Key)
				break
			}
		}
	}
	return out, nil
}

// ReadPartition reads every file of a table's partition (ingest_date = day), whoever
// wrote it: shards' files, a compacted file, the main store's.
func (l *Lake) ReadPartition(ctx context.Context, t Table, day string) ([]Row, error) {
	files, err := l.Files(ctx, t.Name)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "cvetl-lake-read-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var rows []Row
	for _, f := range files {
		if f.IngestDate != day {
			continue
		}
		r, err := l.read(ctx, f, t, tmp)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

// Index is the position of a column in the table's rows, or -1.
func (t Table) Index(name string) int { return t.index(name) }
