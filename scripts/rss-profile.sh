#!/usr/bin/env bash
# Where does ingest's RSS go? Runs `cvetl ingest` on a corpus into a fresh store and samples
# /proc/PID/smaps every second, summing Rss by kind of mapping:
#   binary  the cvetl executable's own file-backed pages
#   files   other file-backed mappings (shared libraries, locale)
#   brk     [heap]: glibc malloc's main arena (cvetl selects one arena, malloc_linux.go)
#   go      anonymous mappings in the Go heap's address range (0xc000000000…)
#   anon    other anonymous mappings: DuckDB's bundled jemalloc, glibc's mmap'd chunks,
#           thread stacks
# Prints one line per sample, then the largest mappings at peak and each kind's growth from
# the first sample after start-up (t=2 s) to the peak.
# Usage: scripts/rss-profile.sh CORPUS_DIR [SAMPLES_TSV [INGEST_FLAGS...]]   (env passes through;
# RSS_PROFILE_BIN=path profiles an already built binary instead of building one)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:?usage: scripts/rss-profile.sh CORPUS_DIR [SAMPLES_TSV]}"
[ -d "$corpus" ] || { echo "rss-profile: corpus $corpus is not a directory" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tsv="${2:-$work/samples.tsv}"
# Go 1.26 randomises the heap's base address; without that the Go heap sits at 0xc000000000
# and can be told apart from the C allocators' mappings. A separate binary, so bench.sh's
# bin/cvetl stays the shipped build.
bin="${RSS_PROFILE_BIN:-bin/cvetl-rssprofile}"
[ -n "${RSS_PROFILE_BIN:-}" ] || GOEXPERIMENT=norandomizedheapbase64 go build -o "$bin" ./cmd/cvetl
"$bin" --db "$work/rss.duckdb" --out "$work/out" ingest --json "${@:3}" "$corpus" > "$work/ingest.json" &
pid=$!
python3 - "$pid" "$(readlink -f "$bin")" "$tsv" <<'PY'
import os, sys, time
pid, binary, tsv = int(sys.argv[1]), sys.argv[2], sys.argv[3]
KINDS = ("binary", "files", "brk", "go", "anon")

def kind(start, name):
    if name == binary:
        return "binary"
    if name.startswith("/"):
        return "files"
    if name == "[heap]":
        return "brk"
    if 0xc000000000 <= start < 0xc100000000:
        return "go"
    if name in ("", "[anon]") or name.startswith("[stack"):
        return "anon"
    return "files"  # [vdso], [vvar] and the like: a few pages

def sample():
    maps, cur = [], None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split(None, 5)
            if "-" in head[0] and not head[0].endswith(":"):
                lo, hi = (int(x, 16) for x in head[0].split("-"))
                cur = [lo, hi, head[5].strip() if len(head) > 5 else "", 0]
                maps.append(cur)
            elif head[0] == "Rss:":
                cur[3] = int(head[1])  # kB
    return maps

t0, series, peak = time.time(), [], (0, None, [])
with open(tsv, "w") as out:
    print("t_s\trss_mb\t" + "\t".join(k + "_mb" for k in KINDS), file=out)
    while True:
        try:
            maps = sample()
        except (FileNotFoundError, ProcessLookupError):
            break
        t = time.time() - t0
        by = dict.fromkeys(KINDS, 0)
        for lo, hi, name, rss in maps:
            by[kind(lo, name)] += rss
        total = sum(by.values())
        series.append((t, total, by))
        if total > peak[0]:
            peak = (total, t, maps)
        row = f"{t:.0f}\t{total/1024:.1f}\t" + "\t".join(f"{by[k]/1024:.1f}" for k in KINDS)
        print(row, file=out)
        print(row, flush=True)
        time.sleep(1)

if not series:
    sys.exit("rss-profile: the ingest exited before the first sample")
total, t, maps = peak
print(f"\npeak {total/1024:.1f} MB at t={t:.0f}s; largest mappings then:")
for lo, hi, name, rss in sorted(maps, key=lambda m: -m[3])[:8]:
    print(f"  {lo:012x}-{hi:012x} {(hi-lo)/2**20:8.1f} MB virtual {rss/1024:7.1f} MB rss  {kind(lo, name)} {name}")
base = next((s for s in series if s[0] >= 2), series[0])
pk = max(series, key=lambda s: s[1])
print(f"growth from t={base[0]:.0f}s ({base[1]/1024:.1f} MB) to peak ({pk[1]/1024:.1f} MB):")
for k in KINDS:
    print(f"  {k:7s} {base[2][k]/1024:7.1f} -> {pk[2][k]/1024:7.1f} MB  ({(pk[2][k]-base[2][k])/1024:+.1f})")
PY
wait "$pid"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(f\"ingest: {s['files_new']} files in {s['seconds']:.2f}s: {s['files_new']/s['seconds']:.0f} files/s\")" "$work/ingest.json"
