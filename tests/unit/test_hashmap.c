/* Hash map (uint64 -> int64): random operation sequences checked against a
 * sorted-array reference, growth, removal with backward shift, keys chosen
 * to collide, the reserved empty-slot key, iteration. */
#include "test_util.h"

#include <string.h>

#include "core_internal.h"
#include "hash_internal.h"
#include "hashmap_internal.h"

/* Local splitmix64 so the test does not depend on rng.c. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- reference: sorted array of (key, value) ------------------------ */

typedef struct {
    uint64_t *keys;
    int64_t *vals;
    int64_t n, cap;
} ref_map;

static void ref_init(ref_map *r, int64_t cap)
{
    r->keys = calloc((size_t)cap, sizeof(uint64_t));
    r->vals = calloc((size_t)cap, sizeof(int64_t));
    assert_non_null(r->keys);
    assert_non_null(r->vals);
    r->n = 0;
    r->cap = cap;
}

static void ref_free(ref_map *r)
{
    free(r->keys);
    free(r->vals);
}

/* Index of the first key >= k. */
static int64_t ref_pos(const ref_map *r, uint64_t k)
{
    int64_t lo = 0, hi = r->n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (r->keys[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int ref_get(const ref_map *r, uint64_t k, int64_t *v)
{
    int64_t i = ref_pos(r, k);
    if (i < r->n && r->keys[i] == k) {
        *v = r->vals[i];
        return 1;
    }
    return 0;
}

static void ref_put(ref_map *r, uint64_t k, int64_t v)
{
    int64_t i = ref_pos(r, k);
    if (i < r->n && r->keys[i] == k) {
        r->vals[i] = v;
        return;
    }
    assert_true(r->n < r->cap);
    memmove(r->keys + i + 1, r->keys + i, (size_t)(r->n - i) * sizeof(uint64_t));
    memmove(r->vals + i + 1, r->vals + i, (size_t)(r->n - i) * sizeof(int64_t));
    r->keys[i] = k;
    r->vals[i] = v;
    r->n++;
}

static int ref_remove(ref_map *r, uint64_t k)
{
    int64_t i = ref_pos(r, k);
    if (i >= r->n || r->keys[i] != k)
        return 0;
    memmove(r->keys + i, r->keys + i + 1, (size_t)(r->n - i - 1) * sizeof(uint64_t));
    memmove(r->vals + i, r->vals + i + 1, (size_t)(r->n - i - 1) * sizeof(int64_t));
    r->n--;
    return 1;
}

/* ---- structural checks ------------------------------------------------ */

static size_t dist(const tsrec__hashmap *m, size_t i)
{
    return (i - ((size_t)tsrec__hash_u64(m->slots[i].key) & m->mask)) & m->mask;
}

/* Robin Hood invariant: an entry d slots from home has an occupied slot
 * before it whose entry is at least d-1 from its own home. Also checks the
 * load limit and the entry count. */
static void check_structure(const tsrec__hashmap *m)
{
    if (m->slots == NULL) {
        assert_int_equal(m->in_table, 0);
        return;
    }
    int64_t used = 0;
    for (size_t i = 0; i <= m->mask; i++) {
        if (m->slots[i].key == TSREC__HASHMAP_EMPTY_KEY)
            continue;
        used++;
        size_t d = dist(m, i);
        if (d > 0) {
            size_t p = (i - 1) & m->mask;
            assert_true(m->slots[p].key != TSREC__HASHMAP_EMPTY_KEY);
            assert_true(dist(m, p) + 1 >= d);
        }
    }
    assert_int_equal(used, m->in_table);
    assert_true(m->in_table <= m->grow_at);
}

/* The map holds exactly the reference's entries. */
static void check_same(const tsrec__hashmap *m, const ref_map *r)
{
    assert_int_equal(tsrec__hashmap_count(m), r->n);
    int64_t cur = 0, seen = 0;
    uint64_t k;
    int64_t v, rv;
    while (tsrec__hashmap_next(m, &cur, &k, &v)) {
        assert_true(ref_get(r, k, &rv));
        assert_int_equal(v, rv);
        seen++;
    }
    assert_int_equal(seen, r->n); /* with the count check: no duplicates */
    for (int64_t i = 0; i < r->n; i++) {
        assert_true(tsrec__hashmap_get(m, r->keys[i], &v));
        assert_int_equal(v, r->vals[i]);
    }
    check_structure(m);
}

/* A key drawn from a small range (so operations hit existing keys), or now
 * and then a wide or special one. */
static uint64_t draw_key(uint64_t *s, uint64_t range)
{
    uint64_t r = next_u64(s);
    switch (r % 16) {
    case 0:
        return next_u64(s);
    case 1:
        return TSREC__HASHMAP_EMPTY_KEY - (r >> 8) % 3; /* incl. the spare key */
    default:
        return (r >> 8) % range;
    }
}

static void run_random(uint64_t seed, int64_t n_ops, uint64_t range)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__hashmap m;
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 0), TSREC_OK);
    ref_map r;
    ref_init(&r, n_ops + 4);
    uint64_t s = seed;
    for (int64_t op = 0; op < n_ops; op++) {
        uint64_t k = draw_key(&s, range);
        int64_t v = (int64_t)(next_u64(&s) >> 1) - INT64_MAX / 2;
        int64_t got, want;
        switch (next_u64(&s) % 6) {
        case 0:
        case 1:
            assert_int_equal(tsrec__hashmap_put(&m, NULL, k, v), TSREC_OK);
            ref_put(&r, k, v);
            break;
        case 2: {
            int ins = -1;
            int had = ref_get(&r, k, &want);
            assert_int_equal(tsrec__hashmap_get_or_insert(&m, NULL, k, v, &got, &ins),
                             TSREC_OK);
            assert_int_equal(ins, !had);
            assert_int_equal(got, had ? want : v);
            if (!had)
                ref_put(&r, k, v);
            break;
        }
        case 3: {
            int had = ref_get(&r, k, &want);
            got = 12345;
            assert_int_equal(tsrec__hashmap_remove(&m, k, &got), had);
            if (had)
                assert_int_equal(got, want);
            ref_remove(&r, k);
            break;
        }
        case 4: {
            int64_t *p = tsrec__hashmap_get_ptr(&m, k);
            if (ref_get(&r, k, &want)) {
                assert_non_null(p);
                *p += 1;
                ref_put(&r, k, want + 1);
            } else {
                assert_null(p);
            }
            break;
        }
        default:
            if (ref_get(&r, k, &want)) {
                assert_true(tsrec__hashmap_get(&m, k, &got));
                assert_int_equal(got, want);
            } else {
                assert_false(tsrec__hashmap_get(&m, k, &got));
            }
        }
        if (op % 4096 == 0)
            check_same(&m, &r);
    }
    check_same(&m, &r);
    tsrec__hashmap_free(&m);
    ref_free(&r);
    tu_ctx_free_checked(ctx);
}

