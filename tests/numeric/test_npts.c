/* NPTS: the sampling distribution against the analytic one (KS and
 * chi-square on small histories, first and second step), quantile
 * calibration and interval coverage on i.i.d. data, seasonal variants
 * sampling only from the matching season, missing values, context length,
 * determinism, the GluonTS sample-quantile rule, and bad input. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "npts_internal.h"
#include "params_internal.h"
#include "rng_internal.h"
#include "time_internal.h"

/* 2020-01-01T00:00:00Z, a Wednesday. */
#define T2020 INT64_C(1577836800)

static tsrec__npts_config cfg_of(int kernel, int seasonal, double alpha, int64_t samples)
{
    tsrec__npts_config c;
    tsrec__npts_config_init(&c);
    c.kernel_type = kernel;
    c.use_seasonal_model = seasonal;
    c.exp_kernel_weights = alpha;
    c.num_samples = samples;
    return c;
}

/* Forecast into a fresh samples array (S * h), asserting success. */
static double *sample_paths(tsrec_ctx *ctx, const tsrec__npts_config *c, const double *y,
                            int64_t n, int64_t t0, int32_t freq, int64_t h,
                            uint64_t seed, uint64_t series)
{
    double *paths = calloc((size_t)(c->num_samples * h), sizeof(double));
    assert_non_null(paths);
    int rc = tsrec__npts_forecast_cfg(ctx, &ctx->hdr, c, y, n, t0, freq, h, seed, series,
                                      NULL, 0, NULL, NULL, paths);
    if (rc != TSREC_OK)
        fail_msg("npts failed: %s", tsrec_errmsg(ctx));
    return paths;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Chi-square statistic and discrete KS distance of counts[0..k) (category
 * i holds value order i) against probabilities p[0..k). */
static void fit_stats(const int64_t *counts, const double *p, int k, int64_t N,
                      double *chi2, double *ks)
{
    double c = 0.0, d = 0.0, fe = 0.0, fo = 0.0;
    for (int i = 0; i < k; i++) {
        double e = p[i] * (double)N;
        if (e > 0.0)
            c += ((double)counts[i] - e) * ((double)counts[i] - e) / e;
        fe += p[i];
        fo += (double)counts[i] / (double)N;
        if (fabs(fo - fe) > d)
            d = fabs(fo - fe);
    }
    *chi2 = c;
    *ks = d;
}

/* Index of v in vals[0..k), -1 if absent. */
static int find_value(const double *vals, int k, double v)
{
    for (int i = 0; i < k; i++)
        if (vals[i] == v)
            return i;
    return -1;
}

/* ---- the quantile rule -------------------------------------------------- */

static void test_quantile_rule(void **state)
{
    (void)state;
    /* round((n - 1) q) with halves to even, as numpy.round. */
    assert_int_equal(tsrec__npts_quantile_index(100, 0.5), 50);  /* 49.5 -> 50 */
    assert_int_equal(tsrec__npts_quantile_index(100, 0.1), 10);  /* 9.9 */
    assert_int_equal(tsrec__npts_quantile_index(100, 0.9), 89);  /* 89.1 */
    assert_int_equal(tsrec__npts_quantile_index(4, 0.5), 2);     /* 1.5 -> 2 */
    assert_int_equal(tsrec__npts_quantile_index(6, 0.5), 2);     /* 2.5 -> 2 */
    assert_int_equal(tsrec__npts_quantile_index(6, 0.1), 0);     /* 0.5 -> 0 */
    assert_int_equal(tsrec__npts_quantile_index(6, 0.3), 2);     /* 1.5 -> 2 */
    assert_int_equal(tsrec__npts_quantile_index(1, 0.7), 0);
    assert_int_equal(tsrec__npts_quantile_index(10, 0.0), 0);
    assert_int_equal(tsrec__npts_quantile_index(10, 1.0), 9);
    const double s[] = {1.0, 2.0, 3.0, 4.0};
    assert_true(tsrec__npts_sample_quantile(s, 4, 0.5) == 3.0);
    assert_true(tsrec__npts_sample_quantile(s, 4, 0.2) == 2.0); /* 0.6 -> 1 */
}

/* ---- parameters --------------------------------------------------------- */

static void test_params_defaults_and_names(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__params *p = NULL;
    assert_int_equal(tsrec__npts_params_new(ctx, &ctx->hdr, &p), TSREC_OK);
    tsrec__npts_config a, b;
    tsrec__npts_config_init(&a);
    assert_int_equal(tsrec__npts_config_from_params(&b, &ctx->hdr, p), TSREC_OK);
    assert_int_equal(a.kernel_type, b.kernel_type);
    assert_int_equal(a.use_seasonal_model, b.use_seasonal_model);
    assert_int_equal(a.use_default_time_features, b.use_default_time_features);
    assert_true(a.exp_kernel_weights == b.exp_kernel_weights);
    assert_true(a.feature_scale == b.feature_scale);
    assert_int_equal(a.context_length, b.context_length);
    assert_int_equal(a.num_samples, b.num_samples);
    assert_int_equal(b.kernel_type, TSREC__NPTS_KERNEL_EXPONENTIAL);
    assert_true(b.exp_kernel_weights == 1.0 && b.feature_scale == 1000.0);
    assert_int_equal(b.num_samples, 100);

    /* The AWS names, as strings. */
    assert_int_equal(tsrec__params_set_many(p, &ctx->hdr,
                                            "kernel_type=uniform exp_kernel_weights=0.01 "
                                            "use_seasonal_model=false "
                                            "use_default_time_features=false "
                                            "context_length=500 num_samples=250 "
                                            "feature_scale=10"),
                     TSREC_OK);
    assert_int_equal(tsrec__npts_config_from_params(&b, &ctx->hdr, p), TSREC_OK);
    assert_int_equal(b.kernel_type, TSREC__NPTS_KERNEL_UNIFORM);
    assert_true(b.exp_kernel_weights == 0.01 && b.feature_scale == 10.0);
    assert_int_equal(b.use_seasonal_model, 0);
    assert_int_equal(b.use_default_time_features, 0);
    assert_int_equal(b.context_length, 500);
    assert_int_equal(b.num_samples, 250);
    tsrec__params_free(p);
    tu_ctx_free_checked(ctx);
}

static void test_params_bad(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__params *p = NULL;
    assert_int_equal(tsrec__npts_params_new(ctx, &ctx->hdr, &p), TSREC_OK);
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "kernel_typ", "uniform"),
                     TSREC_E_UNKNOWN_NAME);
    assert_non_null(strstr(tsrec_errmsg(ctx), "kernel_type")); /* did-you-mean */
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "exp_kernel_weights", "-1"),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "exp_kernel_weights", "0"),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "exp_kernel_weights", "abc"),
                     TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "kernel_type", "gaussian"),
                     TSREC_E_BAD_TYPE);
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "num_samples", "0"),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "context_length", "-5"),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "feature_scale", "-1"),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__params_set(p, &ctx->hdr, "use_seasonal_model", "maybe"),
                     TSREC_E_BAD_TYPE);

    /* Params of another table are refused. */
    static const tsrec__param_def other[] = {
        TSREC__PARAM_DEF_INT("epochs", "10", 1, 100, "x"),
    };
    tsrec__params *q = NULL;
    assert_int_equal(tsrec__params_new(ctx, &ctx->hdr, other, 1, &q), TSREC_OK);
    const double y[] = {1, 2, 3};
    double mean[2];
    assert_int_equal(tsrec__npts_forecast(ctx, &ctx->hdr, q, y, 3, T2020, TSREC__FREQ_D,
                                          2, 1, 0, NULL, 0, mean, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    /* Through params, defaults and NULL params agree. */
    double m1[2], m2[2];
    assert_int_equal(tsrec__npts_forecast(ctx, &ctx->hdr, p, y, 3, T2020, TSREC__FREQ_D,
                                          2, 1, 0, NULL, 0, m1, NULL, NULL),
                     TSREC_OK);
    assert_int_equal(tsrec__npts_forecast(ctx, &ctx->hdr, NULL, y, 3, T2020, TSREC__FREQ_D,
                                          2, 1, 0, NULL, 0, m2, NULL, NULL),
                     TSREC_OK);
    assert_memory_equal(m1, m2, sizeof m1);

    /* A config with bad values given directly. */
    tsrec__npts_config c;
    tsrec__npts_config_init(&c);
    c.exp_kernel_weights = -0.5;
    assert_int_equal(tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, y, 3, T2020,
                                              TSREC__FREQ_D, 2, 1, 0, NULL, 0, mean,
                                              NULL, NULL),
                     TSREC_E_INVALID_ARG);
    tsrec__npts_config_init(&c);
    c.exp_kernel_weights = NAN;
    assert_int_equal(tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, y, 3, T2020,
                                              TSREC__FREQ_D, 2, 1, 0, NULL, 0, mean,
                                              NULL, NULL),
                     TSREC_E_INVALID_ARG);
    tsrec__npts_config_init(&c);
    c.num_samples = 0;
    assert_int_equal(tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, y, 3, T2020,
                                              TSREC__FREQ_D, 2, 1, 0, NULL, 0, mean,
                                              NULL, NULL),
                     TSREC_E_INVALID_ARG);
    tsrec__npts_config_init(&c);
    c.kernel_type = 7;
    assert_int_equal(tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, y, 3, T2020,
                                              TSREC__FREQ_D, 2, 1, 0, NULL, 0, mean,
                                              NULL, NULL),
                     TSREC_E_INVALID_ARG);
    tsrec__params_free(q);
    tsrec__params_free(p);
    tu_ctx_free_checked(ctx);
}

