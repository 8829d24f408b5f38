/* NPTS forecasting: features, kernel weights, autoregressive sampling of
 * sample paths, and their mean and quantiles (see npts_internal.h for the
 * model). Follows GluonTS's NPTSPredictor step by step so the sampling
 * distribution is the same; only the random numbers differ. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "npts_internal.h"
#include "rng_internal.h"
#include "time_internal.h"

/* ---- features ---------------------------------------------------------- */

int tsrec__npts_season_feature(int32_t freq, int64_t t, double *out)
{
    switch (freq) {
    case TSREC__FREQ_1MIN:
    case TSREC__FREQ_5MIN:
    case TSREC__FREQ_10MIN:
    case TSREC__FREQ_15MIN:
    case TSREC__FREQ_30MIN:
        *out = (double)tsrec__time_minute(t) / 59.0 - 0.5;
        return 1;
    case TSREC__FREQ_H:
        *out = (double)tsrec__time_hour(t) / 23.0 - 0.5;
        return 1;
    case TSREC__FREQ_D:
        *out = (double)tsrec__time_weekday(t) / 6.0 - 0.5;
        return 1;
    case TSREC__FREQ_W:
        *out = (double)(tsrec__time_day_of_month(t) - 1) / 30.0 - 0.5;
        return 1;
    case TSREC__FREQ_M:
        *out = (double)(tsrec__time_month(t) - 1) / 11.0 - 0.5;
        return 1;
    default: /* yearly data has no seasonal feature in GluonTS */
        return 0;
    }
}

/* Fill season[0..m) with feature_scale * the seasonal feature of the m
 * periods starting at `start`. The last period is checked first, so the
 * whole span is in range before any other timestamp is computed. */
static int season_features(tsrec__handle *eh, int64_t start, int32_t freq,
                           int64_t m, double scale, double *season)
{
    int64_t last = 0;
    int rc = tsrec__time_add_periods(start, freq, m - 1, &last, eh);
    if (rc != TSREC_OK)
        return rc;
    int64_t step = tsrec__freq_seconds(freq);
    for (int64_t k = 0; k < m; k++) {
        int64_t t = start + k * step;
        if (step == 0) { /* calendar months and years */
            rc = tsrec__time_add_periods(start, freq, k, &t, eh);
            if (rc != TSREC_OK)
                return rc;
        }
        double f = 0.0;
        (void)tsrec__npts_season_feature(freq, t, &f);
        season[k] = scale * f;
    }
    return TSREC_OK;
}

/* ---- quantiles --------------------------------------------------------- */

int64_t tsrec__npts_quantile_index(int64_t n, double q)
{
    double x = (double)(n - 1) * q;
    double f = floor(x);
    double frac = x - f;
    int64_t i = (int64_t)f;
    if (frac > 0.5 || (frac == 0.5 && (i % 2) != 0))
        i++;
    if (i < 0)
        i = 0;
    if (i > n - 1)
        i = n - 1;
    return i;
}

double tsrec__npts_sample_quantile(const double *sorted, int64_t n, double q)
{
    return sorted[tsrec__npts_quantile_index(n, q)];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- checks ------------------------------------------------------------ */

static int check_config(tsrec__handle *eh, const tsrec__npts_config *c)
{
    if (c->kernel_type != TSREC__NPTS_KERNEL_EXPONENTIAL &&
        c->kernel_type != TSREC__NPTS_KERNEL_UNIFORM)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "npts: unknown kernel type %d",
                           (int)c->kernel_type);
    if (!(c->exp_kernel_weights > 0.0 && c->exp_kernel_weights <= 1e6))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: exp_kernel_weights must be in (0, 1e6], got %g",
                           c->exp_kernel_weights);
    if (!(c->feature_scale >= 0.0 && c->feature_scale <= 1e9))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: feature_scale must be in [0, 1e9], got %g",
                           c->feature_scale);
    if (c->context_length < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: context_length must be >= 0 (0 = all points), "
                           "got %lld", (long long)c->context_length);
    if (c->num_samples < 1 || c->num_samples > INT64_C(1000000))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: num_samples must be in [1, 1000000], got %lld",
                           (long long)c->num_samples);
    return TSREC_OK;
}

