// Package apply carries out the manifest rows reviewers approved — delete, anonymise,
// archive, request consent, keep — and proves erasures: after deleting or anonymising
// it searches every sink for the people concerned and fails loudly on any residue.
//
// Apply is idempotent and resumable. A row is done exactly when its `applied` row is
// committed, in the same transaction as its change to the store; the side effects
// outside the store (raw files, data keys, remote objects, output files) come first and
// are safe to repeat, so a run killed half-way and started again ends the same.
package apply

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/internal/sqlrows"
	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/review"
)

// Shredder destroys data keys (crypto-shredding: whatever they sealed, backups
// included, becomes unreadable).
type Shredder interface {
	KeyLookup
	Destroy(ctx context.Context, keyID string) error
}

// Deps are the sinks and services apply works on.
type Deps struct {
	DB      *sql.DB
	Keys    Shredder
	Review  *review.Service
	Audit   *audit.Log
	Pseudo  *audit.Pseudonymizer
	HashKey []byte // keys the identifier hashes kept for later verification
	Remotes []Remote
	// Controller signs consent requests.
	Controller policy.Controller
}

// Options select what to apply.
type Options struct {
	Manifest string // one manifest; "" = every current deletion manifest
	DryRun   bool
	OutDir   string // <out>: manifests/ and outbox/ live here
	AuditLog string // searched by the verification too
	Actor    string // who runs apply (recorded in the audit log)
	RunID    int64
	Now      func() time.Time
	Log      *slog.Logger

	// QuarantineDir holds copies of quarantined files named by content hash
	// (<out>/quarantine): an erased file's copy goes too, and verification checks it.
	QuarantineDir string
}

// Result says what a run did.
type Result struct {
	Manifests []string       `json:"manifests"`
	ByAction  map[string]int `json:"by_action"`
	Skipped   int            `json:"already_applied"`
	Pending   int            `json:"not_approved"`
	Planned   []Planned      `json:"planned,omitempty"` // dry run: what would be done
	Erased    int            `json:"subjects_erased"`   // deleted or anonymised by this run
	Verified  int            `json:"subjects_verified"`
	Residue   []Residue      `json:"residue"`
	Raw       RawReport      `json:"raw_files"` // what the erasures did to local raw inputs
}

// Planned is one row a dry run would apply.
type Planned struct {
	Manifest, RowID, SubjectID, Action string
	Files                              int
}

// ErrResidue means an erasure left something of a person behind.
var ErrResidue = errors.New("erasure verification found residue")

// Run applies every approved, not yet applied row.
func Run(ctx context.Context, d Deps, opt Options) (Result, error) {
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Actor == "" {
		opt.Actor = "cvetl apply"
	}
	res := Result{ByAction: map[string]int{}, Residue: []Residue{}}
	ids, err := d.manifests(ctx, opt.Manifest)
	if err != nil {
		return res, err
	}
	res.Manifests = ids
	m := newMatcher(d.HashKey)
	var erased []Identity
	for _, mid := range ids {
		rows, err := d.Review.Rows(ctx, mid)
		if err != nil {
			return res, err
		}
		done, err := d.appliedRows(ctx, mid)
		if err != nil {
			return res, err
		}
		for _, r := range rows {
			if r.Status != review.Approved {
				res.Pending++
				continue
			}
			if done[r.RowID] {
				res.Skipped++
				continue
			}
			action := fieldString(r, "action")
			if opt.DryRun {
				id, err := collect(ctx, d.DB, r.SubjectID)
				if err != nil {
					return res, err
				}
				res.Planned = append(res.Planned, Planned{Manifest: mid, RowID: r.RowID, SubjectID: r.SubjectID, Action: action, Files: len(id.Files)})
				res.ByAction[action]++
				continue
			}
			id, raw, err := d.applyRow(ctx, opt, mid, r, action, m)
			if err != nil {
				return res, fmt.Errorf("manifest %s row %s (%s): %w", mid, r.RowID, action, err)
			}
			res.Raw.add(raw)
			if id != nil {
				erased = append(erased, *id)
				res.Erased++
			}
			res.ByAction[action]++
			opt.Log.Info("row applied", "manifest", mid, "row", r.RowID, "action", action)
		}
	}
	if opt.DryRun || len(erased) == 0 {
		return res, nil
	}
	residue, err := verify(ctx, d.scope(opt), m, erased)
	if err != nil {
		return res, fmt.Errorf("verifying the erasures: %w", err)
	}
	res.Verified = len(erased)
	res.Residue = append(res.Residue, residue...)
	outcome := "clean"
	if len(residue) > 0 {
		outcome = "residue"
	}
	if err := d.Audit.Append(ctx, audit.Entry{Actor: opt.Actor, Action: "verify_erasure", RunID: opt.RunID,
		Detail: map[string]string{"subjects": fmt.Sprint(len(erased)), "outcome": outcome, "residue": fmt.Sprint(len(residue))}}); err != nil {
		return res, err
	}
	if len(residue) > 0 {
		return res, ErrResidue
	}
	return res, nil
}

