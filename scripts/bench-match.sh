#!/usr/bin/env bash
# Matching benchmark. Generates BENCH_MATCH_CANDIDATES candidates (default 1,000,000) and
# BENCH_MATCH_VACANCIES open vacancies (default 10,000) directly in DuckDB
# (matching/internal/matchgen: skills from the real taxonomy, job histories,
# qualifications, postcodes; fictional), then times `cvetl matches run` on a fresh copy
# of that store: elapsed seconds, peak RSS, rows. Target on the project's 2-core machine:
# ≤ 300 s for 10,000 x 1,000,000.
# Usage: scripts/bench-match.sh   (BENCH_DIR keeps the generated store between runs)
set -euo pipefail
cd "$(dirname "$0")/.."
CANDIDATES="${BENCH_MATCH_CANDIDATES:-1000000}"
VACANCIES="${BENCH_MATCH_VACANCIES:-10000}"
AS_OF="${BENCH_AS_OF:-2026-11-26}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
base="$work/match-$CANDIDATES-$VACANCIES.duckdb"

go build -o bin/cvetl ./cmd/cvetl
if [ ! -f "$base" ]; then
  go run ./matching/internal/matchgen -db "$base" -candidates "$CANDIDATES" -vacancies "$VACANCIES" -as-of "$AS_OF"
fi
echo "store: $CANDIDATES candidates, $VACANCIES vacancies, $(du -h "$base" | cut -f1) in $base"
run="$work/run.duckdb"
rm -rf "$run" "$run.wal" "$work/run.keys.duckdb" "$work/run.keys.duckdb.wal" "$run.nightly.lock" "$work/out"
cp "$base" "$run"
echo "cvetl matches run --as-of $AS_OF on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (target: ≤ 300 s)"
/usr/bin/time -o "$work/time-match.txt" -f "%e %M %U %S" \
  bin/cvetl --db "$run" --out "$work/out" --log-level info matches run --as-of "$AS_OF" --json > "$work/match.json"
read -r secs kb user sys < "$work/time-match.txt"
summary=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["vacancies"], "vacancies x", r["candidates"], "candidates ->", r["rows"], "rows")' "$work/match.json")
verdict=ok
status=0
if awk -v s="$secs" 'BEGIN { exit !(s > 300) }'; then verdict="OVER TARGET"; status=1; fi
printf "matching: %s in %.1f s elapsed (CPU %.1f s user + %.1f s sys), peak RSS %d MB, load average after %s  %s\n" \
  "$summary" "$secs" "$user" "$sys" "$((kb / 1024))" "$(cut -d' ' -f1-3 /proc/loadavg)" "$verdict"
exit $status
