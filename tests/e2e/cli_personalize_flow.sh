#!/bin/sh
# tsrec CLI, Personalize workflow end to end on a fresh workspace: dataset
# group, schema, Interactions dataset, CSV import, aws-popularity-count and
# aws-sims solutions with versions and metrics, campaigns,
# get-recommendations, ranking, a filter, and put-events whose click the
# filter then excludes (each command a separate process, so the events
# must survive in the saved campaign and group); the import job record;
# put-items / put-users whose metadata later filters read.
set -u
tsrec=$1
# The scripts cd into a scratch folder: make the binary path absolute.
case $tsrec in /*) ;; *) tsrec=$(pwd)/$tsrec ;; esac
fail=0
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/tsrec-cli-pz.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
export TSREC_WORKSPACE="$dir/ws"
cd "$dir" || exit 1

cat > schema.json <<'JSON'
{"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema",
 "fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
 {"name":"EVENT_TYPE","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"}
JSON
# 50 users x 25 clicks over 40 items (an LCG picks the items).
awk 'BEGIN{print "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP"; s=7; for(u=1;u<=50;u++) for(k=0;k<25;k++){
  s=(s*1103515245+12345)%2147483648; it=(u+k*k+int(s/65536)%5)%40;
  printf "u%d,i%d,click,%d\n", u, it, 1700000000+u*1000+k}}' > inter.csv

# Item ids of a recommendation response, one per line.
items() { printf "%s\n" "$1" | sed -n 's/.*"itemId": "\([^"]*\)".*/\1/p'; }

out=$("$tsrec" personalize create-dataset-group --name pg1); rc=$?
check "create-dataset-group" '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "dataset-group/pg1"'
"$tsrec" personalize create-schema --name is1 --schema file://schema.json >/dev/null; rc=$?
check "create-schema" '[ $rc -eq 0 ]'
out=$("$tsrec" personalize list-schemas)
check "list-schemas shows is1" 'printf "%s" "$out" | grep -q "\"name\": \"is1\""'
"$tsrec" personalize create-dataset --name pd1 --dataset-group-name pg1 \
    --dataset-type Interactions --schema-arn arn:tsrec:personalize:local:schema/is1 >/dev/null; rc=$?
check "create-dataset" '[ $rc -eq 0 ]'
out=$("$tsrec" personalize create-dataset-import-job --job-name j1 --dataset-name pd1 \
      --data-source inter.csv); rc=$?
check "import 1250 interactions" '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "\"RowsImported\": 1250"'
jarn=arn:tsrec:personalize:local:dataset-import-job/pd1/j1
out=$("$tsrec" personalize describe-dataset-import-job --dataset-import-job-arn "$jarn"); rc=$?
check "describe-dataset-import-job: ACTIVE job j1 with 1250 rows" \
    '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "\"datasetImportJob\": {" &&
     printf "%s" "$out" | grep -q "\"jobName\": \"j1\"" &&
     printf "%s" "$out" | grep -q "\"status\": \"ACTIVE\"" &&
     printf "%s" "$out" | grep -q "\"dataLocation\": \"inter.csv\"" &&
     printf "%s" "$out" | grep -q "\"rowsImported\": 1250" &&
     printf "%s" "$out" | grep -q "\"lastUpdatedDateTime\": "'
out=$("$tsrec" personalize list-dataset-import-jobs); rc=$?
check "list-dataset-import-jobs lists j1" \
    '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "\"datasetImportJobArn\": \"$jarn\""'
"$tsrec" personalize create-solution --name pop --dataset-group-name pg1 \
    --recipe-arn arn:aws:personalize:::recipe/aws-popularity-count >/dev/null; rc=$?
check "create-solution aws-popularity-count" '[ $rc -eq 0 ]'
"$tsrec" personalize create-solution --name sims --dataset-group-name pg1 --recipe-arn aws-sims \
    --solution-config '{"algorithmHyperParameters":{"popularity_discount_factor":"0.5"}}' >/dev/null; rc=$?
check "create-solution aws-sims with --solution-config" '[ $rc -eq 0 ]'
out=$("$tsrec" personalize create-solution-version --solution-name pop); rc=$?
check "create-solution-version pop -> version 1" \
    '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "solution/pop/1\""'
