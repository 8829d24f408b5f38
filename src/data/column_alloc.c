/* Column allocation, release and size (the value push/truncate helpers the
 * import pipeline uses are in column.c). */
#include <string.h>

#include "column_internal.h"

static int32_t kind_width(int32_t kind)
{
    switch (kind) {
    case TSREC__COL_CODE: return 1; /* widened to 2 or 4 as the dictionary grows */
    case TSREC__COL_I64: return 8;
    case TSREC__COL_F32: return 4;
    case TSREC__COL_F64: return 8;
    case TSREC__COL_BOOL: return 1;
    default: return 0;
    }
}

int tsrec__column_init(tsrec__column *c, tsrec_ctx *ctx, tsrec__handle *eh, int32_t kind,
                       tsrec__strdict *shared_dict)
{
    if (c == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "column: NULL");
    memset(c, 0, sizeof *c);
    int32_t width = kind_width(kind);
    if (ctx == NULL || width == 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "column: NULL ctx or unknown kind %d",
                           (int)kind);
    if (shared_dict != NULL && kind != TSREC__COL_CODE)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "column: only code columns take a dictionary");
    if (kind == TSREC__COL_CODE) {
        if (shared_dict != NULL) {
            c->dict = shared_dict;
            c->dict_shared = 1;
        } else {
            tsrec__strdict *d = tsrec__calloc(ctx, 1, sizeof *d);
            if (d == NULL)
                return tsrec__fail(eh, TSREC_E_NOMEM, "column: out of memory for a dictionary");
            int rc = tsrec__strdict_init(d, ctx, eh, 0);
            if (rc != TSREC_OK) {
                tsrec__free(ctx, d);
                return rc;
            }
            c->dict = d;
            c->dict_shared = 0;
        }
    }
    c->kind = kind;
    c->width = width;
    return TSREC_OK;
}

void tsrec__column_free(tsrec__column *c, tsrec_ctx *ctx)
{
    if (c == NULL)
        return;
    tsrec__free(ctx, c->data);
    tsrec__free(ctx, c->valid);
    if (c->dict != NULL && !c->dict_shared) {
        tsrec__strdict_free(c->dict);
        tsrec__free(ctx, c->dict);
    }
    memset(c, 0, sizeof *c);
}

size_t tsrec__column_bytes(const tsrec__column *c)
{
    if (c == NULL)
        return 0;
    size_t n = 0;
    if (c->data != NULL)
        n += tsrec__alloc_size(c->data);
    if (c->valid != NULL)
        n += tsrec__alloc_size(c->valid);
    if (c->dict != NULL && !c->dict_shared)
        n += tsrec__strdict_bytes(c->dict);
    return n;
}