/* ---- bad input ----------------------------------------------------------- */

static int cancel_now(void *user)
{
    (void)user;
    return 1;
}

static void test_bad_input(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__npts_config c;
    tsrec__npts_config_init(&c);
    const double y[] = {1, 2, 3, 4};
    const double qs[] = {0.1, 0.9};
    double mean[8], q[16];
#define NPTS_CALL(yy, nn, t0, fr, hh, quant, nq_, outq)                               \
    tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, (yy), (nn), (t0), (fr), (hh), 1, 0,  \
                             (quant), (nq_), mean, (outq), NULL)
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 3, qs, 2, q), TSREC_OK);
    assert_int_equal(NPTS_CALL(NULL, 4, T2020, TSREC__FREQ_D, 3, qs, 2, q),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 0, T2020, TSREC__FREQ_D, 3, qs, 2, q), TSREC_E_EMPTY);
    assert_non_null(strstr(tsrec_errmsg(ctx), "empty"));
    assert_int_equal(NPTS_CALL(y, -1, T2020, TSREC__FREQ_D, 3, qs, 2, q),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 0, qs, 2, q),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 4, T2020, 0, 3, qs, 2, q), TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 4, T2020, 99, 3, qs, 2, q), TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 3, NULL, 2, q),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 3, qs, 2, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 3, qs, -1, q),
                     TSREC_E_INVALID_ARG);
    const double bad_q1[] = {0.5, 1.5};
    const double bad_q2[] = {NAN};
    const double bad_q3[] = {-0.01};
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 3, bad_q1, 2, q),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 3, bad_q2, 1, q),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 3, bad_q3, 1, q),
                     TSREC_E_INVALID_ARG);

    /* Missing and infinite values. */
    const double all_nan[] = {NAN, NAN, NAN};
    assert_int_equal(NPTS_CALL(all_nan, 3, T2020, TSREC__FREQ_D, 3, qs, 2, q),
                     TSREC_E_NAN);
    assert_non_null(strstr(tsrec_errmsg(ctx), "context_length"));
    const double with_inf[] = {1, INFINITY, 3};
    assert_int_equal(NPTS_CALL(with_inf, 3, T2020, TSREC__FREQ_D, 3, qs, 2, q),
                     TSREC_E_NAN);
    const double with_ninf[] = {1, 2, -INFINITY};
    assert_int_equal(NPTS_CALL(with_ninf, 3, T2020, TSREC__FREQ_D, 3, qs, 2, q),
                     TSREC_E_NAN);
    /* Observed values only before the context window: still all missing. */
    const double late_nan[] = {1, 2, NAN, NAN};
    c.context_length = 2;
    assert_int_equal(NPTS_CALL(late_nan, 4, T2020, TSREC__FREQ_D, 3, qs, 2, q),
                     TSREC_E_NAN);
    c.context_length = 3;
    assert_int_equal(NPTS_CALL(late_nan, 4, T2020, TSREC__FREQ_D, 3, qs, 2, q), TSREC_OK);
    for (int i = 0; i < 3; i++)
        assert_true(mean[i] == 2.0); /* the only observed value in the window */
    /* Infinity before the window is not looked at. */
    const double early_inf[] = {INFINITY, 2, 3};
    c.context_length = 2;
    assert_int_equal(NPTS_CALL(early_inf, 3, T2020, TSREC__FREQ_D, 3, qs, 2, q), TSREC_OK);
    c.context_length = 0;

    /* Timestamps out of range for the seasonal features. */
    int64_t late = 0;
    /* 4 hours of history from 16:00 on the last day of year 9999: 4 more
     * steps reach 23:00, a 5th leaves the supported range. */
    tsrec__civil cv = {9999, 12, 31, 16, 0, 0, 0, 0};
    late = tsrec__time_from_civil(&cv);
    assert_int_equal(NPTS_CALL(y, 4, late, TSREC__FREQ_H, 4, qs, 2, q), TSREC_OK);
    assert_int_equal(NPTS_CALL(y, 4, late, TSREC__FREQ_H, 5, qs, 2, q),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(NPTS_CALL(y, 4, late, TSREC__FREQ_M, 1, qs, 2, q),
                     TSREC_E_OUT_OF_RANGE);

    /* NULL ctx or config. */
    assert_int_equal(tsrec__npts_forecast_cfg(NULL, NULL, &c, y, 4, T2020, TSREC__FREQ_D, 3,
                                              1, 0, NULL, 0, mean, NULL, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__npts_forecast_cfg(ctx, NULL, NULL, y, 4, T2020, TSREC__FREQ_D,
                                              3, 1, 0, NULL, 0, mean, NULL, NULL),
                     TSREC_E_INVALID_ARG);

    /* Cancel. */
    ctx->cancel = cancel_now;
    assert_int_equal(NPTS_CALL(y, 4, T2020, TSREC__FREQ_D, 3, qs, 2, q),
                     TSREC_E_CANCELLED);
    ctx->cancel = NULL;
#undef NPTS_CALL
    tu_ctx_free_checked(ctx);
}

/* ---- sampling distribution (KS, chi-square) ----------------------------- */

/* Non-seasonal NPTS on 5 distinct values, one step: P(t) is proportional
 * to exp(-alpha |f(t) - f(T)|) with f(k) = k / (L + h - 1) - 0.5. */
static void test_ks_exponential_one_step(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const double y[] = {3.0, -1.0, 7.5, 0.25, 2.0};
    const double alphas[] = {1.0, 4.0, 12.0};
    const int64_t N = 200000;
    for (size_t a = 0; a < TSREC__ARRAY_LEN(alphas); a++) {
        tsrec__npts_config c = cfg_of(TSREC__NPTS_KERNEL_EXPONENTIAL, 0, alphas[a], N);
        double *paths = sample_paths(ctx, &c, y, 5, T2020, TSREC__FREQ_D, 1, 11, a);
        /* Expected probabilities, in the ascending order of the values. */
        double w[5], W = 0.0;
        for (int t = 0; t < 5; t++) {
            w[t] = exp(-alphas[a] * fabs((double)t / 5.0 - 1.0));
            W += w[t];
        }
        double sorted_vals[5];
        memcpy(sorted_vals, y, sizeof y);
        qsort(sorted_vals, 5, sizeof(double), cmp_dbl);
        double p[5];
        int64_t counts[5] = {0};
        for (int i = 0; i < 5; i++)
            p[i] = w[find_value(y, 5, sorted_vals[i])] / W;
        for (int64_t s = 0; s < N; s++) {
            int i = find_value(sorted_vals, 5, paths[s]);
            assert_true(i >= 0);
            counts[i]++;
        }
        double chi2, ks;
        fit_stats(counts, p, 5, N, &chi2, &ks);
        /* 4 dof: 18.47 is the 0.999 quantile; KS 1.95/sqrt(N) is alpha =
         * 0.001 (conservative for a discrete law). */
        assert_true(chi2 < 18.47);
        assert_true(ks < 1.95 / sqrt((double)N));
        free(paths);
    }
    tu_ctx_free_checked(ctx);
}

/* Second step: the candidates are the 5 history points plus the path's own
 * first prediction, so P(x2 = v) = (sum_{t<L, y_t=v} w1(t) + w1(L) P(x1 =
 * v)) / W1. The joint law is checked too: P(x2 == x1) includes the
 * resampling of the first prediction. */
static void test_ks_exponential_two_steps(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const double y[] = {10.0, 20.0, 30.0, 40.0, 50.0};
    const double alpha = 6.0;
    const int64_t N = 200000, L = 5, h = 2;
    tsrec__npts_config c = cfg_of(TSREC__NPTS_KERNEL_EXPONENTIAL, 0, alpha, N);
    double *paths = sample_paths(ctx, &c, y, L, T2020, TSREC__FREQ_H, h, 5, 0);
    double span = (double)(L + h - 1);
    double w0[5], W0 = 0.0, w1[6], W1 = 0.0;
    for (int t = 0; t < 5; t++) {
        w0[t] = exp(-alpha * fabs((double)(t - 5) / span));
        W0 += w0[t];
    }
    for (int t = 0; t < 6; t++) {
        w1[t] = exp(-alpha * fabs((double)(t - 6) / span));
        W1 += w1[t];
    }
    double p0[5], p1[5];
    for (int i = 0; i < 5; i++) {
        p0[i] = w0[i] / W0;
        p1[i] = (w1[i] + w1[5] * p0[i]) / W1;
    }
    int64_t c0[5] = {0}, c1[5] = {0}, same = 0;
    for (int64_t s = 0; s < N; s++) {
        int i0 = find_value(y, 5, paths[s * h]);
        int i1 = find_value(y, 5, paths[s * h + 1]);
        assert_true(i0 >= 0 && i1 >= 0);
        c0[i0]++;
        c1[i1]++;
        same += i0 == i1;
    }
    double chi2, ks;
    fit_stats(c0, p0, 5, N, &chi2, &ks);
    assert_true(chi2 < 18.47);
    assert_true(ks < 1.95 / sqrt((double)N));
    fit_stats(c1, p1, 5, N, &chi2, &ks);
    assert_true(chi2 < 18.47);
    assert_true(ks < 1.95 / sqrt((double)N));
    /* P(x2 == x1) = w1(L)/W1 + sum_i p0(i) w1(i)/W1. */
    double p_same = w1[5] / W1;
    for (int i = 0; i < 5; i++)
        p_same += p0[i] * w1[i] / W1;
    double sd = sqrt(p_same * (1.0 - p_same) / (double)N);
    assert_true(fabs((double)same / (double)N - p_same) < 5.0 * sd);
    free(paths);
    tu_ctx_free_checked(ctx);
}

/* Missing values get weight zero: with the uniform kernel the observed
 * values are equally likely; with the exponential kernel the weights of the
 * remaining points keep their ratios. */
static void test_nan_excluded(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const double y[] = {1.0, NAN, 3.0, 4.0, NAN, 6.0, NAN};
    const double vals[] = {1.0, 3.0, 4.0, 6.0};
    const int pos[] = {0, 2, 3, 5};
    const int64_t N = 100000;
    for (int kernel = 0; kernel < 2; kernel++) {
        tsrec__npts_config c = cfg_of(kernel, 0, 3.0, N);
        double *paths = sample_paths(ctx, &c, y, 7, T2020, TSREC__FREQ_D, 1, 2, 0);
        double p[4], W = 0.0;
        for (int i = 0; i < 4; i++) {
            p[i] = kernel == TSREC__NPTS_KERNEL_UNIFORM
                       ? 1.0
                       : exp(-3.0 * fabs((double)pos[i] / 7.0 - 1.0));
            W += p[i];
        }
        for (int i = 0; i < 4; i++)
            p[i] /= W;
        int64_t counts[4] = {0};
        for (int64_t s = 0; s < N; s++) {
            int i = find_value(vals, 4, paths[s]);
            assert_true(i >= 0); /* never NaN */
            counts[i]++;
        }
        double chi2, ks;
        fit_stats(counts, p, 4, N, &chi2, &ks);
        assert_true(chi2 < 16.27); /* 3 dof, 0.999 */
        assert_true(ks < 1.95 / sqrt((double)N));
        free(paths);
    }
    tu_ctx_free_checked(ctx);
}

/* Seasonal climatological where every point of the forecast hour is
 * missing: that step falls back to the observed points (and earlier
 * predictions) uniformly, never NaN. */
static void test_seasonal_all_season_missing(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    enum { N = 24 * 10, H = 24 };
    double y[N];
    for (int t = 0; t < N; t++)
        y[t] = (t % 24 == 5) ? NAN : (double)(t % 24);
    tsrec__npts_config c = cfg_of(TSREC__NPTS_KERNEL_UNIFORM, 1, 1.0, 2000);
    double *paths = sample_paths(ctx, &c, y, N, T2020, TSREC__FREQ_H, H, 9, 0);
    int64_t seen[24] = {0};
    for (int64_t s = 0; s < c.num_samples; s++)
        for (int j = 0; j < H; j++) {
            double v = paths[s * H + j];
            assert_false(isnan(v));
            if (j != 5) {
                assert_true(v == (double)j); /* other hours: same hour only */
            } else {
                assert_true(v != 5.0);
                seen[(int)v]++;
            }
        }
    /* The fallback step spreads over the other hours (and the 5 earlier
     * predictions of hours 0..4): several distinct values appear. */
    int distinct = 0;
    for (int i = 0; i < 24; i++)
        distinct += seen[i] > 0;
    assert_true(distinct >= 20);
    free(paths);
    tu_ctx_free_checked(ctx);
}

/* ---- calibration --------------------------------------------------------- */

/* Climatological on i.i.d. normal data: the forecast's quantiles are the
 * empirical quantiles of the history (up to sampling noise), at every step. */
static void test_climatological_quantiles_match_history(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    enum { N = 2000, H = 6 };
    double *y = malloc(N * sizeof(double));
    double *sorted = malloc(N * sizeof(double));
    assert_non_null(y);
    assert_non_null(sorted);
    tsrec__rng r;
    tsrec__rng_seed(&r, 123);
    for (int t = 0; t < N; t++)
        y[t] = tsrec__rng_normal(&r, 5.0, 2.0);
    memcpy(sorted, y, N * sizeof(double));
    qsort(sorted, N, sizeof(double), cmp_dbl);
    const double qs[] = {0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95};
    const int nq = (int)TSREC__ARRAY_LEN(qs);
    double mean[H], out_q[7 * H];
    tsrec__npts_config c = cfg_of(TSREC__NPTS_KERNEL_UNIFORM, 0, 1.0, 20000);
    assert_int_equal(tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, y, N, T2020,
                                              TSREC__FREQ_D, H, 77, 0, qs, nq, mean,
                                              out_q, NULL),
                     TSREC_OK);
    double hist_mean = 0.0;
    for (int t = 0; t < N; t++)
        hist_mean += y[t];
    hist_mean /= N;
    for (int j = 0; j < H; j++) {
        /* The mean of 20000 draws from the history: sd 2 / sqrt(20000). */
        assert_true(fabs(mean[j] - hist_mean) < 5.0 * 2.0 / sqrt(20000.0));
        for (int k = 0; k < nq; k++) {
            double v = out_q[k * H + j];
            /* v is a history value; the fraction of the history at or
             * below it is q up to sd sqrt(q(1-q)/S) + 1/N. */
            int64_t below = 0;
            for (int t = 0; t < N; t++)
                below += sorted[t] <= v;
            double frac = (double)below / N;
            double tol = 5.0 * sqrt(qs[k] * (1.0 - qs[k]) / 20000.0) + 1.0 / N;
            assert_true(fabs(frac - qs[k]) < tol);
            /* And close to the history's own quantile in value. */
            double hq = tsrec__npts_sample_quantile(sorted, N, qs[k]);
            assert_true(fabs(v - hq) < 0.15);
        }
    }
    free(sorted);
    free(y);
    tu_ctx_free_checked(ctx);
}