out=$("$tsrec" personalize create-solution-version --solution-arn arn:tsrec:personalize:local:solution/sims); rc=$?
check "create-solution-version sims" '[ $rc -eq 0 ] && printf "%s" "$out" | grep -q "solution/sims/1\""'
out=$("$tsrec" personalize get-solution-metrics --solution-version-arn arn:tsrec:personalize:local:solution/pop/1); rc=$?
check "get-solution-metrics" '[ $rc -eq 0 ]'
check "metrics name the version by the workspace ARN" \
    'printf "%s" "$out" | grep -q "\"solutionVersionArn\": \"arn:tsrec:personalize:local:solution/pop/1\""'
for m in coverage mean_reciprocal_rank_at_25 normalized_discounted_cumulative_gain_at_10 precision_at_25; do
    check "metric $m" 'printf "%s" "$out" | grep -q "\"$m\""'
done
p25=$(printf "%s" "$out" | awk -F': ' '/"precision_at_25"/{gsub(/,/,"",$2); print $2}')
check "precision_at_25 in (0, 1]" 'awk -v p="$p25" "BEGIN{exit !(p+0 > 0 && p+0 <= 1)}"'
"$tsrec" personalize create-campaign --name cpop --solution-version-arn \
    arn:tsrec:personalize:local:solution/pop/1 >/dev/null; rc=$?
check "create-campaign on pop/1" '[ $rc -eq 0 ]'
"$tsrec" personalize create-campaign --name csims --solution-name sims >/dev/null; rc=$?
check "create-campaign on the latest sims version" '[ $rc -eq 0 ]'
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id u1 --num-results 5); rc=$?
check "get-recommendations exits 0" '[ $rc -eq 0 ]'
check "5 recommendations" '[ $(items "$out" | wc -l) -eq 5 ]'
# Popularity scores come sorted, highest first.
sorted=$(printf "%s\n" "$out" | awk -F': ' '/"score"/{v=$2+0; if (NR>1 && seen && v>last) bad=1; last=v; seen=1} END{print bad?"no":"yes"}')
check "scores are non-increasing" '[ "$sorted" = yes ]'
top=$(items "$out" | head -n 1)
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name csims --item-id i3 --num-results 4); rc=$?
check "sims get-recommendations by item" '[ $rc -eq 0 ] && [ $(items "$out" | wc -l) -eq 4 ]'
check "sims does not recommend the item itself" '! items "$out" | grep -qx i3'
out=$("$tsrec" personalize-runtime get-personalized-ranking --campaign-name csims --user-id u1 --input-list i1,i2,i3); rc=$?
check "get-personalized-ranking ranks the 3 inputs" \
    '[ $rc -eq 0 ] && [ "$(items "$out" | sort | tr "\n" " ")" = "i1 i2 i3 " ]'
"$tsrec" personalize create-filter --name noclick --dataset-group-name pg1 \
    --filter-expression 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")' >/dev/null; rc=$?
check "create-filter" '[ $rc -eq 0 ]'
# A user with no history: the filter has nothing to exclude yet.
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id newbie \
      --num-results 5 --filter-name noclick); rc=$?
check "filtered recommendations for a new user" '[ $rc -eq 0 ] && items "$out" | grep -qx "$top"'
out=$("$tsrec" personalize create-event-tracker --name trk --dataset-group-name pg1); rc=$?
tid=$(printf "%s" "$out" | sed -n 's/.*"trackingId": "\([^"]*\)".*/\1/p')
check "create-event-tracker prints a trackingId" '[ $rc -eq 0 ] && [ -n "$tid" ]'
"$tsrec" personalize-events put-events --tracking-id "$tid" --session-id s1 --user-id newbie \
    --event-list "[{\"eventType\":\"click\",\"sentAt\":1700200000,\"itemId\":\"$top\"}]"; rc=$?
check "put-events exits 0" '[ $rc -eq 0 ]'
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id newbie \
      --num-results 5 --filter-name noclick); rc=$?
check "after put-events the filter excludes the clicked item" \
    '[ $rc -eq 0 ] && [ $(items "$out" | wc -l) -eq 5 ] && ! items "$out" | grep -qx "$top"'
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id newbie --num-results 5)
# Campaigns also leave out what the user already interacted with (live
# events included), so the new click changes the plain answer as well.
check "put-events changes the unfiltered answer (history excluded)" \
    '[ $(items "$out" | wc -l) -eq 5 ] && ! items "$out" | grep -qx "$top"'
# PutItems / PutUsers: metadata that later filters read. Items of genre
# horror are left out for everyone by one filter, and by another only for
# users under 18 (IF CurrentUser.AGE), which needs the Users rows too.
cat > users.avsc <<'JSON'
{"type":"record","name":"Users","namespace":"com.amazonaws.personalize.schema",
 "fields":[{"name":"USER_ID","type":"string"},{"name":"AGE","type":"int"}],"version":"1.0"}
