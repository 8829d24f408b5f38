/* Shared plumbing of the Personalize save / load files
 * (pz_save_internal.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pz_save_internal.h"

int tsrec__pz_bad_dest(tsrec__handle *eh, const char *fn, const char *path, tsrec_write_fn write)
{
    if ((path == NULL && write == NULL) || (path != NULL && path[0] == '\0'))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL or empty destination", fn);
    return TSREC_OK;
}

int tsrec__pz_load_fail(tsrec__handle *eh, int rc, const char *what)
{
    /* resource failures are not the file's fault */
    if (rc == TSREC_E_NOMEM || rc == TSREC_E_FORMAT || rc == TSREC_E_THREAD || rc == TSREC_E_IO)
        return rc;
    char why[TSREC__ERRMSG_MAX];
    snprintf(why, sizeof why, "%s", eh->errmsg);
    return tsrec__fail(eh, TSREC_E_FORMAT, "%s: %s", what, why);
}

int tsrec__pz_jw_text(tsrec__json_writer *w, tsrec__handle *eh, char **out)
{
    const char *text = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = tsrec__jw_finish(w, eh, &text, &len);
    if (rc != TSREC_OK)
        return rc;
    if ((*out = tsrec__pz_strndup(w->ctx, text, len)) == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "save: out of memory");
    return TSREC_OK;
}

const tsrec__strdict *tsrec__pz_event_types(const tsrec_dataset_group *g)
{
    const tsrec_dataset *ds = tsrec__pz_dataset(g, TSREC__DS_INTERACTIONS);
    if (ds == NULL)
        return NULL;
    int64_t f = tsrec__pz_field_role(ds, TSREC__ROLE_EVENT_TYPE);
    return f < 0 ? NULL : ds->cols[f].dict;
}

/* ---- ids ------------------------------------------------------------------ */

void tsrec__pz_write_dict_ids(tsrec__wbuf *b, const tsrec__strdict *d, int64_t n)
{
    tsrec__wbuf_i64(b, n);
    for (int64_t c = 0; c < n; c++) {
        size_t len = 0;
        const char *s = tsrec__strdict_get(d, c, &len);
        tsrec__wbuf_u8s(b, (const uint8_t *)s, (int64_t)len);
    }
}

int tsrec__pz_read_check_ids(tsrec__rbuf *r, tsrec_ctx *ctx, tsrec__handle *eh,
                             const tsrec__strdict *d, const char *what, int64_t *out_n,
                             char **out_blob, int64_t **out_off)
{
    *out_n = 0;
    if (out_blob != NULL) {
        *out_blob = NULL;
        *out_off = NULL;
    }
    int64_t n = tsrec__rbuf_count(r, sizeof(int64_t)); /* each id has an i64 length */
    if (r->failed)
        return tsrec__fail(eh, TSREC_E_FORMAT, "saved %s ids: bad count", what);
    int64_t have = d != NULL ? tsrec__strdict_count(d) : 0;
    if (n > have)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "the dataset group does not match the saved object: it was saved "
                           "with %" PRId64 " %s ids, the group has %" PRId64,
                           n, what, have);
    /* the blob holds the ids of the group, which match the file's */
    size_t total = 0;
    for (int64_t c = 0; c < n; c++) {
        size_t len = 0;
        (void)tsrec__strdict_get(d, c, &len);
        total += len + 1;
    }
    char *blob = NULL;
    int64_t *off = NULL;
    if (out_blob != NULL) {
        blob = tsrec__alloc(ctx, total > 0 ? total : 1);
        off = tsrec__alloc(ctx, (size_t)(n + 1) * sizeof(int64_t));
        if (blob == NULL || off == NULL) {
            tsrec__free(ctx, blob);
            tsrec__free(ctx, off);
            return tsrec__fail(eh, TSREC_E_NOMEM, "loading %s ids: out of memory", what);
        }
    }
    size_t pos = 0;
    for (int64_t c = 0; c < n; c++) {
        int64_t len = tsrec__rbuf_count(r, 1);
        const char *p = len >= 0 ? tsrec__rbuf_span(r, (size_t)len) : NULL;
        size_t gl = 0;
        const char *g = tsrec__strdict_get(d, c, &gl);
        if (r->failed || p == NULL || g == NULL || gl != (size_t)len ||
            (len > 0 && memcmp(p, g, gl) != 0)) {
            tsrec__free(ctx, blob);
            tsrec__free(ctx, off);
            if (r->failed || p == NULL)
                return tsrec__fail(eh, TSREC_E_FORMAT, "saved %s ids are truncated", what);
            return tsrec__fail(eh, TSREC_E_FORMAT,
                               "the dataset group does not match the saved object: %s code "
                               "%" PRId64 " is '%.*s' in the file but '%.*s' in the group",
                               what, c, (int)TSREC__MIN(len, 64), p,
                               (int)TSREC__MIN(gl, (size_t)64), g != NULL ? g : "");
        }
        if (blob != NULL) {
            off[c] = (int64_t)pos;
            if (gl > 0)
                memcpy(blob + pos, g, gl);
            blob[pos + gl] = '\0';
            pos += gl + 1;
        }
    }
    if (blob != NULL) {
        off[n] = (int64_t)pos;
        *out_blob = blob;
        *out_off = off;
    }
    *out_n = n;
    return TSREC_OK;
}
