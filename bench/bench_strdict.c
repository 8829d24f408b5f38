/* Benchmark: intern N synthetic ids "user_<9 digits>" into a string
 * dictionary, then look them all up (hits) and look up as many absent ids
 * (misses). Reports ns per operation and memory per id; the last line is
 * machine-readable:
 *   bench: strdict_intern ns_per_id=... bytes_per_id=...
 * Usage: bench_strdict [n_ids [presize]]   (default 10000000; presize = 1
 * sizes the lookup table up front instead of growing it) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core_internal.h"
#include "strdict_internal.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* id number i, scattered over 9 digits so ids do not arrive sorted. */
static uint64_t id_of(int64_t i)
{
    return 100000000u + ((uint64_t)i * 100000007u) % 900000000u;
}

/* "user_" + 9 digits = 14 bytes, written without snprintf so the timing
 * is the dictionary's. */
static size_t make_id(char *buf, uint64_t v)
{
    memcpy(buf, "user_", 5);
    for (int k = 13; k >= 5; k--) {
        buf[k] = (char)('0' + v % 10);
        v /= 10;
    }
    return 14;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 10000000;
    if (n <= 0 || n > 900000000) {
        fprintf(stderr, "bench_strdict: n_ids must be in 1..900000000\n");
        return 2;
    }
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK) {
        fprintf(stderr, "bench_strdict: ctx: %s\n", tsrec_last_error());
        return 1;
    }
    tsrec__strdict d;
    int64_t hint = argc > 2 && atoi(argv[2]) == 1 ? n : 0;
    if (tsrec__strdict_init(&d, ctx, NULL, hint) != TSREC_OK) {
        fprintf(stderr, "bench_strdict: init: %s\n", tsrec_last_error());
        return 1;
    }
    char buf[16];
    int64_t code = -1, bad = 0;

    /* 1. one call per id */
    double t0 = now_s();
    for (int64_t i = 0; i < n; i++) {
        size_t len = make_id(buf, id_of(i));
        if (tsrec__strdict_intern(&d, NULL, buf, len, &code, NULL) != TSREC_OK) {
            fprintf(stderr, "bench_strdict: intern: %s\n", tsrec_last_error());
            return 1;
        }
        bad += code != i;
    }
    double t_intern = now_s() - t0;

    /* 2. the batch call, into a second dictionary, BATCH ids at a time
     * (id formatting included in the time, as above) */
    enum { BATCH = 4096 };
    static char ids[BATCH][16];
    static const void *ptrs[BATCH];
    static size_t lens[BATCH];
    static int64_t codes[BATCH];
    tsrec__strdict d2;
    if (tsrec__strdict_init(&d2, ctx, NULL, hint) != TSREC_OK)
        return 1;
    t0 = now_s();
    for (int64_t i0 = 0; i0 < n; i0 += BATCH) {
        int64_t m = n - i0 < BATCH ? n - i0 : BATCH;
        for (int64_t k = 0; k < m; k++) {
            lens[k] = make_id(ids[k], id_of(i0 + k));
            ptrs[k] = ids[k];
        }
        if (tsrec__strdict_intern_many(&d2, NULL, m, ptrs, lens, codes, NULL) != TSREC_OK) {
            fprintf(stderr, "bench_strdict: intern_many: %s\n", tsrec_last_error());
            return 1;
        }
        for (int64_t k = 0; k < m; k++)
            bad += codes[k] != i0 + k;
    }
    double t_batch = now_s() - t0;
    tsrec__strdict_free(&d2);

    t0 = now_s();
    for (int64_t i = 0; i < n; i++) {
        size_t len = make_id(buf, id_of((i * 7) % n));
        bad += tsrec__strdict_lookup(&d, buf, len) != (i * 7) % n;
    }
    double t_hit = now_s() - t0;

    t0 = now_s();
    for (int64_t i = 0; i < n; i++) {
        size_t len = make_id(buf, id_of(i));
        buf[0] = 'U'; /* same digits, never interned */
        bad += tsrec__strdict_lookup(&d, buf, len) != -1;
    }
    double t_miss = now_s() - t0;

    t0 = now_s();
    size_t total_len = 0;
    for (int64_t i = 0; i < n; i++) {
        size_t len;
        const char *p = tsrec__strdict_get(&d, i, &len);
        total_len += len + (size_t)(p[len - 1] & 1);
    }
    double t_get = now_s() - t0;

    size_t bytes = tsrec__strdict_bytes(&d);
    double bpi = tsrec__strdict_bytes_per_id(&d);
    double ns = 1e9 / (double)n;
    printf("ids            %" PRId64 " (14 bytes each)\n", n);
    printf("intern         %.1f ns/id  (%.2f s)\n", t_intern * ns, t_intern);
    printf("intern batch   %.1f ns/id  (%.2f s)\n", t_batch * ns, t_batch);
    printf("lookup hit     %.1f ns/id\n", t_hit * ns);
    printf("lookup miss    %.1f ns/id\n", t_miss * ns);
    printf("get            %.1f ns/id  (checksum %zu)\n", t_get * ns, total_len);
    printf("memory         %zu bytes total, %.2f bytes/id\n", bytes, bpi);
    if (bad != 0) {
        printf("bench: ERROR %" PRId64 " wrong results\n", bad);
        return 1;
    }
    printf("bench: strdict_intern ns_per_id=%.1f bytes_per_id=%.2f "
           "batch_ns_per_id=%.1f\n", t_intern * ns, bpi, t_batch * ns);
    tsrec__strdict_free(&d);
    tsrec_ctx_free(ctx);
    return 0;
}