JSON
cat > items.avsc <<'JSON'
{"type":"record","name":"Items","namespace":"com.amazonaws.personalize.schema",
 "fields":[{"name":"ITEM_ID","type":"string"},
 {"name":"GENRE","type":"string","categorical":true}],"version":"1.0"}
JSON
"$tsrec" personalize create-schema --name us1 --schema file://users.avsc >/dev/null &&
"$tsrec" personalize create-schema --name its1 --schema file://items.avsc >/dev/null &&
"$tsrec" personalize create-dataset --name pusers --dataset-group-name pg1 --dataset-type Users \
    --schema-name us1 >/dev/null &&
"$tsrec" personalize create-dataset --name pitems --dataset-group-name pg1 --dataset-type Items \
    --schema-name its1 >/dev/null; rc=$?
check "Users and Items datasets" '[ $rc -eq 0 ]'
"$tsrec" personalize create-filter --name nohorror --dataset-group-name pg1 \
    --filter-expression 'EXCLUDE ItemID WHERE Items.GENRE IN ("horror")' >/dev/null &&
"$tsrec" personalize create-filter --name kidsafe --dataset-group-name pg1 \
    --filter-expression 'EXCLUDE ItemID WHERE Items.GENRE IN ("horror") IF CurrentUser.AGE < 18' \
    >/dev/null; rc=$?
check "filters on item and user metadata" '[ $rc -eq 0 ]'
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id kid \
      --num-results 5 --filter-name nohorror)
check "before put-items nothing is horror" 'items "$out" | grep -qx "$top"'
"$tsrec" personalize-events put-items --dataset-arn arn:tsrec:personalize:local:dataset/pitems \
    --items "[{\"itemId\":\"$top\",\"properties\":\"{\\\"genre\\\":\\\"horror\\\"}\"}]" >out.txt; rc=$?
check "put-items exits 0 and prints nothing" '[ $rc -eq 0 ] && [ ! -s out.txt ]'
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id kid \
      --num-results 5 --filter-name nohorror); rc=$?
check "after put-items the item filter excludes it" \
    '[ $rc -eq 0 ] && [ $(items "$out" | wc -l) -eq 5 ] && ! items "$out" | grep -qx "$top"'
"$tsrec" personalize-events put-users --dataset-arn arn:tsrec:personalize:local:dataset/pusers \
    --users '[{"userId":"kid","properties":"{\"AGE\":10}"},{"userId":"adult","properties":"{\"age\":40}"}]'; rc=$?
check "put-users exits 0" '[ $rc -eq 0 ]'
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id kid \
      --num-results 5 --filter-name kidsafe)
check "IF CurrentUser.AGE < 18 excludes horror for the 10-year-old" '! items "$out" | grep -qx "$top"'
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id adult \
      --num-results 5 --filter-name kidsafe)
check "... and keeps it for the 40-year-old" 'items "$out" | grep -qx "$top"'
"$tsrec" personalize-events put-users --dataset-arn arn:tsrec:personalize:local:dataset/pusers \
    --users '[{"userId":"adult","properties":"{\"age\":12}"}]'; rc=$?
out=$("$tsrec" personalize-runtime get-recommendations --campaign-name cpop --user-id adult \
      --num-results 5 --filter-name kidsafe)
check "put-users again updates the user's metadata" '[ $rc -eq 0 ] && ! items "$out" | grep -qx "$top"'
"$tsrec" personalize-events put-events --tracking-id no-such-id --session-id s1 --user-id x \
    --event-list '[{"eventType":"click","sentAt":1700200000,"itemId":"i1"}]' 2>err.txt; rc=$?
check "unknown tracking id is ResourceNotFound" '[ $rc -eq 1 ] && grep -q ResourceNotFoundException err.txt'
out=$("$tsrec" personalize list-solutions)
check "list-solutions shows both" \
    'printf "%s" "$out" | grep -q "\"name\": \"pop\"" && printf "%s" "$out" | grep -q "\"name\": \"sims\""'
out=$("$tsrec" personalize describe-solution --solution-name pop)
check "describe-solution counts 1 version" 'printf "%s" "$out" | grep -q "\"versions\": 1"'
"$tsrec" personalize delete-solution --solution-name pop 2>err.txt; rc=$?
check "delete-solution with a campaign is ResourceInUse" '[ $rc -eq 1 ] && grep -q ResourceInUseException err.txt'
echo "1..$n"
exit $fail
