/* ForecastDimensions that list only some of the target's dimension fields:
 * a series is the item id plus the listed dimensions and the target is
 * aggregated over the others (sum by default, or the target's aggregation
 * method), as Amazon Forecast does. Checked against groups whose rows the
 * test has aggregated itself: the same data must give bit-identical
 * metrics, histories and forecasts. Also the query/export columns, the
 * related-series dimension rule, bad dimension lists and a save/load
 * round trip. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#define N_HOURS 336 /* two weeks */
#define HORIZON 24
#define N_SUB 8     /* item x location x channel */

static const char *const ITEM[N_SUB] = {"a", "a", "a", "a", "b", "b", "b", "b"};
static const char *const LOC[N_SUB] = {"NYC", "NYC", "SF", "SF", "NYC", "NYC", "SF", "SF"};
static const char *const CHAN[N_SUB] = {"web", "shop", "web", "shop",
                                        "web", "shop", "web", "shop"};
/* b/SF/shop starts two days late: the aggregate has fewer parts there. */
static int first_hour(int s)
{
    return s == 7 ? 48 : 0;
}

/* Multiples of 1/8 below 1000: exact in float and in any sum of four, so
 * aggregating here and in the library gives the same numbers. */
static double value_at(int s, int t)
{
    double v = 20.0 + 5.0 * s + 6.0 * sin(2.0 * M_PI * (double)(t % 24) / 24.0) +
               0.37 * (double)((t * 7 + s * 13) % 11);
    return floor(v * 8.0) / 8.0;
}

static const char *SCHEMA_FULL =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"channel\",\"AttributeType\":\"string\"}]}";
static const char *SCHEMA_LOC =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"}]}";
static const char *SCHEMA_ITEM =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"}]}";

/* How the reference group is built: which columns it keeps, and whether
 * it sums or averages the parts that fall together. */
enum { KEEP_ITEM = 1, KEEP_LOC = 2, KEEP_ALL = 3 };

static tsrec_dataset_group *new_group(tsrec_ctx *ctx, const char *schema_json,
                                      tsrec_dataset **out_ds)
{
    tsrec_schema *schema = NULL;
    assert_int_equal(
        tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, schema_json, strlen(schema_json), &schema),
        TSREC_OK);
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", TSREC_SERVICE_FORECAST, "CUSTOM", &g),
                     TSREC_OK);
    assert_int_equal(
        tsrec_dataset_group_create_dataset(g, "tts", "TARGET_TIME_SERIES", schema, "H", out_ds),
        TSREC_OK);
    tsrec_schema_free(schema);
    return g;
}

static void stamp(char *buf, int t)
{
    snprintf(buf, 32, "2020-01-%02d %02d:00:00", 1 + t / 24, t % 24);
}

/* The raw group: every sub-series as its own rows (hour-major, so items
 * are first seen in the order a, b as in the reference groups). */
static tsrec_dataset_group *raw_group(tsrec_ctx *ctx)
{
    tsrec_dataset *ds = NULL;
    tsrec_dataset_group *g = new_group(ctx, SCHEMA_FULL, &ds);
    const char **cells = calloc((size_t)N_SUB * N_HOURS * 5, sizeof(char *));
    char (*text)[2][32] = calloc((size_t)N_SUB * N_HOURS, sizeof(*text));
    assert_non_null(cells);
    assert_non_null(text);
    int64_t r = 0;
    for (int t = 0; t < N_HOURS; t++)
        for (int s = 0; s < N_SUB; s++) {
            if (t < first_hour(s))
                continue;
            stamp(text[r][0], t);
            snprintf(text[r][1], 32, "%.3f", value_at(s, t));
            const char *row[5] = {ITEM[s], text[r][0], text[r][1], LOC[s], CHAN[s]};
            memcpy(&cells[r * 5], row, sizeof row);
            r++;
        }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, r, 5, NULL, NULL), TSREC_OK);
    free(cells);
    free(text);
    return g;
}

