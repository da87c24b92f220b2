package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/review"
	"github.com/cvetl/cvetl/web"
)

func init() {
	register(command{name: "serve", usage: "serve [--addr HOST:PORT] --users FILE | serve hash-password",
		summary: "the reviewers' web page (docs/web.md); hash-password makes a users-file entry", run: runServe})
}

const serveUsage = `usage:
  cvetl serve [--addr 127.0.0.1:8080] --users FILE [--secure-cookies] [--tls-cert FILE --tls-key FILE]
  cvetl serve hash-password < password    (prints a bcrypt hash for the users file)`

func runServe(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) > 0 && args[0] == "hash-password" {
		return hashPassword(os.Stdin, stdout, args[1:])
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	usersFile := fs.String("users", "", "YAML file of users, roles and bcrypt password hashes")
	secureCookies := fs.Bool("secure-cookies", false, "mark session cookies Secure: set this behind a TLS-terminating proxy")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM)")
	tlsKey := fs.String("tls-key", "", "the certificate's private key (PEM)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *usersFile == "" || (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintln(os.Stderr, serveUsage)
		return exitPartial
	}
	users, err := web.LoadUsers(*usersFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl serve:", err)
		return exitPartial
	}
	handler, err := newWebServer(ctx, g, users, *secureCookies)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl serve:", err)
		return exitFailed
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl serve:", err)
		return exitFailed
	}
	tls := *tlsCert != ""
	if !tls && !*secureCookies && !isLoopback(ln.Addr()) {
		fmt.Fprintln(os.Stderr, "cvetl serve: warning: listening beyond this machine over plain HTTP; put it behind a TLS proxy and pass --secure-cookies, or use --tls-cert/--tls-key")
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "serving the review page on %s://%s (Ctrl-C stops)\n", scheme, ln.Addr())
	done := make(chan error, 1)
	go func() {
		if tls {
			done <- srv.ServeTLS(ln, *tlsCert, *tlsKey)
		} else {
			done <- srv.Serve(ln)
		}
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = srv.Shutdown(shut)
		cancel()
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "cvetl serve:", err)
		return exitFailed
	}
	return exitOK
}

// newWebServer builds the review page. It opens the store only for the requests that
// need it (servedStore): decisions through the review service, reveals from the
// restricted store, both audited in the store's audit log.
func newWebServer(ctx context.Context, g globals, users *web.Users, secureCookies bool) (*web.Server, error) {
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, err
	}
	stores := &servedStore{g: g, options: review.Options{FourEyes: cfg.Review.FourEyesSpecial}, wait: serveBusyWait}
	// Open the store once to catch a wrong path or master key now, not at the first
	// request. A busy store is no reason not to start: the nightly job may be running.
	if _, release, err := stores.open(ctx, true); errors.Is(err, web.ErrStoreBusy) {
		slog.Warn("serve: the store is in use by another process; pages answer 503 until it is free")
	} else if err != nil {
		return nil, err
	} else {
		release()
	}
	return web.New(web.Config{
		OpenStore:     stores.open,
		Users:         users,
		SecureCookies: secureCookies,
		Logger:        slog.Default(),
	})
}

var _ web.AuditLog = (*audit.Log)(nil)

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// hashPassword reads one password line from stdin and prints its bcrypt hash, so the
// password is never a command-line argument (visible in ps and shell history).
func hashPassword(stdin io.Reader, stdout io.Writer, args []string) int {
	fs := flag.NewFlagSet("serve hash-password", flag.ContinueOnError)
	cost := fs.Int("cost", 12, "bcrypt cost (at least 10)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, serveUsage)
		return exitPartial
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintln(os.Stderr, "cvetl serve hash-password: reading the password:", err)
		return exitFailed
	}
	hash, err := web.HashPassword(strings.TrimRight(line, "\r\n"), *cost)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl serve hash-password:", err)
		return exitPartial
	}
	fmt.Fprintln(stdout, hash)
	return exitOK
}
