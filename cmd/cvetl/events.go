package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
)

func init() {
	register(command{name: "events", usage: "events import FILE.jsonl", summary: "import lifecycle events (one JSON object a line)", run: runEvents})
}

func runEvents(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(os.Stderr, "cvetl events: usage: cvetl events import FILE.jsonl")
		return exitPartial
	}
	fs := flag.NewFlagSet("events import", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	files, err := parseInterleaved(fs, args[1:])
	if err != nil || len(files) != 1 {
		fmt.Fprintln(os.Stderr, "cvetl events import: give exactly one JSONL file")
		return exitPartial
	}
	f, err := os.Open(files[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl events import:", err)
		return exitPartial
	}
	defer f.Close()
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl events import:", err)
		return exitFailed
	}
	defer store.Close()
	runID, err := store.BeginRun(ctx, "events_import")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl events import:", err)
		return exitFailed
	}
	res, err := store.ImportEvents(ctx, f, files[0], runID)
	if finishErr := store.FinishEventsRun(context.WithoutCancel(ctx), runID, res, err); finishErr != nil {
		fmt.Fprintln(os.Stderr, "cvetl events import: recording run:", finishErr)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cvetl events import: %s: %v\n", files[0], err)
		return exitFailed
	}
	if *asJSON {
		_ = json.NewEncoder(stdout).Encode(res)
	} else {
		fmt.Fprintf(stdout, "%s: %d lines, %d imported, %d duplicate, %d rejected\n", files[0], res.Lines, res.Imported, res.Duplicate, len(res.Errors))
		for _, e := range res.Errors {
			fmt.Fprintf(stdout, "  %s %s\n", files[0], e)
		}
	}
	if len(res.Errors) > 0 {
		return exitPartial
	}
	return exitOK
}
