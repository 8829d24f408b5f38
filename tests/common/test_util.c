#include "test_util.h"

#include <stdlib.h>
#include <string.h>

tsrec_ctx *tu_ctx_new(void)
{
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(NULL, &ctx), TSREC_OK);
    assert_non_null(ctx);
    return ctx;
}

void tu_ctx_free_checked(tsrec_ctx *ctx)
{
    size_t live = 1;
    int64_t count = 1;
    /* The worker pool is ctx-owned memory; dropping to one thread frees it,
     * so what remains live is what the test's objects leaked. */
    assert_int_equal(tsrec_ctx_set_threads(ctx, 1), TSREC_OK);
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, NULL, &count), TSREC_OK);
    assert_int_equal(count, 0);
    assert_int_equal(live, 0);
    tsrec_ctx_free(ctx);
}

static int should_fail(tu_failing_alloc *fa)
{
    fa->calls++;
    if (fa->fail_at > 0 && (fa->calls == fa->fail_at || (fa->persistent && fa->calls > fa->fail_at))) {
        fa->failures++;
        return 1;
    }
    return 0;
}

static void *fa_alloc(void *ud, size_t size, size_t align)
{
    if (should_fail(ud))
        return NULL;
    void *p = NULL;
    if (align < sizeof(void *))
        align = sizeof(void *);
    return posix_memalign(&p, align, size ? size : 1) == 0 ? p : NULL;
}

static void *fa_realloc(void *ud, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    if (new_size > old_size && should_fail(ud))
        return NULL;
    void *p = NULL;
    if (align < sizeof(void *))
        align = sizeof(void *);
    if (posix_memalign(&p, align, new_size ? new_size : 1) != 0)
        return NULL;
    memcpy(p, ptr, old_size < new_size ? old_size : new_size);
    free(ptr);
    return p;
}

static void fa_free(void *ud, void *ptr, size_t size)
{
    (void)ud;
    (void)size;
    free(ptr);
}

tsrec_ctx *tu_ctx_new_failing(tu_failing_alloc *fa)
{
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.allocator.alloc = fa_alloc;
    o.allocator.realloc = fa_realloc;
    o.allocator.free = fa_free;
    o.allocator.user_data = fa;
    int64_t saved = fa->fail_at;
    fa->fail_at = 0; /* the ctx itself must be created */
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    fa->fail_at = saved;
    fa->calls = 0;
    fa->failures = 0;
    return ctx;
}
