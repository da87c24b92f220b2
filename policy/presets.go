package policy

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// The five customer presets, one per privacy notice in ../shared/seeds.
//
//go:embed presets/*.yaml
var presets embed.FS

// PresetIDs lists the preset ids, sorted.
func PresetIDs() []string {
	names, _ := fs.Glob(presets, "presets/*.yaml")
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = strings.TrimSuffix(path.Base(n), ".yaml")
	}
	slices.Sort(ids)
	return ids
}

// PresetYAML returns a preset's file, e.g. to start a custom policy from.
func PresetYAML(id string) ([]byte, error) {
	data, err := presets.ReadFile("presets/" + id + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no preset %q (presets: %s)", id, strings.Join(PresetIDs(), ", "))
	}
	return data, nil
}

// Preset parses and validates an embedded preset.
func Preset(id string) (*Policy, error) {
	data, err := PresetYAML(id)
	if err != nil {
		return nil, err
	}
	return Parse("policy/presets/"+id+".yaml", data)
}
