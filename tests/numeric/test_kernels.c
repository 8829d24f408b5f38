/* Element-wise and reduction kernels against naive references (long
 * double where it matters), plus the stability cases they exist for. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "kernels_internal.h"
#include "rng_internal.h"

#define NMAX 1001
static const int64_t sizes[] = {0, 1, 2, 7, 33, 128, 129, 1001};

static void rand_fill(tsrec__rng *r, double *x, float *xf, int64_t n, double scale)
{
    for (int64_t i = 0; i < n; i++) {
        xf[i] = (float)(scale * (2.0 * tsrec__rng_uniform(r) - 1.0));
        x[i] = xf[i]; /* same values in both precisions */
    }
}

static void near(double got, double ref, double rel, double abs_tol)
{
    if (isnan(ref)) {
        assert_true(isnan(got));
        return;
    }
    if (isinf(ref)) {
        assert_true(got == ref);
        return;
    }
    if (!(fabs(got - ref) <= abs_tol + rel * fabs(ref)))
        fail_msg("got %.17g, expected %.17g", got, ref);
}

typedef void (*map64)(const double *, double *, int64_t);
typedef void (*map32)(const float *, float *, int64_t);

static double ref_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }
static double ref_softplus(double x)
{
    long double v = x;
    return (double)(v > 0 ? v + log1pl(expl(-v)) : log1pl(expl(v)));
}
static double ref_relu(double x) { return x > 0 ? x : 0.0; }

static void test_maps(void **state)
{
    (void)state;
    struct {
        map64 f64;
        map32 f32;
        double (*ref)(double);
        double scale, shift;
    } maps[] = {
        {tsrec__k_exp_f64, tsrec__k_exp_f32, exp, 20, 0},
        {tsrec__k_log_f64, tsrec__k_log_f32, log, 10, 10.5},
        {tsrec__k_log1p_f64, tsrec__k_log1p_f32, log1p, 0.9, 0},
        {tsrec__k_tanh_f64, tsrec__k_tanh_f32, tanh, 5, 0},
        {tsrec__k_sigmoid_f64, tsrec__k_sigmoid_f32, ref_sigmoid, 30, 0},
        {tsrec__k_softplus_f64, tsrec__k_softplus_f32, ref_softplus, 30, 0},
        {tsrec__k_relu_f64, tsrec__k_relu_f32, ref_relu, 3, 0},
    };
    tsrec__rng r;
    tsrec__rng_seed(&r, 11);
    double x[NMAX], y[NMAX];
    float xf[NMAX], yf[NMAX];
    for (size_t m = 0; m < TSREC__ARRAY_LEN(maps); m++)
        for (size_t s = 0; s < TSREC__ARRAY_LEN(sizes); s++) {
            int64_t n = sizes[s];
            rand_fill(&r, x, xf, n, maps[m].scale);
            for (int64_t i = 0; i < n; i++) {
                xf[i] += (float)maps[m].shift;
                x[i] = xf[i];
            }
            maps[m].f64(x, y, n);
            maps[m].f32(xf, yf, n);
            for (int64_t i = 0; i < n; i++) {
                double ref = maps[m].ref(x[i]);
                near(y[i], ref, 1e-14, 1e-300);
                near(yf[i], ref, 2e-6, 1e-30);
            }
            /* in place gives the same */
            memcpy(y, x, (size_t)n * sizeof(double));
            maps[m].f64(y, y, n);
            for (int64_t i = 0; i < n; i++)
                near(y[i], maps[m].ref(x[i]), 1e-14, 1e-300);
        }
}

