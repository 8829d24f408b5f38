/* OOM: SIMS training on each path of sims_pairs.c (pair-once fast path,
 * full-row fallback from the start and after part of the pairs were kept)
 * with one worker and with a pool. The Nth allocation fails for every N
 * until the call succeeds: each failure is TSREC_E_NOMEM, leaves a zeroed
 * model and leaks nothing; the final success equals a run without
 * failures. */
#include "test_util.h"

#include <string.h>

#include "interactions_internal.h"
#include "recipes_internal.h"
#include "sims_internal.h"

enum { N = 600, NU = 40, NI = 30 };
static int32_t du[N], di[N];
static int64_t dt[N];

static void make_store(tsrec__interactions *s, tsrec_ctx *ctx)
{
    for (int64_t k = 0; k < N; k++) {
        du[k] = (int32_t)((k * 7) % NU);
        di[k] = (int32_t)((k * k + 5 * k) % NI);
        dt[k] = (k * 37) % 1000;
    }
    tsrec__interaction_rows r = {N, du, di, dt, NULL, NULL};
    tsrec__interaction_codes c = {NU, NI, 0, NULL};
    tsrec__interaction_opts o;
    tsrec__interaction_opts_init(&o);
    assert_int_equal(tsrec__interactions_build(s, ctx, NULL, &r, &c, &o), TSREC_OK);
}

static void params(tsrec__sims_params *p)
{
    tsrec__sims_params_init(p);
    p->min_cointeraction_count = 1;
}

/* Neighbour entries of a run without failures (for the final check). */
static int64_t reference_entries(void)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__interactions s;
    make_store(&s, ctx);
    tsrec__sims_params p;
    params(&p);
    tsrec__sims_model m;
    assert_int_equal(tsrec__sims_train(&m, ctx, NULL, &s, &p), TSREC_OK);
    int64_t e = m.nb_off[NI];
    tsrec__sims_free(&m);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
    return e;
}

/* Train with the allocator failing at call n (counted after the store was
 * built); returns the status. */
static int run(int64_t n, int32_t threads, int64_t budget, int64_t want_entries)
{
    tu_failing_alloc fa = {0, 0, 0, 0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    assert_int_equal(tsrec_ctx_set_threads(ctx, threads), TSREC_OK);
    tsrec__interactions s;
    make_store(&s, ctx);
    tsrec__sims_params p;
    params(&p);
    tsrec__sims_model m;
    fa.calls = 0;
    fa.fail_at = n;
    int rc = tsrec__sims_train_budget(&m, ctx, NULL, &s, &p, budget);
    fa.fail_at = 0;
    if (rc != TSREC_OK) {
        assert_null(m.nb_off);
        assert_null(m.nb_item);
    } else {
        assert_int_equal(m.nb_off[NI], want_entries);
    }
    tsrec__sims_free(&m);
    tsrec__interactions_free(&s);
    tu_ctx_free_checked(ctx);
    return rc;
}

static void every_n(int32_t threads, int64_t budget)
{
    int64_t want = reference_entries();
    assert_true(want > 0);
    int failures = 0;
    for (int64_t n = 1;; n++) {
        int rc = run(n, threads, budget, want);
        if (rc == TSREC_OK)
            break;
        assert_int_equal(rc, TSREC_E_NOMEM);
        failures++;
    }
    assert_true(failures >= 12);
}

static void test_fast(void **state)
{
    (void)state;
    every_n(1, -1);
}
static void test_fast_pool(void **state)
{
    (void)state;
    every_n(2, -1);
}
static void test_fallback(void **state)
{
    (void)state;
    every_n(1, 0);
}
static void test_fallback_part_way(void **state)
{
    (void)state;
    every_n(2, 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast),
        cmocka_unit_test(test_fast_pool),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_fallback_part_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