/* The reference: the test's own aggregation over the dropped columns. */
static tsrec_dataset_group *reference_group(tsrec_ctx *ctx, int keep, int average)
{
    tsrec_dataset *ds = NULL;
    tsrec_dataset_group *g = new_group(ctx, keep == KEEP_LOC ? SCHEMA_LOC : SCHEMA_ITEM, &ds);
    int ncol = keep == KEEP_LOC ? 4 : 3;
    const char **cells = calloc((size_t)N_SUB * N_HOURS * 4, sizeof(char *));
    char (*text)[2][32] = calloc((size_t)N_SUB * N_HOURS, sizeof(*text));
    assert_non_null(cells);
    assert_non_null(text);
    int64_t r = 0;
    for (int t = 0; t < N_HOURS; t++)
        for (int s = 0; s < N_SUB; s++) {
            /* s is the first sub-series of its group when no earlier one
             * shares its kept key */
            int first = 1;
            for (int u = 0; u < s && first; u++)
                first = !(strcmp(ITEM[u], ITEM[s]) == 0 &&
                          (keep != KEEP_LOC || strcmp(LOC[u], LOC[s]) == 0));
            if (!first)
                continue;
            double sum = 0.0;
            int parts = 0;
            for (int u = s; u < N_SUB; u++)
                if (strcmp(ITEM[u], ITEM[s]) == 0 &&
                    (keep != KEEP_LOC || strcmp(LOC[u], LOC[s]) == 0) && t >= first_hour(u)) {
                    sum += value_at(u, t);
                    parts++;
                }
            stamp(text[r][0], t);
            snprintf(text[r][1], 32, "%.6f", average ? sum / parts : sum);
            cells[r * ncol + 0] = ITEM[s];
            cells[r * ncol + 1] = text[r][0];
            cells[r * ncol + 2] = text[r][1];
            if (keep == KEEP_LOC)
                cells[r * ncol + 3] = LOC[s];
            r++;
        }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, r, ncol, NULL, NULL), TSREC_OK);
    free(cells);
    free(text);
    return g;
}

static char g_req[2048];

/* An ETS request with ForecastDimensions `dims` (a JSON array, or NULL to
 * leave it out) and optional target aggregation. */
static const char *request(const char *dims, const char *aggregation)
{
    char feat[512] = "";
    if (aggregation != NULL)
        snprintf(feat, sizeof feat,
                 ",\"Featurizations\":[{\"AttributeName\":\"target_value\","
                 "\"FeaturizationPipeline\":[{\"FeaturizationMethodName\":\"filling\","
                 "\"FeaturizationMethodParameters\":{\"aggregation\":\"%s\"}}]}]",
                 aggregation);
    char dl[256] = "";
    if (dims != NULL)
        snprintf(dl, sizeof dl, ",\"ForecastDimensions\":%s", dims);
    snprintf(g_req, sizeof g_req,
             "{\"PredictorName\":\"p\",\"AlgorithmArn\":\"ETS\",\"ForecastHorizon\":%d,"
             "\"ForecastTypes\":[\"0.1\",\"0.5\",\"0.9\",\"mean\"],"
             "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":2},"
             "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"%s%s}}",
             HORIZON, dl, feat);
    return g_req;
}

static tsrec_predictor *create_ok(tsrec_dataset_group *g, const char *req)
{
    tsrec_predictor *p = NULL;
    int rc = tsrec_predictor_create(g, req, strlen(req), &p);
    if (rc != TSREC_OK)
        print_error("create: %s\n", tsrec_errmsg(g));
    assert_int_equal(rc, TSREC_OK);
    return p;
}

static tsrec_forecast *forecast_ok(tsrec_predictor *p)
{
    tsrec_forecast *f = NULL;
    assert_int_equal(tsrec_forecast_create(p, NULL, 0, &f), TSREC_OK);
    return f;
}

