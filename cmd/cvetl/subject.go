package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/rights"
)

func init() {
	register(command{name: "subject", usage: "subject find|export|import-export|rectify|erase|restrict|unrestrict|object|withdraw-consent|do-not-supply|extend|requests …",
		summary: "data-subject rights: find a subject, answer a request, track its deadline", run: runSubject})
}

const subjectUsage = `usage (SUBJECT is a subject id, an e-mail address or a phone number):
  cvetl subject find SUBJECT
  cvetl subject export SUBJECT [--file FILE.zip]     (or --out FILE.zip; default <out>/exports/<id>-<day>.zip)
  cvetl subject import-export FILE.zip
  cvetl subject rectify SUBJECT --field F --value V  (F: ` + "name, postcode, town, ni_number, date_of_birth" + `)
  cvetl subject erase SUBJECT --policy ID|FILE
  cvetl subject restrict SUBJECT [--reason requested|accuracy_contested|objection_pending|…]
  cvetl subject unrestrict SUBJECT
  cvetl subject object SUBJECT --processing automated_matching|marketing|legitimate_interest
  cvetl subject withdraw-consent SUBJECT --purpose P
  cvetl subject do-not-supply SUBJECT --reason R [--client C]
  cvetl subject extend REQUEST_ID --reason R
  cvetl subject requests [SUBJECT] [--open] [--json]
--policy (default $CVETL_POLICY) sets the response deadline (rights.respond_within; one month without it).`

// runSubject exits 0 when the request was carried out, 1 when it was refused (an
// ambiguous subject, an erasure blocked by a floor or hold, a bad reason) or called
// wrongly, 2 when the store failed.
func runSubject(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "cvetl subject:", subjectUsage)
		return exitPartial
	}
	verb := args[0]
	fs := flag.NewFlagSet("subject "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	polRef := fs.String("policy", "", "preset id or policy file")
	file := fs.String("file", "", "export: the archive to write")
	field := fs.String("field", "", "rectify: the field")
	value := fs.String("value", "", "rectify: the corrected value")
	reason := fs.String("reason", "", "the reason")
	processing := fs.String("processing", "", "object: the processing objected to")
	purpose := fs.String("purpose", "", "withdraw-consent: the consent's purpose")
	client := fs.String("client", "", "do-not-supply: the client (default every client)")
	openOnly := fs.Bool("open", false, "requests: open ones only")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "cvetl subject %s: %v\n%s\n", verb, err, subjectUsage)
		return exitPartial
	}
	wantArgs := 1
	if verb == "requests" {
		wantArgs = len(pos) // optional
	}
	if len(pos) != wantArgs || wantArgs > 1 {
		fmt.Fprintf(os.Stderr, "cvetl subject %s: give one %s\n%s\n", verb, map[bool]string{true: "request id", false: "subject or file"}[verb == "extend"], subjectUsage)
		return exitPartial
	}
	var pol *policy.Policy
	if *polRef != "" || os.Getenv("CVETL_POLICY") != "" || verb == "erase" {
		if pol, err = policyFlag(*polRef); err != nil {
			fmt.Fprintf(os.Stderr, "cvetl subject %s: %v\n", verb, err)
			return exitPartial
		}
	}
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cvetl subject %s: %v\n", verb, err)
		return exitFailed
	}
	defer store.Close()
	svc := rights.New(store, store.keys, pol)
	name := "subject " + verb

	switch verb {
	case "import-export":
		data, err := os.ReadFile(pos[0])
		if err != nil {
			fmt.Fprintf(os.Stderr, "cvetl %s: %v\n", name, err)
			return exitPartial
		}
		doc, err := svc.ImportExport(ctx, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return failure(name+" "+pos[0], err)
		}
		n := 0
		for _, rows := range doc.Tables {
			n += len(rows)
		}
		fmt.Fprintf(stdout, "subject %s imported: %d rows in %d tables\n", doc.SubjectID, n, len(doc.Tables))
		return exitOK
	case "extend":
		r, err := svc.Extend(ctx, pos[0], *reason)
		return requestResult(stdout, name, r, err)
	case "requests":
		subject := ""
		if len(pos) == 1 {
			var code int
			if subject, code = findSubject(ctx, store, name, pos[0]); code != exitOK {
				return code
			}
		}
		reqs, err := rights.Requests(ctx, store.DB(), subject, *openOnly)
		if err != nil {
			fmt.Fprintf(os.Stderr, "cvetl %s: %v\n", name, err)
			return exitFailed
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if reqs == nil {
				reqs = []rights.Request{}
			}
			_ = enc.Encode(reqs)
			return exitOK
		}
		for _, r := range reqs {
			printRequest(stdout, r)
		}
		return exitOK
	}

	subject, code := findSubject(ctx, store, name, pos[0])
	if code != exitOK {
		return code
	}
	switch verb {
	case "find":
		reason, err := rights.Restriction(ctx, store.DB(), subject)
		if err != nil {
			fmt.Fprintf(os.Stderr, "cvetl %s: %v\n", name, err)
			return exitFailed
		}
		fmt.Fprintln(stdout, subject)
		if reason != "" {
			fmt.Fprintf(stdout, "  restricted: %s\n", reason)
		}
		return exitOK
	case "export":
		path := *file
		if path == "" && strings.HasSuffix(strings.ToLower(g.Out), ".zip") {
			path = g.Out // `--out FILE.zip`, as the issue spells it
		}
		if path == "" {
			path = filepath.Join(g.Out, "exports", fmt.Sprintf("%s-%s.zip", subject, time.Now().UTC().Format(time.DateOnly)))
		}
		var buf bytes.Buffer
		r, err := svc.Export(ctx, subject, &buf)
		if err == nil {
			err = writeFileAtomic(path, buf.Bytes())
		}
		if code := requestResult(stdout, name, r, err); code != exitOK {
			return code
		}
		fmt.Fprintf(stdout, "  %s\n", path)
		return exitOK
	case "rectify":
		r, err := svc.Rectify(ctx, subject, *field, *value)
		return requestResult(stdout, name, r, err)
	case "erase":
		er, err := svc.Erase(ctx, subject)
		return requestResult(stdout, name, er.Request, err)
	case "restrict":
		r, err := svc.Restrict(ctx, subject, *reason)
		return requestResult(stdout, name, r, err)
	case "unrestrict":
		was, err := svc.Unrestrict(ctx, subject)
		if err != nil {
			return failure(name, err)
		}
		fmt.Fprintf(stdout, "subject %s: restriction (%s) lifted; tell the subject before processing resumes (Art. 18(3))\n", subject, was)
		return exitOK
	case "object":
		r, err := svc.Object(ctx, subject, *processing)
		return requestResult(stdout, name, r, err)
	case "withdraw-consent":
		r, err := svc.WithdrawConsent(ctx, subject, *purpose)
		return requestResult(stdout, name, r, err)
	case "do-not-supply":
		if err := svc.DoNotSupply(ctx, subject, *client, *reason); err != nil {
			return failure(name, err)
		}
		fmt.Fprintf(stdout, "subject %s: on the do-not-supply list (%s)\n", subject, map[bool]string{true: "every client", false: "client " + *client}[*client == ""])
		return exitOK
	}
	fmt.Fprintf(os.Stderr, "cvetl subject: unknown subcommand %q\n%s\n", verb, subjectUsage)
	return exitPartial
}