static void test_map_stability(void **state)
{
    (void)state;
    const double x[6] = {-1000, -40, 0, 40, 1000, NAN};
    double y[6];
    float xf[6], yf[6];
    for (int i = 0; i < 6; i++)
        xf[i] = (float)x[i];
    tsrec__k_sigmoid_f64(x, y, 6);
    assert_true(y[0] == 0.0 && y[4] == 1.0 && y[2] == 0.5 && isnan(y[5]));
    near(y[1], exp(-40.0) / (1 + exp(-40.0)), 1e-15, 0);
    tsrec__k_sigmoid_f32(xf, yf, 6);
    assert_true(yf[0] == 0.0f && yf[4] == 1.0f && !isnan(yf[0]));
    tsrec__k_softplus_f64(x, y, 6);
    assert_true(y[4] == 1000.0 && isnan(y[5]));
    near(y[0], 0.0, 0, 1e-300); /* e^-1000 underflows to 0: no NaN, no inf */
    near(y[1], exp(-40.0), 1e-14, 0);
    near(y[3], 40.0 + log1p(exp(-40.0)), 1e-15, 0);
    tsrec__k_softplus_f32(xf, yf, 6);
    assert_true(yf[4] == 1000.0f && isfinite(yf[0]));
    tsrec__k_relu_f64(x, y, 6);
    assert_true(y[0] == 0 && y[4] == 1000 && isnan(y[5]));
    tsrec__k_tanh_f64(x, y, 6);
    assert_true(y[0] == -1.0 && y[4] == 1.0);
}

static void test_binary(void **state)
{
    (void)state;
    tsrec__rng r;
    tsrec__rng_seed(&r, 12);
    double a[NMAX], b[NMAX], y[NMAX];
    float af[NMAX], bf[NMAX], yf[NMAX];
    for (size_t s = 0; s < TSREC__ARRAY_LEN(sizes); s++) {
        int64_t n = sizes[s];
        rand_fill(&r, a, af, n, 10);
        rand_fill(&r, b, bf, n, 10);
        tsrec__k_add_f64(a, b, y, n);
        tsrec__k_add_f32(af, bf, yf, n);
        for (int64_t i = 0; i < n; i++) {
            assert_true(y[i] == a[i] + b[i]);
            assert_true(yf[i] == af[i] + bf[i]);
        }
        tsrec__k_mul_f64(a, b, y, n);
        tsrec__k_mul_f32(af, bf, yf, n);
        for (int64_t i = 0; i < n; i++) {
            assert_true(y[i] == a[i] * b[i]);
            assert_true(yf[i] == af[i] * bf[i]);
        }
        tsrec__k_scale_f64(-3.0, a, y, n);
        tsrec__k_scale_f32(-3.0f, af, yf, n);
        for (int64_t i = 0; i < n; i++) {
            assert_true(y[i] == -3.0 * a[i]);
            assert_true(yf[i] == -3.0f * af[i]);
        }
        memcpy(y, b, (size_t)n * sizeof(double));
        tsrec__k_axpby_f64(2.0, a, 0.5, y, n);
        for (int64_t i = 0; i < n; i++)
            near(y[i], 2.0 * a[i] + 0.5 * b[i], 1e-15, 1e-15);
        for (int64_t i = 0; i < n; i++)
            yf[i] = NAN; /* beta == 0 must not read y */
        tsrec__k_axpby_f32(2.0f, af, 0.0f, yf, n);
        for (int64_t i = 0; i < n; i++)
            assert_true(yf[i] == 2.0f * af[i]);
        /* in place: a = a + b */
        memcpy(y, a, (size_t)n * sizeof(double));
        tsrec__k_add_f64(y, b, y, n);
        for (int64_t i = 0; i < n; i++)
            assert_true(y[i] == a[i] + b[i]);
    }
}

