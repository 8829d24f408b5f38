#!/usr/bin/env python3
"""Print 'N passed, N failed' from meson testlog.json files.

A TAP test program counts one per 'ok'/'not ok' line; any other test counts
one by its result. A missing log counts as one failure. Exit 1 on failure."""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b")
passed = failed = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        failed += 1
        continue
    for line in lines:
        if not line.strip():
            continue
        t = json.loads(line)
        ok_result = t.get("result") in ("OK", "EXPECTEDFAIL", "SKIP")
        cases = [m.group(1) for m in map(TAP.match, t.get("stdout", "").splitlines()) if m]
        if cases:
            p = cases.count("ok")
            f = cases.count("not ok")
            if not ok_result and f == 0:
                f = 1  # crashed or timed out after its last reported case
            passed += p
            failed += f
        elif ok_result:
            passed += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
