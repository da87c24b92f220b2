package web

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// session is server-side state behind a random cookie. A session without a user is
// made for the login form, so that the form carries a CSRF token too; logging in
// replaces it with a new one (no session fixation).
type session struct {
	id      string
	csrf    string
	user    string
	created time.Time
	seen    time.Time
	flash   flash
}

// flash is a one-time message shown on the next page after a POST redirects.
type flash struct {
	Error bool
	Text  string
}

// sessions keeps sessions in memory: a restart logs everybody out, which is fine for
// a review page and keeps session ids out of the store.
type sessions struct {
	mu   sync.Mutex
	m    map[string]*session
	idle time.Duration // a session unused this long ends
	max  time.Duration // a session ends this long after login whatever its use
	now  func() time.Time
}

// maxAnonymous caps the sessions made for the login form, which anyone can make:
// past it the least recently used of them is dropped, so the map cannot be grown
// without bound by unauthenticated requests.
const maxAnonymous = 1000

func newSessions(idle, max time.Duration, now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, idle: idle, max: max, now: now}
}

// randomToken returns 256 random bits, hex-encoded.
func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never returns an error on Linux
	}
	return hex.EncodeToString(b[:])
}

// create starts a session for user ("" before login).
func (s *sessions) create(user string) *session {
	now := s.now()
	ss := &session{id: randomToken(), csrf: randomToken(), user: user, created: now, seen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	if user == "" {
		s.capAnonymousLocked()
	}
	s.m[ss.id] = ss
	return ss
}

func (s *sessions) capAnonymousLocked() {
	n, oldest := 0, ""
	for id, ss := range s.m {
		if ss.user != "" {
			continue
		}
		n++
		if oldest == "" || ss.seen.Before(s.m[oldest].seen) {
			oldest = id
		}
	}
	if n >= maxAnonymous {
		delete(s.m, oldest)
	}
}

// get returns the live session with this id and marks it used. It returns a copy:
// handlers change sessions only through the methods below.
func (s *sessions) get(id string) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[id]
	if !ok {
		return session{}, false
	}
	now := s.now()
	if s.expired(ss, now) {
		delete(s.m, id)
		return session{}, false
	}
	ss.seen = now
	return *ss, true
}

func (s *sessions) expired(ss *session, now time.Time) bool {
	return now.Sub(ss.seen) > s.idle || now.Sub(ss.created) > s.max
}

func (s *sessions) sweepLocked(now time.Time) {
	for id, ss := range s.m {
		if s.expired(ss, now) {
			delete(s.m, id)
		}
	}
}

func (s *sessions) delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

func (s *sessions) setFlash(id string, f flash) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss, ok := s.m[id]; ok {
		ss.flash = f
	}
}

// takeFlash returns the session's flash and clears it.
func (s *sessions) takeFlash(id string) flash {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[id]
	if !ok {
		return flash{}
	}
	f := ss.flash
	ss.flash = flash{}
	return f
}
