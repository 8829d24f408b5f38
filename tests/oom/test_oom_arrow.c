/* OOM: Arrow stream imports into a dataset that already holds rows. For
 * every N the Nth allocation of the import (and every later one) fails:
 * the import returns TSREC_E_NOMEM, the dataset keeps exactly its rows,
 * values and dictionary sizes, every batch taken from the stream was
 * released once (the stream never), and nothing leaks. The loop ends when
 * N passes the number of allocations the import makes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow_fixture.h"
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

static const char *const FC_SEED[] = {"2014-01-01 01:00:00", "1.5", "a", /**/
                                      "2014-01-01 02:00:00", "2.5", "b"};
static const char *const PI_SEED[] = {"u1", "i1", "10", "click", NULL};

#define N_BATCHES 3
#define BATCH_ROWS 150 /* 450 new ids: codes widen past 255 */

static char g_ids[N_BATCHES * BATCH_ROWS][16];

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

static const char *const FC_NAMES[] = {"item_id", "timestamp", "target_value"};
static const char *const FC_FORMATS[] = {"u", "tss:", "g"};
static const char *const PI_NAMES[] = {"TIMESTAMP", "USER_ID", "ITEM_ID", "EVENT_TYPE",
                                       "EVENT_VALUE"};
static const char *const PI_FORMATS[] = {"l", "i", "U", "u", "f"};
static const char *const PI_DICTS[] = {NULL, "u", NULL, NULL, NULL};

static struct ArrowArray *make_batch(int personalize, int b)
{
    const char *ids[BATCH_ROWS];
    int64_t ts[BATCH_ROWS];
    double target[BATCH_ROWS];
    float values[BATCH_ROWS];
    int valid[BATCH_ROWS];
    int32_t user_idx[BATCH_ROWS];
    const char *events[BATCH_ROWS];
    static const char *const users[] = {"ua", "ub", "uc", "ud"};
    for (int i = 0; i < BATCH_ROWS; i++) {
        int r = b * BATCH_ROWS + i;
        ids[i] = g_ids[r];
        ts[i] = personalize ? 1000 + r : INT64_C(1388534400) + 3600 * (r % 24);
        target[i] = 0.5 * r;
        values[i] = 1.25f;
        valid[i] = r % 5 != 0;
        user_idx[i] = r % 4;
        events[i] = r % 2 ? "click" : "buy";
    }
    if (personalize) {
        struct ArrowArray *cols[5] = {af_fixed(ts, 8, BATCH_ROWS, NULL),
                                      af_dict(user_idx, 4, NULL, BATCH_ROWS, users, 4),
                                      af_large_utf8(ids, BATCH_ROWS), af_utf8(events, BATCH_ROWS),
                                      af_fixed(values, 4, BATCH_ROWS, valid)};
        return af_batch(5, cols);
    }
    struct ArrowArray *cols[3] = {af_utf8(ids, BATCH_ROWS), af_fixed(ts, 8, BATCH_ROWS, NULL),
                                  af_fixed(target, 8, BATCH_ROWS, valid)};
    return af_batch(3, cols);
}

