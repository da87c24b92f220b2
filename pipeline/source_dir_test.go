package pipeline

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
)

// Walk must yield exactly List's items in List's order (sorted keys), although it sorts
// one folder at a time: "a-b" < "a.txt" < "a/x" although the folder "a" sorts first.
func TestWalkYieldsSortedKeysOneFolderAtATime(t *testing.T) {
	root := writeInbox(t, map[string]string{
		"a-b.txt": "1", "a.txt": "2", "a/x.txt": "3", "a/b/c.txt": "4", "a0.txt": "5",
		"B.txt": "6", "z/.DS_Store": "7", ".git/config": "8", "z/y.txt": "9",
	})
	var walked []string
	if err := (DirSource{Root: root}).Walk(context.Background(), func(it Item) error {
		if !strings.HasSuffix(it.Location, it.Key) || it.Size != 1 || it.ModTime.IsZero() {
			t.Errorf("item %+v", it)
		}
		walked = append(walked, it.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"B.txt", "a-b.txt", "a.txt", "a/b/c.txt", "a/x.txt", "a0.txt", "z/y.txt"}
	if !sort.StringsAreSorted(want) || strings.Join(walked, " ") != strings.Join(want, " ") {
		t.Errorf("walked %v, want %v", walked, want)
	}
	listed, err := DirSource{Root: root}.List(context.Background())
	if err != nil || len(listed) != len(want) || listed[3].Key != "a/b/c.txt" {
		t.Errorf("List = %v, %v", listed, err)
	}
}

func TestWalkStopsOnTheCallersError(t *testing.T) {
	root := writeInbox(t, map[string]string{"a.txt": "1", "b.txt": "2"})
	stop := errors.New("enough")
	n := 0
	err := DirSource{Root: root}.Walk(context.Background(), func(Item) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("Walk = %v after %d items, want the caller's error itself after 1", err, n)
	}
	if err := (DirSource{Root: root + "/missing"}).Walk(context.Background(), func(Item) error { return nil }); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing folder: %v", err)
	}
}
