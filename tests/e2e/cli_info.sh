#!/bin/sh
# tsrec CLI smoke test: info prints the build JSON, unknown commands and no
# command are usage errors (exit 2), version matches the library.
set -u
tsrec=$1
fail=0
check() { if ! eval "$2"; then echo "not ok - $1"; fail=1; else echo "ok - $1"; fi; }
out=$("$tsrec" info); rc=$?
check "info exits 0" '[ $rc -eq 0 ]'
for key in '"version"' '"blas"' '"threading"' '"lapacke"' '"zlib"' '"algorithms"'; do
    check "info shows $key" 'printf "%s" "$out" | grep -q "$key"'
done
# Built with the Forecast half, the algorithm registry shows up.
if printf "%s" "$out" | grep -q '"forecast": *true'; then
    check "info lists ETS" 'printf "%s" "$out" | grep -q "\"ETS\""'
    check "info lists Theta" 'printf "%s" "$out" | grep -q "\"Theta\""'
else
    check "info lists no algorithm without forecast" '! printf "%s" "$out" | grep -q "\"ETS\""'
    check "info lists an empty algorithms array" 'printf "%s" "$out" | grep -q "\"algorithms\": *\[ *\]"'
fi
"$tsrec" no-such-command >/dev/null 2>&1; rc=$?
check "unknown command exits 2" '[ $rc -eq 2 ]'
"$tsrec" >/dev/null 2>&1; rc=$?
check "no command exits 2" '[ $rc -eq 2 ]'
v=$("$tsrec" version)
check "version is x.y.z" 'printf "%s" "$v" | grep -Eq "^[0-9]+\.[0-9]+\.[0-9]+$"'
"$tsrec" --help | grep -q "usage: tsrec"; rc=$?
check "--help prints usage" '[ $rc -eq 0 ]'
echo "1..13"
exit $fail