/* Coverage of the 80% interval [p10, p90] on fresh draws of the same
 * i.i.d. law: about 0.8, for climatological and default seasonal NPTS. */
static void test_coverage_80(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    enum { N = 5000, H = 24, FRESH = 2000 };
    double *y = malloc(N * sizeof(double));
    assert_non_null(y);
    tsrec__rng r;
    tsrec__rng_seed(&r, 2024);
    for (int t = 0; t < N; t++)
        y[t] = tsrec__rng_normal(&r, 0.0, 1.0);
    const double qs[] = {0.1, 0.9};
    double out_q[2 * H];
    for (int variant = 0; variant < 2; variant++) {
        tsrec__npts_config c = variant == 0
                                   ? cfg_of(TSREC__NPTS_KERNEL_UNIFORM, 0, 1.0, 5000)
                                   : cfg_of(TSREC__NPTS_KERNEL_EXPONENTIAL, 1, 1.0, 5000);
        assert_int_equal(tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, y, N, T2020,
                                                  TSREC__FREQ_H, H, 31, 0, qs, 2, NULL,
                                                  out_q, NULL),
                         TSREC_OK);
        int64_t inside = 0, total = 0;
        for (int j = 0; j < H; j++) {
            assert_true(out_q[j] < out_q[H + j]);
            for (int f = 0; f < FRESH; f++) {
                double v = tsrec__rng_normal(&r, 0.0, 1.0);
                inside += v >= out_q[j] && v <= out_q[H + j];
                total++;
            }
        }
        double cov = (double)inside / (double)total;
        assert_true(fabs(cov - 0.8) < 0.03);
    }
    free(y);
    tu_ctx_free_checked(ctx);
}

