// Package s3test runs a real S3-compatible server (versitygw) on 127.0.0.1 for
// tests. It finds versitygw on PATH or in $(go env GOPATH)/bin and otherwise
// installs it once with `go install` (~90 s cold), so tests never skip for want of it.
package s3test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	s3store "github.com/cvetl/cvetl/sinks/s3"
)

// Version is the versitygw release the tests use.
const Version = "v1.8.0"

const (
	AccessKey = "cvetltestkey"
	SecretKey = "cvetltestsecret0123456789"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary returns the versitygw executable, installing it if needed.
func Binary() (string, error) {
	binOnce.Do(func() {
		if p, err := exec.LookPath("versitygw"); err == nil {
			binPath = p
			return
		}
		gopath, err := exec.Command("go", "env", "GOPATH").Output()
		if err != nil {
			binErr = fmt.Errorf("go env GOPATH: %w", err)
			return
		}
		p := filepath.Join(strings.TrimSpace(strings.Split(string(gopath), string(os.PathListSeparator))[0]), "bin", "versitygw")
		if _, err := os.Stat(p); err == nil {
			binPath = p
			return
		}
		cmd := exec.Command("go", "install", "github.com/versity/versitygw/cmd/versitygw@"+Version)
		// Outside our module: our go.mod and -mod=readonly must not apply.
		cmd.Dir = os.TempDir()
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=on")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("installing versitygw %s: %v\n%s", Version, err, out)
			return
		}
		binPath = p
	})
	return binPath, binErr
}

// Server is one versitygw process serving a temp folder.
type Server struct {
	Endpoint string
	Dir      string
	addr     string
	sidecar  string
	versions string // --versioning-dir, when bucket versioning is on
	cmd      *exec.Cmd
	exited   chan struct{}
	c        *s3.Client
}

// Start runs a server on a free port, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, &Server{Dir: t.TempDir()})
}

// StartVersioned runs a server that supports bucket versioning (versitygw keeps old
// versions in --versioning-dir); Versioned turns it on for a bucket.
func StartVersioned(t testing.TB) *Server {
	t.Helper()
	return start(t, &Server{Dir: t.TempDir(), versions: t.TempDir()})
}

func start(t testing.TB, s *Server) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	s.addr = freeAddr(t)
	s.Endpoint = "http://" + s.addr
	if err := s.start(bin); err != nil {
		// The posix backend keeps metadata in xattrs; without them use a sidecar.
		s.sidecar = t.TempDir()
		if err2 := s.start(bin); err2 != nil {
			t.Fatalf("starting versitygw: %v; with --sidecar: %v", err, err2)
		}
	}
	t.Cleanup(s.Stop)
	return s
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func (s *Server) start(bin string) error {
	args := []string{"--access", AccessKey, "--secret", SecretKey, "--port", s.addr, "--quiet", "posix"}
	if s.sidecar != "" {
		args = append(args, "--sidecar", s.sidecar)
	}
	if s.versions != "" {
		args = append(args, "--versioning-dir", s.versions)
	}
	args = append(args, s.Dir)
	cmd := exec.Command(bin, args...)
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.cmd, s.exited = cmd, exited
	// Ready when a bucket can be created and removed (xattr failures show here).
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("versitygw exited: %s", errb.String())
		default:
		}
		if err := s.probe(); err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	return fmt.Errorf("versitygw not ready after 15 s: %s", errb.String())
}

func (s *Server) probe() error {
	c, err := s.client(1)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	b := aws.String("cvetl-probe")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		return err
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("p"), Body: strings.NewReader("x")}); err != nil {
		return err
	}
	_, _ = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("p")})
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	return err
}

// Stop kills the server (as a crash would) and waits for it to go.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// Restart starts the server again on the same port and folder.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.start(bin); err != nil {
		t.Fatal(err)
	}
}

// Config is the client configuration for this server.
func (s *Server) Config() s3store.Config {
	return s3store.Config{Endpoint: s.Endpoint, Region: "us-east-1", PathStyle: true, AccessKey: AccessKey, SecretKey: SecretKey, MaxAttempts: 3, MaxBackoff: 200 * time.Millisecond}
}

func (s *Server) client(attempts int) (*s3.Client, error) {
	c := s.Config()
	c.MaxAttempts = attempts
	return s3store.NewClient(context.Background(), c)
}

// Client is an S3 client for this server.
func (s *Server) Client(t testing.TB) *s3.Client {
	t.Helper()
	if s.c != nil {
		return s.c
	}
	c, err := s3store.NewClient(context.Background(), s.Config())
	if err != nil {
		t.Fatal(err)
	}
	s.c = c
	return c
}

// Env is what a cvetl process needs to reach this server with no config file.
func (s *Server) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL_S3=" + s.Endpoint, "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=" + AccessKey, "AWS_SECRET_ACCESS_KEY=" + SecretKey,
		"CVETL_S3_PATH_STYLE=true", "AWS_MAX_ATTEMPTS=3",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
}

// Bucket creates a bucket.
func (s *Server) Bucket(t testing.TB, name string) {
	t.Helper()
	if _, err := s.Client(t).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

// Versioned turns on versioning for a bucket (the server must come from StartVersioned).
func (s *Server) Versioned(t testing.TB, bucket string) {
	t.Helper()
	_, err := s.Client(t).PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{
		Bucket:                  aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Put stores an object.
func (s *Server) Put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	_, err := s.Client(t).PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(string(data))})
	if err != nil {
		t.Fatal(err)
	}
}

// UploadDir copies every file under dir to s3://bucket/prefix, keeping relative paths.
func (s *Server) UploadDir(t testing.TB, dir, bucket, prefix string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s.Put(t, bucket, prefix+filepath.ToSlash(rel), data)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
