package web

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/cvetl/cvetl/review"
)

func TestLoadUsersRefusesBadEntries(t *testing.T) {
	good, err := bcrypt.GenerateFromPassword([]byte("a long enough passphrase"), MinBcryptCost)
	if err != nil {
		t.Fatal(err)
	}
	weak, _ := bcrypt.GenerateFromPassword([]byte("a long enough passphrase"), bcrypt.MinCost)
	for _, tc := range []struct {
		name, yaml, wantErr string
	}{
		{"ok", `users: [{name: dana, role: reviewer, password_bcrypt: "` + string(good) + `"}]`, ""},
		{"no users", `users: []`, "no users"},
		{"unknown role", `users: [{name: dana, role: admin, password_bcrypt: "` + string(good) + `"}]`, `entry 1 (dana): role "admin" is not one of`},
		{"duplicate", `users: [{name: dana, role: reviewer, password_bcrypt: "` + string(good) + `"}, {name: dana, role: operator, password_bcrypt: "` + string(good) + `"}]`, "entry 2 (dana): the name is used twice"},
		{"plain password", `users: [{name: dana, role: reviewer, password_bcrypt: "hunter2"}]`, "entry 1 (dana): password_bcrypt is not a bcrypt hash"},
		{"weak cost", `users: [{name: dana, role: reviewer, password_bcrypt: "` + string(weak) + `"}]`, "cost 4, below the minimum 10"},
		{"no name", `users: [{role: reviewer, password_bcrypt: "` + string(good) + `"}]`, "entry 1: name is empty"},
		{"misspelt key", `users: [{name: dana, role: reviewer, password: "x"}]`, "field password not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "users.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			u, err := LoadUsers(path)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := u.Authenticate("dana", "a long enough passphrase"); !ok {
					t.Error("the right password is refused")
				}
				for _, wrong := range [][2]string{{"dana", "a long enough passphras"}, {"dan", "a long enough passphrase"}, {"dana", ""}} {
					if _, ok := u.Authenticate(wrong[0], wrong[1]); ok {
						t.Errorf("Authenticate(%q, %q) succeeded", wrong[0], wrong[1])
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want one naming %s and saying %q", err, path, tc.wantErr)
			}
		})
	}
}

func TestRoleMatrix(t *testing.T) {
	want := map[Role][]action{
		RoleReviewer:  {viewManifests, decide, reveal},
		RoleOperator:  {viewManifests},
		RoleAnalyst:   nil,
		Role("admin"): nil,
	}
	for role, allowed := range want {
		for _, a := range []action{viewManifests, decide, reveal} {
			if got := role.can(a); got != slices.Contains(allowed, a) {
				t.Errorf("%s can %d: %v", role, a, got)
			}
		}
	}
}

func TestSessionsExpire(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	s := newSessions(30*time.Minute, 2*time.Hour, func() time.Time { return now })
	a := s.create("dana")
	if len(a.id) != 64 || len(a.csrf) != 64 || a.id == a.csrf {
		t.Fatalf("session id %q and CSRF token %q are not two 256-bit values", a.id, a.csrf)
	}
	// Used every 20 minutes it lives until the absolute limit.
	for i := 0; i < 5; i++ {
		now = now.Add(20 * time.Minute)
		if _, ok := s.get(a.id); !ok {
			t.Fatalf("session ended after %d minutes of use", (i+1)*20)
		}
	}
	now = now.Add(21 * time.Minute) // 2h01 after login
	if _, ok := s.get(a.id); ok {
		t.Error("session outlived its absolute limit")
	}
	b := s.create("dana")
	now = now.Add(31 * time.Minute)
	if _, ok := s.get(b.id); ok {
		t.Error("session outlived its idle limit")
	}
}

func TestLoginLimiter(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(3, 15*time.Minute, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if !l.allowed("addr:a", "name:dana") {
			t.Fatalf("refused after %d failures", i)
		}
		l.fail("addr:a", "name:dana")
	}
	if l.allowed("addr:b", "name:dana") || l.allowed("addr:a", "name:omar") {
		t.Error("neither the name nor the address is locked after 3 failures")
	}
	if !l.allowed("addr:b", "name:omar") {
		t.Error("an unrelated address and name are locked")
	}
	now = now.Add(16 * time.Minute)
	if !l.allowed("addr:a", "name:dana") {
		t.Error("still locked after the window")
	}
}

func row(id, status string, flagged bool, rule, action, due string) review.Row {
	return review.Row{RowID: id, Status: status, ReviewRequired: flagged, Fields: []review.Field{
		{Name: "action", Value: action}, {Name: "rule", Value: rule}, {Name: "due_date", Value: due}}}
}

func TestRowQuery(t *testing.T) {
	rows := []review.Row{
		row("r1", review.Pending, false, "re-confirm", "request_consent", "2028-11-19"),
		row("r2", review.Approved, true, "erasure", "delete", "2026-11-23"),
		row("r3", review.Rejected, false, "unsuccessful-6m", "delete", "2027-01-01"),
		{RowID: "r4", Status: review.Pending}, // a kind without these fields
	}
	ids := func(rs []review.Row) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.RowID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct{ query, want string }{
		{"", "r1,r2,r3,r4"},
		{"flagged=1", "r2"},
		{"status=pending", "r1,r4"},
		{"q=DELETE", "r2,r3"},
		{"q=6m", "r3"},
		{"sort=due", "r2,r3,r1,r4"},
		{"sort=rule", "r2,r1,r3,r4"},
		{"sort=status", "r1,r4,r2,r3"},
		{"status=pending&sort=due", "r1,r4"},
	} {
		v, _ := url.ParseQuery(tc.query)
		q, err := parseRowQuery(v)
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if got := ids(q.apply(rows)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.query, got, tc.want)
		}
		if back := q.values().Encode(); back != v.Encode() {
			t.Errorf("%s: carried on as %q", tc.query, back)
		}
	}
	for _, bad := range []string{"q=jo%40example.com", "q=Jo+Bloggs", "status=done", "sort=name", "flagged=true"} {
		v, _ := url.ParseQuery(bad)
		if _, err := parseRowQuery(v); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestAnonymousSessionsAreCapped(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	s := newSessions(30*time.Minute, 2*time.Hour, func() time.Time { return now })
	user := s.create("dana")
	first := s.create("")
	for i := 0; i < maxAnonymous+50; i++ {
		now = now.Add(time.Millisecond)
		s.create("")
	}
	if len(s.m) != maxAnonymous+1 {
		t.Errorf("%d sessions, want %d login-form sessions and the user's", len(s.m), maxAnonymous)
	}
	if _, ok := s.get(user.id); !ok {
		t.Error("a logged-in session was dropped to make room for login forms")
	}
	if _, ok := s.get(first.id); ok {
		t.Error("the oldest login-form session was kept")
	}
}
