/* Saving predictors (include/tsrec/io.h) on top of the object container
 * (src/io/container_internal.h); loading is predictor_load.c.
 *
 * What is stored, in this order (state version 1):
 *   1. the configuration, field by field (names of algorithms, not
 *      pointers; forecast types as their request text);
 *   2. a fingerprint of the featurized data the backtests ran on: grid
 *      (frequency, t0, series, periods, dimensions), every series key
 *      (item id + ForecastDimensions values) and a 64-bit hash of the
 *      filled target, its observed flags and per-series spans;
 *   3. every evaluated algorithm: hyperparameters (name, set flag, value
 *      in its round-trip string form), windows, per-window and summary
 *      metrics, per-series inclusion flags and backtest forecasts;
 *   4. the chosen algorithm.
 *
 * The featurized data itself is not stored: a predictor borrows its dataset
 * group (CreateForecast featurizes the group again), so loading featurizes
 * the group given to it with the saved configuration and checks the result
 * against the fingerprint. A group whose data differ (other items, other
 * values, another time range) is refused with TSREC_E_SCHEMA and a message
 * saying what differs, rather than giving a predictor whose metrics do not
 * describe its data. Everything else that does not check out (counts,
 * names, enum values, windows, flags) is TSREC_E_FORMAT. Errors are
 * recorded on the group. */
#include <math.h>
#include <string.h>

#include "container_internal.h"
#include "data_internal.h"
#include "hash_internal.h"
#include "params_internal.h"
#include "predictor_internal.h"

/* ---- shared ---------------------------------------------------------------- */

static uint64_t fold(uint64_t h, uint64_t x)
{
    return tsrec__hash_combine(h, tsrec__hash_u64(x));
}

uint64_t tsrec__predictor_data_hash(const tsrec__series_batch *b)
{
    uint64_t h = 0x7473726563ULL;
    for (int64_t s = 0; s < b->n_series; s++) {
        const double *y = tsrec__series_batch_y(b, s);
        const uint8_t *obs = b->observed + s * b->n_time;
        h = fold(h, (uint64_t)b->start[s]);
        h = fold(h, (uint64_t)b->end[s]);
        for (int64_t t = 0; t < b->n_time; t++) {
            uint64_t bits = 0x7ff8000000000000ULL;
            if (!isnan(y[t]))
                memcpy(&bits, &y[t], sizeof bits);
            h = fold(h, bits ^ ((uint64_t)obs[t] << 63 >> 1));
        }
    }
    return h;
}

/* ---- save ------------------------------------------------------------------ */

static void put_fill(tsrec__wbuf *b, const tsrec__fill_config *c)
{
    tsrec__wbuf_i32(b, c->related);
    tsrec__wbuf_i32(b, c->aggregation);
    for (int r = 0; r < TSREC__N_REGIONS; r++)
        tsrec__wbuf_i32(b, c->method[r]);
    for (int r = 0; r < TSREC__N_REGIONS; r++)
        tsrec__wbuf_f64(b, c->value[r]);
}

static void put_config(tsrec__wbuf *b, const tsrec__predictor_config *c)
{
    tsrec__wbuf_str(b, c->name);
    tsrec__wbuf_i32(b, c->automl);
    tsrec__wbuf_i32(b, c->freq);
    tsrec__wbuf_str(b, c->algo != NULL ? c->algo->name : NULL);
    tsrec__wbuf_i64(b, c->n_candidates);
    for (int32_t i = 0; i < c->n_candidates; i++)
        tsrec__wbuf_str(b, c->candidates[i]->name);
    tsrec__wbuf_i64(b, c->horizon);
    tsrec__wbuf_i64(b, c->n_types);
    for (int32_t i = 0; i < c->n_types; i++)
        tsrec__wbuf_str(b, c->types[i].text);
    tsrec__wbuf_i32(b, c->n_windows);
    tsrec__wbuf_i64(b, c->offset);
    put_fill(b, &c->fill);
    tsrec__wbuf_str(b, c->opt_metric);
    tsrec__wbuf_i64(b, c->n_related);
    for (int32_t i = 0; i < c->n_related; i++) {
        tsrec__wbuf_str(b, c->related_names[i]);
        put_fill(b, &c->related[i]);
    }
    tsrec__wbuf_i64(b, c->n_fdims);
    for (int32_t i = 0; i < c->n_fdims; i++)
        tsrec__wbuf_str(b, c->fdims[i]);
}

static void put_metrics(tsrec__wbuf *b, const tsrec__metrics *m)
{
    tsrec__wbuf_f64s(b, m->wql, m->nq);
    tsrec__wbuf_f64(b, m->avg_wql);
    tsrec__wbuf_f64(b, m->wape);
    tsrec__wbuf_f64(b, m->rmse);
    tsrec__wbuf_f64(b, m->mape);
    tsrec__wbuf_f64(b, m->mase);
    tsrec__wbuf_i64(b, m->item_count);
}

