/* CreateForecast TimeSeriesSelector (aws-surface A1, A7): forecast only the
 * series a file names.
 *
 *   "TimeSeriesSelector":{"TimeSeriesIdentifiers":{
 *       "DataSource":{"S3Config":{"Path":"...","RoleArn":"...","KMSKeyArn":"..."}},
 *       "Schema":{"Attributes":[{"AttributeName":"item_id","AttributeType":"string"},...]},
 *       "Format":"CSV"}}
 *
 * libtsrec has no S3: Path is a local CSV or CSV.gz file, or a folder of
 * them, as for dataset imports (import_csv.c); RoleArn and KMSKeyArn are
 * accepted and ignored; Format is "CSV" (the default), "PARQUET" is
 * TSREC_E_UNSUPPORTED. The Schema lists the columns of the files in order:
 * the predictor's item id field and any of its ForecastDimensions, all
 * "string". As for Forecast imports, files have no header, but a first
 * record that spells the attribute names (ignoring case) is taken as one
 * and skipped.
 *
 * A row selects the series with that item id and dimension values. AWS
 * does not say what a Schema with only some ForecastDimensions means;
 * libtsrec's choice: the row selects every series that matches on the
 * listed fields (item "a" alone selects "a" at every location). Rows may
 * repeat; rows naming no series are ignored and counted (the caller logs
 * them); a file in which no row names a series is TSREC_E_UNKNOWN_NAME.
 * Names are matched exactly, as in ForecastDimensions and QueryForecast. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csv_internal.h"
#include "data_internal.h"
#include "predictor_internal.h"
#include "schema_internal.h"

#define WHAT "TimeSeriesSelector"

/* Every key of object v is one of allowed[0..n). */
static int only_keys(tsrec__handle *eh, const tsrec__json *v, const char *what,
                     const char *const *allowed, int n)
{
    if (tsrec__json_type(v) != TSREC__JSON_OBJECT)
        return tsrec__fail(eh, TSREC_E_BAD_TYPE, WHAT ": %s must be an object, not %s", what,
                           tsrec__json_type_name(tsrec__json_type(v)));
    for (int64_t i = 0; i < v->u.obj.n; i++) {
        int ok = 0;
        for (int k = 0; k < n && !ok; k++)
            ok = strcmp(v->u.obj.items[i].key, allowed[k]) == 0;
        if (!ok)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG, WHAT ": unknown key '%s' in %s",
                               v->u.obj.items[i].key, what);
    }
    return TSREC_OK;
}

static const tsrec__json *need(tsrec__handle *eh, const tsrec__json *v, const char *key,
                               const char *in, int *rc)
{
    const tsrec__json *m = tsrec__json_get(v, key);
    if (m == NULL)
        *rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, WHAT ": %s.%s is required", in, key);
    return m;
}

static int parse_path(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__json *ids,
                      tsrec__selector *sel)
{
    static const char *const ds_keys[] = {"S3Config"};
    static const char *const s3_keys[] = {"Path", "RoleArn", "KMSKeyArn"};
    int rc = TSREC_OK;
    const tsrec__json *ds = need(eh, ids, "DataSource", "TimeSeriesIdentifiers", &rc);
    if (ds == NULL || (rc = only_keys(eh, ds, "DataSource", ds_keys, 1)) != TSREC_OK)
        return rc;
    const tsrec__json *s3 = need(eh, ds, "S3Config", "DataSource", &rc);
    if (s3 == NULL || (rc = only_keys(eh, s3, "S3Config", s3_keys, 3)) != TSREC_OK)
        return rc;
    const char *s;
    size_t len;
    for (int k = 1; k < 3; k++) /* accepted, unused: no cloud here */
        if (tsrec__json_get(s3, s3_keys[k]) != NULL &&
            (rc = tsrec__json_as_string(tsrec__json_get(s3, s3_keys[k]), eh, s3_keys[k], &s,
                                        &len)) != TSREC_OK)
            return rc;
    const tsrec__json *p = need(eh, s3, "Path", "S3Config", &rc);
    if (p == NULL || (rc = tsrec__json_as_string(p, eh, "Path", &s, &len)) != TSREC_OK)
        return rc;
    if (len == 0 || strlen(s) != len)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, WHAT ": Path must be a non-empty path");
    if (strncmp(s, "s3://", 5) == 0)
        return tsrec__fail(eh, TSREC_E_UNSUPPORTED,
                           WHAT ": Path '%s' is on S3; libtsrec reads local files and folders",
                           s);
    if ((sel->path = tsrec__strdup(ctx, s)) == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for a " WHAT);
    return TSREC_OK;
}

