/* The context: allocator, limits, threads, seed and callbacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "pool_internal.h"

#define DEFAULT_SEED 42u

/* ---- default allocator (C library) ---- */

static void *std_alloc(void *ud, size_t size, size_t align)
{
    (void)ud;
    if (align <= 16)
        return malloc(size ? size : 1);
    void *p = NULL;
    return posix_memalign(&p, align, size ? size : 1) == 0 ? p : NULL;
}

static void *std_realloc(void *ud, void *ptr, size_t old_size, size_t new_size,
                         size_t align)
{
    if (align <= 16)
        return realloc(ptr, new_size ? new_size : 1);
    void *p = std_alloc(ud, new_size, align);
    if (p == NULL)
        return NULL;
    memcpy(p, ptr, old_size < new_size ? old_size : new_size);
    free(ptr);
    return p;
}

static void std_free(void *ud, void *ptr, size_t size)
{
    (void)ud;
    (void)size;
    free(ptr);
}

/* ---- options ---- */

int tsrec_ctx_options_init(tsrec_ctx_options *opts)
{
    if (opts == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE, "tsrec_ctx_options_init: opts is NULL");
    memset(opts, 0, sizeof *opts);
    opts->struct_size = (uint32_t)sizeof *opts;
    opts->n_threads = 1;
    opts->seed = DEFAULT_SEED;
    opts->log_level = TSREC_LOG_WARN;
    return TSREC_OK;
}

/* Does a caller's struct of `size` bytes contain the member ending at `end`? */
#define HAS_FIELD(opts, field) \
    ((opts)->struct_size >= offsetof(tsrec_ctx_options, field) + sizeof((opts)->field))

static int copy_options(const tsrec_ctx_options *in, tsrec_ctx_options *out)
{
    tsrec_ctx_options_init(out);
    if (in == NULL)
        return TSREC_OK;
    if (in->struct_size < offsetof(tsrec_ctx_options, allocator))
        return tsrec__fail_tls(TSREC_E_MISUSE,
                               "tsrec_ctx_new: options struct_size %u is too small; "
                               "fill options with tsrec_ctx_options_init()",
                               (unsigned)in->struct_size);
    size_t n = in->struct_size < sizeof *out ? in->struct_size : sizeof *out;
    memcpy(out, in, n);
    out->struct_size = (uint32_t)sizeof *out;
    /* Fields beyond the caller's struct keep their defaults (set by init). */
    return TSREC_OK;
}

int tsrec_ctx_new(const tsrec_ctx_options *opts_in, tsrec_ctx **out_ctx)
{
    if (out_ctx == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE, "tsrec_ctx_new: out_ctx is NULL");
    *out_ctx = NULL;
    tsrec_ctx_options o;
    int rc = copy_options(opts_in, &o);
    if (rc != TSREC_OK)
        return rc;
    const tsrec_allocator *a = &o.allocator;
    int n_hooks = (a->alloc != NULL) + (a->realloc != NULL) + (a->free != NULL);
    if (n_hooks != 0 && n_hooks != 3)
        return tsrec__fail_tls(TSREC_E_INVALID_ARG,
                               "tsrec_ctx_new: allocator needs all of alloc, realloc and free, or none");
    if (o.n_threads < 1 || o.n_threads > 1024)
        return tsrec__fail_tls(TSREC_E_OUT_OF_RANGE,
                               "tsrec_ctx_new: n_threads %d is outside 1..1024", (int)o.n_threads);
    tsrec_allocator alloc = *a;
    if (n_hooks == 0) {
        alloc.alloc = std_alloc;
        alloc.realloc = std_realloc;
        alloc.free = std_free;
        alloc.user_data = NULL;
    }
    /* The ctx itself comes from the user's allocator too, accounted to no
     * one: live statistics cover what the ctx's users allocate. */
    tsrec_ctx *ctx = alloc.alloc(alloc.user_data, sizeof *ctx, 64);
    if (ctx == NULL)
        return tsrec__fail_tls(TSREC_E_NOMEM, "tsrec_ctx_new: out of memory");
    memset(ctx, 0, sizeof *ctx);
    tsrec__handle_init(&ctx->hdr, TSREC__MAGIC_CTX, ctx);
    ctx->alloc = alloc;
    ctx->memory_limit = o.memory_limit;
    atomic_init(&ctx->live_bytes, 0);
    atomic_init(&ctx->peak_bytes, 0);
    atomic_init(&ctx->live_count, 0);
    atomic_init(&ctx->total_count, 0);
    ctx->n_threads = o.n_threads;
    ctx->seed = o.seed;
    ctx->log = o.log;
    ctx->log_user_data = o.log_user_data;
    ctx->log_level = o.log_level;
    ctx->progress = o.progress;
    ctx->progress_user_data = o.progress_user_data;
    ctx->cancel = o.cancel;
    ctx->cancel_user_data = o.cancel_user_data;
    ctx->pool = NULL;
    *out_ctx = ctx;
    return TSREC_OK;
}

