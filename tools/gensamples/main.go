// Command gensamples writes cvetl's fictional sample data.
//
//	go run ./tools/gensamples -testdata testdata        # inbox/, events.jsonl, cvetl.yaml, README.md
//	go run ./tools/gensamples -out testdata/inbox       # the sample inbox only
//	go run ./tools/gensamples -synthetic 10000 -out /tmp/corpus [-seed 1] [-mix pdf=45,pdf2col=15,docx=25,txt=15]
//
// Output is deterministic: re-running gives byte-identical files, which
// `go test ./internal/samplegen` checks against the committed testdata.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/cvetl/cvetl/internal/samplegen"
)

func main() {
	out := flag.String("out", "", "folder to write the sample inbox (or, with -synthetic, the corpus) into")
	testdata := flag.String("testdata", "", "folder to write the whole sample set into: inbox/, events.jsonl, cvetl.yaml, README.md")
	synthetic := flag.Int("synthetic", 0, "write this many synthetic CVs (cv-000001.pdf, ...) into -out instead of the sample inbox")
	seed := flag.Uint64("seed", 1, "seed of the synthetic corpus")
	mix := flag.String("mix", samplegen.DefaultMix, "synthetic format mix: kind=weight,... with kinds pdf, pdf2col, docx, txt")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: gensamples -testdata DIR | -out DIR | -synthetic N -out DIR [-seed S] [-mix M]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 || (*out == "" && *testdata == "") || (*synthetic > 0 && *out == "") {
		flag.Usage()
		os.Exit(2)
	}
	start := time.Now()
	var err error
	switch {
	case *synthetic > 0:
		err = samplegen.Synthetic(*synthetic, *seed, *out, *mix)
		if err == nil {
			fmt.Fprintf(os.Stderr, "gensamples: wrote %d CVs to %s in %.1fs\n", *synthetic, *out, time.Since(start).Seconds())
		}
	case *testdata != "":
		err = samplegen.WriteTestdata(*testdata)
		if err == nil {
			warnStale(filepath.Join(*testdata, "inbox"))
		}
	default:
		err = samplegen.WriteInbox(*out)
		if err == nil {
			warnStale(*out)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gensamples:", err)
		os.Exit(1)
	}
}

// warnStale names files in the inbox the generator no longer writes; it does not
// delete them, in case -out points somewhere unexpected.
func warnStale(dir string) {
	want := map[string]bool{}
	for _, e := range samplegen.Manifest() {
		want[e.Path] = true
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		if !want[filepath.ToSlash(rel)] {
			fmt.Fprintf(os.Stderr, "gensamples: %s is not generated any more; delete it if it is stale\n", path)
		}
		return nil
	})
	fmt.Fprintf(os.Stderr, "gensamples: wrote %d files to %s\n", len(want), dir)
}
