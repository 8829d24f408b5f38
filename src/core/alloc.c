/* Allocation through the ctx allocator, with accounting and a memory limit.
 *
 * Each block carries a header just before the pointer handed out: the
 * requested size and the header length (equal to the alignment, so the
 * returned pointer keeps it). tsrec__free can then pass the exact size to
 * the user's free hook without callers tracking sizes. */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

typedef struct block_header {
    size_t size;   /* bytes requested by the caller */
    size_t offset; /* header length = alignment */
} block_header;

#define MIN_ALIGN ((size_t)16)
#define MAX_ALIGN ((size_t)4096)

int tsrec__mul_size(size_t n, size_t size, size_t *out)
{
    if (size != 0 && n > SIZE_MAX / size)
        return -1;
    *out = n * size;
    return 0;
}

static block_header *header_of(const void *ptr)
{
    return (block_header *)((char *)ptr - sizeof(block_header));
}

size_t tsrec__alloc_size(const void *ptr)
{
    return ptr ? header_of(ptr)->size : 0;
}

/* Reserve `delta` bytes against the limit; 0 on success. */
static int account_add(tsrec_ctx *ctx, size_t delta)
{
    size_t live = atomic_fetch_add(&ctx->live_bytes, delta) + delta;
    if (ctx->memory_limit != 0 && live > ctx->memory_limit) {
        atomic_fetch_sub(&ctx->live_bytes, delta);
        return -1;
    }
    size_t peak = atomic_load(&ctx->peak_bytes);
    while (live > peak && !atomic_compare_exchange_weak(&ctx->peak_bytes, &peak, live)) {
    }
    return 0;
}

void *tsrec__alloc_aligned(tsrec_ctx *ctx, size_t size, size_t align)
{
    if (ctx == NULL || align > MAX_ALIGN || (align & (align - 1)) != 0)
        return NULL;
    if (align < MIN_ALIGN)
        align = MIN_ALIGN;
    if (size > SIZE_MAX - align)
        return NULL;
    size_t total = size + align;
    if (account_add(ctx, size) != 0)
        return NULL;
    char *raw = ctx->alloc.alloc(ctx->alloc.user_data, total, align);
    if (raw == NULL) {
        atomic_fetch_sub(&ctx->live_bytes, size);
        return NULL;
    }
    char *p = raw + align;
    block_header *h = header_of(p);
    h->size = size;
    h->offset = align;
    atomic_fetch_add(&ctx->live_count, 1);
    atomic_fetch_add(&ctx->total_count, 1);
    return p;
}

void *tsrec__alloc(tsrec_ctx *ctx, size_t size)
{
    return tsrec__alloc_aligned(ctx, size, MIN_ALIGN);
}

void *tsrec__calloc(tsrec_ctx *ctx, size_t n, size_t size)
{
    size_t total;
    if (tsrec__mul_size(n, size, &total) != 0)
        return NULL;
    void *p = tsrec__alloc(ctx, total);
    if (p != NULL)
        memset(p, 0, total);
    return p;
}

void *tsrec__realloc(tsrec_ctx *ctx, void *ptr, size_t new_size)
{
    if (ptr == NULL)
        return tsrec__alloc(ctx, new_size);
    block_header *h = header_of(ptr);
    size_t old_size = h->size, align = h->offset;
    if (new_size > SIZE_MAX - align)
        return NULL;
    if (new_size > old_size && account_add(ctx, new_size - old_size) != 0)
        return NULL;
    char *raw = (char *)ptr - align;
    char *nraw = ctx->alloc.realloc(ctx->alloc.user_data, raw, old_size + align,
                                    new_size + align, align);
    if (nraw == NULL) {
        if (new_size > old_size)
            atomic_fetch_sub(&ctx->live_bytes, new_size - old_size);
        return NULL;
    }
    if (new_size < old_size)
        atomic_fetch_sub(&ctx->live_bytes, old_size - new_size);
    char *p = nraw + align;
    header_of(p)->size = new_size;
    return p;
}

void tsrec__free(tsrec_ctx *ctx, void *ptr)
{
    if (ptr == NULL || ctx == NULL)
        return;
    block_header *h = header_of(ptr);
    size_t size = h->size, align = h->offset;
    atomic_fetch_sub(&ctx->live_bytes, size);
    atomic_fetch_sub(&ctx->live_count, 1);
    ctx->alloc.free(ctx->alloc.user_data, (char *)ptr - align, size + align);
}

char *tsrec__strdup(tsrec_ctx *ctx, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = tsrec__alloc(ctx, n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}
