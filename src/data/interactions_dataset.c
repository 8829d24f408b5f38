/* Adapters from a Personalize dataset group to the interaction store and
 * to the Users / Items metadata matrix (interactions_dataset_internal.h).
 * They only gather columns into the plain arrays the array-level builders
 * take (codes of adaptive width widened to int32, missing values to -1 or
 * NaN, dictionary strings NUL-terminated); every rule (filters, dedup,
 * one-hot, standardisation) lives in those builders. */
#include "interactions_dataset_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "column_internal.h"
#include "domains_internal.h"

static const tsrec_dataset *group_dataset(const tsrec_dataset_group *g, int32_t type)
{
    int slot = tsrec__dataset_type_slot(type);
    return slot >= 0 ? g->datasets[slot] : NULL;
}

static int64_t field_with_role(const tsrec_dataset *ds, int32_t role)
{
    for (int64_t i = 0; i < ds->schema->n_fields; i++)
        if (ds->roles[i] == role)
            return i;
    return -1;
}

/* n elements of `size` bytes (at least one byte, so a 0-row request still
 * yields a pointer), or NULL on overflow / out of memory. */
static void *alloc_n(tsrec_ctx *ctx, int64_t n, size_t size)
{
    size_t bytes;
    if (n < 0 || tsrec__mul_size((size_t)n, size, &bytes) != 0)
        return NULL;
    return tsrec__alloc(ctx, bytes > 0 ? bytes : 1);
}

/* NUL-terminated copies of every string of a dictionary, in code order:
 * the builders take C strings, the dictionary holds counted bytes. */
typedef struct name_table {
    const char **ptr; /* per code, into buf */
    char *buf;
    int64_t n;
} name_table;

static void names_free(tsrec_ctx *ctx, name_table *t)
{
    tsrec__free(ctx, (void *)t->ptr);
    tsrec__free(ctx, t->buf);
    memset(t, 0, sizeof(*t));
}

static int names_copy(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__strdict *d,
                      name_table *t)
{
    memset(t, 0, sizeof(*t));
    int64_t n = tsrec__strdict_count(d);
    size_t total = 0;
    for (int64_t c = 0; c < n; c++) {
        size_t len = 0;
        if (tsrec__strdict_get(d, c, &len) == NULL)
            len = 0;
        if (total > SIZE_MAX - len - 1)
            return tsrec__fail(eh, TSREC_E_NOMEM, "dictionary strings are too large to copy");
        total += len + 1;
    }
    t->ptr = alloc_n(ctx, n, sizeof(*t->ptr));
    t->buf = tsrec__alloc(ctx, total > 0 ? total : 1);
    if (t->ptr == NULL || t->buf == NULL) {
        names_free(ctx, t);
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory copying %" PRId64 " names", n);
    }
    size_t at = 0;
    for (int64_t c = 0; c < n; c++) {
        size_t len = 0;
        const char *s = tsrec__strdict_get(d, c, &len);
        if (s == NULL)
            len = 0;
        if (len > 0)
            memcpy(t->buf + at, s, len);
        t->buf[at + len] = '\0';
        t->ptr[c] = t->buf + at;
        at += len + 1;
    }
    t->n = n;
    return TSREC_OK;
}

/* Common checks: a live Personalize group; the dataset of `type` with rows. */
static int personalize_dataset(tsrec_dataset_group *g, tsrec__handle *eh, int32_t type,
                               const char *fn, const tsrec_dataset **out)
{
    *out = NULL;
    if (!tsrec__handle_is(g, TSREC__MAGIC_GROUP))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: invalid dataset group", fn);
    if (g->service != TSREC_SERVICE_PERSONALIZE)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "%s: dataset group '%s' is not a Personalize dataset group", fn,
                           g->name);
    const char *tn = tsrec__dataset_type_name(type);
    const tsrec_dataset *ds = group_dataset(g, type);
    if (ds == NULL)
        return tsrec__fail(eh, TSREC_E_EMPTY,
                           "%s: dataset group '%s' has no %s dataset (create one and import "
                           "data first)", fn, g->name, tn);
    if (ds->n_rows == 0)
        return tsrec__fail(eh, TSREC_E_EMPTY,
                           "%s: %s dataset '%s' of dataset group '%s' has no rows (import data "
                           "first)", fn, tn, ds->name, g->name);
    *out = ds;
    return TSREC_OK;
}

