/* tsrec_forecast: CreateForecast (aws-surface A7). The chosen algorithm is
 * retrained on all the data of the predictor's dataset group (featurized
 * again with the predictor's configuration) and forecasts every series, or
 * only those a TimeSeriesSelector names (forecast_selector.c; the others
 * are skipped, not computed), for ForecastHorizon periods after the last
 * period of the target grid. The
 * forecast copies values, timestamps and series names, so it depends on
 * neither the predictor nor the group afterwards. A series without any
 * value gets NaN forecasts (null in JSON, empty in CSV). */
#include <math.h>
#include <string.h>

#include "json_internal.h"
#include "predictor_internal.h"
#include "time_internal.h"

static void forecast_free(tsrec_ctx *ctx, tsrec_forecast *f)
{
    tsrec__free(ctx, f->timestamps);
    tsrec__free(ctx, f->values);
    tsrec__series_keys_free(ctx, &f->keys);
    tsrec__handle_retire(&f->hdr);
    tsrec__free(ctx, f);
}

/* {"ForecastName":..., "ForecastTypes":[...], "TimeSeriesSelector":{...}}
 * (all optional here). */
static int parse_request(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec_predictor *p,
                         const char *json, size_t len, tsrec_forecast *f, tsrec__selector *sel)
{
    const tsrec__predictor_config *cfg = &p->cfg;
    memcpy(f->name, "forecast", 9);
    f->n_types = cfg->n_types;
    memcpy(f->types, cfg->types, sizeof f->types);
    if (json == NULL)
        return TSREC_OK;
    tsrec__json_doc *doc = NULL;
    int rc = tsrec__json_parse(ctx, eh, json, len, 0, &doc);
    if (rc != TSREC_OK)
        return rc;
    const tsrec__json *root = tsrec__json_root(doc);
    if (tsrec__json_type(root) != TSREC__JSON_OBJECT)
        rc = tsrec__fail(eh, TSREC_E_BAD_TYPE, "the CreateForecast request must be an object");
    for (int64_t i = 0; rc == TSREC_OK && i < root->u.obj.n; i++) {
        const tsrec__json_member *m = &root->u.obj.items[i];
        const char *s;
        size_t l;
        if (strcmp(m->key, "ForecastName") == 0) {
            rc = tsrec__json_as_string(&m->value, eh, m->key, &s, &l);
            if (rc == TSREC_OK)
                rc = tsrec__check_resource_name(eh, "ForecastName", s, l);
            if (rc == TSREC_OK) {
                memcpy(f->name, s, l);
                f->name[l] = '\0';
            }
        } else if (strcmp(m->key, "ForecastTypes") == 0) {
            int64_t n = tsrec__json_len(&m->value);
            if (tsrec__json_type(&m->value) != TSREC__JSON_ARRAY || n < 1 ||
                n > TSREC__MAX_FORECAST_TYPES) {
                rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                 "ForecastTypes must be an array of 1 to 5 entries");
                break;
            }
            f->n_types = 0;
            for (int64_t j = 0; rc == TSREC_OK && j < n; j++) {
                tsrec__ftype t;
                rc = tsrec__json_as_string(tsrec__json_at(&m->value, j), eh, "ForecastTypes entry",
                                           &s, &l);
                if (rc == TSREC_OK)
                    rc = tsrec__ftype_parse(eh, s, l, &t);
                int found = 0;
                for (int32_t k = 0; rc == TSREC_OK && k < cfg->n_types; k++)
                    found |= strcmp(cfg->types[k].name, t.name) == 0;
                for (int32_t k = 0; rc == TSREC_OK && k < f->n_types; k++)
                    if (strcmp(f->types[k].name, t.name) == 0)
                        rc = tsrec__fail(eh, TSREC_E_DUPLICATE, "ForecastTypes lists '%s' twice",
                                         t.text);
                if (rc == TSREC_OK && !found)
                    rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                     "ForecastTypes: '%s' is not a forecast type of predictor "
                                     "'%s'",
                                     t.text, cfg->name);
                if (rc == TSREC_OK)
                    f->types[f->n_types++] = t;
            }
        } else if (strcmp(m->key, "TimeSeriesSelector") == 0) {
            rc = tsrec__selector_parse(ctx, eh, p->group, cfg, &m->value, sel);
        } else if (strcmp(m->key, "PredictorArn") != 0 && strcmp(m->key, "Tags") != 0) {
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                             "unknown key '%s' in the CreateForecast request", m->key);
        }
    }
    tsrec__json_free(doc);
    return rc;
}

