package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/cvetl/cvetl/audit"
)

func init() {
	register(command{name: "audit", usage: "audit verify", summary: "check the audit log's hash chain and recorded head", run: runAudit})
}

// runAudit exits 0 when the log verifies, 2 when it does not or cannot be read.
func runAudit(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) != 1 || args[0] != "verify" {
		fmt.Fprintln(os.Stderr, "usage: cvetl audit verify")
		return exitPartial
	}
	st, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl audit:", err)
		return exitFailed
	}
	defer st.Close()
	res, err := audit.Verify(ctx, auditLogPath(g.DB), st.Store)
	if err != nil && !os.IsNotExist(err) {
		fmt.Fprintln(os.Stderr, "cvetl audit verify: FAILED:", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "audit log verified: %d entries, head %s\n", res.Entries, res.Head)
	return exitOK
}
