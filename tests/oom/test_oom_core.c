/* OOM: ctx creation and the lazily created thread pool. */
#include "test_util.h"

#include <string.h>

#include "core_internal.h"
#include "pool_internal.h"

static void *never_alloc(void *ud, size_t s, size_t a)
{
    (void)ud;
    (void)s;
    (void)a;
    return NULL;
}
static void *never_realloc(void *ud, void *p, size_t o, size_t n, size_t a)
{
    (void)ud;
    (void)p;
    (void)o;
    (void)n;
    (void)a;
    return NULL;
}
static void never_free(void *ud, void *p, size_t s)
{
    (void)ud;
    (void)p;
    (void)s;
}

static void test_ctx_new_nomem(void **state)
{
    (void)state;
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.allocator.alloc = never_alloc;
    o.allocator.realloc = never_realloc;
    o.allocator.free = never_free;
    tsrec_ctx *ctx = (tsrec_ctx *)0x1;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_E_NOMEM);
    assert_null(ctx);
    assert_non_null(strstr(tsrec_last_error(), "out of memory"));
}

static int count_fn(void *ud, int64_t b, int64_t e, int32_t w)
{
    (void)w;
    int64_t *sum = ud;
    for (int64_t i = b; i < e; i++)
        __atomic_fetch_add(sum, i, __ATOMIC_RELAXED);
    return TSREC_OK;
}

/* Fail the Nth allocation of pool creation for every N: the call reports
 * NOMEM, leaks nothing, and the next call (allocator healthy) succeeds. */
static void test_pool_nomem_every_n(void **state)
{
    (void)state;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        assert_int_equal(tsrec_ctx_set_threads(ctx, 3), TSREC_OK);
        fa.fail_at = n;
        int64_t sum = 0;
        int rc = tsrec__parallel_for(ctx, 100, 1, count_fn, &sum);
        if (fa.failures == 0) {
            assert_int_equal(rc, TSREC_OK);
            assert_int_equal(sum, 4950);
            tu_ctx_free_checked(ctx);
            assert_true(n > 1);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        size_t live;
        assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, NULL, NULL), TSREC_OK);
        assert_int_equal(live, 0);
        fa.fail_at = 0;
        sum = 0;
        assert_int_equal(tsrec__parallel_for(ctx, 100, 1, count_fn, &sum), TSREC_OK);
        assert_int_equal(sum, 4950);
        tu_ctx_free_checked(ctx);
    }
}

static void test_realloc_failure_keeps_block(void **state)
{
    (void)state;
    tu_failing_alloc fa = {0, 0, 0, 0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    char *p = tsrec__alloc(ctx, 10);
    memcpy(p, "abcdefghi", 10);
    fa.fail_at = fa.calls + 1;
    assert_null(tsrec__realloc(ctx, p, 1000));
    assert_string_equal(p, "abcdefghi");
    size_t live;
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, NULL, NULL), TSREC_OK);
    assert_int_equal(live, 10);
    tsrec__free(ctx, p);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctx_new_nomem),
        cmocka_unit_test(test_pool_nomem_every_n),
        cmocka_unit_test(test_realloc_failure_keeps_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
