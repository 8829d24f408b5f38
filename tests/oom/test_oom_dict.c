/* OOM: hash map and string dictionary. The Nth allocation fails for every
 * N during a sequence of inserts: the failing call returns TSREC_E_NOMEM,
 * leaves the contents (and for the dictionary, the memory held) exactly as
 * before, the sequence then completes once the allocator recovers, and
 * nothing leaks. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "hashmap_internal.h"
#include "strdict_internal.h"

/* ---- hash map ------------------------------------------------------------ */

enum { MAP_N = 3000 };

static uint64_t map_key(int64_t i)
{
    return (uint64_t)i * 0x9e3779b97f4a7c15ULL; /* spread, includes 0 */
}

/* Entries 0..n-1 present with value i, entry n absent. */
static void check_map_prefix(const tsrec__hashmap *m, int64_t n)
{
    assert_int_equal(tsrec__hashmap_count(m), n);
    for (int64_t i = 0; i < n; i++) {
        int64_t v = -1;
        assert_true(tsrec__hashmap_get(m, map_key(i), &v));
        assert_int_equal(v, i);
    }
    assert_false(tsrec__hashmap_get(m, map_key(n), NULL));
}

static void test_hashmap_inserts_every_n(void **state)
{
    (void)state;
    int failures_seen = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec__hashmap m;
        assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 0), TSREC_OK);
        fa.fail_at = n;
        int failed = 0;
        for (int64_t i = 0; i < MAP_N; i++) {
            int rc = (i % 2) ? tsrec__hashmap_put(&m, NULL, map_key(i), i)
                             : tsrec__hashmap_get_or_insert(&m, NULL, map_key(i), i,
                                                            NULL, NULL);
            if (rc != TSREC_OK) {
                assert_int_equal(rc, TSREC_E_NOMEM);
                assert_int_equal(failed, 0);
                failed = 1;
                check_map_prefix(&m, i);
                /* overwriting an existing key never allocates */
                if (i > 0)
                    assert_int_equal(tsrec__hashmap_put(&m, NULL, map_key(0), 0),
                                     TSREC_OK);
                fa.fail_at = 0;
                i--; /* retry with a healthy allocator */
            }
        }
        check_map_prefix(&m, MAP_N);
        tsrec__hashmap_free(&m);
        tu_ctx_free_checked(ctx);
        if (!failed)
            break;
        failures_seen++;
    }
    assert_true(failures_seen >= 5); /* several growths were exercised */
}

static void test_hashmap_init_reserve_nomem(void **state)
{
    (void)state;
    tu_failing_alloc fa = {0, 0, 0, 0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    tsrec__hashmap m;
    fa.fail_at = 1;
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 100), TSREC_E_NOMEM);
    assert_int_equal(tsrec__hashmap_count(&m), 0);
    assert_int_equal(tsrec__hashmap_bytes(&m), 0);
    tsrec__hashmap_free(&m);
    fa.fail_at = 0;
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 100), TSREC_OK);
    for (int64_t i = 0; i < 50; i++)
        assert_int_equal(tsrec__hashmap_put(&m, NULL, map_key(i), i), TSREC_OK);
    size_t b = tsrec__hashmap_bytes(&m);
    fa.calls = 0;
    fa.fail_at = 1;
    assert_int_equal(tsrec__hashmap_reserve(&m, NULL, 100000), TSREC_E_NOMEM);
    assert_int_equal(tsrec__hashmap_bytes(&m), b);
    check_map_prefix(&m, 50);
    tsrec__hashmap_free(&m);
    tu_ctx_free_checked(ctx);
}

/* ---- string dictionary ------------------------------------------------- */

/* Enough ids for 17+ positions pages and arena chunks (so both pointer
 * arrays grow past their first 16 entries): every 40th key is long. */
enum { DICT_N = 17 * 1024 + 10 };

static size_t dict_key(int64_t i, unsigned char *buf)
{
    if (i % 40 == 39) {
        size_t len = 30000 + (size_t)(i % 7);
        memset(buf, 'L', len);
        snprintf((char *)buf, 24, "%lld", (long long)i); /* unique head */
        return len;
    }
    /* short ids, some with NUL bytes, one empty */
    if (i == 5)
        return 0;
    int len = snprintf((char *)buf, 32, "id_%lld", (long long)i);
    if (i % 3 == 0)
        buf[1] = '\0';
    return (size_t)len;
}

