package web

import (
	"sync"
	"time"
)

// loginLimiter slows password guessing: after maxFailures failed logins from one
// client address, or for one user name, within window, further attempts are refused
// until the window has passed since the first of them.
type loginLimiter struct {
	mu          sync.Mutex
	maxFailures int
	window      time.Duration
	now         func() time.Time
	failures    map[string][]time.Time
}

func newLoginLimiter(maxFailures int, window time.Duration, now func() time.Time) *loginLimiter {
	return &loginLimiter{maxFailures: maxFailures, window: window, now: now, failures: map[string][]time.Time{}}
}

// allowed reports whether none of the keys is locked out.
func (l *loginLimiter) allowed(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if len(l.recentLocked(k)) >= l.maxFailures {
			return false
		}
	}
	return true
}

// maxTracked bounds the keys kept; past it the expired ones are dropped first.
const maxTracked = 10000

func (l *loginLimiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) > maxTracked {
		for k := range l.failures {
			l.recentLocked(k)
		}
	}
	for _, k := range keys {
		l.failures[k] = append(l.recentLocked(k), l.now())
	}
}

// succeed forgets the failures of a user name; the address's stay, so that one good
// account does not reset guessing at others.
func (l *loginLimiter) succeed(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

func (l *loginLimiter) recentLocked(key string) []time.Time {
	cut := l.now().Add(-l.window)
	kept := l.failures[key][:0]
	for _, t := range l.failures[key] {
		if t.After(cut) {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = kept
	return kept
}
