/* ETS (src/forecast/algos/ets_*.c) against R forecast::ets 8.20 values
 * committed in tests/numeric/data/ets_reference.txt (made by
 * tools/ref/ets_reference.R), plus direct checks of the recursions,
 * admissibility, bounds and bad input.
 *
 * Tolerances: the optimiser replays R's Nelder-Mead step by step on the
 * same objective, so the same model is chosen and the search follows R's
 * path; on these series the results agree with R to 1e-8 or better
 * (measured). Starting states can differ from R's in the last bits
 * (closed-form regression vs LINPACK QR), and the tiny-series fallback
 * runs L-BFGS-B (agreement ~1e-8), so the gates are parameters 1e-6
 * absolute, loglik / AICc 1e-8 relative, forecasts and 80/95% bounds
 * 1e-6 of the series scale. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "ets_internal.h"
#include "baselines_internal.h"
#include "ets_hw_internal.h"

/* ---- reference file ---------------------------------------------------- */

typedef struct ref_series {
    char name[32];
    int m, n, h;
    double *y;
    char model[32];
    double par[4];
    double loglik, aicc, sigma2;
    double *mean, *lo80, *hi80, *lo95, *hi95;
} ref_series;

static double *read_values(char *line, int count)
{
    double *v = calloc((size_t)count, sizeof(double));
    char *p = strchr(line, ' ');
    for (int i = 0; i < count && p; i++) {
        char *end;
        v[i] = strtod(p, &end);
        if (end == p)
            break;
        p = end;
    }
    return v;
}

static int load_refs(ref_series *out, int max)
{
    const char *dir = getenv("TSREC_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/ets_reference.txt", dir ? dir : "tests/numeric/data");
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    static char line[1 << 16];
    int k = -1;
    while (fgets(line, sizeof line, f)) {
        ref_series *r = k >= 0 ? &out[k] : NULL;
        if (!strncmp(line, "series ", 7)) {
            if (++k >= max)
                break;
            r = &out[k];
            memset(r, 0, sizeof *r);
            sscanf(line + 7, "%31s %d %d %d", r->name, &r->m, &r->n, &r->h);
        } else if (!r) {
            continue;
        } else if (!strncmp(line, "y ", 2)) {
            r->y = read_values(line, r->n);
        } else if (!strncmp(line, "model ", 6)) {
            sscanf(line + 6, "%31s", r->model);
        } else if (!strncmp(line, "par ", 4)) {
            double *v = read_values(line, 4);
            memcpy(r->par, v, sizeof r->par);
            free(v);
        } else if (!strncmp(line, "loglik ", 7)) {
            r->loglik = strtod(line + 7, NULL);
        } else if (!strncmp(line, "aicc ", 5)) {
            r->aicc = strtod(line + 5, NULL);
        } else if (!strncmp(line, "sigma2 ", 7)) {
            r->sigma2 = strtod(line + 7, NULL);
        } else if (!strncmp(line, "mean ", 5)) {
            r->mean = read_values(line, r->h);
        } else if (!strncmp(line, "lo80 ", 5)) {
            r->lo80 = read_values(line, r->h);
        } else if (!strncmp(line, "hi80 ", 5)) {
            r->hi80 = read_values(line, r->h);
        } else if (!strncmp(line, "lo95 ", 5)) {
            r->lo95 = read_values(line, r->h);
        } else if (!strncmp(line, "hi95 ", 5)) {
            r->hi95 = read_values(line, r->h);
        }
    }
    fclose(f);
    return k + 1;
}

static void free_refs(ref_series *r, int n)
{
    for (int i = 0; i < n; i++) {
        free(r[i].y);
        free(r[i].mean);
        free(r[i].lo80);
        free(r[i].hi80);
        free(r[i].lo95);
        free(r[i].hi95);
    }
}

