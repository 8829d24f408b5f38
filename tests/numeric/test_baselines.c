/* Theta method (src/forecast/algos/theta.c) against R forecast::thetaf 8.20
 * values in tests/numeric/data/theta_reference.txt (made by
 * tools/ref/theta_reference.R), plus bad input.
 *
 * Tolerances: the SES inside runs R's Nelder-Mead on R's criterion, so
 * alpha agrees to ~1e-8; the decomposition and slope sum in a different
 * order than R (last bits). Gates: alpha 1e-6 absolute, drift 1e-8
 * relative, means and 80/95% bounds 1e-6 of the series scale. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "baselines_internal.h"

typedef struct theta_ref {
    char name[32];
    int m, n, h, seasonal;
    double alpha, drift;
    double *y, *mean, *lo80, *hi80, *lo95, *hi95;
} theta_ref;

static double *values(const char *line, int count)
{
    double *v = calloc((size_t)count, sizeof(double));
    const char *p = strchr(line, ' ');
    for (int i = 0; i < count && p; i++) {
        char *end;
        v[i] = strtod(p, &end);
        if (end == p)
            break;
        p = end;
    }
    return v;
}

static int load(theta_ref *out, int max)
{
    const char *dir = getenv("TSREC_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/theta_reference.txt", dir ? dir : "tests/numeric/data");
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    static char line[1 << 16];
    int k = -1;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "series ", 7)) {
            if (++k >= max)
                break;
            memset(&out[k], 0, sizeof out[k]);
            sscanf(line + 7, "%31s %d %d %d", out[k].name, &out[k].m, &out[k].n, &out[k].h);
            continue;
        }
        if (k < 0)
            continue;
        theta_ref *r = &out[k];
        if (!strncmp(line, "y ", 2))
            r->y = values(line, r->n);
        else if (!strncmp(line, "seasonal ", 9))
            r->seasonal = atoi(line + 9);
        else if (!strncmp(line, "alpha ", 6))
            r->alpha = strtod(line + 6, NULL);
        else if (!strncmp(line, "drift ", 6))
            r->drift = strtod(line + 6, NULL);
        else if (!strncmp(line, "mean ", 5))
            r->mean = values(line, r->h);
        else if (!strncmp(line, "lo80 ", 5))
            r->lo80 = values(line, r->h);
        else if (!strncmp(line, "hi80 ", 5))
            r->hi80 = values(line, r->h);
        else if (!strncmp(line, "lo95 ", 5))
            r->lo95 = values(line, r->h);
        else if (!strncmp(line, "hi95 ", 5))
            r->hi95 = values(line, r->h);
    }
    fclose(f);
    return k + 1;
}

static void test_theta_vs_r(void **state)
{
    (void)state;
    theta_ref refs[16];
    int nr = load(refs, 16);
    assert_true(nr >= 8);
    tsrec_ctx *ctx = tu_ctx_new();
    const double q[4] = {0.1, 0.9, 0.025, 0.975};
    int seasonal_seen = 0;
    for (int s = 0; s < nr; s++) {
        theta_ref *r = &refs[s];
        assert_non_null(r->y);
        assert_non_null(r->hi95);
        double *mean = calloc((size_t)r->h, sizeof(double));
        double *qv = calloc(4 * (size_t)r->h, sizeof(double));
        tsrec__theta_info info;
        int st = tsrec__theta_forecast(ctx, NULL, r->y, r->n, r->m, r->h, q, 4, mean, qv,
                                       &info);
        assert_int_equal(st, TSREC_OK);
        double scale = 0.0;
        for (int t = 0; t < r->n; t++)
            scale = fmax(scale, fabs(r->y[t]));
        if (info.seasonal != r->seasonal || fabs(info.alpha - r->alpha) > 1e-6 ||
            fabs(info.drift - r->drift) > 1e-8 * fabs(r->drift) + 1e-12 * scale)
            print_error("%s: seasonal %d/%d alpha %.12g/%.12g drift %.12g/%.12g\n", r->name,
                        info.seasonal, r->seasonal, info.alpha, r->alpha, info.drift,
                        r->drift);
        assert_int_equal(info.seasonal, r->seasonal);
        assert_true(fabs(info.alpha - r->alpha) <= 1e-6);
        assert_true(fabs(info.drift - r->drift) <= 1e-8 * fabs(r->drift) + 1e-12 * scale);
        const double tol = 1e-6 * scale;
        for (int i = 0; i < r->h; i++) {
            assert_true(fabs(mean[i] - r->mean[i]) <= tol);
            assert_true(fabs(qv[i] - r->lo80[i]) <= tol);
            assert_true(fabs(qv[r->h + i] - r->hi80[i]) <= tol);
            assert_true(fabs(qv[2 * r->h + i] - r->lo95[i]) <= tol);
            assert_true(fabs(qv[3 * r->h + i] - r->hi95[i]) <= tol);
        }
        seasonal_seen += r->seasonal;
        free(mean);
        free(qv);
        free(r->y);
        free(r->mean);
        free(r->lo80);
        free(r->hi80);
        free(r->lo95);
        free(r->hi95);
    }
    assert_true(seasonal_seen >= 3 && seasonal_seen < nr);
    tu_ctx_free_checked(ctx);
}

static void test_theta_bad_input(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    double y[30], mean[5], qv[5];
    for (int i = 0; i < 30; i++)
        y[i] = 10.0 + i;
    const double q[1] = {0.9}, qbad[1] = {1.0};
    assert_int_equal(tsrec__theta_forecast(ctx, NULL, NULL, 30, 4, 5, q, 1, mean, qv, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__theta_forecast(ctx, NULL, y, 30, 4, 0, q, 1, mean, qv, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__theta_forecast(ctx, NULL, y, 30, 0, 5, q, 1, mean, qv, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__theta_forecast(ctx, NULL, y, 30, 4, 5, qbad, 1, mean, qv, NULL),
                     TSREC_E_INVALID_ARG);
    y[7] = NAN;
    assert_int_equal(tsrec__theta_forecast(ctx, NULL, y, 30, 4, 5, q, 1, mean, qv, NULL),
                     TSREC_E_NAN);
    y[7] = 17.0;
    /* A straight line: no seasonality, the drift is half the slope and
     * the forecast continues the line up to SES's lag. */
    tsrec__theta_info info;
    assert_int_equal(tsrec__theta_forecast(ctx, NULL, y, 30, 4, 5, q, 1, mean, qv, &info),
                     TSREC_OK);
    assert_int_equal(info.seasonal, 0);
    assert_true(fabs(info.drift - 0.5) < 1e-12);
    for (int i = 0; i < 5; i++)
        assert_true(mean[i] > 39.0 && mean[i] < 40.0 + i + 1.0 && qv[i] >= mean[i]);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theta_vs_r),
        cmocka_unit_test(test_theta_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
