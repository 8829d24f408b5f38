/* The dense, aligned batch forecasting algorithms consume, and the drivers
 * that build it from plain rows: the target (aggregate, align, fill) and
 * the related features (place on the target's grid extended by the
 * horizon, check the AWS start rule, fill). */
#include "featurize_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "time_internal.h"

/* n * size bytes, 0 on overflow (callers treat it as out of memory). */
static size_t bytes_of(int64_t n, size_t size)
{
    size_t out;
    if (n < 0 || tsrec__mul_size((size_t)n, size, &out) != 0)
        return 0;
    return out == 0 ? 1 : out; /* keep empty arrays allocated and non-NULL */
}

static int64_t *alloc_codes(tsrec_ctx *ctx, int64_t n)
{
    size_t b = bytes_of(n, sizeof(int64_t));
    int64_t *p = b ? tsrec__alloc(ctx, b) : NULL;
    if (p != NULL)
        for (int64_t i = 0; i < n; i++)
            p[i] = -1;
    return p;
}

int tsrec__series_batch_init(tsrec__series_batch *b, tsrec_ctx *ctx, tsrec__handle *eh,
                             int32_t freq, int64_t t0, int64_t n_series, int64_t n_time,
                             int32_t n_dims)
{
    if (b == NULL || ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "series_batch_init: NULL argument");
    memset(b, 0, sizeof(*b));
    if (!tsrec__freq_valid(freq) || n_series < 0 || n_time < 0 || n_dims < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "series_batch_init: invalid frequency or negative size");
    size_t cells;
    int64_t n_dim_codes = 0;
    if (tsrec__mul_size((size_t)n_series, (size_t)n_time, &cells) != 0 ||
        cells > (size_t)INT64_MAX / sizeof(double) ||
        (n_dims > 0 && n_series > INT64_MAX / n_dims))
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "series batch of %" PRId64 " series x %" PRId64
                           " periods is too large",
                           n_series, n_time);
    n_dim_codes = n_series * n_dims;
    b->ctx = ctx;
    b->freq = freq;
    b->n_dims = n_dims;
    b->t0 = t0;
    b->n_series = n_series;
    b->n_time = n_time;
    b->y = tsrec__alloc(ctx, bytes_of((int64_t)cells, sizeof(double)));
    b->observed = tsrec__calloc(ctx, cells == 0 ? 1 : cells, 1);
    b->start = tsrec__calloc(ctx, n_series == 0 ? 1 : (size_t)n_series, sizeof(int64_t));
    b->end = tsrec__calloc(ctx, n_series == 0 ? 1 : (size_t)n_series, sizeof(int64_t));
    b->item = alloc_codes(ctx, n_series);
    b->dims = alloc_codes(ctx, n_dim_codes);
    if (b->y == NULL || b->observed == NULL || b->start == NULL || b->end == NULL ||
        b->item == NULL || b->dims == NULL) {
        tsrec__series_batch_free(b);
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "out of memory allocating a series batch of %" PRId64
                           " series x %" PRId64 " periods",
                           n_series, n_time);
    }
    for (size_t k = 0; k < cells; k++)
        b->y[k] = NAN;
    return TSREC_OK;
}

int tsrec__series_batch_add_meta(tsrec__series_batch *b, tsrec__handle *eh, int64_t n_meta)
{
    if (b == NULL || b->ctx == NULL || n_meta < 0 || b->meta != NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "series_batch_add_meta: bad batch or count, or metadata already "
                           "added");
    if (n_meta > 0 && b->n_series > INT64_MAX / n_meta)
        return tsrec__fail(eh, TSREC_E_NOMEM, "series_batch_add_meta: size overflows");
    int64_t *m = alloc_codes(b->ctx, b->n_series * n_meta);
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory allocating item metadata codes");
    b->meta = m;
    b->n_meta = n_meta;
    return TSREC_OK;
}

static void drop_related(tsrec__series_batch *b)
{
    tsrec__free(b->ctx, b->related);
    tsrec__free(b->ctx, b->related_observed);
    b->related = NULL;
    b->related_observed = NULL;
    b->n_related = 0;
    b->horizon = 0;
    b->n_time_related = 0;
}

