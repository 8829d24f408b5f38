/* Per-series forecasting over the ctx pool and the backtest windows
 * (predictor_internal.h). Each series is forecast independently from its
 * own data and its own RNG stream (seeded by the ctx seed and the series
 * index), so results do not depend on the thread count. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "pool_internal.h"
#include "predictor_internal.h"
#include "time_internal.h"

typedef struct batch_job {
    tsrec_ctx *ctx;
    const tsrec__forecast_algo *algo;
    const tsrec__params *params;
    const tsrec__series_batch *b;
    int64_t split, h;
    const double *q;
    int32_t nq;
    const uint8_t *skip;
    double *out_mean, *out_q;
    uint8_t *fell_back;
    int *status;            /* per series */
    int32_t *worker_of;     /* per series: who ran it */
    tsrec__handle *wh;      /* per worker: its error message */
    atomic_llong done;
    int64_t total;
    const char *what;
} batch_job;

static int has_finite(const double *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (isfinite(y[i]))
            return 1;
    return 0;
}

static int one_series(batch_job *j, int64_t s, tsrec__handle *eh)
{
    const tsrec__series_batch *b = j->b;
    double *mean = j->out_mean + s * j->h;
    double *qv = j->out_q != NULL ? j->out_q + s * j->nq * j->h : NULL;
    int64_t start = b->start[s];
    const double *y = tsrec__series_batch_y(b, s);
    if (start >= j->split || !has_finite(y + start, j->split - start)) {
        /* No data before the split (cold start): nothing to forecast. */
        for (int64_t i = 0; i < j->h; i++)
            mean[i] = NAN;
        for (int64_t i = 0; qv != NULL && i < j->nq * j->h; i++)
            qv[i] = NAN;
        if (j->fell_back != NULL)
            j->fell_back[s] = 2;
        return TSREC_OK;
    }
    tsrec__algo_series ser;
    memset(&ser, 0, sizeof ser);
    ser.y = y + start;
    ser.n = j->split - start;
    int rc = tsrec__time_add_periods(b->t0, b->freq, start, &ser.t0, eh);
    if (rc != TSREC_OK)
        return rc;
    ser.freq = b->freq;
    ser.season = tsrec__freq_season(b->freq);
    ser.seed = j->ctx->seed;
    ser.series_index = (uint64_t)s;
    tsrec__algo_request req = {.h = j->h, .quantiles = j->q, .nq = j->nq, .out_mean = mean,
                               .out_q = qv};
    rc = j->algo->forecast_series(j->ctx, eh, j->params, &ser, &req);
    if (rc == TSREC__ALGO_FELL_BACK) {
        if (j->fell_back != NULL)
            j->fell_back[s] = 1;
        return TSREC_OK;
    }
    if (rc == TSREC_OK && j->fell_back != NULL)
        j->fell_back[s] = 0;
    return rc;
}

static int run_range(void *arg, int64_t begin, int64_t end, int32_t worker)
{
    batch_job *j = arg;
    tsrec__handle *eh = &j->wh[worker];
    for (int64_t s = begin; s < end; s++) {
        if (j->skip != NULL && j->skip[s])
            continue;
        if (tsrec__cancelled(j->ctx))
            return TSREC_E_CANCELLED;
        int rc = one_series(j, s, eh);
        j->worker_of[s] = worker;
        j->status[s] = rc;
        if (rc != TSREC_OK)
            return rc;
        long long d = atomic_fetch_add(&j->done, 1) + 1;
        if (worker == 0)
            tsrec__progress(j->ctx, j->what, (int64_t)d, j->total);
    }
    return TSREC_OK;
}

int tsrec__forecast_batch(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__forecast_algo *algo,
                          const tsrec__params *params, const tsrec__series_batch *b,
                          int64_t split, int64_t h, const double *q, int32_t nq,
                          const uint8_t *skip, double *out_mean, double *out_q,
                          uint8_t *fell_back, const char *what)
{
    int64_t n = b->n_series;
    int32_t workers = tsrec__ctx_workers(ctx);
    if (workers < 1)
        workers = 1;
    batch_job j;
    memset(&j, 0, sizeof j);
    j.ctx = ctx;
    j.algo = algo;
    j.params = params;
    j.b = b;
    j.split = split;
    j.h = h;
    j.q = q;
    j.nq = nq;
    j.skip = skip;
    j.out_mean = out_mean;
    j.out_q = out_q;
    j.fell_back = fell_back;
    j.what = what;
    atomic_init(&j.done, 0);
    for (int64_t s = 0; s < n; s++)
        j.total += skip == NULL || !skip[s];
    j.status = tsrec__calloc(ctx, (size_t)n, sizeof(int));
    j.worker_of = tsrec__calloc(ctx, (size_t)n, sizeof(int32_t));
    j.wh = tsrec__calloc(ctx, (size_t)workers, sizeof(tsrec__handle));
    if (j.status == NULL || j.worker_of == NULL || j.wh == NULL) {
        tsrec__free(ctx, j.status);
        tsrec__free(ctx, j.worker_of);
        tsrec__free(ctx, j.wh);
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory forecasting %lld series",
                           (long long)n);
    }
    for (int32_t w = 0; w < workers; w++)
        j.wh[w].ctx = ctx;
    int rc = tsrec__parallel_for(ctx, n, 1, run_range, &j);
    if (rc == TSREC_E_CANCELLED) {
        tsrec__fail(eh, rc, "%s: cancelled", what);
    } else if (rc != TSREC_OK) {
        int64_t bad = -1;
        for (int64_t s = 0; s < n && bad < 0; s++)
            if (j.status[s] != TSREC_OK)
                bad = s;
        if (bad >= 0) {
            rc = j.status[bad];
            tsrec__fail(eh, rc, "%s: series %lld: %s", what, (long long)bad,
                        j.wh[j.worker_of[bad]].errmsg);
        } else {
            tsrec__fail(eh, rc, "%s failed", what);
        }
    } else {
        tsrec__progress(ctx, what, j.total, j.total);
    }
    tsrec__free(ctx, j.status);
    tsrec__free(ctx, j.worker_of);
    tsrec__free(ctx, j.wh);
    return rc;
}

