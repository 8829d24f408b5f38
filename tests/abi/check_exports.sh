#!/bin/sh
# ABI gate: the dynamic symbols libtsrec exports are exactly the global
# symbols of the version script, every one prefixed tsrec_, each bound to a
# version node. Usage: check_exports.sh libtsrec.so libtsrec.map
set -eu
lib=$1 map=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# map: lines "    name;" between "global:" and "local:", minus comments
sed -e 's#/\*.*\*/##' "$map" | awk '/global:/{g=1;next} /local:/{g=0} g' |
    tr -d ' \t;' | grep -v '^$' | sort -u >"$tmp/map"
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' |
    grep -v '^TSREC_[0-9_.]*$' | sed 's/@.*//' | sort -u >"$tmp/exp"
fail=0
if ! diff -u "$tmp/map" "$tmp/exp" >"$tmp/diff"; then
    echo "exported symbols differ from $map (- map only, + exported only):"
    cat "$tmp/diff"
    fail=1
fi
if grep -v '^tsrec_' "$tmp/exp"; then
    echo "exported symbols without the tsrec_ prefix (above)"
    fail=1
fi
n=$(wc -l <"$tmp/exp")
[ "$n" -gt 0 ] || { echo "no exported symbols found in $lib"; fail=1; }
# every export carries a version node
if nm -D --defined-only "$lib" | awk '$3 ~ /^tsrec_/ && $3 !~ /@/' | grep .; then
    echo "unversioned exports (above)"
    fail=1
fi
[ $fail -eq 0 ] && echo "ok: $n exported symbols match the map"
exit $fail
