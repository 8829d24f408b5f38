/* String dictionary: random intern/lookup sequences against a linear-search
 * reference, empty and binary keys, the length limit, strings whose hashes
 * collide in home slot and tag, and a 1M-id round trip. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "hash_internal.h"
#include "strdict_internal.h"

static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- reference: strings in first-seen order, found by linear search ---- */

typedef struct {
    unsigned char **s;
    size_t *len;
    int64_t n, cap;
} ref_dict;

static int64_t ref_find(const ref_dict *r, const unsigned char *b, size_t len)
{
    for (int64_t i = 0; i < r->n; i++)
        if (r->len[i] == len && (len == 0 || memcmp(r->s[i], b, len) == 0))
            return i;
    return -1;
}

static int64_t ref_add(ref_dict *r, const unsigned char *b, size_t len)
{
    assert_true(r->n < r->cap);
    r->s[r->n] = malloc(len ? len : 1);
    assert_non_null(r->s[r->n]);
    if (len)
        memcpy(r->s[r->n], b, len);
    r->len[r->n] = len;
    return r->n++;
}

static void check_all(const tsrec__strdict *d, const ref_dict *r)
{
    assert_int_equal(tsrec__strdict_count(d), r->n);
    for (int64_t i = 0; i < r->n; i++) {
        size_t len = 99;
        const char *p = tsrec__strdict_get(d, i, &len);
        assert_non_null(p);
        assert_int_equal(len, r->len[i]);
        if (len > 0)
            assert_memory_equal(p, r->s[i], len);
        assert_int_equal(tsrec__strdict_lookup(d, r->s[i], r->len[i]), i);
    }
    assert_null(tsrec__strdict_get(d, r->n, NULL));
    assert_null(tsrec__strdict_get(d, -1, NULL));
}

/* A random key from a pool that often repeats: short binary strings with
 * NULs, near-duplicates (prefixes of each other), and occasional long ones. */
static size_t draw_key(uint64_t *s, unsigned char *buf)
{
    uint64_t r = next_u64(s);
    uint64_t id = (r >> 8) % 1500;
    uint64_t ks = id * 0x9e3779b97f4a7c15ULL + 1;
    size_t len;
    switch (r % 8) {
    case 0:
        len = (size_t)(id % 4); /* tiny: "", 1..3 bytes of few values */
        break;
    case 1:
        len = 100 + (size_t)(id % 300); /* 2-byte length prefix */
        break;
    default:
        len = 1 + (size_t)(id % 40);
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = (unsigned char)(next_u64(&ks) % 4); /* lots of NULs */
    return len;
}

static void test_random_vs_reference(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__strdict d;
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 0), TSREC_OK);
    ref_dict r = {0};
    r.cap = 4000;
    r.s = calloc((size_t)r.cap, sizeof(*r.s));
    r.len = calloc((size_t)r.cap, sizeof(*r.len));
    assert_non_null(r.s);
    assert_non_null(r.len);
    uint64_t s = 12345;
    unsigned char buf[512];
    for (int op = 0; op < 30000; op++) {
        size_t len = draw_key(&s, buf);
        int64_t want = ref_find(&r, buf, len);
        if (next_u64(&s) % 3 == 0) {
            assert_int_equal(tsrec__strdict_lookup(&d, buf, len), want);
        } else {
            int64_t code = -5;
            int is_new = -1;
            assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, len, &code, &is_new),
                             TSREC_OK);
            assert_int_equal(is_new, want < 0);
            if (want < 0)
                want = ref_add(&r, buf, len);
            assert_int_equal(code, want);
        }
        if (op % 5000 == 0)
            check_all(&d, &r);
    }
    check_all(&d, &r);
    assert_true(r.n > 1000);
    tsrec__strdict_free(&d);
    for (int64_t i = 0; i < r.n; i++)
        free(r.s[i]);
    free(r.s);
    free(r.len);
    tu_ctx_free_checked(ctx);
}