/* Codes of a CODE column widened to int32 (-1 for a missing value). */
static void gather_codes(const tsrec__column *c, int64_t n, int32_t *dst)
{
    for (int64_t r = 0; r < n; r++)
        dst[r] = tsrec__column_is_present(c, r) ? (int32_t)tsrec__column_get_code(c, r) : -1;
}

/* ---- interactions ----------------------------------------------------- */

typedef struct rows_work {
    int32_t *user, *item, *event_type;
    int64_t *ts_copy;
    float *value;
    name_table types;
} rows_work;

static void rows_work_free(tsrec_ctx *ctx, rows_work *w)
{
    tsrec__free(ctx, w->user);
    tsrec__free(ctx, w->item);
    tsrec__free(ctx, w->event_type);
    tsrec__free(ctx, w->ts_copy);
    tsrec__free(ctx, w->value);
    names_free(ctx, &w->types);
}

static int gather_rows(const tsrec_dataset *ds, tsrec_ctx *ctx, tsrec__handle *eh,
                       rows_work *w, tsrec__interaction_rows *rows,
                       tsrec__interaction_codes *codes)
{
    int64_t fu = field_with_role(ds, TSREC__ROLE_USER_ID);
    int64_t fi = field_with_role(ds, TSREC__ROLE_ITEM_ID);
    int64_t ft = field_with_role(ds, TSREC__ROLE_TIMESTAMP);
    int64_t fe = field_with_role(ds, TSREC__ROLE_EVENT_TYPE);
    int64_t fv = field_with_role(ds, TSREC__ROLE_EVENT_VALUE);
    if (fu < 0 || fi < 0 || ft < 0)
        return tsrec__fail(eh, TSREC_E_SCHEMA,
                           "Interactions dataset '%s' lacks USER_ID, ITEM_ID or TIMESTAMP",
                           ds->name);
    int64_t n = ds->n_rows;
    const tsrec__column *ct = &ds->cols[ft];
    w->user = alloc_n(ctx, n, sizeof(int32_t));
    w->item = alloc_n(ctx, n, sizeof(int32_t));
    if (w->user == NULL || w->item == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory for %" PRId64 " rows",
                           n);
    gather_codes(&ds->cols[fu], n, w->user);
    gather_codes(&ds->cols[fi], n, w->item);
    rows->n = n;
    rows->user = w->user;
    rows->item = w->item;
    /* Timestamps are int64 already: borrowed when every value is there. */
    if (ct->kind == TSREC__COL_I64 && ct->valid == NULL && ct->len >= n) {
        rows->ts = ct->data;
    } else {
        w->ts_copy = alloc_n(ctx, n, sizeof(int64_t));
        if (w->ts_copy == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory for timestamps");
        for (int64_t r = 0; r < n; r++)
            w->ts_copy[r] = tsrec__column_get_i64(ct, r);
        rows->ts = w->ts_copy;
    }
    if (fe >= 0) {
        const tsrec__column *ce = &ds->cols[fe];
        w->event_type = alloc_n(ctx, n, sizeof(int32_t));
        if (w->event_type == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory for event types");
        gather_codes(ce, n, w->event_type);
        int rc = names_copy(ctx, eh, ce->dict, &w->types);
        if (rc != TSREC_OK)
            return rc;
        rows->event_type = w->event_type;
        codes->n_event_types = w->types.n;
        codes->event_type_names = w->types.ptr;
    }
    if (fv >= 0) {
        const tsrec__column *cv = &ds->cols[fv];
        w->value = alloc_n(ctx, n, sizeof(float));
        if (w->value == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "interactions: out of memory for event values");
        for (int64_t r = 0; r < n; r++)
            w->value[r] =
                tsrec__column_is_present(cv, r) ? (float)tsrec__column_get_f64(cv, r) : NAN;
        rows->value = w->value;
    }
    return TSREC_OK;
}

int tsrec__interactions_from_group(tsrec__interactions *out, tsrec_dataset_group *g,
                                   tsrec__handle *eh, const char *event_type,
                                   double event_value_threshold)
{
    static const char fn[] = "interactions_from_group";
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL output", fn);
    memset(out, 0, sizeof(*out));
    if (isinf(event_value_threshold))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "%s: eventValueThreshold must be finite (NaN for none)", fn);
    const tsrec_dataset *ds = NULL;
    int rc = personalize_dataset(g, eh, TSREC__DS_INTERACTIONS, fn, &ds);
    if (rc != TSREC_OK)
        return rc;
    int64_t n_users = tsrec__strdict_count(&g->users);
    int64_t n_items = tsrec__strdict_count(&g->items);
    if (n_users > INT32_MAX || n_items > INT32_MAX)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "%s: %" PRId64 " users and %" PRId64 " items exceed the store's "
                           "limit of %" PRId32 " each", fn, n_users, n_items, INT32_MAX);
    if (event_type != NULL && field_with_role(ds, TSREC__ROLE_EVENT_TYPE) < 0)
        return tsrec__fail(eh, TSREC_E_EMPTY,
                           "%s: event type '%s' was asked for but Interactions dataset '%s' has "
                           "no EVENT_TYPE field, so no event is kept", fn, event_type, ds->name);
    tsrec_ctx *ctx = g->hdr.ctx;
    rows_work w;
    memset(&w, 0, sizeof w);
    tsrec__interaction_rows rows;
    memset(&rows, 0, sizeof rows);
    tsrec__interaction_codes codes = {n_users, n_items, 0, NULL};
    rc = gather_rows(ds, ctx, eh, &w, &rows, &codes);
    if (rc == TSREC_OK) {
        tsrec__interaction_opts o;
        tsrec__interaction_opts_init(&o);
        o.event_type = event_type;
        o.has_threshold = !isnan(event_value_threshold);
        o.value_threshold = o.has_threshold ? event_value_threshold : 0.0;
        rc = tsrec__interactions_build(out, ctx, eh, &rows, &codes, &o);
    }
    rows_work_free(ctx, &w);
    return rc;
}

