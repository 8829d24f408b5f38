/* Out of memory while saving and loading predictors and forecasts (io.h):
 * every allocation of each save and load fails in turn (and every one
 * after it); each failure is TSREC_E_NOMEM, creates nothing and leaves no
 * allocation behind, and the call succeeds once memory suffices. Tiny data
 * (2 series with a dimension, 48 hours) keep the loops short. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static const char *SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"region\",\"AttributeType\":\"string\"}]}";

/* NPTS has hyperparameters (some of them strings), AutoML two algorithms. */
static const char *REQ_NPTS =
    "{\"PredictorName\":\"p\",\"AlgorithmArn\":\"NPTS\",\"ForecastHorizon\":4,"
    "\"TrainingParameters\":{\"num_samples\":\"10\",\"kernel_type\":\"uniform\"},"
    "\"ForecastTypes\":[\"0.5\",\"mean\"],"
    "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\",\"ForecastDimensions\":[\"region\"]}}";
static const char *REQ_AUTOML =
    "{\"PredictorName\":\"p\",\"PerformAutoML\":true,\"ForecastHorizon\":4,"
    "\"AutoMLCandidates\":[\"Naive\",\"SeasonalNaive\"],"
    "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":2},"
    "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\",\"ForecastDimensions\":[\"region\"]}}";

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
    const char *cells[N * 4];
    for (int r = 0; r < N; r++) {
        int t = r % 48;
        snprintf(text[r][0], 32, "2021-03-%02d %02d:00:00", 1 + t / 24, t % 24);
        snprintf(text[r][1], 32, "%d", 5 + (t % 24) + 3 * (r / 48) + (t * 7) % 3);
        cells[r * 4] = text[r][0];
        cells[r * 4 + 1] = text[r][1];
        cells[r * 4 + 2] = r < 48 ? "a" : "b";
        cells[r * 4 + 3] = r < 48 ? "north" : "south";
    }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, N, 4, NULL, NULL), TSREC_OK);
    return g;
}

enum {
    OP_PSAVE_MEM,
    OP_PSAVE_FILE,
    OP_PLOAD_MEM,
    OP_PLOAD_FILE,
    OP_FSAVE_MEM,
    OP_FSAVE_FILE,
    OP_FLOAD_MEM,
    OP_FLOAD_FILE
};

static char g_dir[64];

/* Bytes of a saved object, for the loads. */
static unsigned char g_bytes[1 << 16];

static void path_of(char *buf, size_t cap, int forecast)
{
    snprintf(buf, cap, "%s/%s.tsrec", g_dir, forecast ? "f" : "p");
}

static int run_op(int op, tsrec_ctx *ctx, tsrec_dataset_group *g, tsrec_predictor *p,
                  tsrec_forecast *f, tsrec_membuf *m, void **made)
{
    char path[128];
    path_of(path, sizeof path, op >= OP_FSAVE_MEM);
    m->pos = 0;
    switch (op) {
    case OP_PSAVE_MEM:
        m->len = 0;
        return tsrec_predictor_save_to(p, tsrec_membuf_write, m);
    case OP_PSAVE_FILE:
        return tsrec_predictor_save(p, path);
    case OP_PLOAD_MEM:
        return tsrec_predictor_load_from(g, tsrec_membuf_read, m, (tsrec_predictor **)made);
    case OP_PLOAD_FILE:
        return tsrec_predictor_load(g, path, (tsrec_predictor **)made);
    case OP_FSAVE_MEM:
        m->len = 0;
        return tsrec_forecast_save_to(f, tsrec_membuf_write, m);
    case OP_FSAVE_FILE:
        return tsrec_forecast_save(f, path);
    case OP_FLOAD_MEM:
        return tsrec_forecast_load_from(ctx, tsrec_membuf_read, m, (tsrec_forecast **)made);
    default:
        return tsrec_forecast_load(ctx, path, (tsrec_forecast **)made);
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
        assert_int_equal(tsrec_predictor_create(g, req, strlen(req), &p), TSREC_OK);
        assert_int_equal(tsrec_forecast_create(p, NULL, 0, &f), TSREC_OK);
        /* Prepare what the loads read: memory and a file. */
        tsrec_membuf m = {g_bytes, sizeof g_bytes, 0, 0};
        char path[128];
        int forecast = op >= OP_FSAVE_MEM;
        path_of(path, sizeof path, forecast);
        if (forecast) {
            assert_int_equal(tsrec_forecast_save_to(f, tsrec_membuf_write, &m), TSREC_OK);
            assert_int_equal(tsrec_forecast_save(f, path), TSREC_OK);
        } else {
            assert_int_equal(tsrec_predictor_save_to(p, tsrec_membuf_write, &m), TSREC_OK);
            assert_int_equal(tsrec_predictor_save(p, path), TSREC_OK);
        }
        size_t live0 = 0, live = 0;
        assert_int_equal(tsrec_ctx_memory_stats(ctx, &live0, NULL, NULL), TSREC_OK);
        void *made = NULL;
        fa.calls = 0;
        fa.persistent = 1;
        fa.fail_at = n;
        int st = run_op(op, ctx, g, p, f, &m, &made);
        fa.fail_at = 0;
        if (st != TSREC_OK) {
            if (st != TSREC_E_NOMEM)
                fail_msg("op %d n=%lld: status %d (%s), want TSREC_E_NOMEM", op, (long long)n,
                         st, tsrec_last_error());
            assert_null(made);
            assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, NULL, NULL), TSREC_OK);
            assert_int_equal(live, live0);
        }
        if (op == OP_PLOAD_MEM || op == OP_PLOAD_FILE)
            tsrec_predictor_free(made);
        if (op == OP_FLOAD_MEM || op == OP_FLOAD_FILE)
            tsrec_forecast_free(made);
        tsrec_forecast_free(f);
        tsrec_predictor_free(p);
        tsrec_dataset_group_free(g);
        tu_ctx_free_checked(ctx);
        remove(path);
        if (st == TSREC_OK) {
            printf("# op %d: succeeded after %lld failed allocations\n", op, (long long)(n - 1));
            assert_true(n > 1); /* every save and load allocates */
            break;
        }
    }
}

static void make_dir(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/tsrec_oomfcs_XXXXXX");
    assert_non_null(mkdtemp(g_dir));
}

static void test_predictor(void **state)
{
    (void)state;
    make_dir();
    for (int op = OP_PSAVE_MEM; op <= OP_PLOAD_FILE; op++) {
        every_n(op, REQ_NPTS);
        every_n(op, REQ_AUTOML);
    }
    assert_int_equal(rmdir(g_dir), 0);
}

static void test_forecast(void **state)
{
    (void)state;
    make_dir();
    for (int op = OP_FSAVE_MEM; op <= OP_FLOAD_FILE; op++)
        every_n(op, REQ_AUTOML);
    assert_int_equal(rmdir(g_dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predictor),
        cmocka_unit_test(test_forecast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
