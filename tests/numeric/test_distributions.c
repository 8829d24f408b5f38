/* Numeric tests of the likelihoods (src/tensor/distributions*.c).
 *
 * Reference values were computed with mpmath at 30 digits from the
 * textbook definitions (densities integrated by quadrature for the t CDF,
 * pmf sums for the negative binomial). Gradients are checked against
 * central finite differences, quantiles against CDF round trips, and the
 * samplers' moments against 5-standard-error bounds from fixed seeds. */
#include "test_util.h"

#include <math.h>

#include "distributions_internal.h"

static void assert_rel(double got, double want, double tol)
{
    double err = fabs(got - want) / fmax(fabs(want), 1e-300);
    if (!(err <= tol))
        fail_msg("got %.17g want %.17g (rel err %.3g > %.3g)", got, want, err, tol);
}

static void test_known_values(void **state)
{
    (void)state;
    assert_rel(tsrec__norm_ppf(0.975), 1.9599639845400542355, 1e-14);
    assert_rel(tsrec__norm_ppf(0.025), -1.9599639845400542355, 1e-14);
    assert_rel(tsrec__norm_ppf(1e-10), -6.3613409024040562047, 1e-13);
    assert_true(tsrec__norm_ppf(0.5) == 0.0);
    assert_true(isinf(tsrec__norm_ppf(0.0)) && tsrec__norm_ppf(0.0) < 0);
    assert_true(isnan(tsrec__norm_ppf(1.5)));

    assert_rel(tsrec__digamma(1.0), -0.57721566490153286061, 1e-14);
    assert_rel(tsrec__digamma(0.5), -1.9635100260214234794, 1e-14);
    assert_rel(tsrec__digamma(10.0), 2.2517525890667211076, 1e-14);
    assert_rel(tsrec__digamma(0.001), -1000.5755719318103005, 1e-14);
    assert_rel(tsrec__digamma(-1.5), 0.70315664064524318723, 1e-13);
    assert_rel(tsrec__digamma(200.0), 5.2958152832199116155, 1e-14);
    assert_true(isnan(tsrec__digamma(0.0)) && isnan(tsrec__digamma(-3.0)));

    assert_rel(tsrec__gauss_logpdf(1.3, -0.2, 0.7), -2.8581819566128791384, 1e-14);
    assert_rel(tsrec__student_logpdf(1.7, 0.5, 2.0, 4.2), -1.8848993165409395065, 1e-13);
    assert_rel(tsrec__negbin_logpmf(3.0, 2.5, 0.4), -1.9309378651619570684, 1e-13);
    assert_rel(tsrec__negbin_logpmf(0.0, 10.0, 1.5), -1.8483924814931874918, 1e-13);

    assert_rel(tsrec__student_cdf(2.0, 0.0, 1.0, 3.0), 0.93033701572057841158, 1e-12);
    assert_rel(tsrec__student_cdf(-1.5, 0.0, 1.0, 4.5), 0.10010954282807675992, 1e-12);
    assert_rel(tsrec__student_cdf(0.3, 0.0, 1.0, 30.0), 0.61687694735782359117, 1e-12);
    assert_rel(tsrec__student_cdf(-8.0, 0.0, 1.0, 2.5), 0.0038283220655217232898, 1e-11);
    assert_rel(tsrec__student_quantile(0.975, 0.0, 1.0, 5.0), 2.5705818356363155147, 1e-12);
    assert_rel(tsrec__student_quantile(0.9, 0.0, 1.0, 3.7), 1.5575658388615074769, 1e-12);
    /* location-scale */
    assert_rel(tsrec__student_quantile(0.975, 3.0, 2.0, 5.0),
               3.0 + 2.0 * 2.5705818356363155147, 1e-12);
    assert_rel(tsrec__negbin_cdf(3.0, 2.5, 0.4), 0.73610920775865201271, 1e-12);
    assert_rel(tsrec__negbin_cdf(3.7, 2.5, 0.4), 0.73610920775865201271, 1e-12);
    assert_true(tsrec__negbin_cdf(-0.5, 2.5, 0.4) == 0.0);

    /* Parameters out of domain give NaN, never a crash. */
    assert_true(isnan(tsrec__gauss_logpdf(0.0, 0.0, 0.0)));
    assert_true(isnan(tsrec__student_logpdf(0.0, 0.0, 1.0, -1.0)));
    assert_true(isnan(tsrec__negbin_logpmf(1.0, -1.0, 0.5)));
    assert_true(isnan(tsrec__negbin_quantile(0.5, 1.0, 0.0)));
}

