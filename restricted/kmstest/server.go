// Package kmstest runs a real KMS-compatible server (nsmithuk/local-kms) for tests and
// points the AWS chain of the test process at it. The binary comes from `make
// local-kms`; without it tests fail saying so, they never skip.
package kmstest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// Region is the region the server and its clients use.
const Region = "eu-west-2"

// Server is one local-kms process with its own data folder.
type Server struct {
	Endpoint string
	Client   *kms.Client
}

// Binary finds local-kms on PATH or in $(go env GOPATH)/bin.
func Binary() (string, error) {
	if p, err := exec.LookPath("local-kms"); err == nil {
		return p, nil
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		gopath := strings.Split(strings.TrimSpace(string(out)), string(os.PathListSeparator))[0]
		p := filepath.Join(gopath, "bin", "local-kms")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("local-kms is not on PATH or in $(go env GOPATH)/bin: run `make local-kms`")
}

var listening = regexp.MustCompile(`Local KMS started on [0-9.]*:(\d+)`)

// Start runs a server on a free port (local-kms binds all interfaces; the clients use
// 127.0.0.1), sets AWS_ENDPOINT_URL_KMS, AWS_REGION and dummy credentials for the
// rest of the test, and stops the server when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"PORT=0", // the server picks a free port and logs it
		"KMS_REGION="+Region,
		"KMS_ACCOUNT_ID=111122223333",
		"KMS_DATA_PATH="+t.TempDir(),
		"KMS_SEED_PATH="+filepath.Join(t.TempDir(), "no-seed.yaml"),
	)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting local-kms: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); pw.Close() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	port := make(chan string, 1)
	var logTail []string
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				port <- m[1]
			} else if len(logTail) < 20 {
				logTail = append(logTail, sc.Text())
			}
		}
		close(port)
	}()
	var p string
	select {
	case got, ok := <-port:
		if !ok {
			t.Fatalf("local-kms exited before listening:\n%s", strings.Join(logTail, "\n"))
		}
		p = got
	case <-time.After(20 * time.Second):
		t.Fatal("local-kms did not start listening within 20 s")
	}
	s := &Server{Endpoint: "http://127.0.0.1:" + p}
	t.Setenv("AWS_ENDPOINT_URL_KMS", s.Endpoint)
	t.Setenv("AWS_REGION", Region)
	t.Setenv("AWS_ACCESS_KEY_ID", "cvetltestkey")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "cvetltestsecret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	// Keep the machine's own AWS files and instance metadata out of the test.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	s.Client = kms.New(kms.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("cvetltestkey", "cvetltestsecret", ""),
	})
	return s
}

// CreateKey makes a symmetric encryption key and returns its key id.
func (s *Server) CreateKey(t testing.TB) string {
	t.Helper()
	out, err := s.Client.CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		t.Fatalf("creating a KMS key: %v", err)
	}
	return *out.KeyMetadata.KeyId
}

// CreateAlias points alias/<name> at keyID and returns the alias name.
func (s *Server) CreateAlias(t testing.TB, name, keyID string) string {
	t.Helper()
	alias := "alias/" + name
	if _, err := s.Client.CreateAlias(context.Background(), &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: aws.String(keyID)}); err != nil {
		t.Fatalf("creating KMS alias: %v", err)
	}
	return alias
}

// DisableKey disables keyID.
func (s *Server) DisableKey(t testing.TB, keyID string) {
	t.Helper()
	if _, err := s.Client.DisableKey(context.Background(), &kms.DisableKeyInput{KeyId: aws.String(keyID)}); err != nil {
		t.Fatalf("disabling KMS key: %v", err)
	}
}