// findSubject resolves a reference; an ambiguous one is refused with the candidates.
func findSubject(ctx context.Context, store *openedStore, name, ref string) (string, int) {
	id, err := rights.Find(ctx, store.DB(), ref)
	if err != nil {
		return "", failure(name, err)
	}
	return id, exitOK
}

// requestResult prints what happened to a request; a refusal exits 1, a store failure 2.
func requestResult(stdout io.Writer, name string, r rights.Request, err error) int {
	if r.ID != "" {
		printRequest(stdout, r)
	}
	if err == nil {
		return exitOK
	}
	return failure(name, err)
}

func failure(name string, err error) int {
	fmt.Fprintf(os.Stderr, "cvetl %s: %v\n", name, err)
	if errors.Is(err, rights.ErrRefused) {
		return exitPartial
	}
	return exitFailed
}

func printRequest(w io.Writer, r rights.Request) {
	fmt.Fprintf(w, "request %s: %s for %s, received %s, due %s: %s", r.ID, r.Kind, r.SubjectID, r.ReceivedOn, r.DueOn, r.Status)
	if r.Outcome != "" {
		fmt.Fprintf(w, " (%s)", r.Outcome)
	}
	if r.ExtendedReason != "" {
		fmt.Fprintf(w, " [extended: %s]", r.ExtendedReason)
	}
	fmt.Fprintln(w)
}

// writeFileAtomic writes beside the final name and renames, so a reader never sees
// half an archive; mode 0600: it holds personal data.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
