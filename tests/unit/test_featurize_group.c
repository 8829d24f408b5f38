/* Featurization from datasets: a RETAIL dataset group with target (item,
 * location dimension), related (price, by item only) and item metadata,
 * imported through the public row API and turned into a batch. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "data_internal.h"
#include "featurize_internal.h"
#include "time_internal.h"

static const char *TTS_SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"demand\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"}]}";
static const char *RTS_SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"price\",\"AttributeType\":\"float\"}]}";
static const char *RTS_BAD_DIM_SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"store\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"price\",\"AttributeType\":\"float\"}]}";
static const char *IM_SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"category\",\"AttributeType\":\"string\"}]}";

static tsrec_dataset *make_ds(tsrec_ctx *ctx, tsrec_dataset_group *g, const char *name,
                              const char *type, const char *schema_json, const char *freq)
{
    tsrec_schema *s = NULL;
    if (tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, schema_json, strlen(schema_json),
                           &s) != TSREC_OK)
        fail_msg("schema: %s", tsrec_errmsg(ctx));
    tsrec_dataset *ds = NULL;
    if (tsrec_dataset_group_create_dataset(g, name, type, s, freq, &ds) != TSREC_OK)
        fail_msg("dataset: %s", tsrec_errmsg(g));
    tsrec_schema_free(s);
    return ds;
}

static void import(tsrec_dataset *ds, const char *const *cells, int64_t n_rows, int64_t n_cols)
{
    if (tsrec_dataset_import_rows(ds, cells, n_rows, n_cols, NULL, NULL) != TSREC_OK)
        fail_msg("import: %s", tsrec_errmsg(ds));
}

/* Target, daily, 2024-01-01 .. 01-04:
 *   (a, east): 1, 2, -, 4      (a, west): 10 (twice on 01-02: 5 + 5), -, -
 *   (b, east): 7 on 01-03      (c, east): 3 on 01-01 -- no related data
 * Related price by item: a 1.0 .. 01-05 (horizon 1), b 01-01 .. 01-04.
 * Metadata: a -> toys, b -> food (c absent). */
static const char *const TTS_ROWS[] = {
    "a", "2024-01-01 00:00:00", "1", "east", "a", "2024-01-02 00:00:00", "2", "east",
    "a", "2024-01-04 00:00:00", "4", "east", "a", "2024-01-02 10:00:00", "5", "west",
    "a", "2024-01-02 20:00:00", "5", "west", "b", "2024-01-03 00:00:00", "7", "east",
    "c", "2024-01-01 00:00:00", "3", "east",
};
static const char *const RTS_ROWS[] = {
    "a", "2024-01-01 00:00:00", "1.5", "a", "2024-01-02 00:00:00", "2.5",
    "a", "2024-01-03 00:00:00", "3.5", "a", "2024-01-04 00:00:00", "4.5",
    "a", "2024-01-05 00:00:00", "5.5", "b", "2024-01-01 00:00:00", "9",
    "b", "2024-01-04 00:00:00", "8",
};
static const char *const IM_ROWS[] = {"a", "toys", "b", "food"};

static void spec_init(tsrec__featurize_spec *sp, tsrec__fill_config *price)
{
    memset(sp, 0, sizeof *sp);
    sp->freq = TSREC__FREQ_D;
    sp->horizon = 1;
    tsrec__fill_config_target(&sp->target);
    sp->target.method[TSREC__REGION_MIDDLE] = TSREC__FILL_NAN;
    tsrec__fill_config_related(price);
    price->method[TSREC__REGION_MIDDLE] = TSREC__FILL_MEAN;
    price->method[TSREC__REGION_BACK] = TSREC__FILL_ZERO;
    price->method[TSREC__REGION_FUTURE] = TSREC__FILL_MAX;
    static const char *const names[] = {"price"};
    sp->n_related_cfg = 1;
    sp->related_names = names;
    sp->related_cfgs = price;
}

static int64_t item_code(tsrec_dataset_group *g, const char *id)
{
    return tsrec__strdict_lookup(&g->items, id, strlen(id));
}