static void test_reductions(void **state)
{
    (void)state;
    tsrec__rng r;
    tsrec__rng_seed(&r, 13);
    double x[NMAX];
    float xf[NMAX];
    for (size_t s = 0; s < TSREC__ARRAY_LEN(sizes); s++) {
        int64_t n = sizes[s];
        rand_fill(&r, x, xf, n, 100);
        long double sum = 0, mx = -INFINITY, mn = INFINITY;
        int64_t am = -1;
        for (int64_t i = 0; i < n; i++) {
            sum += x[i];
            if (x[i] > mx) {
                mx = x[i];
                am = i;
            }
            mn = x[i] < mn ? x[i] : mn;
        }
        long double mean = n ? sum / n : 0, ss = 0;
        for (int64_t i = 0; i < n; i++)
            ss += (x[i] - mean) * (x[i] - mean);
        near(tsrec__k_sum_f64(x, n), (double)sum, 1e-15, 1e-12);
        near(tsrec__k_sum_f32(xf, n), (double)sum, 1e-15, 1e-12); /* accumulates in double */
        if (n > 0) {
            near(tsrec__k_mean_f64(x, n), (double)mean, 1e-14, 1e-13);
            near(tsrec__k_var_f64(x, n, 0), (double)(ss / n), 1e-13, 0);
            near(tsrec__k_var_f32(xf, n, 0), (double)(ss / n), 1e-13, 0);
        } else {
            assert_true(isnan(tsrec__k_mean_f64(x, n)));
        }
        if (n > 1)
            near(tsrec__k_var_f64(x, n, 1), (double)(ss / (n - 1)), 1e-13, 0);
        else
            assert_true(isnan(tsrec__k_var_f64(x, n, 1)));
        assert_true(tsrec__k_max_f64(x, n) == (double)mx);
        assert_true(tsrec__k_min_f32(xf, n) == (double)mn);
        assert_int_equal(tsrec__k_argmax_f64(x, n), am);
        assert_int_equal(tsrec__k_argmax_f32(xf, n), am);
    }
    /* variance with a large offset: naive sum of squares would lose it all */
    double big[1000];
    for (int i = 0; i < 1000; i++)
        big[i] = 1e9 + (i % 2 ? 1.0 : -1.0);
    near(tsrec__k_var_f64(big, 1000, 0), 1.0, 1e-9, 0);
    /* pairwise summation: 1 + many tiny values */
    static double tiny[100001];
    tiny[0] = 1.0;
    for (int i = 1; i < 100001; i++)
        tiny[i] = 1e-16;
    near(tsrec__k_sum_f64(tiny, 100001), 1.0 + 1e-11, 1e-14, 0); /* naive: off by 1e-11 */
    /* NaN handling */
    const double wn[4] = {1, NAN, 5, 2};
    assert_true(isnan(tsrec__k_max_f64(wn, 4)) && isnan(tsrec__k_min_f64(wn, 4)));
    assert_int_equal(tsrec__k_argmax_f64(wn, 4), 1);
    assert_true(isnan(tsrec__k_sum_f64(wn, 4)));
    assert_true(tsrec__k_max_f64(wn, 0) == -INFINITY);
    assert_int_equal(tsrec__k_argmax_f64(wn, 0), -1);
    const double ties[3] = {4, 4, 1};
    assert_int_equal(tsrec__k_argmax_f64(ties, 3), 0);
}

/* Naive references in long double, no max subtraction (inputs are small). */
static double naive_lse(const double *x, int64_t n)
{
    long double s = 0;
    for (int64_t i = 0; i < n; i++)
        s += expl((long double)x[i]);
    return (double)logl(s);
}

