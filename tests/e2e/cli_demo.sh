#!/bin/sh
# tsrec demo end to end (TAP): the whole walkthrough on the bundled data
# exits 0, prints both metrics tables, P10 <= P50 <= P90 forecast lines,
# writes two SVG documents, and PutEvents changes the next recommendation
# (the booked item leaves the list). Bad options are usage errors.
set -u
tsrec=$1
n=0
fail=0
check() {
    n=$((n + 1))
    if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

info=$("$tsrec" info 2>/dev/null)
if ! printf "%s" "$info" | grep -q '"forecast": *true' ||
   ! printf "%s" "$info" | grep -q '"personalize": *true'; then
    # Without a half the demo must stop with a clear message, not crash.
    echo "# tsrec built without the Forecast or Personalize half"
    "$tsrec" demo --output-dir "$tmp/out" >/dev/null 2>"$tmp/stderr"; rc=$?
    check "demo without a half exits 1" '[ $rc -eq 1 ]'
    check "demo without a half says so" 'grep -q "built without" "$tmp/stderr"'
    echo "1..$n"
    exit $fail
fi

"$tsrec" demo --output-dir "$tmp/out" --threads 2 >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
out=$tmp/stdout
check "demo exits 0" '[ $rc -eq 0 ]'
if [ $rc -ne 0 ]; then sed 's/^/# /' "$tmp/stderr"; fi
check "no progress bars when stderr is not a terminal" '[ ! -s "$tmp/stderr" ]'
check "electricity rows imported" 'grep -q "^Imported 2016 hourly readings" "$out"'
check "AutoML names its choice" 'grep -Eq "AutoML chose (ETS|NPTS|Theta|SeasonalNaive)" "$out"'
check "forecast metrics table header" \
    'grep -Eq "^  Algorithm +wQL\[0\.1\] +wQL\[0\.5\] +wQL\[0\.9\] +Avg wQL +WAPE +RMSE +MASE" "$out"'
for algo in ETS NPTS Theta SeasonalNaive; do
    check "metrics row for $algo (7 numbers)" \
        'grep -Eq "^  $algo( +\*)?( +[0-9]+\.[0-9]+){7}$" "$out"'
done
check "exactly one chosen row" '[ "$(grep -Ec "^  [A-Za-z]+ +\*" "$out")" -eq 1 ]'

# Forecast lines: "  2014-11-30 00:00   p10   p50   p90"
fc_lines=$(grep -Ec "^  2014-11-30 [0-9][0-9]:00 +[-0-9.]+ +[-0-9.]+ +[-0-9.]+$" "$out")
check "six forecast lines for 2014-11-30" '[ "$fc_lines" -eq 6 ]'
bad=$(grep -E "^  2014-11-30 [0-9][0-9]:00 " "$out" |
      awk '{ if (!($3 <= $4 && $4 <= $5)) print }' | wc -l)
check "P10 <= P50 <= P90 on every line" '[ "$bad" -eq 0 ]'
check "P10/P50/P90 header" 'grep -Eq "^  time \(UTC\) +P10 +P50 +P90$" "$out"'

for svg in forecast accuracy; do
    f=$tmp/out/$svg.svg
    check "$svg.svg is non-empty" '[ -s "$f" ]'
    check "$svg.svg starts as XML/SVG" 'head -c 5 "$f" | grep -Eq "^(<\?xml|<svg)"'
    check "$svg.svg ends with </svg>" '[ "$(tail -n 1 "$f")" = "</svg>" ]'
done
check "forecast.svg has the band and split marks" \
    'grep -q "class=\"band\"" "$tmp/out/forecast.svg" && grep -q "class=\"split\"" "$tmp/out/forecast.svg"'
check "accuracy.svg highlights the chosen algorithm" \
    'grep -q "(chosen)" "$tmp/out/accuracy.svg"'

check "interactions imported" 'grep -Eq "^Imported [0-9]+ interactions" "$out"'
for recipe in aws-sims aws-popularity-count; do
    check "solution metrics row for $recipe" \
        'grep -Eq "^  $recipe +([0-9]+\.[0-9]+ +){6}[0-9.]+ s$" "$out"'
done
check "item-to-item recommendations shown" 'grep -q "from the aws-sims campaign" "$out"'
line=$(grep "^Next recommendation changed:" "$out")
before=$(printf "%s" "$line" | awk '{ print $4 }')
after=$(printf "%s" "$line" | awk '{ print $6 }')
check "next recommendation changed" '[ -n "$before" ] && [ -n "$after" ] && [ "$before" != "$after" ]'
check "the booked item is excluded" 'printf "%s" "$line" | grep -q "the booked item is excluded"'
# the list after the event does not hold the booked item
after_list=$(sed -n '/after the event:/,/^Next recommendation/p' "$out")
check "booked item absent after PutEvents" \
    '! printf "%s\n" "$after_list" | grep -Eq "^ +[0-9]+\. $before "'
check "demo reports its time" 'grep -Eq "^Demo finished in [0-9.]+ s" "$out"'

"$tsrec" demo --no-such-option >/dev/null 2>&1; rc=$?
check "unknown option exits 2" '[ $rc -eq 2 ]'
"$tsrec" demo --threads 0 >/dev/null 2>&1; rc=$?
check "--threads 0 exits 2" '[ $rc -eq 2 ]'
"$tsrec" demo --data-dir "$tmp/nowhere" --output-dir "$tmp/o2" >/dev/null 2>&1; rc=$?
check "missing data folder exits 3" '[ $rc -eq 3 ]'
"$tsrec" demo --help | grep -q "usage: tsrec demo"; rc=$?
check "--help prints usage" '[ $rc -eq 0 ]'
echo "1..$n"
exit $fail
