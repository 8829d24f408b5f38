/* Starting states for the ETS optimiser, as R forecast's initstate():
 * classical decomposition (n >= 3m) or a linear trend plus one Fourier pair
 * (4 <= n < 3m) for the seasonal part, then the level (and growth) from the
 * first max(10, 2m) seasonally adjusted points. The initial states are
 * free parameters afterwards, so only the optimiser's path depends on
 * them; the arithmetic follows R's order (moving-average filter, mean with
 * a correction pass) to start from the same point. */
#include <math.h>
#include <string.h>

#include "ets_internal.h"

#define ETS_TWO_PI 6.283185307179586476925286766559

double tsrec__r_mean(const double *x, int64_t n)
{
    long double s = 0.0L;
    for (int64_t i = 0; i < n; i++)
        s += x[i];
    s /= (long double)n;
    if (isfinite((double)s)) {
        long double t = 0.0L;
        for (int64_t i = 0; i < n; i++)
            t += x[i] - s;
        s += t / (long double)n;
    }
    return (double)s;
}

/* R's decompose(): seasonal figure fig[0..m-1] (positions 1..m of the
 * series). tr is n scratch values. */
static void decompose(const double *y, int64_t n, int32_t m, int mult, double *tr,
                      double *fig)
{
    double filt[TSREC__ETS_MAX_M + 1];
    int32_t nf;
    if (m % 2 == 0) {
        nf = m + 1;
        filt[0] = 0.5 / (double)m;
        for (int32_t j = 1; j < m; j++)
            filt[j] = 1.0 / (double)m;
        filt[m] = 0.5 / (double)m;
    } else {
        nf = m;
        for (int32_t j = 0; j < m; j++)
            filt[j] = 1.0 / (double)m;
    }
    const int64_t shift = nf / 2;
    for (int64_t i = 0; i < n; i++) {
        if (i + shift - (nf - 1) < 0 || i + shift >= n) {
            tr[i] = NAN;
            continue;
        }
        double z = 0.0;
        for (int32_t j = 0; j < nf; j++)
            z += filt[j] * y[i + shift - j];
        tr[i] = z;
    }
    /* Detrended values, averaged by position in the cycle (NaN dropped). */
    for (int32_t k = 0; k < m; k++) {
        long double s = 0.0L;
        int64_t cnt = 0;
        /* Two passes as R's mean: sum then correction, without storing
         * more than a block at a time. */
        for (int64_t i = k; i < n; i += m) {
            if (isnan(tr[i]))
                continue;
            double v = mult ? y[i] / tr[i] : y[i] - tr[i];
            s += v;
            cnt++;
        }
        s /= (long double)cnt;
        long double t = 0.0L;
        for (int64_t i = k; i < n; i += m) {
            if (isnan(tr[i]))
                continue;
            double v = mult ? y[i] / tr[i] : y[i] - tr[i];
            t += v - s;
        }
        s += t / (long double)cnt;
        fig[k] = (double)s;
    }
    double mf = tsrec__r_mean(fig, m);
    for (int32_t k = 0; k < m; k++)
        fig[k] = mult ? fig[k] / mf : fig[k] - mf;
}

/* Least squares by Householder QR on an n x p design (p <= 4) stored
 * column-major in a (destroyed); rhs in b (destroyed). coef gets p values.
 * Returns 0, or -1 if the design is rank deficient. */
static int small_lstsq(double *a, double *b, int64_t n, int p, double *coef)
{
    for (int k = 0; k < p; k++) {
        double *ak = a + k * n;
        double nrm = 0.0;
        for (int64_t i = k; i < n; i++)
            nrm += ak[i] * ak[i];
        nrm = sqrt(nrm);
        if (nrm == 0.0)
            return -1;
        double alpha = ak[k] > 0 ? -nrm : nrm;
        double v0 = ak[k] - alpha;
        /* v = (v0, ak[k+1..]) ; H = I - 2 v v' / (v'v) */
        double vv = v0 * v0;
        for (int64_t i = k + 1; i < n; i++)
            vv += ak[i] * ak[i];
        if (vv == 0.0)
            return -1;
        for (int j = k + 1; j < p; j++) {
            double *aj = a + j * n;
            double d = v0 * aj[k];
            for (int64_t i = k + 1; i < n; i++)
                d += ak[i] * aj[i];
            d = 2.0 * d / vv;
            aj[k] -= d * v0;
            for (int64_t i = k + 1; i < n; i++)
                aj[i] -= d * ak[i];
        }
        double d = v0 * b[k];
        for (int64_t i = k + 1; i < n; i++)
            d += ak[i] * b[i];
        d = 2.0 * d / vv;
        b[k] -= d * v0;
        for (int64_t i = k + 1; i < n; i++)
            b[i] -= d * ak[i];
        ak[k] = alpha;
    }
    for (int k = p - 1; k >= 0; k--) {
        double s = b[k];
        for (int j = k + 1; j < p; j++)
            s -= a[j * n + k] * coef[j];
        if (fabs(a[k * n + k]) < 1e-7 * fabs(a[0]))
            return -1;
        coef[k] = s / a[k * n + k];
    }
    return 0;
}

