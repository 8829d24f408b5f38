/* Out of memory in the predictor / forecast API: every allocation of
 * tsrec_predictor_create, tsrec_forecast_create (also with a
 * TimeSeriesSelector file), the accuracy JSON, the
 * query JSON and the exports fails in turn; each failure is TSREC_E_NOMEM,
 * leaves nothing allocated, and the call succeeds once memory suffices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static const char *SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}";

static const char *REQ_NPTS =
    "{\"PredictorName\":\"p\",\"AlgorithmArn\":\"NPTS\",\"ForecastHorizon\":4,"
    "\"TrainingParameters\":{\"num_samples\":\"10\"},"
    "\"ForecastTypes\":[\"0.5\",\"mean\"],"
    "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";
static const char *REQ_NAIVE =
    "{\"PredictorName\":\"p\",\"AlgorithmArn\":\"SeasonalNaive\",\"ForecastHorizon\":4,"
    "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":2},"
    "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";
/* AutoML over the baselines (libtsrec's AutoMLCandidates): Theta fits SES. */
static const char *REQ_THETA =
    "{\"PredictorName\":\"p\",\"PerformAutoML\":true,\"ForecastHorizon\":4,"
    "\"AutoMLCandidates\":[\"Theta\",\"SeasonalNaive\"],"
    "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";

static tsrec_dataset_group *make_group(tsrec_ctx *ctx)
{
    tsrec_schema *schema = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, SCHEMA, strlen(SCHEMA),
                                        &schema),
                     TSREC_OK);
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g", TSREC_SERVICE_FORECAST, "CUSTOM", &g),
                     TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(
        tsrec_dataset_group_create_dataset(g, "d", "TARGET_TIME_SERIES", schema, "H", &ds),
        TSREC_OK);
    tsrec_schema_free(schema);
    enum { N = 2 * 48 };
    static char text[N][2][32];
    const char *cells[N * 3];
    for (int r = 0; r < N; r++) {
        int t = r % 48;
        snprintf(text[r][0], 32, "2021-03-%02d %02d:00:00", 1 + t / 24, t % 24);
        snprintf(text[r][1], 32, "%d", 5 + (t % 24) + 3 * (r / 48) + (t * 7) % 3);
        cells[r * 3] = text[r][0];
        cells[r * 3 + 1] = text[r][1];
        cells[r * 3 + 2] = r < 48 ? "a" : "b";
    }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, N, 3, NULL, NULL), TSREC_OK);
    return g;
}

enum {
    OP_PREDICTOR,
    OP_FORECAST,
    OP_ACCURACY,
    OP_QUERY,
    OP_EXPORT,
    OP_BACKTEST_EXPORT,
    OP_FORECAST_SELECTOR
};

static char g_dir[64];

static int run_op(int op, tsrec_dataset_group *g, tsrec_predictor *p, tsrec_forecast *f,
                  const char *req, void **made)
{
    size_t len = 0;
    char path[128];
    switch (op) {
    case OP_PREDICTOR:
        return tsrec_predictor_create(g, req, strlen(req), (tsrec_predictor **)made);
    case OP_FORECAST:
        return tsrec_forecast_create(p, NULL, 0, (tsrec_forecast **)made);
    case OP_ACCURACY:
        return tsrec_predictor_accuracy_json(p, NULL, 0, &len);
    case OP_QUERY:
        return tsrec_forecast_query_json(f, "{\"item_id\":\"b\"}", 15, NULL, 0, &len);
    case OP_EXPORT:
        snprintf(path, sizeof path, "%s/f.csv", g_dir);
        return tsrec_forecast_export_csv(f, path);
    case OP_FORECAST_SELECTOR: {
        /* sel.csv (written by test_outputs) names "b" and an unknown item. */
        char sel[512];
        snprintf(sel, sizeof sel,
                 "{\"TimeSeriesSelector\":{\"TimeSeriesIdentifiers\":{\"DataSource\":"
                 "{\"S3Config\":{\"Path\":\"%s/sel.csv\"}},\"Schema\":{\"Attributes\":"
                 "[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}}}}",
                 g_dir);
        return tsrec_forecast_create(p, sel, strlen(sel), (tsrec_forecast **)made);
    }
    default:
        return tsrec_predictor_export_backtest(p, g_dir, "bt");
    }
}

static void every_n(int op, const char *req)
{
    for (int64_t n = 1;; n++) {
        tu_failing_alloc fa = {0, 0, 0, 0};
        tsrec_ctx *ctx = tu_ctx_new_failing(&fa);
        tsrec_dataset_group *g = make_group(ctx);
        tsrec_predictor *p = NULL;
        tsrec_forecast *f = NULL;
        if (op != OP_PREDICTOR)
            assert_int_equal(tsrec_predictor_create(g, req, strlen(req), &p), TSREC_OK);
        if (op == OP_QUERY || op == OP_EXPORT)
            assert_int_equal(tsrec_forecast_create(p, NULL, 0, &f), TSREC_OK);
        size_t live0 = 0, live = 0;
        assert_int_equal(tsrec_ctx_memory_stats(ctx, &live0, NULL, NULL), TSREC_OK);
        void *made = NULL;
        fa.calls = 0;
        fa.persistent = 1;
        fa.fail_at = n;
        int st = run_op(op, g, p, f, req, &made);
        fa.fail_at = 0;
        if (st != TSREC_OK) {
            if (st != TSREC_E_NOMEM)
                fail_msg("op %d n=%lld: status %d, want TSREC_E_NOMEM", op, (long long)n, st);
            assert_null(made);
            assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, NULL, NULL), TSREC_OK);
            assert_int_equal(live, live0);
        }
        if (op == OP_PREDICTOR)
            tsrec_predictor_free(made);
        if (op == OP_FORECAST || op == OP_FORECAST_SELECTOR)
            tsrec_forecast_free(made);
        tsrec_forecast_free(f);
        tsrec_predictor_free(p);
        tsrec_dataset_group_free(g);
        tu_ctx_free_checked(ctx);
        if (st == TSREC_OK) {
            printf("# op %d: succeeded after %lld failed allocations\n", op, (long long)(n - 1));
            assert_true(n > 1); /* the operation allocates */
            break;
        }
    }
}

static void test_predictor_create(void **state)
{
    (void)state;
    every_n(OP_PREDICTOR, REQ_NPTS);
    every_n(OP_PREDICTOR, REQ_NAIVE);
    every_n(OP_PREDICTOR, REQ_THETA);
}

static void test_forecast_create(void **state)
{
    (void)state;
    every_n(OP_FORECAST, REQ_NPTS);
    every_n(OP_FORECAST, REQ_THETA);
}

static void test_outputs(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/tsrec_oomfc_XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    every_n(OP_ACCURACY, REQ_NAIVE);
    every_n(OP_QUERY, REQ_NAIVE);
    every_n(OP_EXPORT, REQ_NAIVE);
    every_n(OP_BACKTEST_EXPORT, REQ_NAIVE);
    char sel[128];
    snprintf(sel, sizeof sel, "%s/sel.csv", g_dir);
    FILE *fp = fopen(sel, "w");
    assert_non_null(fp);
    fputs("b\nnobody\n", fp);
    assert_int_equal(fclose(fp), 0);
    every_n(OP_FORECAST_SELECTOR, REQ_NAIVE);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predictor_create),
        cmocka_unit_test(test_forecast_create),
        cmocka_unit_test(test_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