static void test_random_small_range(void **state)
{
    (void)state;
    run_random(1, 60000, 300);
}

static void test_random_large_range(void **state)
{
    (void)state;
    run_random(2, 60000, 40000);
}

/* Growth keeps every entry; capacity is a power of two; load stays <= 80%. */
static void test_growth(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__hashmap m;
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 0), TSREC_OK);
    assert_int_equal(tsrec__hashmap_bytes(&m), 0);
    size_t last = 0;
    int growths = 0;
    const int64_t n = 200000;
    for (int64_t i = 0; i < n; i++) {
        assert_int_equal(tsrec__hashmap_put(&m, NULL, (uint64_t)i * 7919u, i), TSREC_OK);
        size_t b = tsrec__hashmap_bytes(&m);
        if (b != last) {
            size_t cap = b / sizeof(tsrec__hashmap_slot);
            assert_int_equal(cap & (cap - 1), 0);
            assert_true(last == 0 || b == 2 * last);
            growths++;
            last = b;
        }
        assert_true(m.in_table * 5 <= (int64_t)(m.mask + 1) * 4);
    }
    assert_true(growths >= 15);
    assert_int_equal(tsrec__hashmap_count(&m), n);
    for (int64_t i = 0; i < n; i++) {
        int64_t v = -1;
        assert_true(tsrec__hashmap_get(&m, (uint64_t)i * 7919u, &v));
        assert_int_equal(v, i);
        assert_false(tsrec__hashmap_get(&m, (uint64_t)i * 7919u + 1, &v));
    }
    check_structure(&m);
    /* Overwrites neither grow nor change the count. */
    size_t before = tsrec__hashmap_bytes(&m);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(tsrec__hashmap_put(&m, NULL, (uint64_t)i * 7919u, -i), TSREC_OK);
    assert_int_equal(tsrec__hashmap_bytes(&m), before);
    assert_int_equal(tsrec__hashmap_count(&m), n);
    tsrec__hashmap_free(&m);
    assert_int_equal(tsrec__hashmap_count(&m), 0);
    tu_ctx_free_checked(ctx);
}

