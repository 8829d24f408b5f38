/* QueryForecast (aws-surface A7): the Filters map selects one series by its
 * id field ("item_id", or the domain's id field name) and every
 * ForecastDimension; the response is
 * {"Forecast":{"Predictions":{"p10":[{"Timestamp":"yyyy-MM-ddTHH:mm:ss",
 * "Value":v},...],...}}}. Series are found by a linear scan (one query
 * touches every series name once). */
#include <math.h>
#include <string.h>

#include "json_internal.h"
#include "predictor_internal.h"
#include "time_internal.h"

/* Index of the series with this item id and dimension values, or -1. */
static int64_t find_series(const tsrec_forecast *f, const char *item, const char *const *dims)
{
    const tsrec__series_keys *k = &f->keys;
    for (int64_t s = 0; s < k->n_series; s++) {
        if (strcmp(k->items[s], item) != 0)
            continue;
        int ok = 1;
        for (int32_t d = 0; d < k->n_dims && ok; d++)
            ok = strcmp(k->dims[s * k->n_dims + d], dims[d]) == 0;
        if (ok)
            return s;
    }
    return -1;
}

static int write_response(tsrec_forecast *f, int64_t s, tsrec__json_writer *w, tsrec__handle *eh)
{
    tsrec__jw_object_begin(w);
    tsrec__jw_key(w, "Forecast", 8);
    tsrec__jw_object_begin(w);
    tsrec__jw_key(w, "Predictions", 11);
    tsrec__jw_object_begin(w);
    for (int32_t t = 0; t < f->n_types; t++) {
        tsrec__jw_key(w, f->types[t].name, strlen(f->types[t].name));
        tsrec__jw_array_begin(w);
        for (int64_t j = 0; j < f->horizon; j++) {
            char ts[TSREC__TIME_STR_MAX];
            int rc = tsrec__time_format(f->timestamps[j], TSREC__TIME_FMT_ISO, ts, sizeof ts, eh);
            if (rc != TSREC_OK)
                return rc;
            ts[strlen(ts) - 1] = '\0'; /* AWS: yyyy-MM-ddTHH:mm:ss */
            double v = f->values[(s * f->n_types + t) * f->horizon + j];
            tsrec__jw_object_begin(w);
            tsrec__jw_key(w, "Timestamp", 9);
            tsrec__jw_string(w, ts, strlen(ts));
            tsrec__jw_key(w, "Value", 5);
            if (isfinite(v))
                tsrec__jw_double(w, v);
            else
                tsrec__jw_null(w);
            tsrec__jw_object_end(w);
        }
        tsrec__jw_array_end(w);
    }
    tsrec__jw_object_end(w);
    tsrec__jw_object_end(w);
    tsrec__jw_object_end(w);
    return TSREC_OK;
}

static int select_series(tsrec_forecast *f, tsrec__handle *eh, const tsrec__json *root,
                         int64_t *out)
{
    const tsrec__series_keys *k = &f->keys;
    if (tsrec__json_type(root) != TSREC__JSON_OBJECT)
        return tsrec__fail(eh, TSREC_E_BAD_TYPE, "Filters must be a JSON object");
    if (root->u.obj.n < 1 || root->u.obj.n > 50)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "Filters must hold 1 to 50 entries");
    const char *item = NULL;
    const char *dims[TSREC__MAX_FORECAST_DIMS] = {NULL};
    for (int64_t i = 0; i < root->u.obj.n; i++) {
        const tsrec__json_member *m = &root->u.obj.items[i];
        const char *v;
        size_t len;
        int rc = tsrec__json_as_string(&m->value, eh, m->key, &v, &len);
        if (rc != TSREC_OK)
            return rc;
        if (strcmp(m->key, k->id_name) == 0 || strcmp(m->key, "item_id") == 0) {
            if (item != NULL)
                return tsrec__fail(eh, TSREC_E_DUPLICATE, "Filters: the item id is given twice");
            item = v;
            continue;
        }
        int32_t d = 0;
        while (d < k->n_dims && strcmp(k->dim_names[d], m->key) != 0)
            d++;
        if (d == k->n_dims)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "Filters: '%s' is neither '%s' nor a forecast dimension", m->key,
                               k->id_name);
        dims[d] = v;
    }
    if (item == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "Filters must give '%s'", k->id_name);
    for (int32_t d = 0; d < k->n_dims; d++)
        if (dims[d] == NULL)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG, "Filters must give dimension '%s'",
                               k->dim_names[d]);
    *out = find_series(f, item, dims);
    if (*out < 0)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "forecast '%s' has no series matching the filters (%s '%s')", f->name,
                           k->id_name, item);
    return TSREC_OK;
}

int tsrec_forecast_query_json(const tsrec_forecast *forecast, const char *filters_json,
                              size_t len, char *buf, size_t cap, size_t *out_len)
{
    TSREC__CHECK(forecast, TSREC__MAGIC_FORECAST, "tsrec_forecast_query_json", "tsrec_forecast");
    tsrec_forecast *f = (tsrec_forecast *)forecast;
    tsrec__handle *eh = NULL; /* a shared read: failures go to tsrec_last_error() only */
    tsrec_ctx *ctx = f->hdr.ctx;
    if (filters_json == NULL || out_len == NULL || (buf == NULL && cap > 0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_forecast_query_json: bad argument");
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(ctx, eh, filters_json, len, 0, &doc);
    int64_t s = -1;
    if (rc == TSREC_OK)
        rc = select_series(f, eh, tsrec__json_root(doc), &s);
    tsrec__json_free(doc);
    if (rc != TSREC_OK)
        return rc;
    tsrec__json_writer w;
    tsrec__jw_init(&w, ctx);
    rc = write_response(f, s, &w, eh);
    const char *text = NULL;
    size_t n = 0;
    if (rc == TSREC_OK)
        rc = tsrec__jw_finish(&w, eh, &text, &n);
    if (rc == TSREC_OK) {
        *out_len = n;
        if (buf != NULL && cap > 0) {
            size_t c = n < cap - 1 ? n : cap - 1;
            memcpy(buf, text, c);
            buf[c] = '\0';
        }
    }
    tsrec__jw_free(&w);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec_forecast_query(const tsrec_forecast *forecast, const char *item_id,
                         const char *const *dims, int64_t n_dims, int64_t *out_timestamps,
                         double *out_values)
{
    TSREC__CHECK(forecast, TSREC__MAGIC_FORECAST, "tsrec_forecast_query", "tsrec_forecast");
    tsrec_forecast *f = (tsrec_forecast *)forecast;
    tsrec__handle *eh = NULL; /* a shared read: failures go to tsrec_last_error() only */
    if (item_id == NULL || (n_dims > 0 && dims == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_forecast_query: NULL argument");
    if (n_dims != f->keys.n_dims)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_forecast_query: %lld dimension values given, the forecast has "
                           "%d ForecastDimensions",
                           (long long)n_dims, (int)f->keys.n_dims);
    for (int64_t d = 0; d < n_dims; d++)
        if (dims[d] == NULL)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_forecast_query: NULL dimension");
    int64_t s = find_series(f, item_id, dims);
    if (s < 0)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "forecast '%s' has no series '%s' with these dimension values",
                           f->name, item_id);
    if (out_timestamps != NULL)
        memcpy(out_timestamps, f->timestamps, (size_t)f->horizon * sizeof(int64_t));
    if (out_values != NULL)
        memcpy(out_values, f->values + s * f->n_types * f->horizon,
               (size_t)(f->n_types * f->horizon) * sizeof(double));
    return tsrec__ok(eh);
}
