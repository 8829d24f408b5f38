#!/usr/bin/env python3
"""PyTorch (CPU, one thread) peer of bench_tensor.c: the same SGEMM shapes
and a torch.nn.GRUCell step forward + backward (autograd, gradients for the
input, the previous state and all parameters) at the same batch and hidden
sizes. Prints lines in bench_tensor.c's format with the prefix 'torch'."""
import sys
import time

try:
    import torch
except ImportError:
    print("torch missing")
    sys.exit(3)


def time_it(fn, min_sec):
    fn()
    fn()
    reps = 0
    t0 = time.perf_counter()
    while True:
        fn()
        reps += 1
        t = time.perf_counter()
        if t - t0 >= min_sec:
            return (t - t0) / reps


def bench_gemm(m, n, k, trans_b, min_sec):
    a = torch.rand(m, k) * 0.2 - 0.1
    b = torch.rand(n, k) * 0.2 - 0.1 if trans_b else torch.rand(k, n) * 0.2 - 0.1
    out = torch.empty(m, n)
    bt = b.t() if trans_b else b

    def run():
        torch.mm(a, bt, out=out)

    sec = time_it(run, min_sec)
    print("torch sgemm m=%d n=%d k=%d sec=%.6e gflops=%.2f"
          % (m, n, k, sec, 2.0 * m * n * k / sec * 1e-9))


def bench_gru(batch, hidden, min_sec):
    inp = hidden
    cell = torch.nn.GRUCell(inp, hidden)
    x = (torch.rand(batch, inp) - 0.5).requires_grad_()
    h = (torch.rand(batch, hidden) - 0.5).requires_grad_()
    gout = torch.rand(batch, hidden) - 0.5

    def run():
        hy = cell(x, h)
        torch.autograd.backward(hy, gout)  # accumulates into .grad, as libtsrec does

    sec = time_it(run, min_sec)
    flops = 3.0 * 2.0 * batch * 3.0 * hidden * (inp + hidden)
    print("torch gru_step b=%d h=%d sec=%.6e steps_s=%.1f gflops=%.2f"
          % (batch, hidden, sec, 1.0 / sec, flops / sec * 1e-9))


def main():
    torch.set_num_threads(1)
    min_sec = 0.02 if "--quick" in sys.argv else 0.3
    bench_gemm(512, 512, 512, False, min_sec)
    bench_gemm(128, 120, 40, True, min_sec)
    bench_gemm(128, 300, 100, True, min_sec)
    bench_gemm(128, 600, 200, True, min_sec)
    for b in (32, 128, 512):
        for hd in (40, 100, 200):
            bench_gru(b, hd, min_sec)


if __name__ == "__main__":
    main()
