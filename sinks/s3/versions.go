package s3store

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// DeleteVersions deletes every version and delete marker of one key except keep
// ("" keeps nothing), and reports how many it deleted. On a versioned bucket a plain
// DeleteObject only hides the data behind a delete marker; erasure has to remove each
// version by its VersionId. An unversioned bucket lists its one object as version
// "null", so the same call deletes it.
func DeleteVersions(ctx context.Context, c *s3.Client, bucket, key, keep string) (int, error) {
	in := &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), Prefix: aws.String(key)}
	var ids []*string
	p := s3.NewListObjectVersionsPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, wrap("ListObjectVersions", err)
		}
		for _, v := range page.Versions {
			if aws.ToString(v.Key) == key && (keep == "" || aws.ToString(v.VersionId) != keep) {
				ids = append(ids, v.VersionId)
			}
		}
		for _, m := range page.DeleteMarkers {
			if aws.ToString(m.Key) == key && (keep == "" || aws.ToString(m.VersionId) != keep) {
				ids = append(ids, m.VersionId)
			}
		}
	}
	n := 0
	for _, id := range ids {
		in := &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
		if v := aws.ToString(id); v != "" {
			in.VersionId = id
		}
		if _, err := c.DeleteObject(ctx, in); err != nil && !notFound(err) {
			return n, wrap("DeleteObject", err)
		}
		n++
	}
	return n, nil
}

// Erase deletes the archived copy of content sha, every version of it, and reports
// how many object versions it deleted (0 when nothing was archived). Erasure calls it
// for each file a subject's profiles came from; a file that also holds other people
// (an applicant export) is raw personal data of each of them, so the caller decides.
func (a *Archive) Erase(ctx context.Context, sha string) (int, error) {
	if !shaRE.MatchString(sha) {
		return 0, errors.New("archive: not a lower-case hex SHA-256")
	}
	n, err := DeleteVersions(ctx, a.Client, a.Loc.Bucket, a.Key(sha), "")
	if err != nil {
		return n, fmt.Errorf("archive: erasing input %s…: %w", sha[:12], err)
	}
	return n, nil
}
