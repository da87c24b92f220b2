// Package sqlfiles reads the SQL files packages embed: jobs, the lake export and the
// lake handoff each keep their queries as readable files under sql/.
package sqlfiles

import "embed"

// Read returns sql/<name>.sql from fsys. A missing file is a programming error — the
// names are constants and the files are embedded at build time — so it panics.
func Read(fsys embed.FS, name string) string {
	b, err := fsys.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic("sqlfiles: no embedded SQL file sql/" + name + ".sql")
	}
	return string(b)
}
