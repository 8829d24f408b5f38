/* Saving and loading forecasts (include/tsrec/io.h) on top of the object
 * container (src/io/container_internal.h). A forecast stands alone: it is
 * loaded onto a ctx and needs neither its predictor nor its group.
 *
 * Payload (state version 1), in this order: name, frequency, horizon,
 * forecast types (as their request text, parsed again on load), period
 * timestamps, values (series x types x horizon), then the series keys: id
 * and target field names, ForecastDimensions names, and per series the
 * item id and dimension values. Loading checks every count against what is
 * left, the timestamps against the frequency (consecutive period starts)
 * and that values are finite or NaN (a series without data); anything else
 * is TSREC_E_FORMAT recorded on the ctx. */
#include <math.h>
#include <string.h>

#include "container_internal.h"
#include "predictor_internal.h"
#include "time_internal.h"

#define TSREC__FORECAST_STATE_VERSION 1u

/* ---- save ------------------------------------------------------------------ */

static void put_forecast(tsrec__wbuf *b, const tsrec_forecast *f)
{
    const tsrec__series_keys *k = &f->keys;
    tsrec__wbuf_str(b, f->name);
    tsrec__wbuf_i32(b, f->freq);
    tsrec__wbuf_i64(b, f->horizon);
    tsrec__wbuf_i64(b, f->n_types);
    for (int32_t t = 0; t < f->n_types; t++)
        tsrec__wbuf_str(b, f->types[t].text);
    tsrec__wbuf_i64s(b, f->timestamps, f->horizon);
    tsrec__wbuf_f64s(b, f->values, k->n_series * f->n_types * f->horizon);
    tsrec__wbuf_str(b, k->id_name);
    tsrec__wbuf_str(b, k->target_name);
    tsrec__wbuf_i64(b, k->n_dims);
    for (int32_t d = 0; d < k->n_dims; d++)
        tsrec__wbuf_str(b, k->dim_names[d]);
    tsrec__wbuf_i64(b, k->n_series);
    for (int64_t s = 0; s < k->n_series; s++) {
        tsrec__wbuf_str(b, k->items[s]);
        for (int32_t d = 0; d < k->n_dims; d++)
            tsrec__wbuf_str(b, k->dims[s * k->n_dims + d]);
    }
}

static int forecast_payload(const tsrec_forecast *f, tsrec__wbuf *b)
{
    tsrec__wbuf_init(b, f->hdr.ctx);
    put_forecast(b, f);
    if (b->status != TSREC_OK)
        return tsrec__fail((tsrec__handle *)&f->hdr, b->status,
                           "out of memory saving forecast '%s'", f->name);
    return TSREC_OK;
}

