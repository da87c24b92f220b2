package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cvetl/cvetl/audit"
	"github.com/cvetl/cvetl/review"
	"github.com/cvetl/cvetl/web"
)

// `cvetl serve` opens the store per request. These tests run everything as separate
// processes, as on a recruiter's server: the serve binary, the nightly and manifest
// commands, and a helper process that holds the store the way a long command does.

// holdStoreEnv, set to a store path, makes the test binary a helper that opens that
// store, prints "holding" and keeps it open until its stdin closes.
const holdStoreEnv = "CVETL_TEST_HOLD_STORE"

func holdStore(db string) int {
	st, err := openStoreOnce(context.Background(), globals{DB: db}, false)
	if err != nil {
		os.Stderr.WriteString("hold store: " + err.Error() + "\n")
		return 1
	}
	os.Stdout.WriteString("holding\n")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := st.Close(); err != nil {
		return 1
	}
	return 0
}

// storeHolder is a running helper process holding a store.
type storeHolder struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startStoreHolder(t *testing.T, db string) *storeHolder {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdStoreEnv+"="+db)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &storeHolder{cmd: cmd, stdin: stdin}
	t.Cleanup(h.release)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "holding\n" {
		t.Fatalf("the helper did not open the store: %q, %v", line, err)
	}
	return h
}

// release lets the helper close the store and waits until it has exited.
func (h *storeHolder) release() {
	if h.cmd.ProcessState != nil {
		return
	}
	h.stdin.Close()
	_ = h.cmd.Wait()
}

// startServe runs `cvetl serve` on a free port over the store in dir and returns its
// base URL; the server is interrupted when the test ends.
func startServe(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command(binary, "--db", filepath.Join(dir, "cvetl.duckdb"), "--out", filepath.Join(dir, "out"),
		"serve", "--addr", "127.0.0.1:0", "--users", writeUsers(t, dir))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			t.Errorf("cvetl serve did not stop cleanly: %v", err)
		}
	})
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	m := regexp.MustCompile(`serving the review page on (http://127\.0\.0\.1:\d+) `).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("cvetl serve did not start: %q", line)
	}
	return m[1]
}