static void test_softmax_lse(void **state)
{
    (void)state;
    tsrec__rng r;
    tsrec__rng_seed(&r, 14);
    enum { ROWS = 5 };
    static double x[ROWS * NMAX], y[ROWS * NMAX], out[ROWS];
    static float xf[ROWS * NMAX], yf[ROWS * NMAX], outf[ROWS];
    for (size_t s = 1; s < TSREC__ARRAY_LEN(sizes); s++) {
        int64_t c = sizes[s];
        rand_fill(&r, x, xf, ROWS * c, 8);
        tsrec__k_logsumexp_rows_f64(x, out, ROWS, c);
        tsrec__k_logsumexp_rows_f32(xf, outf, ROWS, c);
        for (int64_t i = 0; i < ROWS; i++) {
            double ref = naive_lse(x + i * c, c);
            near(out[i], ref, 1e-14, 1e-14);
            near(outf[i], ref, 1e-6, 1e-6);
            near(tsrec__k_logsumexp_f64(x + i * c, c), ref, 1e-14, 1e-14);
        }
        tsrec__k_softmax_rows_f64(x, y, ROWS, c);
        tsrec__k_softmax_rows_f32(xf, yf, ROWS, c);
        for (int64_t i = 0; i < ROWS; i++) {
            double lse = naive_lse(x + i * c, c), total = 0;
            for (int64_t j = 0; j < c; j++) {
                double ref = (double)expl((long double)x[i * c + j] - lse);
                near(y[i * c + j], ref, 1e-13, 1e-300);
                near(yf[i * c + j], ref, 1e-5, 1e-30);
                total += y[i * c + j];
            }
            near(total, 1.0, 1e-14, 0);
        }
        tsrec__k_log_softmax_rows_f64(x, y, ROWS, c);
        tsrec__k_log_softmax_rows_f32(xf, yf, ROWS, c);
        for (int64_t i = 0; i < ROWS; i++) {
            double lse = naive_lse(x + i * c, c);
            for (int64_t j = 0; j < c; j++) {
                near(y[i * c + j], x[i * c + j] - lse, 1e-14, 1e-13);
                near(yf[i * c + j], x[i * c + j] - lse, 1e-6, 1e-5);
            }
        }
    }
    /* stability: huge logits, -inf entries, all -inf rows, NaN */
    const double big[3] = {1000, 1001, 999};
    double sm[3];
    near(tsrec__k_logsumexp_f64(big, 3), 1001 + log(1 + exp(-1.0) + exp(-2.0)), 1e-15, 0);
    tsrec__k_softmax_rows_f64(big, sm, 1, 3);
    near(sm[1], 1 / (1 + exp(-1.0) + exp(-2.0)), 1e-15, 0);
    const double withinf[3] = {-INFINITY, 0, -INFINITY};
    assert_true(tsrec__k_logsumexp_f64(withinf, 3) == 0.0);
    tsrec__k_softmax_rows_f64(withinf, sm, 1, 3);
    assert_true(sm[0] == 0 && sm[1] == 1 && sm[2] == 0);
    tsrec__k_log_softmax_rows_f64(withinf, sm, 1, 3);
    assert_true(sm[0] == -INFINITY && sm[1] == 0 && sm[2] == -INFINITY);
    const double allinf[2] = {-INFINITY, -INFINITY};
    assert_true(tsrec__k_logsumexp_f64(allinf, 2) == -INFINITY);
    assert_true(tsrec__k_logsumexp_f64(allinf, 0) == -INFINITY);
    tsrec__k_logsumexp_rows_f64(allinf, sm, 2, 1);
    assert_true(sm[0] == -INFINITY && sm[1] == -INFINITY);
    tsrec__k_softmax_rows_f64(allinf, sm, 1, 2);
    assert_true(isnan(sm[0]) && isnan(sm[1]));
    const double pinf[2] = {INFINITY, 3};
    assert_true(tsrec__k_logsumexp_f64(pinf, 2) == INFINITY);
    const double wn[3] = {1, NAN, 2};
    assert_true(isnan(tsrec__k_logsumexp_f64(wn, 3)));
    tsrec__k_log_softmax_rows_f64(wn, sm, 1, 3);
    assert_true(isnan(sm[0]) && isnan(sm[2]));
    const float bigf[2] = {80.0f, 100.0f}; /* e^100 overflows float */
    float smf[2];
    tsrec__k_softmax_rows_f32(bigf, smf, 1, 2);
    assert_true(isfinite(smf[0]) && fabsf(smf[0] + smf[1] - 1.0f) < 1e-6f);
    near(tsrec__k_logsumexp_f32(bigf, 2), 100 + log1p(exp(-20.0)), 1e-7, 0);
    /* in place softmax */
    double ip[3] = {1, 2, 3};
    tsrec__k_softmax_rows_f64(ip, ip, 1, 3);
    near(ip[0] + ip[1] + ip[2], 1.0, 1e-15, 0);
    near(ip[2], exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0)), 1e-15, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_map_stability),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_reductions),
        cmocka_unit_test(test_softmax_lse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
