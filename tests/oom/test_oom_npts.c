/* OOM: NPTS allocates its params object and, per forecast, its feature,
 * weight, path and sort buffers. Fail the Nth allocation for every N until
 * the call succeeds: each failure is TSREC_E_NOMEM with a message and
 * leaks nothing; the successful run matches an unconstrained one. */
#include "test_util.h"

#include <string.h>

#include "core_internal.h"
#include "npts_internal.h"
#include "params_internal.h"
#include "time_internal.h"

#define T0 INT64_C(1577836800) /* 2020-01-01T00:00:00Z */
enum { N = 96, H = 8, S = 50 };

static void make_series(double *y)
{
    for (int t = 0; t < N; t++)
        y[t] = (t % 11 == 3) ? NAN : (double)((t * 7) % 23);
}

/* One forecast through a params object; quantiles on or off. */
static int run(tsrec_ctx *ctx, const double *y, int with_q, double *mean, double *q,
               double *paths)
{
    static const double qs[] = {0.1, 0.5, 0.9};
    tsrec__params *p = NULL;
    int rc = tsrec__npts_params_new(ctx, &ctx->hdr, &p);
    if (rc != TSREC_OK)
        return rc;
    rc = tsrec__params_set_many(p, &ctx->hdr, "num_samples=50 kernel_type=exponential");
    if (rc == TSREC_OK)
        rc = tsrec__npts_forecast(ctx, &ctx->hdr, p, y, N, T0, TSREC__FREQ_H, H, 9, 4,
                                  with_q ? qs : NULL, with_q ? 3 : 0, mean,
                                  with_q ? q : NULL, paths);
    tsrec__params_free(p);
    return rc;
}

static void nomem_every_n(int with_q)
{
    double y[N], ref_mean[H], ref_q[3 * H], ref_paths[S * H];
    make_series(y);
    tsrec_ctx *ctx0 = tu_ctx_new();
    assert_int_equal(run(ctx0, y, with_q, ref_mean, ref_q, ref_paths), TSREC_OK);
    tu_ctx_free_checked(ctx0);

    int64_t n_failed = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        fa.fail_at = n;
        double mean[H], q[3 * H], paths[S * H];
        int rc = run(ctx, y, with_q, mean, q, paths);
        if (fa.failures == 0) {
            assert_int_equal(rc, TSREC_OK);
            assert_memory_equal(mean, ref_mean, sizeof mean);
            assert_memory_equal(paths, ref_paths, sizeof paths);
            if (with_q)
                assert_memory_equal(q, ref_q, sizeof q);
            tu_ctx_free_checked(ctx);
            break;
        }
        n_failed++;
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_non_null(strstr(tsrec_errmsg(ctx), "out of memory"));
        tu_ctx_free_checked(ctx);
    }
    assert_true(n_failed >= 5); /* params + the forecast's buffers */
}

static void test_npts_nomem_every_n(void **state)
{
    (void)state;
    nomem_every_n(1);
}

static void test_npts_nomem_every_n_no_quantiles(void **state)
{
    (void)state;
    nomem_every_n(0);
}

/* Every allocation failing from the first: the forecast alone (config
 * form) reports NOMEM and leaks nothing. */
static void test_npts_nomem_persistent(void **state)
{
    (void)state;
    double y[N], mean[H];
    make_series(y);
    tu_failing_alloc fa = {0, 0, 0, 0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    fa.fail_at = 1;
    fa.persistent = 1;
    tsrec__npts_config c;
    tsrec__npts_config_init(&c);
    assert_int_equal(tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, y, N, T0, TSREC__FREQ_H,
                                              H, 1, 0, NULL, 0, mean, NULL, NULL),
                     TSREC_E_NOMEM);
    fa.fail_at = 0;
    fa.persistent = 0;
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_npts_nomem_every_n),
        cmocka_unit_test(test_npts_nomem_every_n_no_quantiles),
        cmocka_unit_test(test_npts_nomem_persistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