/* ---- backtests ------------------------------------------------------------ */

void tsrec__algo_eval_free(tsrec_ctx *ctx, tsrec__algo_eval *e)
{
    if (e == NULL)
        return;
    tsrec__free(ctx, e->included);
    tsrec__free(ctx, e->mean);
    tsrec__free(ctx, e->qv);
    tsrec__params_free(e->params);
    memset(e, 0, sizeof(*e));
}

static int window_included(const tsrec__series_batch *b, int64_t s, int64_t split, int64_t h)
{
    if (b->start[s] >= split)
        return 0; /* no training data: cold start */
    const uint8_t *obs = b->observed + s * b->n_time;
    for (int64_t t = split; t < split + h; t++)
        if (!obs[t])
            return 0; /* AWS: filled values exclude the item from the window */
    return 1;
}

int tsrec__backtest_run(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__predictor_config *cfg,
                        const tsrec__forecast_algo *algo, const tsrec__params *params,
                        const tsrec__series_batch *b, tsrec__algo_eval *out)
{
    memset(out, 0, sizeof(*out));
    out->algo = algo;
    out->n_windows = cfg->n_windows;
    const int64_t n = b->n_series, h = cfg->horizon, W = cfg->n_windows;
    const int32_t nq = cfg->nq;
    size_t cells, mcells, qcells;
    if (tsrec__mul_size((size_t)W, (size_t)n, &cells) != 0 ||
        tsrec__mul_size(cells, (size_t)h, &mcells) != 0 ||
        tsrec__mul_size(mcells, (size_t)(nq > 0 ? nq : 1), &qcells) != 0)
        return tsrec__fail(eh, TSREC_E_NOMEM, "backtest results too large");
    out->included = tsrec__calloc(ctx, cells, 1);
    out->mean = tsrec__calloc(ctx, mcells, sizeof(double));
    out->qv = tsrec__calloc(ctx, qcells, sizeof(double));
    uint8_t *fell = tsrec__calloc(ctx, (size_t)n, 1);
    uint8_t *skip = tsrec__calloc(ctx, (size_t)n, 1);
    int rc = TSREC_OK;
    if (out->included == NULL || out->mean == NULL || out->qv == NULL || fell == NULL ||
        skip == NULL)
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for backtest results");
    const int32_t m = tsrec__mase_season(b->freq);
    int64_t any = 0;
    for (int64_t w = 0; w < W && rc == TSREC_OK; w++) {
        int64_t split = b->n_time - cfg->offset - (W - 1 - w) * h;
        out->split[w] = split;
        uint8_t *inc = out->included + w * n;
        for (int64_t s = 0; s < n; s++) {
            inc[s] = (uint8_t)window_included(b, s, split, h);
            skip[s] = (uint8_t)!inc[s];
        }
        char what[96];
        snprintf(what, sizeof what, "backtest %s window %lld/%lld", algo->name,
                 (long long)(w + 1), (long long)W);
        double *mean = out->mean + w * n * h;
        double *qv = out->qv + w * n * nq * h;
        rc = tsrec__forecast_batch(ctx, eh, algo, params, b, split, h, cfg->q, nq, skip, mean,
                                   qv, fell, what);
        if (rc != TSREC_OK)
            break;
        tsrec__metric_acc acc;
        tsrec__metric_acc_init(&acc, cfg->q, nq);
        for (int64_t s = 0; s < n; s++) {
            if (!inc[s])
                continue;
            if (fell[s] == 2) { /* no finite history: cannot be scored */
                inc[s] = 0;
                continue;
            }
            out->n_fell_back += fell[s] == 1;
            const double *y = tsrec__series_batch_y(b, s);
            tsrec__metric_acc_add(&acc, y + split, h, mean + s * h, qv + s * nq * h,
                                  y + b->start[s], split - b->start[s], m);
        }
        tsrec__metric_acc_finish(&acc, &out->win[w]);
        any += out->win[w].item_count;
    }
    if (rc == TSREC_OK && any == 0)
        rc = tsrec__fail(eh, TSREC_E_EMPTY,
                         "no series has complete observed data in any backtest window "
                         "(items with filled values in a window are excluded from it)");
    if (rc == TSREC_OK)
        tsrec__metrics_mean(out->win, W, &out->summary);
    tsrec__free(ctx, fell);
    tsrec__free(ctx, skip);
    if (rc != TSREC_OK)
        tsrec__algo_eval_free(ctx, out);
    return rc;
}