/* Central-difference derivative of a 3-argument function in argument k. */
typedef double (*ll3_fn)(double y, const double *p);

static double ll_gauss(double y, const double *p)
{
    return tsrec__gauss_logpdf(y, p[0], p[1]);
}
static double ll_student(double y, const double *p)
{
    return tsrec__student_logpdf(y, p[0], p[1], p[2]);
}
static double ll_negbin(double y, const double *p)
{
    return tsrec__negbin_logpmf(y, p[0], p[1]);
}

static double fd(ll3_fn f, double y, const double *p, int k)
{
    double q[3] = {p[0], p[1], p[2]};
    double h = 1e-5 * fmax(fabs(p[k]), 1e-2);
    q[k] = p[k] + h;
    double fp = f(y, q);
    q[k] = p[k] - h;
    double fm = f(y, q);
    return (fp - fm) / (2.0 * h);
}

static void assert_grad(double analytic, double numeric)
{
    double err = fabs(analytic - numeric) / fmax(1.0, fabs(numeric));
    if (!(err < 1e-6))
        fail_msg("gradient %.12g vs finite difference %.12g", analytic, numeric);
}

static void test_gradients(void **state)
{
    (void)state;
    static const double ys[] = {-3.1, -0.4, 0.0, 0.9, 2.5, 7.0};
    static const double gp[][2] = {{0.0, 1.0}, {1.5, 0.3}, {-2.0, 4.0}};
    static const double tp[][3] = {{0.0, 1.0, 3.0}, {1.0, 0.5, 1.2}, {-1.0, 2.0, 25.0}};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(ys); i++) {
        for (size_t j = 0; j < TSREC__ARRAY_LEN(gp); j++) {
            double p[3] = {gp[j][0], gp[j][1], 0.0}, dm, ds;
            tsrec__gauss_grad(ys[i], p[0], p[1], &dm, &ds);
            assert_grad(dm, fd(ll_gauss, ys[i], p, 0));
            assert_grad(ds, fd(ll_gauss, ys[i], p, 1));
        }
        for (size_t j = 0; j < TSREC__ARRAY_LEN(tp); j++) {
            const double *p = tp[j];
            double dm, ds, dn;
            tsrec__student_grad(ys[i], p[0], p[1], p[2], &dm, &ds, &dn);
            assert_grad(dm, fd(ll_student, ys[i], p, 0));
            assert_grad(ds, fd(ll_student, ys[i], p, 1));
            assert_grad(dn, fd(ll_student, ys[i], p, 2));
        }
    }
    static const double counts[] = {0, 1, 2, 5, 13, 40};
    static const double np_[][2] = {{0.5, 0.1}, {3.0, 1.0}, {20.0, 0.05}, {7.0, 3.0}};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(counts); i++)
        for (size_t j = 0; j < TSREC__ARRAY_LEN(np_); j++) {
            double p[3] = {np_[j][0], np_[j][1], 0.0}, dm, da;
            tsrec__negbin_grad(counts[i], p[0], p[1], &dm, &da);
            assert_grad(dm, fd(ll_negbin, counts[i], p, 0));
            assert_grad(da, fd(ll_negbin, counts[i], p, 1));
        }
}