static int check_args(tsrec__handle *eh, const double *y, int64_t n, int32_t freq,
                      int64_t h, const double *quantiles, int64_t nq, const double *out_q)
{
    if (n < 0 || (n > 0 && y == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: y is NULL or n (%lld) is negative", (long long)n);
    if (n == 0)
        return tsrec__fail(eh, TSREC_E_EMPTY, "npts: the series is empty");
    if (h < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: the horizon must be >= 1, got %lld", (long long)h);
    if (!tsrec__freq_valid(freq))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "npts: invalid frequency code %d",
                           (int)freq);
    if (nq < 0 || (nq > 0 && (quantiles == NULL || out_q == NULL)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: %lld quantiles requested with a NULL quantile "
                           "list or output", (long long)nq);
    for (int64_t k = 0; k < nq; k++)
        if (!(quantiles[k] >= 0.0 && quantiles[k] <= 1.0))
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "npts: quantile %lld is %g, not in [0, 1]",
                               (long long)k, quantiles[k]);
    return TSREC_OK;
}

/* The window y[0..L) must have an observed value and no infinity. */
static int check_window(tsrec__handle *eh, const double *y, int64_t L, int64_t offset)
{
    int64_t observed = 0;
    for (int64_t i = 0; i < L; i++) {
        if (isnan(y[i]))
            continue;
        if (isinf(y[i]))
            return tsrec__fail(eh, TSREC_E_NAN, "npts: y[%lld] is infinite",
                               (long long)(offset + i));
        observed++;
    }
    if (observed == 0)
        return tsrec__fail(eh, TSREC_E_NAN,
                           "npts: the last %lld values of the series are all "
                           "missing (NaN); increase context_length so the "
                           "window holds at least one observed value",
                           (long long)L);
    return TSREC_OK;
}

/* ---- weights and sampling ---------------------------------------------- */

/* Cumulative sampling weights of the m = L + j candidates for future
 * position T = L + j, into cum[0..m); returns the total. index and season
 * are the features (NULL when unused), nan_at[i] marks missing history. */
static double step_weights(const tsrec__npts_config *c, const double *index,
                           const double *season, const unsigned char *nan_at,
                           int64_t L, int64_t j, double *cum)
{
    int64_t m = L + j, T = L + j;
    if (c->kernel_type == TSREC__NPTS_KERNEL_EXPONENTIAL) {
        /* log q_T(t) = -alpha * sum_i |f_i(t) - f_i(T)|, then shift by the
         * max over all candidates so the largest weight is exp(0). */
        double alpha = c->exp_kernel_weights, top = -HUGE_VAL;
        for (int64_t t = 0; t < m; t++) {
            double d = fabs(index[t] - index[T]);
            if (season != NULL)
                d += fabs(season[t] - season[T]);
            cum[t] = -alpha * d;
            if (cum[t] > top)
                top = cum[t];
        }
        for (int64_t t = 0; t < m; t++)
            cum[t] = exp(cum[t] - top);
    } else {
        for (int64_t t = 0; t < m; t++)
            cum[t] = (season == NULL || fabs(season[t] - season[T]) == 0.0) ? 1.0 : 0.0;
    }
    double total = 0.0;
    for (int64_t t = 0; t < m; t++) {
        if (t < L && nan_at[t])
            cum[t] = 0.0;
        total += cum[t];
        cum[t] = total;
    }
    if (total == 0.0) {
        /* Every candidate with weight is missing: sample uniformly among
         * the observed points and the earlier predictions. */
        total = 0.0;
        for (int64_t t = 0; t < m; t++) {
            total += (t < L && nan_at[t]) ? 0.0 : 1.0;
            cum[t] = total;
        }
    }
    return total;
}

/* Index t with cum[t-1] <= u < cum[t] (cum[-1] = 0), i.e. drawn with
 * probability weight[t] / total for u uniform in [0, total). Never returns a
 * zero-weight index: if rounding puts u at or past the total, the last
 * positive-weight index is used. */
static int64_t pick(const double *cum, int64_t m, double u)
{
    int64_t lo = 0, hi = m; /* first index with cum > u lies in [lo, hi] */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo < m)
        return lo;
    int64_t t = m - 1;
    while (t > 0 && cum[t] == cum[t - 1])
        t--;
    return t;
}

/* ---- forecast ---------------------------------------------------------- */

int tsrec__npts_forecast_cfg(tsrec_ctx *ctx, tsrec__handle *eh,
                             const tsrec__npts_config *cfg, const double *y,
                             int64_t n, int64_t t0, int32_t freq, int64_t h,
                             uint64_t seed, uint64_t series_index,
                             const double *quantiles, int64_t nq,
                             double *out_mean, double *out_q, double *out_samples)
{
    if (ctx == NULL || cfg == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "npts: NULL ctx or config");
    int rc = check_config(eh, cfg);
    if (rc == TSREC_OK)
        rc = check_args(eh, y, n, freq, h, quantiles, nq, out_q);
    if (rc != TSREC_OK)
        return rc;

    int64_t L = n;
    if (cfg->context_length > 0 && cfg->context_length < n)
        L = cfg->context_length;
    const double *win = y + (n - L);
    rc = check_window(eh, win, L, n - L);
    if (rc != TSREC_OK)
        return rc;

    int64_t S = cfg->num_samples;
    size_t feat_bytes = 0, path_bytes = 0, path_count = 0;
    if (h > INT64_MAX / 4 - L ||
        tsrec__mul_size((size_t)(L + h), 2 * sizeof(double), &feat_bytes) != 0 ||
        tsrec__mul_size((size_t)S, (size_t)h, &path_count) != 0 ||
        tsrec__mul_size(path_count, sizeof(double), &path_bytes) != 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "npts: sizes overflow (n %lld, h %lld, num_samples %lld)",
                           (long long)n, (long long)h, (long long)S);
    int64_t m = L + h;

    int seasonal = 0;
    if (cfg->use_seasonal_model) {
        double probe = 0.0;
        seasonal = tsrec__npts_season_feature(freq, t0, &probe);
    }
    int use_index = cfg->kernel_type == TSREC__NPTS_KERNEL_EXPONENTIAL;

    double *feat = NULL, *cum = NULL, *paths = NULL, *sorted = NULL;
    unsigned char *nan_at = NULL;
    feat = tsrec__alloc(ctx, feat_bytes);
    cum = tsrec__alloc(ctx, (size_t)m * sizeof(double));
    paths = tsrec__alloc(ctx, path_bytes);
    nan_at = tsrec__alloc(ctx, (size_t)L);
    if (nq > 0)
        sorted = tsrec__alloc(ctx, (size_t)S * sizeof(double));
    if (feat == NULL || cum == NULL || paths == NULL || nan_at == NULL ||
        (nq > 0 && sorted == NULL)) {
        rc = tsrec__fail(eh, TSREC_E_NOMEM,
                         "npts: out of memory for %lld points x %lld samples",
                         (long long)m, (long long)S);
        goto done;
    }

    double *index = use_index ? feat : NULL;
    double *season = seasonal ? feat + m : NULL;
    if (index != NULL) {
        /* GluonTS's time-index feature, rescaled to [-0.5, 0.5]. */
        double span = (double)(m - 1);
        for (int64_t k = 0; k < m; k++)
            index[k] = (double)k / span - 0.5;
    }
    if (season != NULL) {
        int64_t start = 0;
        rc = tsrec__time_add_periods(t0, freq, n - L, &start, eh);
        if (rc == TSREC_OK)
            rc = season_features(eh, start, freq, m, cfg->feature_scale, season);
        if (rc != TSREC_OK)
            goto done;
    }
    for (int64_t t = 0; t < L; t++)
        nan_at[t] = (unsigned char)(isnan(win[t]) ? 1 : 0);

    tsrec__rng rng;
    tsrec__rng_stream(&rng, seed, series_index);
    for (int64_t j = 0; j < h; j++) {
        if (tsrec__cancelled(ctx)) {
            rc = tsrec__fail(eh, TSREC_E_CANCELLED, "npts: cancelled");
            goto done;
        }
        double total = step_weights(cfg, index, season, nan_at, L, j, cum);
        for (int64_t s = 0; s < S; s++) {
            double *path = paths + (size_t)s * (size_t)h;
            int64_t t = pick(cum, L + j, total * tsrec__rng_uniform(&rng));
            path[j] = t < L ? win[t] : path[t - L];
        }
    }

    for (int64_t j = 0; j < h; j++) {
        double sum = 0.0;
        for (int64_t s = 0; s < S; s++)
            sum += paths[(size_t)s * (size_t)h + (size_t)j];
        if (out_mean != NULL)
            out_mean[j] = sum / (double)S;
        if (nq > 0) {
            for (int64_t s = 0; s < S; s++)
                sorted[s] = paths[(size_t)s * (size_t)h + (size_t)j];
            qsort(sorted, (size_t)S, sizeof(double), cmp_double);
            for (int64_t k = 0; k < nq; k++)
                out_q[k * h + j] = tsrec__npts_sample_quantile(sorted, S, quantiles[k]);
        }
    }
    if (out_samples != NULL)
        memcpy(out_samples, paths, path_bytes);
    rc = TSREC_OK;

done:
    tsrec__free(ctx, sorted);
    tsrec__free(ctx, nan_at);
    tsrec__free(ctx, paths);
    tsrec__free(ctx, cum);
    tsrec__free(ctx, feat);
    return rc;
}

int tsrec__npts_forecast(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                         const double *y, int64_t n, int64_t t0, int32_t freq,
                         int64_t h, uint64_t seed, uint64_t series_index,
                         const double *quantiles, int64_t nq, double *out_mean,
                         double *out_q, double *out_samples)
{
    tsrec__npts_config cfg;
    tsrec__npts_config_init(&cfg);
    if (params != NULL) {
        int rc = tsrec__npts_config_from_params(&cfg, eh, params);
        if (rc != TSREC_OK)
            return rc;
    }
    return tsrec__npts_forecast_cfg(ctx, eh, &cfg, y, n, t0, freq, h, seed,
                                    series_index, quantiles, nq, out_mean, out_q,
                                    out_samples);
}
