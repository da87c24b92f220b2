// Package web is the reviewers' page: log in, list manifests, read each row's rule and
// reasons, approve or reject rows with a note, and reveal special-category evidence to
// those whose role allows it, every reveal audited. Standard library HTTP and
// html/template, with templates and CSS embedded; the page runs no JavaScript.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/review"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Reviews is the part of *review.Service the page uses.
type Reviews interface {
	Manifests(ctx context.Context) ([]review.Manifest, error)
	Get(ctx context.Context, id string) (review.Manifest, error)
	Rows(ctx context.Context, manifestID string) ([]review.Row, error)
	Approve(ctx context.Context, manifestID string, rowIDs []string, reviewer, note string) (review.Outcome, error)
	ApproveUnflagged(ctx context.Context, manifestID, reviewer, note string) (review.Outcome, error)
	Reject(ctx context.Context, manifestID string, rowIDs []string, reviewer, note string) (review.Outcome, error)
}

// Evidence is one decrypted special-category finding about a subject.
type Evidence struct {
	Category, Condition, Text string
}

// AuditLog is where reveals are recorded.
type AuditLog interface {
	Append(ctx context.Context, e audit.Entry) error
}

// Config is what a Server needs.
type Config struct {
	// OpenStore opens the store for one request (see Store).
	OpenStore OpenStore
	Users     *Users
	// SecureCookies marks the session cookie Secure even on plain HTTP: set it when a
	// TLS proxy sits in front. Requests that arrive over TLS get Secure cookies anyway.
	SecureCookies bool
	SessionIdle   time.Duration // default 30 minutes
	SessionMax    time.Duration // default 12 hours
	Now           func() time.Time
	Logger        *slog.Logger
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	switch {
	case c.OpenStore == nil:
		return errors.New("web: no store opener")
	case c.Users == nil:
		return errors.New("web: no users")
	}
	return nil
}

// Server serves the page.
type Server struct {
	cfg      Config
	pages    map[string]*template.Template
	sessions *sessions
	limiter  *loginLimiter
	// writes serialises decisions and reveals, so that each request's audit entries
	// follow the state it read.
	writes  sync.Mutex
	handler http.Handler
}

// New checks cfg and builds the page's handler.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	if cfg.SessionMax == 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		pages:    pages,
		sessions: newSessions(cfg.SessionIdle, cfg.SessionMax, cfg.Now),
		limiter:  newLoginLimiter(5, 15*time.Minute, cfg.Now),
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.user(s.logout))
	mux.HandleFunc("GET /{$}", s.user(s.home))
	// Only the pages below open the store, each for its own duration (web/store.go).
	mux.HandleFunc("GET /manifests", s.user(s.needs(viewManifests, s.reading(s.manifestList))))
	mux.HandleFunc("GET /manifests/{id}", s.user(s.needs(viewManifests, s.reading(s.manifestView))))
	mux.HandleFunc("POST /manifests/{id}/decide", s.user(s.needs(decide, s.writing(s.decideRow))))
	mux.HandleFunc("POST /manifests/{id}/approve-unflagged", s.user(s.needs(decide, s.writing(s.approveUnflagged))))
	mux.HandleFunc("POST /manifests/{id}/reveal", s.user(s.needs(reveal, s.writing(s.revealRow))))
	// Browsers send Sec-Fetch-Site/Origin: a cross-site POST is refused before any
	// handler, on top of SameSite cookies and the CSRF token.
	return securityHeaders(http.NewCrossOriginProtection().Handler(mux))
}

// contentSecurityPolicy allows the page's own CSS and nothing else: no scripts at all,
// no framing, forms posting only to this origin.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		// Pages show people's data: keep them out of caches and the back-forward cache.
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the address login failures are counted against.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
