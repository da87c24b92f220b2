package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DirSource reads every regular file under a folder, in lexical path order.
type DirSource struct {
	Root string
}

var _ Walker = DirSource{}

// List walks the folder. Hidden files (".DS_Store", editor swap files) are skipped.
func (d DirSource) List(ctx context.Context) ([]Item, error) {
	var items []Item
	err := d.Walk(ctx, func(it Item) error {
		items = append(items, it)
		return nil
	})
	return items, err
}

// Walk yields the files List returns, in the same order, one at a time: it holds only
// the sorted names of the folders it is in, not an Item per file. Hidden files and
// folders are skipped, as are symlinks and other non-regular files.
func (d DirSource) Walk(ctx context.Context, fn func(Item) error) error {
	root, err := filepath.Abs(d.Root)
	if err != nil {
		return err
	}
	st, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("listing %s: %w", d.Root, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("listing %s: not a folder", d.Root)
	}
	err = walkSorted(ctx, root, "", fn)
	var stop errStop
	if err != nil && !errors.As(err, &stop) {
		return fmt.Errorf("listing %s: %w", d.Root, err)
	}
	if errors.As(err, &stop) {
		return stop.err
	}
	return nil
}

// errStop carries an error returned by Walk's fn, so it is not reported as a listing
// failure.
type errStop struct{ err error }

func (e errStop) Error() string { return e.err.Error() }

// walkSorted visits dir (at key prefix rel) depth first. A folder's entries are sorted
// with a "/" after each sub-folder's name, which is exactly the order of the full keys:
// every key under folder "a" starts with "a/", so "a-b" < "a.txt" < "a/x".
func walkSorted(ctx context.Context, dir, rel string, fn func(Item) error) error {
	names, err := sortedNames(dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		sub, isDir := strings.CutSuffix(name, "/")
		path := filepath.Join(dir, sub)
		key := sub
		if rel != "" {
			key = rel + "/" + sub
		}
		if isDir {
			if err := walkSorted(ctx, path, key, fn); err != nil {
				return err
			}
			continue
		}
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() { // a symlink or device; a folder swapped in since the listing
			continue
		}
		if err := fn(Item{Key: key, Location: path, Size: info.Size(), ModTime: info.ModTime().UTC()}); err != nil {
			return errStop{err}
		}
	}
	return nil
}

// sortedNames lists a folder's visible entries, sub-folders marked with a trailing "/".
func sortedNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	for {
		entries, err := f.ReadDir(1024)
		for _, e := range entries {
			name := e.Name()
			switch {
			case strings.HasPrefix(name, "."):
			case e.IsDir():
				names = append(names, name+"/")
			case e.Type().IsRegular():
				names = append(names, name)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(names)
	return names, nil
}

// Open opens a listed file.
func (d DirSource) Open(_ context.Context, it Item) (io.ReadCloser, error) {
	return os.Open(it.Location)
}
