/* Saving a dataset group (tsrec_dataset_group_save, _save_to): the group,
 * its id dictionaries and every dataset with its schema and columns, in
 * the payload layout of group_save_internal.h. A save only reads the
 * group; derived caches (interaction stores, featurization) are rebuilt
 * from the data by their consumers and are not written. */
#include <string.h>

#include "container_internal.h"
#include "data_internal.h"
#include "domains_internal.h"
#include "group_save_internal.h"
#include "json_internal.h"
#include "schema_internal.h"
#include "time_internal.h"

/* 1 on a little-endian host, where column memory is already in file
 * order and can be written in one piece. */
static int host_is_le(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

static void write_dict(tsrec__wbuf *b, const tsrec__strdict *d)
{
    int64_t n = tsrec__strdict_count(d);
    tsrec__wbuf_i64(b, n);
    for (int64_t code = 0; code < n && b->status == TSREC_OK; code++) {
        size_t len = 0;
        const char *s = tsrec__strdict_get(d, code, &len);
        tsrec__wbuf_u32(b, (uint32_t)len);
        if (len > 0)
            tsrec__wbuf_bytes(b, s, len);
    }
}

/* The schema as the JSON its service's parser reads back into the same
 * fields, types and flags (the original text is not kept; this canonical
 * form carries everything the parsed schema holds). */
static int schema_json(const tsrec_dataset *ds, tsrec__json_writer *w)
{
    const tsrec_schema *s = ds->schema;
    if (s->service == TSREC_SERVICE_FORECAST) {
        tsrec__jw_object_begin(w);
        tsrec__jw_key(w, "Attributes", 10);
        tsrec__jw_array_begin(w);
        for (int64_t i = 0; i < s->n_fields; i++) {
            const tsrec__field *f = &s->fields[i];
            const char *t = tsrec__field_type_name(s->service, f->type);
            tsrec__jw_object_begin(w);
            tsrec__jw_key(w, "AttributeName", 13);
            tsrec__jw_string(w, f->name, strlen(f->name));
            tsrec__jw_key(w, "AttributeType", 13);
            tsrec__jw_string(w, t, strlen(t));
            tsrec__jw_object_end(w);
        }
        tsrec__jw_array_end(w);
        return tsrec__jw_object_end(w);
    }
    const char *rec = tsrec__dataset_type_name(ds->type);
    tsrec__jw_object_begin(w);
    tsrec__jw_key(w, "type", 4);
    tsrec__jw_string(w, "record", 6);
    tsrec__jw_key(w, "name", 4);
    tsrec__jw_string(w, rec, strlen(rec));
    tsrec__jw_key(w, "fields", 6);
    tsrec__jw_array_begin(w);
    for (int64_t i = 0; i < s->n_fields; i++) {
        const tsrec__field *f = &s->fields[i];
        const char *t = tsrec__field_type_name(s->service, f->type);
        tsrec__jw_object_begin(w);
        tsrec__jw_key(w, "name", 4);
        tsrec__jw_string(w, f->name, strlen(f->name));
        tsrec__jw_key(w, "type", 4);
        if (f->flags & TSREC_FIELD_NULLABLE) {
            tsrec__jw_array_begin(w);
            tsrec__jw_string(w, "null", 4);
            tsrec__jw_string(w, t, strlen(t));
            tsrec__jw_array_end(w);
        } else {
            tsrec__jw_string(w, t, strlen(t));
        }
        if (f->flags & TSREC_FIELD_CATEGORICAL) {
            tsrec__jw_key(w, "categorical", 11);
            tsrec__jw_bool(w, 1);
        }
        if (f->flags & TSREC_FIELD_TEXTUAL) {
            tsrec__jw_key(w, "textual", 7);
            tsrec__jw_bool(w, 1);
        }
        tsrec__jw_object_end(w);
    }
    tsrec__jw_array_end(w);
    return tsrec__jw_object_end(w);
}

static void write_values(tsrec__wbuf *b, const tsrec__column *c)
{
    switch (c->kind) {
    case TSREC__COL_CODE: {
        size_t nbytes = (size_t)c->len * (size_t)c->width;
        tsrec__wbuf_i64(b, (int64_t)nbytes);
        if (nbytes == 0)
            return;
        if (c->width == 1 || host_is_le()) {
            tsrec__wbuf_bytes(b, c->data, nbytes);
            return;
        }
        /* Big-endian host: codes one by one, low byte first. */
        const unsigned char *p = c->data;
        for (int64_t i = 0; i < c->len; i++)
            for (int32_t k = c->width - 1; k >= 0; k--)
                tsrec__wbuf_u8(b, p[(size_t)i * (size_t)c->width + (size_t)k]);
        return;
    }
    case TSREC__COL_I64:
        tsrec__wbuf_i64s(b, c->data, c->len);
        return;
    case TSREC__COL_F32:
        tsrec__wbuf_f32s(b, c->data, c->len);
        return;
    case TSREC__COL_F64:
        tsrec__wbuf_f64s(b, c->data, c->len);
        return;
    default: /* TSREC__COL_BOOL */
        tsrec__wbuf_u8s(b, c->data, c->len);
        return;
    }
}

static void write_column(tsrec__wbuf *b, const tsrec__column *c)
{
    tsrec__wbuf_i32(b, c->kind);
    tsrec__wbuf_i32(b, c->width);
    tsrec__wbuf_i64(b, c->len);
    tsrec__wbuf_u8(b, c->dict_shared ? 1 : 0);
    if (c->kind == TSREC__COL_CODE && !c->dict_shared)
        write_dict(b, c->dict);
    write_values(b, c);
    tsrec__wbuf_u8(b, c->valid != NULL ? 1 : 0);
    if (c->valid == NULL)
        return;
    /* Only the words that cover the length; bits past it (capacity slack,
     * values cut by a rollback) are written as zero. */
    int64_t words = (c->len + 63) / 64;
    tsrec__wbuf_i64(b, words);
    for (int64_t w = 0; w < words; w++) {
        uint64_t v = c->valid[w];
        int64_t bits = c->len - w * 64;
        if (bits < 64)
            v &= ((uint64_t)1 << bits) - 1;
        tsrec__wbuf_i64(b, (int64_t)v);
    }
}

static int write_dataset(tsrec__wbuf *b, const tsrec_dataset *ds, tsrec__handle *eh)
{
    tsrec__json_writer w;
    tsrec__jw_init(&w, eh->ctx);
    schema_json(ds, &w);
    const char *json = NULL;
    size_t json_len = 0;
    int rc = tsrec__jw_finish(&w, eh, &json, &json_len);
    if (rc != TSREC_OK) {
        tsrec__jw_free(&w);
        return rc;
    }
    tsrec__wbuf_str(b, ds->name);
    tsrec__wbuf_str(b, tsrec__dataset_type_name(ds->type));
    tsrec__wbuf_str(b, ds->data_frequency != 0 ? tsrec__freq_name(ds->data_frequency) : NULL);
    tsrec__wbuf_str(b, json);
    tsrec__jw_free(&w);
    tsrec__wbuf_i64(b, ds->n_rows);
    tsrec__wbuf_i64(b, ds->n_imports);
    tsrec__wbuf_i64(b, ds->schema->n_fields);
    for (int64_t i = 0; i < ds->schema->n_fields && b->status == TSREC_OK; i++)
        write_column(b, &ds->cols[i]);
    return TSREC_OK;
}

/* The whole payload into b; errors recorded on eh. */
static int write_group(tsrec__wbuf *b, const tsrec_dataset_group *g, tsrec__handle *eh)
{
    tsrec__wbuf_str(b, g->name);
    tsrec__wbuf_i32(b, g->service);
    tsrec__wbuf_str(b, tsrec__domain_name(g->domain));
    write_dict(b, &g->items);
    write_dict(b, &g->users);
    int32_t n = 0;
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++)
        n += g->datasets[i] != NULL;
    tsrec__wbuf_i32(b, n);
    for (int i = 0; i < TSREC__DS_MAX_TYPES && b->status == TSREC_OK; i++) {
        if (g->datasets[i] == NULL)
            continue;
        int rc = write_dataset(b, g->datasets[i], eh);
        if (rc != TSREC_OK)
            return rc;
    }
    if (b->status != TSREC_OK)
        return tsrec__fail(eh, b->status, "saving dataset group \"%s\": out of memory", g->name);
    return TSREC_OK;
}

