#!/bin/sh
# Rebuild the demo excerpts in this folder from the two AWS sample
# repositories (MIT-0). Uses only sh, awk and gzip, so the output is the
# same on any POSIX system (gzip -n: no name or time stamp in the header).
#
# usage: make_excerpts.sh FORECAST_SAMPLES PERSONALIZE_SAMPLES
#   FORECAST_SAMPLES    checkout of aws-samples/amazon-forecast-samples
#                       (commit bb5c3914d2864d4fe2970f48cbd5a1d0a7b5244f), or a
#                       folder holding electricity/item-demand-time.csv
#   PERSONALIZE_SAMPLES checkout of aws-samples/amazon-personalize-samples
#                       (commit 5a69fc41c0825ad0baa2fd3b6fb7dbff5182b9cd), or a
#                       folder holding travel-marketing/df_interactions.csv
set -eu
fc=${1:?usage: make_excerpts.sh FORECAST_SAMPLES PERSONALIZE_SAMPLES}
pz=${2:?usage: make_excerpts.sh FORECAST_SAMPLES PERSONALIZE_SAMPLES}
out=$(cd "$(dirname "$0")" && pwd)

pick() { # first existing path among the arguments
    for p in "$@"; do
        if [ -r "$p" ]; then echo "$p"; return 0; fi
    done
    echo "make_excerpts.sh: none of these exist: $*" >&2
    exit 1
}
elec=$(pick "$fc/electricity/item-demand-time.csv" "$fc/notebooks/common/data/item-demand-time.csv")
inter=$(pick "$pz/travel-marketing/df_interactions.csv" \
    "$pz/next_steps/generative_ai/personalized_marketing_campaign/df_interactions.csv")
items=$(pick "$pz/travel-marketing/df_item_deduplicated.csv" \
    "$pz/next_steps/generative_ai/personalized_marketing_campaign/df_item_deduplicated.csv")

# Forecast: the last four weeks (2014-11-02 00:00 .. 2014-11-29 23:00) of
# the three hourly electricity clients; no header, columns
# timestamp,target_value,item_id as in the source. Four weeks keep the
# daily and weekly pattern visible while AutoML stays well under a second.
awk -F, '$1 >= "2014-11-02 00:00:00"' "$elec" | gzip -n -9 >"$out/electricity.csv.gz"

# Personalize: every interaction of the users with at least two (the ones
# item-to-item similarity can learn from), minus the one row stamped 0.
# Header kept (Personalize CSVs are matched to the schema by name).
awk -F, 'NR == FNR { if (FNR > 1) n[$2]++; next }
         FNR == 1 || (n[$2] >= 2 && $3 > 0)' "$inter" "$inter" |
    gzip -n -9 >"$out/travel-interactions.csv.gz"

# Item descriptions (route, airline) to print recommendations readably;
# the first row of each ITEM_ID (the source repeats three).
awk -F, '!seen[$1]++ { print $1 "," $2 "," $3 "," $4 }' "$items" |
    gzip -n -9 >"$out/travel-items.csv.gz"