/* ---- Users / Items metadata ------------------------------------------- */

typedef struct meta_work {
    int64_t n_src;            /* schema fields */
    tsrec__meta_field *fields; /* n_src, the first nf used */
    int64_t *src;             /* encoded field -> schema field */
    name_table *names;        /* per encoded field (categorical only) */
    void **arrays;            /* per encoded field: str pointers or numbers */
    int32_t *row_of;
    int64_t nf;
} meta_work;

static void meta_work_free(tsrec_ctx *ctx, meta_work *w)
{
    for (int64_t f = 0; f < w->nf; f++) {
        names_free(ctx, &w->names[f]);
        tsrec__free(ctx, w->arrays[f]);
    }
    tsrec__free(ctx, w->fields);
    tsrec__free(ctx, w->src);
    tsrec__free(ctx, w->names);
    tsrec__free(ctx, (void *)w->arrays);
    tsrec__free(ctx, w->row_of);
}

static int is_numeric_type(int32_t t)
{
    return t == TSREC_FIELD_INTEGER || t == TSREC_FIELD_LONG || t == TSREC_FIELD_FLOAT ||
           t == TSREC_FIELD_DOUBLE || t == TSREC_FIELD_BOOLEAN;
}

/* One encodable field i into slot w->nf (w->nf grows only on success, so
 * meta_work_free frees exactly what was made). */
static int add_field(const tsrec_dataset *ds, tsrec_ctx *ctx, tsrec__handle *eh, meta_work *w,
                     int64_t i, int32_t hash_buckets)
{
    const tsrec__field *fd = &ds->schema->fields[i];
    const tsrec__column *c = &ds->cols[i];
    int64_t n = ds->n_rows, k = w->nf;
    tsrec__meta_field *mf = &w->fields[k];
    if (fd->type == TSREC_FIELD_STRING) {
        int rc = names_copy(ctx, eh, c->dict, &w->names[k]);
        if (rc != TSREC_OK)
            return rc;
        const char **str = alloc_n(ctx, n, sizeof(*str));
        if (str == NULL) {
            names_free(ctx, &w->names[k]);
            return tsrec__fail(eh, TSREC_E_NOMEM, "metadata: out of memory for field '%s'",
                               fd->name);
        }
        for (int64_t r = 0; r < n; r++) {
            int64_t code = tsrec__column_is_present(c, r) ? tsrec__column_get_code(c, r) : -1;
            str[r] = code >= 0 && code < w->names[k].n ? w->names[k].ptr[code] : NULL;
        }
        mf->kind = hash_buckets > 0 ? TSREC__META_HASHED : TSREC__META_ONEHOT;
        mf->n_buckets = hash_buckets;
        mf->str = str;
        w->arrays[k] = (void *)str;
    } else {
        double *num = alloc_n(ctx, n, sizeof(double));
        if (num == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM, "metadata: out of memory for field '%s'",
                               fd->name);
        for (int64_t r = 0; r < n; r++)
            num[r] = tsrec__column_is_present(c, r) ? tsrec__column_get_f64(c, r) : NAN;
        mf->kind = TSREC__META_NUMERIC;
        mf->num = num;
        w->arrays[k] = num;
    }
    w->src[k] = i;
    w->nf++;
    return TSREC_OK;
}

