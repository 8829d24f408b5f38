/* Shared by the fuzz targets: a ctx per input and a leak check. Fuzz
 * targets may abort: a crash is how a fuzzer reports a bug. */
#ifndef TSREC_FUZZ_COMMON_H
#define TSREC_FUZZ_COMMON_H

#include <stdlib.h>

#include "tsrec/tsrec.h"

static inline tsrec_ctx *fuzz_ctx_new(void)
{
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK)
        abort();
    return ctx;
}

/* Free the ctx, aborting if anything the target made is still allocated. */
static inline void fuzz_ctx_free(tsrec_ctx *ctx)
{
    size_t live = 1;
    if (tsrec_ctx_memory_stats(ctx, &live, NULL, NULL) != TSREC_OK || live != 0)
        abort();
    tsrec_ctx_free(ctx);
}

#endif