// loginAt logs name in at the server at base.
func loginAt(t *testing.T, base, name string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	r := b.post("/login", url.Values{"csrf": {b.csrf("/login")}, "name": {name}, "password": {webPassword}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("login as %s: %d", name, r.code)
	}
	return b
}

var (
	firstManifestLink = regexp.MustCompile(`href="/manifests/([^"/?]+)"`)
	rowField          = regexp.MustCompile(`name="row" value="([^"]+)"`)
)

// currentManifest returns the newest manifest's id and one of its row ids, read from the
// pages.
func currentManifest(t *testing.T, b *browser) (id, row string) {
	t.Helper()
	list := b.get("/manifests")
	m := firstManifestLink.FindStringSubmatch(list.body)
	if list.code != http.StatusOK || m == nil {
		t.Fatalf("GET /manifests: %d, no manifest link", list.code)
	}
	page := b.get("/manifests/" + m[1])
	r := rowField.FindStringSubmatch(page.body)
	if page.code != http.StatusOK || r == nil {
		t.Fatalf("GET /manifests/%s: %d, no row form", m[1], page.code)
	}
	return m[1], r[1]
}

func countDecisions(t *testing.T, dir string) int {
	t.Helper()
	st, err := openStore(context.Background(), globals{DB: filepath.Join(dir, "cvetl.duckdb"), Wait: cliBusyWait}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM decisions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestServeLetsNightlyAndManifestCommandsUseTheStore(t *testing.T) {
	dir := copyDemoStore(t)
	db, out := filepath.Join(dir, "cvetl.duckdb"), filepath.Join(dir, "out")
	base := startServe(t, dir)
	dana := loginAt(t, base, "dana")
	_, _ = currentManifest(t, dana)

	// A nightly run while the page is up (and has just been used) opens the store.
	if r := cvetl(t, "--db", db, "--out", out, "nightly", "--as-of", "2029-07-01", "--policy", webPolicy); r.code != 0 {
		t.Fatalf("cvetl nightly with the page up: exit %d: %s", r.code, r.stderr)
	}
	id, row := currentManifest(t, dana)
	if r := cvetl(t, "--db", db, "manifest", "approve", id, row, "--reviewer", "rui", "--note", "checked"); r.code != 0 {
		t.Fatalf("cvetl manifest approve with the page up: exit %d: %s", r.code, r.stderr)
	}
	// The page shows what the commands wrote: the new manifest, and rui's decision.
	if page := dana.get("/manifests/" + id); page.code != http.StatusOK || !strings.Contains(page.body, "rui") {
		t.Errorf("the page does not show the decision made by the command (%d)", page.code)
	}
	// And a decision from the page lands while commands keep working in between.
	r := dana.post("/manifests/"+id+"/approve-unflagged", url.Values{"csrf": {dana.csrf("/manifests/" + id)}, "note": {"bulk"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("bulk approval from the page: %d", r.code)
	}
	if r := cvetl(t, "--db", db, "audit", "verify"); r.code != 0 {
		t.Errorf("cvetl audit verify with the page up: exit %d: %s", r.code, r.stderr)
	}
	if n := countDecisions(t, dir); n < 2 {
		t.Errorf("%d decisions in the store, want the command's and the page's", n)
	}
}

func TestServeAnswers503WhileAnotherProcessHoldsTheStore(t *testing.T) {
	dir := copyDemoStore(t)
	db := filepath.Join(dir, "cvetl.duckdb")

	// The page starts even while another process holds the store.
	holder := startStoreHolder(t, db)
	base := startServe(t, dir)
	dana := loginAt(t, base, "dana")
	busy := dana.get("/manifests")
	if busy.code != http.StatusServiceUnavailable || !strings.Contains(busy.body,
		"The nightly job or another cvetl command is using the store; try again in a minute.") {
		t.Errorf("GET /manifests while the store is held: %d, want 503 with the busy message", busy.code)
	}
	if ra := busy.header.Get("Retry-After"); ra != "60" {
		t.Errorf("Retry-After %q, want 60", ra)
	}
	holder.release()

	id, row := currentManifest(t, dana)
	token := dana.csrf("/manifests/" + id)
	decide := url.Values{"csrf": {token}, "row": {row}, "decision": {"approve"}, "note": {"ok"}}

	holder = startStoreHolder(t, db)
	if r := dana.post("/manifests/"+id+"/decide", decide); r.code != http.StatusServiceUnavailable {
		t.Errorf("a decision while the store is held: %d, want 503", r.code)
	}
	holder.release()
	if r := dana.post("/manifests/"+id+"/decide", decide); r.code != http.StatusSeeOther {
		t.Errorf("the same decision after the holder exited: %d, want 303", r.code)
	}
	if n := countDecisions(t, dir); n != 1 {
		t.Errorf("%d decisions recorded, want 1: the refused request must change nothing", n)
	}
}

func TestServeStoreOpenRetriesWhileBusy(t *testing.T) {
	dir := copyDemoStore(t)
	g := globals{DB: filepath.Join(dir, "cvetl.duckdb")}
	ctx := context.Background()

	holder := startStoreHolder(t, g.DB)
	tries := 0
	_, err := retryWhileBusy(ctx, 300*time.Millisecond, func() (*openedStore, error) {
		tries++
		return openStoreOnce(ctx, g, false)
	})
	if !storeBusy(err) || tries < 2 {
		t.Fatalf("with the store held: %d tries, %v; want several tries, then the busy error", tries, err)
	}
	stores := &servedStore{g: g, wait: 100 * time.Millisecond}
	if _, _, err := stores.open(ctx, false); !errors.Is(err, web.ErrStoreBusy) {
		t.Errorf("the page's opener with the store held: %v, want web.ErrStoreBusy", err)
	}

	// Released after the first try: a later try opens the store.
	tries = 0
	st, err := retryWhileBusy(ctx, time.Minute, func() (*openedStore, error) {
		tries++
		if tries == 2 {
			holder.release()
		}
		return openStoreOnce(ctx, g, false)
	})
	if err != nil {
		t.Fatalf("the store was not opened once the holder exited: %v", err)
	}
	st.Close()
	if tries < 2 {
		t.Errorf("opened at try %d while it was held", tries)
	}
}

func TestServeStoreSharesOneHandleAndClosesItWhenIdle(t *testing.T) {
	dir := copyDemoStore(t)
	g := globals{DB: filepath.Join(dir, "cvetl.duckdb")}
	ctx := context.Background()
	stores := &servedStore{g: g, wait: 0}

	read, releaseRead, err := stores.open(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if read.Audit != nil {
		t.Error("a read request got the audit log")
	}
	write, releaseWrite, err := stores.open(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if write.Audit == nil || write.Pseudonym == nil {
		t.Fatal("a write request got no audit log")
	}
	first := stores.st
	releaseRead()
	releaseRead() // a second call must not release the write request's use
	if stores.st != first {
		t.Fatal("the store was closed while a request still used it")
	}
	if _, err := write.Reviews.Manifests(ctx); err != nil {
		t.Fatalf("the write request's store after the read request ended: %v", err)
	}
	releaseWrite()
	if stores.st != nil {
		t.Fatal("the store is still open with no request in flight")
	}
	// Closed means another process can open it now.
	if r := cvetl(t, "--db", g.DB, "manifest", "list"); r.code != 0 {
		t.Errorf("cvetl manifest list after the requests ended: exit %d: %s", r.code, r.stderr)
	}
}

// BenchmarkServeStoreOpen measures what `cvetl serve` pays per request to open and
// close the demo store: read (data store and key store) and write (also the audit log,
// whose chain is checked on opening, so the cost grows with the log).
func BenchmarkServeStoreOpen(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, db string, forWrite bool) {
		stores := &servedStore{g: globals{DB: db}}
		for b.Loop() {
			_, release, err := stores.open(ctx, forWrite)
			if err != nil {
				b.Fatal(err)
			}
			release()
		}
	}
	db := filepath.Join(copyDemoStore(b), "cvetl.duckdb")
	b.Run("read", func(b *testing.B) { run(b, db, false) })
	b.Run("write", func(b *testing.B) { run(b, db, true) })
	b.Run("write-audit-10k", func(b *testing.B) { run(b, withAuditEntries(b, 10_000), true) })
}

// withAuditEntries copies the demo store with an audit log of n reveal entries.
func withAuditEntries(b *testing.B, n int) string {
	ctx := context.Background()
	g := globals{DB: filepath.Join(copyDemoStore(b), "cvetl.duckdb")}
	st, err := openStore(ctx, g, false)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	// Unanchored while writing (each anchored append is a store write), anchored once after.
	log, err := audit.Open(ctx, auditLogPath(g.DB), nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if err := log.Append(ctx, audit.Entry{Actor: "bench", Action: "reveal", Manifest: "m", Row: strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
	}
	res, err := audit.Verify(ctx, auditLogPath(g.DB), nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.RecordHead(ctx, res.Entries, res.Head); err != nil {
		b.Fatal(err)
	}
	return g.DB
}

func TestServeStoreConcurrentRequestsShareTheStore(t *testing.T) {
	env := newWebEnv(t, false)
	dana := env.login(t, "dana")
	token := dana.csrf(env.path(""))
	row := env.pick(t, "unflagged", func(r review.Row) bool { return !r.ReviewRequired })
	codes := make(chan int, 9)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { codes <- dana.get(env.path("")).code })
	}
	wg.Go(func() {
		codes <- dana.post(env.path("/decide"), url.Values{"csrf": {token}, "row": {row.RowID}, "decision": {"approve"}}).code
	})
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusOK && code != http.StatusSeeOther {
			t.Errorf("a request made alongside others got %d", code)
		}
	}
	// All requests over: the store is closed, so another process can open it.
	if r := cvetl(t, "--db", env.g.DB, "audit", "verify"); r.code != 0 {
		t.Errorf("cvetl audit verify after concurrent requests: exit %d: %s", r.code, r.stderr)
	}
	if d := env.decisions(t); len(d) != 1 {
		t.Errorf("%d decisions, want the one posted", len(d))
	}
}

// A command waits --wait for a store another process holds: a short wait gives up with
// a message naming the flag, a long one outlasts the holder.
func TestCommandsWaitForAHeldStore(t *testing.T) {
	dir := copyDemoStore(t)
	db := filepath.Join(dir, "cvetl.duckdb")
	holder := startStoreHolder(t, db)

	r := cvetl(t, "--db", db, "--wait", "300ms", "manifest", "list")
	if r.code == 0 || !strings.Contains(r.stderr, "--wait") {
		t.Fatalf("--wait 300ms with the store held: exit %d: %s", r.code, r.stderr)
	}
	released := make(chan struct{})
	go func() {
		defer close(released)
		time.Sleep(time.Second)
		holder.release()
	}()
	r = cvetlEnv(t, []string{"CVETL_WAIT=2m"}, "--db", db, "manifest", "list")
	<-released
	if r.code != 0 {
		t.Fatalf("CVETL_WAIT=2m while the holder exits after 1 s: exit %d: %s", r.code, r.stderr)
	}
	if r := cvetl(t, "--db", db, "--wait", "soon", "manifest", "list"); r.code == 0 || !strings.Contains(r.stderr, `--wait "soon"`) {
		t.Fatalf("--wait soon: exit %d: %s", r.code, r.stderr)
	}
}