/* The payload to path, or through write(user) when path is NULL. */
static int save_any(const tsrec_forecast *forecast, const char *path, tsrec_write_fn write,
                    void *user)
{
    tsrec__handle *eh = (tsrec__handle *)&forecast->hdr;
    tsrec__wbuf b;
    int rc = forecast_payload(forecast, &b);
    if (rc != TSREC_OK) {
        tsrec__wbuf_free(&b);
        return rc;
    }
    rc = tsrec__container_save_any(eh, TSREC_OBJECT_FORECAST, TSREC__FORECAST_STATE_VERSION, &b,
                                   path, write, user);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec_forecast_save(const tsrec_forecast *forecast, const char *path)
{
    TSREC__CHECK(forecast, TSREC__MAGIC_FORECAST, "tsrec_forecast_save", "tsrec_forecast");
    if (path == NULL)
        return tsrec__fail((tsrec__handle *)&forecast->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_forecast_save: NULL path");
    return save_any(forecast, path, NULL, NULL);
}

int tsrec_forecast_save_to(const tsrec_forecast *forecast, tsrec_write_fn write, void *user)
{
    TSREC__CHECK(forecast, TSREC__MAGIC_FORECAST, "tsrec_forecast_save_to", "tsrec_forecast");
    if (write == NULL)
        return tsrec__fail((tsrec__handle *)&forecast->hdr, TSREC_E_INVALID_ARG,
                           "tsrec_forecast_save_to: NULL writer");
    return save_any(forecast, NULL, write, user);
}

/* ---- load ------------------------------------------------------------------ */

typedef struct loader {
    tsrec_ctx *ctx;
    tsrec__handle *eh;
    tsrec__rbuf r;
} loader;

static int corrupt(loader *L, const char *what)
{
    return tsrec__fail(L->eh, TSREC_E_FORMAT, "forecast file: %s", what);
}

static int get_str(loader *L, char **out, const char *what)
{
    int rc = tsrec__rbuf_str(&L->r, L->ctx, out);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(L->eh, rc, "out of memory loading a forecast");
    if (rc != TSREC_OK || *out == NULL)
        return corrupt(L, what);
    return TSREC_OK;
}

static int get_types(loader *L, tsrec_forecast *f)
{
    int64_t n = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || n < 1 || n > TSREC__MAX_FORECAST_TYPES)
        return corrupt(L, "bad forecast type count");
    for (int64_t i = 0; i < n; i++) {
        char text[8];
        if (tsrec__rbuf_str_into(&L->r, text, sizeof text) != TSREC_OK ||
            tsrec__ftype_parse(L->eh, text, strlen(text), &f->types[i]) != TSREC_OK)
            return corrupt(L, "bad forecast type");
        for (int64_t j = 0; j < i; j++)
            if (strcmp(f->types[j].name, f->types[i].name) == 0)
                return corrupt(L, "a forecast type is listed twice");
    }
    f->n_types = (int32_t)n;
    return TSREC_OK;
}

/* Timestamps: horizon consecutive period starts of the frequency. */
static int get_timestamps(loader *L, tsrec_forecast *f)
{
    int64_t n = 0;
    int rc = tsrec__rbuf_i64s(&L->r, L->ctx, &f->timestamps, &n);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(L->eh, rc, "out of memory loading a forecast");
    if (rc != TSREC_OK || n != f->horizon)
        return corrupt(L, "bad timestamp count");
    for (int64_t j = 0; j < n; j++) {
        int64_t want = f->timestamps[0];
        if (j > 0 && tsrec__time_add_periods(f->timestamps[0], f->freq, j, &want, NULL) !=
                         TSREC_OK)
            return corrupt(L, "bad timestamps");
        if (f->timestamps[j] != want || !tsrec__time_is_period_start(want, f->freq))
            return corrupt(L, "timestamps are not consecutive periods of the frequency");
    }
    return TSREC_OK;
}

static int get_keys(loader *L, tsrec__series_keys *k)
{
    int rc = get_str(L, &k->id_name, "bad id field name");
    if (rc == TSREC_OK)
        rc = get_str(L, &k->target_name, "bad target field name");
    if (rc != TSREC_OK)
        return rc;
    int64_t n_dims = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || n_dims < 0 || n_dims > TSREC__MAX_FORECAST_DIMS)
        return corrupt(L, "bad dimension count");
    for (int64_t d = 0; d < n_dims; d++) {
        if ((rc = get_str(L, &k->dim_names[d], "bad dimension name")) != TSREC_OK)
            return rc;
        k->n_dims = (int32_t)d + 1;
    }
    /* Every key string takes at least its 8-byte length. */
    int64_t n = tsrec__rbuf_count(&L->r, 8 * (size_t)(1 + n_dims));
    if (n < 1)
        return corrupt(L, "bad series count");
    k->items = tsrec__calloc(L->ctx, (size_t)n, sizeof(char *));
    if (k->n_dims > 0)
        k->dims = tsrec__calloc(L->ctx, (size_t)(n * k->n_dims), sizeof(char *));
    if (k->items == NULL || (k->n_dims > 0 && k->dims == NULL)) {
        tsrec__free(L->ctx, k->items);
        tsrec__free(L->ctx, k->dims);
        k->items = NULL;
        k->dims = NULL;
        return tsrec__fail(L->eh, TSREC_E_NOMEM, "out of memory loading a forecast");
    }
    k->n_series = n; /* arrays zeroed: partial keys free cleanly */
    for (int64_t s = 0; s < n && rc == TSREC_OK; s++) {
        rc = get_str(L, &k->items[s], "bad item id");
        for (int32_t d = 0; d < k->n_dims && rc == TSREC_OK; d++)
            rc = get_str(L, &k->dims[s * k->n_dims + d], "bad dimension value");
    }
    return rc;
}

