#!/bin/sh
# tsrec CLI crash safety: kill -9 an import and a predictor training in
# the middle, then the workspace still loads -- list, describe, query and
# metrics of the resources made before answer as before, the killed
# resource is either absent or complete, leftover temp files are ignored --
# and retrying the killed commands succeeds.
set -u
tsrec=$1
# The scripts cd into a scratch folder: make the binary path absolute.
case $tsrec in /*) ;; *) tsrec=$(pwd)/$tsrec ;; esac
fail=0
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/tsrec-cli-crash.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
export TSREC_WORKSPACE="$dir/ws"
cd "$dir" || exit 1
T=$tsrec

# ITEMS x DAYS daily rows from 2022-01-08 (days-from-civil in awk: no
# strftime needed).
gen() { awk -v items="$1" -v days="$2" '
function civil(z,   era, doe, yoe, y, doy, mp, d, m) {
  z += 719468; era = int(z / 146097); doe = z - era * 146097
  yoe = int((doe - int(doe/1460) + int(doe/36524) - int(doe/146096)) / 365)
  y = yoe + era * 400; doy = doe - (365*yoe + int(yoe/4) - int(yoe/100))
  mp = int((5*doy + 2)/153); d = doy - int((153*mp+2)/5) + 1
  m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
  return sprintf("%04d-%02d-%02d", y, m, d) }
BEGIN { for (d = 0; d < days; d++) date[d] = civil(19000 + d)
  for (i = 1; i <= items; i++) for (d = 0; d < days; d++)
    printf "it%d,%s,%d\n", i, date[d], 10 + (d % 7) * (i % 5) + (i * d) % 13 }'; }
cat > s.json <<'JSON'
{"Attributes":[{"AttributeName":"item_id","AttributeType":"string"},
 {"AttributeName":"timestamp","AttributeType":"timestamp"},
 {"AttributeName":"target_value","AttributeType":"float"}]}
JSON
gen 30 250 > med.csv
gen 300 1000 > big.csv

# Run a command in the background and kill -9 it after $1 seconds; sets
# killed=1 when it was still running.
kill_after() {
    delay=$1; shift
    "$@" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    if kill -9 "$pid" 2>/dev/null; then killed=1; else killed=0; fi
    wait "$pid" 2>/dev/null
}

"$T" forecast create-dataset-group --dataset-group-name g --domain CUSTOM >/dev/null &&
"$T" forecast create-dataset --dataset-group-name g --dataset-name d \
    --dataset-type TARGET_TIME_SERIES --data-frequency D --schema s.json >/dev/null &&
"$T" forecast create-dataset-import-job --dataset-name d --data-source med.csv \
    --timestamp-format yyyy-MM-dd >/dev/null &&
"$T" forecast create-predictor --predictor-name p0 --algorithm-arn NPTS --forecast-horizon 3 \
    --forecast-frequency D --dataset-group-name g >/dev/null &&
"$T" forecast create-forecast --forecast-name f0 --predictor-name p0 >/dev/null; rc=$?
check "baseline workspace built" '[ $rc -eq 0 ]'
"$T" forecast query-forecast --forecast-name f0 --filters item_id=it7 > q_before.json
"$T" forecast get-accuracy-metrics --predictor-name p0 > m_before.json

# 1. kill an import (FULL, 300k rows) into a second group.
"$T" forecast create-dataset-group --dataset-group-name big --domain CUSTOM >/dev/null
"$T" forecast create-dataset --dataset-group-name big --dataset-name bigd \
    --dataset-type TARGET_TIME_SERIES --data-frequency D --schema s.json >/dev/null
kill_after 0.1 "$T" forecast create-dataset-import-job --dataset-name bigd --data-source big.csv \
    --timestamp-format yyyy-MM-dd
[ $killed -eq 1 ] || echo "# the import finished before the kill"
"$T" forecast describe-dataset --dataset-name bigd >/dev/null; rc=$?
check "after the killed import: describe-dataset works" '[ $rc -eq 0 ]'
"$T" forecast list-dataset-groups > groups.json; rc=$?
check "after the killed import: both groups listed" \
    '[ $rc -eq 0 ] && grep -q "\"DatasetGroupName\": \"big\"" groups.json && grep -q "\"DatasetGroupName\": \"g\"" groups.json'
out=$("$T" forecast create-dataset-import-job --dataset-name bigd --data-source big.csv \
      --timestamp-format yyyy-MM-dd); rc=$?
check "retrying the import succeeds with every row" \
    '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "\"RowsImported\": 300000"'

# 2. kill a predictor training (ETS over 30 series).
kill_after 0.5 "$T" forecast create-predictor --predictor-name p1 --algorithm-arn ETS \
    --forecast-horizon 3 --forecast-frequency D --dataset-group-name g
[ $killed -eq 1 ] || echo "# the training finished before the kill"
"$T" forecast list-predictors > preds.json; rc=$?
check "after the killed training: list-predictors works" '[ $rc -eq 0 ] && grep -q "\"PredictorName\": \"p0\"" preds.json'
if grep -q '"PredictorName": "p1"' preds.json; then
    "$T" forecast get-accuracy-metrics --predictor-name p1 >/dev/null; rc=$?
    check "a listed p1 is complete" '[ $rc -eq 0 ]'
else
    "$T" forecast describe-predictor --predictor-name p1 >/dev/null 2>&1; rc=$?
    check "an unlisted p1 does not exist" '[ $rc -eq 1 ]'
fi
"$T" forecast query-forecast --forecast-name f0 --filters item_id=it7 > q_after.json
"$T" forecast get-accuracy-metrics --predictor-name p0 > m_after.json
check "earlier forecast answers the same" 'cmp -s q_before.json q_after.json'
check "earlier predictor metrics are the same" 'cmp -s m_before.json m_after.json'

# A torn temp file (as a save killed before its rename leaves) is ignored.
printf 'garbage' > "$dir/ws/forecast/g/group.tsrec.tmp-99999"
printf '{"Predic' > "$dir/ws/forecast/g/predictors/zz.json.tmp-99999"
"$T" forecast list-predictors > preds2.json; rc=$?
check "temp files are not resources" '[ $rc -eq 0 ] && ! grep -q zz preds2.json'
if grep -q '"PredictorName": "p1"' preds.json; then
    "$T" forecast delete-predictor --predictor-name p1 >/dev/null
fi
"$T" forecast create-predictor --predictor-name p1 --algorithm-arn ETS --forecast-horizon 3 \
    --forecast-frequency D --dataset-group-name g >/dev/null; rc=$?
check "retrying the training succeeds" '[ $rc -eq 0 ]'
"$T" forecast create-forecast --forecast-name f1 --predictor-name p1 >/dev/null &&
"$T" forecast query-forecast --forecast-name f1 --filters item_id=it7 | grep -q '"p50"'; rc=$?
check "the retried predictor forecasts" '[ $rc -eq 0 ]'

# 3. Commands on one workspace are serialised: a read started while a
# write holds the lock waits for it and then sees the finished result.
"$T" forecast create-predictor --predictor-name p2 --algorithm-arn ETS --forecast-horizon 3 \
    --forecast-frequency D --dataset-group-name g >/dev/null 2>&1 &
wpid=$!
sleep 1
"$T" forecast list-predictors > preds3.json
wait $wpid; wrc=$?
check "a list during a training waits for it" \
    '[ $wrc -ne 0 ] || grep -q "\"PredictorName\": \"p2\"" preds3.json'
echo "1..$n"
exit $fail
