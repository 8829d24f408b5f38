/* The optimiser's criterion: tsrec__ets_calc's lik value without its
 * by-products (errors, forecasts, states). It runs on every Nelder-Mead
 * step (~20000 times per series in the automatic search), so:
 *   - one loop per model type (ets_lik_models.h / ets_lik_template.h), no
 *     model branches inside, seasons in a flat buffer instead of a ring,
 *     no log of the forecasts for additive errors (lik does not use it);
 *   - up to 4 parameter sets per pass: the recursion is a chain of
 *     dependent additions and multiplications (latency-bound), so
 *     independent chains in one loop cost little more than one (the
 *     optimiser evaluates its candidate points in batches, ets_nm.c).
 * Each lane's arithmetic is tsrec__ets_calc's, operation for operation:
 * the optimiser's path depends on the last bit of the criterion, so the
 * results are bit-identical (tested). Where tsrec__ets_calc stops early
 * with NaN (an undefined forecast), a lane runs on and ends NaN: a NaN
 * forecast makes the error sum NaN, and a negative multiplicative growth
 * is flagged. */
#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ets_internal.h"

#define ETS_TOL 1.0e-10
#define ETS_HUGE 1.0e10

typedef struct lane_state {
    double l, b;          /* level and growth */
    double alpha, gamma, phi, ratio; /* ratio = beta / alpha (R's update) */
    double sse, slog;     /* sum of squared errors, of log |forecast| */
    int phi_one;          /* |phi - 1| < tol: the M growth update uses b */
    int bad;              /* negative M growth met: the result is NaN */
} lane_state;

static void lane_init(lane_state *s, const tsrec__ets_lane *ln, int has_b)
{
    s->l = ln->x0[0];
    s->b = has_b ? ln->x0[1] : 0.0;
    s->alpha = ln->alpha;
    s->gamma = ln->gamma;
    s->phi = ln->phi;
    s->ratio = has_b ? ln->beta / ln->alpha : 0.0;
    s->sse = 0.0;
    s->slog = 0.0;
    s->phi_one = fabs(ln->phi - 1.0) < ETS_TOL;
    s->bad = 0;
}

/* One step of the recursion for observation yt with s_{t-m} = olds; returns
 * the new season (0 without season). E, T, S are constants at every call. */
static inline double lik_step(lane_state *s, double yt, double olds, int E, int T, int S)
{
    const double oldl = s->l, oldb = s->b;
    /* One-step forecast fc and its level part q (phib: the damped growth
     * added or multiplied in). */
    double q, phib = 0.0, fc;
    if (T == TSREC__ETS_N) {
        q = oldl;
        fc = q;
    } else if (T == TSREC__ETS_A) {
        phib = s->phi * oldb;
        q = oldl + phib;
        fc = q;
    } else {
        if (oldb < 0.0)
            s->bad = 1;
        const double pw = pow(oldb, s->phi);
        fc = oldl * pw;
        phib = s->phi_one ? oldb : pw;
        q = oldl * phib;
    }
    if (S == TSREC__ETS_A)
        fc += olds;
    else if (S == TSREC__ETS_M)
        fc *= olds;
    const double et = E == TSREC__ETS_A ? yt - fc : (yt - fc) / fc;

    double p;
    if (S == TSREC__ETS_N)
        p = yt;
    else if (S == TSREC__ETS_A)
        p = yt - olds;
    else
        p = fabs(olds) < ETS_TOL ? ETS_HUGE : yt / olds;
    s->l = q + s->alpha * (p - q);
    if (T != TSREC__ETS_N) {
        double r;
        if (T == TSREC__ETS_A)
            r = s->l - oldl;
        else
            r = fabs(oldl) < ETS_TOL ? ETS_HUGE : s->l / oldl;
        s->b = phib + s->ratio * (r - phib);
    }
    double news = 0.0;
    if (S != TSREC__ETS_N) {
        double u;
        if (S == TSREC__ETS_A)
            u = yt - q;
        else
            u = fabs(q) < ETS_TOL ? ETS_HUGE : yt / q;
        news = olds + s->gamma * (u - olds);
    }
    s->sse += et * et;
    if (E == TSREC__ETS_M)
        s->slog += log(fabs(fc));
    return news;
}

static double lane_lik(const lane_state *s, int64_t n, int E)
{
    if (s->bad)
        return NAN;
    double lik = (double)n * log(s->sse);
    if (E == TSREC__ETS_M)
        lik += 2.0 * s->slog;
    return lik;
}

#define LIK_XCAT(a, k) lik_##a##_##k
#define LIK_CAT(a, k) LIK_XCAT(a, k)
#define LIK_NAME(a) LIK_CAT(a, LIK_K)