static int get_forecast(loader *L, tsrec_forecast *f)
{
    int rc = TSREC_OK;
    if (tsrec__rbuf_str_into(&L->r, f->name, sizeof f->name) != TSREC_OK ||
        tsrec__check_resource_name(L->eh, "ForecastName", f->name, strlen(f->name)) != TSREC_OK)
        return corrupt(L, "bad forecast name");
    f->freq = tsrec__rbuf_i32(&L->r);
    f->horizon = tsrec__rbuf_i64(&L->r);
    if (L->r.failed || !tsrec__freq_valid(f->freq) || f->horizon < 1 ||
        f->horizon > TSREC__MAX_HORIZON)
        return corrupt(L, "bad frequency or horizon");
    if ((rc = get_types(L, f)) != TSREC_OK || (rc = get_timestamps(L, f)) != TSREC_OK)
        return rc;
    int64_t n_values = 0;
    rc = tsrec__rbuf_f64s(&L->r, L->ctx, &f->values, &n_values);
    if (rc == TSREC_E_NOMEM)
        return tsrec__fail(L->eh, rc, "out of memory loading a forecast");
    if (rc != TSREC_OK)
        return corrupt(L, "bad values");
    for (int64_t i = 0; i < n_values; i++)
        if (isinf(f->values[i]))
            return corrupt(L, "infinite forecast value");
    if ((rc = get_keys(L, &f->keys)) != TSREC_OK)
        return rc;
    /* n_series >= 1 and n_types, horizon are small: no overflow. */
    if (n_values != f->keys.n_series * f->n_types * f->horizon)
        return corrupt(L, "the value count does not match series x types x horizon");
    if (L->r.pos != L->r.len)
        return corrupt(L, "unexpected bytes after the forecast");
    return TSREC_OK;
}

static int load_payload(tsrec_ctx *ctx, tsrec__payload *pl, tsrec_forecast **out_forecast)
{
    tsrec__handle *eh = &ctx->hdr;
    tsrec_forecast *f = tsrec__calloc(ctx, 1, sizeof(*f));
    if (f == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for a forecast");
    tsrec__handle_init(&f->hdr, TSREC__MAGIC_FORECAST, ctx);
    loader L = {.ctx = ctx, .eh = eh};
    tsrec__rbuf_init(&L.r, pl->data, pl->len);
    int rc = get_forecast(&L, f);
    if (rc != TSREC_OK) {
        tsrec_forecast_free(f);
        return rc;
    }
    *out_forecast = f;
    return tsrec__ok(eh);
}

static int load_check(tsrec_ctx *ctx, int have_src, tsrec_forecast **out_forecast,
                      const char *fn)
{
    if (out_forecast != NULL)
        *out_forecast = NULL;
    TSREC__CHECK(ctx, TSREC__MAGIC_CTX, fn, "tsrec_ctx");
    if (out_forecast == NULL || !have_src)
        return tsrec__fail(&ctx->hdr, TSREC_E_INVALID_ARG, "%s: NULL argument", fn);
    return TSREC_OK;
}

/* From path, or through read(user) when path is NULL. */
static int load_any(tsrec_ctx *ctx, const char *path, tsrec_read_fn read, void *user,
                    tsrec_forecast **out_forecast)
{
    tsrec__payload pl;
    memset(&pl, 0, sizeof pl);
    int rc = tsrec__container_load_any(&ctx->hdr, ctx, TSREC_OBJECT_FORECAST,
                                       TSREC__FORECAST_STATE_VERSION, path, read, user, &pl);
    if (rc == TSREC_OK)
        rc = load_payload(ctx, &pl, out_forecast);
    tsrec__payload_free(&pl);
    return rc;
}

int tsrec_forecast_load(tsrec_ctx *ctx, const char *path, tsrec_forecast **out_forecast)
{
    int rc = load_check(ctx, path != NULL, out_forecast, "tsrec_forecast_load");
    return rc == TSREC_OK ? load_any(ctx, path, NULL, NULL, out_forecast) : rc;
}

int tsrec_forecast_load_from(tsrec_ctx *ctx, tsrec_read_fn read, void *user,
                             tsrec_forecast **out_forecast)
{
    int rc = load_check(ctx, read != NULL, out_forecast, "tsrec_forecast_load_from");
    return rc == TSREC_OK ? load_any(ctx, NULL, read, user, out_forecast) : rc;
}
