package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/cvetl/cvetl/registry"
	"github.com/cvetl/cvetl/sinks/duckstore"
)

func init() {
	register(command{name: "subjects", usage: "subjects import FILE.jsonl", summary: "register client contacts, employees, suppliers… by e-mail and type", run: runSubjects})
}

func runSubjects(ctx context.Context, g globals, args []string, stdout io.Writer) int {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(os.Stderr, `cvetl subjects: usage: cvetl subjects import FILE.jsonl   (lines: {"email":…,"subject_type":…,"at":"YYYY-MM-DD"})`)
		return exitPartial
	}
	return subjectsImport.run(ctx, g, args[1:], stdout)
}

var subjectsImport = jsonlImport{name: "subjects import", runKind: "subjects_import",
	load: func(ctx context.Context, store *openedStore, r io.Reader, file string, runID int64) (any, string, []duckstore.LineError, duckstore.EventsResult, error) {
		res, err := registry.Import(ctx, store, r, file, runID)
		summary := fmt.Sprintf("%d lines, %d subjects created, %d already known, %d roles recorded, %d rejected",
			res.Lines, res.Created, res.Existing, res.Events.Imported, len(res.Errors))
		return res, summary, res.Errors, res.Events, err
	}}