/* Metrics, history and forecast of (item, dims) agree bit for bit. */
static void assert_same_series(const tsrec_predictor *p, const tsrec_forecast *f,
                               const tsrec_predictor *ref_p, const tsrec_forecast *ref_f,
                               const char *item, const char *const *dims, int64_t n_dims)
{
    static const char *const metrics[] = {"AverageWeightedQuantileLoss", "WAPE", "RMSE", "MASE"};
    for (int m = 0; m < 4; m++) {
        double a = NAN, b = NAN;
        assert_int_equal(tsrec_predictor_metric(p, TSREC_WINDOW_SUMMARY, metrics[m], 0, &a),
                         TSREC_OK);
        assert_int_equal(tsrec_predictor_metric(ref_p, TSREC_WINDOW_SUMMARY, metrics[m], 0, &b),
                         TSREC_OK);
        if (memcmp(&a, &b, sizeof a) != 0)
            fail_msg("%s: %.17g vs reference %.17g", metrics[m], a, b);
    }
    if (n_dims == 0) { /* history is by item only */
        int64_t n = 0, nr = 0;
        assert_int_equal(tsrec_predictor_history(p, item, NULL, NULL, 0, &n), TSREC_OK);
        assert_int_equal(tsrec_predictor_history(ref_p, item, NULL, NULL, 0, &nr), TSREC_OK);
        assert_int_equal(n, nr);
        double *v = malloc((size_t)n * sizeof(double)), *vr = malloc((size_t)n * sizeof(double));
        assert_int_equal(tsrec_predictor_history(p, item, NULL, v, n, &n), TSREC_OK);
        assert_int_equal(tsrec_predictor_history(ref_p, item, NULL, vr, n, &nr), TSREC_OK);
        assert_memory_equal(v, vr, (size_t)n * sizeof(double));
        free(v);
        free(vr);
    }
    int64_t ts[HORIZON], ts_r[HORIZON];
    double v[4 * HORIZON], vr[4 * HORIZON];
    assert_int_equal(tsrec_forecast_query(f, item, dims, n_dims, ts, v), TSREC_OK);
    assert_int_equal(tsrec_forecast_query(ref_f, item, dims, n_dims, ts_r, vr), TSREC_OK);
    assert_memory_equal(ts, ts_r, sizeof ts);
    assert_memory_equal(v, vr, sizeof v);
}

static void check_against(tsrec_ctx *ctx, tsrec_dataset_group *raw, const char *dims, int keep,
                          const char *aggregation)
{
    tsrec_dataset_group *ref = reference_group(ctx, keep, aggregation != NULL &&
                                                          strcmp(aggregation, "avg") == 0);
    tsrec_predictor *p = create_ok(raw, request(dims, aggregation));
    tsrec_predictor *rp = create_ok(ref, request(keep == KEEP_LOC ? "[\"location\"]" : NULL,
                                                 aggregation));
    tsrec_forecast *f = forecast_ok(p), *rf = forecast_ok(rp);
    int64_t ns = 0, h = 0, nt = 0;
    assert_int_equal(tsrec_forecast_dims(f, &ns, &h, &nt), TSREC_OK);
    assert_int_equal(ns, keep == KEEP_LOC ? 4 : 2);
    if (keep == KEEP_LOC) {
        static const char *const locs[2] = {"NYC", "SF"};
        for (int i = 0; i < 2; i++)
            for (int l = 0; l < 2; l++)
                assert_same_series(p, f, rp, rf, i ? "b" : "a", &locs[l], 1);
    } else {
        assert_same_series(p, f, rp, rf, "a", NULL, 0);
        assert_same_series(p, f, rp, rf, "b", NULL, 0);
    }
    tsrec_forecast_free(f);
    tsrec_forecast_free(rf);
    tsrec_predictor_free(p);
    tsrec_predictor_free(rp);
    tsrec_dataset_group_free(ref);
}

/* No ForecastDimensions (and an empty list): one series per item, the sum
 * of its four location x channel parts. */
static void test_sum_over_every_dimension(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *raw = raw_group(ctx);
    check_against(ctx, raw, NULL, KEEP_ITEM, NULL);
    check_against(ctx, raw, "[]", KEEP_ITEM, NULL);
    tsrec_dataset_group_free(raw);
    tu_ctx_free_checked(ctx);
}

