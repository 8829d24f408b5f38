/* OOM: imports into a dataset that already holds rows. For every N the Nth
 * allocation of the import (and every later one) fails: the import returns
 * TSREC_E_NOMEM, the dataset keeps exactly its rows, values and dictionary
 * sizes, and nothing leaks. The loop ends when N passes the number of
 * allocations the import makes (it then succeeds). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "column_internal.h"
#include "data_internal.h"
#include "test_util.h"

static const char *FORECAST_SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}";

static const char *INTERACTIONS_SCHEMA =
    "{\"type\":\"record\",\"name\":\"Interactions\","
    "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
    "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]}],\"version\":\"1.0\"}";

static char g_dir[64];
static char g_seed[128], g_more[128], g_inter_seed[128], g_inter_more[128];

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof(g_dir), "/tmp/tsrec_oomimp_XXXXXX");
    if (mkdtemp(g_dir) == NULL)
        return -1;
    snprintf(g_seed, sizeof(g_seed), "%s/seed.csv", g_dir);
    snprintf(g_more, sizeof(g_more), "%s/more.csv", g_dir);
    snprintf(g_inter_seed, sizeof(g_inter_seed), "%s/iseed.csv", g_dir);
    snprintf(g_inter_more, sizeof(g_inter_more), "%s/imore.csv", g_dir);
    write_text(g_seed, "2014-01-01 01:00:00,1.5,a\n2014-01-01 02:00:00,2.5,b\n");
    /* 400 new items (codes widen past 255) and missing values. */
    FILE *f = fopen(g_more, "wb");
    if (f == NULL)
        return -1;
    for (int i = 0; i < 400; i++)
        fprintf(f, "2014-01-02 %02d:00:00,%s,item_%d\n", i % 24, i % 5 ? "3.5" : "", i);
    fclose(f);
    write_text(g_inter_seed, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,10,click\n");
    f = fopen(g_inter_more, "wb");
    if (f == NULL)
        return -1;
    fprintf(f, "ITEM_ID,EVENT_VALUE,USER_ID,TIMESTAMP,EVENT_TYPE\n");
    for (int i = 0; i < 300; i++)
        fprintf(f, "it%d,%s,us%d,%d,%s\n", i, i % 3 ? "1.25" : "", i % 270, 100 + i,
                i % 2 ? "click" : "buy");
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(g_seed);
    unlink(g_more);
    unlink(g_inter_seed);
    unlink(g_inter_more);
    rmdir(g_dir);
    return 0;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

static uint64_t fingerprint(const tsrec_dataset *ds)
{
    uint64_t h = 1469598103934665603ULL;
    h = mix(h, &ds->n_rows, sizeof(ds->n_rows));
    for (int64_t f = 0; f < ds->schema->n_fields; f++) {
        const tsrec__column *c = &ds->cols[f];
        assert_int_equal(c->len, ds->n_rows);
        int64_t dn = c->dict != NULL ? tsrec__strdict_count(c->dict) : -1;
        h = mix(h, &dn, sizeof(dn));
        for (int64_t i = 0; i < c->len; i++) {
            int present = tsrec__column_is_present(c, i);
            h = mix(h, &present, sizeof(present));
            if (!present)
                continue;
            if (c->kind == TSREC__COL_CODE) {
                size_t len;
                const char *s = tsrec__strdict_get(c->dict, tsrec__column_get_code(c, i), &len);
                assert_non_null(s);
                h = mix(h, s, len);
            } else if (c->kind == TSREC__COL_F32 || c->kind == TSREC__COL_F64) {
                double v = tsrec__column_get_f64(c, i);
                h = mix(h, &v, sizeof(v));
            } else {
                int64_t v = tsrec__column_get_i64(c, i);
                h = mix(h, &v, sizeof(v));
            }
        }
    }
    return h;
}

enum { VIA_CSV, VIA_ROWS };

static const char *ROWS[] = {"u9", "i9", "55", "view", NULL, "u1", "i1", "56", "view", "2.5"};

/* Run one import kind with every allocation from the Nth on failing. */
static void every_n(int personalize, int32_t mode, int via)
{
    int64_t failures = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        const char *schema_text = personalize ? INTERACTIONS_SCHEMA : FORECAST_SCHEMA;
        int32_t service = personalize ? TSREC_SERVICE_PERSONALIZE : TSREC_SERVICE_FORECAST;
        tsrec_schema *schema = NULL;
        tsrec_dataset_group *group = NULL;
        tsrec_dataset *ds = NULL;
        assert_int_equal(tsrec_schema_parse(ctx, service, schema_text, strlen(schema_text),
                                            &schema),
                         TSREC_OK);
        assert_int_equal(tsrec_dataset_group_new(ctx, "g", service,
                                                 personalize ? NULL : "CUSTOM", &group),
                         TSREC_OK);
        assert_int_equal(tsrec_dataset_group_create_dataset(
                             group, "d", personalize ? "Interactions" : "TARGET_TIME_SERIES",
                             schema, personalize ? NULL : "H", &ds),
                         TSREC_OK);
        assert_int_equal(
            tsrec_dataset_import_csv(ds, personalize ? g_inter_seed : g_seed, NULL, NULL),
            TSREC_OK);
        uint64_t fp = fingerprint(ds);
        int64_t rows_before = ds->n_rows;

        tsrec_import_options o;
        tsrec_import_options_init(&o);
        o.mode = mode;
        tsrec_import_report *rep = NULL;
        fa.calls = 0;
        fa.persistent = 1;
        fa.fail_at = n;
        int st = via == VIA_CSV
                     ? tsrec_dataset_import_csv(ds, personalize ? g_inter_more : g_more, &o, &rep)
                     : tsrec_dataset_import_rows(ds, ROWS, 2, 5, &o, &rep);
        int64_t failed_now = fa.failures;
        fa.fail_at = 0;
        int done = st == TSREC_OK;
        if (!done) {
            if (st != TSREC_E_NOMEM)
                fail_msg("n=%lld: status %d (%s), want TSREC_E_NOMEM", (long long)n, st,
                         tsrec_errmsg(ds));
            tsrec_import_report_free(rep); /* may hold the failure */
            assert_int_equal(ds->n_rows, rows_before);
            assert_true(fingerprint(ds) == fp);
            failures++;
        } else {
            assert_non_null(rep);
            assert_true(ds->n_rows > (mode == TSREC_IMPORT_FULL ? 0 : rows_before));
            assert_int_equal(failed_now, 0);
            tsrec_import_report_free(rep);
        }
        tsrec_dataset_group_free(group);
        tsrec_schema_free(schema);
        tu_ctx_free_checked(ctx);
        if (done)
            break;
        assert_true(n < 5000);
    }
    printf("# %s mode %d via %d: %lld allocation failures, all TSREC_E_NOMEM\n",
           personalize ? "interactions" : "forecast", (int)mode, via, (long long)failures);
    assert_true(failures >= 5);
}

static void test_forecast_csv_full(void **state)
{
    (void)state;
    every_n(0, TSREC_IMPORT_FULL, VIA_CSV);
}

static void test_forecast_csv_incremental(void **state)
{
    (void)state;
    every_n(0, TSREC_IMPORT_INCREMENTAL, VIA_CSV);
}

static void test_interactions_csv_full(void **state)
{
    (void)state;
    every_n(1, TSREC_IMPORT_FULL, VIA_CSV);
}

static void test_interactions_csv_incremental(void **state)
{
    (void)state;
    every_n(1, TSREC_IMPORT_INCREMENTAL, VIA_CSV);
}

static void test_interactions_rows(void **state)
{
    (void)state;
    every_n(1, TSREC_IMPORT_INCREMENTAL, VIA_ROWS);
    every_n(1, TSREC_IMPORT_FULL, VIA_ROWS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast_csv_full),
        cmocka_unit_test(test_forecast_csv_incremental),
        cmocka_unit_test(test_interactions_csv_full),
        cmocka_unit_test(test_interactions_csv_incremental),
        cmocka_unit_test(test_interactions_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
