#!/bin/sh
# SIMS training: libtsrec's recipe core (bench_sims_train) vs the
# numpy/scipy sparse implementation of the same definition
# (bench/sims_ref.py), training time only.
#  1. 20k users x 5k items x 0.5M interactions: the neighbour lists and
#     float32 scores of both must be identical;
#  2. 200k users x 50k items x 10M interactions (Zipf 0.9): the timing
#     (libtsrec best of 3 on `threads` threads, numpy best of 2).
# Usage: bench/run_bench_sims.sh [build-dir] [threads]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
threads=${2:-1}
export OPENBLAS_NUM_THREADS=1
exe="$build/bench/bench_sims_train"
if [ ! -x "$exe" ]; then
    echo "run_bench_sims: $exe not found; build with -Dbenchmarks=true first" >&2
    exit 1
fi
py=""
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy, scipy.sparse' >/dev/null 2>&1; then
        py=$p
        break
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/small" "$tmp/big"
"$exe" "$tmp/small" 20000 5000 500000 "$threads" 1
status=0
if [ -n "$py" ]; then
    "$py" "$here/sims_ref.py" "$tmp/small" --check || status=1
fi
"$exe" "$tmp/big" 200000 50000 10000000 "$threads" 3
if [ -n "$py" ]; then
    "$py" "$here/sims_ref.py" "$tmp/big" || status=1
else
    echo "# numpy / scipy not importable: reference skipped"
fi
exit $status
