/* Accuracy metrics (src/forecast/metrics.c) against hand-computed values
 * on a tiny fixed forecast: wQL with factor 2 and the sum|y| ~ 0 rule,
 * average wQL, WAPE and RMSE from the mean, MAPE skipping zero actuals,
 * MASE with the in-sample seasonal-naive scale, and the window mean. */
#include <math.h>

#include "metrics_internal.h"
#include "test_util.h"
#include "time_internal.h"

#define EPS 1e-12

static void two_series(tsrec__metrics *m)
{
    const double q[2] = {0.1, 0.9};
    tsrec__metric_acc acc;
    tsrec__metric_acc_init(&acc, q, 2);
    const double ya[3] = {1, 2, 3}, ma[3] = {1, 3, 2};
    const double qa[6] = {0, 1, 2, /* q0.9 */ 2, 3, 4};
    const double ha[4] = {1, 2, 4, 3};
    tsrec__metric_acc_add(&acc, ya, 3, ma, qa, ha, 4, 1);
    const double yb[3] = {0, 0, 2}, mb[3] = {1, 0, 2};
    const double qb[6] = {0, 0, 1, /* q0.9 */ 1, 1, 3};
    const double hb[3] = {0, 0, 0}; /* flat history: no MASE scale */
    tsrec__metric_acc_add(&acc, yb, 3, mb, qb, hb, 3, 1);
    tsrec__metric_acc_finish(&acc, m);
}

static void test_hand_computed(void **state)
{
    (void)state;
    tsrec__metrics m;
    two_series(&m);
    assert_int_equal(m.item_count, 2);
    assert_true(fabs(m.wql[0] - 0.1) < EPS);   /* 2 * 0.4 / 8 */
    assert_true(fabs(m.wql[1] - 0.15) < EPS);  /* 2 * 0.6 / 8 */
    assert_true(fabs(m.avg_wql - 0.125) < EPS);
    assert_true(fabs(m.wape - 0.375) < EPS);   /* 3 / 8 */
    assert_true(fabs(m.rmse - sqrt(0.5)) < EPS);
    assert_true(fabs(m.mape - 5.0 / 36.0) < EPS);
    assert_true(fabs(m.mase - 0.5) < EPS);     /* (2/3) / (4/3), series B skipped */
}

static void test_zero_actuals(void **state)
{
    (void)state;
    const double q[1] = {0.5};
    tsrec__metric_acc acc;
    tsrec__metric_acc_init(&acc, q, 1);
    const double y[2] = {0, 0}, mean[2] = {1, 2}, qv[2] = {1, 2};
    tsrec__metric_acc_add(&acc, y, 2, mean, qv, NULL, 0, 1);
    tsrec__metrics m;
    tsrec__metric_acc_finish(&acc, &m);
    assert_true(fabs(m.wql[0] - 3.0) < EPS); /* unweighted: 2 * 0.5 * 3 */
    assert_true(fabs(m.wape - 3.0) < EPS);
    assert_true(isnan(m.mape));
    assert_true(isnan(m.mase));
    /* Nothing added: undefined. */
    tsrec__metric_acc_init(&acc, q, 1);
    tsrec__metric_acc_finish(&acc, &m);
    assert_int_equal(m.item_count, 0);
    assert_true(isnan(m.wql[0]) && isnan(m.avg_wql) && isnan(m.rmse));
}

static void test_seasonal_scale(void **state)
{
    (void)state;
    /* m = 2: pairs (1,3),(2,5),(3,4) -> |2|,|3|,|1|, scale 2; error 1 -> 0.5.
     * A history no longer than m falls back to m = 1. */
    const double q[1] = {0.5};
    tsrec__metric_acc acc;
    tsrec__metric_acc_init(&acc, q, 1);
    const double h[5] = {1, 2, 3, 5, 4}, y[1] = {10}, f[1] = {9};
    tsrec__metric_acc_add(&acc, y, 1, f, f, h, 5, 2);
    tsrec__metrics m;
    tsrec__metric_acc_finish(&acc, &m);
    assert_true(fabs(m.mase - 0.5) < EPS);
    tsrec__metric_acc_init(&acc, q, 1);
    const double h2[2] = {1, 5}; /* m = 24 > n: m = 1, scale 4 */
    tsrec__metric_acc_add(&acc, y, 1, f, f, h2, 2, 24);
    tsrec__metric_acc_finish(&acc, &m);
    assert_true(fabs(m.mase - 0.25) < EPS);
    assert_int_equal(tsrec__mase_season(TSREC__FREQ_H), 24);
    assert_int_equal(tsrec__mase_season(TSREC__FREQ_30MIN), 48);
    assert_int_equal(tsrec__mase_season(TSREC__FREQ_1MIN), 1440);
    assert_int_equal(tsrec__mase_season(TSREC__FREQ_D), 1);
    assert_int_equal(tsrec__mase_season(TSREC__FREQ_M), 12);
}

static void test_window_mean(void **state)
{
    (void)state;
    tsrec__metrics w[3];
    two_series(&w[0]);
    two_series(&w[1]);
    w[1].wape = 0.625;
    w[1].mase = NAN;
    const double q[1] = {0.5};
    tsrec__metric_acc acc;
    tsrec__metric_acc_init(&acc, q, 1);
    tsrec__metric_acc_finish(&acc, &w[2]); /* an empty window */
    tsrec__metrics s;
    tsrec__metrics_mean(w, 3, &s);
    assert_true(fabs(s.wape - 0.5) < EPS);
    assert_true(fabs(s.mase - 0.5) < EPS);
    assert_true(fabs(s.wql[1] - 0.15) < EPS);
    assert_int_equal(s.item_count, 1); /* (2 + 2 + 0) / 3 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_computed),
        cmocka_unit_test(test_zero_actuals),
        cmocka_unit_test(test_seasonal_scale),
        cmocka_unit_test(test_window_mean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
