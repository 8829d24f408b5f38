/* Thread pool: coverage of every index, deterministic partitioning,
 * lowest-chunk failure, cancel. */
#include "test_util.h"

#include <stdatomic.h>
#include <string.h>

#include "core_internal.h"
#include "pool_internal.h"

typedef struct {
    atomic_int *hits;
    int32_t *owner;
    int64_t fail_from; /* items >= this fail (chunk containing it fails) */
    int status;
} cover_arg;

static int cover_fn(void *ud, int64_t begin, int64_t end, int32_t worker)
{
    cover_arg *a = ud;
    for (int64_t i = begin; i < end; i++) {
        if (i >= a->fail_from)
            return a->status;
        atomic_fetch_add(&a->hits[i], 1);
        a->owner[i] = worker;
    }
    return TSREC_OK;
}

static void run_cover(int32_t threads, int64_t n, int64_t grain, int32_t *owner_out)
{
    tsrec_ctx *ctx = tu_ctx_new();
    assert_int_equal(tsrec_ctx_set_threads(ctx, threads), TSREC_OK);
    atomic_int *hits = calloc((size_t)n, sizeof *hits);
    cover_arg a = {hits, owner_out, INT64_MAX, TSREC_OK};
    assert_int_equal(tsrec__parallel_for(ctx, n, grain, cover_fn, &a), TSREC_OK);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(atomic_load(&hits[i]), 1);
    free(hits);
    tu_ctx_free_checked(ctx);
}

static void test_every_index_once(void **state)
{
    (void)state;
    int32_t owner[1000];
    for (int32_t t = 1; t <= 4; t++) {
        run_cover(t, 1000, 0, owner);
        run_cover(t, 1000, 7, owner);
        run_cover(t, 1, 0, owner);
    }
}

static void test_partition_is_deterministic(void **state)
{
    (void)state;
    int32_t o1[997], o2[997];
    for (int rep = 0; rep < 5; rep++) {
        run_cover(3, 997, 10, o1);
        run_cover(3, 997, 10, o2);
        assert_memory_equal(o1, o2, sizeof o1);
        /* chunk c belongs to worker c % 3 */
        for (int64_t i = 0; i < 997; i++)
            assert_int_equal(o1[i], (i / 10) % 3);
    }
}

static void test_lowest_failure_wins(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    assert_int_equal(tsrec_ctx_set_threads(ctx, 4), TSREC_OK);
    atomic_int hits[400] = {0};
    int32_t owner[400];
    for (int rep = 0; rep < 20; rep++) {
        cover_arg a = {hits, owner, 123, TSREC_E_NUMERIC};
        assert_int_equal(tsrec__parallel_for(ctx, 400, 5, cover_fn, &a), TSREC_E_NUMERIC);
        /* every chunk below the failing one ran completely */
        for (int64_t i = 0; i < 120; i++)
            assert_true(atomic_load(&hits[i]) >= 1);
    }
    tu_ctx_free_checked(ctx);
}

static int cancel_after(void *ud)
{
    atomic_int *calls = ud;
    return atomic_fetch_add(calls, 1) >= 3;
}

static void test_cancel(void **state)
{
    (void)state;
    atomic_int calls = 0;
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.cancel = cancel_after;
    o.cancel_user_data = &calls;
    for (int32_t t = 1; t <= 3; t += 2) {
        o.n_threads = t;
        atomic_store(&calls, 0);
        tsrec_ctx *ctx = NULL;
        assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
        atomic_int hits[100] = {0};
        int32_t owner[100];
        cover_arg a = {hits, owner, INT64_MAX, TSREC_OK};
        assert_int_equal(tsrec__parallel_for(ctx, 100, 1, cover_fn, &a), TSREC_E_CANCELLED);
        int done = 0;
        for (int i = 0; i < 100; i++)
            done += atomic_load(&hits[i]);
        assert_true(done < 100);
        tu_ctx_free_checked(ctx);
    }
}

static void test_empty_range(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    cover_arg a = {NULL, NULL, 0, TSREC_E_NUMERIC};
    assert_int_equal(tsrec__parallel_for(ctx, 0, 0, cover_fn, &a), TSREC_OK);
    tu_ctx_free_checked(ctx);
}

static void test_resize_pool(void **state)
{
    (void)state;
    int32_t owner[50];
    tsrec_ctx *ctx = tu_ctx_new();
    atomic_int hits[50];
    for (int32_t t = 1; t <= 4; t++) {
        memset(hits, 0, sizeof hits);
        assert_int_equal(tsrec_ctx_set_threads(ctx, t), TSREC_OK);
        cover_arg a = {hits, owner, INT64_MAX, TSREC_OK};
        assert_int_equal(tsrec__parallel_for(ctx, 50, 1, cover_fn, &a), TSREC_OK);
        assert_int_equal(tsrec__ctx_workers(ctx), t);
    }
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_index_once),
        cmocka_unit_test(test_partition_is_deterministic),
        cmocka_unit_test(test_lowest_failure_wins),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_empty_range),
        cmocka_unit_test(test_resize_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
