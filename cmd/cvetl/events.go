package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/cvetl/cvetl/sinks/duckstore"
)

func init() {
	register(command{name: "events", usage: "events import FILE.jsonl", summary: "import lifecycle events (one JSON object a line)", run: runEvents})
}

func runEvents(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(os.Stderr, "cvetl events: usage: cvetl events import FILE.jsonl")
		return exitPartial
	}
	return eventsImport.run(ctx, g, args[1:], stdout)
}

var eventsImport = jsonlImport{name: "events import", runKind: "events_import",
	load: func(ctx context.Context, store *openedStore, r io.Reader, file string, runID int64) (any, string, []duckstore.LineError, duckstore.EventsResult, error) {
		res, err := store.ImportEvents(ctx, r, file, runID)
		summary := fmt.Sprintf("%d lines, %d imported, %d duplicate, %d rejected", res.Lines, res.Imported, res.Duplicate, len(res.Errors))
		return res, summary, res.Errors, res, err
	}}
