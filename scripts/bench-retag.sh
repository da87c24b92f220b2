#!/usr/bin/env bash
# Retag cost (docs/retag.md): BENCH_N synthetic CVs (tools/gensamples) ingested with the
# rules alone (special_categories.learned: off), then one `cvetl retag` with the default
# detector, timed with peak RSS. Usage: BENCH_N=5000 scripts/bench-retag.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_N:-5000}"
work="${BENCH_DIR:-$(mktemp -d)}"
corpus="$work/corpus-$N"
mkdir -p "$work"
[ -d "$corpus" ] || go run ./tools/gensamples -synthetic "$N" -out "$corpus"
go build -o bin/cvetl ./cmd/cvetl
printf 'special_categories:\n  learned: off\n' > "$work/rules.yaml"
printf 'special_categories: {}\n' > "$work/default.yaml"
rm -f "$work"/bench.* 
export CI=true
/usr/bin/time -f "ingest (rules alone): %e s elapsed, peak RSS %M KB" \
  bin/cvetl --config "$work/rules.yaml" --db "$work/bench.duckdb" --out "$work/out" ingest --json "$corpus" > "$work/ingest.json"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(f\"ingest: {s['files_new']} files, {s['candidates']} candidates in {s['seconds']:.2f}s\")" "$work/ingest.json"
/usr/bin/time -f "retag: %e s elapsed, peak RSS %M KB" \
  bin/cvetl --config "$work/default.yaml" --db "$work/bench.duckdb" --out "$work/out" retag --json > "$work/retag.json"
cat "$work/retag.json"
# Every file is now current: what retag and the nightly's retag step cost on a store
# the detector has caught up with.
/usr/bin/time -f "retag again (every file current): %e s elapsed, peak RSS %M KB" \
  bin/cvetl --config "$work/default.yaml" --db "$work/bench.duckdb" --out "$work/out" retag --json > "$work/retag2.json"
cat "$work/retag2.json"
/usr/bin/time -f "nightly (every file current): %e s elapsed, peak RSS %M KB" \
  bin/cvetl --config "$work/default.yaml" --db "$work/bench.duckdb" --out "$work/out" nightly --json \
  --as-of "$(date -u +%F)" --policy it-thread > "$work/nightly.json"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('nightly retag step:', json.dumps(r.get('retag')), f\"; nightly run {r['seconds']:.2f}s\")" "$work/nightly.json"
