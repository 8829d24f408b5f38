/* OOM: schema parsing, dataset group creation and dataset creation. The
 * Nth allocation fails for every N (once, then persistently) until the
 * call succeeds: each failure is TSREC_E_NOMEM with no output and no leak,
 * and a group whose create_dataset failed stays usable. */
#include "test_util.h"

#include <string.h>

#include "data_internal.h"
#include "tsrec/dataset.h"

#define F TSREC_SERVICE_FORECAST
#define P TSREC_SERVICE_PERSONALIZE

static const char forecast_tts[] =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"demand\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"geo\",\"AttributeType\":\"geolocation\"}]}";

static const char forecast_rts[] =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"price\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"promotion_applied\",\"AttributeType\":\"integer\"}]}";

static const char avro_interactions[] =
    "{\"type\":\"record\",\"name\":\"Interactions\",\"namespace\":\"com.amazonaws.personalize.schema\","
    "\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]},"
    "{\"name\":\"DEVICE\",\"type\":\"string\",\"categorical\":true}],\"version\":\"1.0\"}";

static const char avro_items[] =
    "{\"type\":\"record\",\"name\":\"Items\",\"fields\":[{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
    "{\"name\":\"DESCRIPTION\",\"type\":\"string\",\"textual\":true},"
    "{\"name\":\"PRICE\",\"type\":\"double\"},{\"name\":\"ADULT\",\"type\":\"boolean\"}]}";

static void arm(tu_failing_alloc *fa, int64_t n, int persistent)
{
    fa->calls = 0;
    fa->failures = 0;
    fa->persistent = persistent;
    fa->fail_at = n;
}

static void schema_every_n(int32_t service, const char *json)
{
    for (int persistent = 0; persistent < 2; persistent++) {
        int failures = 0;
        for (int64_t n = 1;; n++) {
            tu_failing_alloc fa = {0, 0, 0, 0};
            tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
            arm(&fa, n, persistent);
            tsrec_schema *s = (tsrec_schema *)(uintptr_t)1;
            int rc = tsrec_schema_parse(ctx, service, json, strlen(json), &s);
            fa.fail_at = 0;
            if (rc == TSREC_OK) {
                assert_int_equal(fa.failures, 0);
                int64_t count = 0;
                assert_int_equal(tsrec_schema_field_count(s, &count), TSREC_OK);
                assert_true(count >= 4);
                tsrec_schema_free(s);
                tu_ctx_free_checked(ctx);
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(s);
            assert_true(strlen(tsrec_errmsg(ctx)) > 0);
            tu_ctx_free_checked(ctx);
            failures++;
        }
        assert_true(failures >= 3);
    }
}

static void test_schema_parse_forecast(void **state)
{
    (void)state;
    schema_every_n(F, forecast_tts);
}

static void test_schema_parse_avro(void **state)
{
    (void)state;
    schema_every_n(P, avro_interactions);
    schema_every_n(P, avro_items);
}

static void test_schema_clone(void **state)
{
    (void)state;
    int failures = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec_schema *s = NULL;
        assert_int_equal(tsrec_schema_parse(ctx, P, avro_items, strlen(avro_items), &s), TSREC_OK);
        arm(&fa, n, 0);
        tsrec_schema *c = (tsrec_schema *)(uintptr_t)1;
        int rc = tsrec__schema_clone(s, ctx, NULL, &c);
        fa.fail_at = 0;
        tsrec_schema_free(s);
        if (rc == TSREC_OK) {
            assert_int_equal(c->n_fields, 5);
            assert_string_equal(c->fields[2].name, "DESCRIPTION");
            tsrec_schema_free(c);
            tu_ctx_free_checked(ctx);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_null(c);
        tu_ctx_free_checked(ctx);
        failures++;
    }
    assert_int_equal(failures, 7); /* struct, field array, five names */
}

static void test_group_new(void **state)
{
    (void)state;
    int failures = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        arm(&fa, n, 0);
        tsrec_dataset_group *g = (tsrec_dataset_group *)(uintptr_t)1;
        int rc = tsrec_dataset_group_new(ctx, "shop", F, "RETAIL", &g);
        fa.fail_at = 0;
        if (rc == TSREC_OK) {
            tsrec_dataset_group_free(g);
            tu_ctx_free_checked(ctx);
            break;
        }
        assert_int_equal(rc, TSREC_E_NOMEM);
        assert_null(g);
        tu_ctx_free_checked(ctx);
        failures++;
    }
    assert_true(failures >= 2);
}

