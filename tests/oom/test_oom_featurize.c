/* OOM: featurization (target batch, related features, metadata codes),
 * failing the Nth allocation for every N until the call succeeds. Each
 * failure must report TSREC_E_NOMEM, leave nothing half-built and leak
 * nothing. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "core_internal.h"
#include "data_internal.h"
#include "featurize_internal.h"
#include "time_internal.h"

#define N_ROWS 12
#define HOUR INT64_C(3600)
#define T0 INT64_C(1704067200) /* 2024-01-01T00:00:00Z */

static int64_t row_series[N_ROWS] = {0, 0, 0, 1, 1, 1, 2, 2, 0, 1, 2, 2};
static int64_t row_time[N_ROWS];
static double row_value[N_ROWS] = {1, 2, 3, 4, NAN, 6, 7, 8, 9, 10, 11, 12};

static tsrec__ts_rows make_rows(void)
{
    for (int64_t i = 0; i < N_ROWS; i++)
        row_time[i] = T0 + (i % 5) * HOUR + (i % 3) * 600;
    tsrec__ts_rows r = {N_ROWS, row_series, row_time, row_value};
    return r;
}

static void test_target_nomem(void **state)
{
    (void)state;
    tsrec__ts_rows rows = make_rows();
    for (int32_t agg = TSREC__AGG_SUM; agg <= TSREC__AGG_MAX; agg++) {
        tsrec__fill_config c;
        tsrec__fill_config_target(&c);
        c.aggregation = agg;
        c.method[TSREC__REGION_MIDDLE] = TSREC__FILL_MEDIAN;
        int64_t failed = 0;
        for (int64_t n = 1;; n++) {
            tu_failing_alloc fa = {0, 0, 0, 0};
            tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
            fa.calls = 0;
            fa.fail_at = n;
            tsrec__series_batch sb;
            int rc = tsrec__featurize_target(&sb, ctx, &ctx->hdr, &rows, 3, 0,
                                             TSREC__FREQ_H, "y", &c, 1);
            if (fa.failures == 0) {
                assert_int_equal(rc, TSREC_OK);
                assert_int_equal(sb.n_time, 5);
                tsrec__series_batch_free(&sb);
                tu_ctx_free_checked(ctx);
                break;
            }
            failed++;
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_non_null(strstr(tsrec_errmsg(ctx), "out of memory"));
            assert_null(sb.y);
            assert_null(sb.ctx);
            tu_ctx_free_checked(ctx);
        }
        /* six batch arrays, plus the scratch of avg and first */
        int64_t want = (agg == TSREC__AGG_AVG || agg == TSREC__AGG_FIRST) ? 7 : 6;
        assert_int_equal(failed, want);
    }
}

static void test_related_nomem(void **state)
{
    (void)state;
    tsrec__ts_rows rows = make_rows();
    tsrec__fill_config tc;
    tsrec__fill_config_target(&tc);
    tsrec__fill_config rc_cfg[2];
    for (int f = 0; f < 2; f++) {
        tsrec__fill_config_related(&rc_cfg[f]);
        rc_cfg[f].method[TSREC__REGION_MIDDLE] = TSREC__FILL_MEAN;
        rc_cfg[f].method[TSREC__REGION_BACK] = TSREC__FILL_ZERO;
        rc_cfg[f].method[TSREC__REGION_FUTURE] = TSREC__FILL_MAX;
    }
    /* Related rows: one per (series, hour), hours 0..4 or 0..5, series 1
     * missing hour 2 (a middle gap). */
    static int64_t rs[32], rt[32];
    static double rv[32];
    int64_t nr = 0;
    for (int64_t s = 0; s < 3; s++)
        for (int64_t h = 0; h < 5 + s % 2; h++) {
            if (s == 1 && h == 2)
                continue;
            rs[nr] = s;
            rt[nr] = T0 + h * HOUR;
            rv[nr] = (double)(10 * s + h);
            nr++;
        }
    tsrec__ts_rows one = {nr, rs, rt, rv};
    tsrec__ts_rows rel[2] = {one, one};
    const char *names[2] = {"price", "promo"};
    int64_t failed = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec__series_batch sb;
        assert_int_equal(tsrec__featurize_target(&sb, ctx, &ctx->hdr, &rows, 3, 0,
                                                 TSREC__FREQ_H, "y", &tc, 0),
                         TSREC_OK);
        fa.calls = 0;
        fa.fail_at = n;
        int rc = tsrec__featurize_related(&sb, &ctx->hdr, 3, 2, rel, names, rc_cfg, 0);
        int done = fa.failures == 0;
        fa.fail_at = 0;
        if (done) {
            assert_int_equal(rc, TSREC_OK);
            assert_int_equal(sb.n_related, 2);
            assert_int_equal(sb.n_time_related, 8);
            assert_false(isnan(tsrec__series_batch_related(&sb, 1, 2)[7]));
        } else {
            failed++;
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(sb.related);
            assert_null(sb.related_observed);
            assert_int_equal(sb.n_related, 0);
        }
        tsrec__series_batch_free(&sb);
        tu_ctx_free_checked(ctx);
        if (done)
            break;
    }
    assert_int_equal(failed, 2);
}

