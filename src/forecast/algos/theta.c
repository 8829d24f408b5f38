/* The Theta method as R forecast::thetaf (8.20): SES with drift (Hyndman
 * and Billah, 2003) on the series, seasonally adjusted first when the
 * autocorrelation test finds seasonality:
 *   - seasonal when m > 1, the series is not constant, n > 2m and
 *     |r_m| / sqrt((1 + 2 sum_{k<m} r_k^2) / n) > qnorm(0.95), r_k the
 *     sample autocorrelations;
 *   - classical multiplicative decomposition (R's decompose): centred
 *     moving average of m points (m + 1 with half weights at the ends for
 *     even m), seasonal figure = mean of x / trend per position, divided
 *     by its mean; the series is divided by it (unless an index is below
 *     1e-4 in absolute value, then the method is not seasonal);
 *   - ses(): ETS(A,N,N) fitted on the mean squared error;
 *   - mean = SES forecast + b/2 * (i + (1 - (1 - alpha)^n) / alpha), b
 *     the least-squares slope on 0..n-1, times the last m seasonal
 *     indexes when seasonal;
 *   - bounds mean -+ z sqrt(sigma2) sqrt(i alpha^2 + 1), i = 0..h-1. */
#include <math.h>
#include <string.h>

#include "baselines_internal.h"
#include "distributions_internal.h"
#include "ets_internal.h"

/* R's is.constant (all.equal to the first value, tolerance 1.5e-8). */
static int constant_series(const double *y, int64_t n)
{
    long double d = 0.0L, s = 0.0L;
    for (int64_t i = 0; i < n; i++) {
        d += fabs(y[i] - y[0]);
        s += fabs(y[i]);
    }
    d /= (long double)n;
    s /= (long double)n;
    if (isfinite((double)s) && s > 1.5e-8L)
        d /= s;
    return d <= 1.5e-8L;
}

/* The autocorrelation test for seasonality of period m (n > 2m). */
static int seasonality_test(const double *y, int64_t n, int32_t m)
{
    const double mu = tsrec__r_mean(y, n);
    double c0 = 0.0;
    for (int64_t t = 0; t < n; t++)
        c0 += (y[t] - mu) * (y[t] - mu);
    double sum_sq = 0.0, rm = 0.0;
    for (int32_t k = 1; k <= m; k++) {
        double ck = 0.0;
        for (int64_t t = 0; t + k < n; t++)
            ck += (y[t] - mu) * (y[t + k] - mu);
        const double r = ck / c0;
        if (k < m)
            sum_sq += r * r;
        else
            rm = r;
    }
    const double stat = sqrt((1.0 + 2.0 * sum_sq) / (double)n);
    return fabs(rm) / stat > tsrec__norm_ppf(0.95);
}

/* Multiplicative seasonal indexes of decompose() into seas[n] (period m,
 * n > 2m). Returns 0 when an index is near zero (not usable). */
static int decompose_mult(const double *y, int64_t n, int32_t m, double *seas, double *tmp)
{
    /* Centred moving average: k weights, offset k / 2. */
    const int32_t k = m % 2 == 0 ? m + 1 : m, off = k / 2;
    for (int64_t i = 0; i < n; i++) {
        if (i < off || i + (k - 1 - off) >= n) {
            tmp[i] = NAN;
            continue;
        }
        double z = 0.0;
        for (int32_t j = 0; j < k; j++) {
            const double w = (m % 2 == 0 && (j == 0 || j == k - 1)) ? 0.5 / m : 1.0 / m;
            z += w * y[i + off - j];
        }
        tmp[i] = y[i] / z; /* detrended: x / trend */
    }
    /* Figure: R's mean(na.rm = TRUE) per position, on the values gathered
     * after the n detrended ones in tmp. */
    double fig[TSREC__THETA_MAX_M];
    for (int32_t p = 0; p < m; p++) {
        int64_t cnt = 0;
        for (int64_t i = p; i < n; i += m)
            if (!isnan(tmp[i]))
                tmp[n + cnt++] = tmp[i];
        fig[p] = cnt ? tsrec__r_mean(tmp + n, cnt) : NAN;
    }
    const double mf = tsrec__r_mean(fig, m);
    for (int32_t p = 0; p < m; p++)
        fig[p] /= mf;
    for (int64_t i = 0; i < n; i++)
        seas[i] = fig[i % m];
    for (int32_t p = 0; p < m; p++)
        if (!(fabs(fig[p]) >= 1e-4))
            return 0;
    return 1;
}