/* ForecastDimensions ["location"]: channel is summed, or averaged when the
 * target's aggregation is avg (b/SF has one part for two days, two after:
 * averages of one or two parts stay exact, so the reference is too). */
static void test_some_dimensions(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *raw = raw_group(ctx);
    check_against(ctx, raw, "[\"location\"]", KEEP_LOC, NULL);
    check_against(ctx, raw, "[\"location\"]", KEEP_LOC, "avg");
    tsrec_dataset_group_free(raw);
    tu_ctx_free_checked(ctx);
}

/* Listing every dimension keeps every sub-series, in any listed order;
 * query dimensions follow the ForecastDimensions order. */
static void test_every_dimension_any_order(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *raw = raw_group(ctx);
    tsrec_predictor *p = create_ok(raw, request("[\"channel\",\"location\"]", NULL));
    tsrec_forecast *f = forecast_ok(p);
    int64_t ns = 0, h = 0, nt = 0;
    assert_int_equal(tsrec_forecast_dims(f, &ns, &h, &nt), TSREC_OK);
    assert_int_equal(ns, N_SUB);
    double v[4 * HORIZON];
    const char *chan_loc[2] = {"shop", "SF"}, *loc_chan[2] = {"SF", "shop"};
    assert_int_equal(tsrec_forecast_query(f, "b", chan_loc, 2, NULL, v), TSREC_OK);
    assert_int_equal(tsrec_forecast_query(f, "b", loc_chan, 2, NULL, v), TSREC_E_UNKNOWN_NAME);
    tsrec_forecast_free(f);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(raw);
    tu_ctx_free_checked(ctx);
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    fclose(fp);
    buf[n] = 0;
    return buf;
}

/* Query and export name only the listed dimensions; filtering on an
 * aggregated one is refused. */
static void test_query_and_export_columns(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *raw = raw_group(ctx);
    tsrec_predictor *p = create_ok(raw, request("[\"location\"]", NULL));
    tsrec_forecast *f = forecast_ok(p);
    size_t len = 0;
    const char *ok = "{\"item_id\":\"a\",\"location\":\"SF\"}";
    assert_int_equal(tsrec_forecast_query_json(f, ok, strlen(ok), NULL, 0, &len), TSREC_OK);
    const char *bad = "{\"item_id\":\"a\",\"location\":\"SF\",\"channel\":\"web\"}";
    assert_int_equal(tsrec_forecast_query_json(f, bad, strlen(bad), NULL, 0, &len),
                     TSREC_E_INVALID_ARG);
    char dir[] = "/tmp/tsrec_dims_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/f.csv", dir);
    assert_int_equal(tsrec_forecast_export_csv(f, path), TSREC_OK);
    char *csv = read_all(path);
    assert_int_equal(strncmp(csv, "item_id,location,date,p10,p50,p90,mean\n", 39), 0);
    assert_non_null(strstr(csv, "\nb,SF,2020-01-15T00:00:00Z,"));
    assert_null(strstr(csv, "web"));
    free(csv);
    assert_int_equal(unlink(path), 0);
    tsrec_forecast_free(f);
    tsrec_predictor_free(p);

    p = create_ok(raw, request(NULL, NULL));
    f = forecast_ok(p);
    assert_int_equal(tsrec_forecast_export_csv(f, path), TSREC_OK);
    csv = read_all(path);
    assert_int_equal(strncmp(csv, "item_id,date,p10,p50,p90,mean\n", 30), 0);
    free(csv);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    tsrec_forecast_free(f);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(raw);
    tu_ctx_free_checked(ctx);
}

/* Bad lists: unknown or non-dimension fields, duplicates, too many; and a
 * related series keyed by a dimension the forecast aggregates away. Nothing
 * is created. */
