/* Non-Parametric Time Series forecaster (NPTS), GluonTS's NPTSPredictor on
 * plain double arrays. Files:
 *   npts_params.c  the hyperparameter table (AWS names) and the resolved
 *                  configuration
 *   npts.c         features, kernel weights, autoregressive sampling,
 *                  mean and quantiles of the sample paths
 *
 * The forecast for future step T is one of the earlier values of the series
 * (observed history or, for T past the first step, the path's own earlier
 * predictions), drawn with probability proportional to q_T(t):
 *   exponential kernel: q_T(t) = exp(-alpha * sum_i |f_i(t) - f_i(T)|)
 *   uniform kernel:     q_T(t) = 1 if f(t) == f(T) else 0
 * Features f over the last L' = min(n, context_length) points and the h
 * future steps:
 *   - exponential kernel: the time index k / (L' + h - 1) - 0.5;
 *   - seasonal model: feature_scale times GluonTS's first default time
 *     feature of the frequency, each in [-0.5, 0.5]:
 *       1min..30min  minute of hour  minute / 59 - 0.5
 *       H            hour of day     hour / 23 - 0.5
 *       D            day of week     weekday(Mon = 0) / 6 - 0.5
 *       W            day of month    (mday - 1) / 30 - 0.5
 *       M            month of year   (month - 1) / 11 - 0.5
 *       Y            none
 * The four Amazon variants: NPTS (exponential, non-seasonal), seasonal NPTS
 * (exponential, seasonal; the default), climatological (uniform,
 * non-seasonal: every observed point equally likely) and seasonal
 * climatological (uniform, seasonal: the observed points of the same
 * season equally likely).
 *
 * Missing values are NaN: they get weight 0. When every candidate has
 * weight 0 (e.g. all same-season points are missing) the step samples
 * uniformly among the observed points and earlier predictions, as GluonTS
 * does. Exponential log-weights are shifted by their maximum (taken over
 * all candidates, NaN positions included, as GluonTS) before exp. */
#ifndef TSREC_NPTS_INTERNAL_H
#define TSREC_NPTS_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"
#include "params_internal.h"

enum { TSREC__NPTS_KERNEL_EXPONENTIAL = 0, TSREC__NPTS_KERNEL_UNIFORM = 1 };

/* Resolved hyperparameters. */
typedef struct tsrec__npts_config {
    int32_t kernel_type;               /* TSREC__NPTS_KERNEL_* */
    int32_t use_seasonal_model;        /* 0/1 */
    /* 0/1. GluonTS drops the default time features only when custom
     * features (feat_dynamic_real) replace them; this API has no custom
     * features, so the flag is accepted and has no effect. */
    int32_t use_default_time_features;
    double exp_kernel_weights;         /* alpha > 0 */
    double feature_scale;              /* >= 0; seasonal feature multiplier */
    int64_t context_length;            /* 0 = the whole history */
    int64_t num_samples;               /* sample paths, >= 1 */
} tsrec__npts_config;

/* Hyperparameter table: kernel_type (exponential|uniform, default
 * exponential), exp_kernel_weights (1.0), use_seasonal_model (true),
 * use_default_time_features (true), context_length (0 = all points, the
 * Amazon Forecast default; GluonTS's own default is 1100), num_samples
 * (100), feature_scale (1000). */
extern const tsrec__param_def tsrec__npts_param_defs[];
extern const int64_t tsrec__npts_param_count;

/* A params object over the NPTS table, at the defaults. */
int tsrec__npts_params_new(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__params **out);
/* The defaults, the same values as the table's. */
void tsrec__npts_config_init(tsrec__npts_config *c);
/* Read a params object made from tsrec__npts_param_defs.
 * TSREC_E_INVALID_ARG for NULL or params of another table. */
int tsrec__npts_config_from_params(tsrec__npts_config *c, tsrec__handle *eh,
                                   const tsrec__params *p);

/* Forecast h steps after y[0..n) (y[0] at timestamp t0, frequency freq, a
 * TSREC__FREQ_* code) with num_samples sample paths drawn from the RNG
 * stream tsrec__rng_stream(seed, series_index), so a series' forecast does
 * not depend on which thread or in which order it runs.
 * Outputs (caller-allocated):
 *   out_mean[h]            mean of the paths per step (may be NULL);
 *   out_q[nq * h]          out_q[k * h + j] = quantile quantiles[k] at step
 *                          j, by tsrec__npts_sample_quantile (may be NULL
 *                          only when nq == 0);
 *   out_samples[S * h]     the paths, out_samples[s * h + j] (may be NULL),
 *                          S = num_samples.
 * Statuses: TSREC_E_INVALID_ARG (NULL pointers, h < 1, bad frequency,
 * quantile outside [0, 1] or NaN, invalid config, params of another table),
 * TSREC_E_EMPTY (n == 0), TSREC_E_NAN (the last L' values are all NaN, or
 * one of them is infinite), TSREC_E_OUT_OF_RANGE (timestamps leave years
 * 1..9999), TSREC_E_CANCELLED, TSREC_E_NOMEM. Outputs are unspecified on
 * failure. params NULL means the defaults. */
int tsrec__npts_forecast(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                         const double *y, int64_t n, int64_t t0, int32_t freq,
                         int64_t h, uint64_t seed, uint64_t series_index,
                         const double *quantiles, int64_t nq, double *out_mean,
                         double *out_q, double *out_samples);
/* The same with a resolved configuration. */
int tsrec__npts_forecast_cfg(tsrec_ctx *ctx, tsrec__handle *eh,
                             const tsrec__npts_config *cfg, const double *y,
                             int64_t n, int64_t t0, int32_t freq, int64_t h,
                             uint64_t seed, uint64_t series_index,
                             const double *quantiles, int64_t nq,
                             double *out_mean, double *out_q, double *out_samples);

/* GluonTS SampleForecast.quantile: the sorted sample at index
 * round((n - 1) * q), rounding halves to even as numpy.round does (no
 * interpolation). sorted[0..n) ascending, n >= 1, q in [0, 1]. */
double tsrec__npts_sample_quantile(const double *sorted, int64_t n, double q);
/* Index used by tsrec__npts_sample_quantile. */
int64_t tsrec__npts_quantile_index(int64_t n, double q);

/* GluonTS's first default time feature of freq at timestamp t, in
 * [-0.5, 0.5] (see the table above). Returns 0 and leaves *out alone for
 * frequencies without one (Y, invalid codes), 1 otherwise. */
int tsrec__npts_season_feature(int32_t freq, int64_t t, double *out);

#endif /* TSREC_NPTS_INTERNAL_H */
