/* Numeric tests of the random number generator and samplers.
 *
 * Everything runs from fixed seeds, so each statistical test is a
 * deterministic check; the bounds are set so that a correct sampler fails
 * with probability around 1e-3 or less for a random seed (5 standard
 * errors for moments, the 0.999 quantile for KS and chi-square), while the
 * usual bugs (wrong parameterisation, bias, a broken rejection step) miss
 * them by far. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "rng_internal.h"

/* ---- reference values -------------------------------------------------- */

/* First outputs computed by an independent (Python, big-integer)
 * implementation of splitmix64 + xoshiro256** from the published
 * definitions. */
static void test_known_values(void **state)
{
    (void)state;
    tsrec__rng r;
    tsrec__rng_seed(&r, 0);
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0x99ec5f36cb75f2b4));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0xbf6e1f784956452a));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0x1a5f849d4933e6e0));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0x6aa594f1262d2d2c));

    tsrec__rng_seed(&r, 42);
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0x15780b2e0c2ec716));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0x6104d9866d113a7e));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0xae17533239e499a1));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0xecb8ad4703b360a1));

    tsrec__rng_seed(&r, 42);
    tsrec__rng_jump(&r);
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0x50086ef83cbf4f4a));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0xba285ec21347d703));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0x5ea1247b4dc6452a));

    tsrec__rng_stream(&r, 42, 7);
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0xc465b43a07276684));
    assert_true(tsrec__rng_u64(&r) == UINT64_C(0x4548d0e0d740ef37));
}

static void test_reproducible(void **state)
{
    (void)state;
    tsrec__rng a, b, c;
    tsrec__rng_seed(&a, 123);
    tsrec__rng_seed(&b, 123);
    tsrec__rng_seed(&c, 124);
    int64_t same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = tsrec__rng_u64(&a);
        assert_true(x == tsrec__rng_u64(&b));
        same_c += x == tsrec__rng_u64(&c);
    }
    assert_int_equal(same_c, 0);

    /* Samplers are deterministic functions of the stream too. */
    tsrec__rng_seed(&a, 9);
    tsrec__rng_seed(&b, 9);
    for (int i = 0; i < 200; i++) {
        assert_true(tsrec__rng_gamma(&a, 0.3, 1.0) == tsrec__rng_gamma(&b, 0.3, 1.0));
        assert_true(tsrec__rng_poisson(&a, 50.0) == tsrec__rng_poisson(&b, 50.0));
        assert_true(tsrec__rng_negbin(&a, 3.0, 0.5) == tsrec__rng_negbin(&b, 3.0, 0.5));
        assert_true(tsrec__rng_normal(&a, 0, 1) == tsrec__rng_normal(&b, 0, 1));
    }
}

