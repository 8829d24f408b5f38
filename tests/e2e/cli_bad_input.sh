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

# Import jobs: failed imports are recorded (CREATE_FAILED + Message), the
# job verbs refuse unknown and malformed ARNs.
"$T" forecast list-dataset-import-jobs --dataset-name d1 >out.txt; rc=$?
check "the failed imports of d1 are listed as CREATE_FAILED" \
    '[ $rc -eq 0 ] && [ $(grep -c "\"Status\": \"CREATE_FAILED\"" out.txt) -eq 2 ] && ! grep -q "\"ACTIVE\"" out.txt'
check "the bad CSV job names its error in Message" 'grep -q "\"Message\": \".*not-a-date" out.txt'
check "the missing-file job says it cannot read the source" \
    'grep -q "\"Message\": \"cannot read data source .nothere.csv" out.txt'
"$T" forecast create-dataset-import-job --dataset-name d1 --data-source bad.csv \
    --timestamp-format yyyy-MM-dd --dataset-import-job-name badjob >/dev/null 2>&1
run 1 "ResourceAlreadyExistsException" "import job name used twice" -- \
    $T forecast create-dataset-import-job --dataset-name d1 --data-source bad.csv \
    --timestamp-format yyyy-MM-dd --dataset-import-job-name badjob
"$T" forecast describe-dataset-import-job \
    --dataset-import-job-arn arn:tsrec:forecast:local:dataset-import-job/d1/badjob >out.txt; rc=$?
check "describe a failed job" '[ $rc -eq 0 ] && grep -q "\"Status\": \"CREATE_FAILED\"" out.txt'
run 1 "ResourceNotFoundException" "describe an unknown import job" -- \
    $T forecast describe-dataset-import-job \
    --dataset-import-job-arn arn:tsrec:forecast:local:dataset-import-job/d1/nope
run 1 "ResourceNotFoundException" "describe a job of an unknown dataset" -- \
    $T personalize describe-dataset-import-job \
    --dataset-import-job-arn arn:tsrec:personalize:local:dataset-import-job/nods/j1
run 1 "not a dataset import job ARN" "describe with a dataset ARN" -- \
    $T forecast describe-dataset-import-job --dataset-import-job-arn arn:tsrec:forecast:local:dataset/d1
run 1 "not a dataset import job ARN" "describe with a job ARN that climbs folders" -- \
    $T forecast describe-dataset-import-job \
    --dataset-import-job-arn 'arn:tsrec:forecast:local:dataset-import-job/d1/../../g1'
run 2 "--dataset-import-job-arn is required" "describe without the ARN" -- \
    $T personalize describe-dataset-import-job
run 1 "ResourceNotFoundException" "list the jobs of an unknown dataset" -- \
    $T personalize list-dataset-import-jobs --dataset-arn arn:tsrec:personalize:local:dataset/nope
"$T" personalize list-dataset-import-jobs >out.txt; rc=$?
check "no Personalize jobs: an empty list" '[ $rc -eq 0 ] && tr -d " \n" < out.txt | grep -qx "{\"datasetImportJobs\":\[\]}"'

# PutUsers / PutItems.
cat > inter.avsc <<'JSON'
{"type":"record","name":"Interactions","fields":[{"name":"USER_ID","type":"string"},
 {"name":"ITEM_ID","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"}
JSON
cat > items.avsc <<'JSON'
{"type":"record","name":"Items","fields":[{"name":"ITEM_ID","type":"string"},
 {"name":"GENRE","type":"string","categorical":true}],"version":"1.0"}
JSON
"$T" personalize create-schema --name si --schema inter.avsc >/dev/null &&
"$T" personalize create-schema --name sit --schema items.avsc >/dev/null &&
"$T" personalize create-dataset --name pint --dataset-group-name pg --dataset-type Interactions \
    --schema-name si >/dev/null &&
"$T" personalize create-dataset --name pit --dataset-group-name pg --dataset-type Items \
    --schema-name sit >/dev/null; rc=$?
check "Interactions and Items datasets for the put tests" '[ $rc -eq 0 ]'
A=arn:tsrec:personalize:local:dataset
run 2 "--dataset-arn is required" "put-items without --dataset-arn" -- \
    $T personalize-events put-items --items '[{"itemId":"i1"}]'
run 2 "--users is required" "put-users without --users" -- \
    $T personalize-events put-users --dataset-arn $A/pit
run 1 "ResourceNotFoundException" "put-items into an unknown dataset" -- \
    $T personalize-events put-items --dataset-arn $A/nope --items '[{"itemId":"i1"}]'
run 1 "--items is not valid JSON" "put-items with malformed JSON" -- \
    $T personalize-events put-items --dataset-arn $A/pit --items '[{"itemId":'
run 1 "InvalidInputException" "put-items with an empty list" -- \
    $T personalize-events put-items --dataset-arn $A/pit --items '[]'
run 1 "InvalidInputException" "put-items with 11 items" -- \
    $T personalize-events put-items --dataset-arn $A/pit --items \
    '[{"itemId":"1"},{"itemId":"2"},{"itemId":"3"},{"itemId":"4"},{"itemId":"5"},{"itemId":"6"},{"itemId":"7"},{"itemId":"8"},{"itemId":"9"},{"itemId":"10"},{"itemId":"11"}]'
run 1 "does not have" "put-items with a property the schema lacks" -- \
    $T personalize-events put-items --dataset-arn $A/pit \
    --items '[{"itemId":"i1","properties":"{\"color\":\"red\"}"}]'
run 1 "has type Interactions" "put-items into the Interactions dataset" -- \
    $T personalize-events put-items --dataset-arn $A/pint --items '[{"itemId":"i1"}]'
run 1 "has type Items; PutUsers needs" "put-users into the Items dataset" -- \
    $T personalize-events put-users --dataset-arn $A/pit --users '[{"userId":"u1"}]'
run 3 "cannot read" "put-users from a missing file" -- \
    $T personalize-events put-users --dataset-arn $A/pit --users file://none.json
"$T" personalize-events put-items --dataset-arn $A/pit \
    --items '[{"itemId":"i1","properties":"{\"genre\":\"drama\"}"}]'; rc=$?
check "a valid put-items after the failures" '[ $rc -eq 0 ]'
echo "1..$n"
exit $fail
