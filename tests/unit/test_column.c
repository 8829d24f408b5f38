/* Column value operations (src/data/column.c), dictionary rollback
 * (tsrec__strdict_truncate) and strict field parsing (field_parse.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "column_internal.h"
#include "import_internal.h"
#include "test_util.h"

/* ---- columns ------------------------------------------------------------ */

static void test_i64_push_get_missing(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__column c;
    assert_int_equal(tsrec__column_init(&c, ctx, NULL, TSREC__COL_I64, NULL), TSREC_OK);
    /* 3000 values, every 7th missing starting at 100: the bitmap appears
     * late and must mark all earlier values present. */
    for (int64_t i = 0; i < 3000; i++) {
        if (i >= 100 && i % 7 == 0)
            assert_int_equal(tsrec__column_push_missing(&c, ctx, NULL), TSREC_OK);
        else
            assert_int_equal(tsrec__column_push_i64(&c, ctx, NULL, i * 1000003 - 5), TSREC_OK);
    }
    assert_int_equal(c.len, 3000);
    assert_non_null(c.valid);
    for (int64_t i = 0; i < 3000; i++) {
        int missing = i >= 100 && i % 7 == 0;
        assert_int_equal(tsrec__column_is_present(&c, i), !missing);
        assert_int_equal(tsrec__column_get_i64(&c, i), missing ? 0 : i * 1000003 - 5);
        assert_true(tsrec__column_get_f64(&c, i) == (double)(missing ? 0 : i * 1000003 - 5));
    }
    assert_int_equal(tsrec__column_is_present(&c, 3000), 0);
    tsrec__column_truncate(&c, 50);
    assert_int_equal(c.len, 50);
    tsrec__column_shrink_to_fit(&c, ctx);
    assert_int_equal(c.cap, 50);
    assert_int_equal(tsrec__column_get_i64(&c, 49), 49 * 1000003 - 5);
    tsrec__column_free(&c, ctx);
    tu_ctx_free_checked(ctx);
}

static void test_float_bool_columns(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__column f32, f64, b;
    assert_int_equal(tsrec__column_init(&f32, ctx, NULL, TSREC__COL_F32, NULL), TSREC_OK);
    assert_int_equal(tsrec__column_init(&f64, ctx, NULL, TSREC__COL_F64, NULL), TSREC_OK);
    assert_int_equal(tsrec__column_init(&b, ctx, NULL, TSREC__COL_BOOL, NULL), TSREC_OK);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(tsrec__column_push_f64(&f32, ctx, NULL, i / 3.0), TSREC_OK);
        assert_int_equal(tsrec__column_push_f64(&f64, ctx, NULL, i / 3.0), TSREC_OK);
        assert_int_equal(tsrec__column_push_bool(&b, ctx, NULL, i % 3 == 0), TSREC_OK);
    }
    /* Wrong kinds are refused without change. */
    assert_int_equal(tsrec__column_push_bool(&f32, ctx, NULL, 1), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__column_push_f64(&b, ctx, NULL, 1.0), TSREC_E_INVALID_ARG);
    assert_int_equal(f32.len, 100);
    for (int i = 0; i < 100; i++) {
        assert_true(tsrec__column_get_f64(&f32, i) == (double)(float)(i / 3.0));
        assert_true(tsrec__column_get_f64(&f64, i) == i / 3.0);
        assert_int_equal(tsrec__column_get_i64(&b, i), i % 3 == 0);
    }
    tsrec__column_free(&f32, ctx);
    tsrec__column_free(&f64, ctx);
    tsrec__column_free(&b, ctx);
    tu_ctx_free_checked(ctx);
}