/* ---- seasonal variants --------------------------------------------------- */

/* The season category the test expects per frequency, from the calendar. */
static int category(int32_t freq, int64_t t)
{
    switch (freq) {
    case TSREC__FREQ_H: return tsrec__time_hour(t);
    case TSREC__FREQ_D: return tsrec__time_weekday(t);
    case TSREC__FREQ_W: return tsrec__time_day_of_month(t);
    case TSREC__FREQ_M: return tsrec__time_month(t);
    case TSREC__FREQ_15MIN: return tsrec__time_minute(t);
    default: return -1;
    }
}

/* A series whose value encodes its season (category * 1000 + a tiny
 * unique part): seasonal NPTS and seasonal climatological sample only from
 * the forecast step's season; plain NPTS does not. */
static void test_seasonal_samples_matching_season(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const int32_t freqs[] = {TSREC__FREQ_H, TSREC__FREQ_D, TSREC__FREQ_W, TSREC__FREQ_M,
                             TSREC__FREQ_15MIN};
    const int64_t lens[] = {24 * 30, 7 * 40, 52 * 12, 12 * 8, 4 * 100};
    const int64_t h = 30;
    for (size_t f = 0; f < TSREC__ARRAY_LEN(freqs); f++) {
        int32_t freq = freqs[f];
        int64_t n = lens[f];
        double *y = malloc((size_t)n * sizeof(double));
        int64_t *fut = malloc((size_t)h * sizeof(int64_t));
        assert_non_null(y);
        assert_non_null(fut);
        int present[64] = {0};
        for (int64_t t = 0; t < n; t++) {
            int64_t ts = 0;
            assert_int_equal(tsrec__time_add_periods(T2020, freq, t, &ts, NULL), TSREC_OK);
            int cat = category(freq, ts);
            present[cat] = 1;
            y[t] = cat * 1000.0 + (double)t * 1e-3;
        }
        for (int64_t j = 0; j < h; j++)
            assert_int_equal(tsrec__time_add_periods(T2020, freq, n + j, &fut[j], NULL),
                             TSREC_OK);
        for (int variant = 0; variant < 3; variant++) {
            tsrec__npts_config c =
                variant == 0   ? cfg_of(TSREC__NPTS_KERNEL_EXPONENTIAL, 1, 1.0, 200)
                : variant == 1 ? cfg_of(TSREC__NPTS_KERNEL_UNIFORM, 1, 1.0, 200)
                               : cfg_of(TSREC__NPTS_KERNEL_EXPONENTIAL, 0, 1.0, 200);
            double *paths = sample_paths(ctx, &c, y, n, T2020, freq, h, 3, f);
            int64_t mismatched = 0;
            for (int64_t s = 0; s < c.num_samples; s++)
                for (int64_t j = 0; j < h; j++) {
                    int want = category(freq, fut[j]);
                    int got = (int)floor(paths[s * h + j] / 1000.0);
                    if (!present[want])
                        continue; /* season never observed: nearest ones */
                    mismatched += got != want;
                }
            if (variant < 2) {
                if (mismatched != 0)
                    fail_msg("freq %s variant %d: %lld samples off season",
                             tsrec__freq_name(freq), variant, (long long)mismatched);
            } else {
                assert_true(mismatched > 0);
            }
            free(paths);
        }
        free(fut);
        free(y);
    }
    tu_ctx_free_checked(ctx);
}