static double pearson(const double *x, const double *y, int64_t n)
{
    double mx = 0, my = 0;
    for (int64_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (int64_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

static void test_streams_differ(void **state)
{
    (void)state;
    enum { K = 64 };
    uint64_t first[K];
    for (int k = 0; k < K; k++) {
        tsrec__rng r, r2, other_seed;
        tsrec__rng_stream(&r, 42, (uint64_t)k);
        tsrec__rng_stream(&r2, 42, (uint64_t)k);
        tsrec__rng_stream(&other_seed, 43, (uint64_t)k);
        first[k] = tsrec__rng_u64(&r);
        assert_true(first[k] == tsrec__rng_u64(&r2));
        assert_true(first[k] != tsrec__rng_u64(&other_seed));
        for (int j = 0; j < k; j++)
            assert_true(first[j] != first[k]);
    }
    /* Adjacent streams are uncorrelated. */
    enum { N = 100000 };
    double *x = malloc(N * sizeof(double));
    double *y = malloc(N * sizeof(double));
    assert_non_null(x);
    assert_non_null(y);
    tsrec__rng a, b;
    tsrec__rng_stream(&a, 1, 0);
    tsrec__rng_stream(&b, 1, 1);
    for (int i = 0; i < N; i++) {
        x[i] = tsrec__rng_uniform(&a);
        y[i] = tsrec__rng_uniform(&b);
    }
    assert_true(fabs(pearson(x, y, N)) < 5.0 / sqrt((double)N));
    free(x);
    free(y);
}

static void test_jump_differs(void **state)
{
    (void)state;
    tsrec__rng a, b, c;
    tsrec__rng_seed(&a, 5);
    b = a;
    tsrec__rng_jump(&b);
    c = b;
    tsrec__rng_jump(&c);
    assert_memory_not_equal(a.s, b.s, sizeof(a.s));
    assert_memory_not_equal(b.s, c.s, sizeof(b.s));
    int64_t same = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t xa = tsrec__rng_u64(&a), xb = tsrec__rng_u64(&b);
        uint64_t xc = tsrec__rng_u64(&c);
        same += (xa == xb) + (xb == xc) + (xa == xc);
    }
    assert_int_equal(same, 0);
}

/* ---- goodness-of-fit helpers ------------------------------------------ */

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Kolmogorov-Smirnov statistic of x (sorted in place) against cdf. */
static double ks_stat(double *x, int64_t n, double (*cdf)(double, const double *),
                      const double *par)
{
    qsort(x, (size_t)n, sizeof(double), cmp_double);
    double d = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double f = cdf(x[i], par);
        double lo = f - (double)i / (double)n;
        double hi = (double)(i + 1) / (double)n - f;
        d = fmax(d, fmax(lo, hi));
    }
    return d;
}

/* 0.999 quantile of the KS statistic for large n. */
static double ks_crit(int64_t n)
{
    return 1.9495 / sqrt((double)n);
}

/* 0.999 quantile of chi-square(df), Wilson-Hilferty approximation. */
static double chi2_crit(double df)
{
    double h = 2.0 / (9.0 * df);
    double t = 1.0 - h + 3.0902 * sqrt(h);
    return df * t * t * t;
}

/* Sample mean and variance within 5 standard errors of mean and var. The
 * standard error of the variance uses the sample fourth central moment. */
static void check_moments(const char *what, const double *x, int64_t n, double mean,
                          double var)
{
    double m = 0.0;
    for (int64_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    double m2 = 0.0, m4 = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double d = x[i] - m;
        m2 += d * d;
        m4 += d * d * d * d;
    }
    double s2 = m2 / (double)(n - 1);
    m4 /= (double)n;
    double se_mean = sqrt(var / (double)n);
    double se_var = sqrt(fmax(m4 - s2 * s2, 0.0) / (double)n);
    if (fabs(m - mean) > 5.0 * se_mean || fabs(s2 - var) > 5.0 * se_var + 1e-12) {
        print_error("%s: mean %.6g (want %.6g, se %.3g) var %.6g (want %.6g, se %.3g)\n",
                    what, m, mean, se_mean, s2, var, se_var);
        fail();
    }
}

enum { NS = 200000 };

/* ---- uniform and below ------------------------------------------------ */

static double uniform_cdf(double x, const double *par)
{
    (void)par;
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

static void test_uniform(void **state)
{
    (void)state;
    double *x = malloc(NS * sizeof(double));
    assert_non_null(x);
    tsrec__rng r;
    tsrec__rng_seed(&r, 2024);
    for (int i = 0; i < NS; i++) {
        x[i] = tsrec__rng_uniform(&r);
        assert_true(x[i] >= 0.0 && x[i] < 1.0);
    }
    check_moments("uniform", x, NS, 0.5, 1.0 / 12.0);
    assert_true(ks_stat(x, NS, uniform_cdf, NULL) < ks_crit(NS));
    free(x);
}

static void check_below_chi2(uint64_t n, int64_t draws, uint64_t seed)
{
    int64_t *count = calloc((size_t)n, sizeof(int64_t));
    assert_non_null(count);
    tsrec__rng r;
    tsrec__rng_seed(&r, seed);
    for (int64_t i = 0; i < draws; i++) {
        uint64_t v = tsrec__rng_below(&r, n);
        assert_true(v < n);
        count[v]++;
    }
    double e = (double)draws / (double)n, chi2 = 0.0;
    for (uint64_t k = 0; k < n; k++)
        chi2 += ((double)count[k] - e) * ((double)count[k] - e) / e;
    assert_true(chi2 < chi2_crit((double)(n - 1)));
    free(count);
}

static void test_below(void **state)
{
    (void)state;
    check_below_chi2(2, NS, 1);
    check_below_chi2(10, NS, 2);
    check_below_chi2(7, NS, 3);
    check_below_chi2(1000, NS, 4);

    tsrec__rng r;
    tsrec__rng_seed(&r, 77);
    assert_true(tsrec__rng_below(&r, 1) == 0);
    assert_true(tsrec__rng_below(&r, 0) == 0);

    /* n = 1.5 * 2^63: plain x % n would put 1/4 of the draws in
     * [2^63, n) instead of 1/3. */
    const uint64_t n = (UINT64_C(1) << 63) + (UINT64_C(1) << 62);
    int64_t upper = 0;
    for (int i = 0; i < NS; i++) {
        uint64_t v = tsrec__rng_below(&r, n);
        assert_true(v < n);
        upper += v >= (UINT64_C(1) << 63);
    }
    double p = 1.0 / 3.0, se = sqrt(p * (1 - p) / NS);
    assert_true(fabs((double)upper / NS - p) < 5 * se);
}

/* ---- exact CDFs for the KS tests -------------------------------------- */

static double normal_cdf(double x, const double *par)
{
    return 0.5 * erfc(-(x - par[0]) / (par[1] * sqrt(2.0)));
}

/* Regularised lower incomplete gamma P(a, x): power series below a + 1,
 * Legendre continued fraction for Q = 1 - P above (evaluated by the
 * modified Lentz method). */
static double reg_inc_gamma(double a, double x)
{
    if (x <= 0.0)
        return 0.0;
    double log_pre = -x + a * log(x) - lgamma(a);
    if (x < a + 1.0) {
        double term = 1.0 / a, sum = term;
        for (int n = 1; n < 10000; n++) {
            term *= x / (a + n);
            sum += term;
            if (fabs(term) < fabs(sum) * 1e-16)
                break;
        }
        return sum * exp(log_pre);
    }
    const double tiny = 1e-300;
    double b = x + 1.0 - a;
    double c = 1.0 / tiny, d = 1.0 / b, h = d;
    for (int i = 1; i < 10000; i++) {
        double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return 1.0 - h * exp(log_pre);
}

static double gamma_cdf(double x, const double *par)
{
    return reg_inc_gamma(par[0], x / par[1]);
}

/* Student-t with 3 degrees of freedom has a closed-form CDF. */
static double t3_cdf(double x, const double *par)
{
    (void)par;
    const double pi = 3.14159265358979323846;
    double s = x / sqrt(3.0);
    return 0.5 + (s / (1.0 + s * s) + atan(s)) / pi;
}

static void test_inc_gamma_reference(void **state)
{
    (void)state;
    /* P(1, x) = 1 - e^-x; P(1/2, x) = erf(sqrt(x)); P(3, x) closed form. */
    double xs[] = {0.01, 0.3, 1.0, 2.5, 7.0, 30.0};
    for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
        double x = xs[i];
        assert_true(fabs(reg_inc_gamma(1.0, x) - (1.0 - exp(-x))) < 1e-13);
        assert_true(fabs(reg_inc_gamma(0.5, x) - erf(sqrt(x))) < 1e-13);
        double p3 = 1.0 - exp(-x) * (1.0 + x + 0.5 * x * x);
        assert_true(fabs(reg_inc_gamma(3.0, x) - p3) < 1e-13);
    }
}

/* ---- continuous samplers ---------------------------------------------- */

static void test_normal(void **state)
{
    (void)state;
    double *x = malloc(NS * sizeof(double));
    assert_non_null(x);
    tsrec__rng r;
    tsrec__rng_seed(&r, 11);
    const double settings[][2] = {{0.0, 1.0}, {-3.0, 0.25}, {1e3, 40.0}};
    for (size_t s = 0; s < 3; s++) {
        double mu = settings[s][0], sd = settings[s][1];
        for (int i = 0; i < NS; i++)
            x[i] = tsrec__rng_normal(&r, mu, sd);
        check_moments("normal", x, NS, mu, sd * sd);
        assert_true(ks_stat(x, NS, normal_cdf, settings[s]) < ks_crit(NS));
    }
    assert_true(tsrec__rng_normal(&r, 3.0, 0.0) == 3.0);
    free(x);
}

static void test_gamma(void **state)
{
    (void)state;
    double *x = malloc(NS * sizeof(double));
    assert_non_null(x);
    tsrec__rng r;
    tsrec__rng_seed(&r, 12);
    const double settings[][2] = {{0.3, 1.0}, {1.0, 2.0}, {7.5, 0.5}, {0.05, 3.0}, {250.0, 1.0}};
    for (size_t s = 0; s < sizeof(settings) / sizeof(settings[0]); s++) {
        double a = settings[s][0], sc = settings[s][1];
        for (int i = 0; i < NS; i++) {
            x[i] = tsrec__rng_gamma(&r, a, sc);
            assert_true(x[i] >= 0.0);
        }
        check_moments("gamma", x, NS, a * sc, a * sc * sc);
        assert_true(ks_stat(x, NS, gamma_cdf, settings[s]) < ks_crit(NS));
    }
    free(x);
}

static void test_beta(void **state)
{
    (void)state;
    double *x = malloc(NS * sizeof(double));
    assert_non_null(x);
    tsrec__rng r;
    tsrec__rng_seed(&r, 13);
    const double settings[][2] = {{2.0, 5.0}, {0.5, 0.5}, {0.2, 3.0}, {1.0, 1.0}, {0.01, 0.01}};
    for (size_t s = 0; s < sizeof(settings) / sizeof(settings[0]); s++) {
        double a = settings[s][0], b = settings[s][1];
        for (int i = 0; i < NS; i++) {
            x[i] = tsrec__rng_beta(&r, a, b);
            assert_true(x[i] >= 0.0 && x[i] <= 1.0);
        }
        double mean = a / (a + b);
        double var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
        check_moments("beta", x, NS, mean, var);
    }
    /* Beta(1, 1) is uniform. */
    for (int i = 0; i < NS; i++)
        x[i] = tsrec__rng_beta(&r, 1.0, 1.0);
    assert_true(ks_stat(x, NS, uniform_cdf, NULL) < ks_crit(NS));
    free(x);
}

static void test_student_t(void **state)
{
    (void)state;
    double *x = malloc(NS * sizeof(double));
    assert_non_null(x);
    tsrec__rng r;
    tsrec__rng_seed(&r, 14);
    /* nu = 30 has finite fourth moment: moment test with location/scale. */
    for (int i = 0; i < NS; i++)
        x[i] = tsrec__rng_student_t(&r, 30.0, 2.0, 3.0);
    check_moments("t30", x, NS, 2.0, 9.0 * 30.0 / 28.0);
    /* nu = 3: infinite fourth moment, so test the whole distribution. */
    for (int i = 0; i < NS; i++)
        x[i] = tsrec__rng_student_t(&r, 3.0, 0.0, 1.0);
    assert_true(ks_stat(x, NS, t3_cdf, NULL) < ks_crit(NS));
    /* And the mean, whose standard error exists (var = 3). */
    double m = 0.0;
    for (int i = 0; i < NS; i++)
        m += x[i];
    assert_true(fabs(m / NS) < 5.0 * sqrt(3.0 / NS));
    free(x);
}

/* ---- discrete samplers ------------------------------------------------ */

/* Chi-square goodness of fit of Poisson(lambda) samples, bins with an
 * expected count below 5 merged into the two tails. */
static void check_poisson_chi2(const int64_t *k, int64_t n, double lambda)
{
    int64_t kmax = (int64_t)(lambda + 12.0 * sqrt(lambda) + 20.0);
    int64_t *count = calloc((size_t)kmax + 1, sizeof(int64_t));
    double *expect = calloc((size_t)kmax + 1, sizeof(double));
    assert_non_null(count);
    assert_non_null(expect);
    for (int64_t i = 0; i < n; i++)
        count[k[i] > kmax ? kmax : k[i]]++;
    double tail = 1.0;
    for (int64_t j = 0; j < kmax; j++) {
        expect[j] = n * exp(j * log(lambda) - lambda - lgamma(j + 1.0));
        tail -= expect[j] / n;
    }
    expect[kmax] = n * fmax(tail, 0.0);
    /* Pool consecutive values into bins of expected count >= 5; a short
     * remainder joins the last bin. */
    double *be = calloc((size_t)kmax + 1, sizeof(double));
    double *bc = calloc((size_t)kmax + 1, sizeof(double));
    assert_non_null(be);
    assert_non_null(bc);
    int64_t bins = 0;
    double e_acc = 0.0, c_acc = 0.0;
    for (int64_t j = 0; j <= kmax; j++) {
        e_acc += expect[j];
        c_acc += (double)count[j];
        if (e_acc >= 5.0) {
            be[bins] = e_acc;
            bc[bins] = c_acc;
            bins++;
            e_acc = c_acc = 0.0;
        }
    }
    assert_true(bins >= 2);
    be[bins - 1] += e_acc;
    bc[bins - 1] += c_acc;
    double chi2 = 0.0;
    for (int64_t b = 0; b < bins; b++)
        chi2 += (bc[b] - be[b]) * (bc[b] - be[b]) / be[b];
    free(be);
    free(bc);
    if (!(chi2 < chi2_crit((double)(bins - 1)))) {
        print_error("poisson %g: chi2 %.2f over %lld bins (crit %.2f)\n", lambda, chi2,
                    (long long)bins, chi2_crit((double)(bins - 1)));
        fail();
    }
    free(count);
    free(expect);
}

static void test_poisson(void **state)
{
    (void)state;
    /* More draws than elsewhere: PTRS's squeeze and rejection steps
     * correct most errors in its constants, so the remaining bias is
     * small and needs the power. */
    enum { NP = 5 * NS };
    int64_t *k = malloc(NP * sizeof(int64_t));
    double *x = malloc(NP * sizeof(double));
    assert_non_null(k);
    assert_non_null(x);
    tsrec__rng r;
    tsrec__rng_seed(&r, 15);
    /* 9.99 and 10 sit on either side of the inversion/PTRS switch. */
    const double lambdas[] = {0.5, 8.0, 9.99, 10.0, 12.0, 120.0, 5000.0};
    for (size_t s = 0; s < sizeof(lambdas) / sizeof(lambdas[0]); s++) {
        double lam = lambdas[s];
        for (int i = 0; i < NP; i++) {
            k[i] = tsrec__rng_poisson(&r, lam);
            assert_true(k[i] >= 0);
            x[i] = (double)k[i];
        }
        char what[32];
        snprintf(what, sizeof(what), "poisson %g", lam);
        check_moments(what, x, NP, lam, lam);
        check_poisson_chi2(k, NP, lam);
    }
    /* Very large means still land near lambda. */
    for (int i = 0; i < 1000; i++) {
        int64_t v = tsrec__rng_poisson(&r, 1e12);
        assert_true(fabs((double)v - 1e12) < 6.0 * 1e6);
    }
    assert_int_equal(tsrec__rng_poisson(&r, 0.0), 0);
    free(k);
    free(x);
}

static void test_negbin(void **state)
{
    (void)state;
    double *x = malloc(NS * sizeof(double));
    assert_non_null(x);
    tsrec__rng r;
    tsrec__rng_seed(&r, 16);
    const double settings[][2] = {{5.0, 0.0}, {5.0, 0.1}, {5.0, 2.0},
                                  {300.0, 0.1}, {0.3, 2.0}, {40.0, 1e-6}};
    for (size_t s = 0; s < sizeof(settings) / sizeof(settings[0]); s++) {
        double mu = settings[s][0], alpha = settings[s][1];
        for (int i = 0; i < NS; i++) {
            int64_t v = tsrec__rng_negbin(&r, mu, alpha);
            assert_true(v >= 0);
            x[i] = (double)v;
        }
        char what[48];
        snprintf(what, sizeof(what), "negbin mu %g alpha %g", mu, alpha);
        check_moments(what, x, NS, mu, mu + alpha * mu * mu);
    }
    assert_int_equal(tsrec__rng_negbin(&r, 0.0, 1.0), 0);
    free(x);
}

static void test_invalid_params(void **state)
{
    (void)state;
    tsrec__rng r;
    tsrec__rng_seed(&r, 1);
    const double inf = INFINITY, nan = NAN;
    assert_true(isnan(tsrec__rng_normal(&r, nan, 1.0)));
    assert_true(isnan(tsrec__rng_normal(&r, 0.0, -1.0)));
    assert_true(isnan(tsrec__rng_normal(&r, 0.0, inf)));
    assert_true(isnan(tsrec__rng_normal(&r, inf, 1.0)));
    assert_true(isnan(tsrec__rng_gamma(&r, 0.0, 1.0)));
    assert_true(isnan(tsrec__rng_gamma(&r, -1.0, 1.0)));
    assert_true(isnan(tsrec__rng_gamma(&r, 1.0, 0.0)));
    assert_true(isnan(tsrec__rng_gamma(&r, nan, 1.0)));
    assert_true(isnan(tsrec__rng_gamma(&r, 1.0, inf)));
    assert_true(isnan(tsrec__rng_beta(&r, 0.0, 1.0)));
    assert_true(isnan(tsrec__rng_beta(&r, 1.0, -2.0)));
    assert_true(isnan(tsrec__rng_beta(&r, 1.0, inf)));
    assert_true(isnan(tsrec__rng_beta(&r, nan, 1.0)));
    assert_true(isnan(tsrec__rng_student_t(&r, 0.0, 0.0, 1.0)));
    assert_true(isnan(tsrec__rng_student_t(&r, -3.0, 0.0, 1.0)));
    assert_true(isnan(tsrec__rng_student_t(&r, 3.0, 0.0, -1.0)));
    assert_true(isnan(tsrec__rng_student_t(&r, 3.0, nan, 1.0)));
    assert_true(isnan(tsrec__rng_student_t(&r, inf, 0.0, 1.0)));
    assert_int_equal(tsrec__rng_poisson(&r, -1.0), -1);
    assert_int_equal(tsrec__rng_poisson(&r, nan), -1);
    assert_int_equal(tsrec__rng_poisson(&r, inf), -1);
    assert_int_equal(tsrec__rng_poisson(&r, 1e300), -1);
    assert_int_equal(tsrec__rng_negbin(&r, -1.0, 0.1), -1);
    assert_int_equal(tsrec__rng_negbin(&r, 1.0, -0.1), -1);
    assert_int_equal(tsrec__rng_negbin(&r, nan, 0.1), -1);
    assert_int_equal(tsrec__rng_negbin(&r, 1.0, nan), -1);
    assert_int_equal(tsrec__rng_negbin(&r, inf, 0.1), -1);
    assert_int_equal(tsrec__rng_negbin(&r, 1.0, inf), -1);
    /* Tiny but valid parameters give finite, in-range values. */
    for (int i = 0; i < 1000; i++) {
        double g = tsrec__rng_gamma(&r, 1e-3, 1.0);
        assert_true(g >= 0.0 && isfinite(g));
        double b = tsrec__rng_beta(&r, 1e-3, 1e-3);
        assert_true(b >= 0.0 && b <= 1.0);
        double t = tsrec__rng_student_t(&r, 0.05, 0.0, 1.0);
        assert_false(isnan(t));
        assert_true(tsrec__rng_negbin(&r, 1e6, 50.0) >= 0);
    }
}

/* ---- alias method ----------------------------------------------------- */

static void check_alias_freq(const double *w, int64_t n, int64_t draws, uint64_t seed)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__alias a;
    assert_int_equal(tsrec__alias_init(&a, ctx, &ctx->hdr, w, n), TSREC_OK);
    assert_int_equal(a.n, n);
    int64_t *count = calloc((size_t)n, sizeof(int64_t));
    assert_non_null(count);
    tsrec__rng r;
    tsrec__rng_seed(&r, seed);
    for (int64_t i = 0; i < draws; i++) {
        int64_t k = tsrec__alias_draw(&a, &r);
        assert_true(k >= 0 && k < n);
        count[k]++;
    }
    /* Normalise by the largest weight: 1e308 + 1e308 overflows. */
    double wmax = 0.0, sum = 0.0;
    for (int64_t i = 0; i < n; i++)
        wmax = fmax(wmax, w[i]);
    for (int64_t i = 0; i < n; i++)
        sum += w[i] / wmax;
    double chi2 = 0.0;
    int64_t bins = 0;
    for (int64_t i = 0; i < n; i++) {
        if (w[i] == 0.0) {
            assert_int_equal(count[i], 0); /* never drawn */
            continue;
        }
        double e = (double)draws * (w[i] / wmax / sum);
        chi2 += ((double)count[i] - e) * ((double)count[i] - e) / e;
        bins++;
    }
    if (bins > 1 && !(chi2 < chi2_crit((double)(bins - 1)))) {
        print_error("alias n %lld: chi2 %.2f over %lld bins (crit %.2f)\n", (long long)n,
                    chi2, (long long)bins, chi2_crit((double)(bins - 1)));
        fail();
    }
    free(count);
    tsrec__alias_free(&a, ctx);
    tu_ctx_free_checked(ctx);
}

static void test_alias(void **state)
{
    (void)state;
    const double w1[] = {1.0, 2.0, 3.0, 0.0, 4.0, 0.5};
    check_alias_freq(w1, 6, NS, 21);
    const double w2[] = {7.0};
    check_alias_freq(w2, 1, 1000, 22);
    const double w3[] = {1e308, 1e308, 5e307};
    check_alias_freq(w3, 3, NS, 23);
    const double w4[] = {1e-300, 3e-300};
    check_alias_freq(w4, 2, NS, 24);

    /* Mostly zeros plus skewed weights: zero columns must never win. */
    enum { M = 1000 };
    double *w = calloc(M, sizeof(double));
    assert_non_null(w);
    w[3] = 1.0;
    w[500] = 0.1;
    w[999] = 1e-4;
    check_alias_freq(w, M, NS, 25);
    for (int i = 0; i < M; i++)
        w[i] = (double)((i * 37) % 101);
    check_alias_freq(w, M, 20 * NS, 26);
    free(w);
}

static void test_alias_rejects(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__alias a;
    const double neg[] = {1.0, -0.5, 2.0};
    const double has_nan[] = {1.0, NAN};
    const double has_inf[] = {INFINITY, 1.0};
    const double zeros[] = {0.0, 0.0, 0.0};
    assert_int_equal(tsrec__alias_init(&a, ctx, &ctx->hdr, neg, 3), TSREC_E_INVALID_ARG);
    assert_non_null(strstr(tsrec_errmsg(ctx), "weight 1"));
    assert_null(a.prob);
    assert_int_equal(tsrec__alias_init(&a, ctx, &ctx->hdr, has_nan, 2), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__alias_init(&a, ctx, &ctx->hdr, has_inf, 2), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__alias_init(&a, ctx, &ctx->hdr, zeros, 3), TSREC_E_INVALID_ARG);
    assert_non_null(strstr(tsrec_errmsg(ctx), "zero"));
    assert_int_equal(tsrec__alias_init(&a, ctx, NULL, neg, 0), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__alias_init(&a, ctx, NULL, neg, -4), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__alias_init(&a, ctx, NULL, NULL, 3), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__alias_init(&a, NULL, NULL, zeros, 3), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__alias_init(NULL, ctx, NULL, zeros, 3), TSREC_E_INVALID_ARG);
    /* A drawn-from empty table reports -1; freeing twice is harmless. */
    tsrec__rng r;
    tsrec__rng_seed(&r, 1);
    assert_int_equal(tsrec__alias_draw(&a, &r), -1);
    assert_int_equal(tsrec__alias_draw(NULL, &r), -1);
    tsrec__alias_free(&a, ctx);
    tsrec__alias_free(&a, ctx);
    tsrec__alias_free(NULL, ctx);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_streams_differ),
        cmocka_unit_test(test_jump_differs),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_below),
        cmocka_unit_test(test_inc_gamma_reference),
        cmocka_unit_test(test_normal),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_beta),
        cmocka_unit_test(test_student_t),
        cmocka_unit_test(test_poisson),
        cmocka_unit_test(test_negbin),
        cmocka_unit_test(test_invalid_params),
        cmocka_unit_test(test_alias),
        cmocka_unit_test(test_alias_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