static void test_code_widening(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__column c;
    assert_int_equal(tsrec__column_init(&c, ctx, NULL, TSREC__COL_CODE, NULL), TSREC_OK);
    assert_int_equal(c.width, 1);
    char buf[32];
    /* Ids 0..70000 then back to early ones: widths 1 -> 2 -> 4. */
    const int64_t n = 70001;
    for (int64_t i = 0; i < n; i++) {
        int k = snprintf(buf, sizeof(buf), "id-%lld", (long long)i);
        assert_int_equal(tsrec__column_push_bytes(&c, ctx, NULL, buf, (size_t)k), TSREC_OK);
        if (i == 255)
            assert_int_equal(c.width, 1);
        if (i == 256)
            assert_int_equal(c.width, 2);
        if (i == 65535)
            assert_int_equal(c.width, 2);
        if (i == 65536)
            assert_int_equal(c.width, 4);
    }
    assert_int_equal(tsrec__column_push_bytes(&c, ctx, NULL, "id-7", 4), TSREC_OK);
    assert_int_equal(c.len, n + 1);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(tsrec__column_get_code(&c, i), i);
    assert_int_equal(tsrec__column_get_code(&c, n), 7);
    size_t len;
    const char *s = tsrec__strdict_get(c.dict, tsrec__column_get_code(&c, 300), &len);
    assert_int_equal(len, 6);
    assert_memory_equal(s, "id-300", 6);

    /* Roll back to 200 values and 200 ids: codes fit one byte again. */
    tsrec__column_truncate(&c, 200);
    tsrec__strdict_truncate(c.dict, 200);
    tsrec__column_narrow(&c, 1);
    assert_int_equal(c.width, 1);
    for (int64_t i = 0; i < 200; i++)
        assert_int_equal(tsrec__column_get_code(&c, i), i);
    /* A re-added id gets the next code again. */
    assert_int_equal(tsrec__column_push_bytes(&c, ctx, NULL, "id-500", 6), TSREC_OK);
    assert_int_equal(tsrec__column_get_code(&c, 200), 200);
    assert_int_equal(tsrec__column_get_i64(&c, 200), 200);
    tsrec__column_free(&c, ctx);
    tu_ctx_free_checked(ctx);
}

static void test_swap(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__column a, b;
    assert_int_equal(tsrec__column_init(&a, ctx, NULL, TSREC__COL_I64, NULL), TSREC_OK);
    assert_int_equal(tsrec__column_init(&b, ctx, NULL, TSREC__COL_I64, NULL), TSREC_OK);
    for (int i = 0; i < 5; i++)
        assert_int_equal(tsrec__column_push_i64(&a, ctx, NULL, i), TSREC_OK);
    assert_int_equal(tsrec__column_push_missing(&b, ctx, NULL), TSREC_OK);
    tsrec__column_swap(&a, &b);
    assert_int_equal(a.len, 1);
    assert_int_equal(tsrec__column_is_present(&a, 0), 0);
    assert_int_equal(b.len, 5);
    assert_int_equal(tsrec__column_get_i64(&b, 4), 4);
    tsrec__column_free(&a, ctx);
    tsrec__column_free(&b, ctx);
    tu_ctx_free_checked(ctx);
}

/* A failed growth (allocation, widening, bitmap) leaves the column as it
 * was; the values pushed so far stay intact. */
