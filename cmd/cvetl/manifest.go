package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/cvetl/cvetl/review"
)

func init() {
	register(command{name: "manifest", usage: "manifest list | show ID | approve ID ROW_ID... | approve ID --unflagged | reject ID ROW_ID...",
		summary: "review manifests: approve or reject rows with --reviewer NAME --note TEXT", run: runManifest})
}

const manifestUsage = `usage:
  cvetl manifest list [--json]
  cvetl manifest show ID [--status S] [--flagged] [--json]
  cvetl manifest approve ID ROW_ID... --reviewer NAME [--note TEXT]
  cvetl manifest approve ID --unflagged --reviewer NAME [--note TEXT]
  cvetl manifest reject ID ROW_ID... --reviewer NAME --note TEXT`

// runManifest exits 0 on success, 1 on a usage error or a refused decision, 2 when the
// store cannot be read or written.
func runManifest(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, manifestUsage)
		return exitPartial
	}
	fs := flag.NewFlagSet("manifest "+args[0], flag.ContinueOnError)
	reviewer := fs.String("reviewer", "", "who decides (recorded in the store and the audit log)")
	note := fs.String("note", "", "why (required to reject)")
	unflagged := fs.Bool("unflagged", false, "approve every row without a review flag")
	status := fs.String("status", "", "show only rows with this status (pending, approved, rejected, needs_second_review)")
	flagged := fs.Bool("flagged", false, "show only rows flagged for review")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, manifestUsage)
		return exitPartial
	}
	st, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl manifest:", err)
		return exitFailed
	}
	defer st.Close()
	svc, _, err := openReview(ctx, g, st, args[0] == "approve" || args[0] == "reject")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl manifest:", err)
		return exitFailed
	}
	switch sub := args[0]; {
	case sub == "list" && len(pos) == 0:
		return manifestList(ctx, svc, stdout, *asJSON)
	case sub == "show" && len(pos) == 1:
		return manifestShow(ctx, svc, stdout, pos[0], *status, *flagged, *asJSON)
	case sub == "approve" && *unflagged && len(pos) == 1:
		out, err := svc.ApproveUnflagged(ctx, pos[0], *reviewer, *note)
		return decided(stdout, "approved", out, err)
	case sub == "approve" && !*unflagged && len(pos) >= 2:
		out, err := svc.Approve(ctx, pos[0], pos[1:], *reviewer, *note)
		return decided(stdout, "approved", out, err)
	case sub == "reject" && len(pos) >= 2:
		out, err := svc.Reject(ctx, pos[0], pos[1:], *reviewer, *note)
		return decided(stdout, "rejected", out, err)
	}
	fmt.Fprintln(os.Stderr, manifestUsage)
	return exitPartial
}

func manifestList(ctx context.Context, svc *review.Service, w io.Writer, asJSON bool) int {
	ms, err := svc.Manifests(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl manifest list:", err)
		return exitFailed
	}
	if asJSON {
		_ = json.NewEncoder(w).Encode(ms)
		return exitOK
	}
	if len(ms) == 0 {
		fmt.Fprintln(w, "no manifests yet: cvetl nightly writes them")
	}
	for _, m := range ms {
		state := "current"
		if m.SupersededBy != "" {
			state = "superseded"
		}
		fmt.Fprintf(w, "%s  %s  as of %s  %d rows  %s  %s\n", m.ID, m.Kind, m.AsOf, m.Rows, state, countsByKey(m.ByStatus))
	}
	return exitOK
}

// countsByKey renders counts sorted by key: "approved 2, pending 1", "malformed 2, too_large 1".
func countsByKey(by map[string]int) string {
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, by[k])
	}
	return strings.Join(parts, ", ")
}

func manifestShow(ctx context.Context, svc *review.Service, w io.Writer, id, status string, flagged, asJSON bool) int {
	m, err := svc.Get(ctx, id)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl manifest show:", err)
		return exitPartial
	}
	rows, err := svc.Rows(ctx, id)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl manifest show:", err)
		return exitFailed
	}
	var shown []review.Row
	for _, r := range rows {
		if (status == "" || r.Status == status) && (!flagged || r.ReviewRequired) {
			shown = append(shown, r)
		}
	}
	if asJSON {
		_ = json.NewEncoder(w).Encode(struct {
			Manifest review.Manifest
			Rows     []review.Row
		}{m, shown})
		return exitOK
	}
	fmt.Fprintf(w, "%s  %s  as of %s  policy %s  %d rows\n", m.ID, m.Kind, m.AsOf, m.Policy, m.Rows)
	if m.SupersededBy != "" {
		fmt.Fprintf(w, "superseded by %s\n", m.SupersededBy)
	}
	for _, r := range shown {
		flag := ""
		if r.ReviewRequired {
			flag = "  FLAGGED"
		}
		if r.Special {
			flag += "  special-category data"
		}
		fmt.Fprintf(w, "\n%s  [%s]%s\n", r.RowID, r.Status, flag)
		for _, f := range r.Fields {
			if f.Value == nil {
				continue
			}
			v, _ := json.Marshal(f.Value)
			fmt.Fprintf(w, "    %-24s %s\n", f.Name, strings.Trim(string(v), `"`))
		}
		for _, d := range r.Decisions {
			fmt.Fprintf(w, "    %s by %s at %s", d.Decision, d.Reviewer, d.At.Format("2006-01-02 15:04"))
			if d.Note != "" {
				fmt.Fprintf(w, ": %s", d.Note)
			}
			fmt.Fprintln(w)
		}
	}
	return exitOK
}

func decided(w io.Writer, verb string, out review.Outcome, err error) int {
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl manifest:", err)
		var stale *review.StaleError
		var refused *review.RefusedError
		if errors.Is(err, review.ErrNoManifest) || errors.As(err, &stale) || errors.As(err, &refused) {
			return exitPartial
		}
		return exitFailed
	}
	fmt.Fprintf(w, "%s %d rows: %s\n", verb, out.Decided, countsByKey(out.ByStatus))
	if out.Unchanged > 0 {
		fmt.Fprintf(w, "%d rows unchanged: you had already decided them so\n", out.Unchanged)
	}
	return exitOK
}
