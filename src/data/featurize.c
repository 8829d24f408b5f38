/* Adapter from a Forecast dataset group to a tsrec__series_batch: reads
 * the columns of the TARGET_TIME_SERIES, RELATED_TIME_SERIES and
 * ITEM_METADATA datasets, forms series keys (item id + dimension values),
 * applies the AWS related-series rules (aws-surface A2.4: related
 * dimensions are target dimensions, target items without related data are
 * dropped) and hands plain rows to the array layer (series_batch.c). */
#include "featurize_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "column_internal.h"
#include "data_internal.h"
#include "domains_internal.h"
#include "strdict_internal.h"

/* More columns than any Forecast schema may have (RTS <= 25, IM <= 10). */
#define MAX_COLS 64

/* Where the columns of one dataset are, by role. */
typedef struct view {
    const tsrec_dataset *ds;
    int64_t item, time, target; /* column indices, -1 if absent */
    int64_t n_dims, n_feat;
    int64_t dims[MAX_COLS]; /* string dimensions, schema order */
    int64_t feat[MAX_COLS]; /* ROLE_OTHER fields: RTS features, IM attributes */
} view;

static int make_view(const tsrec_dataset *ds, view *v, tsrec__handle *eh)
{
    memset(v, 0, sizeof(*v));
    v->ds = ds;
    v->item = v->time = v->target = -1;
    for (int64_t i = 0; i < ds->schema->n_fields; i++) {
        switch (ds->roles[i]) {
        case TSREC__ROLE_ITEM_ID:
            v->item = i;
            break;
        case TSREC__ROLE_TIMESTAMP:
            v->time = i;
            break;
        case TSREC__ROLE_TARGET:
            v->target = i;
            break;
        case TSREC__ROLE_DIMENSION:
            if (v->n_dims == MAX_COLS)
                return tsrec__fail(eh, TSREC_E_SCHEMA, "dataset '%s': too many dimensions",
                                   ds->name);
            v->dims[v->n_dims++] = i;
            break;
        default:
            if (v->n_feat == MAX_COLS)
                return tsrec__fail(eh, TSREC_E_SCHEMA, "dataset '%s': too many fields",
                                   ds->name);
            v->feat[v->n_feat++] = i;
            break;
        }
    }
    if (v->item < 0)
        return tsrec__fail(eh, TSREC_E_SCHEMA, "dataset '%s' has no item id field", ds->name);
    return TSREC_OK;
}

/* Keep only the dimensions named in spec->dims (ForecastDimensions), in
 * schema order; rows that differ in the others fall into one series. */