func (d Deps) scope(opt Options) Scope {
	sc := Scope{DB: d.DB, Keys: d.Keys, Remotes: d.Remotes, QuarantineDir: opt.QuarantineDir}
	if opt.OutDir != "" {
		sc.Dirs = append(sc.Dirs, opt.OutDir)
	}
	if opt.AuditLog != "" {
		sc.Files = append(sc.Files, opt.AuditLog)
	}
	return sc
}

// manifests lists the manifests to apply: the named one, or every current deletion one.
func (d Deps) manifests(ctx context.Context, id string) ([]string, error) {
	if id != "" {
		m, err := d.Review.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if m.Kind != "deletion" {
			return nil, fmt.Errorf("manifest %s is a %s manifest: apply acts on deletion manifests", id, m.Kind)
		}
		return []string{id}, nil
	}
	return sqlrows.Strings(ctx, d.DB, `SELECT manifest_id FROM manifests WHERE kind = 'deletion' AND superseded_by IS NULL ORDER BY as_of, manifest_id`)
}

func (d Deps) appliedRows(ctx context.Context, manifestID string) (map[string]bool, error) {
	ids, err := sqlrows.Strings(ctx, d.DB, `SELECT row_id FROM applied WHERE manifest_id = ?`, manifestID)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// applyRow carries out one row. It returns the subject's identity when the row erased
// or anonymised them, for the verification.
func (d Deps) applyRow(ctx context.Context, opt Options, manifestID string, r review.Row, action string, m *matcher) (*Identity, RawReport, error) {
	var id *Identity
	var change func(tx *sql.Tx) error
	var detail map[string]string
	var report RawReport
	switch action {
	case "keep":
		change = func(*sql.Tx) error { return nil }
	case "delete", "anonymise":
		ident, err := collect(ctx, d.DB, r.SubjectID)
		if err != nil {
			return nil, report, err
		}
		hashes := m.add(ident, action == "delete")
		raw, err := d.eraseOutside(ctx, opt, ident)
		if err != nil {
			return nil, report, err
		}
		detail = raw.auditDetail()
		report = raw
		id = &ident
		change = func(tx *sql.Tx) error {
			var err error
			if action == "delete" {
				err = deleteSubject(ctx, tx, ident)
				if err == nil {
					err = closeErasureRequests(ctx, tx, ident.SubjectID, manifestID, r.RowID, opt.Now())
				}
			} else {
				err = anonymiseSubject(ctx, tx, ident, d.Pseudo.Of(ident.SubjectID))
			}
			if err != nil {
				return err
			}
			return recordErasure(ctx, tx, ident, d.Pseudo.Of(ident.SubjectID), action, manifestID, r.RowID, hashes, opt.Now())
		}
	case "archive":
		change = func(tx *sql.Tx) error { return archiveSubject(ctx, tx, r.SubjectID) }
	case "request_consent":
		path, err := d.writeConsentRequest(ctx, opt, manifestID, r)
		if err != nil {
			return nil, report, err
		}
		change = func(tx *sql.Tx) error { return recordConsentRequest(ctx, tx, r, path, opt) }
	default:
		return nil, report, fmt.Errorf("unknown action %q", action)
	}
	if err := d.Audit.Append(ctx, audit.Entry{Actor: opt.Actor, Action: "apply_" + action, RunID: opt.RunID,
		Manifest: manifestID, Row: r.RowID, Subject: d.Pseudo.Of(r.SubjectID), Detail: detail}); err != nil {
		return nil, report, err
	}
	tx, err := d.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, report, err
	}
	if err := change(tx); err != nil {
		tx.Rollback()
		return nil, report, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO applied VALUES (?, ?, ?, ?, ?)`, manifestID, r.RowID, action, opt.Now(), opt.RunID); err != nil {
		tx.Rollback()
		return nil, report, err
	}
	return id, report, tx.Commit()
}

// eraseOutside removes a subject's data from everything outside the store: remote
// sinks, raw input files and their quarantine copies, data keys and output files.
// Each step is safe to repeat.
func (d Deps) eraseOutside(ctx context.Context, opt Options, id Identity) (RawReport, error) {
	var raw RawReport
	for _, r := range d.Remotes {
		if err := r.Erase(ctx, id); err != nil {
			return raw, fmt.Errorf("erasing from %s: %w", r.Name(), err)
		}
	}
	for _, f := range id.Files {
		if !isLocal(f.Location) {
			continue
		}
		outcome, rewrite, err := d.eraseRaw(ctx, opt, id, f)
		if err != nil {
			return raw, err
		}
		raw.note(outcome, rewrite)
	}
	if err := removeQuarantineCopies(opt.QuarantineDir, id.Files); err != nil {
		return raw, err
	}
	for _, k := range id.KeyIDs {
		if err := d.Keys.Destroy(ctx, k); err != nil {
			return raw, fmt.Errorf("destroying a data key: %w", err)
		}
	}
	if opt.OutDir != "" {
		if err := scrubOutputs(ctx, d.DB, opt.OutDir, id); err != nil {
			return raw, err
		}
	}
	return raw, nil
}

func fieldString(r review.Row, name string) string {
	for _, f := range r.Fields {
		if f.Name == name {
			if s, ok := f.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

// VerifySubject searches every sink for one subject on demand. ref is the subject id of
// an erased or anonymised subject (their identifiers are known by the keyed hashes kept
// at erasure), or an e-mail address or phone number.
func VerifySubject(ctx context.Context, d Deps, opt Options, ref string) ([]Residue, error) {
	m := newMatcher(d.HashKey)
	var stored []any
	var action string
	err := d.DB.QueryRowContext(ctx, `SELECT identifier_hmacs, action FROM erasures WHERE subject_id = ? ORDER BY erased_at DESC LIMIT 1`, ref).Scan(&stored, &action)
	switch {
	case err == nil:
		hashes := make([]string, len(stored))
		for i, h := range stored {
			hashes[i] = fmt.Sprint(h)
		}
		m.addHashes(ref, action == "delete", hashes)
	case errors.Is(err, sql.ErrNoRows):
		id := Identity{SubjectID: "(given identifier)"}
		if strings.Contains(ref, "@") {
			id.Emails = []string{ref}
		} else if len(normPhone(ref)) >= 10 {
			id.Phones = []string{ref}
		} else {
			return nil, fmt.Errorf("%q is neither an erased subject's id nor an e-mail address or phone number", redact(ref))
		}
		m.add(id, false)
	default:
		return nil, err
	}
	return verify(ctx, d.scope(opt), m, nil)
}

// redact keeps an unknown reference out of error messages beyond its shape.
func redact(s string) string {
	if len(s) <= 3 {
		return "***"
	}
	return s[:2] + strings.Repeat("*", len(s)-2)
}
