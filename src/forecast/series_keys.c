/* Item id and dimension strings of the series of a featurized batch, so
 * forecasts and exports can name series without the dataset group. */
#include <string.h>

#include "column_internal.h"
#include "data_internal.h"
#include "predictor_internal.h"

static char *dup_bytes(tsrec_ctx *ctx, const char *p, size_t len)
{
    char *s = tsrec__alloc(ctx, len + 1);
    if (s != NULL) {
        if (len > 0)
            memcpy(s, p, len);
        s[len] = '\0';
    }
    return s;
}

static char *dup_code(tsrec_ctx *ctx, const tsrec__strdict *d, int64_t code)
{
    size_t len = 0;
    const char *p = code >= 0 && d != NULL ? tsrec__strdict_get(d, code, &len) : NULL;
    return dup_bytes(ctx, p != NULL ? p : "", p != NULL ? len : 0);
}

void tsrec__series_keys_free(tsrec_ctx *ctx, tsrec__series_keys *k)
{
    if (k == NULL)
        return;
    for (int64_t s = 0; k->items != NULL && s < k->n_series; s++)
        tsrec__free(ctx, k->items[s]);
    for (int64_t i = 0; k->dims != NULL && i < k->n_series * k->n_dims; i++)
        tsrec__free(ctx, k->dims[i]);
    tsrec__free(ctx, k->items);
    tsrec__free(ctx, k->dims);
    tsrec__free(ctx, k->id_name);
    tsrec__free(ctx, k->target_name);
    for (int32_t d = 0; d < k->n_dims; d++)
        tsrec__free(ctx, k->dim_names[d]);
    memset(k, 0, sizeof(*k));
}

static int listed(const tsrec__predictor_config *cfg, const char *name)
{
    for (int32_t d = 0; d < cfg->n_fdims; d++)
        if (strcmp(cfg->fdims[d], name) == 0)
            return 1;
    return 0;
}

int tsrec__series_keys_build(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec_dataset_group *g,
                             const tsrec__predictor_config *cfg, const tsrec__series_batch *b,
                             tsrec__series_keys *out)
{
    memset(out, 0, sizeof(*out));
    const tsrec_dataset *tts = NULL;
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++)
        if (g->datasets[i] != NULL && g->datasets[i]->type == TSREC__DS_TARGET_TIME_SERIES)
            tts = g->datasets[i];
    if (tts == NULL)
        return tsrec__fail(eh, TSREC_E_EMPTY, "dataset group '%s' has no target dataset",
                           g->name);
    /* The batch's dimensions: the schema-order dimension fields listed in
     * ForecastDimensions (featurize.c), and where each ForecastDimension
     * sits among them. */
    int64_t dim_field[TSREC__MAX_FORECAST_DIMS];
    int32_t pos_of[TSREC__MAX_FORECAST_DIMS];
    int64_t n_schema_dims = 0, id_field = -1, target_field = -1;
    for (int64_t f = 0; f < tts->schema->n_fields; f++) {
        if (tts->roles[f] == TSREC__ROLE_DIMENSION && n_schema_dims < TSREC__MAX_FORECAST_DIMS &&
            listed(cfg, tts->schema->fields[f].name))
            dim_field[n_schema_dims++] = f;
        else if (tts->roles[f] == TSREC__ROLE_ITEM_ID)
            id_field = f;
        else if (tts->roles[f] == TSREC__ROLE_TARGET)
            target_field = f;
    }
    if (n_schema_dims != b->n_dims || cfg->n_fdims != b->n_dims || id_field < 0 ||
        target_field < 0)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "dataset '%s': the series keys do not match ForecastDimensions",
                           tts->name);
    for (int32_t d = 0; d < cfg->n_fdims; d++) {
        pos_of[d] = -1;
        for (int64_t j = 0; j < n_schema_dims; j++)
            if (strcmp(tts->schema->fields[dim_field[j]].name, cfg->fdims[d]) == 0)
                pos_of[d] = (int32_t)j;
        if (pos_of[d] < 0)
            return tsrec__fail(eh, TSREC_E_SCHEMA, "ForecastDimension '%s' is not in '%s'",
                               cfg->fdims[d], tts->name);
    }
    out->n_series = b->n_series;
    out->n_dims = cfg->n_fdims;
    int rc = TSREC_OK;
    out->id_name = tsrec__strdup(ctx, tts->schema->fields[id_field].name);
    out->target_name = tsrec__strdup(ctx, tts->schema->fields[target_field].name);
    out->items = tsrec__calloc(ctx, (size_t)b->n_series, sizeof(char *));
    if (out->n_dims > 0)
        out->dims = tsrec__calloc(ctx, (size_t)(b->n_series * out->n_dims), sizeof(char *));
    if (out->id_name == NULL || out->target_name == NULL || out->items == NULL ||
        (out->n_dims > 0 && out->dims == NULL))
        rc = TSREC_E_NOMEM;
    for (int32_t d = 0; d < out->n_dims && rc == TSREC_OK; d++)
        if ((out->dim_names[d] = tsrec__strdup(ctx, cfg->fdims[d])) == NULL)
            rc = TSREC_E_NOMEM;
    for (int64_t s = 0; s < b->n_series && rc == TSREC_OK; s++) {
        if ((out->items[s] = dup_code(ctx, &g->items, b->item[s])) == NULL)
            rc = TSREC_E_NOMEM;
        for (int32_t d = 0; d < out->n_dims && rc == TSREC_OK; d++) {
            int32_t j = pos_of[d];
            const tsrec__column *c = &tts->cols[dim_field[j]];
            char *v = dup_code(ctx, c->dict, b->dims[s * b->n_dims + j]);
            out->dims[s * out->n_dims + d] = v;
            if (v == NULL)
                rc = TSREC_E_NOMEM;
        }
    }
    if (rc != TSREC_OK) {
        tsrec__series_keys_free(ctx, out);
        return tsrec__fail(eh, rc, "out of memory for series names");
    }
    return TSREC_OK;
}

void tsrec__series_keys_keep(tsrec_ctx *ctx, tsrec__series_keys *k, const uint8_t *skip)
{
    int64_t o = 0;
    for (int64_t s = 0; s < k->n_series; s++) {
        if (skip[s]) {
            tsrec__free(ctx, k->items[s]);
            for (int32_t d = 0; d < k->n_dims; d++)
                tsrec__free(ctx, k->dims[s * k->n_dims + d]);
            continue;
        }
        k->items[o] = k->items[s];
        for (int32_t d = 0; d < k->n_dims; d++)
            k->dims[o * k->n_dims + d] = k->dims[s * k->n_dims + d];
        o++;
    }
    k->n_series = o;
}
