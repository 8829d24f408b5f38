/* forecast.ets: point forecasts and prediction-interval bounds as R
 * forecast 8.20 computes them. Analytic variances (Hyndman et al. 2008):
 * class 1 (additive error, trend N/A/Ad, season N/A), class 2
 * (multiplicative error, same components), class 3 (multiplicative error
 * and season, trend N/A/Ad); bounds mean -+ |qnorm((100 - level) / 200)|
 * * sd. Other models (multiplicative trend) simulate npaths paths with
 * Gaussian innovations (floored at -1 for multiplicative errors) and take
 * type-8 sample quantiles; their point forecast is the deterministic
 * recursion. Class 1 keeps R's placement of gamma in the third element of
 * G even without a trend (R's own indexing), so intervals match R. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "distributions_internal.h"
#include "ets_internal.h"
#include "rng_internal.h"

#define ETS_NPATHS_DEFAULT 5000

int tsrec__ets_analytic(const tsrec__ets_model *mod)
{
    if (mod->trend == TSREC__ETS_M)
        return 0;
    if (mod->season != TSREC__ETS_M)
        return 1; /* classes 1 and 2 */
    return mod->error == TSREC__ETS_M; /* class 3 */
}

/* Class 1 means and variances; cj[h] gets R's c_j (cj[0..h-2]). */
static void class1(const tsrec__ets_model *mod, int64_t h, double *mu, double *var,
                   double *cj)
{
    const int p = mod->nstates, m = mod->m;
    const int has_b = mod->trend == TSREC__ETS_A, has_s = mod->season == TSREC__ETS_A;
    const double phi = mod->damped ? mod->phi : 1.0;
    double H[TSREC__ETS_MAX_STATES] = {0}, G[TSREC__ETS_MAX_STATES] = {0};
    double r[TSREC__ETS_MAX_STATES], nr[TSREC__ETS_MAX_STATES];
    H[0] = 1.0;
    if (has_s)
        H[p - 1] = 1.0;
    if (has_b)
        H[1] = phi;
    G[0] = mod->alpha;
    if (has_b)
        G[1] = mod->beta;
    if (has_s)
        G[2] = mod->gamma;
    memcpy(r, H, sizeof r);
    double cum = 0.0;
    for (int64_t i = 0; i < h; i++) {
        double a = 0.0, c = 0.0;
        for (int k = 0; k < p; k++) {
            a += r[k] * mod->last_state[k];
            c += r[k] * G[k];
        }
        mu[i] = a;
        var[i] = i == 0 ? mod->sigma2 : mod->sigma2 * (1.0 + cum);
        if (i < h - 1) {
            cj[i] = c;
            cum += c * c;
        }
        /* r <- r F */
        memset(nr, 0, sizeof nr);
        nr[0] = r[0];
        if (has_b)
            nr[1] = phi * r[0] + phi * r[1];
        if (has_s) {
            /* F[p-m, p-1] = 1; F[p-m+1+i, p-m+i] = 1 */
            nr[p - 1] += r[p - m];
            for (int i2 = 0; i2 < m - 1; i2++)
                nr[p - m + i2] += r[p - m + 1 + i2];
        }
        memcpy(r, nr, sizeof r);
    }
}

static void class2(const tsrec__ets_model *mod, int64_t h, double *mu, double *var,
                   double *cj, double *theta)
{
    class1(mod, h, mu, var, cj);
    const double s2 = mod->sigma2;
    for (int64_t j = 0; j < h; j++) {
        double t = mu[j] * mu[j], acc = 0.0;
        for (int64_t k = 0; k < j; k++)
            acc += cj[k] * cj[k] * theta[j - 1 - k];
        theta[j] = t + s2 * acc;
        var[j] = (1.0 + s2) * theta[j] - mu[j] * mu[j];
    }
}

/* out = A B for A (r x k), B (k x c), row-major, skipping zeros of A. */
static void mm(const double *A, const double *B, double *out, int r, int k, int c)
{
    memset(out, 0, sizeof(double) * (size_t)(r * c));
    for (int i = 0; i < r; i++)
        for (int t = 0; t < k; t++) {
            double a = A[i * k + t];
            if (a == 0.0)
                continue;
            for (int j = 0; j < c; j++)
                out[i * c + j] += a * B[t * c + j];
        }
}

