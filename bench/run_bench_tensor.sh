#!/bin/sh
# Side-by-side one-thread throughput of libtsrec's tensor core and PyTorch
# (CPU): SGEMM shapes and a GRU step forward+backward. Builds nothing.
# Usage: bench/run_bench_tensor.sh [build-dir] [--quick]   (default: build)
# ratio = torch time / libtsrec time (> 1: libtsrec is faster).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
quick=${2:-}
exe="$build/bench/bench_tensor"
if [ ! -x "$exe" ]; then
    echo "run_bench_tensor: $exe not found; build it first (ninja -C $build)" >&2
    exit 1
fi
export OPENBLAS_NUM_THREADS=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$exe" $quick > "$tmp/tsrec.txt"

# Debian's python3-torch lives in the system interpreter, which may not be
# the first python3 on PATH.
torch_py=""
for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import torch' >/dev/null 2>&1; then
        torch_py=$py
        break
    fi
done
if [ -n "$torch_py" ]; then
    "$torch_py" "$here/bench_tensor_torch.py" $quick > "$tmp/torch.txt"
else
    echo "run_bench_tensor: torch is missing (python3 -c 'import torch' failed); libtsrec numbers only"
    : > "$tmp/torch.txt"
fi

awk '
function val(line, key,   n, i, parts, kv) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == key) return kv[2] }
    return ""
}
function keyof(line,   parts) {
    split(line, parts, " ")
    if (parts[2] == "sgemm") return parts[2] " " parts[3] " " parts[4] " " parts[5]
    return parts[2] " " parts[3] " " parts[4]
}
FNR == NR { t[keyof($0)] = $0; next }
{ k = keyof($0); order[++n] = k; s[k] = $0 }
END {
    have = length(t) > 0
    printf "%-28s %12s %12s %10s %10s %8s\n", "case", "libtsrec_s", "torch_s", "tsrec_rate", "torch_rate", "ratio"
    for (i = 1; i <= n; i++) {
        k = order[i]; a = val(s[k], "sec"); b = (k in t) ? val(t[k], "sec") : ""
        metric = (k ~ /^sgemm/) ? "gflops" : "steps_s"
        ra = val(s[k], metric); rb = (k in t) ? val(t[k], metric) : "-"
        ratio = (b != "" && a > 0) ? sprintf("%.2f", b / a) : "-"
        printf "%-28s %12.4e %12s %10s %10s %8s\n", k, a, (b == "" ? "-" : sprintf("%.4e", b)), ra, rb, ratio
        line[i] = k; rat[i] = ratio; rate[i] = ra; met[i] = metric
    }
    print "(rate: GFLOP/s for sgemm, steps/s for gru_step; ratio = torch time / libtsrec time)"
    for (i = 1; i <= n; i++) {
        k = line[i]
        if (k ~ /^sgemm m=512 n=512 k=512/) k = "sgemm n=512"
        printf "bench: %s %s=%s%s\n", k, met[i], rate[i], (have ? " ratio=" rat[i] : "")
    }
}' "$tmp/torch.txt" "$tmp/tsrec.txt"
