/* Loading a dataset group (tsrec_dataset_group_load, _load_from) from the
 * payload written by group_save.c (layout in group_save_internal.h).
 *
 * The file is never trusted. The group and its datasets are rebuilt
 * through the public constructors (tsrec_dataset_group_new, schema parse,
 * tsrec_dataset_group_create_dataset), so names, domain, dataset types,
 * frequencies and schemas pass exactly the checks they passed when first
 * made; then every dictionary, column and bitmap is checked against the
 * file's own claims: counts against the bytes left, no repeated ids, codes
 * inside their dictionary, lengths equal to the row count, finite floats,
 * 0/1 booleans, no missing value where an import would refuse one. Any
 * violation frees everything built so far and returns TSREC_E_FORMAT with
 * a message naming the dataset and column, recorded on the ctx. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "column_internal.h"
#include "container_internal.h"
#include "data_internal.h"
#include "dataset_internal.h"
#include "domains_internal.h"
#include "group_save_internal.h"
#include "schema_internal.h"
#include "time_internal.h"

typedef struct loader {
    tsrec_ctx *ctx;
    tsrec__rbuf r;
    tsrec_dataset_group *g;
} loader;

static int bad(loader *L, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int bad(loader *L, const char *fmt, ...)
{
    char msg[TSREC__ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tsrec__fail(&L->ctx->hdr, TSREC_E_FORMAT, "tsrec_dataset_group_load: corrupt file: %s",
                       msg);
}

static int nomem(loader *L)
{
    return tsrec__fail(&L->ctx->hdr, TSREC_E_NOMEM, "tsrec_dataset_group_load: out of memory");
}

/* A constructor refused what the file describes: keep its message (copied
 * first, as recording the new one overwrites the handle's) under a
 * TSREC_E_FORMAT, except out-of-memory, which stays what it is. */
