/* OOM: every allocation of the ETS fit (search, Holt-Winters fallback,
 * constant series) and forecast (analytic class 3, simulation) fails in
 * turn; each must give TSREC_E_NOMEM and leak nothing. */
#include <math.h>
#include <string.h>

#include "test_util.h"

#include "ets_internal.h"

typedef int (*oom_fn)(tsrec_ctx *ctx);

static double Y[40];

static int fit_search(tsrec_ctx *ctx)
{
    tsrec__ets_model mod;
    tsrec__ets_spec sp;
    tsrec__ets_spec_init(&sp);
    sp.maxit = 60; /* keep the sweep short: allocation pattern is the same */
    int st = tsrec__ets_fit(ctx, NULL, Y, 40, 4, &sp, &mod);
    if (st != TSREC_OK)
        return st;
    double q[2] = {0.1, 0.9}, mean[8], qv[16];
    st = tsrec__ets_forecast(ctx, NULL, &mod, 8, q, 2, 0, 1, mean, qv);
    tsrec__ets_model_free(ctx, &mod);
    return st;
}

static int fit_mult_season(tsrec_ctx *ctx)
{
    tsrec__ets_model mod;
    tsrec__ets_spec sp;
    tsrec__ets_spec_init(&sp);
    tsrec__ets_spec_parse(&sp, NULL, "MAM");
    sp.damped = 0;
    sp.maxit = 60;
    int st = tsrec__ets_fit(ctx, NULL, Y, 40, 4, &sp, &mod);
    if (st != TSREC_OK)
        return st;
    double q[1] = {0.9}, mean[8], qv[8];
    st = tsrec__ets_forecast(ctx, NULL, &mod, 8, q, 1, 0, 1, mean, qv);
    tsrec__ets_model_free(ctx, &mod);
    return st;
}

static int fit_simulated(tsrec_ctx *ctx)
{
    tsrec__ets_model mod;
    tsrec__ets_spec sp;
    tsrec__ets_spec_init(&sp);
    tsrec__ets_spec_parse(&sp, NULL, "MMN");
    sp.damped = 0;
    sp.maxit = 60;
    int st = tsrec__ets_fit(ctx, NULL, Y, 40, 1, &sp, &mod);
    if (st != TSREC_OK)
        return st;
    double q[1] = {0.1}, mean[5], qv[5];
    st = tsrec__ets_forecast(ctx, NULL, &mod, 5, q, 1, 200, 1, mean, qv);
    tsrec__ets_model_free(ctx, &mod);
    return st;
}

static int fit_tiny_and_constant(tsrec_ctx *ctx)
{
    tsrec__ets_model mod;
    int st = tsrec__ets_fit(ctx, NULL, Y, 5, 1, NULL, &mod);
    if (st != TSREC_OK)
        return st;
    tsrec__ets_model_free(ctx, &mod);
    double c[10];
    for (int i = 0; i < 10; i++)
        c[i] = 4.0;
    st = tsrec__ets_fit(ctx, NULL, c, 10, 1, NULL, &mod);
    if (st != TSREC_OK)
        return st;
    tsrec__ets_model_free(ctx, &mod);
    return TSREC_OK;
}

static void sweep(oom_fn fn)
{
    for (int i = 0; i < 40; i++)
        Y[i] = 30.0 + 0.4 * i + 4.0 * ((i % 4) - 1.5) + ((i * 7) % 5) * 0.3;
    for (long fail_at = 1;; fail_at++) {
        tu_failing_alloc fa;
        memset(&fa, 0, sizeof fa);
        fa.fail_at = fail_at;
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        int st = fn(ctx);
        tu_ctx_free_checked(ctx);
        if (st == TSREC_OK)
            break;
        assert_int_equal(st, TSREC_E_NOMEM);
        assert_true(fail_at < 10000);
    }
}

static void test_oom_fit_search(void **state) { (void)state; sweep(fit_search); }
static void test_oom_mult_season(void **state) { (void)state; sweep(fit_mult_season); }
static void test_oom_simulated(void **state) { (void)state; sweep(fit_simulated); }
static void test_oom_tiny_constant(void **state) { (void)state; sweep(fit_tiny_and_constant); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_fit_search),
        cmocka_unit_test(test_oom_mult_season),
        cmocka_unit_test(test_oom_simulated),
        cmocka_unit_test(test_oom_tiny_constant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