/* Within a season, seasonal NPTS keeps the exponential recency weighting:
 * one step ahead, same-hour point k days back has weight proportional to
 * exp(-alpha * 24 k / (L + h - 1)). */
static void test_seasonal_recency_within_season(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    enum { DAYS = 4, L = 24 * DAYS };
    double y[L];
    for (int t = 0; t < L; t++)
        y[t] = (double)t; /* value = position */
    const double alpha = 8.0;
    const int64_t N = 100000;
    tsrec__npts_config c = cfg_of(TSREC__NPTS_KERNEL_EXPONENTIAL, 1, alpha, N);
    double *paths = sample_paths(ctx, &c, y, L, T2020, TSREC__FREQ_H, 1, 8, 0);
    /* Hour 0 of the next day: candidates at positions 0, 24, 48, 72. */
    double p[DAYS], W = 0.0;
    for (int d = 0; d < DAYS; d++) {
        p[d] = exp(-alpha * (double)(L - 24 * d) / (double)L);
        W += p[d];
    }
    for (int d = 0; d < DAYS; d++)
        p[d] /= W;
    int64_t counts[DAYS] = {0};
    for (int64_t s = 0; s < N; s++) {
        int pos = (int)paths[s];
        assert_int_equal(pos % 24, 0);
        counts[pos / 24]++;
    }
    double chi2, ks;
    fit_stats(counts, p, DAYS, N, &chi2, &ks);
    assert_true(chi2 < 16.27);
    assert_true(ks < 1.95 / sqrt((double)N));
    free(paths);
    tu_ctx_free_checked(ctx);
}

