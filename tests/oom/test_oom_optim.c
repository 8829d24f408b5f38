/* OOM: every allocating optimiser entry point, failing the Nth allocation
 * for every N (transient and persistent) until the call succeeds: each
 * failure must report TSREC_E_NOMEM, leave nothing allocated and leave the
 * caller's x untouched or valid. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "core_internal.h"
#include "optim_internal.h"

static int sphere(void *ud, const double *x, double *f, double *g)
{
    (void)ud;
    double s = 0.0;
    for (int i = 0; i < 3; i++) {
        s += (x[i] - 1.0) * (x[i] - 1.0);
        if (g)
            g[i] = 2.0 * (x[i] - 1.0);
    }
    *f = s;
    return TSREC_OK;
}

enum { OP_NM, OP_LBFGSB, OP_ADAM, OP_SGD, OP_ADAGRAD, OP_COUNT };

static int run_op(tsrec_ctx *ctx, int op)
{
    double x[3] = {0.0, 2.0, -1.0};
    const double lo[3] = {-5, -5, -5}, up[3] = {5, 5, 5};
    tsrec__optim_result r;
    tsrec__updater *u = NULL;
    int st;
    switch (op) {
    case OP_NM:
        st = tsrec__nelder_mead(ctx, NULL, 3, x, sphere, NULL, NULL, &r);
        if (st == TSREC_OK)
            assert_true(fabs(x[0] - 1.0) < 1e-3);
        return st;
    case OP_LBFGSB:
        st = tsrec__lbfgsb(ctx, NULL, 3, x, lo, up, sphere, NULL, NULL, &r);
        if (st == TSREC_OK)
            assert_true(fabs(x[0] - 1.0) < 1e-6);
        return st;
    case OP_ADAM:
        st = tsrec__adam_new(ctx, NULL, 5, NULL, &u);
        break;
    case OP_SGD:
        st = tsrec__sgd_new(ctx, NULL, 5, NULL, &u);
        break;
    default:
        st = tsrec__adagrad_new(ctx, NULL, 5, NULL, &u);
        break;
    }
    if (st != TSREC_OK) {
        assert_null(u);
        return st;
    }
    float p[5] = {1, 2, 3, 4, 5};
    const float g[5] = {1, 1, 1, 1, 1};
    assert_int_equal(tsrec__updater_step(u, NULL, p, g), TSREC_OK);
    assert_true(p[0] < 1.0f);
    tsrec__updater_free(u);
    return TSREC_OK;
}

static void every_n(int op, int persistent)
{
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        fa.fail_at = n;
        fa.persistent = persistent;
        int st = run_op(ctx, op);
        if (fa.failures == 0) {
            assert_int_equal(st, TSREC_OK);
            tu_ctx_free_checked(ctx);
            assert_true(n > 1); /* the operation did allocate */
            break;
        }
        assert_int_equal(st, TSREC_E_NOMEM);
        assert_non_null(strstr(tsrec_last_error(), "memory"));
        tu_ctx_free_checked(ctx);
        assert_true(n < 20);
    }
}

static void test_oom_optimizers(void **state)
{
    (void)state;
    for (int op = 0; op < OP_COUNT; op++) {
        every_n(op, 0);
        every_n(op, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_optimizers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
