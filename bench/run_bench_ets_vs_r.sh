#!/bin/sh
# ETS vs R forecast::ets on M4 Hourly (h = 48, m = 24) and the monthly
# instrument sample of amazon-forecast-samples (h = 12, m = 12).
# Usage: bench/run_bench_ets_vs_r.sh [BUILD_DIR] [STRIDE]
#   STRIDE n uses every n-th M4 series (default 1 = all 414; R needs ~4 s
#   per hourly series on one core, so a stride of 8 is a quick run).
# R (Rscript with r-cran-forecast) is optional: without it only libtsrec
# is scored. One thread each: OPENBLAS_NUM_THREADS=1.
set -eu
BUILD=${1:-build}
STRIDE=${2:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${TSREC_SHARED_DATA:-$ROOT/../shared/data}
TMP=${TMPDIR:-/tmp}/tsrec_ets_bench.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
BIN="$BUILD/bench/bench_ets_vs_r"
have_r=0
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(forecast)' >/dev/null 2>&1; then
  have_r=1
fi

# Monthly sample: instrument TTS (Timestamp,Model_ID,Order_Quantity), rows
# unsorted; wide train (all but the last 12 months) and test files.
python3 - "$DATA/amazon-forecast-samples/instrument/TTS.csv" "$TMP" <<'PY'
import csv, sys, collections
rows = collections.defaultdict(list)
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f):
        rows[r["Model_ID"]].append((r["Timestamp"], float(r["Order_Quantity"])))
with open(sys.argv[2] + "/mon_train.csv", "w") as tr, open(sys.argv[2] + "/mon_test.csv", "w") as te:
    series = {k: [x for _, x in sorted(rows[k])] for k in rows}
    width = max(len(v) for v in series.values()) + 1
    tr.write(",".join('"V%d"' % (i + 1) for i in range(width - 12)) + "\n")
    te.write(",".join('"V%d"' % (i + 1) for i in range(13)) + "\n")
    for k in sorted(series):
        v = series[k]
        tr.write(",".join(['"%s"' % k] + ['"%r"' % x for x in v[:-12]]) + "\n")
        te.write(",".join(['"%s"' % k] + ['"%r"' % x for x in v[-12:]]) + "\n")
PY

run() { # name train test m h stride
  echo "== $1 (m=$4, h=$5, every $6-th series)"
  rres=""
  if [ $have_r = 1 ]; then
    Rscript "$ROOT/tools/ref/ets_bench.R" "$2" "$4" "$5" "$6" "$TMP/$1_r.txt"
    rres="$TMP/$1_r.txt"
  else
    echo "(Rscript/forecast not installed: libtsrec only)"
  fi
  "$BIN" "$2" "$3" "$4" "$5" "$6" $rres
}
run m4_hourly "$DATA/m4-hourly/Hourly-train.csv" "$DATA/m4-hourly/Hourly-test.csv" 24 48 "$STRIDE"
run monthly "$TMP/mon_train.csv" "$TMP/mon_test.csv" 12 12 1