static void test_failed_growth_unchanged(void **state)
{
    (void)state;
    tu_failing_alloc fa = {0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    tsrec__column c, k;
    assert_int_equal(tsrec__column_init(&c, ctx, NULL, TSREC__COL_I64, NULL), TSREC_OK);
    assert_int_equal(tsrec__column_init(&k, ctx, NULL, TSREC__COL_CODE, NULL), TSREC_OK);
    for (int i = 0; i < 1024; i++)
        assert_int_equal(tsrec__column_push_i64(&c, ctx, NULL, i), TSREC_OK);
    assert_int_equal(c.cap, 1024);
    fa.calls = 0;
    fa.fail_at = 1;
    fa.persistent = 1;
    assert_int_equal(tsrec__column_push_i64(&c, ctx, NULL, 99), TSREC_E_NOMEM);
    assert_int_equal(tsrec__column_push_missing(&c, ctx, NULL), TSREC_E_NOMEM);
    assert_int_equal(tsrec__column_reserve(&c, ctx, NULL, 10), TSREC_E_NOMEM);
    assert_int_equal(c.len, 1024);
    assert_int_equal(c.cap, 1024);
    assert_null(c.valid);
    for (int i = 0; i < 1024; i++)
        assert_int_equal(tsrec__column_get_i64(&c, i), i);
    /* Widening a code column that holds values fails cleanly too. */
    fa.fail_at = 0;
    for (int i = 0; i < 10; i++)
        assert_int_equal(tsrec__column_push_code(&k, ctx, NULL, i), TSREC_OK);
    fa.calls = 0;
    fa.fail_at = 1;
    assert_int_equal(tsrec__column_push_code(&k, ctx, NULL, 300), TSREC_E_NOMEM);
    assert_int_equal(k.width, 1);
    assert_int_equal(k.len, 10);
    fa.fail_at = 0;
    assert_int_equal(tsrec__column_push_code(&k, ctx, NULL, 300), TSREC_OK);
    assert_int_equal(k.width, 2);
    assert_int_equal(tsrec__column_get_code(&k, 9), 9);
    assert_int_equal(tsrec__column_get_code(&k, 10), 300);
    /* Missing values: bitmap allocation failure leaves no bitmap. */
    fa.calls = 0;
    fa.fail_at = 1;
    assert_int_equal(tsrec__column_push_missing(&k, ctx, NULL), TSREC_E_NOMEM);
    assert_null(k.valid);
    assert_int_equal(k.len, 11);
    fa.fail_at = 0;
    tsrec__column_free(&c, ctx);
    tsrec__column_free(&k, ctx);
    tu_ctx_free_checked(ctx);
}

/* ---- strdict truncate ------------------------------------------------- */

static void test_strdict_truncate(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__strdict d;
    assert_int_equal(tsrec__strdict_init(&d, ctx, NULL, 0), TSREC_OK);
    char buf[64];
    /* Enough strings to span several arena chunks and position pages. */
    for (int i = 0; i < 50000; i++) {
        int k = snprintf(buf, sizeof(buf), "user-%d-%s", i, i % 3 ? "x" : "longer-suffix");
        int64_t code;
        assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, (size_t)k, &code, NULL), TSREC_OK);
    }
    tsrec__strdict_truncate(&d, 2000);
    assert_int_equal(tsrec__strdict_count(&d), 2000);
    for (int i = 0; i < 50000; i++) {
        int k = snprintf(buf, sizeof(buf), "user-%d-%s", i, i % 3 ? "x" : "longer-suffix");
        int64_t code = tsrec__strdict_lookup(&d, buf, (size_t)k);
        assert_int_equal(code, i < 2000 ? i : -1);
    }
    /* Re-interning continues from 2000, same bytes back. */
    for (int i = 60000; i < 61000; i++) {
        int k = snprintf(buf, sizeof(buf), "again-%d", i);
        int64_t code;
        assert_int_equal(tsrec__strdict_intern(&d, NULL, buf, (size_t)k, &code, NULL), TSREC_OK);
        assert_int_equal(code, 2000 + (i - 60000));
    }
    size_t len;
    const char *s = tsrec__strdict_get(&d, 2999, &len);
    assert_int_equal(len, strlen("again-60999"));
    assert_memory_equal(s, "again-60999", len);
    s = tsrec__strdict_get(&d, 1999, &len);
    assert_memory_equal(s, "user-1999-x", len);
    tsrec__strdict_truncate(&d, 0);
    assert_int_equal(tsrec__strdict_count(&d), 0);
    int64_t code;
    assert_int_equal(tsrec__strdict_intern(&d, NULL, "a", 1, &code, NULL), TSREC_OK);
    assert_int_equal(code, 0);
    tsrec__strdict_free(&d);
    tu_ctx_free_checked(ctx);
}

/* ---- field parsing ------------------------------------------------------ */

