#!/bin/sh
# tsrec CLI crash safety: kill -9 an import and a predictor training in
# the middle, then the workspace still loads -- list, describe, query and
# metrics of the resources made before answer as before, the killed
# resource is either absent or complete, leftover temp files are ignored --
# and retrying the killed commands succeeds. Then multi-file commits:
# put-events (group, campaigns, tracker) and a Personalize import (group,
# job record) killed at each step of their commit by the test hook
# TSREC_CLI_CRASH_AFTER_RENAMES (tools/cli_commit.h): the next command sees
# all of the change or none of it. $2 is ws_rows (row count of a saved
# group's dataset).
set -u
tsrec=$1
ws_rows=$2
# The scripts cd into a scratch folder: make the binary paths absolute.
case $tsrec in /*) ;; *) tsrec=$(pwd)/$tsrec ;; esac
case $ws_rows in /*) ;; *) ws_rows=$(pwd)/$ws_rows ;; esac
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

# 4. Multi-file commits killed half-way (Personalize, its own workspace).
export TSREC_WORKSPACE="$dir/pws"
pws=$TSREC_WORKSPACE
cat > is.avsc <<'JSON'
{"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema",
 "fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
 {"name":"EVENT_TYPE","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"}
JSON
awk 'BEGIN{print "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP"; s=7; for(u=1;u<=50;u++) for(k=0;k<25;k++){
  s=(s*1103515245+12345)%2147483648; it=(u+k*k+int(s/65536)%5)%40;
  printf "u%d,i%d,click,%d\n", u, it, 1700000000+u*1000+k}}' > inter.csv
items() { printf "%s\n" "$1" | sed -n 's/.*"itemId": "\([^"]*\)".*/\1/p'; }
rows() { "$ws_rows" "$pws/personalize/pg/group.tsrec" Interactions; }
# No .pending file and no journal anywhere in the workspace.
clean() { [ -z "$(find "$pws" -name '*.pending')" ] && [ ! -e "$pws/.commit-journal" ]; }
"$T" personalize create-dataset-group --name pg >/dev/null &&
"$T" personalize create-schema --name is1 --schema file://is.avsc >/dev/null &&
"$T" personalize create-dataset --name pd --dataset-group-name pg --dataset-type Interactions \
    --schema-name is1 >/dev/null &&
"$T" personalize create-dataset-import-job --job-name j1 --dataset-name pd \
    --data-source inter.csv >/dev/null &&
"$T" personalize create-solution --name pop --dataset-group-name pg \
    --recipe-arn aws-popularity-count >/dev/null &&
"$T" personalize create-solution-version --solution-name pop >/dev/null &&
"$T" personalize create-campaign --name ca --solution-name pop >/dev/null &&
"$T" personalize create-campaign --name cb --solution-name pop >/dev/null; rc=$?
out=$("$T" personalize create-event-tracker --name trk --dataset-group-name pg)
tid=$(printf "%s" "$out" | sed -n 's/.*"trackingId": "\([^"]*\)".*/\1/p')
check "Personalize workspace with two campaigns and a tracker" '[ $rc -eq 0 ] && [ -n "$tid" ]'
top=$(items "$("$T" personalize-runtime get-recommendations --campaign-name ca --user-id nobody \
      --num-results 1)")
base=$(rows)
check "baseline: 1250 interactions, a top item" '[ "$base" = 1250 ] && [ -n "$top" ]'

