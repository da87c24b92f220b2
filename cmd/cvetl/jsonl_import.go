package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cvetl/cvetl/sinks/duckstore"
)

// jsonlImport is what `events import` and `subjects import` share: one JSONL file,
// recorded as a run, bad lines reported by number and skipped.
type jsonlImport struct {
	name    string // "events import"
	runKind string // runs.kind
	// load imports r and returns the result to print, its one-line summary, the
	// rejected lines and the events part for the run ledger.
	load func(ctx context.Context, store *openedStore, r io.Reader, file string, runID int64) (result any, summary string, rejected []duckstore.LineError, events duckstore.EventsResult, err error)
}

func (imp jsonlImport) run(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet(imp.name, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	files, err := parseInterleaved(fs, args)
	if err != nil || len(files) != 1 {
		fmt.Fprintf(os.Stderr, "cvetl %s: give exactly one JSONL file\n", imp.name)
		return exitPartial
	}
	f, err := os.Open(files[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "cvetl %s: %v\n", imp.name, err)
		return exitPartial
	}
	defer f.Close()
	store, err := openStore(ctx, g, false)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cvetl %s: %v\n", imp.name, err)
		return exitFailed
	}
	defer store.Close()
	runID, err := store.BeginRun(ctx, imp.runKind)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cvetl %s: %v\n", imp.name, err)
		return exitFailed
	}
	res, summary, rejected, events, err := imp.load(ctx, store, f, files[0], runID)
	if ferr := store.FinishEventsRun(context.WithoutCancel(ctx), runID, events, err); ferr != nil {
		fmt.Fprintf(os.Stderr, "cvetl %s: recording run: %v\n", imp.name, ferr)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cvetl %s: %s: %v\n", imp.name, files[0], err)
		return exitFailed
	}
	if *asJSON {
		_ = json.NewEncoder(stdout).Encode(res)
	} else {
		fmt.Fprintf(stdout, "%s: %s\n", files[0], summary)
		for _, e := range rejected {
			fmt.Fprintf(stdout, "  %s %s\n", files[0], e)
		}
	}
	if len(rejected) > 0 {
		return exitPartial
	}
	return exitOK
}
