#!/bin/sh
# Popularity-Count and SIMS on MovieLens-100k: Personalize offline metrics
# (split seed, default 42), checked against the numpy reference
# bench/personalize_metrics_ref.py to 1e-9, and recipe-core
# GetRecommendations latency p50 / p99.
# Usage: bench/run_bench_personalize.sh [build-dir] [seed]
# Use a release build for the latency numbers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
seed=${2:-42}
exe="$build/bench/bench_personalize"
data="$here/../../shared/data/movielens-100k/u.data"
if [ ! -x "$exe" ]; then
    echo "run_bench_personalize: $exe not found; build with -Dbenchmarks=true first" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$exe" "$data" "$tmp" "$seed"
py=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy' >/dev/null 2>&1; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "# numpy not importable: reference check skipped"
    exit 0
fi
"$py" "$here/personalize_metrics_ref.py" "$data" "$tmp"