static void test_against_r(void **state)
{
    (void)state;
    ref_series refs[32];
    int nr = load_refs(refs, 32);
    assert_true(nr >= 10);
    tsrec_ctx *ctx = tu_ctx_new();
    int agree = 0;
    for (int s = 0; s < nr; s++) {
        ref_series *r = &refs[s];
        tsrec__ets_model mod;
        assert_int_equal(tsrec__ets_fit(ctx, NULL, r->y, r->n, r->m, NULL, &mod), TSREC_OK);
        double q[4] = {0.1, 0.9, 0.025, 0.975};
        double *mean = calloc((size_t)r->h, sizeof(double));
        double *qv = calloc((size_t)r->h * 4, sizeof(double));
        assert_int_equal(tsrec__ets_forecast(ctx, NULL, &mod, r->h, q, 4, 0, 42, mean, qv),
                         TSREC_OK);
        double scale = 0.0;
        for (int i = 0; i < r->n; i++)
            scale = fmax(scale, fabs(r->y[i]));
        int same = strcmp(mod.name, r->model) == 0;
        agree += same;
        double dmax = 0.0, dpar = 0.0;
        for (int i = 0; i < r->h; i++) {
            dmax = fmax(dmax, fabs(mean[i] - r->mean[i]));
            dmax = fmax(dmax, fabs(qv[i] - r->lo80[i]));
            dmax = fmax(dmax, fabs(qv[r->h + i] - r->hi80[i]));
            dmax = fmax(dmax, fabs(qv[2 * r->h + i] - r->lo95[i]));
            dmax = fmax(dmax, fabs(qv[3 * r->h + i] - r->hi95[i]));
        }
        double mp[4] = {mod.alpha, mod.beta, mod.gamma, mod.phi};
        for (int k = 0; k < 4; k++)
            if (!isnan(r->par[k]))
                dpar = fmax(dpar, fabs(mp[k] - r->par[k]));
        printf("# %-14s R %-12s tsrec %-12s dpar %.2e loglik %.6g/%.6g dfc/scale %.2e\n",
               r->name, r->model, mod.name, dpar, r->loglik, mod.loglik, dmax / scale);
        assert_true(same);
        assert_true(dpar < 1e-6);
        if (!isnan(r->loglik)) {
            assert_true(fabs(mod.loglik - r->loglik) <= 1e-8 * fabs(r->loglik));
            assert_true(fabs(mod.aicc - r->aicc) <= 1e-8 * fabs(r->aicc));
        }
        assert_true(dmax <= 1e-6 * scale);
        free(mean);
        free(qv);
        tsrec__ets_model_free(ctx, &mod);
    }
    printf("# model agreement %d/%d\n", agree, nr);
    free_refs(refs, nr);
    tu_ctx_free_checked(ctx);
}

/* ---- direct checks --------------------------------------------------------- */

/* Textbook form of each recursion class (Hyndman et al. 2008, Table 2.3
 * with R's beta = alpha * beta*), written independently of ets_calc. */
static double naive_lik(const double *y, int n, int m, int et, int tt, int st, int damped,
                        double a, double b, double g, double phi, const double *x0,
                        double *fit)
{
    double l = x0[0], bb = tt ? x0[1] : 0.0, s[64];
    int off = 1 + (tt != 0);
    for (int k = 0; k < m; k++)
        s[k] = st ? x0[off + k] : 0.0; /* s[0] newest .. s[m-1] oldest */
    if (!damped)
        phi = 1.0;
    double sse = 0.0, sl = 0.0;
    for (int t = 0; t < n; t++) {
        double lp = tt == 0 ? l : tt == 1 ? l + phi * bb : l * pow(bb, phi);
        double so = st ? s[m - 1] : 0.0;
        double yh = st == 0 ? lp : st == 1 ? lp + so : lp * so;
        fit[t] = yh;
        double e = et == 1 ? y[t] - yh : (y[t] - yh) / yh;
        sse += e * e;
        sl += log(fabs(yh));
        double desea = st == 0 ? y[t] : st == 1 ? y[t] - so : y[t] / so;
        double nl = (1 - a) * lp + a * desea;
        if (tt == 1)
            bb = phi * bb + (b / a) * (nl - l - phi * bb);
        else if (tt == 2)
            bb = pow(bb, phi) + (b / a) * (nl / l - pow(bb, phi));
        if (st) {
            double ns = st == 1 ? so + g * (y[t] - lp - so) : so + g * (y[t] / lp - so);
            for (int k = m - 1; k > 0; k--)
                s[k] = s[k - 1];
            s[0] = ns;
        }
        l = nl;
    }
    return n * log(sse) + (et == 2 ? 2 * sl : 0.0);
}

static void test_recursions_vs_naive(void **state)
{
    (void)state;
    const int n = 60, m = 4;
    double y[60], e[60], f[60], fn[60];
    for (int t = 0; t < n; t++)
        y[t] = 50.0 + 0.5 * t + 5.0 * sin(2.0 * 3.14159265358979 * t / m) + (t % 3);
    int combos = 0;
    for (int et = 1; et <= 2; et++)
        for (int tt = 0; tt <= 2; tt++)
            for (int st = 0; st <= 2; st++)
                for (int d = 0; d <= 1; d++) {
                    if (tt == 0 && d)
                        continue;
                    double x0[8] = {50.0};
                    int k = 1;
                    if (tt)
                        x0[k++] = tt == 1 ? 0.4 : 1.01;
                    for (int j = 0; st && j < m; j++)
                        x0[k++] = st == 1 ? (j - 1.5) : 1.0 + 0.02 * (j - 1.5);
                    double phi = d ? 0.9 : 1.0;
                    double lik = tsrec__ets_calc(y, n, x0, m, et, tt, st, 0.3, 0.05, 0.1, phi,
                                                 e, f, NULL);
                    double ref = naive_lik(y, n, m, et, tt, st, d, 0.3, 0.05, 0.1, phi, x0, fn);
                    assert_true(fabs(lik - ref) < 1e-9 * fabs(ref) + 1e-9);
                    for (int t = 0; t < n; t++)
                        assert_true(fabs(f[t] - fn[t]) < 1e-9 * fabs(fn[t]));
                    combos++;
                }
    assert_int_equal(combos, 30);
}