static int gather_meta(const tsrec_dataset *ds, tsrec_ctx *ctx, tsrec__handle *eh,
                       meta_work *w, int64_t id_field, int32_t hash_buckets)
{
    int64_t n_src = ds->schema->n_fields, n = ds->n_rows;
    w->n_src = n_src;
    size_t nz = (size_t)(n_src > 0 ? n_src : 1);
    w->fields = tsrec__calloc(ctx, nz, sizeof(*w->fields));
    w->src = tsrec__calloc(ctx, nz, sizeof(*w->src));
    w->names = tsrec__calloc(ctx, nz, sizeof(*w->names));
    w->arrays = tsrec__calloc(ctx, nz, sizeof(*w->arrays));
    w->row_of = alloc_n(ctx, n, sizeof(int32_t));
    if (w->fields == NULL || w->src == NULL || w->names == NULL || w->arrays == NULL ||
        w->row_of == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "metadata: out of memory");
    gather_codes(&ds->cols[id_field], n, w->row_of);
    for (int64_t i = 0; i < n_src; i++) {
        if (ds->roles[i] != TSREC__ROLE_OTHER)
            continue; /* id, CREATION_TIMESTAMP */
        const tsrec__field *fd = &ds->schema->fields[i];
        int keep = fd->type == TSREC_FIELD_STRING ? (fd->flags & TSREC_FIELD_CATEGORICAL) != 0
                                                  : is_numeric_type(fd->type);
        if (!keep)
            continue; /* textual, plain strings: not encoded here */
        int rc = add_field(ds, ctx, eh, w, i, hash_buckets);
        if (rc != TSREC_OK)
            return rc;
    }
    return TSREC_OK;
}

int tsrec__meta_from_dataset(tsrec__meta_matrix *out, tsrec_dataset_group *g,
                             tsrec__handle *eh, int32_t which, int32_t hash_buckets,
                             int64_t *out_schema_field)
{
    static const char fn[] = "meta_from_dataset";
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL output", fn);
    memset(out, 0, sizeof(*out));
    if (which != TSREC__DS_USERS && which != TSREC__DS_ITEMS)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "%s: which must be the Users or Items dataset type, not %" PRId32, fn,
                           which);
    if (hash_buckets < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "%s: hash_buckets %" PRId32 " must be >= 0 (0 = one-hot)", fn,
                           hash_buckets);
    const tsrec_dataset *ds = NULL;
    int rc = personalize_dataset(g, eh, which, fn, &ds);
    if (rc != TSREC_OK)
        return rc;
    int users = which == TSREC__DS_USERS;
    int64_t id_field = field_with_role(ds, users ? TSREC__ROLE_USER_ID : TSREC__ROLE_ITEM_ID);
    if (id_field < 0)
        return tsrec__fail(eh, TSREC_E_SCHEMA, "%s: dataset '%s' has no %s field", fn, ds->name,
                           users ? "USER_ID" : "ITEM_ID");
    int64_t n_codes = tsrec__strdict_count(users ? &g->users : &g->items);
    if (n_codes > INT32_MAX)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "%s: %" PRId64 " %s exceed the limit of %" PRId32, fn, n_codes,
                           users ? "users" : "items", INT32_MAX);
    tsrec_ctx *ctx = g->hdr.ctx;
    meta_work w;
    memset(&w, 0, sizeof w);
    rc = gather_meta(ds, ctx, eh, &w, id_field, hash_buckets);
    if (rc == TSREC_OK)
        rc = tsrec__meta_encode(out, ctx, eh, n_codes, ds->n_rows, w.row_of, w.fields, w.nf);
    if (rc == TSREC_OK && out_schema_field != NULL)
        for (int64_t f = 0; f < w.nf; f++)
            out_schema_field[f] = w.src[f];
    meta_work_free(ctx, &w);
    return rc;
}