static void test_parse_i64(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(tsrec__parse_i64("0", 1, &v), TSREC__PARSE_OK);
    assert_int_equal(v, 0);
    assert_int_equal(tsrec__parse_i64("-42", 3, &v), TSREC__PARSE_OK);
    assert_int_equal(v, -42);
    assert_int_equal(tsrec__parse_i64("+7", 2, &v), TSREC__PARSE_OK);
    assert_int_equal(v, 7);
    assert_int_equal(tsrec__parse_i64("9223372036854775807", 19, &v), TSREC__PARSE_OK);
    assert_true(v == INT64_MAX);
    assert_int_equal(tsrec__parse_i64("-9223372036854775808", 20, &v), TSREC__PARSE_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(tsrec__parse_i64("9223372036854775808", 19, &v), TSREC__PARSE_RANGE);
    assert_int_equal(tsrec__parse_i64("-9223372036854775809", 20, &v), TSREC__PARSE_RANGE);
    assert_int_equal(tsrec__parse_i64("99999999999999999999", 20, &v), TSREC__PARSE_RANGE);
    const char *bad[] = {"", "-", "+", " 1", "1 ", "1.0", "1e3", "0x10", "abc", "1,000"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(tsrec__parse_i64(bad[i], strlen(bad[i]), &v), TSREC__PARSE_SYNTAX);
}

static void test_parse_f64_vs_strtod(void **state)
{
    (void)state;
    double v;
    const char *bad[] = {"",    "NaN",  "nan", "inf", "-inf", "Infinity", "1.2.3", "1e",
                         "e5",  ".",    "-",   " 1",  "1 ",   "0x1p3",    "1,5",   "abc",
                         "1e+", "--1", "1d"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(tsrec__parse_f64(bad[i], strlen(bad[i]), &v), TSREC__PARSE_SYNTAX);
    assert_int_equal(tsrec__parse_f64("1e400", 5, &v), TSREC__PARSE_RANGE);
    assert_int_equal(tsrec__parse_f64("-1e309", 6, &v), TSREC__PARSE_RANGE);
    assert_int_equal(tsrec__parse_f64("1e-400", 6, &v), TSREC__PARSE_OK);
    assert_true(v == 0.0);
    assert_int_equal(tsrec__parse_f64(".5", 2, &v), TSREC__PARSE_OK);
    assert_true(v == 0.5);
    assert_int_equal(tsrec__parse_f64("5.", 2, &v), TSREC__PARSE_OK);
    assert_true(v == 5.0);
    /* Random decimal texts: bit-identical to strtod (correct rounding). */
    srand(12345);
    char buf[64];
    for (int i = 0; i < 400000; i++) {
        /* Half the cases 15-20 digits: the extended-precision path. */
        int digits = i % 2 ? 15 + rand() % 6 : 1 + rand() % 20, point = rand() % (digits + 1);
        int k = 0;
        if (rand() % 2)
            buf[k++] = '-';
        for (int j = 0; j < digits; j++) {
            if (j == point && j > 0)
                buf[k++] = '.';
            buf[k++] = (char)('0' + rand() % 10);
        }
        if (rand() % 4 == 0)
            k += snprintf(buf + k, sizeof(buf) - (size_t)k, "e%d", rand() % 80 - 40);
        buf[k] = '\0';
        double ref = strtod(buf, NULL);
        assert_int_equal(tsrec__parse_f64(buf, (size_t)k, &v), TSREC__PARSE_OK);
        if (v != ref) {
            fprintf(stderr, "mismatch on %s: %.17g vs %.17g\n", buf, v, ref);
            fail();
        }
    }
}

/* Compare one text with strtod, bit for bit (the sign of zero included). */
static void same_as_strtod(const char *txt)
{
    double v = 1234.5;
    assert_int_equal(tsrec__parse_f64(txt, strlen(txt), &v), TSREC__PARSE_OK);
    double ref = strtod(txt, NULL);
    if (memcmp(&v, &ref, sizeof v) != 0) {
        fprintf(stderr, "mismatch on %s: %.17g vs %.17g\n", txt, v, ref);
        fail();
    }
}

/* The plain "[-]digits.digits" path with up to 19 digits (what exporters
 * write: 305.824943, 275.94062189999994) and its extended-precision step:
 * random 15-19 digit decimals with every split between integer and
 * fraction, and exact midpoints between two doubles (odd integers between
 * 2^53 and 2^54, 2^54 + 4k + 2 above), bare or with ".0"/".00", and
 * texts just above and below them, where a double rounding would show. */
static void test_parse_f64_plain_decimals(void **state)
{
    (void)state;
    const char *fixed[] = {"+1.5", "-0.0", "-0", "0.", ".0", "5.", ".5", "-.5",
                           "0000000000000000001.5", "9999999999999999999",
                           "999999999999999999.9", "0.9999999999999999999",
                           "18446744073709551615", "9007199254740993", "9007199254740993.0",
                           "9007199254740992.5", "4503599627370497.5", "275.94062189999994",
                           "38.34991708126038", "0.0000000000000000001234", "1234567890123456789"};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        same_as_strtod(fixed[i]);
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    char buf[64];
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int digits = 15 + (int)(x % 5), point = (int)((x >> 8) % (uint64_t)(digits + 1));
        uint64_t y = x;
        int k = 0;
        if ((x >> 16) & 1)
            buf[k++] = '-';
        for (int j = 0; j < digits; j++) {
            if (j == point)
                buf[k++] = '.';
            y = y * 6364136223846793005ULL + 1442695040888963407ULL;
            buf[k++] = (char)('0' + (y >> 60) % 10);
        }
        buf[k] = '\0';
        same_as_strtod(buf);
    }
    static const char *tails[] = {"", ".0", ".00", ".001", ".999", ".5", ".0001"};
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t mid = i % 2 ? ((uint64_t)1 << 53) + 2 * (x % ((uint64_t)1 << 50)) + 1
                             : ((uint64_t)1 << 54) + 4 * (x % ((uint64_t)1 << 50)) + 2;
        for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
            snprintf(buf, sizeof buf, "%llu%s", (unsigned long long)mid, tails[t]);
            same_as_strtod(buf);
            snprintf(buf, sizeof buf, "%llu%s", (unsigned long long)(mid - 1), tails[t]);
            same_as_strtod(buf);
        }
    }
}

/* The 8-digits-at-a-time and no-overflow-check paths: every byte of a long
 * digit run is checked, leading zeros do not count as significant digits,
 * and 18/19-digit integers sit on both sides of the fast path. */
