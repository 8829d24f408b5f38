/* The built-in forecast algorithms as vtables (algo_internal.h): adapters
 * from one prepared series to the ETS, NPTS and naive cores.
 *
 * Choices where AWS documents nothing (see also CHANGELOG / the report):
 *  - ETS is R's ets(y, model = "ZZZ") with ts frequency = the series'
 *    season (the ETS core drops seasons above 24 as R does). R refuses NAs
 *    inside a series (na.contiguous keeps the longest stretch); a forecast
 *    must start after the last period, so ETS fits the longest non-NaN TAIL
 *    of the series instead of the longest stretch anywhere.
 *  - When an algorithm cannot fit a series (too short, no finite tail,
 *    numeric failure), the series gets the fallback forecast
 *    tsrec__algo_fallback (seasonal naive, naive, or constant) and the call
 *    returns TSREC__ALGO_FELL_BACK so the workflow can count it.
 *  - AutoML candidates are ETS and NPTS by default (AWS AutoML evaluates
 *    AWS algorithms); Naive, SeasonalNaive and Theta are libtsrec baselines
 *    reachable by bare name, for benchmarks, and join AutoML only when the
 *    request lists them in the libtsrec key "AutoMLCandidates".
 *  - Theta is R's thetaf(ts(y, frequency = season), h) on the longest
 *    non-NaN tail (like ETS); seasons above TSREC__THETA_MAX_M are dropped
 *    (non-seasonal Theta), and so is the season of a tail holding a value
 *    <= 0: thetaf's multiplicative decomposition would divide by
 *    meaningless indexes there (R does it anyway). */
#include <math.h>
#include <string.h>

#include "algo_internal.h"
#include "baselines_internal.h"
#include "ets_internal.h"
#include "npts_internal.h"
#include "rng_internal.h"

/* Start of the longest non-NaN run that ends at the last finite value;
 * *out_len its length (0 if y has no finite value). */
static int64_t finite_tail(const double *y, int64_t n, int64_t *out_len)
{
    int64_t end = n;
    while (end > 0 && !isfinite(y[end - 1]))
        end--;
    int64_t b = end;
    while (b > 0 && isfinite(y[b - 1]))
        b--;
    *out_len = end - b;
    return b;
}

int tsrec__algo_fallback(tsrec__handle *eh, const double *y, int64_t n, int32_t m,
                         const tsrec__algo_request *req)
{
    int64_t len = 0;
    int64_t b = finite_tail(y, n, &len);
    if (len == 0)
        return tsrec__fail(eh, TSREC_E_EMPTY, "fallback forecast: the series has no value");
    int64_t h = req->h;
    if (m < 1)
        m = 1;
    if (len > m || len > 1) {
        int32_t mm = len > m ? m : 1;
        return tsrec__snaive_forecast(eh, y + b, len, mm, h, req->quantiles,
                                      (int32_t)req->nq, req->out_mean, req->out_q);
    }
    /* One value: a constant forecast with no spread. */
    for (int64_t i = 0; i < h; i++)
        req->out_mean[i] = y[b];
    for (int64_t k = 0; k < req->nq; k++)
        for (int64_t i = 0; i < h; i++)
            req->out_q[k * h + i] = y[b];
    return TSREC_OK;
}

/* Either the requested quantiles were produced, or the fallback runs. */
static int fall_back(tsrec__handle *eh, const tsrec__algo_series *s,
                     const tsrec__algo_request *req)
{
    int rc = tsrec__algo_fallback(eh, s->y, s->n, s->season, req);
    return rc == TSREC_OK ? TSREC__ALGO_FELL_BACK : rc;
}