static void test_meta_nomem(void **state)
{
    (void)state;
    int64_t failed = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec__series_batch sb;
        assert_int_equal(tsrec__series_batch_init(&sb, ctx, &ctx->hdr, TSREC__FREQ_D, T0, 4,
                                                  3, 1),
                         TSREC_OK);
        fa.calls = 0;
        fa.fail_at = n;
        int rc = tsrec__series_batch_add_meta(&sb, &ctx->hdr, 2);
        int done = fa.failures == 0;
        fa.fail_at = 0;
        if (done) {
            assert_int_equal(rc, TSREC_OK);
            assert_int_equal(sb.meta[7], -1);
        } else {
            failed++;
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(sb.meta);
            assert_int_equal(sb.n_meta, 0);
        }
        tsrec__series_batch_free(&sb);
        tu_ctx_free_checked(ctx);
        if (done)
            break;
    }
    assert_int_equal(failed, 1);
}

/* The dataset adapter: a RETAIL group with a dimension, related prices by
 * item (one item missing: dropped) and item metadata. */
static tsrec_dataset *make_ds(tsrec_ctx *ctx, tsrec_dataset_group *g, const char *name,
                              const char *type, const char *json, const char *freq,
                              const char *const *cells, int64_t n_rows, int64_t n_cols)
{
    tsrec_schema *sc = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, json, strlen(json), &sc),
                     TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, name, type, sc, freq, &ds),
                     TSREC_OK);
    tsrec_schema_free(sc);
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, n_rows, n_cols, NULL, NULL),
                     TSREC_OK);
    return ds;
}

#define ATTR(n, t) "{\"AttributeName\":\"" n "\",\"AttributeType\":\"" t "\"}"

static void test_group_nomem(void **state)
{
    (void)state;
    static const char *const tts_rows[] = {
        "a", "2024-01-01 00:00:00", "1", "east", "a", "2024-01-03 00:00:00", "2", "east",
        "a", "2024-01-02 00:00:00", "5", "west", "b", "2024-01-02 00:00:00", "7", "east",
        "c", "2024-01-01 00:00:00", "3", "east"};
    static const char *const rts_rows[] = {
        "a", "2024-01-01 00:00:00", "1.5", "a", "2024-01-03 00:00:00", "2.5",
        "b", "2024-01-01 00:00:00", "9"};
    static const char *const im_rows[] = {"a", "toys", "b", "food"};
    const char *tts_json = "{\"Attributes\":[" ATTR("item_id", "string") ","
        ATTR("timestamp", "timestamp") "," ATTR("demand", "float") ","
        ATTR("location", "string") "]}";
    const char *rts_json = "{\"Attributes\":[" ATTR("item_id", "string") ","
        ATTR("timestamp", "timestamp") "," ATTR("price", "float") "]}";
    const char *im_json = "{\"Attributes\":[" ATTR("item_id", "string") ","
        ATTR("category", "string") "]}";
    tsrec__fill_config price;
    tsrec__fill_config_related(&price);
    price.method[TSREC__REGION_MIDDLE] = TSREC__FILL_MEDIAN;
    price.method[TSREC__REGION_BACK] = TSREC__FILL_ZERO;
    price.method[TSREC__REGION_FUTURE] = TSREC__FILL_MIN;
    static const char *const names[] = {"price"};
    tsrec__featurize_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.freq = TSREC__FREQ_D;
    sp.horizon = 2;
    tsrec__fill_config_target(&sp.target);
    sp.target.aggregation = TSREC__AGG_FIRST;
    sp.n_related_cfg = 1;
    sp.related_names = names;
    sp.related_cfgs = &price;
    int64_t failed = 0;
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec_dataset_group *g = NULL;
        assert_int_equal(tsrec_dataset_group_new(ctx, "shop", TSREC_SERVICE_FORECAST, "RETAIL",
                                                 &g),
                         TSREC_OK);
        make_ds(ctx, g, "sales", "TARGET_TIME_SERIES", tts_json, "D", tts_rows, 5, 4);
        make_ds(ctx, g, "prices", "RELATED_TIME_SERIES", rts_json, "D", rts_rows, 3, 3);
        make_ds(ctx, g, "meta", "ITEM_METADATA", im_json, NULL, im_rows, 2, 2);
        fa.calls = 0;
        fa.fail_at = n;
        tsrec__series_batch b;
        int rc = tsrec__featurize_group(&b, g, &g->hdr, &sp);
        int done = fa.failures == 0;
        fa.fail_at = 0;
        if (done) {
            assert_int_equal(rc, TSREC_OK);
            assert_int_equal(b.n_series, 3);
            assert_int_equal(b.n_dropped, 1);
            assert_int_equal(b.n_time_related, 5);
            assert_int_equal(b.n_meta, 1);
        } else {
            failed++;
            assert_int_equal(rc, TSREC_E_NOMEM);
            assert_null(b.y);
            assert_null(b.ctx);
        }
        tsrec__series_batch_free(&b);
        tsrec_dataset_group_free(g);
        tu_ctx_free_checked(ctx);
        if (done)
            break;
    }
    assert_true(failed >= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_nomem),
        cmocka_unit_test(test_related_nomem),
        cmocka_unit_test(test_meta_nomem),
        cmocka_unit_test(test_group_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
