/* Forecast algorithm vtables (DESIGN.md §3). The workflow layer (predictor,
 * backtests, forecasts) sees algorithms only through this descriptor; the
 * algorithms see only a prepared series and never parse files or schemas.
 *
 * The descriptor is append-only: it starts with abi_version and
 * struct_size, and the workflow checks struct_size and NULL before using a
 * member, so descriptors built against an older layout keep working. */
#ifndef TSREC_ALGO_INTERNAL_H
#define TSREC_ALGO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"
#include "params_internal.h"

#define TSREC__ALGO_ABI_VERSION 1u

/* One series handed to a local (per-series) algorithm. */
typedef struct tsrec__algo_series {
    const double *y;      /* n values on the forecast grid, NaN = missing */
    int64_t n;
    int64_t t0;           /* timestamp of y[0] (period start) */
    int32_t freq;         /* tsrec__freq code */
    int32_t season;       /* seasonal period for this frequency (Amazon's map) */
    uint64_t seed;        /* ctx seed */
    uint64_t series_index;/* stable index: per-series RNG stream */
} tsrec__algo_series;

/* What to produce: h steps, nq quantiles (in (0,1)) and/or the mean. */
typedef struct tsrec__algo_request {
    int64_t h;
    const double *quantiles;
    int64_t nq;
    double *out_mean;     /* h values, or NULL */
    double *out_q;        /* nq x h, quantile-major, or NULL */
} tsrec__algo_request;

typedef struct tsrec__forecast_algo {
    uint32_t abi_version;
    uint32_t struct_size;
    const char *name;                  /* AWS name: "ETS", "NPTS", ... */
    const tsrec__param_def *params;    /* hyperparameter table (may be empty) */
    int64_t n_params;
    /* Fit on one series and forecast it. params holds the validated
     * hyperparameters (a tsrec__params over `params`). Must be thread-safe
     * for distinct series (called from the ctx pool). */
    /* Returns TSREC_OK, TSREC__ALGO_FELL_BACK (a fallback forecast was
     * written) or a TSREC_E_* status. */
    int (*forecast_series)(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                           const tsrec__algo_series *series, const tsrec__algo_request *req);
    /* TSREC__ALGO_* flags (appended in ABI version 1 before any release). */
    uint32_t flags;
    uint32_t reserved;
    /* When non-NULL, the table length (a table defined in another unit has
     * no constant length); use tsrec__algo_param_count. */
    const int64_t *n_params_ref;
} tsrec__forecast_algo;

/* Length of a descriptor's parameter table. */
int64_t tsrec__algo_param_count(const tsrec__forecast_algo *a);

/* The algorithm is an Amazon Forecast algorithm (accepted as an ARN). */
#define TSREC__ALGO_AWS 1u
/* AutoML evaluates it (AWS AutoML picks among AWS algorithms only). */
#define TSREC__ALGO_AUTOML 2u

/* The ARN prefix of Amazon Forecast algorithms. */
#define TSREC__ALGO_ARN_PREFIX "arn:aws:forecast:::algorithm/"

/* Status of a forecast_series call that used the documented fallback
 * (naive / seasonal naive) instead of the algorithm: not an error, the
 * outputs are valid. Distinct from every TSREC_E_* code. */
#define TSREC__ALGO_FELL_BACK (-1)

/* The built-in algorithms, in AutoML evaluation order. */
const tsrec__forecast_algo *const *tsrec__forecast_algos(int64_t *out_count);
/* Lookup by AWS name or algorithm ARN
 * (arn:aws:forecast:::algorithm/NAME); NULL if unknown. Baselines
 * (Naive, SeasonalNaive, Theta) are found by bare name only. */
const tsrec__forecast_algo *tsrec__forecast_algo_find(const char *name_or_arn);

/* Naive (m = 1) or seasonal naive (period m) forecast of the longest
 * non-NaN tail of y[0..n), with a constant forecast (zero-width quantiles)
 * when the tail has a single value and the last finite value of y when the
 * tail is empty. TSREC_E_EMPTY when y holds no finite value. Used as the
 * documented fallback of every algorithm. */
int tsrec__algo_fallback(tsrec__handle *eh, const double *y, int64_t n, int32_t m,
                         const tsrec__algo_request *req);

#endif /* TSREC_ALGO_INTERNAL_H */
