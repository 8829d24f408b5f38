#!/bin/sh
# Import throughput of libtsrec (one thread, public API) side by side with
# pandas read_csv (+ pd.to_datetime for Forecast timestamps) on the same
# files: (a) the electricity and consumer-electronics Forecast samples in
# ../shared/data/amazon-forecast-samples, (b) a generated 10-million-row
# Personalize interactions CSV and its .gz.
# Usage: bench/run_bench_import.sh [build-dir] [rows]   (default: build, 10000000)
# Use a release build (meson setup -Dbuildtype=release -Dbenchmarks=true).
# ratio = pandas time / libtsrec time (> 1: libtsrec is faster). Both are
# process CPU seconds (best of several runs for the small files), so a busy
# shared machine does not skew the comparison; both run on one core.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
rows=${2:-10000000}
exe="$build/bench/bench_import"
if [ ! -x "$exe" ]; then
    echo "run_bench_import: $exe not found; build with -Dbenchmarks=true first" >&2
    exit 1
fi
shared="$here/../../shared/data/amazon-forecast-samples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Debian's python3-pandas lives in the system interpreter.
pd_py=""
for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import pandas' >/dev/null 2>&1; then
        pd_py=$py
        break
    fi
done
[ -n "$pd_py" ] || echo "# pandas not importable: ratios reported as n/a"

# pandas_time FILE KIND REPEATS -> best seconds
pandas_time() {
    "$pd_py" - "$1" "$2" "$3" <<'PY'
import sys, time
import pandas as pd
path, kind, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
best = 1e300
for _ in range(reps):
    t = time.process_time()
    # Plain read_csv (default type inference, strings as objects) plus the
    # datetime parse, as a pandas user would load these files.
    if kind == "electricity":
        df = pd.read_csv(path, header=None, names=["timestamp", "target_value", "item_id"])
        df["timestamp"] = pd.to_datetime(df["timestamp"], format="%Y-%m-%d %H:%M:%S")
    elif kind == "ce":
        df = pd.read_csv(path)
        df["timestamp"] = pd.to_datetime(df["timestamp"], format="%Y-%m-%d")
    else:
        df = pd.read_csv(path)
    best = min(best, time.process_time() - t)
print("%.4f" % best)
PY
}

# bench NAME KIND FILE REPEATS
bench() {
    line=$("$exe" run "$1" "$2" "$3" "$4")
    echo "$line"
    secs=$(echo "$line" | sed 's/.* seconds=\([^ ]*\).*/\1/')
    mbs=$(echo "$line" | sed 's/.* mb_s=\([^ ]*\).*/\1/')
    bpr=$(echo "$line" | sed 's/.* bytes_per_row=\([^ ]*\).*/\1/')
    ratio=n/a
    if [ -n "$pd_py" ]; then
        pt=$(pandas_time "$3" "$2" "$4")
        ratio=$(awk -v a="$pt" -v b="$secs" 'BEGIN { printf "%.2f", a / b }')
        echo "pandas: name=$1 seconds=$pt"
    fi
    echo "bench: import_csv name=$1 mb_s=$mbs ratio=$ratio bytes_per_row=$bpr" >> "$tmp/summary"
}

if [ -d "$shared" ]; then
    bench electricity electricity "$shared/electricity/item-demand-time.csv" 20
    bench consumer_electronics ce "$shared/whatif/consumer_electronics_TTS.csv" 20
else
    echo "# $shared not found: Forecast samples skipped"
fi
"$exe" gen "$tmp/interactions.csv" "$rows"
gzip -1 -c "$tmp/interactions.csv" > "$tmp/interactions.csv.gz"
bench interactions_10m interactions "$tmp/interactions.csv" 1
bench interactions_10m_gz interactions "$tmp/interactions.csv.gz" 1
cat "$tmp/summary"
