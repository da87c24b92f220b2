// Package s3store reads inputs from and writes archives to S3-compatible object
// storage with aws-sdk-go-v2: a pipeline.Source over s3://bucket/prefix and a
// content-addressed raw-file archive. S3 is opt-in; the default store stays a local
// folder and a DuckDB file.
//
// Client settings come from the standard AWS chain (env, shared config, IMDS, …), so
// AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY and AWS_MAX_ATTEMPTS work with no config file. cvetl adds
// CVETL_S3_PATH_STYLE=true (needed by most local servers), CVETL_S3_SSE
// (AES256 or aws:kms) and CVETL_S3_SSE_KMS_KEY_ID.
package s3store

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Config is how to reach the object store. Zero fields fall back to the AWS chain.
type Config struct {
	Endpoint  string // e.g. http://127.0.0.1:7070; "" = AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL / AWS
	Region    string // "" = AWS_REGION / shared config, else us-east-1
	PathStyle bool   // bucket in the path, not the host name (local servers, MinIO)
	// AccessKey and SecretKey, when both set, are static credentials; otherwise the
	// default chain is used.
	AccessKey, SecretKey, SessionToken string
	// MaxAttempts is tries per request, first included (default 5, or AWS_MAX_ATTEMPTS).
	MaxAttempts int
	// MaxBackoff caps the jittered exponential delay between tries (default 5 s).
	MaxBackoff time.Duration
}

// ConfigFromEnv reads the cvetl-specific settings; the SDK reads the AWS ones itself.
func ConfigFromEnv() (Config, error) {
	var c Config
	if v := os.Getenv("CVETL_S3_PATH_STYLE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("CVETL_S3_PATH_STYLE=%q: want true or false", v)
		}
		c.PathStyle = b
	}
	if v := os.Getenv("AWS_MAX_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("AWS_MAX_ATTEMPTS=%q: want a positive integer", v)
		}
		c.MaxAttempts = n
	}
	return c, nil
}

// NewClient builds an S3 client: the default AWS chain overridden by what c sets,
// with a standard retryer (jittered exponential backoff; throttling, 5xx and
// connection errors are retried, other 4xx are not).
func NewClient(ctx context.Context, c Config) (*s3.Client, error) {
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 5
	}
	backoff := c.MaxBackoff
	if backoff <= 0 {
		backoff = 5 * time.Second
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = attempts
				o.MaxBackoff = backoff
				// A long batch must not run out of client-side retry tokens after
				// a blip; attempts per request are bounded anyway.
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	if c.AccessKey != "" && c.SecretKey != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(c.AccessKey, c.SecretKey, c.SessionToken)))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1" // local servers accept any region; AWS needs one to sign
	}
	return s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		o.UsePathStyle = c.PathStyle
		// Objects uploaded in parts have no whole-object checksum to validate;
		// the SDK would log a warning per GET.
		o.DisableLogOutputChecksumValidationSkipped = true
	}), nil
}

// Location is a bucket and a key prefix, from s3://bucket/prefix.
type Location struct {
	Bucket string
	Prefix string // "" or ends with "/"
}

// IsURL reports whether s names an s3:// location.
func IsURL(s string) bool { return strings.HasPrefix(s, "s3://") }

// ParseURL reads s3://bucket[/prefix]. The prefix is treated as a folder: a
// trailing "/" is added so s3://b/inbox does not also match inbox2/.
func ParseURL(s string) (Location, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return Location{}, fmt.Errorf("%q: want s3://bucket/prefix", s)
	}
	p := strings.TrimPrefix(u.Path, "/")
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return Location{Bucket: u.Host, Prefix: p}, nil
}

// URL is the s3:// URL of a key in the bucket.
func (l Location) URL(key string) string { return "s3://" + l.Bucket + "/" + key }

func (l Location) String() string { return "s3://" + l.Bucket + "/" + l.Prefix }
