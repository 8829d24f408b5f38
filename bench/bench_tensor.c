/* One-thread throughput of the tensor core: SGEMM (square and GRU-shaped)
 * and a GRU step forward+backward at several batch and hidden sizes.
 * Prints one line per case, parsed by bench/run_bench_tensor.sh next to
 * bench_tensor_torch.py's lines for the same shapes:
 *   libtsrec sgemm m=.. n=.. k=.. sec=.. gflops=..
 *   libtsrec gru_step b=.. h=.. sec=.. steps_s=.. gflops=..
 * (sec = seconds per call). Run with OPENBLAS_NUM_THREADS=1. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn_internal.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static float *filled(size_t n, unsigned seed)
{
    float *p = malloc(n * sizeof *p);
    if (p == NULL) {
        fprintf(stderr, "bench_tensor: out of memory\n");
        exit(1);
    }
    for (size_t k = 0; k < n; k++) {
        seed = seed * 1664525u + 1013904223u;
        p[k] = ((float)(seed >> 8) / 16777216.0f - 0.5f) * 0.2f;
    }
    return p;
}

/* Seconds per call of fn, repeated until at least min_sec has passed. */
typedef void (*bench_fn)(void *);
static double time_it(bench_fn fn, void *arg, double min_sec)
{
    fn(arg); /* warm up */
    fn(arg);
    long reps = 0;
    double t0 = now(), t;
    do {
        fn(arg);
        reps++;
        t = now();
    } while (t - t0 < min_sec);
    return (t - t0) / (double)reps;
}

typedef struct gemm_arg {
    int m, n, k, trans_b;
    float *a, *b, *c;
} gemm_arg;

static void run_gemm(void *p)
{
    gemm_arg *g = p;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, g->trans_b ? CblasTrans : CblasNoTrans, g->m, g->n,
                g->k, 1.0f, g->a, g->k, g->b, g->trans_b ? g->k : g->n, 0.0f, g->c, g->n);
}

static void bench_gemm(int m, int n, int k, int trans_b, double min_sec)
{
    gemm_arg g = {m, n, k, trans_b, filled((size_t)m * k, 1), filled((size_t)k * n, 2),
                  filled((size_t)m * n, 3)};
    double sec = time_it(run_gemm, &g, min_sec);
    printf("libtsrec sgemm m=%d n=%d k=%d sec=%.6e gflops=%.2f\n", m, n, k, sec,
           2.0 * m * n * k / sec * 1e-9);
    free(g.a);
    free(g.b);
    free(g.c);
}

typedef struct gru_arg {
    int64_t batch;
    tsrec__rnn_params p, g;
    float *x, *h, *hout, *cache, *dh, *dx, *dhp;
} gru_arg;

static void run_gru(void *v)
{
    gru_arg *a = v;
    if (tsrec__gru_step_forward(NULL, &a->p, a->batch, a->x, a->h, a->hout, a->cache) != 0 ||
        tsrec__gru_step_backward(NULL, &a->p, a->batch, a->x, a->h, a->cache, a->dh, a->dx,
                                 a->dhp, &a->g) != 0) {
        fprintf(stderr, "bench_tensor: gru step failed\n");
        exit(1);
    }
}

static void bench_gru(int64_t batch, int64_t hidden, double min_sec)
{
    int64_t in = hidden, np = tsrec__rnn_param_count(3, in, hidden);
    size_t bh = (size_t)(batch * hidden), bi = (size_t)(batch * in);
    gru_arg a = {0};
    a.batch = batch;
    float *theta = filled((size_t)np, 5), *grad = filled((size_t)np, 6);
    tsrec__rnn_params_view(&a.p, theta, 3, in, hidden);
    tsrec__rnn_params_view(&a.g, grad, 3, in, hidden);
    a.x = filled(bi, 7);
    a.h = filled(bh, 8);
    a.hout = filled(bh, 9);
    a.cache = filled((size_t)tsrec__gru_cache_floats(batch, hidden), 10);
    a.dh = filled(bh, 11);
    a.dx = filled(bi, 12);
    a.dhp = filled(bh, 13);
    double sec = time_it(run_gru, &a, min_sec);
    /* forward 2*B*3H*(in+H); backward twice that (weight and input grads). */
    double flops = 3.0 * 2.0 * (double)batch * 3.0 * (double)hidden * (double)(in + hidden);
    printf("libtsrec gru_step b=%lld h=%lld sec=%.6e steps_s=%.1f gflops=%.2f\n",
           (long long)batch, (long long)hidden, sec, 1.0 / sec, flops / sec * 1e-9);
    free(theta);
    free(grad);
    free(a.x);
    free(a.h);
    free(a.hout);
    free(a.cache);
    free(a.dh);
    free(a.dx);
    free(a.dhp);
}

int main(int argc, char **argv)
{
    double min_sec = 0.3;
    if (argc > 1 && strcmp(argv[1], "--quick") == 0)
        min_sec = 0.02;
    bench_gemm(512, 512, 512, 0, min_sec);
    /* The GRU forward's shapes: [B x H] * [H x 3H]^T at B=128. */
    bench_gemm(128, 120, 40, 1, min_sec);
    bench_gemm(128, 300, 100, 1, min_sec);
    bench_gemm(128, 600, 200, 1, min_sec);
    const int64_t batches[] = {32, 128, 512}, hiddens[] = {40, 100, 200};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            bench_gru(batches[i], hiddens[j], min_sec);
    return 0;
}