/* Yearly data has no seasonal feature: seasonal climatological is plain
 * climatological there. */
static void test_yearly_seasonal_is_plain(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const double y[] = {1, 2, 3, 4, 5, 6, 7, 8};
    tsrec__npts_config a = cfg_of(TSREC__NPTS_KERNEL_UNIFORM, 1, 1.0, 300);
    tsrec__npts_config b = cfg_of(TSREC__NPTS_KERNEL_UNIFORM, 0, 1.0, 300);
    double *pa = sample_paths(ctx, &a, y, 8, T2020, TSREC__FREQ_Y, 5, 4, 1);
    double *pb = sample_paths(ctx, &b, y, 8, T2020, TSREC__FREQ_Y, 5, 4, 1);
    assert_memory_equal(pa, pb, 300 * 5 * sizeof(double));
    free(pa);
    free(pb);
    tu_ctx_free_checked(ctx);
}

/* ---- context, outputs, determinism --------------------------------------- */

static void test_context_length(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const double y[] = {100, 100, 100, 1, 2, 3};
    tsrec__npts_config c = cfg_of(TSREC__NPTS_KERNEL_EXPONENTIAL, 1, 1.0, 500);
    c.context_length = 3;
    double *paths = sample_paths(ctx, &c, y, 6, T2020, TSREC__FREQ_M, 4, 1, 0);
    for (int64_t i = 0; i < 500 * 4; i++)
        assert_true(paths[i] >= 1.0 && paths[i] <= 3.0);
    free(paths);
    /* A context longer than the series uses all of it. */
    c.context_length = 1000;
    paths = sample_paths(ctx, &c, y, 6, T2020, TSREC__FREQ_D, 4, 1, 0);
    c.context_length = 0;
    double *all = sample_paths(ctx, &c, y, 6, T2020, TSREC__FREQ_D, 4, 1, 0);
    assert_memory_equal(paths, all, 500 * 4 * sizeof(double));
    free(all);
    free(paths);
    tu_ctx_free_checked(ctx);
}