/* A capacity hint (or reserve) sizes the table so no growth happens. */
static void test_capacity_hint(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__hashmap m;
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 1000), TSREC_OK);
    size_t b = tsrec__hashmap_bytes(&m);
    assert_true(b > 0);
    for (uint64_t i = 0; i < 1000; i++)
        assert_int_equal(tsrec__hashmap_put(&m, NULL, i, (int64_t)i), TSREC_OK);
    assert_int_equal(tsrec__hashmap_bytes(&m), b);
    assert_int_equal(tsrec__hashmap_reserve(&m, NULL, 5000), TSREC_OK);
    size_t b2 = tsrec__hashmap_bytes(&m);
    assert_true(b2 > b);
    for (uint64_t i = 1000; i < 5000; i++)
        assert_int_equal(tsrec__hashmap_put(&m, NULL, i, (int64_t)i), TSREC_OK);
    assert_int_equal(tsrec__hashmap_bytes(&m), b2);
    assert_int_equal(tsrec__hashmap_reserve(&m, NULL, 10), TSREC_OK);
    assert_int_equal(tsrec__hashmap_bytes(&m), b2);
    tsrec__hashmap_free(&m);

    assert_int_equal(tsrec__hashmap_init(&m, NULL, NULL, 0), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, -1), TSREC_E_INVALID_ARG);
    tsrec__hashmap_free(&m);
    assert_int_equal(tsrec__hashmap_init(NULL, ctx, NULL, 0), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, INT64_MAX), TSREC_E_NOMEM);
    assert_int_equal(tsrec__hashmap_count(&m), 0);
    tsrec__hashmap_free(&m);
    tu_ctx_free_checked(ctx);
}

/* Keys whose home slot is the same (and one at the table's end, so the
 * probe run wraps around) in a 64-slot table; remove them in a random
 * order and check everything after each step. */
static void test_collisions(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__hashmap m;
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 40), TSREC_OK);
    assert_int_equal(m.mask, 63);
    uint64_t keys[48];
    int n = 0;
    for (uint64_t k = 0; n < 48; k++) {
        size_t home = (size_t)tsrec__hash_u64(k) & 63;
        if ((n < 8 && home == 63) || (n >= 8 && home == 60))
            keys[n++] = k;
    }
    ref_map r;
    ref_init(&r, 64);
    for (int i = 0; i < 48; i++) {
        assert_int_equal(tsrec__hashmap_put(&m, NULL, keys[i], i), TSREC_OK);
        ref_put(&r, keys[i], i);
        check_same(&m, &r);
    }
    assert_int_equal(m.mask, 63); /* 48 <= 80% of 64: no growth */
    uint64_t s = 99;
    for (int left = 48; left > 0; left--) {
        int pick = (int)(next_u64(&s) % (uint64_t)left);
        uint64_t k = keys[pick];
        keys[pick] = keys[left - 1];
        int64_t v;
        assert_true(tsrec__hashmap_remove(&m, k, &v));
        assert_false(tsrec__hashmap_remove(&m, k, &v));
        ref_remove(&r, k);
        check_same(&m, &r);
    }
    for (size_t i = 0; i <= m.mask; i++)
        assert_true(m.slots[i].key == TSREC__HASHMAP_EMPTY_KEY);
    tsrec__hashmap_free(&m);
    ref_free(&r);
    tu_ctx_free_checked(ctx);
}

