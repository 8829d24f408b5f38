/* OOM: every allocation of the Theta forecast (its buffer, the SES fit and
 * forecast inside) fails in turn, on a seasonal and a non-seasonal series;
 * each must give TSREC_E_NOMEM and leak nothing. */
#include <math.h>
#include <string.h>

#include "test_util.h"

#include "baselines_internal.h"

static double Y[48];

static int theta_run(tsrec_ctx *ctx, int32_t m)
{
    double q[2] = {0.1, 0.9}, mean[8], qv[16];
    tsrec__theta_info info;
    int st = tsrec__theta_forecast(ctx, NULL, Y, 48, m, 8, q, 2, mean, qv, &info);
    if (st == TSREC_OK && m > 1)
        assert_int_equal(info.seasonal, 1);
    return st;
}

static void sweep(int32_t m)
{
    for (int i = 0; i < 48; i++)
        Y[i] = (30.0 + 0.4 * i) * (1.0 + 0.3 * sin(6.283185307179586 * i / 4.0)) +
               ((i * 7) % 5) * 0.3;
    for (long fail_at = 1;; fail_at++) {
        tu_failing_alloc fa;
        memset(&fa, 0, sizeof fa);
        fa.fail_at = fail_at;
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        int st = theta_run(ctx, m);
        tu_ctx_free_checked(ctx);
        if (st == TSREC_OK)
            break;
        assert_int_equal(st, TSREC_E_NOMEM);
        assert_true(fail_at < 10000);
    }
}

static void test_oom_theta_seasonal(void **state)
{
    (void)state;
    sweep(4);
}

static void test_oom_theta_plain(void **state)
{
    (void)state;
    sweep(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_theta_seasonal),
        cmocka_unit_test(test_oom_theta_plain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