static void test_empty_and_binary(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__strdict d;
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 0), TSREC_OK);
    assert_int_equal(tsrec__strdict_lookup(&d, "", 0), -1);
    assert_null(tsrec__strdict_get(&d, 0, NULL));
    int64_t c;
    int is_new;
    assert_int_equal(tsrec__strdict_intern(&d, NULL, "a\0b", 3, &c, &is_new), TSREC_OK);
    assert_int_equal(c, 0);
    assert_int_equal(tsrec__strdict_intern(&d, NULL, NULL, 0, &c, &is_new), TSREC_OK);
    assert_int_equal(c, 1);
    assert_int_equal(is_new, 1);
    assert_int_equal(tsrec__strdict_intern(&d, NULL, "", 0, &c, &is_new), TSREC_OK);
    assert_int_equal(c, 1);
    assert_int_equal(is_new, 0);
    assert_int_equal(tsrec__strdict_intern(&d, NULL, "a\0c", 3, &c, NULL), TSREC_OK);
    assert_int_equal(c, 2);
    assert_int_equal(tsrec__strdict_intern(&d, NULL, "a", 1, &c, NULL), TSREC_OK);
    assert_int_equal(c, 3);
    assert_int_equal(tsrec__strdict_intern(&d, NULL, "a\0", 2, &c, NULL), TSREC_OK);
    assert_int_equal(c, 4);
    assert_int_equal(tsrec__strdict_intern(&d, NULL, "\0\0\0", 3, &c, NULL), TSREC_OK);
    assert_int_equal(c, 5);
    assert_int_equal(tsrec__strdict_lookup(&d, "a\0b", 3), 0);
    assert_int_equal(tsrec__strdict_lookup(&d, NULL, 0), 1);
    assert_int_equal(tsrec__strdict_lookup(&d, "a\0d", 3), -1);
    assert_int_equal(tsrec__strdict_lookup(&d, "\0\0", 2), -1);
    size_t len = 9;
    const char *p = tsrec__strdict_get(&d, 1, &len);
    assert_non_null(p);
    assert_int_equal(len, 0);
    p = tsrec__strdict_get(&d, 0, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(p, "a\0b", 3);
    p = tsrec__strdict_get(&d, 5, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(p, "\0\0\0", 3);
    assert_int_equal(tsrec__strdict_count(&d), 6);
    /* Bad arguments change nothing. */
    assert_int_equal(tsrec__strdict_intern(&d, NULL, NULL, 1, &c, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__strdict_lookup(&d, NULL, 1), -1);
    assert_int_equal(tsrec__strdict_intern(NULL, NULL, "x", 1, &c, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__strdict_count(&d), 6);
    tsrec__strdict_free(&d);
    assert_int_equal(tsrec__strdict_count(&d), 0);
    assert_int_equal(tsrec__strdict_init(&d, NULL, NULL, 0), TSREC_E_INVALID_ARG);
    tsrec__strdict_free(&d); /* a failed init leaves nothing to free */
    assert_int_equal(tsrec__strdict_count(NULL), 0);
    assert_int_equal(tsrec__strdict_bytes(NULL), 0);
    tsrec__strdict_free(NULL);
    tu_ctx_free_checked(ctx);
}

/* Keys up to the 65535-byte limit round-trip; longer ones are refused. */
static void test_long_keys(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__strdict d;
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 0), TSREC_OK);
    const size_t max = TSREC__STRDICT_MAX_LEN;
    unsigned char *buf = malloc(max + 1);
    assert_non_null(buf);
    for (size_t i = 0; i <= max; i++)
        buf[i] = (unsigned char)(i * 31 + 7);
    const size_t lens[] = {127, 128, 16383, 16384, max - 1, max, 1, 0, 60000, 60001};
    int64_t c;
    for (size_t k = 0; k < TSREC__ARRAY_LEN(lens); k++) {
        assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, lens[k], &c, NULL), TSREC_OK);
        assert_int_equal(c, (int64_t)k);
    }
    /* many max-length keys force large records across many chunks */
    for (int k = 0; k < 40; k++) {
        buf[0] = (unsigned char)k;
        buf[max - 1] = (unsigned char)(k + 1);
        assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, max, &c, NULL), TSREC_OK);
    }
    size_t bytes = tsrec__strdict_bytes(&d);
    int64_t n = tsrec__strdict_count(&d);
    assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, max + 1, &c, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__strdict_lookup(&d, buf, max + 1), -1);
    assert_int_equal(tsrec__strdict_count(&d), n);
    assert_int_equal(tsrec__strdict_bytes(&d), bytes);
    for (int k = 0; k < 40; k++) {
        buf[0] = (unsigned char)k;
        buf[max - 1] = (unsigned char)(k + 1);
        int64_t code = tsrec__strdict_lookup(&d, buf, max);
        assert_int_equal(code, (int64_t)TSREC__ARRAY_LEN(lens) + k);
        size_t len;
        const char *p = tsrec__strdict_get(&d, code, &len);
        assert_int_equal(len, max);
        assert_memory_equal(p, buf, max);
    }
    buf[0] = (unsigned char)7; /* restore the pattern */
    buf[max - 1] = (unsigned char)((max - 1) * 31 + 7);
    for (size_t k = 0; k < TSREC__ARRAY_LEN(lens); k++) {
        size_t len;
        const char *p = tsrec__strdict_get(&d, (int64_t)k, &len);
        assert_int_equal(len, lens[k]);
        if (len > 0)
            assert_memory_equal(p, buf, len);
        assert_int_equal(tsrec__strdict_lookup(&d, buf, lens[k]), (int64_t)k);
    }
    free(buf);
    tsrec__strdict_free(&d);
    tu_ctx_free_checked(ctx);
}

