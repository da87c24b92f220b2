package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/review"
	"github.com/cvetl/cvetl/sinks/duckstore"
	"github.com/cvetl/cvetl/web"
)

// The review page's tests run it over a real store: the sample inbox ingested with the
// binary, the sample events imported, and the nightly jobs run as of a date when many
// rules are due, so the deletion manifest has flagged, unflagged and special rows; then
// one more event and the nightly again, so that an older manifest is superseded.

const (
	webAsOf     = "2029-06-01"
	webPolicy   = "121-recruitment"
	webPassword = "correct horse battery staple"
)

var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

// demoStoreTemplate builds the demo store once per test binary.
func demoStoreTemplate(t testing.TB) string {
	t.Helper()
	demoOnce.Do(func() {
		demoDir = filepath.Join(filepath.Dir(binary), "demo-store")
		db := filepath.Join(demoDir, "cvetl.duckdb")
		out := filepath.Join(demoDir, "out")
		if demoErr = os.MkdirAll(demoDir, 0o700); demoErr != nil {
			return
		}
		steps := [][]string{
			{"--config", demoConfig, "--db", db, "--out", out, "ingest", inbox},
			{"--db", db, "events", "import", "../../testdata/events.jsonl"},
			{"--db", db, "--out", out, "nightly", "--as-of", webAsOf, "--policy", webPolicy},
			// A hold arrives and the nightly runs again: the first manifest is superseded.
			{"--db", db, "events", "import", "../../testdata/web/late-events.jsonl"},
			{"--db", db, "--out", out, "nightly", "--as-of", webAsOf, "--policy", webPolicy},
		}
		for i, args := range steps {
			r := cvetl(t, args...)
			// The sample events file has two bad lines on purpose: exit 1 is expected.
			if r.code != 0 && !(i == 1 && r.code == 1) {
				demoErr = fmt.Errorf("cvetl %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
				return
			}
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoDir
}

// webEnv is the review page served over a private copy of the demo store.
type webEnv struct {
	g          globals
	srv        *httptest.Server
	manifest   string // the current manifest
	superseded string // the one it superseded
	rows       []review.Row
}

var (
	usersOnce sync.Once
	usersYAML string
)

func writeUsers(t *testing.T, dir string) string {
	t.Helper()
	usersOnce.Do(func() {
		h, err := bcrypt.GenerateFromPassword([]byte(webPassword), bcrypt.DefaultCost)
		if err != nil {
			panic(err)
		}
		usersYAML = fmt.Sprintf("users:\n  - {name: dana, role: reviewer, password_bcrypt: %q}\n"+
			"  - {name: rui, role: reviewer, password_bcrypt: %q}\n"+
			"  - {name: omar, role: operator, password_bcrypt: %q}\n"+
			"  - {name: ana, role: analyst, password_bcrypt: %q}\n", h, h, h, h)
	})
	path := filepath.Join(dir, "users.yaml")
	if err := os.WriteFile(path, []byte(usersYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newWebEnv(t *testing.T, secureCookies bool) *webEnv {
	t.Helper()
	return newWebEnvConfig(t, secureCookies, "")
}

// copyDemoStore copies the demo store's files (store, key store, master key, audit
// log) into a fresh directory.
func copyDemoStore(t testing.TB) string {
	t.Helper()
	from := demoStoreTemplate(t)
	dir := t.TempDir()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// newWebEnvConfig serves the page with a cvetl config file holding configYAML.
func newWebEnvConfig(t *testing.T, secureCookies bool, configYAML string) *webEnv {
	t.Helper()
	dir := copyDemoStore(t)
	ctx := context.Background()
	var err error
	env := &webEnv{g: globals{DB: filepath.Join(dir, "cvetl.duckdb"), Out: filepath.Join(dir, "out")}}
	if configYAML != "" {
		env.g.Config = filepath.Join(dir, "cvetl.yaml")
		if err := os.WriteFile(env.g.Config, []byte(configYAML), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	users, err := web.LoadUsers(writeUsers(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	handler, err := newWebServer(ctx, env.g, users, secureCookies)
	if err != nil {
		t.Fatal(err)
	}
	env.srv = httptest.NewServer(handler)
	t.Cleanup(env.srv.Close)
	var all, ms []review.Manifest
	env.withStore(t, func(st *openedStore) { all, err = review.New(st.DB(), nil, nil, review.Options{}).Manifests(ctx) })
	for _, m := range all { // nightly also writes notices and matches manifests
		if m.Kind == "deletion" {
			ms = append(ms, m)
		}
	}
	if err != nil || len(ms) != 2 || ms[0].SupersededBy != "" || ms[1].SupersededBy != ms[0].ID {
		t.Fatalf("demo store: want a current and a superseded manifest, got %+v, %v", ms, err)
	}
	env.manifest, env.superseded = ms[0].ID, ms[1].ID
	env.refreshRows(t)
	return env
}

// withStore opens the store for fn and closes it after: the server opens it per
// request, and one process must not hold two handles on the file.
func (env *webEnv) withStore(t *testing.T, fn func(st *openedStore)) {
	t.Helper()
	st, err := openStore(context.Background(), env.g, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(st)
}

func (env *webEnv) refreshRows(t *testing.T) {
	t.Helper()
	var err error
	env.withStore(t, func(st *openedStore) {
		env.rows, err = review.New(st.DB(), nil, nil, review.Options{}).Rows(context.Background(), env.manifest)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pick returns the first row matching keep.
func (env *webEnv) pick(t *testing.T, what string, keep func(review.Row) bool) review.Row {
	t.Helper()
	i := slices.IndexFunc(env.rows, keep)
	if i < 0 {
		t.Fatalf("the demo manifest has no %s row", what)
	}
	return env.rows[i]
}

type decisionRow struct{ Row, Decision, Reviewer, Note string }

func (env *webEnv) decisions(t *testing.T) []decisionRow {
	t.Helper()
	var out []decisionRow
	env.withStore(t, func(st *openedStore) {
		rows, err := st.DB().Query(`SELECT row_id, decision, reviewer, coalesce(note, '') FROM decisions
		    WHERE manifest_id = ? ORDER BY decided_at, row_id`, env.manifest)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var d decisionRow
			if err := rows.Scan(&d.Row, &d.Decision, &d.Reviewer, &d.Note); err != nil {
				t.Fatal(err)
			}
			out = append(out, d)
		}
	})
	return out
}

// auditEntries verifies the audit log against the store's anchor and returns it.
func (env *webEnv) auditEntries(t *testing.T) []audit.Entry {
	t.Helper()
	path := auditLogPath(env.g.DB)
	var res audit.Result
	var err error
	env.withStore(t, func(st *openedStore) { res, err = audit.Verify(context.Background(), path, st.Store) })
	if err != nil && !os.IsNotExist(err) {
		t.Fatalf("audit log does not verify: %v", err)
	}
	b, _ := os.ReadFile(path)
	var out []audit.Entry
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		var e audit.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if int64(len(out)) != res.Entries {
		t.Fatalf("audit log has %d lines, Verify counted %d", len(out), res.Entries)
	}
	return out
}

// browser is one user's cookie jar; it does not follow redirects, so tests see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (env *webEnv) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: env.srv.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	code     int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(method, path string, form url.Values) response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	all, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header.Get("Location"), string(all), resp.Header}
}

func (b *browser) get(path string) response { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values) response {
	return b.do(http.MethodPost, path, form)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

// csrf returns the CSRF token of the forms on a page.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	r := b.get(path)
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("GET %s (%d): no CSRF token on the page", path, r.code)
	}
	return m[1]
}

func (env *webEnv) login(t *testing.T, name string) *browser {
	t.Helper()
	b := env.browser(t)
	r := b.post("/login", url.Values{"csrf": {b.csrf("/login")}, "name": {name}, "password": {webPassword}})
	if r.code != http.StatusSeeOther || r.location != "/" {
		t.Fatalf("login as %s: %d %s", name, r.code, r.location)
	}
	return b
}

func (env *webEnv) path(suffix string) string { return "/manifests/" + env.manifest + suffix }

func TestWebRefusesUnauthenticatedRequests(t *testing.T) {
	env := newWebEnv(t, false)
	row := env.pick(t, "unflagged", func(r review.Row) bool { return !r.ReviewRequired })
	b := env.browser(t)
	for _, p := range []string{"/", "/manifests", env.path("")} {
		if r := b.get(p); r.code != http.StatusSeeOther || r.location != "/login" {
			t.Errorf("GET %s without logging in: %d %q, want a redirect to /login", p, r.code, r.location)
		}
	}
	// A session cookie the server never issued is no session.
	u, _ := url.Parse(env.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "cvetl_session", Value: strings.Repeat("ab", 32)}})
	if r := b.get("/manifests"); r.code != http.StatusSeeOther {
		t.Errorf("GET /manifests with a made-up session: %d, want 303", r.code)
	}
	form := url.Values{"row": {row.RowID}, "decision": {"approve"}, "csrf": {strings.Repeat("ab", 32)}}
	for _, p := range []string{env.path("/decide"), env.path("/approve-unflagged"), env.path("/reveal")} {
		if r := b.post(p, form); r.code != http.StatusUnauthorized {
			t.Errorf("POST %s without logging in: %d, want 401", p, r.code)
		}
	}
	if d := env.decisions(t); len(d) != 0 {
		t.Errorf("decisions recorded without a login: %+v", d)
	}
	if e := env.auditEntries(t); len(e) != 0 {
		t.Errorf("audit entries written without a login: %+v", e)
	}
}

func TestWebRolesWithoutDecideAreRefused(t *testing.T) {
	env := newWebEnv(t, false)
	row := env.pick(t, "unflagged", func(r review.Row) bool { return !r.ReviewRequired })
	special := env.pick(t, "special-category", func(r review.Row) bool { return r.Special })

	operator := env.login(t, "omar")
	page := operator.get(env.path(""))
	if page.code != http.StatusOK || !strings.Contains(page.body, row.RowID) {
		t.Fatalf("an operator may view the manifest: %d", page.code)
	}
	for _, control := range []string{`value="approve"`, `id="approve-unflagged"`, `class="reveal"`} {
		if strings.Contains(page.body, control) {
			t.Errorf("the operator's page offers %s", control)
		}
	}
	token := operator.csrf(env.path(""))
	for p, form := range map[string]url.Values{
		env.path("/decide"):            {"csrf": {token}, "row": {row.RowID}, "decision": {"approve"}},
		env.path("/approve-unflagged"): {"csrf": {token}},
		env.path("/reveal"):            {"csrf": {token}, "row": {special.RowID}},
	} {
		if r := operator.post(p, form); r.code != http.StatusForbidden {
			t.Errorf("operator POST %s: %d, want 403", p, r.code)
		}
	}

	analyst := env.login(t, "ana")
	for _, p := range []string{"/manifests", env.path("")} {
		if r := analyst.get(p); r.code != http.StatusForbidden {
			t.Errorf("analyst GET %s: %d, want 403", p, r.code)
		}
	}
	home := analyst.get("/")
	if home.code != http.StatusOK || strings.Contains(home.body, env.manifest) {
		t.Errorf("analyst home: %d, mentions the manifest: %v", home.code, strings.Contains(home.body, env.manifest))
	}
	token = analyst.csrf("/")
	if r := analyst.post(env.path("/decide"), url.Values{"csrf": {token}, "row": {row.RowID}, "decision": {"approve"}}); r.code != http.StatusForbidden {
		t.Errorf("analyst approve: %d, want 403", r.code)
	}
	if d := env.decisions(t); len(d) != 0 {
		t.Errorf("decisions recorded by roles that may not decide: %+v", d)
	}
	if e := env.auditEntries(t); len(e) != 0 {
		t.Errorf("audit entries written by refused requests: %+v", e)
	}
}

func TestWebRefusesFormsWithoutTheSessionsCSRFToken(t *testing.T) {
	env := newWebEnv(t, false)
	row := env.pick(t, "unflagged", func(r review.Row) bool { return !r.ReviewRequired })
	dana := env.login(t, "dana")
	other := env.login(t, "rui").csrf("/manifests") // a real token, of another session
	own := dana.csrf("/manifests")
	changed := own[:63] + map[bool]string{true: "1", false: "0"}[own[63] == '0']
	for name, token := range map[string][]string{
		"no token":                      nil,
		"empty token":                   {""},
		"wrong token":                   {strings.Repeat("0", 64)},
		"another session's token":       {other},
		"own token, last digit changed": {changed},
	} {
		form := url.Values{"row": {row.RowID}, "decision": {"approve"}, "note": {"forged"}}
		if token != nil {
			form["csrf"] = token
		}
		for _, p := range []string{env.path("/decide"), env.path("/approve-unflagged")} {
			if r := dana.post(p, form); r.code != http.StatusForbidden {
				t.Errorf("%s: POST %s: %d, want 403", name, p, r.code)
			}
		}
	}
	// The login form carries a token too.
	fresh := env.browser(t)
	if r := fresh.post("/login", url.Values{"name": {"dana"}, "password": {webPassword}}); r.code != http.StatusForbidden {
		t.Errorf("login without a CSRF token: %d, want 403", r.code)
	}
	if d := env.decisions(t); len(d) != 0 {
		t.Errorf("forged forms recorded decisions: %+v", d)
	}
}

func TestWebDecisionsLandInTheStoreAndTheAuditLog(t *testing.T) {
	env := newWebEnv(t, false)
	approveRow := env.pick(t, "flagged", func(r review.Row) bool { return r.ReviewRequired })
	rejectRow := env.pick(t, "unflagged", func(r review.Row) bool { return !r.ReviewRequired })
	dana := env.login(t, "dana")
	token := dana.csrf(env.path(""))

	r := dana.post(env.path("/decide"), url.Values{"csrf": {token}, "row": {approveRow.RowID}, "decision": {"approve"},
		"note": {"checked the erasure request"}, "flagged": {"1"}})
	if r.code != http.StatusSeeOther || r.location != env.path("?flagged=1") {
		t.Fatalf("approve: %d %q, want a redirect back to the filtered view", r.code, r.location)
	}
	if page := dana.get(r.location); !strings.Contains(page.body, "Approved 1 row(s): 1 now approved.") {
		t.Errorf("the page after approving does not say what happened")
	}
	// A rejection needs a reason; the refusal is shown and nothing is recorded.
	r = dana.post(env.path("/decide"), url.Values{"csrf": {token}, "row": {rejectRow.RowID}, "decision": {"reject"}})
	if page := dana.get(r.location); !strings.Contains(page.body, "a rejection needs a note") {
		t.Errorf("a rejection without a note was not refused on the page")
	}
	dana.post(env.path("/decide"), url.Values{"csrf": {token}, "row": {rejectRow.RowID}, "decision": {"reject"},
		"note": {"placement ongoing, keep"}})

	want := []decisionRow{
		{approveRow.RowID, "approve", "dana", "checked the erasure request"},
		{rejectRow.RowID, "reject", "dana", "placement ongoing, keep"},
	}
	if got := env.decisions(t); !slices.Equal(got, want) {
		t.Errorf("decisions:\n got %+v\nwant %+v", got, want)
	}
	entries := env.auditEntries(t)
	if len(entries) != 2 {
		t.Fatalf("%d audit entries, want 2: %+v", len(entries), entries)
	}
	for i, e := range entries {
		if e.Actor != "dana" || e.Action != want[i].Decision || e.Manifest != env.manifest || e.Row != want[i].Row {
			t.Errorf("audit entry %d: %+v", i+1, e)
		}
		if !strings.HasPrefix(e.Subject, "p:") || strings.Contains(e.Subject, approveRow.SubjectID) {
			t.Errorf("audit entry %d names the subject as %q, want a keyed pseudonym", i+1, e.Subject)
		}
	}

	// Bulk approval takes every undecided unflagged row and no flagged one.
	env.refreshRows(t)
	var undecided []string
	for _, row := range env.rows {
		if !row.ReviewRequired && row.Status == review.Pending {
			undecided = append(undecided, row.RowID)
		}
	}
	r = dana.post(env.path("/approve-unflagged"), url.Values{"csrf": {token}, "note": {"routine"}})
	if page := dana.get(r.location); !strings.Contains(page.body, fmt.Sprintf("Approved (all unflagged) %d row(s)", len(undecided))) {
		t.Errorf("bulk approval message missing; want %d rows", len(undecided))
	}
	env.refreshRows(t)
	for _, row := range env.rows {
		switch {
		case slices.Contains(undecided, row.RowID) && row.Status != review.Approved:
			t.Errorf("unflagged row %s is %s after bulk approval", row.RowID, row.Status)
		case row.ReviewRequired && row.RowID != approveRow.RowID && row.Status != review.Pending:
			t.Errorf("flagged row %s was decided in bulk: %s", row.RowID, row.Status)
		}
	}
	if n := len(env.auditEntries(t)); n != 2+len(undecided) {
		t.Errorf("%d audit entries after bulk approval, want %d", n, 2+len(undecided))
	}
}

func TestWebShowsRefusals(t *testing.T) {
	env := newWebEnv(t, false)
	row := env.pick(t, "unflagged", func(r review.Row) bool { return !r.ReviewRequired })
	dana := env.login(t, "dana")
	token := dana.csrf(env.path(""))
	// The subject is restricted after the manifest was made: its facts changed.
	env.withStore(t, func(st *openedStore) {
		if _, err := st.DB().Exec(`INSERT INTO restrictions VALUES (?, 'requested', now())`, row.SubjectID); err != nil {
			t.Fatal(err)
		}
	})
	r := dana.post(env.path("/decide"), url.Values{"csrf": {token}, "row": {row.RowID}, "decision": {"approve"}})
	page := dana.get(r.location)
	if !strings.Contains(page.body, "Refused: manifest "+env.manifest+" is out of date") {
		t.Errorf("a decision on a stale manifest was not refused on the page")
	}
	if d := env.decisions(t); len(d) != 0 {
		t.Errorf("decision recorded on a stale manifest: %+v", d)
	}
}

func TestWebSupersededManifestIsMarkedAndNotDecided(t *testing.T) {
	env := newWebEnv(t, false)
	dana := env.login(t, "dana")
	list := dana.get("/manifests").body
	if !strings.Contains(list, `superseded</span> by <a href="/manifests/`+env.manifest+`">`) || strings.Count(list, "superseded</span>") != 1 {
		t.Error("the list does not mark exactly the older manifest as superseded by the current one")
	}
	old := "/manifests/" + env.superseded
	page := dana.get(old)
	if page.code != http.StatusOK || !strings.Contains(page.body, "This manifest was superseded by") || strings.Contains(page.body, `value="approve"`) {
		t.Errorf("the superseded manifest's page: %d, or it offers decisions", page.code)
	}
	r := dana.post(old+"/decide", url.Values{"csrf": {dana.csrf(old)}, "row": {env.rows[0].RowID}, "decision": {"approve"}})
	if after := dana.get(r.location).body; !strings.Contains(after, "Refused: manifest "+env.superseded+" was superseded by "+env.manifest) {
		t.Error("a decision on a superseded manifest was not refused on the page")
	}
	env.withStore(t, func(st *openedStore) {
		var n int
		if err := st.DB().QueryRow(`SELECT count(*) FROM decisions`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d decisions recorded (%v)", n, err)
		}
	})
}

func TestWebFourEyesNeedsASecondReviewer(t *testing.T) {
	env := newWebEnvConfig(t, false, "review:\n  four_eyes_special: true\n")
	row := env.pick(t, "special-category", func(r review.Row) bool { return r.Special })
	decide := func(b *browser) string {
		t.Helper()
		r := b.post(env.path("/decide"), url.Values{"csrf": {b.csrf(env.path(""))}, "row": {row.RowID}, "decision": {"approve"}})
		return b.get(r.location).body
	}
	dana, rui := env.login(t, "dana"), env.login(t, "rui")
	if page := decide(dana); !strings.Contains(page, "Approved 1 row(s): 1 now needs second review.") {
		t.Error("the first approval of a special-category row does not say a second reviewer is needed")
	}
	if page := decide(dana); !strings.Contains(page, "1 row(s) unchanged: you had already decided them so") {
		t.Error("the same reviewer's second approval is not reported as changing nothing")
	}
	if page := decide(rui); !strings.Contains(page, "Approved 1 row(s): 1 now approved.") {
		t.Error("a second reviewer's approval did not approve the row")
	}
}

func TestWebRevealIsAuditedAndLimitedToReviewers(t *testing.T) {
	env := newWebEnv(t, false)
	row := env.pick(t, "special-category", func(r review.Row) bool { return r.Special })
	var evidence []duckstore.Evidence
	var err error
	env.withStore(t, func(st *openedStore) { evidence, err = st.SubjectEvidence(context.Background(), row.SubjectID) })
	if err != nil || len(evidence) == 0 {
		t.Fatalf("evidence of %s: %d, %v", row.SubjectID, len(evidence), err)
	}
	secret := evidence[0].Evidence

	operator := env.login(t, "omar")
	if page := operator.get(env.path("")); strings.Contains(page.body, secret) {
		t.Fatal("the manifest page shows special-category evidence without a reveal")
	}
	if r := operator.post(env.path("/reveal"), url.Values{"csrf": {operator.csrf(env.path(""))}, "row": {row.RowID}}); r.code != http.StatusForbidden || strings.Contains(r.body, secret) {
		t.Errorf("operator reveal: %d, shows evidence: %v", r.code, strings.Contains(r.body, secret))
	}
	if e := env.auditEntries(t); len(e) != 0 {
		t.Fatalf("a refused reveal was audited as a reveal: %+v", e)
	}

	dana := env.login(t, "dana")
	page := dana.get(env.path(""))
	if strings.Contains(page.body, secret) || !strings.Contains(page.body, "Special-category evidence hidden") {
		t.Fatal("the reviewer's page shows the evidence before a reveal, or does not say it is hidden")
	}
	r := dana.post(env.path("/reveal"), url.Values{"csrf": {dana.csrf(env.path(""))}, "row": {row.RowID}})
	if r.code != http.StatusOK || !strings.Contains(r.body, secret) {
		t.Fatalf("reviewer reveal: %d, shows the evidence: %v", r.code, strings.Contains(r.body, secret))
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("revealed evidence may be cached: Cache-Control %q", r.header.Get("Cache-Control"))
	}
	entries := env.auditEntries(t)
	if len(entries) != 1 {
		t.Fatalf("%d audit entries after one reveal", len(entries))
	}
	var cats []string
	for _, e := range evidence {
		if !slices.Contains(cats, string(e.Category)) {
			cats = append(cats, string(e.Category))
		}
	}
	slices.Sort(cats)
	e := entries[0]
	if e.Action != "reveal" || e.Actor != "dana" || e.Manifest != env.manifest || e.Row != row.RowID ||
		!strings.HasPrefix(e.Subject, "p:") || e.Detail["categories"] != strings.Join(cats, ",") {
		t.Errorf("reveal audit entry: %+v, want categories %v", e, cats)
	}
	log, _ := os.ReadFile(auditLogPath(env.g.DB))
	if strings.Contains(string(log), secret) || strings.Contains(string(log), row.SubjectID+"\"") {
		t.Error("the audit log holds the evidence or the subject id")
	}
}

func TestWebFiltersAndSortsRows(t *testing.T) {
	env := newWebEnv(t, false)
	dana := env.login(t, "dana")
	shown := func(query string) []string {
		t.Helper()
		r := dana.get(env.path(query))
		if r.code != http.StatusOK {
			t.Fatalf("GET %s: %d", query, r.code)
		}
		var ids []string
		for _, m := range regexp.MustCompile(`data-row="([^"]+)"`).FindAllStringSubmatch(r.body, -1) {
			ids = append(ids, m[1])
		}
		return ids
	}
	var flagged, erasure []string
	for _, r := range env.rows {
		if r.ReviewRequired {
			flagged = append(flagged, r.RowID)
		}
		if strings.Contains(fieldText(r, "rule")+" "+fieldText(r, "action"), "erasure") {
			erasure = append(erasure, r.RowID)
		}
	}
	if got := shown(""); len(got) != len(env.rows) {
		t.Errorf("no filter: %d rows shown, want %d", len(got), len(env.rows))
	}
	if got := shown("?flagged=1"); !slices.Equal(got, flagged) || len(flagged) == 0 {
		t.Errorf("flagged=1 shows %v, want %v", got, flagged)
	}
	if got := shown("?q=erasure"); !slices.Equal(got, erasure) || len(erasure) == 0 {
		t.Errorf("q=erasure shows %v, want %v", got, erasure)
	}
	byID := map[string]review.Row{}
	for _, r := range env.rows {
		byID[r.RowID] = r
	}
	due := shown("?sort=due")
	for i := 1; i < len(due); i++ {
		if fieldText(byID[due[i-1]], "due_date") > fieldText(byID[due[i]], "due_date") {
			t.Fatalf("sort=due: %s (%s) before %s (%s)", due[i-1], fieldText(byID[due[i-1]], "due_date"), due[i], fieldText(byID[due[i]], "due_date"))
		}
	}
	token := dana.csrf(env.path(""))
	dana.post(env.path("/decide"), url.Values{"csrf": {token}, "row": {due[len(due)-1]}, "decision": {"approve"}})
	if got := shown("?status=approved"); !slices.Equal(got, due[len(due)-1:]) {
		t.Errorf("status=approved shows %v", got)
	}
	if got := shown("?sort=status"); got[0] != due[len(due)-1] && byID[got[0]].Status != review.Pending {
		t.Errorf("sort=status: pending rows first, got %s first", got[0])
	}
	for _, bad := range []string{"?q=jo.bloggs%40example.com", "?q=Jo+Bloggs", "?status=done", "?sort=name", "?flagged=yes"} {
		if r := dana.get(env.path(bad)); r.code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", bad, r.code)
		}
	}
}

func fieldText(r review.Row, name string) string {
	for _, f := range r.Fields {
		if f.Name == name && f.Value != nil {
			return fmt.Sprint(f.Value)
		}
	}
	return ""
}

func TestWebLoginIsRateLimited(t *testing.T) {
	env := newWebEnv(t, false)
	b := env.browser(t)
	token := b.csrf("/login")
	for i := 1; i <= 5; i++ {
		if r := b.post("/login", url.Values{"csrf": {token}, "name": {"dana"}, "password": {"guess " + fmt.Sprint(i)}}); r.code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i, r.code)
		}
	}
	if r := b.post("/login", url.Values{"csrf": {token}, "name": {"dana"}, "password": {webPassword}}); r.code != http.StatusTooManyRequests {
		t.Errorf("login after 5 failures: %d, want 429", r.code)
	}
}

func TestWebSessionCookieAndHeaders(t *testing.T) {
	for _, secure := range []bool{false, true} {
		env := newWebEnv(t, secure)
		b := env.browser(t)
		r := b.get("/login")
		for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
			t.Errorf("CSP %q", csp)
		}
		cookie := r.header.Get("Set-Cookie")
		wantName := map[bool]string{false: "cvetl_session=", true: "__Host-cvetl_session="}[secure]
		if !strings.HasPrefix(cookie, wantName) || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") ||
			strings.Contains(cookie, "Secure") != secure {
			t.Errorf("secure=%v: session cookie %q", secure, cookie)
		}
		if m := regexp.MustCompile(`session=([0-9a-f]+)`).FindStringSubmatch(cookie); m == nil || len(m[1]) != 64 {
			t.Errorf("session id is not 256 random bits in hex: %q", cookie)
		}
	}
}

func TestServeHashPassword(t *testing.T) {
	cmd := cvetlStdin(t, "a long enough passphrase\n", "serve", "hash-password", "--cost", "10")
	if cmd.code != 0 {
		t.Fatalf("exit %d: %s", cmd.code, cmd.stderr)
	}
	hash := strings.TrimSpace(cmd.stdout)
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte("a long enough passphrase")); err != nil {
		t.Errorf("the printed hash does not match the password: %v", err)
	}
	if short := cvetlStdin(t, "short\n", "serve", "hash-password"); short.code != 1 || !strings.Contains(short.stderr, "shorter than 12") {
		t.Errorf("a short password: exit %d, %s", short.code, short.stderr)
	}
}

func cvetlStdin(t *testing.T, stdin string, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(interface{ ExitCode() int }); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return runResult{out.String(), errb.String(), code}
}
