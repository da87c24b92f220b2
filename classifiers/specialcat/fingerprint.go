package specialcat

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

// The detector's own source is part of what decides its tags: a release that changes a
// context rule and no data file must still count as a new detector. Test files are
// embedded by the pattern but not hashed.
//
//go:embed *.go
var sourceFS embed.FS

// fingerprintVersion changes when what Fingerprint hashes, or how, changes.
const fingerprintVersion = "cvetl-specialcat-fingerprint/1"

var (
	contentOnce   sync.Once
	contentDigest [sha256.Size]byte
)

// Fingerprint is a short, stable hex name for the detector a mode selects ("" is
// DefaultLearnedMode): a hash of every embedded file that decides its tags (the
// lexicons, forms and cues, the learned model, and this package's Go source), and the
// mode. Two runs with the same fingerprint tag the same text the same way, so a file
// tagged under the current fingerprint need not be read again (`cvetl retag`).
//
// The Art. 9 conditions of the config are not part of it: they decide what a tag
// records, not which tags there are, and a sealed tag is never rewritten.
func Fingerprint(mode LearnedMode) (string, error) {
	if mode == "" {
		mode = DefaultLearnedMode
	}
	valid := false
	for _, m := range LearnedModes {
		valid = valid || m == mode
	}
	if !valid {
		return "", fmt.Errorf("learned special-category mode %q: want one of %v", mode, LearnedModes)
	}
	contentOnce.Do(func() { contentDigest, _ = hashContent() })
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%x\nmode=%s\n", fingerprintVersion, contentDigest, mode)
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// hashContent hashes the embedded data files and non-test Go source in name order,
// each as name, length and bytes, so no two sets of files hash alike. It returns the
// names hashed, for the test that every file in the package is covered.
func hashContent() ([sha256.Size]byte, []string) {
	files := map[string][]byte{"data/learned.tsv": learnedFile}
	collect := func(fsys embed.FS, skip func(string) bool) {
		// The embedded trees are fixed at build time: a walk error is a build defect.
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || skip(p) {
				return err
			}
			b, err := fsys.ReadFile(p)
			files[p] = b
			return err
		})
		if err != nil {
			panic(fmt.Sprintf("specialcat: reading the embedded detector files: %v", err))
		}
	}
	collect(dataFS, func(string) bool { return false })
	collect(sourceFS, func(p string) bool { return strings.HasSuffix(p, "_test.go") })
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return sum, names
}
