package jobs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// LockedError says another nightly holds the lock.
type LockedError struct {
	Path    string
	PID     int
	Host    string
	Started string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another cvetl nightly is running (pid %d on %s, started %s): it holds %s; wait for it to finish, or delete the file if that process is gone",
		e.PID, e.Host, e.Started, e.Path)
}

// LockPath is the nightly lock file for a store: <db>.nightly.lock.
func LockPath(db string) string { return db + ".nightly.lock" }

// Lock takes the nightly lock by creating path exclusively with this process's pid.
// A lock left by a process that is no longer running on this host is stale: it is
// removed and taken, and stale reports it. Release removes the lock if it is still ours.
func Lock(path string) (release func() error, stale bool, err error) {
	// The lock sits beside the store, whose folder a first run has not created yet.
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, false, err
	}
	host, _ := os.Hostname()
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			content := fmt.Sprintf("%d\n%s\n%s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
			_, werr := f.WriteString(content)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				os.Remove(path)
				return nil, false, fmt.Errorf("writing lock %s: %w", path, werr)
			}
			return func() error {
				if b, err := os.ReadFile(path); err == nil && string(b) == content {
					return os.Remove(path)
				}
				return nil
			}, stale, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, false, fmt.Errorf("taking lock %s: %w", path, err)
		}
		held, err := readLock(path)
		if err != nil {
			return nil, false, err
		}
		if held == nil {
			continue // released meanwhile: take it
		}
		// A pid we cannot read is a lock whose writer died before writing it.
		if held.PID <= 0 || (held.Host == host && !alive(held.PID)) {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, false, fmt.Errorf("removing stale lock %s: %w", path, err)
			}
			stale = true
			continue
		}
		return nil, false, held
	}
	return nil, false, fmt.Errorf("lock %s: taken by another process while removing a stale one", path)
}

func readLock(path string) (*LockedError, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading lock %s: %w", path, err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	held := &LockedError{Path: path}
	held.PID, _ = strconv.Atoi(strings.TrimSpace(lines[0]))
	if len(lines) > 1 {
		held.Host = lines[1]
	} else {
		held.Host, _ = os.Hostname()
	}
	if len(lines) > 2 {
		held.Started = lines[2]
	}
	return held, nil
}

// alive reports whether a process with this pid exists (signal 0 checks without sending).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
