/* OOM: saving and loading dataset groups. The Nth allocation fails for
 * every N (once, then persistently) until the call succeeds: each failure
 * is TSREC_E_NOMEM, a failed save leaves the group saving the same bytes
 * afterwards, a failed load returns no group, and nothing leaks. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsrec/io.h"

static const char TTS[] =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"}]}";
static const char IM[] =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"category\",\"AttributeType\":\"string\"}]}";
static const char INTER[] =
    "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":[{\"name\":\"USER_ID\",\"type\":"
    "\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":"
    "\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},{\"name\":\"EVENT_VALUE\",\"type\":"
    "[\"null\",\"float\"]}]}";
static const char ITEMS[] =
    "{\"type\":\"record\",\"name\":\"Items\",\"fields\":[{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
    "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
    "{\"name\":\"ADULT\",\"type\":\"boolean\"}]}";

static void arm(tu_failing_alloc *fa, int64_t n, int persistent)
{
    fa->calls = 0;
    fa->failures = 0;
    fa->persistent = persistent;
    fa->fail_at = n;
}

static void add(tsrec_dataset_group *g, tsrec_ctx *ctx, int32_t service, const char *name,
                const char *type, const char *json, const char *freq, const char *const *cells,
                int64_t rows, int64_t cols)
{
    tsrec_schema *s = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, service, json, strlen(json), &s), TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, name, type, s, freq, &ds), TSREC_OK);
    tsrec_schema_free(s);
    tsrec_import_options o;
    tsrec_import_options_init(&o);
    o.timestamp_format = "yyyy-MM-dd";
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, rows, cols, &o, NULL), TSREC_OK);
}

static tsrec_dataset_group *make_group(tsrec_ctx *ctx, int pz)
{
    tsrec_dataset_group *g = NULL;
    if (!pz) {
        assert_int_equal(tsrec_dataset_group_new(ctx, "fc", TSREC_SERVICE_FORECAST, "CUSTOM", &g),
                         TSREC_OK);
        static const char *const tts[] = {
            "a", "2021-01-01", "1.5", "NYC", "a", "2021-01-02", NULL,  "NYC",
            "b", "2021-01-01", "3",   "SF",  "b", "2021-01-02", "4.25", "SF",
        };
        static const char *const im[] = {"a", "toys", "b", "garden", "c", "toys"};
        add(g, ctx, TSREC_SERVICE_FORECAST, "tts", "TARGET_TIME_SERIES", TTS, "D", tts, 4, 4);
        add(g, ctx, TSREC_SERVICE_FORECAST, "im", "ITEM_METADATA", IM, NULL, im, 3, 2);
    } else {
        assert_int_equal(tsrec_dataset_group_new(ctx, "pz", TSREC_SERVICE_PERSONALIZE, NULL, &g),
                         TSREC_OK);
        static const char *const in[] = {
            "u1", "i1", "100", "click", "1",  "u2", "i2", "200", "buy", NULL,
            "u1", "i3", "300", "click", "2.5",
        };
        static const char *const it[] = {"i1", "A|B", "false", "i4", NULL, "true"};
        add(g, ctx, TSREC_SERVICE_PERSONALIZE, "inter", "Interactions", INTER, NULL, in, 3, 5);
        add(g, ctx, TSREC_SERVICE_PERSONALIZE, "items", "Items", ITEMS, NULL, it, 2, 3);
    }
    return g;
}

/* The group saved into a malloc'd buffer (not ctx memory). */
static unsigned char *save_bytes(const tsrec_dataset_group *g, size_t *out_len)
{
    tsrec_membuf m = {NULL, 0, 0, 0};
    assert_int_equal(tsrec_dataset_group_save_to(g, tsrec_membuf_write, &m), TSREC_OK);
    m.data = malloc(m.len);
    assert_non_null(m.data);
    m.cap = m.len;
    m.len = 0;
    assert_int_equal(tsrec_dataset_group_save_to(g, tsrec_membuf_write, &m), TSREC_OK);
    *out_len = m.len;
    return m.data;
}

static void save_every_n(int pz, int to_file)
{
    tu_failing_alloc fa = {0, 0, 0, 0};
    tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
    tsrec_dataset_group *g = make_group(ctx, pz);
    size_t len = 0;
    unsigned char *want = save_bytes(g, &len);
    char path[128];
    snprintf(path, sizeof path, "/tmp/tsrec_oom_group_save_%d.tsrec", (int)getpid());
    for (int persistent = 0; persistent < 2; persistent++) {
        int failures = 0;
        for (int64_t n = 1;; n++) {
            arm(&fa, n, persistent);
            tsrec_membuf m = {NULL, 0, 0, 0};
            int rc = to_file ? tsrec_dataset_group_save(g, path)
                             : tsrec_dataset_group_save_to(g, tsrec_membuf_write, &m);
            fa.fail_at = 0;
            if (rc == TSREC_OK) {
                assert_int_equal(fa.failures, 0);
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_true(strlen(tsrec_errmsg(g)) > 0);
            failures++;
        }
        if (persistent)
            print_message("# save (%s, %s): %d allocation points failed cleanly\n",
                          pz ? "personalize" : "forecast", to_file ? "file" : "stream", failures);
        assert_true(failures >= 2);
    }
    size_t len2 = 0;
    unsigned char *got = save_bytes(g, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(want, got, len);
    free(got);
    free(want);
    unlink(path);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

static void load_every_n(int pz)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx, pz);
    size_t len = 0;
    unsigned char *bytes = save_bytes(g, &len);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
    for (int persistent = 0; persistent < 2; persistent++) {
        int failures = 0;
        for (int64_t n = 1;; n++) {
            tu_failing_alloc fa = {0, 0, 0, 0};
            tsrec_ctx *c = tu_ctx_new_failing(&fa);
            arm(&fa, n, persistent);
            tsrec_membuf m = {bytes, len, len, 0};
            tsrec_dataset_group *h = (tsrec_dataset_group *)(uintptr_t)1;
            int rc = tsrec_dataset_group_load_from(c, tsrec_membuf_read, &m, &h);
            fa.fail_at = 0;
            if (rc == TSREC_OK) {
                assert_int_equal(fa.failures, 0);
                size_t l2 = 0;
                unsigned char *again = save_bytes(h, &l2);
                assert_int_equal(l2, len);
                assert_memory_equal(again, bytes, len);
                free(again);
                tsrec_dataset_group_free(h);
                tu_ctx_free_checked(c);
                break;
            }
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(h);
            assert_true(strlen(tsrec_errmsg(c)) > 0);
            tu_ctx_free_checked(c);
            failures++;
        }
        if (persistent)
            print_message("# load (%s): %d allocation points failed cleanly\n",
                          pz ? "personalize" : "forecast", failures);
        assert_true(failures >= 10);
    }
    free(bytes);
}

static void test_save_forecast(void **state)
{
    (void)state;
    save_every_n(0, 0);
}

static void test_save_personalize(void **state)
{
    (void)state;
    save_every_n(1, 0);
}

static void test_save_file(void **state)
{
    (void)state;
    save_every_n(1, 1);
}

static void test_load_forecast(void **state)
{
    (void)state;
    load_every_n(0);
}

static void test_load_personalize(void **state)
{
    (void)state;
    load_every_n(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_forecast),
        cmocka_unit_test(test_save_personalize),
        cmocka_unit_test(test_save_file),
        cmocka_unit_test(test_load_forecast),
        cmocka_unit_test(test_load_personalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