int tsrec__ets_initstate(tsrec_ctx *ctx, tsrec__handle *eh, const double *y, int64_t n,
                         int32_t m, int32_t trend, int32_t season, double *x,
                         int32_t *out_count)
{
    const int has_s = season != TSREC__ETS_N;
    int32_t mm = has_s ? m : 1;
    int32_t cnt = 0;
    double *ysa = NULL, *work = NULL;
    size_t bytes;
    if (tsrec__mul_size((size_t)n, 6 * sizeof(double), &bytes))
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets: series too long");
    work = tsrec__alloc(ctx, bytes);
    if (!work)
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets: out of memory (initial states)");
    ysa = work;
    double *seas = work + n; /* R's y.d$seasonal */
    double *scratch = work + 2 * n; /* 4n: trend or the regression design */
    double init_seas[TSREC__ETS_MAX_M];

    if (has_s) {
        const int mult = season == TSREC__ETS_M;
        if (n < 4) {
            tsrec__free(ctx, work);
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "ets: not enough data for a seasonal model (n < 4)");
        }
        if (n < 3 * (int64_t)m) {
            /* y ~ trend + sin + cos at the seasonal frequency (the sine is
             * dropped when m == 2: it is zero at every t). */
            int p = m == 2 ? 3 : 4;
            double *a = scratch, *b = ysa, coef[4] = {0, 0, 0, 0};
            for (int64_t i = 0; i < n; i++) {
                double t = (double)(i + 1), ang = ETS_TWO_PI * t / (double)m;
                a[i] = 1.0;
                a[n + i] = t;
                if (p == 4) {
                    a[2 * n + i] = sin(ang);
                    a[3 * n + i] = cos(ang);
                } else {
                    a[2 * n + i] = cos(ang);
                }
                b[i] = y[i];
            }
            if (small_lstsq(a, b, n, p, coef) != 0) {
                tsrec__free(ctx, work);
                return tsrec__fail(eh, TSREC_E_NUMERIC,
                                   "ets: seasonal start regression is singular");
            }
            for (int64_t i = 0; i < n; i++) {
                double lin = coef[0] + coef[1] * (double)(i + 1);
                seas[i] = mult ? y[i] / lin : y[i] - lin;
            }
        } else {
            double fig[TSREC__ETS_MAX_M];
            decompose(y, n, m, mult, scratch, fig);
            for (int64_t i = 0; i < n; i++)
                seas[i] = fig[i % m];
        }
        for (int32_t k = 0; k < m - 1; k++)
            init_seas[k] = seas[m - 1 - k]; /* rev(seasonal[2:m]) */
        if (mult) {
            double s = 0.0, s2 = 0.0;
            for (int32_t k = 0; k < m - 1; k++) {
                if (init_seas[k] < 1e-2)
                    init_seas[k] = 1e-2;
                s += init_seas[k];
            }
            if (s > (double)m) {
                for (int32_t k = 0; k < m - 1; k++)
                    s2 += init_seas[k] + 1e-2;
                for (int32_t k = 0; k < m - 1; k++)
                    init_seas[k] /= s2;
            }
            for (int64_t i = 0; i < n; i++)
                ysa[i] = y[i] / (seas[i] > 1e-2 ? seas[i] : 1e-2);
        } else {
            for (int64_t i = 0; i < n; i++)
                ysa[i] = y[i] - seas[i];
        }
    } else {
        memcpy(ysa, y, (size_t)n * sizeof(double));
    }

    int64_t maxn = 2 * (int64_t)mm > 10 ? 2 * (int64_t)mm : 10;
    if (maxn > n)
        maxn = n;
    if (trend == TSREC__ETS_N) {
        x[cnt++] = tsrec__r_mean(ysa, maxn);
    } else {
        /* lsfit(1:maxn, y.sa[1:maxn]): centred closed form. */
        double xb = ((double)maxn + 1.0) / 2.0, yb = tsrec__r_mean(ysa, maxn);
        double sxy = 0.0, sxx = 0.0;
        for (int64_t i = 0; i < maxn; i++) {
            double dx = (double)(i + 1) - xb;
            sxy += dx * (ysa[i] - yb);
            sxx += dx * dx;
        }
        double slope = sxx > 0.0 ? sxy / sxx : 0.0;
        double icpt = yb - slope * xb;
        double l0, b0;
        if (trend == TSREC__ETS_A) {
            l0 = icpt;
            b0 = slope;
            if (fabs(l0 + b0) < 1e-8) {
                l0 *= 1.0 + 1e-3;
                b0 *= 1.0 - 1e-3;
            }
        } else {
            l0 = icpt + slope;
            if (fabs(l0) < 1e-8)
                l0 = 1e-7;
            b0 = (icpt + 2.0 * slope) / l0;
            l0 = l0 / b0;
            if (fabs(b0) > 1e10)
                b0 = b0 > 0 ? 1e10 : -1e10;
            if (l0 < 1e-8 || b0 < 1e-8) {
                l0 = ysa[0] > 1e-3 ? ysa[0] : 1e-3;
                double r = n > 1 ? ysa[1] / ysa[0] : 1.0;
                b0 = r > 1e-3 ? r : 1e-3;
            }
        }
        x[cnt++] = l0;
        x[cnt++] = b0;
    }
    if (has_s)
        for (int32_t k = 0; k < m - 1; k++)
            x[cnt++] = init_seas[k];
    *out_count = cnt;
    tsrec__free(ctx, work);
    return TSREC_OK;
}
