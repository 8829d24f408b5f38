/* tsrec__jw_float: the shortest text that reads back as the same float.
 *
 * Checked against a naive reference (snprintf "%.*e" with 1..9 digits,
 * the first that strtof reads back) over random bit patterns spanning the
 * whole float range (subnormals included), over uniform [0, 1) values like
 * SIMS scores, and over integers (popularity counts, which must print as
 * they did through tsrec__jw_double); plus pinned layouts, signs, zero,
 * NaN / infinity refusal, and tsrec__jw_reserve; also tsrec__jw_int64's
 * hand-made digits against snprintf. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"
#include "test_util.h"

/* Text of one float through the writer (as a one-element array). */
static void float_text(tsrec_ctx *ctx, float v, char *out, size_t cap)
{
    tsrec__json_writer w;
    tsrec__jw_init(&w, ctx);
    tsrec__jw_array_begin(&w);
    tsrec__jw_float(&w, v);
    tsrec__jw_array_end(&w);
    const char *s = NULL;
    size_t len = 0;
    assert_int_equal(tsrec__jw_finish(&w, NULL, &s, &len), TSREC_OK);
    assert_true(len >= 2 && len - 2 < cap);
    memcpy(out, s + 1, len - 2);
    out[len - 2] = '\0';
    tsrec__jw_free(&w);
}

/* Fewest significant digits that read back as v (naive). */
static int naive_digits(float v)
{
    char tmp[64];
    for (int k = 1; k <= 9; k++) {
        snprintf(tmp, sizeof tmp, "%.*e", k - 1, (double)v);
        if (strtof(tmp, NULL) == v)
            return k;
    }
    return 99;
}

/* Significant digits in a JSON number text (leading zeros and the
 * exponent excluded; the writer never emits trailing fractional zeros). */
static int text_digits(const char *s)
{
    int n = 0, started = 0, zeros = 0;
    for (const char *c = s; *c != '\0' && *c != 'e'; c++) {
        if (*c < '0' || *c > '9')
            continue;
        if (*c == '0' && !started)
            continue;
        started = 1;
        if (*c == '0') {
            zeros++;
        } else {
            n += zeros + 1;
            zeros = 0;
        }
    }
    return n == 0 ? 1 : n; /* "0" */
}