#define LIK_K 1
#include "ets_lik_models.h"
#undef LIK_K
#define LIK_K 4
#include "ets_lik_models.h"
#undef LIK_K

typedef void (*lik_fn)(const double *restrict y, int64_t n, int32_t m,
                       const tsrec__ets_lane *restrict lanes, double *restrict sbuf,
                       double *restrict out);

/* [lanes 1 / 4][error - 1][trend][season] */
static const lik_fn LIK_TABLE[2][2][3][3] = {
    {{{lik_ann_1, lik_ana_1, lik_anm_1},
      {lik_aan_1, lik_aaa_1, lik_aam_1},
      {lik_amn_1, lik_ama_1, lik_amm_1}},
     {{lik_mnn_1, lik_mna_1, lik_mnm_1},
      {lik_man_1, lik_maa_1, lik_mam_1},
      {lik_mmn_1, lik_mma_1, lik_mmm_1}}},
    {{{lik_ann_4, lik_ana_4, lik_anm_4},
      {lik_aan_4, lik_aaa_4, lik_aam_4},
      {lik_amn_4, lik_ama_4, lik_amm_4}},
     {{lik_mnn_4, lik_mna_4, lik_mnm_4},
      {lik_man_4, lik_maa_4, lik_mam_4},
      {lik_mmn_4, lik_mma_4, lik_mmm_4}}},
};

#ifdef __SSE2__
/* Four lanes of an additive-error model with trend and season N or A (the
 * additive part of the default search) in SSE2 registers, two lanes each:
 * packed additions and multiplications round each lane exactly as the
 * scalar ones (no contraction into fused operations in C11 mode), so the
 * lanes are bit-identical to lik_step, with half the instructions and no
 * spilled states. Without damping (phi = 1 in every lane) phi * b is b
 * exactly, and the multiplication leaves the recursion's critical path. */
static inline void add_step(__m128d *l, __m128d *b, __m128d *sse, __m128d *sold,
                            __m128d yt, __m128d alpha, __m128d ratio, __m128d gamma,
                            __m128d phi, int T, int S, int damped)
{
    const __m128d oldl = *l, oldb = *b;
    __m128d phib = _mm_setzero_pd(), q = oldl, fc;
    if (T == TSREC__ETS_A) {
        phib = damped ? _mm_mul_pd(phi, oldb) : oldb;
        q = _mm_add_pd(oldl, phib);
    }
    fc = S == TSREC__ETS_A ? _mm_add_pd(q, *sold) : q;
    const __m128d et = _mm_sub_pd(yt, fc);
    const __m128d p = S == TSREC__ETS_A ? _mm_sub_pd(yt, *sold) : yt;
    *l = _mm_add_pd(q, _mm_mul_pd(alpha, _mm_sub_pd(p, q)));
    if (T == TSREC__ETS_A) {
        const __m128d r = _mm_sub_pd(*l, oldl);
        *b = _mm_add_pd(phib, _mm_mul_pd(ratio, _mm_sub_pd(r, phib)));
    }
    if (S == TSREC__ETS_A) {
        const __m128d u = _mm_sub_pd(yt, q);
        *sold = _mm_add_pd(*sold, _mm_mul_pd(gamma, _mm_sub_pd(u, *sold)));
    }
    *sse = _mm_add_pd(*sse, _mm_mul_pd(et, et));
}

static void add_lanes4(const double *y, int64_t n, int32_t m, const tsrec__ets_lane *ln,
                       double *sbuf, double *out, int T, int S, int damped)
{
    double v[7][4];
    const int has_b = T != TSREC__ETS_N;
    lane_state st[4];
    for (int k = 0; k < 4; k++) {
        lane_init(&st[k], &ln[k], has_b);
        v[0][k] = st[k].l;
        v[1][k] = st[k].b;
        v[2][k] = st[k].alpha;
        v[3][k] = st[k].ratio;
        v[4][k] = st[k].gamma;
        v[5][k] = st[k].phi;
        if (S != TSREC__ETS_N)
            for (int32_t j = 0; j < m; j++)
                sbuf[j * 4 + k] = ln[k].x0[1 + has_b + (m - 1 - j)];
    }
    __m128d l0 = _mm_loadu_pd(&v[0][0]), l1 = _mm_loadu_pd(&v[0][2]);
    __m128d b0 = _mm_loadu_pd(&v[1][0]), b1 = _mm_loadu_pd(&v[1][2]);
    const __m128d a0 = _mm_loadu_pd(&v[2][0]), a1 = _mm_loadu_pd(&v[2][2]);
    const __m128d r0 = _mm_loadu_pd(&v[3][0]), r1 = _mm_loadu_pd(&v[3][2]);
    const __m128d g0 = _mm_loadu_pd(&v[4][0]), g1 = _mm_loadu_pd(&v[4][2]);
    const __m128d p0 = _mm_loadu_pd(&v[5][0]), p1 = _mm_loadu_pd(&v[5][2]);
    __m128d e0 = _mm_setzero_pd(), e1 = _mm_setzero_pd();
    __m128d s0 = _mm_setzero_pd(), s1 = _mm_setzero_pd();
    const double *sold = sbuf;
    double *snew = sbuf + (int64_t)m * 4;
    for (int64_t t = 0; t < n; t++) {
        const __m128d yt = _mm_set1_pd(y[t]);
        if (S != TSREC__ETS_N) {
            s0 = _mm_loadu_pd(sold);
            s1 = _mm_loadu_pd(sold + 2);
        }
        add_step(&l0, &b0, &e0, &s0, yt, a0, r0, g0, p0, T, S, damped);
        add_step(&l1, &b1, &e1, &s1, yt, a1, r1, g1, p1, T, S, damped);
        if (S != TSREC__ETS_N) {
            _mm_storeu_pd(snew, s0);
            _mm_storeu_pd(snew + 2, s1);
            sold += 4;
            snew += 4;
        }
    }
    _mm_storeu_pd(&v[6][0], e0);
    _mm_storeu_pd(&v[6][2], e1);
    for (int k = 0; k < 4; k++) {
        st[k].sse = v[6][k];
        out[k] = lane_lik(&st[k], n, TSREC__ETS_A);
    }
}