static void check_dict_prefix(const tsrec__strdict *d, int64_t n,
                              unsigned char *buf)
{
    assert_int_equal(tsrec__strdict_count(d), n);
    for (int64_t i = 0; i < n; i++) {
        size_t len = dict_key(i, buf);
        size_t glen;
        const char *p = tsrec__strdict_get(d, i, &glen);
        assert_non_null(p);
        assert_int_equal(glen, len);
        if (len > 0)
            assert_memory_equal(p, buf, len);
        assert_int_equal(tsrec__strdict_lookup(d, buf, len), i);
    }
    size_t len = dict_key(n, buf);
    assert_int_equal(tsrec__strdict_lookup(d, buf, len), -1);
    assert_null(tsrec__strdict_get(d, n, NULL));
}

static void test_strdict_inserts_every_n(void **state)
{
    (void)state;
    unsigned char *buf = malloc(40000);
    assert_non_null(buf);
    int failures_seen = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec__strdict d;
        assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 0), TSREC_OK);
        fa.fail_at = n;
        int failed = 0;
        for (int64_t i = 0; i < DICT_N; i++) {
            size_t len = dict_key(i, buf);
            size_t bytes = tsrec__strdict_bytes(&d);
            int64_t code = -2;
            int is_new = -1;
            int rc = tsrec__strdict_intern(&d, NULL, buf, len, &code, &is_new);
            if (rc != TSREC_OK) {
                assert_int_equal(rc, TSREC_E_NOMEM);
                assert_int_equal(failed, 0);
                failed = 1;
                /* nothing added, nothing reallocated */
                assert_int_equal(tsrec__strdict_bytes(&d), bytes);
                check_dict_prefix(&d, i, buf);
                /* re-interning an existing id never allocates */
                if (i > 0) {
                    size_t l0 = dict_key(0, buf);
                    assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, l0, &code,
                                                           &is_new), TSREC_OK);
                    assert_int_equal(code, 0);
                    assert_int_equal(is_new, 0);
                }
                fa.fail_at = 0;
                i--;
                continue;
            }
            assert_int_equal(code, i);
            assert_int_equal(is_new, 1);
        }
        check_dict_prefix(&d, DICT_N, buf);
        assert_true(d.n_chunks > 16);
        assert_true(d.n_pages > 16);
        tsrec__strdict_free(&d);
        tu_ctx_free_checked(ctx);
        if (!failed)
            break;
        failures_seen++;
    }
    assert_true(failures_seen > 40);
    free(buf);
}

/* Batch form: a failure at key j reports j done, keeps keys 0..j-1 and
 * only them; the rest then goes in once the allocator recovers. */
static void test_strdict_batch_every_n(void **state)
{
    (void)state;
    enum { N = 3000 };
    static char keys[N][16];
    static const void *ptrs[N];
    static size_t lens[N];
    static int64_t codes[N];
    for (int i = 0; i < N; i++) {
        lens[i] = (size_t)snprintf(keys[i], sizeof keys[i], "k%d", i);
        ptrs[i] = keys[i];
    }
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec__strdict d;
        assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 0), TSREC_OK);
        fa.fail_at = n;
        int64_t done = -1;
        int rc = tsrec__strdict_intern_many(&d, NULL, N, ptrs, lens, codes, &done);
        int failed = rc != TSREC_OK;
        if (failed) {
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_true(done >= 0 && done < N);
            assert_int_equal(tsrec__strdict_count(&d), done);
            for (int64_t i = 0; i < done; i++) {
                assert_int_equal(codes[i], i);
                assert_int_equal(tsrec__strdict_lookup(&d, ptrs[i], lens[i]), i);
            }
            assert_int_equal(tsrec__strdict_lookup(&d, ptrs[done], lens[done]), -1);
            fa.fail_at = 0;
            int64_t rest = -1;
            assert_int_equal(tsrec__strdict_intern_many(&d, NULL, N - done, ptrs + done,
                                                        lens + done, codes + done, &rest),
                             TSREC_OK);
            assert_int_equal(rest, N - done);
        } else {
            assert_int_equal(done, N);
        }
        for (int64_t i = 0; i < N; i++)
            assert_int_equal(codes[i], i);
        tsrec__strdict_free(&d);
        tu_ctx_free_checked(ctx);
        if (!failed)
            break;
    }
}

static void test_strdict_init_nomem(void **state)
{
    (void)state;
    tu_failing_alloc fa = {0, 0, 0, 0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    tsrec__strdict d;
    fa.fail_at = 1;
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 1000), TSREC_E_NOMEM);
    assert_int_equal(tsrec__strdict_count(&d), 0);
    assert_int_equal(tsrec__strdict_bytes(&d), 0);
    tsrec__strdict_free(&d);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashmap_inserts_every_n),
        cmocka_unit_test(test_hashmap_init_reserve_nomem),
        cmocka_unit_test(test_strdict_inserts_every_n),
        cmocka_unit_test(test_strdict_batch_every_n),
        cmocka_unit_test(test_strdict_init_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
