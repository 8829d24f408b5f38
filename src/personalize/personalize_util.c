/* Small helpers shared by the Personalize workflow files. */
#include <string.h>

#include "personalize_internal.h"

int tsrec__pz_check_name(tsrec__handle *eh, const char *what, const char *s, size_t len)
{
    int ok = s != NULL && len >= 1 && len <= 63;
    for (size_t i = 0; ok && i < len; i++) {
        char ch = s[i];
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        ok = alnum || (i > 0 && (ch == '-' || ch == '_'));
    }
    if (!ok)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "%s '%.*s' must match ^[a-zA-Z0-9][a-zA-Z0-9\\-_]* (1-63 characters)",
                           what, (int)(s == NULL ? 0 : (len > 80 ? 80 : len)), s == NULL ? "" : s);
    return TSREC_OK;
}

char *tsrec__pz_strndup(tsrec_ctx *ctx, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = tsrec__alloc(ctx, len + 1);
    if (p == NULL)
        return NULL;
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

tsrec_dataset *tsrec__pz_dataset(const tsrec_dataset_group *g, int32_t type)
{
    for (int i = 0; i < TSREC__DS_MAX_TYPES; i++)
        if (g->datasets[i] != NULL && g->datasets[i]->type == type)
            return g->datasets[i];
    return NULL;
}

int64_t tsrec__pz_field_role(const tsrec_dataset *ds, int32_t role)
{
    for (int64_t i = 0; i < ds->schema->n_fields; i++)
        if (ds->roles[i] == role)
            return i;
    return -1;
}

int tsrec__pz_emit(tsrec__json_writer *w, tsrec__handle *eh, char *buf, size_t cap,
                   size_t *out_len)
{
    const char *text = NULL;
    size_t len = 0;
    int rc = tsrec__jw_finish(w, eh, &text, &len);
    if (rc != TSREC_OK)
        return rc;
    *out_len = len;
    if (buf != NULL && cap > 0) {
        size_t n = len < cap - 1 ? len : cap - 1;
        memcpy(buf, text, n);
        buf[n] = '\0';
    }
    return TSREC_OK;
}

int tsrec__pz_want_object(tsrec__handle *eh, const tsrec__json *v, const char *what)
{
    if (tsrec__json_type(v) != TSREC__JSON_OBJECT)
        return tsrec__fail(eh, TSREC_E_BAD_TYPE, "%s must be a JSON object", what);
    return TSREC_OK;
}
