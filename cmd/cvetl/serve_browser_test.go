package main

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cvetl/cvetl/review"
)

var screenshots = flag.Bool("screenshots", false, "write PNG screenshots of the review page to docs/screenshots")

// chromium finds the browser the end-to-end test drives. Its absence is a failure,
// not a skip: the page is only known to work in a browser if a browser ran it.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{"/usr/bin/chromium", "chromium", "chromium-browser"}
	if p := os.Getenv("CVETL_CHROMIUM"); p != "" {
		candidates = []string{p}
	}
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("the browser test needs headless Chromium and found none (looked for %s): install it with "+
		"`apt-get install -y chromium` (Debian; .ci/run does this when it is missing) "+
		"or set CVETL_CHROMIUM to the browser's path", strings.Join(candidates, ", "))
	return ""
}

// TestWebBrowserApproveAndReject drives the review page in real headless Chromium: log
// in, open the manifest, approve one row, reject another with a note; then the store
// holds exactly those decisions and the audit log verifies with their entries.
func TestWebBrowserApproveAndReject(t *testing.T) {
	exe := chromium(t)
	env := newWebEnv(t, false)
	approveRow := env.pick(t, "unflagged", func(r review.Row) bool { return !r.ReviewRequired })
	rejectRow := env.pick(t, "flagged", func(r review.Row) bool { return r.ReviewRequired })

	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 760),
		// Containers and root (as in CI) cannot use Chromium's sandbox; the browser only
		// visits this test's own server.
		chromedp.NoSandbox,
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	shot := func(name string) error {
		if !*screenshots {
			return nil
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name+".png"), png, 0o644)
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	row := func(id, sel string) chromedp.CSS { return css(`section[data-row="` + id + `"] ` + sel) }
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("Chromium (%s): %s: %v", exe, what, err)
		}
	}
	must("log in", chromedp.Do(ctx,
		chromedp.Navigate(env.srv.URL+"/manifests"), // redirected to the login page
		chromedp.WaitVisible(css("#name")),
	))
	must("screenshot", shot("login"))
	must("log in", chromedp.Do(ctx,
		chromedp.SendKeys(css("#name"), "dana"),
		chromedp.SendKeys(css("#password"), webPassword),
		chromedp.Click(css("#login")),
		chromedp.WaitVisible(css("table.manifests")),
	))
	must("screenshot", shot("manifests"))
	list, err := chromedp.Run(ctx, chromedp.Text(css("main")))
	must("read the list", err)
	// Each decision reloads the page; the row's new status shows it was recorded.
	must("approve", chromedp.Do(ctx,
		chromedp.Click(css("a.manifest-link")),
		chromedp.WaitVisible(row(approveRow.RowID, "button.approve")),
		chromedp.SendKeys(row(approveRow.RowID, "textarea"), "routine: no open matter"),
		chromedp.Click(row(approveRow.RowID, "button.approve")),
		chromedp.WaitVisible(row(approveRow.RowID, "span.status.s-approved")),
	))
	approveFlash, err := chromedp.Run(ctx, chromedp.Text(css("#flash")))
	must("read the message", err)
	must("reject", chromedp.Do(ctx,
		chromedp.SendKeys(row(rejectRow.RowID, "textarea"), "erasure request withdrawn by phone"),
		chromedp.Click(row(rejectRow.RowID, "button.reject")),
		chromedp.WaitVisible(row(rejectRow.RowID, "span.status.s-rejected")),
	))
	rejectFlash, err := chromedp.Run(ctx, chromedp.Text(css("#flash")))
	must("read the message", err)
	// The view a reviewer works in: flagged rows, the rejected one first.
	must("filter", chromedp.Do(ctx,
		chromedp.Navigate(env.srv.URL+env.path("?flagged=1")),
		chromedp.WaitVisible(css("section.row")),
	))
	must("screenshot", shot("manifest"))

	if !strings.Contains(list, env.manifest) {
		t.Errorf("the manifest list does not show %s", env.manifest)
	}
	if !strings.Contains(approveFlash, "Approved 1 row(s)") || !strings.Contains(rejectFlash, "Rejected 1 row(s)") {
		t.Errorf("messages after deciding: %q, %q", approveFlash, rejectFlash)
	}
	want := []decisionRow{
		{approveRow.RowID, "approve", "dana", "routine: no open matter"},
		{rejectRow.RowID, "reject", "dana", "erasure request withdrawn by phone"},
	}
	if got := env.decisions(t); !slices.Equal(got, want) {
		t.Errorf("decisions in the store:\n got %+v\nwant %+v", got, want)
	}
	entries := env.auditEntries(t) // verified against the store's anchor
	if len(entries) != 2 || entries[0].Action != "approve" || entries[0].Row != approveRow.RowID ||
		entries[1].Action != "reject" || entries[1].Row != rejectRow.RowID || entries[1].Detail["note_sha256"] == "" {
		t.Errorf("audit entries: %+v", entries)
	}
}
