#!/bin/sh
# tsrec CLI, Forecast workflow end to end on a fresh workspace: dataset
# group, dataset, CSV import, NPTS predictor, accuracy metrics, forecast,
# query (quantiles ordered p10 <= p50 <= p90) and CSV export; then the
# listings and a reload in a second process see the same resources.
set -u
tsrec=$1
# The scripts cd into a scratch folder: make the binary path absolute.
case $tsrec in /*) ;; *) tsrec=$(pwd)/$tsrec ;; esac
fail=0
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/tsrec-cli-fc.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
export TSREC_WORKSPACE="$dir/ws"
cd "$dir" || exit 1

cat > schema.json <<'JSON'
{"Attributes":[{"AttributeName":"item_id","AttributeType":"string"},
 {"AttributeName":"timestamp","AttributeType":"timestamp"},
 {"AttributeName":"target_value","AttributeType":"float"}]}
JSON
# 3 items x 90 days (2024-01-01 .. 2024-03-30), weekly pattern plus trend.
awk 'BEGIN{split("31 29 31 30",ml," ");for(i=1;i<=3;i++){m=1;dd=1;for(d=0;d<90;d++){
  printf "item%d,2024-%02d-%02d,%d\n", i, m, dd, 10*i+(d%7)*i+int(d/10); dd++;
  if(dd>ml[m]){dd=1;m++}}}}' > data.csv

out=$("$tsrec" forecast create-dataset-group --dataset-group-name g1 --domain CUSTOM); rc=$?
check "create-dataset-group exits 0" '[ $rc -eq 0 ]'
check "create-dataset-group prints the ARN" \
    'printf "%s" "$out" | grep -q "\"DatasetGroupArn\": \"arn:tsrec:forecast:local:dataset-group/g1\""'
out=$("$tsrec" forecast create-dataset --dataset-group-name g1 --dataset-name d1 \
      --dataset-type TARGET_TIME_SERIES --data-frequency D --schema file://schema.json); rc=$?
check "create-dataset exits 0" '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "dataset/d1"'
out=$("$tsrec" forecast create-dataset-import-job --dataset-name d1 --data-source data.csv \
      --timestamp-format yyyy-MM-dd); rc=$?
check "import exits 0" '[ $rc -eq 0 ]'
check "import reports 270 rows" 'printf "%s" "$out" | grep -q "\"RowsImported\": 270"'
# The import left a job record that later commands describe and list.
jarn=arn:tsrec:forecast:local:dataset-import-job/d1/import
check "unnamed import gets the job ARN .../d1/import" \
    'printf "%s" "$out" | grep -q "\"DatasetImportJobArn\": \"$jarn\""'
out=$("$tsrec" forecast describe-dataset-import-job --dataset-import-job-arn "$jarn"); rc=$?
check "describe-dataset-import-job exits 0" '[ $rc -eq 0 ]'
check "the job is ACTIVE with its name, dataset and source" \
    'printf "%s" "$out" | grep -q "\"Status\": \"ACTIVE\"" &&
     printf "%s" "$out" | grep -q "\"DatasetImportJobName\": \"import\"" &&
     printf "%s" "$out" | grep -q "\"DatasetArn\": \"arn:tsrec:forecast:local:dataset/d1\"" &&
     printf "%s" "$out" | grep -q "\"Path\": \"data.csv\""'
bytes=$(wc -c < data.csv | tr -d " ")
check "the job has the row count and the source bytes" \
    'printf "%s" "$out" | grep -q "\"RowsImported\": 270" &&
     printf "%s" "$out" | grep -q "\"DataSizeBytes\": $bytes" &&
     printf "%s" "$out" | grep -q "\"DataSize\": " &&
     printf "%s" "$out" | grep -q "\"LastModificationTime\": "'
"$tsrec" forecast create-dataset-import-job --dataset-name d1 --data-source data.csv \
    --timestamp-format yyyy-MM-dd --dataset-import-job-name again >/dev/null; rc=$?
check "a named re-import exits 0" '[ $rc -eq 0 ]'
out=$("$tsrec" forecast list-dataset-import-jobs --dataset-arn arn:tsrec:forecast:local:dataset/d1); rc=$?
check "list-dataset-import-jobs shows both jobs" \
    '[ $rc -eq 0 ] && [ $(printf "%s\n" "$out" | grep -c "\"DatasetImportJobName\"") -eq 2 ] &&
     printf "%s" "$out" | grep -q "\"DatasetImportJobName\": \"again\""'
out=$("$tsrec" forecast create-predictor --predictor-name p1 --algorithm-arn NPTS \
      --forecast-horizon 5 --forecast-frequency D --dataset-group-name g1); rc=$?
check "create-predictor (NPTS) exits 0" '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "predictor/p1"'
# The same request body through --cli-input-json (ETS, group from the ARN).
cat > pred.json <<'JSON'
{"PredictorName":"p2","AlgorithmArn":"arn:aws:forecast:::algorithm/ETS","ForecastHorizon":5,
 "InputDataConfig":{"DatasetGroupArn":"arn:tsrec:forecast:local:dataset-group/g1"},
 "FeaturizationConfig":{"ForecastFrequency":"D"}}
JSON
"$tsrec" forecast create-predictor --cli-input-json file://pred.json >/dev/null; rc=$?
check "create-predictor --cli-input-json (ETS) exits 0" '[ $rc -eq 0 ]'
out=$("$tsrec" forecast get-accuracy-metrics --predictor-name p1); rc=$?
check "get-accuracy-metrics exits 0" '[ $rc -eq 0 ]'
check "metrics name NPTS" 'printf "%s" "$out" | grep -q "algorithm/NPTS"'
check "metrics have RMSE and wQL" \
    'printf "%s" "$out" | grep -q "\"RMSE\"" && printf "%s" "$out" | grep -q "WeightedQuantileLosses"'
wape=$(printf "%s" "$out" | awk -F': ' '/"WAPE"/{gsub(/,/,"",$2); print $2; exit}')
check "WAPE is a number in [0, 1]" 'awk -v w="$wape" "BEGIN{exit !(w != \"\" && w+0 >= 0 && w+0 <= 1)}"'
out=$("$tsrec" forecast create-forecast --forecast-name f1 --predictor-name p1); rc=$?
check "create-forecast exits 0" '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "forecast/f1"'
out=$("$tsrec" forecast query-forecast --forecast-name f1 --filters item_id=item2); rc=$?
check "query-forecast exits 0" '[ $rc -eq 0 ]'
for q in p10 p50 p90; do
    check "query has $q" 'printf "%s" "$out" | grep -q "\"$q\": \["'
done
# Collect the values per quantile and check their count and order.
order=$(printf "%s\n" "$out" | awk '
  /"p[0-9]+": \[/ { k = $1; gsub(/[":]/, "", k); i = 0 }
  /"Value":/ { v = $2; i++; val[k, i] = v + 0; cnt[k] = i }
  END {
    if (cnt["p10"] != 5 || cnt["p50"] != 5 || cnt["p90"] != 5) { print "count"; exit }
    for (j = 1; j <= 5; j++)
      if (val["p10", j] > val["p50", j] || val["p50", j] > val["p90", j]) { print "order"; exit }
    print "ok" }')
check "5 values per quantile with p10 <= p50 <= p90 ($order)" '[ "$order" = ok ]'
check "timestamps follow the data (2024-03-31 first)" \
    'printf "%s" "$out" | grep -q "2024-03-31T00:00:00"'
"$tsrec" forecastquery query-forecast --forecast-arn arn:tsrec:forecast:local:forecast/f1 \
    --filters '{"item_id":"item1"}' >/dev/null; rc=$?
check "forecastquery with an ARN and JSON filters" '[ $rc -eq 0 ]'
out=$("$tsrec" forecast create-forecast-export-job --forecast-name f1 --destination "$dir/export/"); rc=$?
check "export exits 0" '[ $rc -eq 0 ] && [ -f "$dir/export/f1_part0.csv" ]'
check "export header" '[ "$(head -n 1 "$dir/export/f1_part0.csv")" = "item_id,date,p10,p50,p90" ]'
check "export has 3 items x 5 steps" '[ $(tail -n +2 "$dir/export/f1_part0.csv" | wc -l) -eq 15 ]'
"$tsrec" forecast create-predictor-backtest-export-job --predictor-name p1 --destination "$dir/bt" >/dev/null; rc=$?
check "backtest export writes forecasted-values" \
    '[ $rc -eq 0 ] && [ -n "$(ls "$dir/bt/forecasted-values" 2>/dev/null)" ]'
out=$("$tsrec" forecast list-predictors)
check "list-predictors shows p1 and p2" \
    'printf "%s" "$out" | grep -q "\"PredictorName\": \"p1\"" && printf "%s" "$out" | grep -q "\"PredictorName\": \"p2\""'
out=$("$tsrec" forecast list-dataset-groups)
check "list-dataset-groups shows g1" 'printf "%s" "$out" | grep -q "\"DatasetGroupName\": \"g1\""'
out=$("$tsrec" forecast describe-forecast --forecast-name f1)
check "describe-forecast shows 3 series" 'printf "%s" "$out" | grep -q "\"Series\": 3"'
# TimeSeriesSelector: only item2 (item9 is not in the data and is ignored).
printf 'item2\nitem9\nitem2\n' > sel.csv
cat > sel.json <<'JSON'
{"TimeSeriesIdentifiers":{"DataSource":{"S3Config":{"Path":"sel.csv","RoleArn":"arn:aws:iam::1:role/r"}},
 "Schema":{"Attributes":[{"AttributeName":"item_id","AttributeType":"string"}]},"Format":"CSV"}}
JSON
"$tsrec" forecast create-forecast --forecast-name f2 --predictor-name p2 \
    --time-series-selector file://sel.json >/dev/null; rc=$?
check "create-forecast --time-series-selector exits 0" '[ $rc -eq 0 ]'
out=$("$tsrec" forecast describe-forecast --forecast-name f2)
check "the selected forecast has 1 series" 'printf "%s" "$out" | grep -q "\"Series\": 1"'
"$tsrec" forecast create-forecast-export-job --forecast-name f2 --destination "$dir/export2/" >/dev/null
check "its export lists item2 only" \
    '[ $(tail -n +2 "$dir/export2/f2_part0.csv" | wc -l) -eq 5 ] && [ $(grep -c "^item2," "$dir/export2/f2_part0.csv") -eq 5 ]'
sed 's/"CSV"/"PARQUET"/' sel.json > selp.json
"$tsrec" forecast create-forecast --forecast-name f3 --predictor-name p2 \
    --time-series-selector file://selp.json 2>err.txt; rc=$?
check "a PARQUET selector is refused" '[ $rc -eq 1 ] && grep -q PARQUET err.txt'
if [ -x "$(command -v cmp)" ]; then
    "$tsrec" forecast query-forecast --forecast-name f1 --filters item_id=item2 > q2.json
    "$tsrec" forecast query-forecast --forecast-name f1 --filters item_id=item2 > q3.json
    check "queries are repeatable" 'cmp -s q2.json q3.json'
fi
"$tsrec" forecast plot --forecast-name f1 --item-id item3 --output plot.svg; rc=$?
check "plot writes an SVG" '[ $rc -eq 0 ] && grep -q "<svg" plot.svg'
check "plot shows the history and the backtest splits" 'grep -q ">history<" plot.svg && grep -q ">backtest split<" plot.svg'
"$tsrec" forecast delete-predictor --predictor-name p1 2>err.txt; rc=$?
check "delete-predictor with a forecast is ResourceInUse" \
    '[ $rc -eq 1 ] && grep -q ResourceInUseException err.txt'
"$tsrec" forecast delete-forecast --forecast-name f1 && "$tsrec" forecast delete-predictor --predictor-name p1; rc=$?
check "delete forecast then predictor" '[ $rc -eq 0 ]'
"$tsrec" forecast describe-predictor --predictor-name p1 >/dev/null 2>&1; rc=$?
check "deleted predictor is gone" '[ $rc -eq 1 ]'
echo "1..$n"
exit $fail