# put-events commits 4 files: group, ca, cb, trk. Kill it before the
# journal (-1), right after it (0), after 1..3 renames and after all 4
# (journal not yet removed). New user cuK clicks the top item.
expect=$base
for k in -1 0 1 2 3 4; do
    TSREC_CLI_CRASH_AFTER_RENAMES=$k "$T" personalize-events put-events --tracking-id "$tid" \
        --session-id "s$k" --user-id "cu$k" \
        --event-list "[{\"eventType\":\"click\",\"sentAt\":1700300000,\"itemId\":\"$top\"}]" \
        >/dev/null 2>&1; rc=$?
    if [ "$k" = -1 ]; then
        check "put-events killed before its journal (exit 137, .pending left, no journal)" \
            '[ $rc -eq 137 ] && [ -n "$(find "$pws" -name "*.pending")" ] &&
             [ ! -e "$pws/.commit-journal" ]'
    else
        check "put-events killed after $k renames (exit 137, journal left)" \
            '[ $rc -eq 137 ] && [ -e "$pws/.commit-journal" ]'
        expect=$((expect + 1))
    fi
    # The next command only reads; it must see all of the change or none.
    for c in ca cb; do
        out=$("$T" personalize-runtime get-recommendations --campaign-name $c --user-id "cu$k" \
              --num-results 5); rc=$?
        if [ "$k" = -1 ]; then
            check "crash at -1: campaign $c has no event (top item still recommended)" \
                '[ $rc -eq 0 ] && items "$out" | grep -qx "$top"'
        else
            check "crash at $k: campaign $c has the event (top item excluded)" \
                '[ $rc -eq 0 ] && [ $(items "$out" | wc -l) -eq 5 ] &&
                 ! items "$out" | grep -qx "$top"'
        fi
    done
    r=$(rows)
    check "crash at $k: Interactions hold $expect rows (each committed event once)" \
        '[ "$r" = "$expect" ]'
    if [ "$k" = -1 ]; then
        # Readers leave stray .pending files alone; the next write removes them.
        "$T" personalize create-filter --name "f0" --dataset-group-name pg \
            --filter-expression 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("view")' \
            >/dev/null; rc=$?
        check "crash at -1: the next write succeeds and leaves no .pending file" \
            '[ $rc -eq 0 ] && clean'
    else
        check "crash at $k: the read finished the commit (no journal, no .pending)" 'clean'
    fi
done
out=$("$T" personalize list-campaigns); rc=$?
check "no .pending or journal is listed as a resource" \
    '[ $rc -eq 0 ] && [ $(printf "%s" "$out" | grep -c "\"campaignArn\"") -eq 2 ]'
"$T" personalize-events put-events --tracking-id "$tid" --session-id s9 --user-id cu9 \
    --event-list "[{\"eventType\":\"click\",\"sentAt\":1700300000,\"itemId\":\"$top\"}]"; rc=$?
r=$(rows)
check "a put-events without the hook still commits (one more row)" \
    '[ $rc -eq 0 ] && [ "$r" = $((expect + 1)) ] && clean'
expect=$((expect + 1))

# An INCREMENTAL import commits the group and its ACTIVE job record.
printf 'USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\nv1,i1,click,1700400000\n' > more.csv
printf 'v2,i2,click,1700400001\n' >> more.csv
TSREC_CLI_CRASH_AFTER_RENAMES=-1 "$T" personalize create-dataset-import-job --job-name j2 \
    --dataset-name pd --data-source more.csv --import-mode INCREMENTAL >/dev/null 2>&1; rc=$?
jarn=arn:tsrec:personalize:local:dataset-import-job/pd/j2
"$T" personalize describe-dataset-import-job --dataset-import-job-arn "$jarn" >/dev/null 2>&1
drc=$?
r=$(rows)
check "import killed before its journal: no job j2, no new rows" \
    '[ $rc -eq 137 ] && [ $drc -eq 1 ] && [ "$r" = "$expect" ]'
TSREC_CLI_CRASH_AFTER_RENAMES=1 "$T" personalize create-dataset-import-job --job-name j2 \
    --dataset-name pd --data-source more.csv --import-mode INCREMENTAL >/dev/null 2>&1; rc=$?
out=$("$T" personalize describe-dataset-import-job --dataset-import-job-arn "$jarn"); drc=$?
r=$(rows)
check "import killed after 1 rename: job j2 ACTIVE and its 2 rows, once" \
    '[ $rc -eq 137 ] && [ $drc -eq 0 ] && printf "%s" "$out" | grep -q "\"status\": \"ACTIVE\"" &&
     [ "$r" = $((expect + 2)) ] && clean'
echo "1..$n"
exit $fail