/* The SSE2 path when it applies; 0 if not. */
static int add_lanes4_dispatch(const double *y, int64_t n, int32_t m, int32_t error,
                               int32_t trend, int32_t season, const tsrec__ets_lane *ln,
                               double *work, double *out)
{
    if (error != TSREC__ETS_A || trend == TSREC__ETS_M || season == TSREC__ETS_M)
        return 0;
    int damped = 0;
    for (int k = 0; k < 4; k++)
        damped |= ln[k].phi != 1.0;
    const int code = (trend == TSREC__ETS_A) * 4 + (season == TSREC__ETS_A) * 2 + damped;
    /* Constant arguments in each call: one specialised loop per case. */
    switch (code) {
    case 0: case 1: add_lanes4(y, n, m, ln, work, out, TSREC__ETS_N, TSREC__ETS_N, 0); break;
    case 2: case 3: add_lanes4(y, n, m, ln, work, out, TSREC__ETS_N, TSREC__ETS_A, 0); break;
    case 4: add_lanes4(y, n, m, ln, work, out, TSREC__ETS_A, TSREC__ETS_N, 0); break;
    case 5: add_lanes4(y, n, m, ln, work, out, TSREC__ETS_A, TSREC__ETS_N, 1); break;
    case 6: add_lanes4(y, n, m, ln, work, out, TSREC__ETS_A, TSREC__ETS_A, 0); break;
    default: add_lanes4(y, n, m, ln, work, out, TSREC__ETS_A, TSREC__ETS_A, 1); break;
    }
    return 1;
}
#endif

static int codes_ok(int32_t error, int32_t trend, int32_t season)
{
    return error >= TSREC__ETS_A && error <= TSREC__ETS_M && trend >= TSREC__ETS_N &&
           trend <= TSREC__ETS_M && season >= TSREC__ETS_N && season <= TSREC__ETS_M;
}

void tsrec__ets_lik_lanes(const double *y, int64_t n, int32_t m, int32_t error,
                          int32_t trend, int32_t season, const tsrec__ets_lane *lanes,
                          int k, double *work, double *out)
{
    if (!codes_ok(error, trend, season) || k < 1 || k > 4) {
        for (int i = 0; i < k; i++)
            out[i] = NAN;
        return;
    }
    if (season == TSREC__ETS_N || m < 1)
        m = 1;
    if (k == 1) {
        LIK_TABLE[0][error - 1][trend][season](y, n, m, lanes, work, out);
        return;
    }
    /* Fewer than 4: pad with copies of the first lane. */
    tsrec__ets_lane pad[4];
    double res[4];
    for (int i = 0; i < 4; i++)
        pad[i] = lanes[i < k ? i : 0];
#ifdef __SSE2__
    if (!add_lanes4_dispatch(y, n, m, error, trend, season, pad, work, res))
#endif
        LIK_TABLE[1][error - 1][trend][season](y, n, m, pad, work, res);
    for (int i = 0; i < k; i++)
        out[i] = res[i];
}

double tsrec__ets_lik(const double *y, int64_t n, const double *x0, int32_t m,
                      int32_t error, int32_t trend, int32_t season, double alpha,
                      double beta, double gamma, double phi, double *work)
{
    tsrec__ets_lane ln = {alpha, beta, gamma, phi, x0};
    double out;
    tsrec__ets_lik_lanes(y, n, m, error, trend, season, &ln, 1, work, &out);
    return out;
}
