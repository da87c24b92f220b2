package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/review"
	"github.com/cvetl/cvetl/web"
)

// serveBusyWait is how long a page request waits for a store another process holds
// before the page answers 503.
const serveBusyWait = 2 * time.Second

// servedStore opens the store (with its key store, and the audit log for writes) for
// the page's requests and closes it as soon as none is in flight, so that the nightly
// job and other cvetl commands can open it between requests: DuckDB lets one process
// at a time open a file. Requests in flight together share one handle, because opening
// the same file twice in one process is not safe.
type servedStore struct {
	g       globals
	options review.Options
	wait    time.Duration

	mu     sync.Mutex
	inUse  int
	st     *openedStore
	log    *audit.Log // opened by the first write request of each opening
	pseudo *audit.Pseudonymizer
}

// open is a web.OpenStore.
func (s *servedStore) open(ctx context.Context, forWrite bool) (*web.Store, func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st == nil {
		st, err := retryWhileBusy(ctx, s.wait, func() (*openedStore, error) { return openStoreOnce(ctx, s.g, false) })
		if storeBusy(err) {
			return nil, nil, fmt.Errorf("%w: %v", web.ErrStoreBusy, err)
		}
		if err != nil {
			return nil, nil, err
		}
		s.st = st
	}
	s.inUse++
	if forWrite && s.log == nil {
		log, pseudo, err := openAudit(ctx, s.g, s.st)
		if err != nil {
			s.releaseLocked()
			return nil, nil, err
		}
		s.log, s.pseudo = log, pseudo
	}
	st := s.st
	out := &web.Store{
		Reviews: review.New(st.DB(), s.log, s.pseudo, s.options),
		Evidence: func(ctx context.Context, subjectID string) ([]web.Evidence, error) {
			ev, err := st.SubjectEvidence(ctx, subjectID)
			out := make([]web.Evidence, len(ev))
			for i, e := range ev {
				out[i] = web.Evidence{Category: string(e.Category), Condition: e.Condition, Text: e.Evidence}
			}
			return out, err
		},
	}
	if forWrite {
		out.Audit, out.Pseudonym = s.log, s.pseudo.Of
	}
	var once sync.Once
	return out, func() { once.Do(s.release) }, nil
}

func (s *servedStore) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked()
}

// releaseLocked ends one request's use and closes the store when it was the last.
func (s *servedStore) releaseLocked() {
	s.inUse--
	if s.inUse > 0 {
		return
	}
	if err := s.st.Close(); err != nil {
		slog.Error("serve: closing the store", "err", err)
	}
	s.st, s.log, s.pseudo = nil, nil, nil
}
