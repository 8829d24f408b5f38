/* A trained predictor and a forecast are immutable and shared: several
 * threads read them at once (queries, metrics, accuracy JSON, history),
 * including failing reads, and every answer equals the single-threaded one.
 * Failures go to each thread's tsrec_last_error(), never to the shared
 * handle. CI also runs this under ThreadSanitizer. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

#define N_ITEMS 3
#define N_HOURS 240
#define HORIZON 12
#define N_THREADS 4
#define ROUNDS 300

typedef struct shared {
    const tsrec_predictor *p;
    const tsrec_forecast *f;
    double want_q[3 * HORIZON];
    double want_wape;
    char want_json[8192];
    int bad;
} shared;

static void build(tsrec_ctx *ctx, tsrec_dataset_group **out_g, tsrec_predictor **out_p,
                  tsrec_forecast **out_f)
{
    const char *schema = "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":"
                         "\"timestamp\"},{\"AttributeName\":\"target_value\",\"AttributeType\":"
                         "\"float\"},{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}";
    static char text[N_ITEMS * N_HOURS][2][24];
    static const char *cells[N_ITEMS * N_HOURS * 3];
    static const char *items[N_ITEMS] = {"a", "b", "c"};
    for (int i = 0; i < N_ITEMS; i++)
        for (int t = 0; t < N_HOURS; t++) {
            int r = i * N_HOURS + t;
            snprintf(text[r][0], 24, "2024-01-%02d %02d:00:00", 1 + t / 24, t % 24);
            snprintf(text[r][1], 24, "%d", 10 * (i + 1) + (t % 24 > 8 ? 5 : 0) + (t * 7 + i) % 5);
            cells[3 * r] = text[r][0];
            cells[3 * r + 1] = text[r][1];
            cells[3 * r + 2] = items[i];
        }
    tsrec_schema *s = NULL;
    tsrec_dataset *d = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, schema, strlen(schema), &s),
                     TSREC_OK);
    assert_int_equal(tsrec_dataset_group_new(ctx, "shared", TSREC_SERVICE_FORECAST, "CUSTOM",
                                             out_g),
                     TSREC_OK);
    assert_int_equal(
        tsrec_dataset_group_create_dataset(*out_g, "tts", "TARGET_TIME_SERIES", s, "H", &d),
        TSREC_OK);
    assert_int_equal(tsrec_dataset_import_rows(d, cells, N_ITEMS * N_HOURS, 3, NULL, NULL),
                     TSREC_OK);
    tsrec_schema_free(s);
    const char *req = "{\"PredictorName\":\"p\",\"AlgorithmArn\":\"NPTS\",\"ForecastHorizon\":12,"
                      "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";
    assert_int_equal(tsrec_predictor_create(*out_g, req, strlen(req), out_p), TSREC_OK);
    assert_int_equal(tsrec_forecast_create(*out_p, NULL, 0, out_f), TSREC_OK);
}

static void *reader(void *arg)
{
    shared *sh = arg;
    double q[3 * HORIZON];
    int64_t ts[HORIZON], n = 0;
    char json[8192];
    size_t len = 0;
    for (int r = 0; r < ROUNDS && !sh->bad; r++) {
        double wape = 0;
        if (tsrec_forecast_query(sh->f, "b", NULL, 0, ts, q) != TSREC_OK ||
            memcmp(q, sh->want_q, sizeof q) != 0)
            sh->bad = 1;
        if (tsrec_forecast_query(sh->f, "nope", NULL, 0, ts, q) != TSREC_E_UNKNOWN_NAME ||
            strstr(tsrec_last_error(), "nope") == NULL)
            sh->bad = 2;
        if (tsrec_predictor_metric(sh->p, TSREC_WINDOW_SUMMARY, "WAPE", 0, &wape) != TSREC_OK ||
            wape != sh->want_wape)
            sh->bad = 3;
        if (tsrec_predictor_metric(sh->p, TSREC_WINDOW_SUMMARY, "NOPE", 0, &wape) == TSREC_OK)
            sh->bad = 4;
        if (tsrec_predictor_accuracy_json(sh->p, json, sizeof json, &len) != TSREC_OK ||
            strcmp(json, sh->want_json) != 0)
            sh->bad = 5;
        if (tsrec_predictor_history(sh->p, "c", NULL, NULL, 0, &n) != TSREC_OK || n != N_HOURS)
            sh->bad = 6;
    }
    return NULL;
}

static void test_shared_reads(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = NULL;
    tsrec_predictor *p = NULL;
    tsrec_forecast *f = NULL;
    build(ctx, &g, &p, &f);
    shared sh[N_THREADS];
    memset(&sh[0], 0, sizeof sh[0]);
    sh[0].p = p;
    sh[0].f = f;
    int64_t ts[HORIZON];
    size_t len = 0;
    assert_int_equal(tsrec_forecast_query(f, "b", NULL, 0, ts, sh[0].want_q), TSREC_OK);
    assert_int_equal(
        tsrec_predictor_metric(p, TSREC_WINDOW_SUMMARY, "WAPE", 0, &sh[0].want_wape), TSREC_OK);
    assert_int_equal(
        tsrec_predictor_accuracy_json(p, sh[0].want_json, sizeof sh[0].want_json, &len),
        TSREC_OK);
    assert_true(len < sizeof sh[0].want_json);
    pthread_t th[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        sh[i] = sh[0];
        assert_int_equal(pthread_create(&th[i], NULL, reader, &sh[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(th[i], NULL);
        if (sh[i].bad != 0)
            fail_msg("reader %d: check %d failed", i, sh[i].bad);
    }
    /* the failing reads left the shared handles' messages alone */
    assert_string_equal(tsrec_errmsg(p), "");
    assert_string_equal(tsrec_errmsg(f), "");
    tsrec_forecast_free(f);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