static int compute(tsrec_ctx *ctx, tsrec__handle *eh, tsrec_predictor *p,
                   const tsrec__selector *sel, tsrec_forecast *f)
{
    const tsrec__predictor_config *cfg = &p->cfg;
    const tsrec__algo_eval *e = &p->evals[p->chosen];
    tsrec__series_batch b;
    tsrec__featurize_spec spec;
    tsrec__predictor_featurize_spec(cfg, &spec);
    int rc = tsrec__featurize_group(&b, p->group, eh, &spec);
    if (rc != TSREC_OK)
        return rc;
    const int64_t n = b.n_series, h = cfg->horizon;
    const int32_t nq = cfg->nq;
    double *mean = NULL, *qv = NULL;
    uint8_t *fell = NULL, *skip = NULL;
    int64_t n_out = n; /* series in the forecast */
    /* Names first: a selector picks series by them, before any forecasting. */
    rc = tsrec__series_keys_build(ctx, eh, p->group, cfg, &b, &f->keys);
    if (rc == TSREC_OK && sel->path != NULL) {
        int64_t n_unmatched = 0;
        skip = tsrec__calloc(ctx, (size_t)(n > 0 ? n : 1), 1);
        rc = skip == NULL ? tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for a forecast")
                          : tsrec__selector_match(ctx, eh, sel, &f->keys, skip, &n_out,
                                                  &n_unmatched);
        if (rc == TSREC_OK && n_unmatched > 0)
            tsrec__log(ctx, TSREC_LOG_WARN,
                       "forecast '%s': %lld TimeSeriesSelector row%s of '%s' name%s no series "
                       "of the data (ignored)",
                       f->name, (long long)n_unmatched, n_unmatched == 1 ? "" : "s", sel->path,
                       n_unmatched == 1 ? "s" : "");
    }
    size_t mc = 0, qc = 0, vc = 0;
    if (rc == TSREC_OK &&
        (tsrec__mul_size((size_t)n, (size_t)h, &mc) != 0 ||
         tsrec__mul_size(mc, (size_t)(nq > 0 ? nq : 1), &qc) != 0 ||
         tsrec__mul_size((size_t)n_out * (size_t)h, (size_t)f->n_types, &vc) != 0))
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "forecast too large");
    if (rc == TSREC_OK) {
        mean = tsrec__calloc(ctx, mc, sizeof(double));
        qv = tsrec__calloc(ctx, qc, sizeof(double));
        f->values = tsrec__calloc(ctx, vc, sizeof(double));
        f->timestamps = tsrec__calloc(ctx, (size_t)h, sizeof(int64_t));
        if (mean == NULL || qv == NULL || f->values == NULL || f->timestamps == NULL)
            rc = tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for forecast values");
    }
    for (int64_t j = 0; j < h && rc == TSREC_OK; j++)
        rc = tsrec__time_add_periods(b.t0, b.freq, b.n_time + j, &f->timestamps[j], eh);
    if (rc == TSREC_OK) {
        char what[64];
        memcpy(what, "forecast ", 10);
        strncat(what, e->algo->name, sizeof what - 11);
        fell = tsrec__calloc(ctx, (size_t)(n > 0 ? n : 1), 1);
        rc = fell == NULL ? tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for a forecast")
                          : tsrec__forecast_batch(ctx, eh, e->algo, e->params, &b, b.n_time, h,
                                                  cfg->q, nq, skip, mean, qv, fell, what);
    }
    if (rc == TSREC_OK) {
        /* Record the documented fallback (naive forecast) and the series
         * without any value (NaN forecasts) in the log. */
        int64_t n_fell = 0, n_empty = 0;
        for (int64_t s = 0; s < n; s++) {
            n_fell += fell[s] == 1;
            n_empty += fell[s] == 2;
        }
        if (n_fell > 0)
            tsrec__log(ctx, TSREC_LOG_INFO,
                       "forecast '%s': %s used the naive fallback for %lld series", f->name,
                       e->algo->name, (long long)n_fell);
        if (n_empty > 0)
            tsrec__log(ctx, TSREC_LOG_INFO,
                       "forecast '%s': %lld series have no value (NaN forecasts)", f->name,
                       (long long)n_empty);
    }
    tsrec__free(ctx, fell);
    if (rc == TSREC_OK) {
        for (int32_t t = 0; t < f->n_types; t++) {
            int32_t k = -1, kq = 0;
            for (int32_t i = 0; i < cfg->n_types; i++) {
                if (strcmp(cfg->types[i].name, f->types[t].name) == 0)
                    k = isnan(cfg->types[i].q) ? -1 : kq;
                kq += !isnan(cfg->types[i].q);
            }
            for (int64_t s = 0, o = 0; s < n; s++) {
                if (skip != NULL && skip[s])
                    continue;
                for (int64_t j = 0; j < h; j++)
                    f->values[(o * f->n_types + t) * h + j] =
                        k < 0 ? mean[s * h + j] : qv[(s * nq + k) * h + j];
                o++;
            }
        }
        if (skip != NULL)
            tsrec__series_keys_keep(ctx, &f->keys, skip);
        f->freq = b.freq;
        f->horizon = h;
    }
    tsrec__free(ctx, skip);
    tsrec__free(ctx, mean);
    tsrec__free(ctx, qv);
    tsrec__series_batch_free(&b);
    return rc;
}