static void test_group_batch(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "shop", TSREC_SERVICE_FORECAST, "RETAIL", &g),
                     TSREC_OK);
    tsrec_dataset *tts = make_ds(ctx, g, "sales", "TARGET_TIME_SERIES", TTS_SCHEMA, "H");
    tsrec_dataset *rts = make_ds(ctx, g, "prices", "RELATED_TIME_SERIES", RTS_SCHEMA, "D");
    tsrec_dataset *im = make_ds(ctx, g, "meta", "ITEM_METADATA", IM_SCHEMA, NULL);
    import(tts, TTS_ROWS, 7, 4);
    import(rts, RTS_ROWS, 7, 3);
    import(im, IM_ROWS, 2, 2);
    tsrec__featurize_spec sp;
    tsrec__fill_config price;
    spec_init(&sp, &price);
    tsrec__series_batch b;
    int rc = tsrec__featurize_group(&b, g, &g->hdr, &sp);
    if (rc != TSREC_OK)
        fail_msg("featurize_group: %s", tsrec_errmsg(g));
    /* series in first-seen order: (a, east), (a, west), (b, east); c dropped */
    assert_int_equal(b.n_series, 3);
    assert_int_equal(b.n_time, 4);
    assert_int_equal(b.n_dims, 1);
    assert_int_equal(b.t0, 1704067200); /* 2024-01-01 */
    int64_t a = item_code(g, "a"), bb = item_code(g, "b"), c = item_code(g, "c");
    assert_int_equal(b.item[0], a);
    assert_int_equal(b.item[1], a);
    assert_int_equal(b.item[2], bb);
    assert_true(b.dims[0] == b.dims[2] && b.dims[0] != b.dims[1]);
    assert_int_equal(b.n_dropped, 1);
    assert_int_equal(b.dropped[0], c);
    assert_int_equal(b.dropped[1], b.dims[0]); /* east */
    const double y0[] = {1, 2, NAN, 4}, y1[] = {NAN, 10, 0, 0}, y2[] = {NAN, NAN, 7, 0};
    const double *want[] = {y0, y1, y2};
    for (int64_t s = 0; s < 3; s++)
        for (int64_t t = 0; t < 4; t++) {
            double got = tsrec__series_batch_y(&b, s)[t];
            if (isnan(want[s][t]) ? !isnan(got) : got != want[s][t])
                fail_msg("y[%lld][%lld] = %g", (long long)s, (long long)t, got);
        }
    /* related: (a, *) share a's prices; b has a middle gap and futurefill */
    assert_int_equal(b.n_related, 1);
    assert_string_equal(b.related_names[0], "price");
    assert_int_equal(b.n_time_related, 5);
    const double pa[] = {1.5, 2.5, 3.5, 4.5, 5.5}, pb[] = {9, 9, 9, 8, 9};
    for (int64_t t = 0; t < 5; t++) {
        assert_true(tsrec__series_batch_related(&b, 0, 0)[t] == pa[t]);
        assert_true(tsrec__series_batch_related(&b, 0, 1)[t] == pa[t]);
        assert_true(tsrec__series_batch_related(&b, 0, 2)[t] == pb[t]);
    }
    /* metadata codes: a and b have different categories */
    assert_int_equal(b.n_meta, 1);
    assert_true(b.meta[0] >= 0 && b.meta[0] == b.meta[1] && b.meta[2] >= 0 &&
                b.meta[2] != b.meta[0]);
    tsrec__series_batch_free(&b);

    /* forecast weekly from hourly data with a daily RTS: refused (RTS must
     * have the forecast frequency) */
    sp.freq = TSREC__FREQ_W;
    assert_int_equal(tsrec__featurize_group(&b, g, &g->hdr, &sp), TSREC_E_INVALID_ARG);
    assert_non_null(strstr(tsrec_errmsg(g), "frequency"));
    assert_null(b.y);
    /* a related attribute without a filling config: needed fills unset */
    sp.freq = TSREC__FREQ_D;
    sp.n_related_cfg = 0;
    assert_int_equal(tsrec__featurize_group(&b, g, &g->hdr, &sp), TSREC_E_INVALID_ARG);
    assert_non_null(strstr(tsrec_errmsg(g), "'price'"));
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

static void test_group_errors(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "shop", TSREC_SERVICE_FORECAST, "RETAIL", &g),
                     TSREC_OK);
    tsrec__featurize_spec sp;
    tsrec__fill_config price;
    spec_init(&sp, &price);
    tsrec__series_batch b;
    /* no target dataset */
    assert_int_equal(tsrec__featurize_group(&b, g, &g->hdr, &sp), TSREC_E_EMPTY);
    tsrec_dataset *tts = make_ds(ctx, g, "sales", "TARGET_TIME_SERIES", TTS_SCHEMA, "D");
    /* empty target dataset */
    assert_int_equal(tsrec__featurize_group(&b, g, &g->hdr, &sp), TSREC_E_EMPTY);
    import(tts, TTS_ROWS, 7, 4);
    /* daily data cannot be forecast hourly */
    sp.freq = TSREC__FREQ_H;
    assert_int_equal(tsrec__featurize_group(&b, g, &g->hdr, &sp), TSREC_E_INVALID_ARG);
    sp.freq = TSREC__FREQ_D;
    /* related dimension that the target lacks */
    tsrec_dataset *rts = make_ds(ctx, g, "prices", "RELATED_TIME_SERIES", RTS_BAD_DIM_SCHEMA,
                                 "D");
    const char *const rows[] = {"a", "2024-01-01 00:00:00", "s1", "1.0"};
    import(rts, rows, 1, 4);
    assert_int_equal(tsrec__featurize_group(&b, g, &g->hdr, &sp), TSREC_E_SCHEMA);
    assert_non_null(strstr(tsrec_errmsg(g), "'store'"));
    assert_null(b.y);
    /* bad arguments */
    assert_int_equal(tsrec__featurize_group(&b, NULL, &g->hdr, &sp), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__featurize_group(&b, g, &g->hdr, NULL), TSREC_E_INVALID_ARG);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_batch),
        cmocka_unit_test(test_group_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