static void test_outputs_consistent(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    enum { N = 300, H = 12, S = 101 };
    double y[N];
    for (int t = 0; t < N; t++)
        y[t] = sin(0.3 * t) * 10.0 + (t % 7);
    const double qs[] = {0.0, 0.1, 0.5, 0.9, 1.0};
    double mean[H], out_q[5 * H], paths[S * H], col[S];
    tsrec__npts_config c = cfg_of(TSREC__NPTS_KERNEL_EXPONENTIAL, 1, 1.0, S);
    assert_int_equal(tsrec__npts_forecast_cfg(ctx, &ctx->hdr, &c, y, N, T2020,
                                              TSREC__FREQ_H, H, 5, 2, qs, 5, mean, out_q,
                                              paths),
                     TSREC_OK);
    assert_string_equal(tsrec_errmsg(ctx), "");
    for (int j = 0; j < H; j++) {
        double sum = 0.0;
        for (int s = 0; s < S; s++) {
            col[s] = paths[s * H + j];
            sum += col[s];
            int found = 0;
            for (int t = 0; t < N && !found; t++)
                found = y[t] == col[s];
            assert_true(found); /* always a past observed value */
        }
        assert_true(fabs(mean[j] - sum / S) <= 1e-12 * (1.0 + fabs(mean[j])));
        qsort(col, S, sizeof(double), cmp_dbl);
        assert_true(out_q[0 * H + j] == col[0]);
        assert_true(out_q[1 * H + j] == col[10]);
        assert_true(out_q[2 * H + j] == col[50]);
        assert_true(out_q[3 * H + j] == col[90]);
        assert_true(out_q[4 * H + j] == col[S - 1]);
    }
    tu_ctx_free_checked(ctx);
}

