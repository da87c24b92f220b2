// Command extractbench measures extraction and parsing alone — no hashing index, no
// store — with the same worker count and the same special-category detector as ingest
// (the default learned mode), so `make bench` can put the two side by side.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/pipeline"
)

func main() {
	workers := flag.Int("workers", runtime.NumCPU(), "parallel workers")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: extractbench [-workers N] DIR")
		os.Exit(1)
	}
	detect, err := specialcat.DetectorFor(specialcat.DefaultLearnedMode)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx := pipeline.WithSpecialDetector(context.Background(), detect)
	items, err := pipeline.DirSource{Root: flag.Arg(0)}.List(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var bytes, failed atomic.Int64
	jobs := make(chan pipeline.Item)
	var wg sync.WaitGroup
	start := time.Now()
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				data, err := os.ReadFile(it.Location)
				if err != nil {
					failed.Add(1)
					continue
				}
				bytes.Add(int64(len(data)))
				if _, err := pipeline.Analyse(ctx, extractors.Input{Name: it.Key, Data: data}, extractors.DefaultLimits, 30*time.Second); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
	secs := time.Since(start).Seconds()
	fmt.Printf("extract-only: %d files (%d failed), %.1f MB in %.2fs: %.0f files/s, %.1f MB/s\n",
		len(items), failed.Load(), float64(bytes.Load())/1e6, secs, float64(len(items))/secs, float64(bytes.Load())/1e6/secs)
}
