#!/bin/sh
# Regenerate docs/stats-report.png: a fictional population of 100,000 (tools/popgen),
# `cvetl stats report`, and a headless Chromium screenshot of the page (no network:
# the page is self-contained). Needs bin/cvetl (make build) and chromium.
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go run ./tools/popgen -db "$dir/pop.duckdb" -n "${N:-100000}"
bin/cvetl --db "$dir/pop.duckdb" --out "$dir/report.html" stats report --as-of 2026-11-26
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
	--window-size=1000,2400 --screenshot="$dir/report.png" "file://$dir/report.html" 2>/dev/null
cp "$dir/report.png" docs/stats-report.png
echo "docs/stats-report.png"
