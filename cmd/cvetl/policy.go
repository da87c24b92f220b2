package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cvetl/cvetl/jobs"
	"github.com/cvetl/cvetl/policy"
)

func init() {
	register(command{name: "policy", usage: "policy check|explain|list|show …", summary: "validate retention policies; explain what applies to one subject", run: runPolicy})
}

const policyUsage = `Usage:
  cvetl policy check FILE|ID...                          validate policy files (or presets)
  cvetl policy explain SUBJECT [--as-of D] [--policy ID|FILE] [--json]
                                                         which rules apply to a subject (id or e-mail) and why
  cvetl policy list                                      the presets
  cvetl policy show ID|FILE                              print a policy as YAML (start a custom one from a preset)`

func runPolicy(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, policyUsage)
		return exitPartial
	}
	switch args[0] {
	case "check":
		return policyCheck(args[1:], stdout)
	case "explain":
		return policyExplain(ctx, g, args[1:], stdout)
	case "list":
		for _, id := range policy.PresetIDs() {
			p, _ := policy.Preset(id)
			fmt.Fprintf(stdout, "%-16s %s\n", id, p.Name)
		}
		return exitOK
	case "show":
		if len(args) != 2 {
			fmt.Fprintln(os.Stderr, policyUsage)
			return exitPartial
		}
		if b, err := policy.PresetYAML(args[1]); err == nil {
			stdout.Write(b)
			return exitOK
		}
		p, err := policy.Resolve(args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl policy show:", err)
			return exitPartial
		}
		b, err := p.Marshal()
		if err != nil {
			fmt.Fprintln(os.Stderr, "cvetl policy show:", err)
			return exitFailed
		}
		stdout.Write(b)
		return exitOK
	}
	fmt.Fprintln(os.Stderr, policyUsage)
	return exitPartial
}

// policyCheck validates each file or preset, printing every problem with file:line: field.
func policyCheck(refs []string, stdout io.Writer) int {
	if len(refs) == 0 {
		fmt.Fprintln(os.Stderr, "cvetl policy check: give one or more policy files or preset ids")
		return exitPartial
	}
	code := exitOK
	for _, ref := range refs {
		p, err := policy.Resolve(ref)
		if err != nil {
			code = exitPartial
			var es policy.Errors
			if errors.As(err, &es) {
				fmt.Fprintf(stdout, "%s: %d problem(s)\n", ref, len(es))
				for _, e := range es {
					fmt.Fprintln(stdout, "  "+e.Error())
				}
			} else {
				fmt.Fprintf(stdout, "%s: %v\n", ref, err)
			}
			continue
		}
		follow := 0
		for _, r := range p.Rules {
			if r.FollowUp != nil {
				follow++
			}
		}
		fmt.Fprintf(stdout, "%s: ok — policy %s (digest %s): %d rules, %d follow-ups, %d floors, %d exceptions, %d review triggers\n",
			ref, p.ID, p.Digest(), len(p.Rules), follow, len(p.Floors), len(p.Exceptions), len(p.Review))
	}
	return code
}

// policyFlag resolves --policy, falling back to $CVETL_POLICY.
func policyFlag(ref string) (*policy.Policy, error) {
	if ref == "" {
		ref = os.Getenv("CVETL_POLICY")
	}
	if ref == "" {
		return nil, fmt.Errorf("give --policy ID|FILE (presets: %s) or set CVETL_POLICY", strings.Join(policy.PresetIDs(), ", "))
	}
	return policy.Resolve(ref)
}

// asOfFlag parses --as-of; empty means today (UTC).
func asOfFlag(s string) (time.Time, error) {
	if s == "" {
		now := time.Now().UTC()
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of: want YYYY-MM-DD")
	}
	return d, nil
}