static int refused(loader *L, int rc, const tsrec__handle *from, const char *what)
{
    if (rc == TSREC_E_NOMEM)
        return nomem(L);
    char msg[TSREC__ERRMSG_MAX];
    memcpy(msg, from->errmsg, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    return bad(L, "%s: %s", what, msg);
}

static int truncated(loader *L, const char *what)
{
    return bad(L, "%s is truncated or malformed", what);
}

/* A string field; NULL allowed only where the layout says so. */
static int read_str(loader *L, char **out, const char *what)
{
    int rc = tsrec__rbuf_str(&L->r, L->ctx, out);
    if (rc == TSREC_E_NOMEM)
        return nomem(L);
    if (rc != TSREC_OK)
        return truncated(L, what);
    return TSREC_OK;
}

/* Fill an empty dictionary with the saved strings, in code order, so each
 * string gets back its code. */
static int read_dict(loader *L, tsrec__strdict *d, const char *what_ds, const char *what)
{
    int64_t n = tsrec__rbuf_count(&L->r, 4); /* each string costs at least its length */
    if (n < 0)
        return bad(L, "%s%s dictionary: bad count", what_ds, what);
    for (int64_t i = 0; i < n; i++) {
        uint32_t len = tsrec__rbuf_u32(&L->r);
        const void *p = tsrec__rbuf_span(&L->r, len);
        if (L->r.failed)
            return bad(L, "%s%s dictionary: string %lld of %lld is truncated", what_ds, what,
                       (long long)i, (long long)n);
        if (len > TSREC__STRDICT_MAX_LEN)
            return bad(L, "%s%s dictionary: string %lld has %lu bytes (at most %lu)", what_ds,
                       what, (long long)i, (unsigned long)len,
                       (unsigned long)TSREC__STRDICT_MAX_LEN);
        int64_t code = -1;
        int is_new = 0;
        int rc = tsrec__strdict_intern(d, NULL, p, len, &code, &is_new);
        if (rc == TSREC_E_NOMEM)
            return nomem(L);
        if (rc != TSREC_OK)
            return bad(L, "%s%s dictionary: string %lld cannot be stored", what_ds, what,
                       (long long)i);
        if (!is_new)
            return bad(L, "%s%s dictionary: string %lld repeats string %lld", what_ds, what,
                       (long long)i, (long long)code);
    }
    return TSREC_OK;
}

/* Would an import refuse a missing value in this field? (The rule of
 * import.c: Personalize fields that are not nullable; Forecast keys.) */
static int value_required(const tsrec_dataset *ds, int64_t f)
{
    if (ds->schema->service == TSREC_SERVICE_PERSONALIZE)
        return (ds->schema->fields[f].flags & TSREC_FIELD_NULLABLE) == 0;
    int32_t role = ds->roles[f];
    return role == TSREC__ROLE_ITEM_ID || role == TSREC__ROLE_TIMESTAMP ||
           role == TSREC__ROLE_DIMENSION;
}

static int host_is_le(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* The values array of column c (kind and width already checked), adopted
 * as the column's storage. */
static int read_values(loader *L, tsrec__column *c, int64_t len, const char *where)
{
    int64_t n = 0;
    int rc;
    void *data = NULL;
    switch (c->kind) {
    case TSREC__COL_CODE: {
        uint8_t *p = NULL;
        rc = tsrec__rbuf_u8s(&L->r, L->ctx, &p, &n);
        data = p;
        /* len <= INT64_MAX / 4 (read_column), so len * width cannot overflow. */
        if (rc == TSREC_OK && n != len * c->width) {
            tsrec__free(L->ctx, data);
            return bad(L, "%s: %lld bytes of codes for %lld rows of width %d", where,
                       (long long)n, (long long)len, (int)c->width);
        }
        if (rc == TSREC_OK && c->width > 1 && !host_is_le())
            for (int64_t i = 0; i < len; i++) { /* file order is low byte first */
                unsigned char *v = p + (size_t)i * (size_t)c->width;
                for (int32_t a = 0, b = c->width - 1; a < b; a++, b--) {
                    unsigned char t = v[a];
                    v[a] = v[b];
                    v[b] = t;
                }
            }
        n /= c->width;
        break;
    }
    case TSREC__COL_I64: {
        int64_t *p = NULL;
        rc = tsrec__rbuf_i64s(&L->r, L->ctx, &p, &n);
        data = p;
        break;
    }
    case TSREC__COL_F32: {
        float *p = NULL;
        rc = tsrec__rbuf_f32s(&L->r, L->ctx, &p, &n);
        data = p;
        break;
    }
    case TSREC__COL_F64: {
        double *p = NULL;
        rc = tsrec__rbuf_f64s(&L->r, L->ctx, &p, &n);
        data = p;
        break;
    }
    default: { /* TSREC__COL_BOOL */
        uint8_t *p = NULL;
        rc = tsrec__rbuf_u8s(&L->r, L->ctx, &p, &n);
        data = p;
        break;
    }
    }
    if (rc == TSREC_E_NOMEM)
        return nomem(L);
    if (rc != TSREC_OK)
        return truncated(L, where);
    if (n != len) {
        tsrec__free(L->ctx, data);
        return bad(L, "%s: %lld values for %lld rows", where, (long long)n, (long long)len);
    }
    c->data = data;
    c->len = c->cap = len;
    return TSREC_OK;
}

static int read_validity(loader *L, tsrec__column *c, const char *where)
{
    uint8_t has = tsrec__rbuf_u8(&L->r);
    if (L->r.failed)
        return truncated(L, where);
    if (has > 1)
        return bad(L, "%s: validity flag %u is not 0 or 1", where, (unsigned)has);
    if (!has)
        return TSREC_OK;
    int64_t *words = NULL, n = 0;
    int rc = tsrec__rbuf_i64s(&L->r, L->ctx, &words, &n);
    if (rc == TSREC_E_NOMEM)
        return nomem(L);
    if (rc != TSREC_OK)
        return truncated(L, where);
    if (n != (c->len + 63) / 64) {
        tsrec__free(L->ctx, words);
        return bad(L, "%s: validity bitmap of %lld words for %lld rows", where, (long long)n,
                   (long long)c->len);
    }
    c->valid = (uint64_t *)words;
    if (c->len % 64 != 0) /* bits past the length mean nothing: clear them */
        c->valid[n - 1] &= ((uint64_t)1 << (c->len % 64)) - 1;
    return TSREC_OK;
}

/* Every value against its column's rules; missing values get the zero
 * placeholder an import stores. */
static int check_values(loader *L, const tsrec_dataset *ds, int64_t f, tsrec__column *c,
                        const char *where)
{
    int required = value_required(ds, f);
    /* The import's ranges: timestamps in years 1..9999, Avro int 32-bit. */
    int32_t type = ds->schema->fields[f].type, role = ds->roles[f];
    int is_time = type == TSREC_FIELD_TIMESTAMP || role == TSREC__ROLE_TIMESTAMP ||
                  role == TSREC__ROLE_CREATION_TIMESTAMP;
    int is_int32 = type == TSREC_FIELD_INTEGER && ds->schema->service == TSREC_SERVICE_PERSONALIZE;
    int64_t n_codes = c->kind == TSREC__COL_CODE ? tsrec__strdict_count(c->dict) : 0;
    for (int64_t i = 0; i < c->len; i++) {
        if (!tsrec__column_is_present(c, i)) {
            if (required)
                return bad(L, "%s: row %lld is missing a value the field requires", where,
                           (long long)i);
            memset((char *)c->data + (size_t)i * (size_t)c->width, 0, (size_t)c->width);
            continue;
        }
        switch (c->kind) {
        case TSREC__COL_CODE: {
            int64_t code = tsrec__column_get_code(c, i);
            if (code < 0 || code >= n_codes)
                return bad(L, "%s: row %lld has code %lld outside its dictionary of %lld", where,
                           (long long)i, (long long)code, (long long)n_codes);
            break;
        }
        case TSREC__COL_I64: {
            int64_t v = ((const int64_t *)c->data)[i];
            if (is_time && (v < TSREC__TIME_MIN || v > TSREC__TIME_MAX))
                return bad(L, "%s: row %lld holds timestamp %lld outside years 1..9999", where,
                           (long long)i, (long long)v);
            if (is_int32 && (v < INT32_MIN || v > INT32_MAX))
                return bad(L, "%s: row %lld holds %lld, out of range for an int (32-bit)", where,
                           (long long)i, (long long)v);
            break;
        }
        case TSREC__COL_F32:
        case TSREC__COL_F64: {
            double v = tsrec__column_get_f64(c, i);
            if (!isfinite(v))
                return bad(L, "%s: row %lld holds a NaN or infinite value", where, (long long)i);
            break;
        }
        case TSREC__COL_BOOL:
            if (((const uint8_t *)c->data)[i] > 1)
                return bad(L, "%s: row %lld holds boolean %u", where, (long long)i,
                           (unsigned)((const uint8_t *)c->data)[i]);
            break;
        default:
            break;
        }
    }
    return TSREC_OK;
}

/* Column f of ds: the dataset was just created, so the column is empty and
 * of the kind its schema field needs. */
static int read_column(loader *L, tsrec_dataset *ds, int64_t f)
{
    tsrec__column *c = &ds->cols[f];
    char where[200];
    snprintf(where, sizeof where, "dataset \"%s\", column \"%s\"", ds->name,
             ds->schema->fields[f].name);
    int32_t kind = tsrec__rbuf_i32(&L->r);
    int32_t width = tsrec__rbuf_i32(&L->r);
    int64_t len = tsrec__rbuf_i64(&L->r);
    uint8_t shared = tsrec__rbuf_u8(&L->r);
    if (L->r.failed)
        return truncated(L, where);
    if (kind != c->kind)
        return bad(L, "%s: stored as kind %d, its schema type needs kind %d", where, (int)kind,
                   (int)c->kind);
    if (kind == TSREC__COL_CODE ? (width != 1 && width != 2 && width != 4) : width != c->width)
        return bad(L, "%s: value width %d is invalid", where, (int)width);
    if (len != ds->n_rows || len > INT64_MAX / 4)
        return bad(L, "%s: %lld values but the dataset has %lld rows", where, (long long)len,
                   (long long)ds->n_rows);
    if (shared != (c->dict_shared ? 1 : 0))
        return bad(L, "%s: dictionary sharing flag %u does not match the field's role", where,
                   (unsigned)shared);
    c->width = width;
    int rc;
    if (kind == TSREC__COL_CODE && !shared) {
        char what_ds[160];
        snprintf(what_ds, sizeof what_ds, "dataset \"%s\", column \"%s\"", ds->name,
                 ds->schema->fields[f].name);
        if ((rc = read_dict(L, c->dict, what_ds, "")) != TSREC_OK)
            return rc;
    }
    if ((rc = read_values(L, c, len, where)) != TSREC_OK ||
        (rc = read_validity(L, c, where)) != TSREC_OK)
        return rc;
    return check_values(L, ds, f, c, where);
}

/* Re-create one dataset through the public constructor, then fill it. */
static int read_dataset(loader *L, int32_t index)
{
    char *name = NULL, *type = NULL, *freq = NULL, *json = NULL;
    tsrec_schema *schema = NULL;
    char what[120];
    snprintf(what, sizeof what, "dataset %d", (int)index);
    int rc;
    if ((rc = read_str(L, &name, what)) != TSREC_OK || (rc = read_str(L, &type, what)) != TSREC_OK ||
        (rc = read_str(L, &freq, what)) != TSREC_OK || (rc = read_str(L, &json, what)) != TSREC_OK)
        goto done;
    if (name == NULL || type == NULL || json == NULL) {
        rc = bad(L, "%s has no name, type or schema", what);
        goto done;
    }
    snprintf(what, sizeof what, "dataset \"%.60s\"", name);
    rc = tsrec_schema_parse(L->ctx, L->g->service, json, strlen(json), &schema);
    if (rc != TSREC_OK) {
        rc = refused(L, rc, &L->ctx->hdr, what);
        goto done;
    }
    tsrec_dataset *ds = NULL;
    rc = tsrec_dataset_group_create_dataset(L->g, name, type, schema, freq, &ds);
    if (rc != TSREC_OK) {
        rc = refused(L, rc, &L->g->hdr, what);
        goto done;
    }
    int64_t n_rows = tsrec__rbuf_i64(&L->r);
    int64_t n_imports = tsrec__rbuf_i64(&L->r);
    int64_t n_fields = tsrec__rbuf_i64(&L->r);
    if (L->r.failed) {
        rc = truncated(L, what);
        goto done;
    }
    if (n_rows < 0 || n_imports < 0 || n_fields != ds->schema->n_fields) {
        rc = bad(L, "%s: %lld rows, %lld imports and %lld columns do not fit its schema of %lld "
                 "fields", what, (long long)n_rows, (long long)n_imports, (long long)n_fields,
                 (long long)ds->schema->n_fields);
        goto done;
    }
    ds->n_rows = n_rows;
    ds->n_imports = n_imports;
    for (int64_t f = 0; f < n_fields && rc == TSREC_OK; f++)
        rc = read_column(L, ds, f);
done:
    tsrec_schema_free(schema);
    tsrec__free(L->ctx, name);
    tsrec__free(L->ctx, type);
    tsrec__free(L->ctx, freq);
    tsrec__free(L->ctx, json);
    return rc;
}

static int read_group(loader *L)
{
    char *name = NULL, *domain = NULL;
    int rc = read_str(L, &name, "the group name");
    if (rc != TSREC_OK)
        return rc;
    int32_t service = tsrec__rbuf_i32(&L->r);
    if ((rc = read_str(L, &domain, "the group domain")) != TSREC_OK) {
        tsrec__free(L->ctx, name);
        return rc;
    }
    if (name == NULL)
        rc = bad(L, "the dataset group has no name");
    else if ((rc = tsrec_dataset_group_new(L->ctx, name, service, domain, &L->g)) != TSREC_OK)
        rc = refused(L, rc, &L->ctx->hdr, "the dataset group");
    tsrec__free(L->ctx, name);
    tsrec__free(L->ctx, domain);
    if (rc != TSREC_OK)
        return rc;
    if ((rc = read_dict(L, &L->g->items, "the group's", " item id")) != TSREC_OK ||
        (rc = read_dict(L, &L->g->users, "the group's", " user id")) != TSREC_OK)
        return rc;
    int32_t n = tsrec__rbuf_i32(&L->r);
    if (L->r.failed)
        return truncated(L, "the dataset count");
    if (n < 0 || n > TSREC__DS_MAX_TYPES)
        return bad(L, "%d datasets (a group holds 0 to %d)", (int)n, TSREC__DS_MAX_TYPES);
    for (int32_t i = 0; i < n; i++)
        if ((rc = read_dataset(L, i)) != TSREC_OK)
            return rc;
    if (L->r.pos != L->r.len)
        return bad(L, "%llu bytes follow the last dataset",
                   (unsigned long long)(L->r.len - L->r.pos));
    return TSREC_OK;
}

/* Rebuild a group from a payload checked by the container. */
static int decode(tsrec_ctx *ctx, const tsrec__payload *p, tsrec_dataset_group **out)
{
    loader L;
    L.ctx = ctx;
    L.g = NULL;
    tsrec__rbuf_init(&L.r, p->data, p->len);
    int rc = read_group(&L);
    if (rc != TSREC_OK) {
        tsrec_dataset_group_free(L.g);
        return rc;
    }
    *out = L.g;
    return TSREC_OK;
}

static int load(tsrec_ctx *ctx, const char *path, tsrec_read_fn read, void *user,
                int by_path, tsrec_dataset_group **out_group, const char *fn)
{
    if (out_group != NULL)
        *out_group = NULL;
    TSREC__CHECK(ctx, TSREC__MAGIC_CTX, fn, "tsrec_ctx");
    if (out_group == NULL)
        return tsrec__fail(&ctx->hdr, TSREC_E_MISUSE, "%s: out_group is NULL", fn);
    if (path == NULL && read == NULL)
        return tsrec__fail(&ctx->hdr, TSREC_E_MISUSE, "%s: %s is NULL", fn,
                           by_path ? "path" : "read");
    tsrec__payload p;
    memset(&p, 0, sizeof p);
    int rc = tsrec__container_load_any(&ctx->hdr, ctx, TSREC_OBJECT_DATASET_GROUP,
                                       TSREC__GROUP_STATE_VERSION, path, read, user, &p);
    if (rc != TSREC_OK)
        return rc;
    tsrec_dataset_group *g = NULL;
    rc = decode(ctx, &p, &g);
    tsrec__payload_free(&p);
    if (rc != TSREC_OK)
        return rc;
    *out_group = g;
    return tsrec__ok(&ctx->hdr);
}

int tsrec_dataset_group_load(tsrec_ctx *ctx, const char *path, tsrec_dataset_group **out_group)
{
    return load(ctx, path, NULL, NULL, 1, out_group, "tsrec_dataset_group_load");
}

int tsrec_dataset_group_load_from(tsrec_ctx *ctx, tsrec_read_fn read, void *user,
                                  tsrec_dataset_group **out_group)
{
    return load(ctx, NULL, read, user, 0, out_group, "tsrec_dataset_group_load_from");
}
