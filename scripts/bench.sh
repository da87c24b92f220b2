#!/usr/bin/env bash
# Ingest benchmark: BENCH_N synthetic CVs (mixed PDF/DOCX/TXT, 1–3 pages), measured end to
# end into DuckDB and for extraction alone, plus pdftotext on the same PDFs as an outside
# reference. Prints files/s, MB/s and peak RSS. Usage: BENCH_N=1000 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_N:-1000}"
work="${BENCH_DIR:-$(mktemp -d)}"
corpus="$work/corpus-$N"
mkdir -p "$work"
[ -d "$corpus" ] || go run ./tools/gensamples -synthetic "$N" -out "$corpus"
go build -o bin/cvetl ./cmd/cvetl
go build -o bin/extractbench ./tools/extractbench
mb=$(find "$corpus" -type f -printf "%s\n" | awk "{s+=\$1} END {printf \"%.1f\", s/1e6}")
echo "corpus: $N files, ${mb} MB in $corpus"

rm -f "$work/bench.duckdb" "$work/bench.duckdb.wal"
/usr/bin/time -f "ingest: %e s elapsed, peak RSS %M KB" \
  bin/cvetl --db "$work/bench.duckdb" --out "$work/out" ingest --json "$corpus" > "$work/ingest.json"
python3 - "$work/ingest.json" "$mb" <<'PY' || cat "$work/ingest.json"
import json, sys
s = json.load(open(sys.argv[1])); mb = float(sys.argv[2])
print(f"ingest: {s['files_new']} files in {s['seconds']:.2f}s: {s['files_new']/s['seconds']:.0f} files/s, {mb/s['seconds']:.1f} MB/s, {s['files_quarantined']} quarantined")
PY

/usr/bin/time -f "extract-only: %e s elapsed, peak RSS %M KB" bin/extractbench "$corpus"

if command -v pdftotext >/dev/null; then
  npdf=$(find "$corpus" -name '*.pdf' | wc -l)
  start=$(date +%s.%N)
  find "$corpus" -name '*.pdf' -print0 | xargs -0 -P "$(nproc)" -n 50 sh -c 'for f; do pdftotext -q "$f" - >/dev/null; done' _
  end=$(date +%s.%N)
  python3 -c "import sys; n=int(sys.argv[1]); t=float(sys.argv[3])-float(sys.argv[2]); print(f'pdftotext reference: {n} PDFs in {t:.2f}s: {n/t:.0f} files/s')" "$npdf" "$start" "$end"
fi
