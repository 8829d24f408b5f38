/* Baseline forecasters (src/forecast/algos/baselines.c) for benchmarks
 * and AutoML: naive and seasonal naive as R forecast's naive()/snaive()
 * (lagwalk): point forecast y[n - m + ((i - 1) mod m) + 1]; residual sd
 * sigma = sqrt(mean((y_t - y_{t-m})^2)); bounds mean -+ z * sigma *
 * sqrt(floor((i - 1) / m) + 1); and the Theta method as R forecast's
 * thetaf() (theta.c). */
#ifndef TSREC_BASELINES_INTERNAL_H
#define TSREC_BASELINES_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"

/* Seasonal naive with period m (m = 1: naive). y: n > m finite values.
 * mean[h]; quant[k * h + i] for the nq levels q in (0, 1) (normal
 * quantiles as R's level-based intervals). Returns TSREC_OK,
 * TSREC_E_INVALID_ARG (n <= m, h < 1, bad q) or TSREC_E_NAN. */
int tsrec__snaive_forecast(tsrec__handle *eh, const double *y, int64_t n, int32_t m,
                           int64_t h, const double *q, int32_t nq, double *mean,
                           double *quant);

#define TSREC__THETA_MAX_M 400

/* What thetaf decided and estimated. */
typedef struct tsrec__theta_info {
    int seasonal;      /* multiplicative decomposition applied */
    double alpha;      /* SES smoothing parameter (at least 1e-10) */
    double drift;      /* half the least-squares slope */
    double sigma2;     /* SES residual variance */
} tsrec__theta_info;

/* Theta method as R's thetaf(ts(y, frequency = m), h): mean[h] and, for
 * each of nq levels q in (0, 1), quant[k * h + i] = mean + qnorm(q) * se
 * (R's bounds at level 100 |2q - 1|). info may be NULL. y: n >= 1 finite
 * values, 1 <= m <= TSREC__THETA_MAX_M. Returns TSREC_OK,
 * TSREC_E_INVALID_ARG, TSREC_E_NAN, TSREC_E_NOMEM or the ETS fit's status. */
int tsrec__theta_forecast(tsrec_ctx *ctx, tsrec__handle *eh, const double *y, int64_t n,
                          int32_t m, int64_t h, const double *q, int32_t nq, double *mean,
                          double *quant, tsrec__theta_info *info);

#endif /* TSREC_BASELINES_INTERNAL_H */
