package apply

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"github.com/cvetl/cvetl/lake"
	s3store "github.com/cvetl/cvetl/sinks/s3"
)

// LocalView is implemented by a remote whose content the verification can read as local
// files (an S3 lake fetched into a temporary folder): it is searched like <out>.
type LocalView interface {
	LocalDir(ctx context.Context) (dir string, cleanup func(), err error)
}

// LakeRemote erases subjects from the Parquet lake: every file holding them is
// rewritten without their rows and the old objects (all versions) are deleted.
type LakeRemote struct {
	Lake *lake.Lake
	DB   *sql.DB // the main store, read before its rows are deleted
}

// Name implements Remote.
func (r LakeRemote) Name() string { return "lake" }

// Erase implements Remote.
func (r LakeRemote) Erase(ctx context.Context, id Identity) error {
	subjects, err := lake.SubjectsFromStore(ctx, r.DB, []string{id.SubjectID})
	if err != nil {
		return err
	}
	_, err = lake.EraseSubjects(ctx, r.Lake, subjects)
	return err
}

// Residue implements Remote: the lake's rows are searched through LocalDir; shard
// handoff objects still waiting for an import (lake/handoff.go) are checked here,
// since their tags are sealed and a fetch does not bring them.
func (r LakeRemote) Residue(ctx context.Context, id Identity) ([]string, error) {
	shas := make([]string, 0, len(id.Files))
	for _, f := range id.Files {
		shas = append(shas, f.SHA256)
	}
	return lake.HandoffResidue(ctx, r.Lake, shas)
}

// LocalDir implements LocalView: a folder lake in place, an S3 lake fetched.
func (r LakeRemote) LocalDir(ctx context.Context) (string, func(), error) {
	tmp, err := os.MkdirTemp("", "cvetl-verify-lake-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	dir, err := lake.Fetch(ctx, r.Lake, tmp, nil)
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("fetching the lake to verify it: %w", err)
	}
	return dir, cleanup, nil
}

// ArchiveRemote erases a subject's raw inputs from the S3 raw-file archive, every
// version of each object.
type ArchiveRemote struct {
	Archive *s3store.Archive
}

// Name implements Remote.
func (r ArchiveRemote) Name() string { return "s3-archive" }

// Erase implements Remote.
func (r ArchiveRemote) Erase(ctx context.Context, id Identity) error {
	for _, f := range id.Files {
		if _, err := r.Archive.Erase(ctx, f.SHA256); err != nil {
			return fmt.Errorf("archive object %s: %w", f.SHA256[:12], err)
		}
	}
	return nil
}

// Residue implements Remote: any of the subject's raw objects still there.
func (r ArchiveRemote) Residue(ctx context.Context, id Identity) ([]string, error) {
	var left []string
	for _, f := range id.Files {
		has, err := r.Archive.Has(ctx, f.SHA256)
		if err != nil {
			return nil, err
		}
		if has {
			left = append(left, "raw object "+f.SHA256[:12])
		}
	}
	return left, nil
}
