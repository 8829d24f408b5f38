/* The import's shortcuts for sorted files, checked value by value against
 * independent expectations: ids that come in runs (a repeat of the
 * previous value shares its queued bytes and is interned once; runs cross
 * the 512-row batches and are broken by missing values), and timestamps
 * whose months change on every row (the direct-mapped month table, with
 * months that collide in it). Day counts are computed here by counting
 * days year by year, independently of the library's formula. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "column_internal.h"
#include "data_internal.h"
#include "test_util.h"

static const char *FORECAST_SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}";

static const char *USERS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Users\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},"
    "{\"name\":\"AGE\",\"type\":\"int\"},"
    "{\"name\":\"MEMBERSHIP\",\"type\":[\"null\",\"string\"],\"categorical\":true}]}";

static uint64_t rng_state = 0xD1B54A32D192ED03ULL;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : len[m - 1];
}

/* Seconds since 1970-01-01 of a date in 1970.., by plain counting. */
static int64_t naive_epoch(int y, int mo, int d, int hh, int mi, int ss)
{
    int64_t days = 0;
    for (int k = 1970; k < y; k++)
        days += leap(k) ? 366 : 365;
    for (int k = 1; k < mo; k++)
        days += month_days(y, k);
    days += d - 1;
    return days * 86400 + hh * 3600 + mi * 60 + ss;
}

typedef struct fixture {
    tsrec_ctx *ctx;
    tsrec_schema *schema;
    tsrec_dataset_group *group;
    tsrec_dataset *ds;
} fixture;

static void setup(fixture *fx, int32_t service, const char *schema, const char *domain,
                  const char *type, const char *freq)
{
    fx->ctx = tu_ctx_new();
    assert_int_equal(tsrec_schema_parse(fx->ctx, service, schema, strlen(schema), &fx->schema),
                     TSREC_OK);
    assert_int_equal(tsrec_dataset_group_new(fx->ctx, "g", service, domain, &fx->group), TSREC_OK);
    assert_int_equal(
        tsrec_dataset_group_create_dataset(fx->group, "d", type, fx->schema, freq, &fx->ds),
        TSREC_OK);
}

static void teardown(fixture *fx)
{
    tsrec_dataset_group_free(fx->group);
    tsrec_schema_free(fx->schema);
    tu_ctx_free_checked(fx->ctx);
}

static void assert_code_is(const tsrec__column *c, int64_t row, const char *want)
{
    assert_true(tsrec__column_is_present(c, row));
    size_t len = 0;
    const char *got = tsrec__strdict_get(c->dict, tsrec__column_get_code(c, row), &len);
    assert_non_null(got);
    if (len != strlen(want) || memcmp(got, want, len) != 0) {
        fprintf(stderr, "row %lld: '%.*s' stored, '%s' expected\n", (long long)row, (int)len, got,
                want);
        fail();
    }
}

#define N_ROWS 6000
#define CELL 48

/* Forecast rows: ids in runs of 1..700 (short, 8..16 and long ids),
 * dates of random months in 1970..2037 with and without a time of day,
 * imported in two INCREMENTAL calls; every stored value checked. */
