package s3store

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// permanentCodes are S3 error codes no retry will fix.
var permanentCodes = map[string]bool{
	"NoSuchBucket": true, "NoSuchKey": true, "AccessDenied": true, "InvalidAccessKeyId": true,
	"SignatureDoesNotMatch": true, "InvalidBucketName": true, "AllBucketsAccessDenied": true,
	"InvalidObjectState": true, "PermanentRedirect": true, "AuthorizationHeaderMalformed": true,
	"NotFound": true, "Forbidden": true,
}

// Permanent reports whether err is a failure that retrying cannot fix: a 4xx answer
// (missing bucket or key, denied access, bad credentials) other than throttling or a
// timeout. Connection failures, 5xx and throttling are not permanent: the client
// already retried them with backoff, and a later run may succeed.
func Permanent(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var api smithy.APIError
	if errors.As(err, &api) && permanentCodes[api.ErrorCode()] {
		return true
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		s := re.HTTPStatusCode()
		return s >= 400 && s < 500 && s != http.StatusRequestTimeout && s != http.StatusTooManyRequests
	}
	return false
}

// notFound reports a missing key (HeadObject answers 404 without an error code).
func notFound(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) && (api.ErrorCode() == "NotFound" || api.ErrorCode() == "NoSuchKey") {
		return true
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}

// describe shortens an SDK error to its code or status for messages: SDK errors quote
// the request URL, which holds an input's key — possibly a person's name.
func describe(err error) string {
	var api smithy.APIError
	code := ""
	if errors.As(err, &api) {
		code = api.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != 0 {
		if code == "" {
			code = http.StatusText(re.HTTPStatusCode())
		}
		return code + " (HTTP " + strconv.Itoa(re.HTTPStatusCode()) + ")"
	}
	if code != "" {
		return code
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "deadline exceeded"
	}
	var op *smithy.OperationError
	if errors.As(err, &op) {
		return "transport error after retries: " + rootCause(op.Err)
	}
	return rootCause(err)
}

// rootCause is the innermost error's text (e.g. "connect: connection refused"),
// which names no key.
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// Error is a failed S3 operation. Its text names the operation and the S3 error code
// or transport failure, never the bucket key (keys can be people's names).
type Error struct {
	Op  string // ListObjectsV2, GetObject, PutObject, …
	Err error  // the SDK error
}

func (e *Error) Error() string { return "s3 " + e.Op + ": " + describe(e.Err) }

// Unwrap gives a key-free view of the cause that still unwraps to the SDK error.
func (e *Error) Unwrap() error { return cause{e.Err} }

type cause struct{ err error }

func (c cause) Error() string { return describe(c.err) }
func (c cause) Unwrap() error { return c.err }

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Err: err}
}