static int request_ok(tsrec__handle *eh, const tsrec__algo_series *s,
                      const tsrec__algo_request *req)
{
    if (s == NULL || req == NULL || s->y == NULL || s->n < 1 || req->h < 1 ||
        req->out_mean == NULL || req->nq < 0 || req->nq > INT32_MAX ||
        (req->nq > 0 && (req->quantiles == NULL || req->out_q == NULL)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "forecast_series: invalid request");
    return TSREC_OK;
}

/* A per-series seed derived from the ctx seed and the series index, so the
 * result does not depend on the thread or the order of series. */
static uint64_t series_seed(const tsrec__algo_series *s)
{
    tsrec__rng r;
    tsrec__rng_stream(&r, s->seed, s->series_index);
    return tsrec__rng_u64(&r);
}

/* ---- ETS ---------------------------------------------------------------- */

static int ets_series(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                      const tsrec__algo_series *s, const tsrec__algo_request *req)
{
    (void)params;
    int rc = request_ok(eh, s, req);
    if (rc != TSREC_OK)
        return rc;
    int64_t len = 0;
    int64_t b = finite_tail(s->y, s->n, &len);
    if (len < 1)
        return fall_back(eh, s, req);
    tsrec__ets_spec spec;
    tsrec__ets_spec_init(&spec);
    tsrec__ets_model mod;
    int32_t m = s->season < 1 ? 1 : s->season;
    rc = tsrec__ets_fit(ctx, eh, s->y + b, len, m, &spec, &mod);
    if (rc == TSREC_E_NOMEM || rc == TSREC_E_CANCELLED)
        return rc;
    if (rc != TSREC_OK)
        return fall_back(eh, s, req);
    rc = tsrec__ets_forecast(ctx, eh, &mod, req->h, req->quantiles, (int32_t)req->nq, 0,
                             series_seed(s), req->out_mean, req->out_q);
    tsrec__ets_model_free(ctx, &mod);
    if (rc == TSREC_E_NOMEM || rc == TSREC_E_CANCELLED)
        return rc;
    if (rc == TSREC_OK) {
        /* A multiplicative trend can explode to non-finite values. */
        for (int64_t i = 0; i < req->h && rc == TSREC_OK; i++)
            if (!isfinite(req->out_mean[i]))
                rc = TSREC_E_NUMERIC;
        for (int64_t i = 0; i < req->nq * req->h && rc == TSREC_OK; i++)
            if (!isfinite(req->out_q[i]))
                rc = TSREC_E_NUMERIC;
    }
    return rc == TSREC_OK ? TSREC_OK : fall_back(eh, s, req);
}

/* ---- NPTS --------------------------------------------------------------- */

static int npts_series(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                       const tsrec__algo_series *s, const tsrec__algo_request *req)
{
    int rc = request_ok(eh, s, req);
    if (rc != TSREC_OK)
        return rc;
    rc = tsrec__npts_forecast(ctx, eh, params, s->y, s->n, s->t0, s->freq, req->h, s->seed,
                              s->series_index, req->quantiles, req->nq, req->out_mean,
                              req->out_q, NULL);
    if (rc == TSREC_E_NAN || rc == TSREC_E_EMPTY)
        return fall_back(eh, s, req); /* the context window holds no value */
    return rc;
}

/* ---- baselines ---------------------------------------------------------- */

static int naive_with(tsrec__handle *eh, const tsrec__algo_series *s,
                      const tsrec__algo_request *req, int32_t m)
{
    int rc = request_ok(eh, s, req);
    if (rc != TSREC_OK)
        return rc;
    rc = tsrec__algo_fallback(eh, s->y, s->n, m, req);
    if (rc != TSREC_OK)
        return rc;
    int64_t len = 0;
    (void)finite_tail(s->y, s->n, &len);
    return len > m ? TSREC_OK : TSREC__ALGO_FELL_BACK;
}

static int naive_series(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                        const tsrec__algo_series *s, const tsrec__algo_request *req)
{
    (void)ctx;
    (void)params;
    return naive_with(eh, s, req, 1);
}

static int snaive_series(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                         const tsrec__algo_series *s, const tsrec__algo_request *req)
{
    (void)ctx;
    (void)params;
    return naive_with(eh, s, req, s != NULL && s->season > 1 ? s->season : 1);
}

/* Theta (thetaf) on the longest finite tail; the fallback when the tail
 * is empty, the fit fails or the forecast is not finite. */
static int theta_series(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                        const tsrec__algo_series *s, const tsrec__algo_request *req)
{
    (void)params;
    int rc = request_ok(eh, s, req);
    if (rc != TSREC_OK)
        return rc;
    int64_t len = 0;
    int64_t b = finite_tail(s->y, s->n, &len);
    if (len < 1)
        return fall_back(eh, s, req);
    int32_t m = s->season < 1 || s->season > TSREC__THETA_MAX_M ? 1 : s->season;
    for (int64_t i = b; i < b + len && m > 1; i++)
        if (s->y[i] <= 0.0)
            m = 1; /* a multiplicative decomposition needs positive data */
    rc = tsrec__theta_forecast(ctx, eh, s->y + b, len, m, req->h, req->quantiles,
                               (int32_t)req->nq, req->out_mean, req->out_q, NULL);
    if (rc == TSREC_E_NOMEM || rc == TSREC_E_CANCELLED)
        return rc;
    for (int64_t i = 0; i < req->h && rc == TSREC_OK; i++)
        if (!isfinite(req->out_mean[i]))
            rc = TSREC_E_NUMERIC;
    for (int64_t i = 0; i < req->nq * req->h && rc == TSREC_OK; i++)
        if (!isfinite(req->out_q[i]))
            rc = TSREC_E_NUMERIC;
    return rc == TSREC_OK ? TSREC_OK : fall_back(eh, s, req);
}

/* ---- the table ---------------------------------------------------------- */

static const tsrec__forecast_algo ALGO_ETS = {
    .abi_version = TSREC__ALGO_ABI_VERSION,
    .struct_size = (uint32_t)sizeof(tsrec__forecast_algo),
    .name = "ETS",
    .params = NULL,
    .n_params = 0,
    .forecast_series = ets_series,
    .flags = TSREC__ALGO_AWS | TSREC__ALGO_AUTOML,
    .reserved = 0,
    .n_params_ref = NULL,
};

static const tsrec__forecast_algo ALGO_NPTS = {
    .abi_version = TSREC__ALGO_ABI_VERSION,
    .struct_size = (uint32_t)sizeof(tsrec__forecast_algo),
    .name = "NPTS",
    .params = tsrec__npts_param_defs,
    .n_params = 0,
    .forecast_series = npts_series,
    .flags = TSREC__ALGO_AWS | TSREC__ALGO_AUTOML,
    .reserved = 0,
    .n_params_ref = &tsrec__npts_param_count,
};

static const tsrec__forecast_algo ALGO_NAIVE = {
    .abi_version = TSREC__ALGO_ABI_VERSION,
    .struct_size = (uint32_t)sizeof(tsrec__forecast_algo),
    .name = "Naive",
    .params = NULL,
    .n_params = 0,
    .forecast_series = naive_series,
    .flags = 0,
    .reserved = 0,
    .n_params_ref = NULL,
};

static const tsrec__forecast_algo ALGO_SNAIVE = {
    .abi_version = TSREC__ALGO_ABI_VERSION,
    .struct_size = (uint32_t)sizeof(tsrec__forecast_algo),
    .name = "SeasonalNaive",
    .params = NULL,
    .n_params = 0,
    .forecast_series = snaive_series,
    .flags = 0,
    .reserved = 0,
    .n_params_ref = NULL,
};

static const tsrec__forecast_algo ALGO_THETA = {
    .abi_version = TSREC__ALGO_ABI_VERSION,
    .struct_size = (uint32_t)sizeof(tsrec__forecast_algo),
    .name = "Theta",
    .params = NULL,
    .n_params = 0,
    .forecast_series = theta_series,
    .flags = 0,
    .reserved = 0,
    .n_params_ref = NULL,
};

static const tsrec__forecast_algo *const ALGOS[] = {&ALGO_ETS, &ALGO_NPTS, &ALGO_NAIVE,
                                                    &ALGO_SNAIVE, &ALGO_THETA};

const tsrec__forecast_algo *const *tsrec__forecast_algos(int64_t *out_count)
{
    if (out_count != NULL)
        *out_count = (int64_t)TSREC__ARRAY_LEN(ALGOS);
    return ALGOS;
}

int64_t tsrec__algo_param_count(const tsrec__forecast_algo *a)
{
    if (a == NULL || a->params == NULL)
        return 0;
    return a->n_params_ref != NULL ? *a->n_params_ref : a->n_params;
}

const tsrec__forecast_algo *tsrec__forecast_algo_find(const char *name_or_arn)
{
    if (name_or_arn == NULL)
        return NULL;
    const char *name = name_or_arn;
    int is_arn = 0;
    size_t plen = strlen(TSREC__ALGO_ARN_PREFIX);
    if (strncmp(name, TSREC__ALGO_ARN_PREFIX, plen) == 0) {
        name += plen;
        is_arn = 1;
    }
    int64_t n = 0;
    const tsrec__forecast_algo *const *all = tsrec__forecast_algos(&n);
    for (int64_t i = 0; i < n; i++)
        if (strcmp(all[i]->name, name) == 0 && (!is_arn || (all[i]->flags & TSREC__ALGO_AWS)))
            return all[i];
    return NULL;
}
