#!/usr/bin/env bash
# RSS over time at a fine grain: runs a command, reads its VmRSS every 5 ms (smaps, as
# rss-profile.sh reads, is too slow for that), writes "ms_since_start rss_mb" lines to
# SAMPLES and prints the peak and the peak of each WINDOW seconds. Short spikes, such as
# DuckDB's checkpoints, fall between rss-profile.sh's one-second samples; this sees them.
# Usage: scripts/rss-trace.sh SAMPLES WINDOW_S COMMAND [ARGS...]
set -euo pipefail
samples="${1:?usage: scripts/rss-trace.sh SAMPLES WINDOW_S COMMAND [ARGS...]}"
window="${2:?usage: scripts/rss-trace.sh SAMPLES WINDOW_S COMMAND [ARGS...]}"
shift 2
python3 - "$samples" "$window" "$@" <<'PY'
import subprocess, sys, time
out, window, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
start = time.monotonic()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
rows = []
while proc.poll() is None:
    try:
        with open(f"/proc/{proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rows.append((int((time.monotonic() - start) * 1000), int(line.split()[1]) // 1024))
    except (FileNotFoundError, ProcessLookupError):
        break
    time.sleep(0.005)
with open(out, "w") as f:
    f.writelines(f"{ms} {mb}\n" for ms, mb in rows)
if not rows:
    sys.exit(f"rss-trace: no sample of {cmd[0]}")
peaks = {}
for ms, mb in rows:
    k = int(ms / 1000 // window)
    peaks[k] = max(peaks.get(k, 0), mb)
print(f"exit {proc.returncode}, {len(rows)} samples, peak {max(mb for _, mb in rows)} MB")
print(" ".join(f"{k * window:g}s:{mb}" for k, mb in sorted(peaks.items())))
sys.exit(proc.returncode)
PY