static void test_bad_dimension_lists(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *raw = raw_group(ctx);
    static const struct {
        const char *dims;
        int status;
        const char *needle;
    } cases[] = {
        {"[\"store\"]", TSREC_E_UNKNOWN_NAME, "store"},
        {"[\"target_value\"]", TSREC_E_UNKNOWN_NAME, "target_value"},
        {"[\"item_id\"]", TSREC_E_UNKNOWN_NAME, "item_id"},
        {"[\"location\",\"location\"]", TSREC_E_DUPLICATE, "twice"},
        {"[1]", TSREC_E_BAD_TYPE, "ForecastDimensions"},
        {"\"location\"", TSREC_E_BAD_TYPE, "ForecastDimensions"},
        {"[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]",
         TSREC_E_INVALID_ARG, "at most 10"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tsrec_predictor *p = (tsrec_predictor *)1;
        const char *req = request(cases[i].dims, NULL);
        int rc = tsrec_predictor_create(raw, req, strlen(req), &p);
        if (rc != cases[i].status || strstr(tsrec_errmsg(raw), cases[i].needle) == NULL)
            fail_msg("%s: got %d (%s)", cases[i].dims, rc, tsrec_errmsg(raw));
        assert_null(p);
    }

    /* A related series with a location dimension. */
    const char *rts_json =
        "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
        "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
        "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"},"
        "{\"AttributeName\":\"price\",\"AttributeType\":\"float\"}]}";
    tsrec_schema *s = NULL;
    assert_int_equal(
        tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, rts_json, strlen(rts_json), &s),
        TSREC_OK);
    tsrec_dataset *rts = NULL;
    assert_int_equal(
        tsrec_dataset_group_create_dataset(raw, "rts", "RELATED_TIME_SERIES", s, "H", &rts),
        TSREC_OK);
    tsrec_schema_free(s);
    static char text[2 * 2 * (N_HOURS + HORIZON)][32];
    const char **cells = calloc((size_t)4 * 2 * 2 * (N_HOURS + HORIZON), sizeof(char *));
    assert_non_null(cells);
    int64_t r = 0;
    for (int i = 0; i < 2; i++)
        for (int l = 0; l < 2; l++)
            for (int t = 0; t < N_HOURS + HORIZON; t++, r++) {
                stamp(text[r], t);
                cells[r * 4 + 0] = i ? "b" : "a";
                cells[r * 4 + 1] = text[r];
                cells[r * 4 + 2] = l ? "SF" : "NYC";
                cells[r * 4 + 3] = "9.5";
            }
    assert_int_equal(tsrec_dataset_import_rows(rts, cells, r, 4, NULL, NULL), TSREC_OK);
    free(cells);
    tsrec_predictor *p = (tsrec_predictor *)1;
    const char *req = request(NULL, NULL);
    assert_int_equal(tsrec_predictor_create(raw, req, strlen(req), &p), TSREC_E_SCHEMA);
    assert_non_null(strstr(tsrec_errmsg(raw), "listed in ForecastDimensions"));
    assert_null(p);
    /* Listing it makes the related series usable again. */
    p = create_ok(raw, request("[\"location\"]", NULL));
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(raw);
    tu_ctx_free_checked(ctx);
}

/* A predictor that aggregates saves and loads back with the same answers. */
static void test_save_load(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *raw = raw_group(ctx);
    tsrec_predictor *p = create_ok(raw, request("[\"location\"]", NULL));
    char path[] = "/tmp/tsrec_dims_pred_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(tsrec_predictor_save(p, path), TSREC_OK);
    tsrec_predictor *q = NULL;
    assert_int_equal(tsrec_predictor_load(raw, path, &q), TSREC_OK);
    assert_int_equal(unlink(path), 0);
    tsrec_forecast *f = forecast_ok(p), *g = forecast_ok(q);
    static const char *const sf[1] = {"SF"};
    assert_same_series(p, f, q, g, "b", sf, 1);
    tsrec_forecast_free(f);
    tsrec_forecast_free(g);
    tsrec_predictor_free(p);
    tsrec_predictor_free(q);
    tsrec_dataset_group_free(raw);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sum_over_every_dimension),
        cmocka_unit_test(test_some_dimensions),
        cmocka_unit_test(test_every_dimension_any_order),
        cmocka_unit_test(test_query_and_export_columns),
        cmocka_unit_test(test_bad_dimension_lists),
        cmocka_unit_test(test_save_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
