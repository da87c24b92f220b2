package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cvetl/cvetl/policy"
	"github.com/cvetl/cvetl/registry"
)

func init() {
	register(command{name: "subjects", usage: "subjects import FILE.jsonl", summary: "register client contacts, employees, suppliers… by e-mail and type", run: runSubjects})
}

func runSubjects(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(os.Stderr, `cvetl subjects: usage: cvetl subjects import FILE.jsonl   (lines: {"email":…,"subject_type":…,"at":"YYYY-MM-DD"})`)
		return exitPartial
	}
	fs := flag.NewFlagSet("subjects import", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	files, err := parseInterleaved(fs, args[1:])
	if err != nil || len(files) != 1 {
		fmt.Fprintln(os.Stderr, "cvetl subjects import: give exactly one JSONL file")
		return exitPartial
	}
	f, err := os.Open(files[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl subjects import:", err)
		return exitPartial
	}
	defer f.Close()
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl subjects import:", err)
		return exitFailed
	}
	defer store.Close()
	runID, err := store.BeginRun(ctx, "subjects_import")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl subjects import:", err)
		return exitFailed
	}
	res, err := registry.Import(ctx, store, f, files[0], runID)
	if ferr := store.FinishEventsRun(context.WithoutCancel(ctx), runID, res.Events, err); ferr != nil {
		fmt.Fprintln(os.Stderr, "cvetl subjects import: recording run:", ferr)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cvetl subjects import: %s: %v\n", files[0], err)
		return exitFailed
	}
	if *asJSON {
		_ = json.NewEncoder(stdout).Encode(res)
	} else {
		fmt.Fprintf(stdout, "%s: %d lines, %d subjects created, %d already known, %d roles recorded, %d rejected\n",
			files[0], res.Lines, res.Created, res.Existing, res.Events.Imported, len(res.Errors))
		for _, e := range res.Errors {
			fmt.Fprintf(stdout, "  %s:%s\n", files[0], e)
		}
	}
	if len(res.Errors) > 0 {
		return exitPartial
	}
	return exitOK
}

func presetList() string { return strings.Join(policy.PresetIDs(), ", ") }