static void test_determinism(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    enum { N = 200, H = 10, S = 100 };
    double y[N];
    for (int t = 0; t < N; t++)
        y[t] = (double)((t * 37) % 101);
    tsrec__npts_config c;
    tsrec__npts_config_init(&c);
    double *a = sample_paths(ctx, &c, y, N, T2020, TSREC__FREQ_H, H, 42, 7);
    /* Other series in between do not disturb series 7's stream. */
    for (uint64_t s = 0; s < 5; s++)
        free(sample_paths(ctx, &c, y, N, T2020, TSREC__FREQ_H, H, 42, s));
    double *b = sample_paths(ctx, &c, y, N, T2020, TSREC__FREQ_H, H, 42, 7);
    double *other_series = sample_paths(ctx, &c, y, N, T2020, TSREC__FREQ_H, H, 42, 8);
    double *other_seed = sample_paths(ctx, &c, y, N, T2020, TSREC__FREQ_H, H, 43, 7);
    assert_memory_equal(a, b, S * H * sizeof(double));
    assert_memory_not_equal(a, other_series, S * H * sizeof(double));
    assert_memory_not_equal(a, other_seed, S * H * sizeof(double));
    /* A fresh ctx gives the same paths. */
    tsrec_ctx *ctx2 = tu_ctx_new();
    double *d = sample_paths(ctx2, &c, y, N, T2020, TSREC__FREQ_H, H, 42, 7);
    assert_memory_equal(a, d, S * H * sizeof(double));
    free(d);
    tu_ctx_free_checked(ctx2);
    free(other_seed);
    free(other_series);
    free(b);
    free(a);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile_rule),
        cmocka_unit_test(test_params_defaults_and_names),
        cmocka_unit_test(test_params_bad),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_ks_exponential_one_step),
        cmocka_unit_test(test_ks_exponential_two_steps),
        cmocka_unit_test(test_nan_excluded),
        cmocka_unit_test(test_seasonal_all_season_missing),
        cmocka_unit_test(test_climatological_quantiles_match_history),
        cmocka_unit_test(test_coverage_80),
        cmocka_unit_test(test_seasonal_samples_matching_season),
        cmocka_unit_test(test_seasonal_recency_within_season),
        cmocka_unit_test(test_yearly_seasonal_is_plain),
        cmocka_unit_test(test_context_length),
        cmocka_unit_test(test_outputs_consistent),
        cmocka_unit_test(test_determinism),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
