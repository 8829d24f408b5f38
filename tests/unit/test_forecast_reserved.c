/* Amazon Forecast's reserved field names: the table is strictly sorted (the
 * lookup is a binary search, so an unsorted table would silently miss
 * names), complete, found in any letter case, and leaves ordinary field
 * names and near misses alone. */
#include "test_util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domains_internal.h"

static size_t table_len(void)
{
    size_t n = 0;
    while (tsrec__forecast_reserved_nth(n) != NULL)
        n++;
    return n;
}

static void test_sorted_and_complete(void **state)
{
    (void)state;
    size_t n = table_len();
    /* The page's ~822 names: the compiled list's 825 less `date`,
     * `timestamp` and `location`. */
    assert_int_equal(n, 822);
    for (size_t i = 1; i < n; i++) {
        const char *a = tsrec__forecast_reserved_nth(i - 1), *b = tsrec__forecast_reserved_nth(i);
        if (strcmp(a, b) >= 0)
            fail_msg("table out of order at %zu: \"%s\" before \"%s\"", i, a, b);
    }
    for (size_t i = 0; i < n; i++) {
        const char *w = tsrec__forecast_reserved_nth(i);
        for (const char *p = w; *p; p++)
            assert_false(islower((unsigned char)*p));
    }
}

/* Every entry is found as written, in lower case and in alternating case. */
static void test_every_entry_found_in_any_case(void **state)
{
    (void)state;
    char buf[64];
    for (size_t i = 0; i < table_len(); i++) {
        const char *w = tsrec__forecast_reserved_nth(i);
        size_t len = strlen(w);
        assert_true(len < sizeof buf);
        assert_true(tsrec__forecast_reserved_name(w));
        for (size_t k = 0; k <= len; k++)
            buf[k] = (char)tolower((unsigned char)w[k]);
        assert_true(tsrec__forecast_reserved_name(buf));
        for (size_t k = 0; k < len; k += 2)
            buf[k] = (char)toupper((unsigned char)buf[k]);
        assert_true(tsrec__forecast_reserved_name(buf));
    }
}

/* A prefix or an extension of a reserved name is not reserved unless it is
 * itself in the table. */
static void test_near_misses(void **state)
{
    (void)state;
    char buf[80];
    size_t n = table_len();
    for (size_t i = 0; i < n; i++) {
        const char *w = tsrec__forecast_reserved_nth(i);
        snprintf(buf, sizeof buf, "%sQQ", w);
        assert_false(tsrec__forecast_reserved_name(buf));
        snprintf(buf, sizeof buf, "QQ%s", w);
        assert_false(tsrec__forecast_reserved_name(buf));
    }
    assert_false(tsrec__forecast_reserved_name("ZONEX"));
    assert_false(tsrec__forecast_reserved_name("ZON"));
    assert_false(tsrec__forecast_reserved_name("AA"));
    assert_false(tsrec__forecast_reserved_name(""));
    assert_false(tsrec__forecast_reserved_name(NULL));
}

/* The examples the reference names, names from every part of the alphabet,
 * and ordinary Forecast field names that must stay usable. */
static void test_known_names(void **state)
{
    (void)state;
    static const char *const reserved[] = {
        "ABS", "AVG", "COUNT", "KEY", "NAME", "SUM", "TIME", "USER", "VALUE", "YEAR",
        "a", "abort", "close", "data", "hour", "month", "locator", "min", "max", "type",
        "size", "level", "temp", "text", "zerofill", "zone", "x509", "int8", "raid0",
        "end-exec", "sql_big_result", "delay_key_write", "regr_r2", "width_bucket",
    };
    static const char *const usable[] = {
        "timestamp", "date", "item_id", "target_value", "demand", "category", "price",
        "temperature", "workforce_type", "metric_name", "instance_type", "store_id",
        "sku", "region", "promotion_applied", "store",
        /* the guide's own CUSTOM schemas use it (geolocation, dimensions) */
        "location",
    };
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (!tsrec__forecast_reserved_name(reserved[i]))
            fail_msg("\"%s\" should be reserved", reserved[i]);
    for (size_t i = 0; i < sizeof usable / sizeof *usable; i++)
        if (tsrec__forecast_reserved_name(usable[i]))
            fail_msg("\"%s\" should not be reserved", usable[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_and_complete),
        cmocka_unit_test(test_every_entry_found_in_any_case),
        cmocka_unit_test(test_near_misses),
        cmocka_unit_test(test_known_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