/* The key that marks empty slots is a normal key to callers. */
static void test_empty_slot_key(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__hashmap m;
    const uint64_t e = TSREC__HASHMAP_EMPTY_KEY;
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 0), TSREC_OK);
    int64_t v = 0;
    int ins = 0;
    assert_false(tsrec__hashmap_get(&m, e, &v));
    assert_int_equal(tsrec__hashmap_get_or_insert(&m, NULL, e, 5, &v, &ins), TSREC_OK);
    assert_int_equal(ins, 1);
    assert_int_equal(v, 5);
    assert_int_equal(tsrec__hashmap_bytes(&m), 0); /* kept outside the table */
    assert_int_equal(tsrec__hashmap_put(&m, NULL, 0, 7), TSREC_OK);
    assert_int_equal(tsrec__hashmap_count(&m), 2);
    assert_int_equal(tsrec__hashmap_get_or_insert(&m, NULL, e, 9, &v, &ins), TSREC_OK);
    assert_int_equal(ins, 0);
    assert_int_equal(v, 5);
    int64_t cur = 0;
    uint64_t k;
    int found = 0, total = 0;
    while (tsrec__hashmap_next(&m, &cur, &k, &v)) {
        total++;
        if (k == e) {
            found++;
            assert_int_equal(v, 5);
        } else {
            assert_int_equal(k, 0);
            assert_int_equal(v, 7);
        }
    }
    assert_int_equal(found, 1);
    assert_int_equal(total, 2);
    assert_false(tsrec__hashmap_next(&m, &cur, &k, &v)); /* stays finished */
    assert_true(tsrec__hashmap_remove(&m, e, &v));
    assert_int_equal(v, 5);
    assert_false(tsrec__hashmap_get(&m, e, &v));
    assert_int_equal(tsrec__hashmap_count(&m), 1);
    tsrec__hashmap_free(&m);
    tu_ctx_free_checked(ctx);
}

static void test_clear_and_reuse(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__hashmap m;
    assert_int_equal(tsrec__hashmap_init(&m, ctx, NULL, 0), TSREC_OK);
    /* Calls on an empty map with no table. */
    int64_t v;
    int64_t cur = 0;
    assert_false(tsrec__hashmap_get(&m, 1, &v));
    assert_null(tsrec__hashmap_get_ptr(&m, 1));
    assert_false(tsrec__hashmap_remove(&m, 1, &v));
    assert_false(tsrec__hashmap_next(&m, &cur, NULL, NULL));
    tsrec__hashmap_clear(&m);
    for (uint64_t i = 0; i < 1000; i++)
        assert_int_equal(tsrec__hashmap_put(&m, NULL, i, 1), TSREC_OK);
    assert_int_equal(tsrec__hashmap_put(&m, NULL, TSREC__HASHMAP_EMPTY_KEY, 1), TSREC_OK);
    size_t b = tsrec__hashmap_bytes(&m);
    tsrec__hashmap_clear(&m);
    assert_int_equal(tsrec__hashmap_count(&m), 0);
    assert_int_equal(tsrec__hashmap_bytes(&m), b);
    cur = 0;
    assert_false(tsrec__hashmap_next(&m, &cur, NULL, NULL));
    for (uint64_t i = 0; i < 1000; i++)
        assert_false(tsrec__hashmap_get(&m, i, &v));
    assert_false(tsrec__hashmap_get(&m, TSREC__HASHMAP_EMPTY_KEY, &v));
    for (uint64_t i = 500; i < 1500; i++)
        assert_int_equal(tsrec__hashmap_put(&m, NULL, i, (int64_t)i), TSREC_OK);
    assert_int_equal(tsrec__hashmap_count(&m), 1000);
    check_structure(&m);
    /* NULL-safety of the non-failing calls. */
    assert_int_equal(tsrec__hashmap_count(NULL), 0);
    assert_false(tsrec__hashmap_get(NULL, 1, &v));
    assert_int_equal(tsrec__hashmap_put(NULL, NULL, 1, 1), TSREC_E_INVALID_ARG);
    tsrec__hashmap_free(NULL);
    tsrec__hashmap_free(&m);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_small_range),
        cmocka_unit_test(test_random_large_range),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_capacity_hint),
        cmocka_unit_test(test_collisions),
        cmocka_unit_test(test_empty_slot_key),
        cmocka_unit_test(test_clear_and_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