static int put_params(tsrec__wbuf *b, const tsrec__params *p, tsrec__handle *eh)
{
    int64_t n = p != NULL ? tsrec__params_count(p) : 0;
    tsrec__wbuf_i64(b, n);
    for (int64_t i = 0; i < n; i++) {
        char small[128];
        size_t len = 0;
        int rc = tsrec__params_format(p, eh, i, small, sizeof small, &len);
        if (rc != TSREC_OK)
            return rc;
        char *text = small;
        if (len >= sizeof small) {
            if ((text = tsrec__alloc(b->ctx, len + 1)) == NULL)
                return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory saving a predictor");
            rc = tsrec__params_format(p, eh, i, text, len + 1, &len);
        }
        tsrec__wbuf_str(b, tsrec__params_name(p, i));
        tsrec__wbuf_u8(b, (uint8_t)(tsrec__params_is_set(p, i) != 0));
        tsrec__wbuf_str(b, text);
        if (text != small)
            tsrec__free(b->ctx, text);
        if (rc != TSREC_OK)
            return rc;
    }
    return TSREC_OK;
}

static int put_eval(tsrec__wbuf *b, const tsrec__algo_eval *e, int64_t n_series, int64_t h,
                    int32_t nq, tsrec__handle *eh)
{
    tsrec__wbuf_str(b, e->algo->name);
    int rc = put_params(b, e->params, eh);
    if (rc != TSREC_OK)
        return rc;
    tsrec__wbuf_i64s(b, e->split, e->n_windows);
    for (int32_t w = 0; w < e->n_windows; w++)
        put_metrics(b, &e->win[w]);
    put_metrics(b, &e->summary);
    const int64_t cells = e->n_windows * n_series;
    tsrec__wbuf_u8s(b, e->included, cells);
    tsrec__wbuf_f64s(b, e->mean, cells * h);
    tsrec__wbuf_f64s(b, e->qv, cells * nq * h);
    tsrec__wbuf_i64(b, e->n_fell_back);
    return TSREC_OK;
}

static int put_predictor(tsrec__wbuf *b, const tsrec_predictor *p, tsrec__handle *eh)
{
    const tsrec__series_batch *bt = &p->batch;
    put_config(b, &p->cfg);
    tsrec__series_keys keys;
    int rc = tsrec__series_keys_build(b->ctx, eh, p->group, &p->cfg, bt, &keys);
    if (rc != TSREC_OK)
        return rc;
    tsrec__wbuf_i32(b, bt->freq);
    tsrec__wbuf_i64(b, bt->t0);
    tsrec__wbuf_i64(b, bt->n_time);
    tsrec__wbuf_i64(b, keys.n_series);
    tsrec__wbuf_i64(b, keys.n_dims);
    for (int64_t s = 0; s < keys.n_series; s++) {
        tsrec__wbuf_str(b, keys.items[s]);
        for (int32_t d = 0; d < keys.n_dims; d++)
            tsrec__wbuf_str(b, keys.dims[s * keys.n_dims + d]);
    }
    tsrec__series_keys_free(b->ctx, &keys);
    tsrec__wbuf_i64(b, (int64_t)tsrec__predictor_data_hash(bt));
    tsrec__wbuf_i64(b, p->n_evals);
    for (int32_t i = 0; i < p->n_evals && rc == TSREC_OK; i++)
        rc = put_eval(b, &p->evals[i], bt->n_series, p->cfg.horizon, p->cfg.nq, eh);
    tsrec__wbuf_i32(b, p->chosen);
    return rc;
}

/* Serialize p into *b (initialised here; the caller frees it). */
static int predictor_payload(const tsrec_predictor *p, tsrec__wbuf *b)
{
    tsrec__handle *eh = (tsrec__handle *)&p->hdr;
    tsrec__wbuf_init(b, p->hdr.ctx);
    if (!tsrec__handle_is(p->group, TSREC__MAGIC_GROUP))
        return tsrec__fail(eh, TSREC_E_MISUSE,
                           "the predictor's dataset group was freed before the predictor");
    int rc = put_predictor(b, p, eh);
    if (rc == TSREC_OK && b->status != TSREC_OK)
        rc = tsrec__fail(eh, b->status, "out of memory saving predictor '%s'", p->cfg.name);
    return rc;
}

/* The payload to path, or through write(user) when path is NULL. */
static int save_any(const tsrec_predictor *predictor, const char *path, tsrec_write_fn write,
                    void *user)
{
    tsrec__handle *eh = (tsrec__handle *)&predictor->hdr;
    tsrec__wbuf b;
    int rc = predictor_payload(predictor, &b);
    if (rc != TSREC_OK) {
        tsrec__wbuf_free(&b);
        return rc;
    }
    rc = tsrec__container_save_any(eh, TSREC_OBJECT_PREDICTOR, TSREC__PREDICTOR_STATE_VERSION,
                                   &b, path, write, user);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec_predictor_save(const tsrec_predictor *predictor, const char *path)
{
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_predictor_save", "tsrec_predictor");
    if (path == NULL)
        return tsrec__fail((tsrec__handle *)&predictor->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_save: NULL path");
    return save_any(predictor, path, NULL, NULL);
}

int tsrec_predictor_save_to(const tsrec_predictor *predictor, tsrec_write_fn write, void *user)
{
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_predictor_save_to",
                 "tsrec_predictor");
    if (write == NULL)
        return tsrec__fail((tsrec__handle *)&predictor->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_save_to: NULL writer");
    return save_any(predictor, NULL, write, user);
}
