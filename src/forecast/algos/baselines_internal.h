/* Baseline forecasters (src/forecast/algos/baselines.c) for benchmarks
 * and AutoML: naive and seasonal naive as R forecast's naive()/snaive()
 * (lagwalk): point forecast y[n - m + ((i - 1) mod m) + 1]; residual sd
 * sigma = sqrt(mean((y_t - y_{t-m})^2)); bounds mean -+ z * sigma *
 * sqrt(floor((i - 1) / m) + 1). Theta is not implemented yet. */
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

#endif /* TSREC_BASELINES_INTERNAL_H */
