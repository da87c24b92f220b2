package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/profile"
)

// memSink records what the runner commits; the DuckDB sink is tested end to end.
type memSink struct {
	mu      sync.Mutex
	known   map[string]bool
	batches [][]*FileResult
}

func (m *memSink) Known(sha string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.known[sha]
}

func (m *memSink) Commit(_ context.Context, _ int64, batch []*FileResult) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.batches = append(m.batches, append([]*FileResult(nil), batch...))
	for _, r := range batch {
		if !r.Duplicate && !r.Unreadable && m.known[r.SHA256] {
			return fmt.Errorf("content %s… committed twice", r.SHA256[:8]) // as the store's primary key would
		}
	}
	for _, r := range batch {
		if !r.Unreadable {
			m.known[r.SHA256] = true
		}
	}
	return nil
}

func writeInbox(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newRunner(root string, sink Sink, batch int) *Runner {
	return &Runner{
		Source: DirSource{Root: root}, Sink: sink, Workers: 3, Limits: extractors.DefaultLimits,
		Timeout: 5e9, BatchSize: batch,
		ChannelFor: func(key string) profile.Channel {
			if filepath.Dir(key) == "indeed" {
				return "job_board:indeed"
			}
			return "direct"
		},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func cv(i int) string {
	return fmt.Sprintf("Jane Example\njane%d@example.com\n\nWork Experience\nCare Assistant (2019 - Present)\n", i)
}

func TestRunnerCommitsInInputOrderAndCounts(t *testing.T) {
	files := map[string]string{"bad/empty.txt": "", "indeed/dup.txt": cv(1)}
	for i := range 40 {
		files[fmt.Sprintf("direct/cv%02d.txt", i)] = cv(i)
	}
	root := writeInbox(t, files)
	sink := &memSink{known: map[string]bool{}}
	sum, err := newRunner(root, sink, 7).Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, b := range sink.batches {
		if len(b) > 7 {
			t.Errorf("batch of %d, want ≤ 7", len(b))
		}
		for _, r := range b {
			keys = append(keys, r.Item.Key)
		}
	}
	if len(keys) != 42 || keys[0] != "bad/empty.txt" || keys[1] != "direct/cv00.txt" || keys[41] != "indeed/dup.txt" {
		t.Fatalf("commit order: %d results, first %v last %v", len(keys), keys[:2], keys[len(keys)-1])
	}
	for i := 2; i < 41; i++ {
		if keys[i] < keys[i-1] {
			t.Fatalf("out of order at %d: %s after %s", i, keys[i], keys[i-1])
		}
	}
	want := Summary{FilesSeen: 42, FilesNew: 41, FilesDuplicate: 1, FilesQuarantined: 1, Candidates: 40}
	if sum.FilesSeen != want.FilesSeen || sum.FilesNew != want.FilesNew || sum.FilesDuplicate != want.FilesDuplicate ||
		sum.FilesQuarantined != want.FilesQuarantined || sum.Candidates != want.Candidates || sum.QuarantinedByReason["empty_file"] != 1 {
		t.Errorf("summary = %+v", sum)
	}
	last := sink.batches[len(sink.batches)-1]
	if dup := last[len(last)-1]; !dup.Duplicate || len(dup.Candidates) != 0 {
		t.Errorf("in-run duplicate not marked: %+v", dup)
	}
	if ch := sink.batches[0][1].Channel; ch != "direct" {
		t.Errorf("channel = %s", ch)
	}

	again, err := newRunner(root, sink, 7).Run(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if again.FilesNew != 0 || again.FilesDuplicate != 42 {
		t.Errorf("re-run: %+v, want every file a duplicate", again)
	}
}

func TestRunnerRefusesOversizedFileWithoutKeepingIt(t *testing.T) {
	root := writeInbox(t, map[string]string{"big.txt": cv(1) + string(make([]byte, 4096))})
	sink := &memSink{known: map[string]bool{}}
	r := newRunner(root, sink, 10)
	r.Limits.MaxFileBytes = 1024
	sum, err := r.Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	res := sink.batches[0][0]
	if sum.QuarantinedByReason["too_large"] != 1 || res.Data != nil || res.Size <= 1024 || len(res.SHA256) != 64 {
		t.Errorf("oversized file: summary %+v, kept %d bytes, size %d", sum, len(res.Data), res.Size)
	}
}

func TestShardsPartitionTheInputs(t *testing.T) {
	var items []Item
	for i := range 500 {
		items = append(items, Item{Key: fmt.Sprintf("inbox/cv-%d.pdf", i)})
	}
	seen := map[string]int{}
	for i := range 4 {
		part := Shard{Index: i, Of: 4}.Filter(items)
		if len(part) < 80 || len(part) > 170 {
			t.Errorf("shard %d has %d of 500 items", i, len(part))
		}
		for _, it := range part {
			seen[it.Key]++
		}
	}
	for _, it := range items {
		if seen[it.Key] != 1 {
			t.Fatalf("%s is in %d shards", it.Key, seen[it.Key])
		}
	}
	for _, bad := range []string{"4/4", "-1/2", "1", "a/b", "0/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

// flakySource fails to deliver one input, as a network share or S3 might.
type flakySource struct {
	DirSource
	fail string
}

func (f flakySource) Open(ctx context.Context, it Item) (io.ReadCloser, error) {
	if it.Key == f.fail {
		return nil, fmt.Errorf("open %s: %w", it.Key, os.ErrDeadlineExceeded)
	}
	return f.DirSource.Open(ctx, it)
}

func TestUnreadableInputIsRetriedNextRun(t *testing.T) {
	root := writeInbox(t, map[string]string{"a.txt": cv(1), "b.txt": cv(2)})
	sink := &memSink{known: map[string]bool{}}
	r := newRunner(root, sink, 10)
	r.Source = flakySource{DirSource{Root: root}, "b.txt"}
	sum, err := r.Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if sum.FilesUnreadable != 1 || sum.FilesNew != 1 || sum.FilesQuarantined != 0 {
		t.Fatalf("first run: %+v", sum)
	}
	r.Source = DirSource{Root: root}
	again, err := r.Run(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if again.FilesNew != 1 || again.FilesDuplicate != 1 || again.Candidates != 1 {
		t.Errorf("re-run did not pick up the file that failed: %+v", again)
	}
}

// Copies of one content spread over a long run, batches apart: the worker's Known check
// catches those committed before it looked, the writer's bounded memory of recent hashes
// the rest. None may reach the sink twice (memSink fails the run, as the store would).
func TestRunnerCatchesCopiesAcrossBatches(t *testing.T) {
	files := map[string]string{}
	for i := range 300 {
		body := cv(i)
		if i%3 == 0 {
			body = cv(-1) // one content, 100 copies
		}
		files[fmt.Sprintf("cv%03d.txt", i)] = body
	}
	root := writeInbox(t, files)
	sink := &memSink{known: map[string]bool{}}
	for _, batch := range []int{1, 5, 64} {
		sink.known, sink.batches = map[string]bool{}, nil
		sum, err := newRunner(root, sink, batch).Run(context.Background(), 1)
		if err != nil {
			t.Fatalf("batch size %d: %v", batch, err)
		}
		if sum.FilesSeen != 300 || sum.FilesNew != 201 || sum.FilesDuplicate != 99 {
			t.Errorf("batch size %d: %+v, want 300 seen, 201 new, 99 duplicates", batch, sum)
		}
	}
}
