/* Read access to what a predictor was trained and evaluated on: one item's
 * target history on the forecast grid and the backtest split timestamps,
 * so a caller can plot history, forecast and backtest windows together
 * (tsrec forecast plot, tsrec demo). Both use the two-call pattern: NULL
 * outputs and cap 0 give the count. */
#include <string.h>

#include "data_internal.h"
#include "predictor_internal.h"
#include "time_internal.h"

/* The first series of item_id in the predictor's batch (with
 * ForecastDimensions an item may have several; the earliest in data
 * order is used), or -1. */
static int64_t find_item_series(const tsrec_predictor *p, const char *item_id)
{
    const tsrec_dataset_group *g = p->group;
    int64_t code = tsrec__strdict_lookup(&g->items, item_id, strlen(item_id));
    if (code < 0)
        return -1;
    for (int64_t s = 0; s < p->batch.n_series; s++)
        if (p->batch.item[s] == code)
            return s;
    return -1;
}

int tsrec_predictor_history(const tsrec_predictor *predictor, const char *item_id,
                            int64_t *out_timestamps, double *out_values, int64_t cap,
                            int64_t *out_n)
{
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_predictor_history",
                 "tsrec_predictor");
    tsrec_predictor *p = (tsrec_predictor *)predictor;
    tsrec__handle *eh = NULL; /* a shared read: failures go to tsrec_last_error() only */
    if (item_id == NULL || out_n == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_history: item_id and out_n must not be NULL");
    *out_n = 0;
    if (cap < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_predictor_history: cap %lld < 0",
                           (long long)cap);
    if (cap > 0 && out_timestamps == NULL && out_values == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_history: cap %lld but both outputs are NULL",
                           (long long)cap);
    if (!tsrec__handle_is(p->group, TSREC__MAGIC_GROUP))
        return tsrec__fail(eh, TSREC_E_MISUSE,
                           "tsrec_predictor_history: the predictor's dataset group was freed "
                           "(item ids are looked up in it)");
    int64_t s = find_item_series(p, item_id);
    if (s < 0)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "tsrec_predictor_history: item '%s' is not in the predictor's data",
                           item_id);
    const tsrec__series_batch *b = &p->batch;
    *out_n = b->n_time;
    if (out_timestamps == NULL && out_values == NULL)
        return tsrec__ok(eh); /* sizing call */
    if (cap < b->n_time)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_history: cap %lld is less than the %lld periods",
                           (long long)cap, (long long)b->n_time);
    const double *y = tsrec__series_batch_y(b, s);
    for (int64_t t = 0; t < b->n_time; t++) {
        if (out_timestamps != NULL) {
            int rc = tsrec__time_add_periods(b->t0, b->freq, t, &out_timestamps[t], eh);
            if (rc != TSREC_OK)
                return rc;
        }
        if (out_values != NULL)
            out_values[t] = y[t];
    }
    return tsrec__ok(eh);
}

int tsrec_predictor_backtest_splits(const tsrec_predictor *predictor, int64_t *out_timestamps,
                                    int64_t cap, int64_t *out_n)
{
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_predictor_backtest_splits",
                 "tsrec_predictor");
    tsrec_predictor *p = (tsrec_predictor *)predictor;
    tsrec__handle *eh = NULL; /* a shared read: failures go to tsrec_last_error() only */
    if (out_n == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_backtest_splits: out_n must not be NULL");
    *out_n = 0;
    if (cap < 0 || (cap > 0 && out_timestamps == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_backtest_splits: bad cap %lld for the output",
                           (long long)cap);
    /* Every evaluated algorithm shares the same windows; report the chosen one's. */
    const tsrec__algo_eval *e = &p->evals[p->chosen];
    *out_n = e->n_windows;
    if (out_timestamps == NULL)
        return tsrec__ok(eh);
    if (cap < e->n_windows)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_backtest_splits: cap %lld is less than the %d "
                           "windows",
                           (long long)cap, (int)e->n_windows);
    for (int32_t w = 0; w < e->n_windows; w++) {
        int rc = tsrec__time_add_periods(p->batch.t0, p->batch.freq, e->split[w],
                                         &out_timestamps[w], eh);
        if (rc != TSREC_OK)
            return rc;
    }
    return tsrec__ok(eh);
}