/* out = X A' for X (r x k), A (c x k), skipping zeros of A. */
static void mmt(const double *X, const double *A, double *out, int r, int k, int c)
{
    memset(out, 0, sizeof(double) * (size_t)(r * c));
    for (int j = 0; j < c; j++)
        for (int t = 0; t < k; t++) {
            double a = A[j * k + t];
            if (a == 0.0)
                continue;
            for (int i = 0; i < r; i++)
                out[i * c + j] += X[i * k + t] * a;
        }
}

/* Kronecker product A (ra x ca) x B (rb x cb). */
static void kron(const double *A, int ra, int ca, const double *B, int rb, int cb,
                 double *out)
{
    int cc = ca * cb;
    for (int ia = 0; ia < ra; ia++)
        for (int ja = 0; ja < ca; ja++)
            for (int ib = 0; ib < rb; ib++)
                for (int jb = 0; jb < cb; jb++)
                    out[(ia * rb + ib) * cc + ja * cb + jb] = A[ia * ca + ja] * B[ib * cb + jb];
}

/* X <- A X A' (q x q) through tmp. */
static void sandwich(const double *A, const double *X, double *tmp, double *out, int q)
{
    mm(A, X, tmp, q, q, q);
    mmt(tmp, A, out, q, q, q);
}