void tsrec_ctx_free(tsrec_ctx *ctx)
{
    if (!tsrec__handle_is(ctx, TSREC__MAGIC_CTX))
        return;
    tsrec__pool_free(ctx->pool);
    ctx->pool = NULL;
    long long live = atomic_load(&ctx->live_count);
    if (live != 0)
        tsrec__log(ctx, TSREC_LOG_WARN, "tsrec_ctx_free: %lld allocations (%zu bytes) still live",
                   live, (size_t)atomic_load(&ctx->live_bytes));
    tsrec__handle_retire(&ctx->hdr);
    tsrec_allocator a = ctx->alloc;
    a.free(a.user_data, ctx, sizeof *ctx);
}

#define CHECK_CTX(ctx, fn) TSREC__CHECK((ctx), TSREC__MAGIC_CTX, (fn), "tsrec_ctx")

int tsrec_ctx_set_threads(tsrec_ctx *ctx, int32_t n_threads)
{
    CHECK_CTX(ctx, "tsrec_ctx_set_threads");
    if (n_threads < 1 || n_threads > 1024)
        return tsrec__fail(&ctx->hdr, TSREC_E_OUT_OF_RANGE,
                           "tsrec_ctx_set_threads: n_threads %d is outside 1..1024", (int)n_threads);
    if (n_threads != ctx->n_threads) {
        tsrec__pool_free(ctx->pool); /* recreated with the new size on next use */
        ctx->pool = NULL;
        ctx->n_threads = n_threads;
    }
    return tsrec__ok(&ctx->hdr);
}

int tsrec_ctx_set_seed(tsrec_ctx *ctx, uint64_t seed)
{
    CHECK_CTX(ctx, "tsrec_ctx_set_seed");
    ctx->seed = seed;
    return tsrec__ok(&ctx->hdr);
}

int tsrec_ctx_set_memory_limit(tsrec_ctx *ctx, size_t bytes)
{
    CHECK_CTX(ctx, "tsrec_ctx_set_memory_limit");
    ctx->memory_limit = bytes;
    return tsrec__ok(&ctx->hdr);
}

int tsrec_ctx_get_threads(const tsrec_ctx *ctx, int32_t *out_n_threads)
{
    CHECK_CTX(ctx, "tsrec_ctx_get_threads");
    if (out_n_threads == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE, "tsrec_ctx_get_threads: out_n_threads is NULL");
    *out_n_threads = ctx->n_threads;
    return TSREC_OK;
}

int tsrec_ctx_get_seed(const tsrec_ctx *ctx, uint64_t *out_seed)
{
    CHECK_CTX(ctx, "tsrec_ctx_get_seed");
    if (out_seed == NULL)
        return tsrec__fail_tls(TSREC_E_MISUSE, "tsrec_ctx_get_seed: out_seed is NULL");
    *out_seed = ctx->seed;
    return TSREC_OK;
}

int tsrec_ctx_memory_stats(const tsrec_ctx *ctx, size_t *out_live, size_t *out_peak,
                           int64_t *out_count)
{
    CHECK_CTX(ctx, "tsrec_ctx_memory_stats");
    tsrec_ctx *c = (tsrec_ctx *)ctx; /* atomics are read-only here */
    if (out_live)
        *out_live = atomic_load(&c->live_bytes);
    if (out_peak)
        *out_peak = atomic_load(&c->peak_bytes);
    if (out_count)
        *out_count = (int64_t)atomic_load(&c->live_count);
    return TSREC_OK;
}

int tsrec_ctx_reset_peak(tsrec_ctx *ctx)
{
    CHECK_CTX(ctx, "tsrec_ctx_reset_peak");
    atomic_store(&ctx->peak_bytes, atomic_load(&ctx->live_bytes));
    return tsrec__ok(&ctx->hdr);
}

/* ---- log, progress, cancel ---- */

void tsrec__log(tsrec_ctx *ctx, int32_t level, const char *fmt, ...)
{
    if (ctx == NULL || ctx->log == NULL || level > ctx->log_level)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_user_data, level, buf);
}

void tsrec__progress(tsrec_ctx *ctx, const char *what, int64_t done, int64_t total)
{
    if (ctx != NULL && ctx->progress != NULL)
        ctx->progress(ctx->progress_user_data, what, done, total);
}

int tsrec__cancelled(tsrec_ctx *ctx)
{
    return ctx != NULL && ctx->cancel != NULL && ctx->cancel(ctx->cancel_user_data) != 0;
}