void tsrec__series_batch_free(tsrec__series_batch *b)
{
    if (b == NULL || b->ctx == NULL)
        return;
    tsrec_ctx *ctx = b->ctx;
    drop_related(b);
    tsrec__free(ctx, b->y);
    tsrec__free(ctx, b->observed);
    tsrec__free(ctx, b->start);
    tsrec__free(ctx, b->end);
    tsrec__free(ctx, b->item);
    tsrec__free(ctx, b->dims);
    tsrec__free(ctx, b->meta);
    tsrec__free(ctx, (void *)b->related_names);
    tsrec__free(ctx, b->dropped);
    memset(b, 0, sizeof(*b));
}

/* ---- target ------------------------------------------------------------ */

int tsrec__featurize_target(tsrec__series_batch *out, tsrec_ctx *ctx, tsrec__handle *eh,
                            const tsrec__ts_rows *rows, int64_t n_series, int32_t data_freq,
                            int32_t freq, const char *attr, const tsrec__fill_config *cfg,
                            int32_t n_dims)
{
    if (out == NULL || ctx == NULL || rows == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "featurize_target: NULL argument");
    memset(out, 0, sizeof(*out));
    if (!tsrec__freq_valid(freq))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "featurize_target: invalid forecast frequency code %d", (int)freq);
    if (data_freq != 0 && !tsrec__freq_valid(data_freq))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "featurize_target: invalid data frequency code %d", (int)data_freq);
    /* Codes run from the coarsest (Y) to the finest (1min). */
    if (data_freq != 0 && freq > data_freq)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "forecast frequency '%s' is finer than the data frequency '%s' "
                           "(data can only be aggregated to an equal or coarser frequency)",
                           tsrec__freq_name(freq), tsrec__freq_name(data_freq));
    if (cfg == NULL || cfg->related)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "featurize_target: a target filling config is required");
    int rc = tsrec__fill_config_check(cfg, eh, attr);
    if (rc != TSREC_OK)
        return rc;
    if (n_series <= 0 || rows->n <= 0)
        return tsrec__fail(eh, TSREC_E_EMPTY, "target attribute '%s': no time series rows",
                           attr != NULL ? attr : "?");
    int64_t t0, n_time;
    if ((rc = tsrec__grid_span(rows, freq, &t0, &n_time, eh)) != TSREC_OK)
        return rc;
    if ((rc = tsrec__series_batch_init(out, ctx, eh, freq, t0, n_series, n_time, n_dims)) !=
        TSREC_OK)
        return rc;
    rc = tsrec__aggregate(ctx, eh, rows, n_series, freq, cfg->aggregation, t0, n_time,
                          out->y, out->observed);
    if (rc != TSREC_OK) {
        tsrec__series_batch_free(out);
        return rc;
    }
    for (int64_t s = 0; s < n_series; s++) {
        double *y = tsrec__series_batch_y(out, s);
        const uint8_t *obs = out->observed + s * n_time;
        tsrec__series_span(obs, n_time, &out->start[s], &out->end[s]);
        tsrec__fill_target_row(y, obs, n_time, cfg);
    }
    return TSREC_OK;
}

/* ---- related ----------------------------------------------------------- */

/* The rule of aws-surface A2.4: a related item must start on or before its
 * target item's start. */
static int check_related_start(const tsrec__series_batch *b, tsrec__handle *eh,
                               const char *name, int64_t s, const uint8_t *obs)
{
    int64_t rs, re;
    tsrec__series_span(obs, b->n_time_related, &rs, &re);
    if (rs < re && rs <= b->start[s])
        return TSREC_OK;
    char when[TSREC__TIME_STR_MAX] = "?";
    int64_t t;
    if (tsrec__time_add_periods(b->t0, b->freq, b->start[s], &t, NULL) == TSREC_OK)
        (void)tsrec__time_format(t, TSREC__TIME_FMT_DATETIME, when, sizeof when, NULL);
    if (rs == re)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "related attribute '%s': series %" PRId64
                           " has no value from the global start on, but its target starts "
                           "at %s",
                           name, s, when);
    return tsrec__fail(eh, TSREC_E_SCHEMA,
                       "related attribute '%s': series %" PRId64
                       " starts %" PRId64 " period(s) after its target starts (%s); related "
                       "series must start on or before the target",
                       name, s, rs - b->start[s], when);
}