static const char *item_id_field(const tsrec_dataset_group *g)
{
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++) {
        const tsrec_dataset *ds = g->datasets[i];
        if (ds == NULL || ds->type != TSREC__DS_TARGET_TIME_SERIES)
            continue;
        for (int64_t f = 0; f < ds->schema->n_fields; f++)
            if (ds->roles[f] == TSREC__ROLE_ITEM_ID)
                return ds->schema->fields[f].name;
    }
    return NULL;
}

/* Map the Schema's attributes to the item id and ForecastDimensions. */
static int parse_schema(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec_dataset_group *g,
                        const tsrec__predictor_config *cfg, const tsrec__json *js,
                        tsrec__selector *sel)
{
    tsrec_schema *schema = NULL;
    int rc = tsrec__schema_from_forecast_json(js, ctx, eh, &schema);
    if (rc != TSREC_OK) {
        char why[TSREC__ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", eh->errmsg);
        if (rc != TSREC_E_NOMEM)
            rc = tsrec__fail(eh, rc, WHAT " Schema: %s", why);
        tsrec__schema_destroy(schema);
        return rc;
    }
    const char *id = item_id_field(g);
    int32_t id_col = -1;
    if (id == NULL)
        rc = tsrec__fail(eh, TSREC_E_EMPTY, "dataset group '%s' has no target dataset", g->name);
    if (rc == TSREC_OK && schema->n_fields > 1 + cfg->n_fdims)
        rc = tsrec__fail(eh, TSREC_E_SCHEMA,
                         WHAT ": the Schema has %lld attributes; at most the item id and the "
                         "%d ForecastDimensions are allowed",
                         (long long)schema->n_fields, (int)cfg->n_fdims);
    for (int64_t i = 0; rc == TSREC_OK && i < schema->n_fields; i++) {
        const tsrec__field *fd = &schema->fields[i];
        int32_t d = 0;
        while (d < cfg->n_fdims && strcmp(cfg->fdims[d], fd->name) != 0)
            d++;
        if (strcmp(fd->name, id) != 0 && d == cfg->n_fdims)
            rc = tsrec__fail(eh, TSREC_E_SCHEMA,
                             WHAT ": attribute '%s' is neither the item id field '%s' nor one "
                             "of the predictor's ForecastDimensions",
                             fd->name, id);
        else if (fd->type != TSREC_FIELD_STRING)
            rc = tsrec__fail(eh, TSREC_E_SCHEMA,
                             WHAT ": attribute '%s' must have AttributeType \"string\", not "
                             "\"%s\"",
                             fd->name, tsrec__field_type_name(TSREC_SERVICE_FORECAST, fd->type));
        else if ((sel->col_names[i] = tsrec__strdup(ctx, fd->name)) == NULL)
            rc = tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for a " WHAT);
        if (rc != TSREC_OK)
            break;
        sel->n_cols = (int32_t)i + 1;
        sel->col_dim[i] = d == cfg->n_fdims ? -1 : d;
        if (d == cfg->n_fdims)
            id_col = (int32_t)i;
        else
            sel->dim_listed[d] = 1;
    }
    if (rc == TSREC_OK && id_col < 0)
        rc = tsrec__fail(eh, TSREC_E_SCHEMA, WHAT ": the Schema must list the item id field '%s'",
                         id);
    if (rc == TSREC_OK) {
        int32_t k = 0;
        sel->key_col[k++] = id_col;
        for (int32_t d = 0; d < cfg->n_fdims; d++)
            for (int32_t c = 0; c < sel->n_cols && sel->dim_listed[d]; c++)
                if (sel->col_dim[c] == d)
                    sel->key_col[k++] = c;
    }
    tsrec__schema_destroy(schema);
    return rc;
}

int tsrec__selector_parse(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec_dataset_group *g,
                          const tsrec__predictor_config *cfg, const tsrec__json *v,
                          tsrec__selector *sel)
{
    static const char *const sel_keys[] = {"TimeSeriesIdentifiers"};
    static const char *const id_keys[] = {"DataSource", "Schema", "Format"};
    memset(sel, 0, sizeof *sel);
    int rc = only_keys(eh, v, WHAT, sel_keys, 1);
    const tsrec__json *ids = NULL;
    if (rc == TSREC_OK && (ids = need(eh, v, "TimeSeriesIdentifiers", WHAT, &rc)) != NULL)
        rc = only_keys(eh, ids, "TimeSeriesIdentifiers", id_keys, 3);
    if (rc != TSREC_OK)
        return rc;
    const tsrec__json *fmt = tsrec__json_get(ids, "Format");
    const char *s = "CSV";
    size_t len = 3;
    if (fmt != NULL && (rc = tsrec__json_as_string(fmt, eh, "Format", &s, &len)) != TSREC_OK)
        return rc;
    if (strcmp(s, "PARQUET") == 0)
        return tsrec__fail(eh, TSREC_E_UNSUPPORTED,
                           WHAT ": Format PARQUET is not supported by libtsrec; use CSV");
    if (strcmp(s, "CSV") != 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           WHAT ": Format must be CSV or PARQUET, not '%.40s'", s);
    const tsrec__json *js = need(eh, ids, "Schema", "TimeSeriesIdentifiers", &rc);
    if (js != NULL)
        rc = parse_schema(ctx, eh, g, cfg, js, sel);
    if (rc == TSREC_OK)
        rc = parse_path(ctx, eh, ids, sel);
    if (rc != TSREC_OK)
        tsrec__selector_free(ctx, sel);
    return rc;
}

/* ---- reading ------------------------------------------------------------- */

static int is_header(const tsrec__selector *sel, const tsrec__csv_record *rec)
{
    for (int32_t c = 0; c < sel->n_cols; c++) {
        size_t n = strlen(sel->col_names[c]);
        if (rec->fields[c].len != n || strncasecmp(rec->fields[c].ptr, sel->col_names[c], n) != 0)
            return 0;
    }
    return 1;
}

/* One row into the distinct-row dictionary. */
static int add_row(tsrec__handle *eh, tsrec__selector *sel, const tsrec__csv_record *rec)
{
    size_t at = 0;
    int32_t n_key = 1;
    for (int32_t d = 0; d < TSREC__MAX_FORECAST_DIMS; d++)
        n_key += sel->dim_listed[d];
    for (int32_t k = 0; k < n_key; k++) {
        const tsrec__csv_field *f = &rec->fields[sel->key_col[k]];
        if (at + (k > 0) + f->len > TSREC__STRDICT_MAX_LEN) {
            sel->n_too_long++; /* longer than any series key can be */
            return TSREC_OK;
        }
        if (k > 0)
            sel->key[at++] = '\0';
        memcpy(sel->key + at, f->ptr, f->len);
        at += f->len;
    }
    return tsrec__strdict_intern(&sel->rows, eh, sel->key, at, NULL, NULL);
}

static int read_file(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__selector *sel, const char *path)
{
    tsrec__source *src = NULL;
    tsrec__csv_reader *r = NULL;
    int rc = tsrec__source_open_path(ctx, eh, path, &src);
    if (rc == TSREC_OK)
        rc = tsrec__csv_reader_new(ctx, eh, src, NULL, &r);
    tsrec__csv_record rec;
    for (int first = 1; rc == TSREC_OK; first = 0) {
        rc = tsrec__csv_next(r, eh, &rec);
        if (rc == TSREC_E_PARSE) {
            const tsrec__csv_error *e = tsrec__csv_last_error(r);
            rc = tsrec__fail(eh, rc, WHAT ": invalid CSV in '%s' at line %lld column %lld: %s",
                             path, (long long)e->line, (long long)e->column, e->reason);
        } else if (rc != TSREC_OK || rec.n_fields == 0) {
            break; /* fatal (message from the reader) or end of the file */
        } else if (rec.n_fields != sel->n_cols) {
            rc = tsrec__fail(eh, TSREC_E_SCHEMA,
                             WHAT ": '%s' line %lld has %lld field%s; the Schema lists %d",
                             path, (long long)rec.line, (long long)rec.n_fields,
                             rec.n_fields == 1 ? "" : "s", (int)sel->n_cols);
        } else if (!(first && is_header(sel, &rec))) {
            sel->n_rows++;
            rc = add_row(eh, sel, &rec);
        }
    }
    tsrec__csv_reader_free(r);
    return rc;
}

int tsrec__selector_read(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__selector *sel)
{
    struct stat sb;
    if (stat(sel->path, &sb) != 0)
        return tsrec__fail(eh, TSREC_E_IO, WHAT ": Path '%s' does not exist or cannot be read",
                           sel->path);
    int rc = tsrec__strdict_init(&sel->rows, ctx, eh, 0);
    if (rc != TSREC_OK)
        return rc;
    sel->rows_ready = 1;
    if ((sel->key = tsrec__alloc(ctx, TSREC__STRDICT_MAX_LEN)) == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory reading the " WHAT);
    if (S_ISDIR(sb.st_mode)) {
        char **paths = NULL;
        int64_t n = 0;
        rc = tsrec__dir_list(ctx, eh, sel->path, &paths, &n);
        for (int64_t i = 0; i < n && rc == TSREC_OK; i++)
            rc = read_file(ctx, eh, sel, paths[i]);
        tsrec__dir_list_free(ctx, paths, n);
    } else {
        rc = read_file(ctx, eh, sel, sel->path);
    }
    if (rc == TSREC_OK && sel->n_rows == 0)
        rc = tsrec__fail(eh, TSREC_E_EMPTY, WHAT ": '%s' holds no rows", sel->path);
    return rc;
}

/* ---- matching ------------------------------------------------------------ */

int tsrec__selector_match(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__selector *sel,
                          const tsrec__series_keys *k, uint8_t *skip, int64_t *out_selected,
                          int64_t *out_unmatched)
{
    int64_t n_rows = tsrec__strdict_count(&sel->rows), n_hit = 0, n_sel = 0;
    uint8_t *hit = tsrec__calloc(ctx, (size_t)(n_rows > 0 ? n_rows : 1), 1);
    if (hit == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory matching the " WHAT);
    for (int64_t s = 0; s < k->n_series; s++) {
        /* The series' key over the listed fields, built as add_row does. */
        size_t at = 0, len = strlen(k->items[s]);
        int fits = len <= TSREC__STRDICT_MAX_LEN;
        if (fits)
            memcpy(sel->key, k->items[s], len);
        at = len;
        for (int32_t d = 0; d < k->n_dims && fits; d++) {
            if (!sel->dim_listed[d])
                continue;
            const char *v = k->dims[s * k->n_dims + d];
            len = strlen(v);
            if ((fits = at + 1 + len <= TSREC__STRDICT_MAX_LEN) != 0) {
                sel->key[at++] = '\0';
                memcpy(sel->key + at, v, len);
                at += len;
            }
        }
        int64_t code = fits ? tsrec__strdict_lookup(&sel->rows, sel->key, at) : -1;
        skip[s] = code < 0;
        if (code >= 0) {
            n_sel++;
            n_hit += !hit[code];
            hit[code] = 1;
        }
    }
    tsrec__free(ctx, hit);
    *out_selected = n_sel;
    *out_unmatched = n_rows - n_hit + sel->n_too_long;
    if (n_sel == 0)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           WHAT ": none of the %lld rows of '%s' names a series of the "
                           "predictor's data",
                           (long long)sel->n_rows, sel->path);
    return TSREC_OK;
}

void tsrec__selector_free(tsrec_ctx *ctx, tsrec__selector *sel)
{
    tsrec__free(ctx, sel->path);
    for (int32_t c = 0; c < sel->n_cols; c++)
        tsrec__free(ctx, sel->col_names[c]);
    if (sel->rows_ready)
        tsrec__strdict_free(&sel->rows);
    tsrec__free(ctx, sel->key);
    memset(sel, 0, sizeof *sel);
}
