#!/usr/bin/env bash
# S3 ingest benchmark: BENCH_S3_N synthetic CVs (mixed PDF/DOCX/TXT) served by a local
# versitygw, ingested with 1 shard and with 2 shards running side by side (each
# shard writes its own DuckDB file, as sharded workers do). Prints files/s.
# Usage: BENCH_S3_N=20000 scripts/bench-s3.sh   (make bench-s3)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_S3_N:-20000}"
work="${BENCH_DIR:-$(mktemp -d)}"
corpus="$work/corpus-$N"
mkdir -p "$work"
[ -d "$corpus" ] || go run ./tools/gensamples -synthetic "$N" -out "$corpus"
go build -o bin/cvetl ./cmd/cvetl

vgw="$(command -v versitygw || echo "$(go env GOPATH)/bin/versitygw")"
[ -x "$vgw" ] || (cd /tmp && GOFLAGS= go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)

# The posix backend serves a folder: a bucket is a directory, an object a file, so
# the corpus is staged by copying rather than N PUTs. Reads go through the S3 API.
data="$work/s3data"
rm -rf "$data" && mkdir -p "$data/bench" && cp -r "$corpus" "$data/bench/in"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$vgw" --access benchkey --secret benchsecret0123 --port "127.0.0.1:$port" --quiet posix "$data" >"$work/vgw.log" 2>&1 &
vgw_pid=$!
trap 'kill $vgw_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$port" AWS_REGION=us-east-1 CVETL_S3_PATH_STYLE=true
export AWS_ACCESS_KEY_ID=benchkey AWS_SECRET_ACCESS_KEY=benchsecret0123 AWS_EC2_METADATA_DISABLED=true CI=true
export CVETL_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
mb=$(find "$corpus" -type f -printf "%s\n" | awk '{s+=$1} END {printf "%.1f", s/1e6}')
echo "corpus: $N files, ${mb} MB, served from s3://bench/in/ at 127.0.0.1:$port ($(nproc) CPUs)"

rate() { python3 -c "import sys; n=int(sys.argv[1]); t=float(sys.argv[2]); print(f'{n} files in {t:.1f}s: {n/t:.0f} files/s')" "$@"; }

rm -f "$work"/s1*.duckdb* && start=$(date +%s.%N)
/usr/bin/time -f "  peak RSS %M KB" bin/cvetl --db "$work/s1.duckdb" --out "$work/out1" --log-level warn ingest --json s3://bench/in > "$work/s1.json"
end=$(date +%s.%N)
echo "1 shard:  $(rate "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files_seen"])' "$work/s1.json")" "$(echo "$end - $start" | bc)")"

rm -f "$work"/s2-*.duckdb* && start=$(date +%s.%N)
for i in 0 1; do
  bin/cvetl --db "$work/s2-$i.duckdb" --out "$work/out2-$i" --log-level warn ingest --json --shard "$i/2" s3://bench/in > "$work/s2-$i.json" &
done
wait %2 %3
end=$(date +%s.%N)
seen=$(python3 -c 'import json,sys; print(sum(json.load(open(f))["files_seen"] for f in sys.argv[1:]))' "$work"/s2-0.json "$work"/s2-1.json)
echo "2 shards: $(rate "$seen" "$(echo "$end - $start" | bc)") (two processes, one DuckDB file each)"