static void test_parse_digit_words(void **state)
{
    (void)state;
    char buf[64];
    double v;
    int64_t iv;
    const char *base = "1234567890.123456789012";
    size_t n = strlen(base);
    for (size_t p = 0; p < n; p++) {
        if (base[p] == '.')
            continue;
        memcpy(buf, base, n + 1);
        buf[p] = (char)(p % 2 ? ':' : '/'); /* just above and below '0'..'9' */
        assert_int_equal(tsrec__parse_f64(buf, n, &v), TSREC__PARSE_SYNTAX);
    }
    const char *zeros[] = {"0.00000000123456789", "00000000000000001.5", "0.000000000000000000001",
                           "000000001234567890123456", "12345678.87654321", "0.12345678",
                           "99999999.99999999", "-00000000.00000000"};
    for (size_t i = 0; i < sizeof(zeros) / sizeof(zeros[0]); i++) {
        assert_int_equal(tsrec__parse_f64(zeros[i], strlen(zeros[i]), &v), TSREC__PARSE_OK);
        assert_true(v == strtod(zeros[i], NULL));
    }
    const char *ints[] = {"999999999999999999", "-999999999999999999", "1000000000000000000",
                          "+000000000000000042", "0000000000000000000000000001"};
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        assert_int_equal(tsrec__parse_i64(ints[i], strlen(ints[i]), &iv), TSREC__PARSE_OK);
        assert_true(iv == strtoll(ints[i], NULL, 10));
    }
    for (size_t p = 0; p < 18; p++) {
        memcpy(buf, "123456789012345678", 19);
        buf[p] = 'x';
        assert_int_equal(tsrec__parse_i64(buf, 18, &iv), TSREC__PARSE_SYNTAX);
    }
}

static void test_parse_bool_geo_tz(void **state)
{
    (void)state;
    int b;
    assert_int_equal(tsrec__parse_bool("true", 4, &b), TSREC__PARSE_OK);
    assert_int_equal(b, 1);
    assert_int_equal(tsrec__parse_bool("false", 5, &b), TSREC__PARSE_OK);
    assert_int_equal(b, 0);
    assert_int_equal(tsrec__parse_bool("True", 4, &b), TSREC__PARSE_SYNTAX);
    assert_int_equal(tsrec__parse_bool("1", 1, &b), TSREC__PARSE_SYNTAX);

    const char *good[] = {"47.61_-122.33", "US_98121", "-90_180", "0_0", "89.999999_-179.5"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_int_equal(tsrec__parse_geolocation(good[i], strlen(good[i])), TSREC__PARSE_OK);
    const char *badg[] = {"47.61",    "91_0",     "0_181",   "US_9812",   "US_981211",
                          "DE_10115", "47.61_x",  "_1",      "1_",        "1_2_3",
                          "US_98a21", "47.61_-1a", "1._2"};
    for (size_t i = 0; i < sizeof(badg) / sizeof(badg[0]); i++)
        assert_int_not_equal(tsrec__parse_geolocation(badg[i], strlen(badg[i])),
                             TSREC__PARSE_OK);

    int64_t off;
    assert_int_equal(tsrec__parse_tz_offset(NULL, &off), TSREC__PARSE_OK);
    assert_int_equal(off, 0);
    assert_int_equal(tsrec__parse_tz_offset("+05:30", &off), TSREC__PARSE_OK);
    assert_int_equal(off, 5 * 3600 + 30 * 60);
    assert_int_equal(tsrec__parse_tz_offset("-0800", &off), TSREC__PARSE_OK);
    assert_int_equal(off, -8 * 3600);
    assert_int_equal(tsrec__parse_tz_offset("UTC", &off), TSREC__PARSE_OK);
    assert_int_equal(off, 0);
    assert_int_not_equal(tsrec__parse_tz_offset("+15:00", &off), TSREC__PARSE_OK);
    assert_int_not_equal(tsrec__parse_tz_offset("America/Chicago", &off), TSREC__PARSE_OK);
    assert_int_not_equal(tsrec__parse_tz_offset("+5:30", &off), TSREC__PARSE_OK);

    assert_int_equal(tsrec__utf8_chars("a\xc3\xa9\xe2\x82\xac", 6), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i64_push_get_missing),
        cmocka_unit_test(test_float_bool_columns),
        cmocka_unit_test(test_code_widening),
        cmocka_unit_test(test_swap),
        cmocka_unit_test(test_failed_growth_unchanged),
        cmocka_unit_test(test_strdict_truncate),
        cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_parse_f64_vs_strtod),
        cmocka_unit_test(test_parse_digit_words),
        cmocka_unit_test(test_parse_f64_plain_decimals),
        cmocka_unit_test(test_parse_bool_geo_tz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