func policyExplain(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("policy explain", flag.ContinueOnError)
	asOfS := fs.String("as-of", "", "the day to explain (YYYY-MM-DD, default today)")
	polRef := fs.String("policy", "", "preset id or policy file")
	asJSON := fs.Bool("json", false, "print the explanation as JSON")
	pos, err := parseInterleaved(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(os.Stderr, "cvetl policy explain: give exactly one subject id or e-mail")
		return exitPartial
	}
	asOf, err := asOfFlag(*asOfS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl policy explain:", err)
		return exitPartial
	}
	pol, err := policyFlag(*polRef)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl policy explain:", err)
		return exitPartial
	}
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl policy explain:", err)
		return exitFailed
	}
	defer store.Close()
	ex, err := jobs.Explain(ctx, store.DB(), pol, asOf, pos[0])
	if errors.Is(err, jobs.ErrUnknownSubject) {
		fmt.Fprintln(os.Stderr, "cvetl policy explain:", err)
		return exitPartial
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl policy explain:", err)
		return exitFailed
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(ex)
		return exitOK
	}
	printExplanation(stdout, ex)
	return exitOK
}

func printExplanation(w io.Writer, ex *jobs.Explanation) {
	s := ex.Subject
	list := func(l []string) string {
		if len(l) == 0 {
			return "-"
		}
		return strings.Join(l, ", ")
	}
	fmt.Fprintf(w, "subject %s as of %s, policy %s\n", s.SubjectID, ex.AsOf, ex.Policy)
	fmt.Fprintf(w, "  type %s, roles %s, status %s\n", s.SubjectType, list(s.Roles), orDash(s.Status))
	fmt.Fprintf(w, "  events: %s\n", list(s.Events))
	fmt.Fprintf(w, "  consent given: %s; withdrawn: %s\n", list(s.ConsentsGiven), list(s.ConsentsWithdrawn))
	hold := "no"
	if s.LegalHold {
		hold = "yes"
	} else if s.HoldReleased != "" {
		hold = "released " + s.HoldReleased
	}
	fmt.Fprintf(w, "  legal hold: %s; last rights request: %s\n", hold, orDash(s.LastRequest))
	fmt.Fprintf(w, "  sources: %d channel(s) (%s), %d file(s); special-category rows: %d (%d without an Art. 9 condition)\n",
		s.Channels, list(s.ChannelKinds), s.Files, s.SpecialCategory, s.NoArt9Condition)
	for _, kind := range []string{"rule", "floor"} {
		fmt.Fprintln(w)
		if kind == "rule" {
			fmt.Fprintln(w, "rules")
		} else {
			fmt.Fprintln(w, "floors")
		}
		for _, r := range ex.Rules {
			if (kind == "floor") != (r.Kind == "floor") {
				continue
			}
			what := r.Action
			if r.Kind == "floor" {
				what = "keep at least"
			}
			anchor := ""
			if r.AnchorDate != "" && r.Kind != "follow_up" {
				anchor = fmt.Sprintf(" after %s %s", r.AnchorEvent, r.AnchorDate)
			}
			name := r.RuleID
			if r.Kind == "follow_up" {
				name = "  ↳ " + name
			}
			fmt.Fprintf(w, "  %-24s %-15s %s%s\n", name, what, r.Period, anchor)
			fmt.Fprintf(w, "  %-24s → %s\n", "", r.Verdict)
			if r.Source != "" {
				fmt.Fprintf(w, "  %-24s   source: %q\n", "", r.Source)
			}
		}
	}
	fmt.Fprintln(w)
	if ex.Row == nil {
		fmt.Fprintln(w, "manifest: nothing due — no row")
		return
	}
	r := ex.Row
	earliest := "none while the legal hold lasts"
	if r.EarliestPermittedDate != nil {
		earliest = *r.EarliestPermittedDate
	}
	fmt.Fprintf(w, "manifest row %s: %s by %s (proposed %s), due %s, earliest permitted %s\n",
		r.RowID, r.Action, r.RuleID, r.ProposedAction, r.DueDate, earliest)
	fmt.Fprintf(w, "  blocked by: %s; review: %s\n", list(r.BlockedBy), list(r.ReviewReasons))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// presetList names the presets for usage messages.
func presetList() string { return strings.Join(policy.PresetIDs(), ", ") }