int tsrec_forecast_create(tsrec_predictor *predictor, const char *request_json, size_t len,
                          tsrec_forecast **out_forecast)
{
    if (out_forecast != NULL)
        *out_forecast = NULL;
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_forecast_create", "tsrec_predictor");
    tsrec__handle *eh = &predictor->hdr;
    tsrec_ctx *ctx = predictor->hdr.ctx;
    if (out_forecast == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_forecast_create: NULL out");
    tsrec_forecast *f = tsrec__calloc(ctx, 1, sizeof(*f));
    if (f == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for a forecast");
    tsrec__handle_init(&f->hdr, TSREC__MAGIC_FORECAST, ctx);
    tsrec__selector sel;
    memset(&sel, 0, sizeof sel);
    int rc = parse_request(ctx, eh, predictor, request_json, len, f, &sel);
    /* The selector file is read (and checked) before the costly work. */
    if (rc == TSREC_OK && sel.path != NULL)
        rc = tsrec__selector_read(ctx, eh, &sel);
    if (rc == TSREC_OK)
        rc = compute(ctx, eh, predictor, &sel, f);
    tsrec__selector_free(ctx, &sel);
    if (rc != TSREC_OK) {
        forecast_free(ctx, f);
        return rc;
    }
    *out_forecast = f;
    return tsrec__ok(eh);
}

void tsrec_forecast_free(tsrec_forecast *forecast)
{
    if (!tsrec__handle_is(forecast, TSREC__MAGIC_FORECAST))
        return;
    forecast_free(forecast->hdr.ctx, forecast);
}

int tsrec_forecast_dims(const tsrec_forecast *forecast, int64_t *out_series, int64_t *out_horizon,
                        int64_t *out_types)
{
    TSREC__CHECK(forecast, TSREC__MAGIC_FORECAST, "tsrec_forecast_dims", "tsrec_forecast");
    tsrec_forecast *f = (tsrec_forecast *)forecast;
    if (out_series != NULL)
        *out_series = f->keys.n_series;
    if (out_horizon != NULL)
        *out_horizon = f->horizon;
    if (out_types != NULL)
        *out_types = f->n_types;
    return tsrec__ok(NULL);
}

int tsrec_forecast_type_name(const tsrec_forecast *forecast, int64_t i, const char **out_name)
{
    TSREC__CHECK(forecast, TSREC__MAGIC_FORECAST, "tsrec_forecast_type_name", "tsrec_forecast");
    tsrec_forecast *f = (tsrec_forecast *)forecast;
    if (out_name == NULL)
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG, "tsrec_forecast_type_name: NULL out");
    if (i < 0 || i >= f->n_types)
        return tsrec__fail(NULL, TSREC_E_OUT_OF_RANGE,
                           "forecast type %lld: the forecast has %d types", (long long)i,
                           (int)f->n_types);
    *out_name = f->types[i].name;
    return tsrec__ok(NULL);
}