static void test_round_trips(void **state)
{
    (void)state;
    /* Standard normal over the whole double range of tail probabilities. */
    for (double z = -37.0; z <= 8.0; z += 0.25) {
        double p = tsrec__norm_cdf(z);
        if (p <= 0.0 || p >= 1.0)
            continue;
        double back = tsrec__norm_ppf(p);
        /* Upper-tail p is rounded to an absolute eps, which moves the
         * exact quantile by about eps / pdf(z): allow for that. */
        double pdf = exp(-0.5 * z * z) / sqrt(2.0 * 3.14159265358979323846);
        double tol = 1e-13 * fmax(1.0, fabs(z)) + (z > 0.0 ? 2.3e-16 / pdf : 0.0);
        assert_true(fabs(back - z) <= tol);
    }
    for (double p = 1e-6; p < 1.0; p += 0.0137)
        assert_rel(tsrec__gauss_cdf(tsrec__gauss_quantile(p, 2.0, 3.0), 2.0, 3.0), p, 1e-13);

    static const double nus[] = {0.7, 1.0, 2.0, 3.3, 10.0, 150.0};
    for (size_t k = 0; k < TSREC__ARRAY_LEN(nus); k++)
        for (double p = 0.001; p < 1.0; p += 0.0499) {
            double q = tsrec__student_quantile(p, 1.0, 2.0, nus[k]);
            assert_rel(tsrec__student_cdf(q, 1.0, 2.0, nus[k]), p, 1e-11);
        }
    assert_rel(tsrec__student_cdf(tsrec__student_quantile(1e-9, 0.0, 1.0, 4.0), 0.0,
                                  1.0, 4.0), 1e-9, 1e-9);

    /* Negative binomial: CDF against summed pmf, quantile as its inverse. */
    static const double nb[][2] = {{0.3, 0.2}, {4.0, 0.5}, {25.0, 0.05}, {2.0, 4.0}};
    for (size_t j = 0; j < TSREC__ARRAY_LEN(nb); j++) {
        double mu = nb[j][0], a = nb[j][1], acc = 0.0;
        for (int k = 0; k <= 80; k++) {
            acc += exp(tsrec__negbin_logpmf(k, mu, a));
            double c = tsrec__negbin_cdf(k, mu, a);
            assert_true(fabs(c - acc) <= 1e-12);
            double next = tsrec__negbin_cdf(k + 1, mu, a);
            if (next - c > 1e-12) {
                /* c itself maps to k; anything strictly inside
                 * (cdf(k), cdf(k + 1)] maps to k + 1. */
                assert_true(tsrec__negbin_quantile(c, mu, a) == (double)k);
                assert_true(tsrec__negbin_quantile(0.5 * (c + next), mu, a) ==
                            (double)(k + 1));
            }
        }
    }
    assert_true(tsrec__negbin_quantile(0.0, 3.0, 0.5) == 0.0);
    /* A large mean where p^r underflows: quantile still near mean. */
    double med = tsrec__negbin_quantile(0.5, 1e6, 0.01);
    assert_true(fabs(med - 1e6) < 0.05 * 1e6);
    assert_true(tsrec__negbin_cdf(med, 1e6, 0.01) >= 0.5);
    assert_true(tsrec__negbin_cdf(med - 1.0, 1e6, 0.01) < 0.5);

    for (double x = -30.0; x <= 30.0; x += 0.5)
        assert_rel(tsrec__softplus_inv(tsrec__softplus(x)), x, 1e-9);
}