static void test_admissible(void **state)
{
    (void)state;
    /* Non-seasonal: alpha in (1 - 1/phi, 1 + 1/phi). */
    assert_true(tsrec__ets_admissible(0.5, 0.1, 0, 1.0, 1, 1, 0));
    assert_false(tsrec__ets_admissible(2.5, 0.1, 0, 1.0, 1, 1, 0));
    assert_false(tsrec__ets_admissible(0.5, 3.5, 0, 1.0, 1, 1, 0));
    assert_false(tsrec__ets_admissible(0.5, 0.1, 0, 1.2, 1, 1, 0));
    /* Seasonal: ordinary HW values are admissible, gamma too large is not. */
    assert_true(tsrec__ets_admissible(0.3, 0.01, 0.1, 1.0, 12, 1, 1));
    assert_false(tsrec__ets_admissible(0.3, 0.01, 1.8, 1.0, 12, 1, 1));
    /* The root test itself: alpha + gamma > 2 puts a root outside. */
    assert_false(tsrec__ets_admissible(1.5, 0.0, 0.6, 1.0, 4, 0, 1));
    /* Bounds "both": beta <= alpha, gamma <= 1 - alpha, phi in [0.8, 0.98]. */
    assert_true(tsrec__ets_params_ok(0.3, 0.1, 0.2, 0.9, 12, 1, 1, 1));
    assert_false(tsrec__ets_params_ok(0.3, 0.4, 0.2, 0.9, 12, 1, 1, 1));
    assert_false(tsrec__ets_params_ok(0.9, 0.1, 0.2, 0.9, 12, 1, 1, 1));
    assert_false(tsrec__ets_params_ok(0.3, 0.1, 0.2, 0.99, 12, 1, 1, 1));
    assert_false(tsrec__ets_params_ok(0.00001, 0.0, 0.0, 1.0, 1, 0, 0, 0));
}

static void test_bad_input(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__ets_model mod;
    double y[30];
    for (int i = 0; i < 30; i++)
        y[i] = 10.0 + (i % 5);
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 0, 1, NULL, &mod), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__ets_fit(ctx, NULL, NULL, 5, 1, NULL, &mod), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 30, 0, NULL, &mod), TSREC_E_INVALID_ARG);
    y[7] = NAN;
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 30, 1, NULL, &mod), TSREC_E_NAN);
    y[7] = INFINITY;
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 30, 1, NULL, &mod), TSREC_E_NAN);
    y[7] = 0.0;
    tsrec__ets_spec sp;
    tsrec__ets_spec_init(&sp);
    assert_int_equal(tsrec__ets_spec_parse(&sp, NULL, "MNN"), TSREC_OK);
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 30, 1, &sp, &mod), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__ets_spec_parse(&sp, NULL, "ANM"), TSREC_OK);
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 30, 4, &sp, &mod), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__ets_spec_parse(&sp, NULL, "AAA"), TSREC_OK);
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 30, 26, &sp, &mod), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 30, 1, &sp, &mod), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__ets_spec_parse(&sp, NULL, "XYZ"), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__ets_spec_parse(&sp, NULL, "ZZ"), TSREC_E_INVALID_ARG);
    /* Zeros: multiplicative models are skipped, an additive one is chosen. */
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 30, 5, NULL, &mod), TSREC_OK);
    assert_int_equal(mod.error, TSREC__ETS_A);
    double fc[5];
    assert_int_equal(tsrec__ets_forecast(ctx, NULL, &mod, 0, NULL, 0, 0, 1, fc, NULL),
                     TSREC_E_INVALID_ARG);
    double qbad = 1.0, qv[5];
    assert_int_equal(tsrec__ets_forecast(ctx, NULL, &mod, 5, &qbad, 1, 0, 1, fc, qv),
                     TSREC_E_INVALID_ARG);
    tsrec__ets_model_free(ctx, &mod);
    /* m > 24 with season Z: non-seasonal, as R. */
    double w[120];
    for (int i = 0; i < 120; i++)
        w[i] = 100.0 + 10.0 * sin(i * 0.12) + 0.3 * i;
    assert_int_equal(tsrec__ets_fit(ctx, NULL, w, 120, 52, NULL, &mod), TSREC_OK);
    assert_int_equal(mod.season, TSREC__ETS_N);
    tsrec__ets_model_free(ctx, &mod);
    tu_ctx_free_checked(ctx);
}