/* create_dataset of `type` fails at every allocation, then succeeds on the
 * same group; a dataset made before the failures is untouched. */
static void create_every_n(int32_t service, const char *domain, const char *first_type,
                           const char *first_json, const char *type, const char *json,
                           const char *freq)
{
    for (int persistent = 0; persistent < 2; persistent++) {
        int failures = 0;
        for (int64_t n = 1;; n++) {
            tu_failing_alloc fa = {0, 0, 0, 0};
            tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
            tsrec_dataset_group *g = NULL;
            assert_int_equal(tsrec_dataset_group_new(ctx, "g", service, domain, &g), TSREC_OK);
            tsrec_schema *s0 = NULL, *s = NULL;
            assert_int_equal(tsrec_schema_parse(ctx, service, first_json, strlen(first_json), &s0),
                             TSREC_OK);
            assert_int_equal(tsrec_schema_parse(ctx, service, json, strlen(json), &s), TSREC_OK);
            tsrec_dataset *d0 = NULL;
            assert_int_equal(tsrec_dataset_group_create_dataset(g, "first", first_type, s0,
                                                                service == F ? "D" : NULL, &d0),
                             TSREC_OK);
            arm(&fa, n, persistent);
            tsrec_dataset *ds = (tsrec_dataset *)(uintptr_t)1;
            int rc = tsrec_dataset_group_create_dataset(g, "second", type, s, freq, &ds);
            fa.fail_at = 0;
            int failed = rc != TSREC_OK;
            if (failed) {
                assert_int_equal(rc, TSREC_E_NOMEM);
                assert_null(ds);
                assert_int_equal(tsrec_errcode(g), TSREC_E_NOMEM);
                tsrec_dataset *none = NULL;
                assert_int_equal(tsrec_dataset_group_dataset(g, type, &none), TSREC_E_UNKNOWN_NAME);
                /* the group still works: the same call now succeeds */
                assert_int_equal(tsrec_dataset_group_create_dataset(g, "second", type, s, freq, &ds),
                                 TSREC_OK);
                failures++;
            }
            tsrec_dataset *got = NULL;
            assert_int_equal(tsrec_dataset_group_dataset(g, type, &got), TSREC_OK);
            assert_ptr_equal(got, ds);
            assert_int_equal(tsrec_dataset_group_dataset(g, first_type, &got), TSREC_OK);
            assert_ptr_equal(got, d0);
            int64_t rows = -1;
            assert_int_equal(tsrec_dataset_row_count(ds, &rows), TSREC_OK);
            assert_int_equal(rows, 0);
            tsrec_schema_free(s0);
            tsrec_schema_free(s);
            tsrec_dataset_group_free(g);
            tu_ctx_free_checked(ctx);
            if (!failed)
                break;
        }
        assert_true(failures >= 5);
    }
}

static void test_create_dataset_forecast(void **state)
{
    (void)state;
    create_every_n(F, "RETAIL", "RELATED_TIME_SERIES", forecast_rts, "TARGET_TIME_SERIES",
                   forecast_tts, "H");
    create_every_n(F, "RETAIL", "TARGET_TIME_SERIES", forecast_tts, "RELATED_TIME_SERIES",
                   forecast_rts, "H");
}

static void test_create_dataset_personalize(void **state)
{
    (void)state;
    create_every_n(P, NULL, "Items", avro_items, "Interactions", avro_interactions, NULL);
    create_every_n(P, "ECOMMERCE", "Interactions", avro_interactions, "Items", avro_items, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_parse_forecast),
        cmocka_unit_test(test_schema_parse_avro),
        cmocka_unit_test(test_schema_clone),
        cmocka_unit_test(test_group_new),
        cmocka_unit_test(test_create_dataset_forecast),
        cmocka_unit_test(test_create_dataset_personalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
