/* Amazon Forecast accuracy metrics on plain arrays (aws-surface.md A6),
 * src/forecast/metrics.c.
 *
 * An accumulator collects the series of one backtest window (or one item)
 * and finishes into tsrec__metrics:
 *   wQL[tau] = 2 sum_{i,t} [tau (y - q)+ + (1 - tau) (q - y)+] / sum |y|,
 *              the numerator alone when sum |y| ~ 0 (AWS's rule);
 *   average wQL = mean of wQL over the quantile forecast types;
 *   WAPE = sum |y - mean| / sum |y| (the same ~0 rule: documented choice);
 *   RMSE = sqrt(sum (y - mean)^2 / points);
 *   MAPE = per series the mean of |(y - mean) / y| over its non-zero
 *          actuals, then the mean over series with at least one (AWS does
 *          not document either step);
 *   MASE = per series mean |y - mean| / scale, scale = mean |Y_t - Y_{t-m}|
 *          over the series' training data (pairs of finite values), m from
 *          tsrec__mase_season (m = 1 when the history has <= m values);
 *          series with no pair or a zero scale are skipped; the mean over
 *          the remaining series.
 * Point metrics use the MEAN forecast, as AWS does since 2020-11-11.
 * Sums run in the order series are added, so results are deterministic. */
#ifndef TSREC_METRICS_INTERNAL_H
#define TSREC_METRICS_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"

#define TSREC__MAX_FORECAST_TYPES 5

/* Below this, sum |y| counts as zero. */
#define TSREC__METRIC_ZERO 1e-10

typedef struct tsrec__metrics {
    int32_t nq;
    double wql[TSREC__MAX_FORECAST_TYPES]; /* per quantile type */
    double avg_wql, wape, rmse, mape, mase; /* NaN when undefined */
    int64_t item_count;
} tsrec__metrics;

typedef struct tsrec__metric_acc {
    int32_t nq;
    double q[TSREC__MAX_FORECAST_TYPES];
    double ql[TSREC__MAX_FORECAST_TYPES]; /* sum of pinball losses */
    double sum_abs_y, sum_abs_err, sum_sq_err;
    int64_t points;
    double mape_sum;
    int64_t mape_series;
    double mase_sum;
    int64_t mase_series;
    int64_t items;
} tsrec__metric_acc;

/* MASE seasonality as GluonTS's get_seasonality: 1min 1440, 5min 288,
 * 10min 144, 15min 96, 30min 48, H 24, D 1, W 1, M 12, Y 1. */
int32_t tsrec__mase_season(int32_t freq);

/* nq quantile levels in (0, 1) (nq <= TSREC__MAX_FORECAST_TYPES). */
void tsrec__metric_acc_init(tsrec__metric_acc *a, const double *q, int32_t nq);
/* Add one series: actuals y[h], mean forecast mean[h], quantile forecasts
 * qv[k * h + t], and its training history hist[n_hist] (NaN allowed) for
 * the MASE scale with seasonality m. Actuals must be finite. */
void tsrec__metric_acc_add(tsrec__metric_acc *a, const double *y, int64_t h,
                           const double *mean, const double *qv, const double *hist,
                           int64_t n_hist, int32_t m);
/* Metrics of what was added (all NaN and item_count 0 when nothing). */
void tsrec__metric_acc_finish(const tsrec__metric_acc *a, tsrec__metrics *out);

/* Mean of each metric over windows that have items (NaN entries skipped
 * per metric); item_count is the mean count rounded down. */
void tsrec__metrics_mean(const tsrec__metrics *w, int64_t n, tsrec__metrics *out);

#endif /* TSREC_METRICS_INTERNAL_H */