static int related_feature(tsrec__series_batch *b, tsrec__handle *eh, int64_t f,
                           const tsrec__ts_rows *rows, const char *name,
                           const tsrec__fill_config *cfg)
{
    int64_t n_cols = b->n_time_related;
    double *x = tsrec__series_batch_related(b, f, 0);
    uint8_t *obs = b->related_observed + (size_t)f * (size_t)b->n_series * (size_t)n_cols;
    int rc = tsrec__place_related(eh, rows, b->n_series, b->freq, b->t0, n_cols, name, x,
                                  obs);
    for (int64_t s = 0; s < b->n_series && rc == TSREC_OK; s++) {
        if (b->start[s] == b->end[s])
            continue; /* no target to align with */
        double *xs = x + s * n_cols;
        const uint8_t *os = obs + s * n_cols;
        rc = check_related_start(b, eh, name, s, os);
        if (rc == TSREC_OK)
            rc = tsrec__fill_related_row(xs, os, b->n_time, n_cols, cfg, eh, name, s);
    }
    return rc;
}

int tsrec__featurize_related(tsrec__series_batch *b, tsrec__handle *eh, int64_t horizon,
                             int64_t n_related, const tsrec__ts_rows *rows,
                             const char *const *names, const tsrec__fill_config *cfgs,
                             int32_t rts_freq)
{
    if (b == NULL || b->ctx == NULL || b->y == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "featurize_related: no target batch");
    if (b->related != NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "featurize_related: the batch already has related features");
    if (horizon < 0 || n_related < 0 ||
        (n_related > 0 && (rows == NULL || names == NULL || cfgs == NULL)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "featurize_related: negative size or NULL argument");
    if (rts_freq != 0 && rts_freq != b->freq)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "related time series frequency '%s' differs from the forecast "
                           "frequency '%s' (related series are never aggregated)",
                           tsrec__freq_name(rts_freq), tsrec__freq_name(b->freq));
    for (int64_t f = 0; f < n_related; f++) {
        if (names[f] == NULL)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "featurize_related: feature %" PRId64 " has no name", f);
        if (!cfgs[f].related)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "related attribute '%s': a related filling config is required",
                               names[f]);
        int rc = tsrec__fill_config_check(&cfgs[f], eh, names[f]);
        if (rc != TSREC_OK)
            return rc;
    }
    if (horizon > INT64_MAX - b->n_time)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "featurize_related: horizon too large");
    int64_t n_cols = b->n_time + horizon;
    size_t per, cells;
    if (tsrec__mul_size((size_t)b->n_series, (size_t)n_cols, &per) != 0 ||
        tsrec__mul_size(per, (size_t)n_related, &cells) != 0 ||
        cells > (size_t)INT64_MAX / sizeof(double))
        return tsrec__fail(eh, TSREC_E_NOMEM, "related features: size overflows");
    b->horizon = horizon;
    b->n_time_related = n_cols;
    if (n_related == 0)
        return TSREC_OK;
    b->related = tsrec__alloc(b->ctx, bytes_of((int64_t)cells, sizeof(double)));
    b->related_observed = tsrec__alloc(b->ctx, cells == 0 ? 1 : cells);
    if (b->related == NULL || b->related_observed == NULL) {
        drop_related(b);
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "out of memory allocating %" PRId64 " related feature(s)",
                           n_related);
    }
    b->n_related = n_related;
    for (int64_t f = 0; f < n_related; f++) {
        int rc = related_feature(b, eh, f, &rows[f], names[f], &cfgs[f]);
        if (rc != TSREC_OK) {
            drop_related(b);
            return rc;
        }
    }
    return TSREC_OK;
}