/* "c4814530" and "c12962667" share the 32-bit tag and the low 12 hash bits
 * (found offline by a birthday search), so in tables up to 4096 slots
 * they probe the same slots and only the string comparison tells them
 * apart. */
static void test_colliding_hashes(void **state)
{
    (void)state;
    const char *a = "c4814530", *b = "c12962667";
    uint64_t ha = tsrec__hash_bytes(a, strlen(a), TSREC__STRDICT_HASH_SEED);
    uint64_t hb = tsrec__hash_bytes(b, strlen(b), TSREC__STRDICT_HASH_SEED);
    assert_true((ha >> 32) == (hb >> 32));
    assert_true((ha & 4095) == (hb & 4095));
    assert_true(ha != hb);

    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__strdict d;
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 0), TSREC_OK);
    int64_t c;
    int is_new;
    assert_int_equal(tsrec__strdict_intern(&d, NULL, a, strlen(a), &c, &is_new), TSREC_OK);
    assert_int_equal(c, 0);
    assert_int_equal(tsrec__strdict_lookup(&d, b, strlen(b)), -1);
    assert_int_equal(tsrec__strdict_intern(&d, NULL, b, strlen(b), &c, &is_new), TSREC_OK);
    assert_int_equal(c, 1);
    assert_int_equal(is_new, 1);
    /* Grow through several table sizes with the pair inside. */
    char buf[32];
    for (int i = 0; i < 2000; i++) {
        int len = snprintf(buf, sizeof buf, "x%d", i);
        assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, (size_t)len, &c, NULL), TSREC_OK);
        assert_int_equal(tsrec__strdict_lookup(&d, a, strlen(a)), 0);
        assert_int_equal(tsrec__strdict_lookup(&d, b, strlen(b)), 1);
    }
    assert_int_equal(tsrec__strdict_intern(&d, NULL, a, strlen(a), &c, &is_new), TSREC_OK);
    assert_int_equal(c, 0);
    assert_int_equal(is_new, 0);
    tsrec__strdict_free(&d);
    tu_ctx_free_checked(ctx);
}

/* One million ids: codes in first-seen order, lookups, the bytes back, and
 * the memory per id. */
static void test_million_round_trip(void **state)
{
    (void)state;
    enum { N = 1000000 };
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__strdict d;
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 0), TSREC_OK);
    char buf[32];
    int64_t c;
    int is_new;
    for (int i = 0; i < N; i++) {
        int len = snprintf(buf, sizeof buf, "user_%d", i * 7 + 3);
        assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, (size_t)len, &c, &is_new),
                         TSREC_OK);
        if (c != i || !is_new)
            fail_msg("id %d got code %lld new %d", i, (long long)c, is_new);
    }
    assert_int_equal(tsrec__strdict_count(&d), N);
    for (int i = 0; i < N; i++) {
        int len = snprintf(buf, sizeof buf, "user_%d", i * 7 + 3);
        size_t glen;
        const char *p = tsrec__strdict_get(&d, i, &glen);
        if (tsrec__strdict_lookup(&d, buf, (size_t)len) != i ||
            glen != (size_t)len || memcmp(p, buf, glen) != 0)
            fail_msg("id %d does not round-trip", i);
        /* a near miss is absent */
        buf[len - 1] = 'x';
        if (tsrec__strdict_lookup(&d, buf, (size_t)len) != -1)
            fail_msg("near miss of id %d found", i);
    }
    /* ~12-byte ids: well under 40 bytes each, all bookkeeping included. */
    double bpi = tsrec__strdict_bytes_per_id(&d);
    assert_true(bpi > 12.0 && bpi < 40.0);
    tsrec__strdict_free(&d);
    assert_int_equal(tsrec__strdict_count(&d), 0);
    tu_ctx_free_checked(ctx);
}

