#!/bin/sh
# Personalize offline metrics (Popularity-Count and SIMS), checked against
# the numpy reference bench/personalize_metrics_ref.py to 1e-9:
#  1. the recipe cores on MovieLens-100k (bench_personalize: codes = ids - 1,
#     lists and metrics checked), with recipe-core latency p50 / p99;
#  2. the public API path (bench_personalize_api quality:
#     tsrec_solution_train + tsrec_solution_version_metric) on
#     MovieLens-100k and MovieLens-latest-small, metrics checked.
# Both use split seed `seed` (default 42); the two paths give different
# numbers on ml-100k because the public path's user / item codes are the
# group dictionaries' first-seen order, not id - 1: the same seed shuffles
# other users into the test set and ties break in another item order.
# Usage: bench/run_bench_personalize.sh [build-dir] [seed]
# Use a release build for the latency numbers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
seed=${2:-42}
export OPENBLAS_NUM_THREADS=1
exe="$build/bench/bench_personalize"
api="$build/bench/bench_personalize_api"
data="$here/../../shared/data/movielens-100k/u.data"
small="$here/../../shared/data/movielens-latest-small/ratings.csv"
for e in "$exe" "$api"; do
    if [ ! -x "$e" ]; then
        echo "run_bench_personalize: $e not found; build with -Dbenchmarks=true first" >&2
        exit 1
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=""
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy' >/dev/null 2>&1; then
        py=$p
        break
    fi
done
status=0
echo "== recipe cores, ml-100k =="
mkdir -p "$tmp/core"
"$exe" "$data" "$tmp/core" "$seed"
if [ -n "$py" ]; then
    "$py" "$here/personalize_metrics_ref.py" "$data" "$tmp/core" || status=1
fi
for kind in ml100k mlsmall; do
    f=$data
    [ "$kind" = mlsmall ] && f=$small
    if [ ! -f "$f" ]; then
        echo "# $f not found: $kind skipped"
        continue
    fi
    echo "== public API, $kind =="
    mkdir -p "$tmp/$kind"
    "$api" quality "$kind" "$f" "$tmp/$kind" "$seed"
    if [ -n "$py" ]; then
        "$py" "$here/personalize_metrics_ref.py" --public "$kind" "$f" "$tmp/$kind" || status=1
    fi
done
[ -n "$py" ] || echo "# numpy not importable: reference checks skipped"
exit $status