static int class3(tsrec_ctx *ctx, const tsrec__ets_model *mod, int64_t h, double *mu,
                  double *var)
{
    const int m = mod->m, r1 = mod->trend == TSREC__ETS_N ? 1 : 2, q = r1 * m;
    const double s2 = mod->sigma2, phi = mod->damped ? mod->phi : 1.0;
    size_t qq = (size_t)q * (size_t)q;
    double *w = tsrec__calloc(ctx, 10 * qq + 2 * (size_t)(m * m), sizeof(double));
    if (!w)
        return TSREC_E_NOMEM;
    double *F21 = w, *G21 = w + qq, *K = w + 2 * qq, *Vh = w + 3 * qq, *T = w + 4 * qq;
    double *acc = w + 5 * qq, *tmp2 = w + 6 * qq, *X = w + 7 * qq, *Y = w + 8 * qq;
    double *KK = w + 9 * qq, *F2 = w + 10 * qq, *G2 = F2 + m * m;
    double F1[4], G1[4], Mh[2 * TSREC__ETS_MAX_M], nM[2 * TSREC__ETS_MAX_M];
    double v[2 * TSREC__ETS_MAX_M];
    if (r1 == 1) {
        F1[0] = 1.0;
        G1[0] = mod->alpha;
    } else {
        F1[0] = 1.0; F1[1] = 1.0; F1[2] = 0.0; F1[3] = phi;
        G1[0] = mod->alpha; G1[1] = mod->alpha; G1[2] = mod->beta; G1[3] = mod->beta;
    }
    F2[m - 1] = 1.0;
    for (int i = 1; i < m; i++)
        F2[i * m + i - 1] = 1.0;
    G2[m - 1] = mod->gamma;
    kron(F2, m, m, F1, r1, r1, F21);
    kron(G2, m, m, G1, r1, r1, G21);
    kron(G2, m, m, F1, r1, r1, K);
    kron(F2, m, m, G1, r1, r1, KK);
    for (size_t i = 0; i < qq; i++)
        K[i] += KK[i];
    /* Mh = (l, b)' (s1..sm) */
    const double *ls = mod->last_state, *ss = mod->last_state + r1;
    for (int i = 0; i < r1; i++)
        for (int j = 0; j < m; j++)
            Mh[i * m + j] = ls[i] * ss[j];
    for (int64_t step = 0; step < h; step++) {
        double mui = 0.0;
        for (int i = 0; i < r1; i++)
            mui += Mh[i * m + m - 1];
        mu[step] = mui;
        /* H21 picks the entries of the last season column block. */
        double hv = 0.0;
        for (int a = (m - 1) * r1; a < q; a++)
            for (int b = (m - 1) * r1; b < q; b++)
                hv += Vh[a * q + b];
        var[step] = (1.0 + s2) * hv + s2 * mui * mui;
        if (step == h - 1)
            break;
        for (int j = 0; j < m; j++) /* vec(Mh), column-major */
            for (int i = 0; i < r1; i++)
                v[j * r1 + i] = Mh[i * m + j];
        sandwich(F21, Vh, T, acc, q); /* F21 Vh F21' */
        mm(F21, Vh, T, q, q, q);
        mmt(T, G21, X, q, q, q); /* F21 Vh G21' */
        mm(G21, Vh, T, q, q, q);
        mmt(T, F21, Y, q, q, q); /* G21 Vh F21' */
        for (int a = 0; a < q; a++)
            for (int b = 0; b < q; b++) {
                tmp2[a * q + b] = Vh[a * q + b] + v[a] * v[b];
                KK[a * q + b] = 3.0 * Vh[a * q + b] + 2.0 * v[a] * v[b];
            }
        double *S1 = Vh; /* Vh no longer needed: reuse for the K term */
        sandwich(K, tmp2, T, S1, q);
        sandwich(G21, KK, T, tmp2, q);
        for (size_t i = 0; i < qq; i++)
            Vh[i] = acc[i] + s2 * (X[i] + Y[i] + S1[i] + s2 * tmp2[i]);
        /* Mh <- F1 Mh F2' + G1 Mh G2' s2 */
        double A1[2 * TSREC__ETS_MAX_M], A2[2 * TSREC__ETS_MAX_M];
        mm(F1, Mh, A1, r1, r1, m);
        mmt(A1, F2, nM, r1, m, m);
        mm(G1, Mh, A1, r1, r1, m);
        mmt(A1, G2, A2, r1, m, m);
        for (int i = 0; i < r1 * m; i++)
            Mh[i] = nM[i] + A2[i] * s2;
    }
    tsrec__free(ctx, w);
    return TSREC_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's quantile(type = 8) of sorted v[n] at probability p. */
static double quantile8(const double *v, int64_t n, double p)
{
    const double fuzz = 4.0 * 2.220446049250313e-16;
    double nppm = (1.0 / 3.0) + p * ((double)n + 1.0 / 3.0);
    double j = floor(nppm + fuzz);
    double g = nppm - j;
    if (fabs(g) < fuzz)
        g = 0.0;
    int64_t lo = (int64_t)j, hi = lo + 1; /* 1-based order statistics */
    if (lo < 1)
        lo = 1;
    if (lo > n)
        lo = n;
    if (hi < 1)
        hi = 1;
    if (hi > n)
        hi = n;
    double a = v[lo - 1], b = v[hi - 1];
    return g == 0.0 ? a : (1.0 - g) * a + g * b;
}

static int simulate_quantiles(tsrec_ctx *ctx, const tsrec__ets_model *mod, int64_t h,
                              const double *q, int32_t nq, int64_t npaths, uint64_t seed,
                              double *quant)
{
    size_t cells;
    if (tsrec__mul_size((size_t)npaths, (size_t)h, &cells) ||
        cells > SIZE_MAX / sizeof(double) - 2 * (size_t)h)
        return TSREC_E_NOMEM;
    double *paths = tsrec__alloc(ctx, (cells + 2 * (size_t)h) * sizeof(double));
    if (!paths)
        return TSREC_E_NOMEM;
    double *e = paths + cells, *yp = e + h;
    tsrec__rng rng;
    tsrec__rng_seed(&rng, seed);
    const double sd = sqrt(mod->sigma2);
    int64_t good = 0;
    for (int64_t p = 0; p < npaths; p++) {
        for (int64_t i = 0; i < h; i++) {
            double v = tsrec__rng_normal(&rng, 0.0, sd);
            e[i] = mod->error == TSREC__ETS_M && v < -1.0 ? -1.0 : v;
        }
        if (tsrec__ets_simulate(mod->last_state, mod->m, mod->error, mod->trend, mod->season,
                                mod->alpha, mod->beta, mod->gamma,
                                mod->damped ? mod->phi : 1.0, h, e, yp) != 0)
            continue;
        int finite = 1;
        for (int64_t i = 0; i < h; i++)
            finite &= isfinite(yp[i]) != 0;
        if (!finite)
            continue;
        /* column-major by horizon so each horizon sorts contiguously */
        for (int64_t i = 0; i < h; i++)
            paths[i * npaths + good] = yp[i];
        good++;
    }
    for (int64_t i = 0; i < h; i++) {
        double *col = paths + i * npaths;
        if (good > 0)
            qsort(col, (size_t)good, sizeof(double), cmp_double);
        for (int32_t k = 0; k < nq; k++)
            if (q[k] != 0.5 || good == 0)
                quant[(int64_t)k * h + i] = good > 0 ? quantile8(col, good, q[k]) : NAN;
    }
    tsrec__free(ctx, paths);
    return TSREC_OK;
}

int tsrec__ets_forecast(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__ets_model *mod,
                        int64_t h, const double *q, int32_t nq, int64_t npaths,
                        uint64_t seed, double *mean, double *quant)
{
    if (!ctx || !mod || !mean || (nq > 0 && (!q || !quant)) || nq < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets_forecast: NULL argument");
    if (h < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets_forecast: horizon must be >= 1");
    for (int32_t k = 0; k < nq; k++)
        if (!(q[k] > 0.0 && q[k] < 1.0))
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "ets_forecast: quantile %d must be in (0, 1)", (int)k);
    if (npaths <= 0)
        npaths = ETS_NPATHS_DEFAULT;
    const int analytic = tsrec__ets_analytic(mod);
    size_t bytes;
    if (tsrec__mul_size((size_t)h, 4 * sizeof(double), &bytes))
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets_forecast: horizon too long");
    double *w = tsrec__alloc(ctx, bytes);
    if (!w)
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets_forecast: out of memory");
    double *var = w + h, *cj = w + 2 * h, *theta = w + 3 * h;
    int st = TSREC_OK;
    if (!analytic) {
        tsrec__ets_point(mod->last_state, mod->m, mod->trend, mod->season,
                         mod->damped ? mod->phi : 1.0, h, mean);
        for (int64_t i = 0; i < h; i++)
            if (isnan(mean[i]))
                st = tsrec__fail(eh, TSREC_E_NUMERIC,
                                 "ets_forecast: problem with multiplicative damped trend");
        if (st == TSREC_OK && nq > 0) {
            st = simulate_quantiles(ctx, mod, h, q, nq, npaths, seed, quant);
            if (st != TSREC_OK)
                st = tsrec__fail(eh, st, "ets_forecast: out of memory (simulation)");
            for (int32_t k = 0; st == TSREC_OK && k < nq; k++)
                if (q[k] == 0.5)
                    memcpy(quant + (int64_t)k * h, mean, (size_t)h * sizeof(double));
        }
        tsrec__free(ctx, w);
        return st;
    }
    if (mod->season == TSREC__ETS_M) {
        st = class3(ctx, mod, h, mean, var);
        if (st != TSREC_OK) {
            tsrec__free(ctx, w);
            return tsrec__fail(eh, st, "ets_forecast: out of memory");
        }
    } else if (mod->error == TSREC__ETS_A) {
        class1(mod, h, mean, var, cj);
    } else {
        class2(mod, h, mean, var, cj, theta);
    }
    for (int32_t k = 0; k < nq; k++) {
        double level = 100.0 * fabs(2.0 * q[k] - 1.0);
        double z = fabs(tsrec__norm_ppf((100.0 - level) / 200.0));
        double sgn = q[k] < 0.5 ? -1.0 : 1.0;
        for (int64_t i = 0; i < h; i++)
            quant[(int64_t)k * h + i] =
                q[k] == 0.5 ? mean[i] : mean[i] + sgn * sqrt(var[i]) * z;
    }
    tsrec__free(ctx, w);
    return TSREC_OK;
}
