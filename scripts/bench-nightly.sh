#!/usr/bin/env bash
# Nightly retention benchmark. Generates BENCH_SUBJECTS subjects (default 1,000,000) and
# BENCH_EVENTS lifecycle events (default 10,000,000), with profiles, sources and
# special-category rows, directly in DuckDB (jobs/internal/benchgen), then times
# `cvetl nightly` on a fresh copy of that store for each preset in BENCH_POLICIES,
# printing elapsed seconds, peak RSS and the manifest size.
# Targets on the project's 2-core machine: ≤ 60 s and ≤ 2 GiB peak RSS per run.
# Usage: scripts/bench-nightly.sh   (BENCH_DIR keeps the generated store between runs)
set -euo pipefail
cd "$(dirname "$0")/.."
SUBJECTS="${BENCH_SUBJECTS:-1000000}"
EVENTS="${BENCH_EVENTS:-10000000}"
POLICIES="${BENCH_POLICIES:-it-thread total-ten 121-recruitment tophat scotnursing}"
AS_OF="${BENCH_AS_OF:-2025-12-31}"
MEMORY_LIMIT="${BENCH_MEMORY_LIMIT:-512MB}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
base="$work/nightly-$SUBJECTS-$EVENTS.duckdb"

go build -o bin/cvetl ./cmd/cvetl
if [ ! -f "$base" ]; then
  go run ./jobs/internal/benchgen -db "$base" -subjects "$SUBJECTS" -events "$EVENTS"
fi
echo "store: $SUBJECTS subjects, $EVENTS events, $(du -h "$base" | cut -f1) in $base"
echo "cvetl nightly --as-of $AS_OF --memory-limit $MEMORY_LIMIT on $(nproc) cores (targets: ≤ 60 s, ≤ 2 GiB)"

status=0
for policy in $POLICIES; do
  run="$work/run.duckdb"
  rm -rf "$run" "$run.wal" "$run.tmp" "$work/run.keys.duckdb" "$work/run.keys.duckdb.wal" "$run.nightly.lock"
  cp "$base" "$run"
  /usr/bin/time -o "$work/time-$policy.txt" -f "%e %M" \
    bin/cvetl --db "$run" --out "$work/out" --log-level warn \
      nightly --as-of "$AS_OF" --policy "$policy" --memory-limit "$MEMORY_LIMIT" --json > "$work/nightly-$policy.json"
  read -r secs kb < "$work/time-$policy.txt"
  rows=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["rows"], "rows,", r["flagged"], "flagged")' "$work/nightly-$policy.json")
  verdict=ok
  if awk -v s="$secs" -v k="$kb" 'BEGIN { exit !(s > 60 || k > 2097152) }'; then verdict="OVER TARGET"; status=1; fi
  printf "nightly %-16s %6.1f s elapsed, peak RSS %5d MB  (%s)  %s\n" "$policy" "$secs" "$((kb / 1024))" "$rows" "$verdict"
done
exit $status
