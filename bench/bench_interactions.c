/* Benchmark: build the Personalize interaction store from N synthetic rows
 * (default 10,000,000; 100k users uniform, 50k items with a skewed,
 * zipf-like popularity, timestamps unordered over one year, 3 event types,
 * values with some absent), then append one PutEvents-sized batch of 10
 * events. Reports build time, bytes held per interaction and append time;
 * the last line is machine-readable:
 *   bench: interactions_build rows=... ms=... bytes_per_row=...
 * Usage: bench_interactions [n_rows] */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "interactions_internal.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t state = 0x853c49e6748fea9bULL;
static uint64_t next_u64(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}
static double next_unit(void)
{
    return (double)(next_u64() >> 11) * (1.0 / 9007199254740992.0);
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 10000000;
    const int64_t n_users = 100000, n_items = 50000;
    if (n <= 0 || n > 1000000000) {
        fprintf(stderr, "bench_interactions: n_rows must be in 1..1e9\n");
        return 2;
    }
    int32_t *user = malloc((size_t)n * sizeof(int32_t));
    int32_t *item = malloc((size_t)n * sizeof(int32_t));
    int32_t *et = malloc((size_t)n * sizeof(int32_t));
    int64_t *ts = malloc((size_t)n * sizeof(int64_t));
    float *val = malloc((size_t)n * sizeof(float));
    if (user == NULL || item == NULL || et == NULL || ts == NULL || val == NULL) {
        fprintf(stderr, "bench_interactions: out of memory for the input\n");
        return 1;
    }
    for (int64_t i = 0; i < n; i++) {
        user[i] = (int32_t)(next_u64() % (uint64_t)n_users);
        /* u^3 puts most of the mass on low codes: a few very popular items */
        int64_t it = (int64_t)((double)n_items * pow(next_unit(), 3.0));
        item[i] = (int32_t)(it < n_items ? it : n_items - 1);
        ts[i] = 1600000000 + (int64_t)(next_u64() % 31536000u);
        et[i] = (int32_t)(next_u64() % 3u);
        val[i] = next_u64() % 10u == 0 ? NAN : (float)(next_u64() % 5u + 1u);
    }
    static const char *const names[] = {"click", "view", "purchase"};
    tsrec__interaction_rows rows = {n, user, item, ts, et, val};
    tsrec__interaction_codes codes = {n_users, n_items, 3, names};
    tsrec__interaction_opts opts;
    tsrec__interaction_opts_init(&opts);

    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK) {
        fprintf(stderr, "bench_interactions: ctx: %s\n", tsrec_last_error());
        return 1;
    }
    tsrec__interactions s;
    double t0 = now_s();
    int rc = tsrec__interactions_build(&s, ctx, NULL, &rows, &codes, &opts);
    double t1 = now_s();
    if (rc != TSREC_OK) {
        fprintf(stderr, "bench_interactions: build: %s\n", tsrec_last_error());
        return 1;
    }
    size_t bytes = tsrec__interactions_bytes(&s);
    int64_t n_built = s.n;
    double ms = (t1 - t0) * 1e3;
    printf("build: %" PRId64 " rows -> %" PRId64 " unique (%" PRId64 " duplicates) in %.1f ms"
           " (%.1f M rows/s)\n",
           n, s.n, s.n_duplicates, ms, (double)n / (t1 - t0) / 1e6);
    printf("memory: %zu bytes held, %.2f bytes per interaction\n", bytes,
           (double)bytes / (double)s.n);

    /* one PutEvents call: 10 events of existing users */
    int32_t bu[10], bi[10], be[10];
    int64_t bt[10];
    float bv[10];
    for (int k = 0; k < 10; k++) {
        bu[k] = (int32_t)(next_u64() % (uint64_t)n_users);
        bi[k] = (int32_t)(next_u64() % (uint64_t)n_items);
        bt[k] = 1640000000 + k;
        be[k] = 0;
        bv[k] = 1.0f;
    }
    tsrec__interaction_rows batch = {10, bu, bi, bt, be, bv};
    double t2 = now_s();
    rc = tsrec__interactions_append(&s, NULL, &batch, &codes);
    double t3 = now_s();
    if (rc != TSREC_OK) {
        fprintf(stderr, "bench_interactions: append: %s\n", tsrec_last_error());
        return 1;
    }
    printf("append: 10 events in %.1f ms\n", (t3 - t2) * 1e3);
    printf("bench: interactions_build rows=%" PRId64 " ms=%.1f bytes_per_row=%.2f\n", n, ms,
           (double)bytes / (double)n_built);
    tsrec__interactions_free(&s);
    tsrec_ctx_free(ctx);
    free(user);
    free(item);
    free(et);
    free(ts);
    free(val);
    return 0;
}