static void test_constant_and_tiny(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__ets_model mod;
    double c[20];
    for (int i = 0; i < 20; i++)
        c[i] = 7.5;
    assert_int_equal(tsrec__ets_fit(ctx, NULL, c, 20, 12, NULL, &mod), TSREC_OK);
    assert_string_equal(mod.name, "ETS(A,N,N)");
    assert_int_equal(mod.kind, TSREC__ETS_FIT_CONSTANT);
    double fc[6], q[2] = {0.1, 0.9}, qv[12];
    assert_int_equal(tsrec__ets_forecast(ctx, NULL, &mod, 6, q, 2, 0, 1, fc, qv), TSREC_OK);
    for (int i = 0; i < 6; i++) {
        assert_true(fabs(fc[i] - 7.5) < 1e-12);
        assert_true(fabs(qv[i] - 7.5) < 1e-9 && fabs(qv[6 + i] - 7.5) < 1e-9);
    }
    tsrec__ets_model_free(ctx, &mod);
    /* One observation: SES fallback, flat forecast at that value. */
    double one = 3.0;
    assert_int_equal(tsrec__ets_fit(ctx, NULL, &one, 1, 1, NULL, &mod), TSREC_OK);
    assert_int_equal(tsrec__ets_forecast(ctx, NULL, &mod, 3, NULL, 0, 0, 1, fc, NULL),
                     TSREC_OK);
    assert_true(fabs(fc[0] - 3.0) < 1e-12);
    tsrec__ets_model_free(ctx, &mod);
    tu_ctx_free_checked(ctx);
}

/* Simulated intervals (M trend) bracket the point forecast and widen, and
 * are reproducible for a seed. */
static void test_simulated_intervals(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    double y[80];
    for (int i = 0; i < 80; i++)
        y[i] = 20.0 * pow(1.01, i) * (1.0 + 0.03 * sin(i * 1.7));
    tsrec__ets_spec sp;
    tsrec__ets_spec_init(&sp);
    assert_int_equal(tsrec__ets_spec_parse(&sp, NULL, "MMN"), TSREC_OK);
    sp.damped = 0;
    tsrec__ets_model mod;
    assert_int_equal(tsrec__ets_fit(ctx, NULL, y, 80, 1, &sp, &mod), TSREC_OK);
    assert_string_equal(mod.name, "ETS(M,M,N)");
    assert_false(tsrec__ets_analytic(&mod));
    double fc[12], q[3] = {0.1, 0.5, 0.9}, a[36], b[36];
    assert_int_equal(tsrec__ets_forecast(ctx, NULL, &mod, 12, q, 3, 2000, 7, fc, a), TSREC_OK);
    assert_int_equal(tsrec__ets_forecast(ctx, NULL, &mod, 12, q, 3, 2000, 7, fc, b), TSREC_OK);
    assert_memory_equal(a, b, sizeof a);
    for (int i = 0; i < 12; i++) {
        assert_true(a[i] < fc[i] && fc[i] < a[24 + i]);
        assert_true(a[12 + i] == fc[i]);
    }
    assert_true(a[24 + 11] - a[11] > a[24] - a[0]);
    tsrec__ets_model_free(ctx, &mod);
    tu_ctx_free_checked(ctx);
}

/* snaive(ts(c(5,7,6,9,8,10,12,11), frequency = 3), h = 5, level = 80)$upper
 * in R forecast 8.20. */
static void test_snaive_vs_r(void **state)
{
    (void)state;
    const double y[8] = {5, 7, 6, 9, 8, 10, 12, 11};
    const double up80[5] = {14.09295, 16.09295, 15.09295, 15.78830, 17.78830};
    double q = 0.9, mean[5], qv[5];
    assert_int_equal(tsrec__snaive_forecast(NULL, y, 8, 3, 5, &q, 1, mean, qv), TSREC_OK);
    for (int i = 0; i < 5; i++) {
        assert_true(fabs(mean[i] - y[5 + i % 3]) < 1e-12);
        assert_true(fabs(qv[i] - up80[i]) < 1e-5);
    }
    assert_int_equal(tsrec__snaive_forecast(NULL, y, 3, 3, 5, &q, 1, mean, qv),
                     TSREC_E_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recursions_vs_naive),
        cmocka_unit_test(test_admissible),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_constant_and_tiny),
        cmocka_unit_test(test_simulated_intervals),
        cmocka_unit_test(test_snaive_vs_r),
        cmocka_unit_test(test_against_r),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