static void test_forecast_runs_and_months(void **state)
{
    (void)state;
    fixture fx;
    setup(&fx, TSREC_SERVICE_FORECAST, FORECAST_SCHEMA, "CUSTOM", "TARGET_TIME_SERIES", "H");
    char *text = calloc((size_t)N_ROWS * 3, CELL);
    const char **cells = calloc((size_t)N_ROWS * 3, sizeof(char *));
    int64_t *want_time = calloc(N_ROWS, sizeof(int64_t));
    assert_non_null(text);
    assert_non_null(cells);
    assert_non_null(want_time);
    int run = 0, id = 0;
    for (int i = 0; i < N_ROWS; i++) {
        char *ts = text + ((size_t)i * 3) * CELL, *val = ts + CELL, *item = val + CELL;
        if (run == 0) {
            run = 1 + (int)(rnd() % 700);
            if (rnd() % 4 == 0)
                run = 1 + (int)(rnd() % 3); /* short runs too */
            id = (int)(rnd() % 50);
        }
        run--;
        if (id % 3 == 0)
            snprintf(item, CELL, "c%d", id);
        else if (id % 3 == 1)
            snprintf(item, CELL, "client_%d", id);
        else
            snprintf(item, CELL, "a_rather_long_item_identifier_%d", id);
        /* months 64 apart share a slot of the month table */
        int y = 1970 + (int)(rnd() % 68), mo = 1 + (int)(rnd() % 12);
        if (i % 3 == 0 && i > 0)
            y = 1970 + (int)(rnd() % 2) * 16 + (int)(rnd() % 2) * 32; /* 1970/1986/2002/2018 */
        int d = 1 + (int)(rnd() % (uint32_t)month_days(y, mo));
        if (i % 2) {
            int hh = (int)(rnd() % 24), mi = (int)(rnd() % 60), ss = (int)(rnd() % 60);
            snprintf(ts, CELL, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, hh, mi, ss);
            want_time[i] = naive_epoch(y, mo, d, hh, mi, ss);
        } else {
            snprintf(ts, CELL, "%04d-%02d-%02d", y, mo, d);
            want_time[i] = naive_epoch(y, mo, d, 0, 0, 0);
        }
        snprintf(val, CELL, "%u.%06u", rnd() % 1000, rnd() % 1000000);
        cells[i * 3] = ts;
        cells[i * 3 + 1] = val;
        cells[i * 3 + 2] = item;
    }
    int half = N_ROWS / 2 + 17;
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, cells, half, 3, NULL, NULL), TSREC_OK);
    assert_int_equal(
        tsrec_dataset_import_rows(fx.ds, cells + half * 3, N_ROWS - half, 3, NULL, NULL),
        TSREC_OK);
    int64_t rows = 0;
    assert_int_equal(tsrec_dataset_row_count(fx.ds, &rows), TSREC_OK);
    assert_int_equal(rows, N_ROWS);
    const tsrec__column *tcol = &fx.ds->cols[0], *vcol = &fx.ds->cols[1], *icol = &fx.ds->cols[2];
    for (int64_t i = 0; i < N_ROWS; i++) {
        assert_int_equal(tsrec__column_get_i64(tcol, i), want_time[i]);
        double want_v = strtod(cells[i * 3 + 1], NULL);
        assert_true(tsrec__column_get_f64(vcol, i) == want_v);
        assert_code_is(icol, i, cells[i * 3 + 2]);
    }
    /* one code per distinct id, in order of first appearance */
    assert_true(tsrec__strdict_count(icol->dict) <= 50);
    free(text);
    free(cells);
    free(want_time);
    teardown(&fx);
}

/* Personalize users with an optional categorical: runs of one value broken
 * by missing values (NULL cells), equal-length different values next to
 * each other, and runs across batch boundaries. */
static void test_runs_with_missing_values(void **state)
{
    (void)state;
    fixture fx;
    setup(&fx, TSREC_SERVICE_PERSONALIZE, USERS_SCHEMA, NULL, "Users", NULL);
    char *text = calloc((size_t)N_ROWS * 3, CELL);
    const char **cells = calloc((size_t)N_ROWS * 3, sizeof(char *));
    assert_non_null(text);
    assert_non_null(cells);
    static const char *levels[] = {"gold", "gole", "silver_member_x", "silver_member_y",
                                   "platinum_member_of_the_year_club", "b"};
    int run = 0, lv = 0;
    for (int i = 0; i < N_ROWS; i++) {
        char *user = text + ((size_t)i * 3) * CELL, *age = user + CELL;
        snprintf(user, CELL, "user_%d", i);
        snprintf(age, CELL, "%d", 18 + i % 60);
        if (run == 0) {
            run = 1 + (int)(rnd() % (rnd() % 2 ? 600 : 4));
            lv = (int)(rnd() % 7); /* 6 = missing */
        }
        run--;
        cells[i * 3] = user;
        cells[i * 3 + 1] = age;
        cells[i * 3 + 2] = lv == 6 ? NULL : levels[lv];
    }
    assert_int_equal(tsrec_dataset_import_rows(fx.ds, cells, N_ROWS, 3, NULL, NULL), TSREC_OK);
    const tsrec__column *ucol = &fx.ds->cols[0], *mcol = &fx.ds->cols[2];
    int64_t n_missing = 0;
    for (int64_t i = 0; i < N_ROWS; i++) {
        assert_code_is(ucol, i, cells[i * 3]);
        if (cells[i * 3 + 2] == NULL) {
            assert_false(tsrec__column_is_present(mcol, i));
            n_missing++;
        } else {
            assert_code_is(mcol, i, cells[i * 3 + 2]);
        }
    }
    assert_true(n_missing > 0);
    assert_true(tsrec__strdict_count(mcol->dict) <= 6);
    free(text);
    free(cells);
    teardown(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast_runs_and_months),
        cmocka_unit_test(test_runs_with_missing_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
