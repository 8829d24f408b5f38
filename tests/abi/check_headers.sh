#!/bin/sh
# ABI gate: every identifier a public header declares is prefixed: macros
# TSREC_, types and functions tsrec_. Usage: check_headers.sh header...
set -eu
fail=0
for h in "$@"; do
    # macros
    bad=$(sed -n 's/^[ \t]*#[ \t]*define[ \t]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' "$h" |
          grep -v '^TSREC_' || true)
    # typedef names, struct/enum tags, and function names declared with TSREC_API
    bad2=$( (sed -n -e 's/.*typedef[^(]*(\*\([A-Za-z_][A-Za-z0-9_]*\)).*/\1/p' \
                    -e '/typedef[^(]*$/s/.*[ *]\([A-Za-z_][A-Za-z0-9_]*\);.*/\1/p' "$h"
             sed -n 's/^}[ \t]*\([A-Za-z_][A-Za-z0-9_]*\);.*/\1/p' "$h"
             sed -n 's/.*\(struct\|enum\)[ \t]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\).*/\2/p' "$h"
             sed -n 's/^TSREC_API[^(]*[ *]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' "$h") |
           grep -v '^tsrec_' || true)
    # enumerators
    bad3=$(sed -n 's/^[ \t]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\)[ \t]*=[ \t]*[0-9].*/\1/p' "$h" |
           grep -v '^TSREC_' || true)
    for b in $bad $bad2 $bad3; do
        echo "$h: unprefixed public identifier: $b"
        fail=1
    done
done
[ $fail -eq 0 ] && echo "ok: all public identifiers prefixed in $# headers"
exit $fail
