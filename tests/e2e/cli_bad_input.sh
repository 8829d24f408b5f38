#!/bin/sh
# tsrec CLI misuse: usage errors exit 2 with the usage text, unknown
# resources are ResourceNotFoundException (exit 1), duplicates are
# ResourceAlreadyExistsException, bad JSON / schemas / names are
# InvalidInputException, unreadable local files exit 3; every subcommand
# answers --help; nothing crashes (exit codes stay in 0..3).
set -u
tsrec=$1
# The scripts cd into a scratch folder: make the binary path absolute.
case $tsrec in /*) ;; *) tsrec=$(pwd)/$tsrec ;; esac
fail=0
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/tsrec-cli-bad.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
export TSREC_WORKSPACE="$dir/ws"
cd "$dir" || exit 1
# run EXPECTED_RC EXCEPTION_OR_TEXT description -- command...
run() {
    want=$1; pat=$2; what=$3; shift 4
    "$@" >out.txt 2>err.txt; rc=$?
    check "$what (exit $want)" '[ $rc -eq $want ] && grep -q -- "$pat" err.txt'
}
T=$tsrec

run 2 "usage: tsrec forecast create-dataset-group" "missing required option" -- \
    $T forecast create-dataset-group --dataset-group-name g1
run 2 "unknown option '--bogus'" "unknown option" -- \
    $T forecast create-dataset-group --dataset-group-name g1 --domain CUSTOM --bogus 1
run 2 "needs a value" "option without its value" -- $T forecast list-predictors --dataset-group-name
run 2 "unknown subcommand" "unknown subcommand" -- $T forecast create-everything
run 2 "unexpected argument" "positional argument" -- $T forecast list-predictors extra
run 2 "must be an integer" "non-numeric horizon" -- $T forecast create-predictor \
    --predictor-name p --algorithm-arn ETS --forecast-horizon ten --forecast-frequency D \
    --dataset-group-name g1
run 2 "usage: tsrec personalize" "no subcommand" -- $T personalize
"$T" forecast create-predictor --help >out.txt 2>&1; rc=$?
check "subcommand --help exits 0 and shows options" '[ $rc -eq 0 ] && grep -q -- "--cli-input-json" out.txt'
"$T" personalize-runtime --help >out.txt 2>&1; rc=$?
check "service --help lists subcommands" '[ $rc -eq 0 ] && grep -q get-recommendations out.txt'
"$T" --help >out.txt 2>&1; rc=$?
check "tsrec --help documents the exit codes" '[ $rc -eq 0 ] && grep -q "3 I/O or workspace error" out.txt'
# Every subcommand of every service answers --help with exit 0.
helpfail=0
for svc in forecast personalize personalize-runtime personalize-events forecastquery; do
    for sub in $("$T" $svc --help | awk '/^subcommands:/{f=1; next} f && /^  /{print $1}'); do
        "$T" $svc $sub --help >/dev/null 2>&1 || { echo "# $svc $sub --help failed"; helpfail=1; }
    done
done
check "every subcommand answers --help" '[ $helpfail -eq 0 ]'

run 1 "ResourceNotFoundException" "describe unknown group" -- \
    $T forecast describe-dataset-group --dataset-group-name nope
run 1 "dataset group 'nope2' does not exist" "--name=value form" -- \
    $T forecast describe-dataset-group --dataset-group-name=nope2
run 3 "cannot create workspace" "workspace that cannot be created" -- \
    $T forecast list-predictors --workspace /proc/no/such/ws
run 1 "when calling the CreatePredictor operation" "predictor on unknown group" -- \
    $T forecast create-predictor --predictor-name p --algorithm-arn ETS --forecast-horizon 3 \
    --forecast-frequency D --dataset-group-name nope
run 1 "ResourceNotFoundException" "query unknown forecast" -- \
    $T forecast query-forecast --forecast-name nope --filters item_id=a
run 1 "ResourceNotFoundException" "metrics of unknown predictor" -- \
    $T forecast get-accuracy-metrics --predictor-name nope
run 1 "ResourceNotFoundException" "recommendations from unknown campaign" -- \
    $T personalize-runtime get-recommendations --campaign-name nope --user-id u
run 1 "ResourceNotFoundException" "dataset with unknown schema" -- \
    $T personalize create-dataset --name d --dataset-group-name nope --dataset-type Interactions --schema-name s

"$T" forecast create-dataset-group --dataset-group-name g1 --domain CUSTOM >/dev/null
run 1 "ResourceAlreadyExistsException" "duplicate dataset group" -- \
    $T forecast create-dataset-group --dataset-group-name g1 --domain RETAIL
run 1 "InvalidInputException" "bad domain" -- \
    $T forecast create-dataset-group --dataset-group-name g2 --domain NOT_A_DOMAIN
run 1 "InvalidInputException" "name with a slash" -- \
    $T forecast create-dataset-group --dataset-group-name ../evil --domain CUSTOM
check "no folder escaped the workspace" '[ ! -e "$dir/evil" ] && [ ! -e "$dir/ws/evil" ]'
printf '{"Attributes":[{"AttributeName":"item_id","AttributeType":"string"},' > bad.json
run 1 "InvalidInputException" "truncated schema JSON" -- \
    $T forecast create-dataset --dataset-group-name g1 --dataset-name d1 \
    --dataset-type TARGET_TIME_SERIES --data-frequency D --schema bad.json
run 3 "cannot read" "missing schema file" -- \
    $T forecast create-dataset --dataset-group-name g1 --dataset-name d1 \
    --dataset-type TARGET_TIME_SERIES --data-frequency D --schema file://missing.json
cat > s.json <<'JSON'
{"Attributes":[{"AttributeName":"item_id","AttributeType":"string"},
 {"AttributeName":"timestamp","AttributeType":"timestamp"},
 {"AttributeName":"target_value","AttributeType":"float"}]}
JSON
"$T" forecast create-dataset --dataset-group-name g1 --dataset-name d1 \
    --dataset-type TARGET_TIME_SERIES --data-frequency D --schema s.json >/dev/null; rc=$?
check "valid dataset after the failures" '[ $rc -eq 0 ]'
run 1 "ResourceAlreadyExistsException" "duplicate dataset name" -- \
    $T forecast create-dataset --dataset-group-name g1 --dataset-name d1 \
    --dataset-type RELATED_TIME_SERIES --data-frequency D --schema s.json
run 3 "cannot read data source" "import of a missing file" -- \
    $T forecast create-dataset-import-job --dataset-name d1 --data-source nothere.csv
printf 'a,2024-01-01,1\nb,not-a-date,2\n' > bad.csv
run 1 "InvalidInputException" "import of a bad CSV" -- \
    $T forecast create-dataset-import-job --dataset-name d1 --data-source bad.csv \
    --timestamp-format yyyy-MM-dd
printf '{"PredictorName": "p1", "ForecastHorizon": ' > bad_pred.json
run 1 "not valid JSON" "--cli-input-json with bad JSON" -- \
    $T forecast create-predictor --cli-input-json file://bad_pred.json --dataset-group-name g1
run 1 "InvalidInputException" "predictor on an empty dataset" -- \
    $T forecast create-predictor --predictor-name p1 --algorithm-arn ETS --forecast-horizon 3 \
    --forecast-frequency D --dataset-group-name g1
run 1 "InvalidInputException" "unknown algorithm" -- \
    $T forecast create-predictor --predictor-name p1 --algorithm-arn NoSuchAlgo \
    --forecast-horizon 3 --forecast-frequency D --dataset-group-name g1
"$T" forecast list-predictors >out.txt; rc=$?
check "failed creations left no predictor" '[ $rc -eq 0 ] && ! grep -q PredictorName out.txt'

"$T" personalize create-dataset-group --name pg >/dev/null
printf '{"type":"record","name":"I","fields":[{"name":"USER_ID","type":"strin' > bad_avro.json
run 1 "InvalidInputException" "truncated Avro schema" -- \
    $T personalize create-schema --name s1 --schema file://bad_avro.json
run 1 "InvalidInputException" "filter with a syntax error" -- \
    $T personalize create-filter --name f1 --dataset-group-name pg --filter-expression 'EXCLUDE WHERE ('
run 1 "InvalidInputException" "unknown recipe" -- \
    $T personalize create-solution --name s1 --dataset-group-name pg --recipe-arn aws-no-such-recipe
run 1 "ResourceNotFoundException" "version of unknown solution" -- \
    $T personalize create-solution-version --solution-name nope
run 1 "not a solution version ARN" "malformed solution version ARN" -- \
    $T personalize get-solution-metrics --solution-version-arn arn:tsrec:personalize:local:solution/x/abc
run 3 "cannot read" "event list from a missing file" -- \
    $T personalize-events put-events --tracking-id t --session-id s --event-list file://none.json
run 1 "not valid JSON" "event list that is not JSON" -- \
    $T personalize-events put-events --tracking-id t --session-id s --event-list '[{"eventType":'
echo "1..$n"
exit $fail
