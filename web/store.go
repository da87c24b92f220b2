package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
)

// Store is the store as one request sees it. The server opens it for each request that
// needs it and closes it after, because DuckDB lets one process at a time open the file:
// between requests the nightly job and other cvetl commands can use it.
type Store struct {
	Reviews Reviews
	// Evidence decrypts a subject's special-category evidence, for a reveal.
	Evidence func(ctx context.Context, subjectID string) ([]Evidence, error)
	// Audit records reveals; set only when the store is opened for writing.
	Audit AuditLog
	// Pseudonym names a subject in the audit log (a keyed pseudonym, never the id); set
	// only when the store is opened for writing.
	Pseudonym func(subjectID string) string
}

// OpenStore opens the store for one request; forWrite asks for the audit log too.
// release must be called once the request is done with it. An error wrapping
// ErrStoreBusy means another process holds the store.
type OpenStore func(ctx context.Context, forWrite bool) (st *Store, release func(), err error)

// ErrStoreBusy is wrapped by OpenStore's error when another process (the nightly job,
// another cvetl command) holds the store.
var ErrStoreBusy = errors.New("the store is in use by another process")

// busyRetryAfter is how long a client is told to wait when the store is busy.
const busyRetryAfter = 60

const busyMessage = "The nightly job or another cvetl command is using the store; try again in a minute. Nothing was changed by this request."

type storeKey struct{}

// storeOf returns the store opened for the request by reading or writing.
func storeOf(ctx context.Context) *Store { return ctx.Value(storeKey{}).(*Store) }

// reading opens the store, without the audit log, for the duration of next.
func (s *Server) reading(next http.HandlerFunc) http.HandlerFunc { return s.withStore(false, next) }

// writing opens the store with the audit log for the duration of next.
func (s *Server) writing(next http.HandlerFunc) http.HandlerFunc { return s.withStore(true, next) }

func (s *Server) withStore(forWrite bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, release, err := s.cfg.OpenStore(r.Context(), forWrite)
		if errors.Is(err, ErrStoreBusy) {
			s.cfg.Logger.Warn("web: store busy", "path", r.URL.Path, "err", err)
			w.Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
			s.fail(w, r, http.StatusServiceUnavailable, busyMessage)
			return
		}
		if err != nil {
			s.storeFailed(w, r, err)
			return
		}
		// The response is held back until the store is closed, so a client that has
		// it can run a cvetl command on the store at once.
		held := &heldResponse{header: w.Header(), status: http.StatusOK}
		func() {
			defer release()
			next(held, r.WithContext(context.WithValue(r.Context(), storeKey{}, st)))
		}()
		w.WriteHeader(held.status)
		_, _ = w.Write(held.body.Bytes())
	}
}

// heldResponse collects a response in memory. Headers go straight to the real
// response's header map, which is sent only when the status is written.
type heldResponse struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if !h.wrote {
		h.status, h.wrote = status, true
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	h.wrote = true
	return h.body.Write(b)
}