static int select_dims(view *v, const tsrec__featurize_spec *spec, tsrec__handle *eh)
{
    if (!spec->dims_listed)
        return TSREC_OK;
    if (spec->n_dims < 0 || (spec->n_dims > 0 && spec->dims == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "featurize_group: bad dimension list");
    for (int32_t k = 0; k < spec->n_dims; k++) {
        int found = 0;
        for (int64_t d = 0; d < v->n_dims && !found; d++)
            found = strcmp(v->ds->schema->fields[v->dims[d]].name, spec->dims[k]) == 0;
        if (!found)
            return tsrec__fail(eh, TSREC_E_SCHEMA,
                               "ForecastDimension '%s' is not a dimension of dataset '%s'",
                               spec->dims[k], v->ds->name);
    }
    int64_t kept = 0;
    for (int64_t d = 0; d < v->n_dims; d++) {
        const char *name = v->ds->schema->fields[v->dims[d]].name;
        for (int32_t k = 0; k < spec->n_dims; k++)
            if (strcmp(name, spec->dims[k]) == 0) {
                v->dims[kept++] = v->dims[d];
                break;
            }
    }
    v->n_dims = kept;
    return TSREC_OK;
}

static const tsrec__column *col(const view *v, int64_t i)
{
    return &v->ds->cols[i];
}

/* ---- growable byte key ---------------------------------------------- */

typedef struct keybuf {
    unsigned char *p;
    size_t len, cap;
} keybuf;

static int key_put(keybuf *k, tsrec_ctx *ctx, const void *bytes, size_t n)
{
    if (k->len + n > k->cap) {
        size_t cap = k->cap ? k->cap : 256;
        while (cap < k->len + n)
            cap *= 2;
        unsigned char *p = tsrec__realloc(ctx, k->p, cap);
        if (p == NULL)
            return TSREC_E_NOMEM;
        k->p = p;
        k->cap = cap;
    }
    memcpy(k->p + k->len, bytes, n);
    k->len += n;
    return TSREC_OK;
}

/* Append a dimension value as a length-prefixed string (UINT32_MAX marks
 * a missing one), so keys compare by text across datasets, whose
 * dimension columns have their own dictionaries. */
static int key_put_dim(keybuf *k, tsrec_ctx *ctx, const tsrec__column *c, int64_t code)
{
    size_t len = 0;
    const char *s = code >= 0 ? tsrec__strdict_get(c->dict, code, &len) : NULL;
    uint32_t n = s != NULL ? (uint32_t)len : UINT32_MAX;
    int rc = key_put(k, ctx, &n, sizeof n);
    if (rc == TSREC_OK && s != NULL)
        rc = key_put(k, ctx, s, len);
    return rc;
}

static int64_t code_or_missing(const tsrec__column *c, int64_t row)
{
    return tsrec__column_is_present(c, row) ? tsrec__column_get_code(c, row) : -1;
}

/* ---- working state ------------------------------------------------------ */

typedef struct work {
    tsrec_ctx *ctx;
    tsrec__handle *eh;
    view tts, rts, im;
    int has_rts, has_im;
    tsrec__strdict tts_keys, rts_keys; /* series keys -> dense codes */
    int tts_keys_live, rts_keys_live;
    int dims_listed;       /* the key's dimensions are ForecastDimensions */
    int64_t *row_series;   /* per TTS row: series code, -1 if skipped */
    int64_t *rts_row_series;
    int64_t *new_index;    /* per TTS series: batch index, -1 if dropped */
    int64_t *rts_of;       /* per TTS series: RTS series code, -1 if none */
    int64_t n_series, n_kept;
    int64_t shared[MAX_COLS]; /* per TTS dim: RTS column index, -1 if RTS lacks it */
    keybuf key;
    /* rows handed to the array layer */
    int64_t *r_series, *r_time;
    double *r_value;
    int64_t *offsets, *order;
    tsrec__fill_config *cfgs;
    tsrec__ts_rows *rel_rows;
    int64_t *item_row;
} work;

static void work_free(work *w)
{
    tsrec_ctx *ctx = w->ctx;
    if (w->tts_keys_live)
        tsrec__strdict_free(&w->tts_keys);
    if (w->rts_keys_live)
        tsrec__strdict_free(&w->rts_keys);
    tsrec__free(ctx, w->row_series);
    tsrec__free(ctx, w->rts_row_series);
    tsrec__free(ctx, w->new_index);
    tsrec__free(ctx, w->rts_of);
    tsrec__free(ctx, w->key.p);
    tsrec__free(ctx, w->r_series);
    tsrec__free(ctx, w->r_time);
    tsrec__free(ctx, w->r_value);
    tsrec__free(ctx, w->offsets);
    tsrec__free(ctx, w->order);
    tsrec__free(ctx, w->cfgs);
    tsrec__free(ctx, w->rel_rows);
    tsrec__free(ctx, w->item_row);
}

static int nomem(work *w, const char *what)
{
    return tsrec__fail(w->eh, TSREC_E_NOMEM, "out of memory featurizing: %s", what);
}

static void *alloc_n(work *w, int64_t n, size_t size)
{
    return tsrec__calloc(w->ctx, n > 0 ? (size_t)n : 1, size);
}

/* ---- target series keys ------------------------------------------------ */

/* Key of TTS row i: its item code and dimension codes, as int64s. */
static size_t tts_key_of(const view *v, int64_t i, int64_t *k)
{
    k[0] = code_or_missing(col(v, v->item), i);
    for (int64_t d = 0; d < v->n_dims; d++)
        k[1 + d] = code_or_missing(col(v, v->dims[d]), i);
    return (size_t)(1 + v->n_dims) * sizeof(int64_t);
}

static int target_keys(work *w)
{
    const view *v = &w->tts;
    int64_t n = v->ds->n_rows;
    int rc = tsrec__strdict_init(&w->tts_keys, w->ctx, w->eh, 0);
    if (rc != TSREC_OK)
        return rc;
    w->tts_keys_live = 1;
    w->row_series = alloc_n(w, n, sizeof(int64_t));
    if (w->row_series == NULL)
        return nomem(w, "target rows");
    int64_t k[1 + MAX_COLS];
    const tsrec__column *tc = col(v, v->time);
    for (int64_t i = 0; i < n; i++) {
        if (!tsrec__column_is_present(tc, i)) {
            w->row_series[i] = -1;
            continue;
        }
        size_t len = tts_key_of(v, i, k);
        rc = tsrec__strdict_intern(&w->tts_keys, w->eh, k, len, &w->row_series[i], NULL);
        if (rc != TSREC_OK)
            return rc;
    }
    w->n_series = tsrec__strdict_count(&w->tts_keys);
    return TSREC_OK;
}

/* Codes (item, dims) of TTS series s. */
static void series_codes(const work *w, int64_t s, int64_t *k)
{
    size_t len = 0;
    const char *b = tsrec__strdict_get(&w->tts_keys, s, &len);
    memcpy(k, b, len);
}

/* ---- related series ------------------------------------------------------ */

/* RTS dimensions must be TTS dimensions (matched by field name). */
static int match_dims(work *w)
{
    const view *t = &w->tts, *r = &w->rts;
    for (int64_t d = 0; d < t->n_dims; d++)
        w->shared[d] = -1;
    for (int64_t j = 0; j < r->n_dims; j++) {
        const char *name = r->ds->schema->fields[r->dims[j]].name;
        int64_t found = -1;
        for (int64_t d = 0; d < t->n_dims; d++)
            if (strcmp(t->ds->schema->fields[t->dims[d]].name, name) == 0)
                found = d;
        if (found < 0)
            return tsrec__fail(w->eh, TSREC_E_SCHEMA,
                               "related time series dimension '%s' is not a dimension of the "
                               "target time series dataset '%s'%s",
                               name, t->ds->name,
                               w->dims_listed ? " listed in ForecastDimensions" : "");
        w->shared[found] = r->dims[j];
    }
    return TSREC_OK;
}

/* RTS key of RTS row i: item code, then the shared dimensions as text in
 * TTS order. */
static int rts_row_key(work *w, int64_t i)
{
    const view *r = &w->rts;
    w->key.len = 0;
    int64_t item = code_or_missing(col(r, r->item), i);
    int rc = key_put(&w->key, w->ctx, &item, sizeof item);
    for (int64_t d = 0; d < w->tts.n_dims && rc == TSREC_OK; d++)
        if (w->shared[d] >= 0)
            rc = key_put_dim(&w->key, w->ctx, col(r, w->shared[d]),
                             code_or_missing(col(r, w->shared[d]), i));
    return rc;
}

/* The same key for TTS series s. */
static int tts_series_rts_key(work *w, int64_t s)
{
    int64_t k[1 + MAX_COLS];
    series_codes(w, s, k);
    w->key.len = 0;
    int rc = key_put(&w->key, w->ctx, &k[0], sizeof k[0]);
    for (int64_t d = 0; d < w->tts.n_dims && rc == TSREC_OK; d++)
        if (w->shared[d] >= 0)
            rc = key_put_dim(&w->key, w->ctx, col(&w->tts, w->tts.dims[d]), k[1 + d]);
    return rc;
}

static int related_keys(work *w)
{
    int rc = match_dims(w);
    if (rc != TSREC_OK)
        return rc;
    const view *r = &w->rts;
    int64_t n = r->ds->n_rows;
    if ((rc = tsrec__strdict_init(&w->rts_keys, w->ctx, w->eh, 0)) != TSREC_OK)
        return rc;
    w->rts_keys_live = 1;
    w->rts_row_series = alloc_n(w, n, sizeof(int64_t));
    if (w->rts_row_series == NULL)
        return nomem(w, "related rows");
    const tsrec__column *tc = col(r, r->time);
    for (int64_t i = 0; i < n; i++) {
        w->rts_row_series[i] = -1;
        if (!tsrec__column_is_present(tc, i))
            continue;
        if (rts_row_key(w, i) != TSREC_OK)
            return nomem(w, "related series keys");
        rc = tsrec__strdict_intern(&w->rts_keys, w->eh, w->key.p, w->key.len,
                                   &w->rts_row_series[i], NULL);
        if (rc != TSREC_OK)
            return rc;
    }
    for (int64_t s = 0; s < w->n_series; s++) {
        if (tts_series_rts_key(w, s) != TSREC_OK)
            return nomem(w, "related series keys");
        w->rts_of[s] = tsrec__strdict_lookup(&w->rts_keys, w->key.p, w->key.len);
    }
    return TSREC_OK;
}

/* ---- building ------------------------------------------------------------ */

static int target_rows(work *w, tsrec__ts_rows *rows)
{
    const view *v = &w->tts;
    int64_t n = v->ds->n_rows, m = 0;
    w->r_series = alloc_n(w, n, sizeof(int64_t));
    w->r_time = alloc_n(w, n, sizeof(int64_t));
    w->r_value = alloc_n(w, n, sizeof(double));
    if (w->r_series == NULL || w->r_time == NULL || w->r_value == NULL)
        return nomem(w, "target rows");
    const tsrec__column *tc = col(v, v->time);
    const tsrec__column *yc = v->target >= 0 ? col(v, v->target) : NULL;
    for (int64_t i = 0; i < n; i++) {
        int64_t s = w->row_series[i];
        if (s < 0 || w->new_index[s] < 0)
            continue;
        w->r_series[m] = w->new_index[s];
        w->r_time[m] = tsrec__column_get_i64(tc, i);
        w->r_value[m] = yc != NULL && tsrec__column_is_present(yc, i)
                            ? tsrec__column_get_f64(yc, i)
                            : NAN;
        m++;
    }
    rows->n = m;
    rows->series = w->r_series;
    rows->time = w->r_time;
    rows->value = w->r_value;
    return TSREC_OK;
}

static int record_series(work *w, tsrec__series_batch *out)
{
    int64_t n_dims = w->tts.n_dims;
    int64_t k[1 + MAX_COLS];
    int64_t n_dropped = w->n_series - w->n_kept;
    if (n_dropped > 0) {
        out->dropped = alloc_n(w, n_dropped * (1 + n_dims), sizeof(int64_t));
        if (out->dropped == NULL)
            return nomem(w, "dropped series list");
    }
    int64_t j = 0;
    for (int64_t s = 0; s < w->n_series; s++) {
        series_codes(w, s, k);
        int64_t b = w->new_index[s];
        if (b < 0) {
            memcpy(out->dropped + j * (1 + n_dims), k, (size_t)(1 + n_dims) * sizeof(int64_t));
            j++;
            continue;
        }
        out->item[b] = k[0];
        for (int64_t d = 0; d < n_dims; d++)
            out->dims[b * n_dims + d] = k[1 + d];
    }
    out->n_dropped = n_dropped;
    return TSREC_OK;
}

static const tsrec__fill_config *related_cfg(const tsrec__featurize_spec *spec,
                                             const char *name)
{
    for (int64_t i = 0; i < spec->n_related_cfg; i++)
        if (spec->related_names[i] != NULL && strcmp(spec->related_names[i], name) == 0)
            return &spec->related_cfgs[i];
    return NULL;
}

static int add_related(work *w, tsrec__series_batch *out, const tsrec__featurize_spec *spec)
{
    const view *r = &w->rts;
    int64_t n_rts = tsrec__strdict_count(&w->rts_keys), n = r->ds->n_rows;
    int64_t n_feat = r->n_feat;
    /* Group RTS rows by RTS series (counting sort, stable). */
    w->offsets = alloc_n(w, n_rts + 1, sizeof(int64_t));
    w->order = alloc_n(w, n, sizeof(int64_t));
    if (w->offsets == NULL || w->order == NULL)
        return nomem(w, "related rows");
    for (int64_t i = 0; i < n; i++)
        if (w->rts_row_series[i] >= 0)
            w->offsets[w->rts_row_series[i] + 1]++;
    for (int64_t c = 0; c < n_rts; c++)
        w->offsets[c + 1] += w->offsets[c];
    for (int64_t i = 0; i < n; i++)
        if (w->rts_row_series[i] >= 0)
            w->order[w->offsets[w->rts_row_series[i]]++] = i;
    for (int64_t c = n_rts; c > 0; c--) /* undo the shift the fill caused */
        w->offsets[c] = w->offsets[c - 1];
    w->offsets[0] = 0;
    /* One row per (kept target series, row of its RTS series): an RTS
     * series with fewer dimensions serves several target series. */
    int64_t total = 0;
    for (int64_t s = 0; s < w->n_series; s++)
        if (w->new_index[s] >= 0)
            total += w->offsets[w->rts_of[s] + 1] - w->offsets[w->rts_of[s]];
    tsrec__free(w->ctx, w->r_series);
    tsrec__free(w->ctx, w->r_time);
    tsrec__free(w->ctx, w->r_value);
    w->r_value = NULL;
    w->r_series = alloc_n(w, total, sizeof(int64_t));
    w->r_time = alloc_n(w, total, sizeof(int64_t));
    size_t n_values;
    if (tsrec__mul_size((size_t)total, (size_t)(n_feat > 0 ? n_feat : 1), &n_values) != 0)
        return nomem(w, "related values");
    w->r_value = tsrec__calloc(w->ctx, n_values ? n_values : 1, sizeof(double));
    w->cfgs = alloc_n(w, n_feat, sizeof(tsrec__fill_config));
    w->rel_rows = alloc_n(w, n_feat, sizeof(tsrec__ts_rows));
    out->related_names = alloc_n(w, n_feat, sizeof(const char *));
    if (w->r_series == NULL || w->r_time == NULL || w->r_value == NULL || w->cfgs == NULL ||
        w->rel_rows == NULL || out->related_names == NULL)
        return nomem(w, "related values");
    const tsrec__column *tc = col(r, r->time);
    int64_t m = 0;
    for (int64_t s = 0; s < w->n_series; s++) {
        if (w->new_index[s] < 0)
            continue;
        int64_t c = w->rts_of[s];
        for (int64_t p = w->offsets[c]; p < w->offsets[c + 1]; p++, m++) {
            int64_t i = w->order[p];
            w->r_series[m] = w->new_index[s];
            w->r_time[m] = tsrec__column_get_i64(tc, i);
            for (int64_t f = 0; f < n_feat; f++) {
                const tsrec__column *fc = col(r, r->feat[f]);
                w->r_value[f * total + m] =
                    tsrec__column_is_present(fc, i) ? tsrec__column_get_f64(fc, i) : NAN;
            }
        }
    }
    for (int64_t f = 0; f < n_feat; f++) {
        const char *name = r->ds->schema->fields[r->feat[f]].name;
        const tsrec__fill_config *given = related_cfg(spec, name);
        if (given != NULL)
            w->cfgs[f] = *given;
        else
            tsrec__fill_config_related(&w->cfgs[f]);
        out->related_names[f] = name;
        tsrec__ts_rows rows = {total, w->r_series, w->r_time, w->r_value + f * total};
        w->rel_rows[f] = rows;
    }
    return tsrec__featurize_related(out, w->eh, spec->horizon, n_feat, w->rel_rows,
                                    out->related_names, w->cfgs, r->ds->data_frequency);
}

static int add_metadata(work *w, tsrec__series_batch *out, const tsrec__strdict *items)
{
    const view *m = &w->im;
    int64_t n_items = tsrec__strdict_count(items), n = m->ds->n_rows;
    int rc = tsrec__series_batch_add_meta(out, w->eh, m->n_feat);
    if (rc != TSREC_OK)
        return rc;
    /* First metadata row of each item (codes shared across the group). */
    w->item_row = alloc_n(w, n_items, sizeof(int64_t));
    if (w->item_row == NULL)
        return nomem(w, "item metadata");
    for (int64_t c = 0; c < n_items; c++)
        w->item_row[c] = -1;
    for (int64_t i = n - 1; i >= 0; i--) {
        int64_t c = code_or_missing(col(m, m->item), i);
        if (c >= 0 && c < n_items)
            w->item_row[c] = i;
    }
    for (int64_t b = 0; b < out->n_series; b++) {
        int64_t c = out->item[b];
        int64_t row = c >= 0 && c < n_items ? w->item_row[c] : -1;
        if (row < 0)
            continue; /* item absent from the metadata: codes stay -1 */
        for (int64_t k = 0; k < m->n_feat; k++)
            out->meta[b * m->n_feat + k] = code_or_missing(col(m, m->feat[k]), row);
    }
    return TSREC_OK;
}

static const tsrec_dataset *group_dataset(const tsrec_dataset_group *g, int32_t type)
{
    int slot = tsrec__dataset_type_slot(type);
    return slot >= 0 ? g->datasets[slot] : NULL;
}

static int build(work *w, tsrec_dataset_group *g, const tsrec__featurize_spec *spec,
                 tsrec__series_batch *out)
{
    const tsrec_dataset *tts = group_dataset(g, TSREC__DS_TARGET_TIME_SERIES);
    const tsrec_dataset *rts = group_dataset(g, TSREC__DS_RELATED_TIME_SERIES);
    const tsrec_dataset *im = group_dataset(g, TSREC__DS_ITEM_METADATA);
    if (tts == NULL || tts->n_rows == 0)
        return tsrec__fail(w->eh, TSREC_E_EMPTY,
                           "dataset group '%s' has no TARGET_TIME_SERIES data to featurize",
                           g->name);
    int rc = make_view(tts, &w->tts, w->eh);
    if (rc == TSREC_OK)
        rc = select_dims(&w->tts, spec, w->eh);
    if (rc == TSREC_OK && w->tts.time < 0)
        rc = tsrec__fail(w->eh, TSREC_E_SCHEMA, "dataset '%s' has no timestamp field",
                         tts->name);
    if (rc == TSREC_OK && w->tts.target < 0)
        rc = tsrec__fail(w->eh, TSREC_E_SCHEMA, "dataset '%s' has no target field",
                         tts->name);
    if (rc == TSREC_OK && rts != NULL) {
        w->has_rts = 1;
        rc = make_view(rts, &w->rts, w->eh);
        if (rc == TSREC_OK && w->rts.time < 0)
            rc = tsrec__fail(w->eh, TSREC_E_SCHEMA, "dataset '%s' has no timestamp field",
                             rts->name);
    }
    if (rc == TSREC_OK && im != NULL) {
        w->has_im = 1;
        rc = make_view(im, &w->im, w->eh);
    }
    if (rc == TSREC_OK)
        rc = target_keys(w);
    if (rc != TSREC_OK)
        return rc;
    w->new_index = alloc_n(w, w->n_series, sizeof(int64_t));
    w->rts_of = alloc_n(w, w->n_series, sizeof(int64_t));
    if (w->new_index == NULL || w->rts_of == NULL)
        return nomem(w, "series index");
    for (int64_t s = 0; s < w->n_series; s++)
        w->rts_of[s] = 0;
    if (w->has_rts && (rc = related_keys(w)) != TSREC_OK)
        return rc;
    /* AWS drops target items that have no related data. */
    for (int64_t s = 0; s < w->n_series; s++)
        w->new_index[s] = w->rts_of[s] >= 0 ? w->n_kept++ : -1;
    if (w->n_kept == 0)
        return tsrec__fail(w->eh, TSREC_E_EMPTY,
                           w->n_series == 0
                               ? "dataset '%s' has no row with a timestamp"
                               : "every series of dataset '%s' lacks related time series data",
                           tts->name);
    if (w->n_series - w->n_kept > 0)
        tsrec__log(w->ctx, TSREC_LOG_WARN,
                   "featurize: %" PRId64 " of %" PRId64
                   " target series have no related time series data and are dropped",
                   w->n_series - w->n_kept, w->n_series);
    tsrec__ts_rows rows;
    if ((rc = target_rows(w, &rows)) != TSREC_OK)
        return rc;
    const char *attr = tts->schema->fields[w->tts.target].name;
    rc = tsrec__featurize_target(out, w->ctx, w->eh, &rows, w->n_kept, tts->data_frequency,
                                 spec->freq, attr, &spec->target, (int32_t)w->tts.n_dims);
    if (rc == TSREC_OK)
        rc = record_series(w, out);
    if (rc == TSREC_OK && w->has_rts)
        rc = add_related(w, out, spec);
    if (rc == TSREC_OK && w->has_im)
        rc = add_metadata(w, out, &g->items);
    return rc;
}

int tsrec__featurize_group(tsrec__series_batch *out, struct tsrec_dataset_group *g,
                           tsrec__handle *eh, const tsrec__featurize_spec *spec)
{
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "featurize_group: NULL output");
    memset(out, 0, sizeof(*out));
    if (!tsrec__handle_is(g, TSREC__MAGIC_GROUP) || spec == NULL ||
        (spec->n_related_cfg > 0 &&
         (spec->related_names == NULL || spec->related_cfgs == NULL)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "featurize_group: invalid dataset group or spec");
    if (g->service != TSREC_SERVICE_FORECAST)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "dataset group '%s' is not a Forecast dataset group", g->name);
    work w;
    memset(&w, 0, sizeof w);
    w.ctx = g->hdr.ctx;
    w.eh = eh;
    w.dims_listed = spec->dims_listed;
    int rc = build(&w, g, spec, out);
    work_free(&w);
    if (rc != TSREC_OK)
        tsrec__series_batch_free(out);
    return rc;
}
