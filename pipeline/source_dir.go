package pipeline

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DirSource reads every regular file under a folder, in lexical path order.
type DirSource struct {
	Root string
}

// List walks the folder. Hidden files (".DS_Store", editor swap files) are skipped.
func (d DirSource) List(ctx context.Context) ([]Item, error) {
	root, err := filepath.Abs(d.Root)
	if err != nil {
		return nil, err
	}
	var items []Item
	err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if strings.HasPrefix(e.Name(), ".") && path != root {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		items = append(items, Item{Key: filepath.ToSlash(rel), Location: path, Size: info.Size(), ModTime: info.ModTime().UTC()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", d.Root, err)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Key < items[j].Key })
	return items, nil
}

// Open opens a listed file.
func (d DirSource) Open(_ context.Context, it Item) (io.ReadCloser, error) {
	return os.Open(it.Location)
}
