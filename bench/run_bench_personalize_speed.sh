#!/bin/sh
# GetRecommendations latency (tsrec_campaign_recommend and
# tsrec_campaign_recommend_json, popularity and SIMS campaigns) on
# generated data with 10k and 100k items and on MovieLens-100k, memory per
# interaction, and PutEvents throughput (1 and 10 events per call, one
# attached campaign). Single thread; each run takes about a minute.
# Usage: bench/run_bench_personalize_speed.sh [build-dir] [queries] [putevents-calls]
# Use a release build (meson setup --buildtype=release).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
nq=${2:-100000}
calls=${3:-50000}
export OPENBLAS_NUM_THREADS=1
api="$build/bench/bench_personalize_api"
data="$here/../../shared/data/movielens-100k/u.data"
if [ ! -x "$api" ]; then
    echo "run_bench_personalize_speed: $api not found; build with -Dbenchmarks=true first" >&2
    exit 1
fi
"$api" latency gen 10000 "$nq"
"$api" latency gen 100000 "$nq"
if [ -f "$data" ]; then
    "$api" latency ml100k "$data" "$nq"
else
    echo "# $data not found: ml-100k latency skipped"
fi
"$api" putevents "$calls"