int tsrec__theta_forecast(tsrec_ctx *ctx, tsrec__handle *eh, const double *y, int64_t n,
                          int32_t m, int64_t h, const double *q, int32_t nq, double *mean,
                          double *quant, tsrec__theta_info *info)
{
    if (!ctx || !y || !mean || nq < 0 || (nq > 0 && (!q || !quant)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "theta: NULL argument");
    if (n < 1 || h < 1 || m < 1 || m > TSREC__THETA_MAX_M)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "theta: need n >= 1, h >= 1 and 1 <= m <= %d", TSREC__THETA_MAX_M);
    for (int32_t k = 0; k < nq; k++)
        if (!(q[k] > 0.0 && q[k] < 1.0))
            return tsrec__fail(eh, TSREC_E_INVALID_ARG, "theta: quantile outside (0, 1)");
    for (int64_t t = 0; t < n; t++)
        if (!isfinite(y[t]))
            return tsrec__fail(eh, TSREC_E_NAN, "theta: y[%lld] is not finite",
                               (long long)t);
    size_t bytes;
    if ((uint64_t)n > SIZE_MAX / 4 || tsrec__mul_size((size_t)n, 4 * sizeof(double), &bytes))
        return tsrec__fail(eh, TSREC_E_NOMEM, "theta: series too long");
    double *buf = tsrec__alloc(ctx, bytes);
    if (!buf)
        return tsrec__fail(eh, TSREC_E_NOMEM, "theta: out of memory");
    double *x = buf, *seas = buf + n, *tmp = buf + 2 * n; /* tmp: 2n */

    int seasonal = m > 1 && !constant_series(y, n) && n > 2 * (int64_t)m &&
                   seasonality_test(y, n, m);
    if (seasonal)
        seasonal = decompose_mult(y, n, m, seas, tmp);
    for (int64_t t = 0; t < n; t++)
        x[t] = seasonal ? y[t] / seas[t] : y[t];

    /* ses(x): ETS(A,N,N) on the mean squared error. */
    tsrec__ets_spec spec;
    tsrec__ets_spec_init(&spec);
    spec.error = TSREC__ETS_A;
    spec.trend = TSREC__ETS_N;
    spec.season = TSREC__ETS_N;
    spec.opt_mse = 1;
    tsrec__ets_model mod;
    int st = tsrec__ets_fit(ctx, eh, x, n, 1, &spec, &mod);
    if (st != TSREC_OK) {
        tsrec__free(ctx, buf);
        return st;
    }
    st = tsrec__ets_forecast(ctx, eh, &mod, h, NULL, 0, 0, 0, mean, NULL);
    if (st != TSREC_OK) {
        tsrec__ets_model_free(ctx, &mod);
        tsrec__free(ctx, buf);
        return st;
    }

    /* Drift: half the least-squares slope of x on 0..n-1. */
    const double tbar = 0.5 * (double)(n - 1), xbar = tsrec__r_mean(x, n);
    double sxy = 0.0, sxx = 0.0;
    for (int64_t t = 0; t < n; t++) {
        sxy += ((double)t - tbar) * (x[t] - xbar);
        sxx += ((double)t - tbar) * ((double)t - tbar);
    }
    const double drift = sxx > 0.0 ? 0.5 * sxy / sxx : 0.0;
    const double alpha = mod.alpha > 1e-10 ? mod.alpha : 1e-10;
    const double sigma = sqrt(mod.sigma2);
    const double tail = (1.0 - pow(1.0 - alpha, (double)n)) / alpha;
    for (int64_t i = 0; i < h; i++) {
        mean[i] += drift * ((double)i + tail);
        if (seasonal)
            mean[i] *= seas[n - m + (i % m)];
    }
    for (int32_t k = 0; k < nq; k++) {
        const double z = q[k] == 0.5 ? 0.0 : tsrec__norm_ppf(q[k]);
        for (int64_t i = 0; i < h; i++)
            quant[(int64_t)k * h + i] =
                mean[i] + z * sigma * sqrt((double)i * alpha * alpha + 1.0);
    }
    if (info) {
        info->seasonal = seasonal;
        info->alpha = alpha;
        info->drift = drift;
        info->sigma2 = mod.sigma2;
    }
    tsrec__ets_model_free(ctx, &mod);
    tsrec__free(ctx, buf);
    return TSREC_OK;
}
