package main

import (
	"testing"

	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/profile"
)

// TestIngestKeyFindsTheSourceRule: retag recovers the key ingest saw from the stored
// location, so that a source's forced CSV mapping applies again.
func TestIngestKeyFindsTheSourceRule(t *testing.T) {
	cfg := config.Config{Sources: []config.SourceRule{
		{Match: "totaljobs/", Channel: "job_board:totaljobs", CSVMapping: "totaljobs"},
		{Match: "reed/", Channel: "job_board:reed"},
	}}
	for _, c := range []struct {
		location string
		channel  profile.Channel
		want     string
	}{
		{"/srv/inbox/totaljobs/2026/export.csv", "job_board:totaljobs", "totaljobs/2026/export.csv"},
		// A parent folder that happens to match another rule does not win.
		{"/srv/reed/inbox/totaljobs/export.csv", "job_board:totaljobs", "totaljobs/export.csv"},
		// No rule of the recorded channel (an ingest --channel override): the file name.
		{"/srv/inbox/totaljobs/export.csv", "direct", "export.csv"},
		{"relative/reed/cv.pdf", "job_board:reed", "reed/cv.pdf"},
	} {
		if got := ingestKey(cfg, c.location, c.channel); got != c.want {
			t.Errorf("ingestKey(%q, %s) = %q, want %q", c.location, c.channel, got, c.want)
		}
		if m := cfg.ChannelFor(ingestKey(cfg, c.location, c.channel)).CSVMapping; (m == "totaljobs") != (c.want == "totaljobs/2026/export.csv" || c.want == "totaljobs/export.csv") {
			t.Errorf("%q: CSV mapping %q", c.location, m)
		}
	}
}