/* Shared by both entry points: path != NULL saves to a file, else to
 * write(user). Errors are recorded on the group's handle. */
static int save(const tsrec_dataset_group *group, const char *path, tsrec_write_fn write,
                void *user, int write_fn_expected, const char *fn)
{
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, fn, "tsrec_dataset_group");
    /* Recording the outcome is the one write a save makes to the group. */
    tsrec__handle *eh = (tsrec__handle *)(uintptr_t)&group->hdr;
    if (path == NULL && write == NULL)
        return tsrec__fail(eh, TSREC_E_MISUSE, "%s: %s is NULL", fn,
                           write_fn_expected ? "write" : "path");
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, group->hdr.ctx);
    int rc = write_group(&b, group, eh);
    if (rc != TSREC_OK) {
        tsrec__wbuf_free(&b);
        return rc;
    }
    rc = tsrec__container_save_any(eh, TSREC_OBJECT_DATASET_GROUP, TSREC__GROUP_STATE_VERSION,
                                   &b, path, write, user);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec_dataset_group_save(const tsrec_dataset_group *group, const char *path)
{
    return save(group, path, NULL, NULL, 0, "tsrec_dataset_group_save");
}

int tsrec_dataset_group_save_to(const tsrec_dataset_group *group, tsrec_write_fn write,
                                void *user)
{
    return save(group, NULL, write, user, 1, "tsrec_dataset_group_save_to");
}
