/* Determinism: same seed and thread count give bit-identical results when
 * work uses per-item RNG streams over the ctx pool; per-item results do not
 * even depend on the thread count. */
#include "test_util.h"

#include <string.h>

#include "core_internal.h"
#include "pool_internal.h"
#include "rng_internal.h"

#define N_ITEMS 257

typedef struct {
    uint64_t seed;
    double out[N_ITEMS];
    double partial[8]; /* per-worker sums, folded in worker order */
} mc_job;

/* A small Monte Carlo per item: the mean of gamma draws. */
static int mc_items(void *ud, int64_t begin, int64_t end, int32_t worker)
{
    mc_job *j = ud;
    for (int64_t i = begin; i < end; i++) {
        tsrec__rng r;
        tsrec__rng_stream(&r, j->seed, (uint64_t)i);
        double s = 0;
        for (int k = 0; k < 200; k++)
            s += tsrec__rng_gamma(&r, 0.5 + (double)(i % 7), 1.0) * tsrec__rng_normal(&r, 0, 1);
        j->out[i] = s / 200;
        j->partial[worker] += j->out[i];
    }
    return TSREC_OK;
}

static double run_mc(int32_t threads, uint64_t seed, double *out)
{
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.n_threads = threads;
    o.seed = seed;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    mc_job *j = calloc(1, sizeof *j);
    j->seed = ctx->seed;
    assert_int_equal(tsrec__parallel_for(ctx, N_ITEMS, 3, mc_items, j), TSREC_OK);
    memcpy(out, j->out, sizeof j->out);
    double total = 0;
    for (int w = 0; w < threads; w++)
        total += j->partial[w];
    free(j);
    tu_ctx_free_checked(ctx);
    return total;
}

static void test_bit_identical_same_threads(void **state)
{
    (void)state;
    double a[N_ITEMS], b[N_ITEMS];
    for (int32_t t = 1; t <= 4; t++) {
        double ta = run_mc(t, 99, a);
        double tb = run_mc(t, 99, b);
        assert_memory_equal(a, b, sizeof a);
        assert_memory_equal(&ta, &tb, sizeof ta); /* reductions too */
    }
}

static void test_items_independent_of_threads(void **state)
{
    (void)state;
    double one[N_ITEMS], many[N_ITEMS];
    run_mc(1, 7, one);
    run_mc(3, 7, many);
    assert_memory_equal(one, many, sizeof one);
}

static void test_seed_changes_results(void **state)
{
    (void)state;
    double a[N_ITEMS], b[N_ITEMS];
    run_mc(2, 1, a);
    run_mc(2, 2, b);
    int differ = 0;
    for (int i = 0; i < N_ITEMS; i++)
        differ += a[i] != b[i];
    assert_true(differ > N_ITEMS - 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bit_identical_same_threads),
        cmocka_unit_test(test_items_independent_of_threads),
        cmocka_unit_test(test_seed_changes_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
