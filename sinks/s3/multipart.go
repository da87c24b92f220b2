package s3store

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// multipart uploads r in parts of partSize, each part retried by the client, and
// aborts the upload on failure so no orphaned parts are billed.
func (a *Archive) multipart(ctx context.Context, key string, r io.ReaderAt, size int64) (err error) {
	create := &s3.CreateMultipartUploadInput{
		Bucket:            aws.String(a.Loc.Bucket),
		Key:               aws.String(key),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32,
	}
	a.sse(&create.ServerSideEncryption, &create.SSEKMSKeyId)
	up, err := a.Client.CreateMultipartUpload(ctx, create)
	if err != nil {
		return wrap("CreateMultipartUpload", err)
	}
	defer func() {
		if err != nil {
			_, _ = a.Client.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{
				Bucket: aws.String(a.Loc.Bucket), Key: aws.String(key), UploadId: up.UploadId,
			})
		}
	}()
	ps := a.partSize()
	var parts []types.CompletedPart
	for n, off := int32(1), int64(0); off < size; n, off = n+1, off+ps {
		l := min(ps, size-off)
		out, err := a.Client.UploadPart(ctx, &s3.UploadPartInput{
			Bucket:            aws.String(a.Loc.Bucket),
			Key:               aws.String(key),
			UploadId:          up.UploadId,
			PartNumber:        aws.Int32(n),
			Body:              io.NewSectionReader(r, off, l),
			ContentLength:     aws.Int64(l),
			ChecksumAlgorithm: types.ChecksumAlgorithmCrc32,
		})
		if err != nil {
			return wrap("UploadPart", err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(n), ChecksumCRC32: out.ChecksumCRC32})
	}
	_, err = a.Client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket:          aws.String(a.Loc.Bucket),
		Key:             aws.String(key),
		UploadId:        up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	return wrap("CompleteMultipartUpload", err)
}
