#!/bin/sh
# ABI gate (TAP): every symbol exported by the version script, and every
# function a public header declares, has a row in doc/ABI.md's
# thread-safety table, so the table stays complete as the API grows. A row
# is a Markdown table line ("| ... |") naming the symbol in backquotes.
# Usage: abi_doc_check.sh src/libtsrec.map doc/ABI.md [public headers...]
set -eu
map=$1 doc=$2
shift 2
if [ ! -r "$map" ] || [ ! -r "$doc" ]; then
    echo "1..1"
    echo "not ok 1 - cannot read $map or $doc"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# map: the names between "global:" and "local:", comments removed (the same
# reading as check_exports.sh)
sed -e 's#/\*.*\*/##' "$map" | awk '/global:/{g=1;next} /local:/{g=0} g' |
    tr -d ' \t;' | grep -v '^$' | sort -u >"$tmp/map"
# headers: the names declared with TSREC_API (a declaration may span lines,
# the name is on the line of TSREC_API, just before its parenthesis)
for h in "$@"; do
    grep -h 'TSREC_API' "$h" | grep -o 'tsrec_[A-Za-z0-9_]*[[:space:]]*(' |
        tr -d ' \t(' || true
done >>"$tmp/map"
sort -u -o "$tmp/map" "$tmp/map"
# doc: backquoted tsrec_ names on table rows
grep '^[[:space:]]*|' "$doc" | grep -o '`tsrec_[A-Za-z0-9_]*`' | tr -d '`' |
    sort -u >"$tmp/doc"
n=$(wc -l <"$tmp/map")
if [ "$n" -eq 0 ]; then
    echo "1..1"
    echo "not ok 1 - no symbols found in $map"
    exit 1
fi
echo "1..$n"
i=0
fail=0
while read -r sym; do
    i=$((i + 1))
    if grep -qx "$sym" "$tmp/doc"; then
        echo "ok $i - $sym"
    else
        echo "not ok $i - $sym has no row in the thread-safety table of $doc"
        fail=1
    fi
done <"$tmp/map"
exit $fail