static void every_n(int personalize, int32_t mode)
{
    int64_t failures = 0;
    for (int i = 0; i < N_BATCHES * BATCH_ROWS; i++)
        snprintf(g_ids[i], sizeof(g_ids[i]), "id_%d", i);
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        const char *schema_text = personalize ? INTERACTIONS_SCHEMA : FORECAST_SCHEMA;
        int32_t service = personalize ? TSREC_SERVICE_PERSONALIZE : TSREC_SERVICE_FORECAST;
        tsrec_schema *schema = NULL;
        tsrec_dataset_group *group = NULL;
        tsrec_dataset *ds = NULL;
        assert_int_equal(
            tsrec_schema_parse(ctx, service, schema_text, strlen(schema_text), &schema),
            TSREC_OK);
        assert_int_equal(tsrec_dataset_group_new(ctx, "g", service,
                                                 personalize ? NULL : "CUSTOM", &group),
                         TSREC_OK);
        assert_int_equal(tsrec_dataset_group_create_dataset(
                             group, "d", personalize ? "Interactions" : "TARGET_TIME_SERIES",
                             schema, personalize ? NULL : "H", &ds),
                         TSREC_OK);
        assert_int_equal(tsrec_dataset_import_rows(ds, personalize ? PI_SEED : FC_SEED,
                                                   personalize ? 1 : 2, personalize ? 5 : 3,
                                                   NULL, NULL),
                         TSREC_OK);
        uint64_t fp = fingerprint(ds);
        int64_t rows_before = ds->n_rows;

        struct ArrowArray *batches[N_BATCHES];
        for (int b = 0; b < N_BATCHES; b++)
            batches[b] = make_batch(personalize, b);
        af_reset_counts();
        struct ArrowArrayStream *st =
            personalize ? af_stream(5, PI_NAMES, PI_FORMATS, PI_DICTS, batches, N_BATCHES, 0, 0)
                        : af_stream(3, FC_NAMES, FC_FORMATS, NULL, batches, N_BATCHES, 0, 0);

        tsrec_import_options o;
        tsrec_import_options_init(&o);
        o.mode = mode;
        tsrec_import_report *rep = NULL;
        fa.calls = 0;
        fa.persistent = 1;
        fa.fail_at = n;
        int rc = tsrec_dataset_import_arrow_stream(ds, st, &o, &rep);
        int64_t failed_now = fa.failures;
        fa.fail_at = 0;
        int done = rc == TSREC_OK;
        /* Whatever happened: the schema at most once, the stream never. */
        assert_true(af_count.schema_releases <= 1);
        assert_int_equal(af_count.stream_releases, 0);
        assert_non_null(st->release);
        if (!done) {
            if (rc != TSREC_E_NOMEM)
                fail_msg("n=%lld: status %d (%s), want TSREC_E_NOMEM", (long long)n, rc,
                         tsrec_errmsg(ds));
            tsrec_import_report_free(rep);
            assert_int_equal(ds->n_rows, rows_before);
            assert_true(fingerprint(ds) == fp);
            failures++;
        } else {
            assert_non_null(rep);
            assert_int_equal(ds->n_rows, N_BATCHES * BATCH_ROWS +
                                             (mode == TSREC_IMPORT_FULL ? 0 : rows_before));
            assert_int_equal(failed_now, 0);
            assert_int_equal(af_count.batch_releases, N_BATCHES);
            assert_int_equal(af_count.schema_releases, 1);
            tsrec_import_report_free(rep);
        }
        af_stream_free(st);
        assert_int_equal(af_count.batch_releases, N_BATCHES); /* each exactly once */
        tsrec_dataset_group_free(group);
        tsrec_schema_free(schema);
        tu_ctx_free_checked(ctx);
        if (done)
            break;
        assert_true(n < 5000);
    }
    printf("# %s mode %d: %lld allocation failures, all TSREC_E_NOMEM\n",
           personalize ? "interactions" : "forecast", (int)mode, (long long)failures);
    assert_true(failures >= 5);
}

static void test_forecast_full(void **state)
{
    (void)state;
    every_n(0, TSREC_IMPORT_FULL);
}

static void test_forecast_incremental(void **state)
{
    (void)state;
    every_n(0, TSREC_IMPORT_INCREMENTAL);
}

static void test_interactions_full(void **state)
{
    (void)state;
    every_n(1, TSREC_IMPORT_FULL);
}

static void test_interactions_incremental(void **state)
{
    (void)state;
    every_n(1, TSREC_IMPORT_INCREMENTAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast_full),
        cmocka_unit_test(test_forecast_incremental),
        cmocka_unit_test(test_interactions_full),
        cmocka_unit_test(test_interactions_incremental),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