static void test_vectorised(void **state)
{
    (void)state;
    enum { N = 6 };
    double y[N] = {0, 1, 3, 2, 7, 0};
    double a[N] = {1.0, 2.0, 0.5, 3.0, 6.0, 0.2};
    double b[N] = {0.5, 1.0, 2.0, 0.1, 0.3, 1.0};
    double c[N] = {3, 4, 5, 6, 7, 8};
    double ll[N], g0[N], g1[N], g2[N], sum;
    for (int32_t fam = 0; fam < 3; fam++) {
        const double *p2 = fam == TSREC__DIST_STUDENT_T ? c : NULL;
        assert_int_equal(tsrec__dist_loglik(NULL, fam, N, y, a, b, p2, ll, &sum, g0,
                                            g1, fam == 1 ? g2 : NULL),
                         TSREC_OK);
        double acc = 0.0;
        for (int i = 0; i < N; i++) {
            double want = fam == 0   ? tsrec__gauss_logpdf(y[i], a[i], b[i])
                          : fam == 1 ? tsrec__student_logpdf(y[i], a[i], b[i], c[i])
                                     : tsrec__negbin_logpmf(y[i], a[i], b[i]);
            assert_true(ll[i] == want);
            acc += want;
        }
        assert_rel(sum, acc, 1e-14);
        double q[N], cdf[N], prob[N] = {0.1, 0.5, 0.9, 0.01, 0.99, 0.3};
        assert_int_equal(tsrec__dist_quantile(NULL, fam, N, prob, a, b, p2, q), TSREC_OK);
        assert_int_equal(tsrec__dist_cdf(NULL, fam, N, q, a, b, p2, cdf), TSREC_OK);
        for (int i = 0; i < N; i++)
            assert_true(cdf[i] >= prob[i] - 1e-10);
    }
    /* Softplus chain rule: d ll / d raw for sigma = softplus(raw). */
    double raw[N], sig[N];
    for (int i = 0; i < N; i++) {
        raw[i] = -1.0 + 0.7 * i;
        sig[i] = tsrec__softplus(raw[i]);
    }
    assert_int_equal(tsrec__dist_loglik(NULL, 0, N, y, a, sig, NULL, NULL, NULL, NULL,
                                        g1, NULL), TSREC_OK);
    tsrec__softplus_chain(N, raw, g1);
    for (int i = 0; i < N; i++) {
        double h = 1e-6;
        double num = (tsrec__gauss_logpdf(y[i], a[i], tsrec__softplus(raw[i] + h)) -
                      tsrec__gauss_logpdf(y[i], a[i], tsrec__softplus(raw[i] - h))) /
                     (2 * h);
        assert_grad(g1[i], num);
    }

    /* Errors. */
    b[2] = 0.0;
    assert_int_equal(tsrec__dist_loglik(NULL, 0, N, y, a, b, NULL, ll, NULL, NULL,
                                        NULL, NULL), TSREC_E_INVALID_ARG);
    b[2] = NAN;
    assert_int_equal(tsrec__dist_loglik(NULL, 0, N, y, a, b, NULL, ll, NULL, NULL,
                                        NULL, NULL), TSREC_E_NAN);
    b[2] = 2.0;
    y[1] = INFINITY;
    assert_int_equal(tsrec__dist_loglik(NULL, 0, N, y, a, b, NULL, ll, NULL, NULL,
                                        NULL, NULL), TSREC_E_NAN);
    y[1] = -1.0;
    assert_int_equal(tsrec__dist_loglik(NULL, 2, N, y, a, b, NULL, ll, NULL, NULL,
                                        NULL, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__dist_loglik(NULL, 1, N, y, a, b, NULL, ll, NULL, NULL,
                                        NULL, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__dist_loglik(NULL, 9, N, y, a, b, NULL, ll, NULL, NULL,
                                        NULL, NULL), TSREC_E_INVALID_ARG);
    double prob_bad[1] = {1.5};
    assert_int_equal(tsrec__dist_quantile(NULL, 0, 1, prob_bad, a, b, NULL, ll),
                     TSREC_E_OUT_OF_RANGE);
    assert_int_equal(tsrec__dist_loglik(NULL, 0, 0, NULL, NULL, NULL, NULL, NULL,
                                        &sum, NULL, NULL, NULL), TSREC_OK);
    assert_true(sum == 0.0);
}

/* Mean and variance of n draws within 5 standard errors of the truth. */
static void check_moments(int32_t fam, double p0, double p1, double p2,
                          double mean, double var, uint64_t seed)
{
    enum { N = 200000 };
    tsrec__rng r;
    tsrec__rng_seed(&r, seed);
    double s = 0.0, s2 = 0.0;
    for (int i = 0; i < N; i++) {
        double v = tsrec__dist_sample1(&r, fam, p0, p1, p2);
        assert_false(isnan(v));
        s += v;
        s2 += v * v;
    }
    double m = s / N, v = s2 / N - m * m;
    if (!(fabs(m - mean) <= 5.0 * sqrt(var / N)))
        fail_msg("family %d mean %.6g vs %.6g", (int)fam, m, mean);
    /* variance: loose bound (the 4th moment of a t with nu = 9 is finite) */
    if (!(fabs(v - var) <= 0.05 * var))
        fail_msg("family %d variance %.6g vs %.6g", (int)fam, v, var);
}

static void test_sampling(void **state)
{
    (void)state;
    check_moments(TSREC__DIST_GAUSSIAN, 1.5, 2.0, 0.0, 1.5, 4.0, 11);
    check_moments(TSREC__DIST_STUDENT_T, -1.0, 0.5, 9.0, -1.0, 0.25 * 9.0 / 7.0, 12);
    check_moments(TSREC__DIST_NEGBIN, 4.0, 0.3, 0.0, 4.0, 4.0 + 0.3 * 16.0, 13);
    check_moments(TSREC__DIST_NEGBIN, 0.7, 2.0, 0.0, 0.7, 0.7 + 2.0 * 0.49, 14);

    /* The vectorised form draws the same stream. */
    double p0[3] = {0.0, 1.0, 2.0}, p1[3] = {1.0, 1.0, 1.0}, out[3];
    tsrec__rng r1, r2;
    tsrec__rng_seed(&r1, 5);
    tsrec__rng_seed(&r2, 5);
    assert_int_equal(tsrec__dist_sample(NULL, &r1, 0, 3, p0, p1, NULL, out), TSREC_OK);
    for (int i = 0; i < 3; i++)
        assert_true(out[i] == tsrec__dist_sample1(&r2, 0, p0[i], p1[i], 0.0));
    p1[1] = -1.0;
    assert_int_equal(tsrec__dist_sample(NULL, &r1, 0, 3, p0, p1, NULL, out),
                     TSREC_E_INVALID_ARG);
    p1[1] = NAN;
    assert_int_equal(tsrec__dist_sample(NULL, &r1, 0, 3, p0, p1, NULL, out), TSREC_E_NAN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_gradients),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_vectorised),
        cmocka_unit_test(test_sampling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