/* A capacity hint sizes the table: no growth up to that many ids. */
static void test_capacity_hint(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__strdict d;
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, -1), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 5000), TSREC_OK);
    size_t mask = d.mask;
    assert_true(mask + 1 >= 5000);
    char buf[16];
    for (int i = 0; i < 5000; i++) {
        int len = snprintf(buf, sizeof buf, "%d", i);
        assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, (size_t)len, NULL, NULL),
                         TSREC_OK);
    }
    assert_int_equal(d.mask, mask);
    assert_int_equal(tsrec__strdict_lookup(&d, "4999", 4), 4999);
    assert_true(tsrec__strdict_bytes(&d) > 5000 * 4);
    tsrec__strdict_free(&d);
    tu_ctx_free_checked(ctx);
}

/* The batch form gives the same codes as one call per key, including
 * repeats within a batch; a bad key fails the batch with no change. */
static void test_intern_many(void **state)
{
    (void)state;
    enum { N = 20000 };
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__strdict one, many;
    assert_int_equal(tsrec__strdict_init(&one, ctx, NULL, 0), TSREC_OK);
    assert_int_equal(tsrec__strdict_init(&many, ctx, NULL, 0), TSREC_OK);
    unsigned char (*keys)[512] = malloc((size_t)N * 512);
    const void **ptrs = malloc(N * sizeof(*ptrs));
    size_t *lens = malloc(N * sizeof(*lens));
    int64_t *codes = malloc(N * sizeof(*codes));
    assert_non_null(keys);
    assert_non_null(ptrs);
    assert_non_null(lens);
    assert_non_null(codes);
    uint64_t s = 777;
    for (int i = 0; i < N; i++) {
        lens[i] = draw_key(&s, keys[i]);
        ptrs[i] = keys[i];
    }
    int64_t done = -1;
    /* uneven batch sizes, including 0, 1, fewer than the prefetch window
     * and both sides of each pipeline stage boundary (8, 16, 24 keys) */
    const int64_t sizes[] = {0, 1, 3, 8, 9, 16, 17, 24, 25, 100, 5000, 14797};
    int64_t at = 0;
    for (size_t b = 0; b < TSREC__ARRAY_LEN(sizes); b++) {
        assert_int_equal(tsrec__strdict_intern_many(&many, NULL, sizes[b], ptrs + at,
                                                    lens + at, codes + at, &done),
                         TSREC_OK);
        assert_int_equal(done, sizes[b]);
        at += sizes[b];
    }
    assert_int_equal(at, N);
    for (int i = 0; i < N; i++) {
        int64_t c;
        assert_int_equal(tsrec__strdict_intern(&one, NULL, ptrs[i], lens[i], &c, NULL),
                         TSREC_OK);
        assert_int_equal(codes[i], c);
    }
    assert_int_equal(tsrec__strdict_count(&many), tsrec__strdict_count(&one));
    /* a NULL key with a length in the middle: nothing changes */
    int64_t n = tsrec__strdict_count(&many);
    ptrs[2] = NULL;
    lens[0] = 3;
    memcpy(keys[0], "new", 3);
    assert_int_equal(tsrec__strdict_intern_many(&many, NULL, 5, ptrs, lens, codes, &done),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(done, 0);
    assert_int_equal(tsrec__strdict_count(&many), n);
    assert_int_equal(tsrec__strdict_lookup(&many, "new", 3), -1);
    assert_int_equal(tsrec__strdict_intern_many(&many, NULL, -1, ptrs, lens, codes, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__strdict_intern_many(&many, NULL, 2, NULL, lens, codes, NULL),
                     TSREC_E_INVALID_ARG);
    free(keys);
    free(ptrs);
    free(lens);
    free(codes);
    tsrec__strdict_free(&one);
    tsrec__strdict_free(&many);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_empty_and_binary),
        cmocka_unit_test(test_long_keys),
        cmocka_unit_test(test_colliding_hashes),
        cmocka_unit_test(test_million_round_trip),
        cmocka_unit_test(test_capacity_hint),
        cmocka_unit_test(test_intern_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
