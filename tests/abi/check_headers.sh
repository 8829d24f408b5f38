#!/bin/sh
# ABI gate: every identifier a public header declares is prefixed: macros
# TSREC_, types and functions tsrec_. Usage: check_headers.sh header...
set -eu
fail=0
# The one exception: arrow.h carries the Arrow C Data / C Stream Interface
# structs and macros verbatim, as the Arrow specification requires (same
# names, canonical guards, so copies from several projects coexist). Exactly
# these spec identifiers are allowed; nothing else may skip the prefix.
arrow_spec='^(ArrowSchema|ArrowArray|ArrowArrayStream|ARROW_C_DATA_INTERFACE|ARROW_C_STREAM_INTERFACE|ARROW_FLAG_DICTIONARY_ORDERED|ARROW_FLAG_NULLABLE|ARROW_FLAG_MAP_KEYS_SORTED)$'
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
    if [ "$(basename "$h")" = arrow.h ]; then
        bad=$(printf '%s\n' $bad | grep -Ev "$arrow_spec" || true)
        bad2=$(printf '%s\n' $bad2 | grep -Ev "$arrow_spec" || true)
    fi
    for b in $bad $bad2 $bad3; do
        echo "$h: unprefixed public identifier: $b"
        fail=1
    done
done
[ $fail -eq 0 ] && echo "ok: all public identifiers prefixed in $# headers"
exit $fail