static uint64_t next_u64(uint64_t *s)
{
    *s += 0x9E3779B97F4A7C15ull;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void check_one(tsrec_ctx *ctx, float v, int64_t *n_checked)
{
    char txt[64];
    float_text(ctx, v, txt, sizeof txt);
    if (strtof(txt, NULL) != v)
        fail_msg("%.9g printed as '%s' does not read back", (double)v, txt);
    int want = naive_digits(v), got = text_digits(txt);
    if (want != got)
        fail_msg("%.9g printed as '%s': %d digits, shortest is %d", (double)v, txt, got, want);
    /* strict JSON number */
    tsrec__json_doc *doc = NULL;
    assert_int_equal(tsrec__json_parse(ctx, NULL, txt, strlen(txt), 0, &doc), TSREC_OK);
    assert_int_equal(tsrec__json_type(tsrec__json_root(doc)), TSREC__JSON_NUMBER);
    tsrec__json_free(doc);
    (*n_checked)++;
}

static void test_random_bits_match_naive(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    uint64_t s = 42;
    int64_t n = 0;
    for (int i = 0; i < 60000; i++) {
        uint32_t b = (uint32_t)next_u64(&s);
        float v;
        memcpy(&v, &b, sizeof v);
        if (!isfinite(v))
            continue;
        check_one(ctx, v, &n);
    }
    assert_true(n > 59000);
    tu_ctx_free_checked(ctx);
}

static void test_scores_and_counts_match_naive(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    uint64_t s = 7;
    int64_t n = 0;
    for (int i = 0; i < 60000; i++) { /* SIMS-like scores in [0, 1) */
        float v = (float)((double)(next_u64(&s) >> 11) / 9007199254740992.0);
        check_one(ctx, v, &n);
    }
    for (int i = 0; i < 20000; i++) /* small counts and their ratios */
        check_one(ctx, (float)(i + 1) / (float)(1 + (i % 97)), &n);
    tu_ctx_free_checked(ctx);
}

/* Integers below 2^24 print exactly as tsrec__jw_double prints them, so
 * Popularity-Count responses keep their bytes. */
static void test_integers_as_double_writer(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    uint64_t s = 3;
    for (int i = 0; i < 20000; i++) {
        int64_t k = i < 10000 ? i : (int64_t)(next_u64(&s) % 16777217u);
        char a[64], b[64];
        float_text(ctx, (float)k, a, sizeof a);
        tsrec__json_writer w;
        tsrec__jw_init(&w, ctx);
        tsrec__jw_double(&w, (double)k);
        const char *t = NULL;
        assert_int_equal(tsrec__jw_finish(&w, NULL, &t, NULL), TSREC_OK);
        snprintf(b, sizeof b, "%s", t);
        tsrec__jw_free(&w);
        if (strcmp(a, b) != 0)
            fail_msg("%lld: float path '%s', double path '%s'", (long long)k, a, b);
    }
    tu_ctx_free_checked(ctx);
}

static void test_pinned_layouts(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    static const struct {
        float v;
        const char *txt;
    } cases[] = {
        {0.0f, "0"},
        {-0.0f, "-0"},
        {1.0f, "1"},
        {-2.5f, "-2.5"},
        {0.1f, "0.1"},
        {0.3f, "0.3"},
        {1.0f / 3.0f, "0.33333334"},
        {123456.79f, "123456.79"},
        {583.0f, "583"},
        {16777216.0f, "16777216"},
        {0.000001f, "0.000001"},
        {0.0000012345f, "0.0000012345"},
        {1e-7f, "1e-7"},
        {-1.5e-7f, "-1.5e-7"},
        {1e20f, "100000000000000000000"},
        {1e21f, "1e+21"},
        {FLT_MAX, "3.4028235e+38"},
        {FLT_MIN, "1.1754944e-38"},
        {1.4e-45f, "1e-45"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char txt[64];
        float_text(ctx, cases[i].v, txt, sizeof txt);
        if (strcmp(txt, cases[i].txt) != 0)
            fail_msg("case %zu: '%s', want '%s'", i, txt, cases[i].txt);
    }
    /* in an object, after other members: commas and keys as for doubles */
    tsrec__json_writer w;
    tsrec__jw_init(&w, ctx);
    tsrec__jw_object_begin(&w);
    tsrec__jw_key(&w, "a", 1);
    tsrec__jw_float(&w, 0.25f);
    tsrec__jw_key(&w, "b", 1);
    tsrec__jw_array_begin(&w);
    tsrec__jw_float(&w, 1.0f);
    tsrec__jw_float(&w, 2e-9f);
    tsrec__jw_array_end(&w);
    tsrec__jw_object_end(&w);
    const char *t = NULL;
    assert_int_equal(tsrec__jw_finish(&w, NULL, &t, NULL), TSREC_OK);
    assert_string_equal(t, "{\"a\":0.25,\"b\":[1,2e-9]}");
    tsrec__jw_free(&w);
    tu_ctx_free_checked(ctx);
}

static void test_nan_inf_and_misuse(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    const float bad[3] = {NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 3; i++) {
        tsrec__json_writer w;
        tsrec__jw_init(&w, ctx);
        tsrec__jw_array_begin(&w);
        assert_int_equal(tsrec__jw_float(&w, bad[i]), TSREC_E_NAN);
        tsrec__jw_array_end(&w);
        const char *t = NULL;
        assert_int_equal(tsrec__jw_finish(&w, NULL, &t, NULL), TSREC_E_NAN);
        assert_null(t);
        tsrec__jw_free(&w);
    }
    /* a value without a key inside an object */
    tsrec__json_writer w;
    tsrec__jw_init(&w, ctx);
    tsrec__jw_object_begin(&w);
    assert_int_equal(tsrec__jw_float(&w, 1.0f), TSREC_E_MISUSE);
    tsrec__jw_free(&w);
    tu_ctx_free_checked(ctx);
}

static void test_reserve(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__json_writer w;
    tsrec__jw_init(&w, ctx);
    assert_int_equal(tsrec__jw_reserve(&w, 5000), TSREC_OK);
    assert_true(w.cap >= 5001);
    char *before = w.buf;
    tsrec__jw_array_begin(&w);
    for (int i = 0; i < 400; i++)
        tsrec__jw_float(&w, (float)i * 0.5f);
    tsrec__jw_array_end(&w);
    assert_ptr_equal(w.buf, before); /* no regrowth */
    assert_int_equal(tsrec__jw_reserve(&w, SIZE_MAX), TSREC_E_NOMEM);
    const char *t = NULL;
    assert_int_equal(tsrec__jw_finish(&w, NULL, &t, NULL), TSREC_E_NOMEM);
    tsrec__jw_free(&w);
    /* allocation failure is sticky */
    tu_failing_alloc fa;
    memset(&fa, 0, sizeof fa);
    tsrec_ctx *fctx = tu_ctx_new_failing(&fa);
    fa.fail_at = 1;
    tsrec__jw_init(&w, fctx);
    assert_int_equal(tsrec__jw_reserve(&w, 100), TSREC_E_NOMEM);
    assert_int_equal(tsrec__jw_float(&w, 1.0f), TSREC_E_NOMEM);
    assert_int_equal(tsrec__jw_finish(&w, NULL, &t, NULL), TSREC_E_NOMEM);
    tsrec__jw_free(&w);
    fa.fail_at = 0;
    tu_ctx_free_checked(fctx);
    tu_ctx_free_checked(ctx);
}

/* tsrec__jw_int64 formats digits by hand: same text as "%lld". */
static void test_int64_matches_snprintf(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    uint64_t s = 11;
    for (int i = 0; i < 20000; i++) {
        int64_t v;
        if (i == 0)
            v = INT64_MIN;
        else if (i == 1)
            v = INT64_MAX;
        else if (i < 200)
            v = i - 100;
        else
            v = (int64_t)(next_u64(&s) >> (next_u64(&s) % 64)) * (i % 2 ? 1 : -1);
        tsrec__json_writer w;
        tsrec__jw_init(&w, ctx);
        tsrec__jw_array_begin(&w);
        tsrec__jw_int64(&w, v);
        tsrec__jw_int64(&w, v);
        tsrec__jw_array_end(&w);
        const char *t = NULL;
        assert_int_equal(tsrec__jw_finish(&w, NULL, &t, NULL), TSREC_OK);
        char want[64];
        snprintf(want, sizeof want, "[%lld,%lld]", (long long)v, (long long)v);
        assert_string_equal(t, want);
        tsrec__jw_free(&w);
    }
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_bits_match_naive),
        cmocka_unit_test(test_scores_and_counts_match_naive),
        cmocka_unit_test(test_integers_as_double_writer),
        cmocka_unit_test(test_pinned_layouts),
        cmocka_unit_test(test_nan_inf_and_misuse),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_int64_matches_snprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
