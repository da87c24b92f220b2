#!/usr/bin/env bash
# Lake import benchmark: BENCH_IMPORT_N synthetic CVs ingested as 2 shards side by side,
# each into its own store and writing a local lake with its sealed handoff, then
# `cvetl lake import` into a fresh authoritative store (timed, with peak RSS), then a
# second import (nothing new). Prints files/s.
# Usage: BENCH_IMPORT_N=20000 scripts/bench-lake-import.sh   (make bench-lake-import)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_IMPORT_N:-20000}"
work="${BENCH_DIR:-$(mktemp -d)}"
corpus="${BENCH_CORPUS:-$work/corpus-$N}"
mkdir -p "$work"
[ -d "$corpus" ] || go run ./tools/gensamples -synthetic "$N" -out "$corpus"
go build -o bin/cvetl ./cmd/cvetl
export CI=true CVETL_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
run="$work/lake-import-run"
rm -rf "$run" && mkdir -p "$run"
echo "corpus: $(find "$corpus" -type f | wc -l) files in $corpus ($(nproc) CPUs)"
rate() { python3 -c "import sys; n=int(sys.argv[1]); t=float(sys.argv[2]); print(f'{n} files in {t:.1f}s: {n/t:.0f} files/s')" "$@"; }
files_new() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("summary", d)["files_new"])' "$1"; }

start=$(date +%s.%N)
for i in 0 1; do
  bin/cvetl --db "$run/shard-$i.duckdb" --out "$run/out-$i" --log-level warn \
    ingest --json --shard "$i/2" "$corpus" --lake "$run/lake" > "$run/shard-$i.json" &
done
wait
end=$(date +%s.%N)
echo "2 shards side by side, with lake and handoff: $(rate "$(( $(files_new "$run/shard-0.json") + $(files_new "$run/shard-1.json") ))" "$(echo "$end - $start" | bc)")"
du -sh "$run/lake/_restricted" "$run/lake/profiles" | sed 's/^/  /'

start=$(date +%s.%N)
/usr/bin/time -f "  peak RSS %M KB" bin/cvetl --db "$run/auth.duckdb" --out "$run/out-auth" --log-level warn \
  lake import --lake "$run/lake" --json > "$run/import.json"
end=$(date +%s.%N)
echo "lake import into a fresh store: $(rate "$(files_new "$run/import.json")" "$(echo "$end - $start" | bc)")"

start=$(date +%s.%N)
bin/cvetl --db "$run/auth.duckdb" --out "$run/out-auth" --log-level warn lake import --lake "$run/lake" --json > "$run/import2.json"
end=$(date +%s.%N)
echo "second import: $(files_new "$run/import2.json") new files in $(echo "$end - $start" | bc | cut -c1-5)s"
rm -rf "$run"
