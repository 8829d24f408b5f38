/* Bad and awkward input for the forecast workflow (issue: "Bad input"):
 * horizon too long, series shorter than a season or than the backtests
 * need, all-zero, constant, NaN-filled and negative series, items that
 * start late, a forecast frequency that does not match the data, unknown
 * algorithms and hyperparameters, cancel in the middle of a forecast, and
 * the Theta baseline / AutoMLCandidates extension. Every case ends in a
 * clear status and message, or in the documented fallback recorded in the
 * log, and a failure leaves the group and the predictor unchanged. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baselines_internal.h"
#include "ets_internal.h"
#include "json_internal.h"
#include "test_util.h"

static const char *SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}";

#define MAX_SERIES 6
#define MAX_HOURS 336

/* ---- log capture -------------------------------------------------------- */

static char g_log[4096];

static void log_cb(void *user, int32_t level, const char *msg)
{
    (void)user;
    (void)level;
    size_t used = strlen(g_log);
    if (used + strlen(msg) + 2 < sizeof g_log) {
        strcat(g_log, msg);
        strcat(g_log, "\n");
    }
}

static int g_cancel_armed;
static int g_polls;

static int cancel_cb(void *user)
{
    (void)user;
    return g_cancel_armed && ++g_polls > 3;
}

/* A ctx that logs at INFO into g_log and can be cancelled on demand. */
static tsrec_ctx *ctx_logging(void)
{
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.log = log_cb;
    o.log_level = TSREC_LOG_INFO;
    o.cancel = cancel_cb;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    g_log[0] = '\0';
    g_cancel_armed = 0;
    return ctx;
}

/* ---- data ---------------------------------------------------------------- */

/* A group from n_series x n_hours values (hourly from 2020-01-01 00:00);
 * NaN means "no row". `freq` is the dataset's DataFrequency. */
static tsrec_dataset_group *make_group(tsrec_ctx *ctx, const double *vals, int n_series,
                                       int n_hours, const char *freq)
{
    tsrec_schema *schema = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, SCHEMA, strlen(SCHEMA),
                                        &schema),
                     TSREC_OK);
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "g1", TSREC_SERVICE_FORECAST, "CUSTOM", &g),
                     TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "tts", "TARGET_TIME_SERIES", schema,
                                                        freq, &ds),
                     TSREC_OK);
    tsrec_schema_free(schema);
    size_t n = (size_t)n_series * (size_t)n_hours;
    const char **cells = calloc(n * 3, sizeof(char *));
    char (*text)[3][32] = calloc(n, sizeof(*text));
    assert_non_null(cells);
    assert_non_null(text);
    int64_t r = 0;
    for (int s = 0; s < n_series; s++)
        for (int t = 0; t < n_hours; t++) {
            double v = vals[s * n_hours + t];
            if (isnan(v))
                continue;
            snprintf(text[r][0], 32, "2020-01-%02d %02d:00:00", 1 + t / 24, t % 24);
            snprintf(text[r][1], 32, "%.17g", v);
            snprintf(text[r][2], 32, "item_%d", s);
            cells[r * 3 + 0] = text[r][0];
            cells[r * 3 + 1] = text[r][1];
            cells[r * 3 + 2] = text[r][2];
            r++;
        }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, r, 3, NULL, NULL), TSREC_OK);
    free(cells);
    free(text);
    return g;
}

/* Daily-seasonal level + s with a little deterministic noise. */
static double seasonal_value(int s, int t)
{
    uint64_t x = (uint64_t)(s * 1000003 + t) * 0x9E3779B97F4A7C15ULL;
    double noise = (double)(x >> 11) / 9007199254740992.0 - 0.5;
    return 10.0 + 2.0 * s + 4.0 * sin(2.0 * M_PI * (double)(t % 24) / 24.0) + 0.3 * noise;
}

static void fill_seasonal(double *vals, int n_series, int n_hours)
{
    for (int s = 0; s < n_series; s++)
        for (int t = 0; t < n_hours; t++)
            vals[s * n_hours + t] = seasonal_value(s, t);
}

static char g_req[4096];

/* A CreatePredictor request: algo clause, horizon, windows, extra
 * top-level members (may be "") and the target filling parameters (may
 * be NULL). */
static const char *request(const char *algo, int horizon, int windows, const char *freq,
                           const char *filling, const char *extra)
{
    char feats[512] = "";
    if (filling != NULL)
        snprintf(feats, sizeof feats,
                 ",\"Featurizations\":[{\"AttributeName\":\"target_value\","
                 "\"FeaturizationPipeline\":[{\"FeaturizationMethodName\":\"filling\","
                 "\"FeaturizationMethodParameters\":{%s}}]}]",
                 filling);
    snprintf(g_req, sizeof g_req,
             "{\"PredictorName\":\"p1\",%s,\"ForecastHorizon\":%d,"
             "\"ForecastTypes\":[\"0.1\",\"0.5\",\"0.9\",\"mean\"],"
             "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":%d},"
             "\"FeaturizationConfig\":{\"ForecastFrequency\":\"%s\"%s}%s}",
             algo, horizon, windows, freq, feats, extra);
    return g_req;
}

static tsrec_predictor *create_ok(tsrec_dataset_group *g, const char *req)
{
    tsrec_predictor *p = NULL;
    int rc = tsrec_predictor_create(g, req, strlen(req), &p);
    if (rc != TSREC_OK)
        print_error("create: %s\n%s\n", tsrec_errmsg(g), req);
    assert_int_equal(rc, TSREC_OK);
    assert_non_null(p);
    return p;
}

/* A failing create: status, message keyword, nothing allocated. */
static void create_fails(tsrec_ctx *ctx, tsrec_dataset_group *g, const char *req, int status,
                         const char *keyword)
{
    size_t live0 = 0, live = 0, peak = 0;
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live0, &peak, NULL), TSREC_OK);
    tsrec_predictor *p = (tsrec_predictor *)(uintptr_t)1;
    int rc = tsrec_predictor_create(g, req, strlen(req), &p);
    const char *msg = tsrec_errmsg(g);
    if (rc != status || strstr(msg, keyword) == NULL)
        print_error("status %d message '%s' (want %d, '%s')\n", rc, msg, status, keyword);
    assert_int_equal(rc, status);
    assert_non_null(strstr(msg, keyword));
    assert_null(p);
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, &peak, NULL), TSREC_OK);
    assert_int_equal(live, live0);
}

/* Forecast values of every series: out[(s * 4 + type) * h + j] for the
 * types p10, p50, p90, mean. */
static tsrec_forecast *forecast_ok(tsrec_predictor *p, int64_t n_series, int64_t h,
                                   double *out)
{
    tsrec_forecast *f = NULL;
    int rc = tsrec_forecast_create(p, NULL, 0, &f);
    if (rc != TSREC_OK)
        print_error("forecast: %s\n", tsrec_errmsg(p));
    assert_int_equal(rc, TSREC_OK);
    int64_t ns = 0, hh = 0, nt = 0;
    assert_int_equal(tsrec_forecast_dims(f, &ns, &hh, &nt), TSREC_OK);
    assert_int_equal(ns, n_series);
    assert_int_equal(hh, h);
    assert_int_equal(nt, 4);
    for (int64_t s = 0; out != NULL && s < n_series; s++) {
        char id[32];
        snprintf(id, sizeof id, "item_%d", (int)s);
        assert_int_equal(tsrec_forecast_query(f, id, NULL, 0, NULL, out + s * 4 * h),
                         TSREC_OK);
    }
    return f;
}

static int all_finite(const double *v, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* p10 <= p50 <= p90 for every step of one series' block. */
static void check_ordered(const double *blk, int64_t h)
{
    for (int64_t j = 0; j < h; j++) {
        assert_true(blk[j] <= blk[h + j] + 1e-9);
        assert_true(blk[h + j] <= blk[2 * h + j] + 1e-9);
    }
}

/* ItemCount of backtest window w of evaluation `e` in the accuracy JSON. */
static int64_t item_count(tsrec_ctx *ctx, const tsrec_predictor *p, int e, int w)
{
    size_t len = 0;
    assert_int_equal(tsrec_predictor_accuracy_json(p, NULL, 0, &len), TSREC_OK);
    char *buf = malloc(len + 1);
    assert_int_equal(tsrec_predictor_accuracy_json(p, buf, len + 1, &len), TSREC_OK);
    tsrec__json_doc *doc = NULL;
    assert_int_equal(tsrec__json_parse(ctx, NULL, buf, len, 0, &doc), TSREC_OK);
    const tsrec__json *res = tsrec__json_get(tsrec__json_root(doc), "PredictorEvaluationResults");
    const tsrec__json *win = tsrec__json_at(tsrec__json_get(tsrec__json_at(res, e),
                                                            "TestWindows"),
                                            1 + w);
    int64_t n = -1;
    assert_int_equal(tsrec__json_as_int64(tsrec__json_get(win, "ItemCount"), NULL, "n", &n),
                     TSREC_OK);
    tsrec__json_free(doc);
    free(buf);
    return n;
}

/* The AlgorithmArn of every evaluation, joined by ','. */
static void eval_names(tsrec_ctx *ctx, const tsrec_predictor *p, char *out, size_t cap)
{
    size_t len = 0;
    assert_int_equal(tsrec_predictor_accuracy_json(p, NULL, 0, &len), TSREC_OK);
    char *buf = malloc(len + 1);
    assert_int_equal(tsrec_predictor_accuracy_json(p, buf, len + 1, &len), TSREC_OK);
    tsrec__json_doc *doc = NULL;
    assert_int_equal(tsrec__json_parse(ctx, NULL, buf, len, 0, &doc), TSREC_OK);
    const tsrec__json *res = tsrec__json_get(tsrec__json_root(doc), "PredictorEvaluationResults");
    out[0] = '\0';
    for (int64_t i = 0; i < tsrec__json_len(res); i++) {
        const char *s = NULL;
        size_t l = 0;
        assert_int_equal(tsrec__json_as_string(tsrec__json_get(tsrec__json_at(res, i),
                                                               "AlgorithmArn"),
                                               NULL, "a", &s, &l),
                         TSREC_OK);
        if (i > 0)
            strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, s, cap - strlen(out) - 1);
    }
    tsrec__json_free(doc);
    free(buf);
}

static double summary_metric(const tsrec_predictor *p, const char *m)
{
    double v = NAN;
    assert_int_equal(tsrec_predictor_metric(p, TSREC_WINDOW_SUMMARY, m, 0, &v), TSREC_OK);
    return v;
}

/* ---- Theta and AutoMLCandidates ------------------------------------------ */

/* Theta by bare name: the forecast equals thetaf on the whole series. */
static void test_theta(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = 2, NH = 240, H = 24 };
    double *vals = malloc(sizeof(double) * NS * NH);
    fill_seasonal(vals, NS, NH);
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    tsrec_predictor *p = create_ok(g, request("\"AlgorithmArn\":\"Theta\"", H, 2, "H", NULL, ""));
    const char *name = NULL;
    assert_int_equal(tsrec_predictor_algorithm(p, &name), TSREC_OK);
    assert_string_equal(name, "Theta");
    double wql = summary_metric(p, "AverageWeightedQuantileLoss");
    assert_true(isfinite(wql) && wql < 0.1);
    assert_null(strstr(g_log, "fallback"));
    double out[NS * 4 * H];
    tsrec_forecast *f = forecast_ok(p, NS, H, out);
    const double q[3] = {0.1, 0.5, 0.9};
    for (int s = 0; s < NS; s++) {
        double mean[H], quant[3 * H];
        assert_int_equal(tsrec__theta_forecast(ctx, NULL, vals + s * NH, NH, 24, H, q, 3, mean,
                                               quant, NULL),
                         TSREC_OK);
        for (int j = 0; j < H; j++) {
            for (int k = 0; k < 3; k++)
                assert_true(fabs(out[(s * 4 + k) * H + j] - quant[k * H + j]) <= 1e-9);
            assert_true(fabs(out[(s * 4 + 3) * H + j] - mean[j]) <= 1e-9);
        }
    }
    tsrec_forecast_free(f);
    tsrec_predictor_free(p);
    /* A baseline is no AWS algorithm: its ARN is unknown. */
    create_fails(ctx, g,
                 request("\"AlgorithmArn\":\"arn:aws:forecast:::algorithm/Theta\"", H, 2, "H",
                         NULL, ""),
                 TSREC_E_UNKNOWN_NAME, "Theta");
    tsrec_dataset_group_free(g);
    free(vals);
    tu_ctx_free_checked(ctx);
}

static void test_automl_candidates(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = 3, NH = 240, H = 24 };
    double *vals = malloc(sizeof(double) * NS * NH);
    fill_seasonal(vals, NS, NH);
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    char names[512];
    /* Default: the AWS algorithms only. */
    tsrec_predictor *p = create_ok(g, request("\"PerformAutoML\":true", H, 1, "H", NULL, ""));
    eval_names(ctx, p, names, sizeof names);
    assert_string_equal(names,
                        "arn:aws:forecast:::algorithm/ETS,arn:aws:forecast:::algorithm/NPTS");
    tsrec_predictor_free(p);
    /* The extension: evaluated in registry order, the best one kept. */
    p = create_ok(g, request("\"PerformAutoML\":true", H, 1, "H", NULL,
                             ",\"AutoMLCandidates\":[\"Theta\",\"SeasonalNaive\",\"NPTS\","
                             "\"arn:aws:forecast:::algorithm/ETS\"]"));
    eval_names(ctx, p, names, sizeof names);
    assert_string_equal(names, "arn:aws:forecast:::algorithm/ETS,"
                               "arn:aws:forecast:::algorithm/NPTS,SeasonalNaive,Theta");
    const char *chosen = NULL;
    assert_int_equal(tsrec_predictor_algorithm(p, &chosen), TSREC_OK);
    double best = summary_metric(p, "AverageWeightedQuantileLoss");
    const char *single[4] = {"ETS", "NPTS", "SeasonalNaive", "Theta"};
    double lowest = INFINITY;
    const char *lowest_name = NULL;
    for (int i = 0; i < 4; i++) {
        char clause[64];
        snprintf(clause, sizeof clause, "\"AlgorithmArn\":\"%s\"", single[i]);
        tsrec_predictor *one = create_ok(g, request(clause, H, 1, "H", NULL, ""));
        double v = summary_metric(one, "AverageWeightedQuantileLoss");
        if (v < lowest) {
            lowest = v;
            lowest_name = single[i];
        }
        tsrec_predictor_free(one);
    }
    assert_string_equal(chosen, lowest_name);
    assert_true(best == lowest);
    tsrec_predictor_free(p);
    /* A single baseline candidate. */
    p = create_ok(g, request("\"PerformAutoML\":true", H, 1, "H", NULL,
                             ",\"AutoMLCandidates\":[\"Naive\"]"));
    assert_int_equal(tsrec_predictor_algorithm(p, &chosen), TSREC_OK);
    assert_string_equal(chosen, "Naive");
    tsrec_predictor_free(p);
    /* Bad lists. */
    create_fails(ctx, g,
                 request("\"AlgorithmArn\":\"ETS\"", H, 1, "H", NULL,
                         ",\"AutoMLCandidates\":[\"ETS\"]"),
                 TSREC_E_INVALID_ARG, "requires PerformAutoML");
    create_fails(ctx, g,
                 request("\"PerformAutoML\":true", H, 1, "H", NULL,
                         ",\"AutoMLCandidates\":[\"ETS\",\"Prophet\"]"),
                 TSREC_E_UNKNOWN_NAME, "Prophet");
    create_fails(ctx, g,
                 request("\"PerformAutoML\":true", H, 1, "H", NULL,
                         ",\"AutoMLCandidates\":[\"arn:aws:forecast:::algorithm/Theta\"]"),
                 TSREC_E_UNKNOWN_NAME, "Theta");
    create_fails(ctx, g,
                 request("\"PerformAutoML\":true", H, 1, "H", NULL,
                         ",\"AutoMLCandidates\":[\"ETS\",\"arn:aws:forecast:::algorithm/ETS\"]"),
                 TSREC_E_DUPLICATE, "twice");
    create_fails(ctx, g,
                 request("\"PerformAutoML\":true", H, 1, "H", NULL, ",\"AutoMLCandidates\":[]"),
                 TSREC_E_INVALID_ARG, "AutoMLCandidates");
    create_fails(ctx, g,
                 request("\"PerformAutoML\":true", H, 1, "H", NULL,
                         ",\"AutoMLCandidates\":\"ETS\""),
                 TSREC_E_BAD_TYPE, "AutoMLCandidates");
    create_fails(ctx, g,
                 request("\"PerformAutoML\":true", H, 1, "H", NULL,
                         ",\"AutoMLCandidates\":[3]"),
                 TSREC_E_BAD_TYPE, "AutoMLCandidates");
    tsrec_dataset_group_free(g);
    free(vals);
    tu_ctx_free_checked(ctx);
}

/* ---- lengths ------------------------------------------------------------- */

static void test_lengths(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = 2, NH = 20 };
    double vals[NS * NH];
    fill_seasonal(vals, NS, NH);
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    /* Horizon too long for 20 periods: length - 1 without AutoML, 1/3 with. */
    create_fails(ctx, g, request("\"AlgorithmArn\":\"ETS\"", 20, 1, "H", NULL, ""),
                 TSREC_E_OUT_OF_RANGE, "too long");
    create_fails(ctx, g, request("\"PerformAutoML\":true", 7, 1, "H", NULL, ""),
                 TSREC_E_OUT_OF_RANGE, "1/3");
    /* More backtest windows than the data holds. */
    create_fails(ctx, g, request("\"AlgorithmArn\":\"ETS\"", 4, 5, "H", NULL, ""),
                 TSREC_E_OUT_OF_RANGE, "backtest windows");
    /* Shorter than a season (24): every algorithm still forecasts; the
     * seasonal naive baseline falls back to naive and says so. */
    const char *algos[4] = {"ETS", "NPTS", "Theta", "SeasonalNaive"};
    for (int a = 0; a < 4; a++) {
        char clause[64];
        snprintf(clause, sizeof clause, "\"AlgorithmArn\":\"%s\"", algos[a]);
        g_log[0] = '\0';
        tsrec_predictor *p = create_ok(g, request(clause, 4, 2, "H", NULL, ""));
        assert_true(isfinite(summary_metric(p, "WAPE")));
        assert_int_equal(item_count(ctx, p, 0, 0), NS);
        if (a == 3)
            assert_non_null(strstr(g_log, "SeasonalNaive used the naive fallback for 4 "
                                          "series-windows"));
        double out[NS * 4 * 4];
        tsrec_forecast *f = forecast_ok(p, NS, 4, out);
        assert_true(all_finite(out, NS * 4 * 4));
        for (int s = 0; s < NS; s++)
            check_ordered(out + s * 16, 4);
        if (a == 3) {
            assert_non_null(strstr(g_log, "forecast 'forecast': SeasonalNaive used the naive "
                                          "fallback for 2 series"));
            /* Naive: the last value, flat. */
            for (int s = 0; s < NS; s++)
                for (int j = 0; j < 4; j++)
                    assert_true(fabs(out[(s * 4 + 1) * 4 + j] - vals[s * NH + NH - 1]) < 1e-6);
        }
        tsrec_forecast_free(f);
        tsrec_predictor_free(p);
    }
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- degenerate values --------------------------------------------------- */

/* Series 0 all zero, 1 constant 7.5, 2 crossing zero (negative half the
 * time, seasonal), 3 negative only. */
static void test_degenerate_values(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = 4, NH = 240, H = 24 };
    double *vals = malloc(sizeof(double) * NS * NH);
    for (int t = 0; t < NH; t++) {
        vals[0 * NH + t] = 0.0;
        vals[1 * NH + t] = 7.5;
        vals[2 * NH + t] = seasonal_value(0, t) - 10.0;
        vals[3 * NH + t] = -50.0 - seasonal_value(1, t);
    }
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    const char *algos[5] = {"\"AlgorithmArn\":\"ETS\"", "\"AlgorithmArn\":\"NPTS\"",
                            "\"AlgorithmArn\":\"Theta\"", "\"AlgorithmArn\":\"SeasonalNaive\"",
                            "\"PerformAutoML\":true"};
    for (int a = 0; a < 5; a++) {
        tsrec_predictor *p = create_ok(g, request(algos[a], H, 2, "H", NULL, ""));
        assert_int_equal(item_count(ctx, p, 0, 1), NS);
        assert_true(isfinite(summary_metric(p, "AverageWeightedQuantileLoss")));
        assert_true(isfinite(summary_metric(p, "RMSE")));
        double *out = malloc(sizeof(double) * NS * 4 * H);
        tsrec_forecast *f = forecast_ok(p, NS, H, out);
        assert_true(all_finite(out, NS * 4 * H));
        for (int s = 0; s < NS; s++)
            check_ordered(out + s * 4 * H, H);
        /* All zero and constant: a flat forecast at the value (ETS on a
         * constant series is ANN with alpha near 0; Theta: SES + no drift). */
        for (int j = 0; j < H; j++) {
            assert_true(fabs(out[(0 * 4 + 1) * H + j]) < 1e-6);
            assert_true(fabs(out[(1 * 4 + 1) * H + j] - 7.5) < 1e-6);
            assert_true(fabs(out[(1 * 4 + 3) * H + j] - 7.5) < 1e-6);
        }
        /* Negative data: forecasts stay around the data (a multiplicative
         * model would be inadmissible here and give NaN or nonsense). */
        for (int j = 0; j < H; j++) {
            double m3 = out[(3 * 4 + 3) * H + j];
            assert_true(m3 < -50.0 && m3 > -70.0);
            double m2 = out[(2 * 4 + 1) * H + j];
            if (!(m2 > -6.0 && m2 < 6.0))
                print_error("algo %d step %d: %g\n", a, j, m2);
            assert_true(m2 > -6.0 && m2 < 6.0);
        }
        if (a == 0) {
            /* The ETS path on negative data: the model R's ets chooses is
             * additive-error (multiplicative ones need positive data),
             * and the workflow's forecast is that model's. */
            for (int s = 2; s < 4; s++) {
                tsrec__ets_spec spec;
                tsrec__ets_spec_init(&spec);
                tsrec__ets_model mod;
                assert_int_equal(tsrec__ets_fit(ctx, NULL, vals + s * NH, NH, 24, &spec, &mod),
                                 TSREC_OK);
                assert_int_equal(strncmp(mod.name, "ETS(A,", 6), 0);
                assert_true(mod.trend != TSREC__ETS_M && mod.season != TSREC__ETS_M);
                double mean[H];
                assert_int_equal(tsrec__ets_forecast(ctx, NULL, &mod, H, NULL, 0, 0, 0, mean,
                                                     NULL),
                                 TSREC_OK);
                for (int j = 0; j < H; j++)
                    assert_true(fabs(out[(s * 4 + 3) * H + j] - mean[j]) <= 1e-9);
                tsrec__ets_model_free(ctx, &mod);
            }
        }
        tsrec_forecast_free(f);
        free(out);
        tsrec_predictor_free(p);
    }
    /* Only zeros in the group: sum |y| ~ 0 makes wQL the bare loss (0 for
     * the exact zero forecast) rather than a division by zero. */
    tsrec_dataset_group *gz = make_group(ctx, vals, 1, NH, "H");
    tsrec_predictor *p = create_ok(gz, request("\"AlgorithmArn\":\"ETS\"", H, 2, "H", NULL, ""));
    double w = summary_metric(p, "AverageWeightedQuantileLoss");
    assert_true(w == 0.0);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(gz);
    tsrec_dataset_group_free(g);
    free(vals);
    tu_ctx_free_checked(ctx);
}

/* ---- missing values and late starts -------------------------------------- */

static void test_nan_filled(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = 3, NH = 240, H = 24 };
    double *vals = malloc(sizeof(double) * NS * NH);
    fill_seasonal(vals, NS, NH);
    /* Series 0: gaps everywhere in the middle; series 1: stops 30 hours
     * early; series 2: complete. */
    for (int t = 10; t < NH - 60; t++)
        if (t % 3 == 0)
            vals[0 * NH + t] = NAN;
    for (int t = NH - 30; t < NH; t++)
        vals[1 * NH + t] = NAN;
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    const char *nanfill = "\"aggregation\":\"sum\",\"middlefill\":\"nan\",\"backfill\":\"nan\"";
    const char *algos[4] = {"ETS", "NPTS", "Theta", "SeasonalNaive"};
    for (int a = 0; a < 4; a++) {
        char clause[64];
        snprintf(clause, sizeof clause, "\"AlgorithmArn\":\"%s\"", algos[a]);
        g_log[0] = '\0';
        tsrec_predictor *p = create_ok(g, request(clause, H, 2, "H", nanfill, ""));
        /* Series 1 has no actuals in either window: left out of both. */
        assert_int_equal(item_count(ctx, p, 0, 0), 2);
        assert_int_equal(item_count(ctx, p, 0, 1), 2);
        assert_true(isfinite(summary_metric(p, "AverageWeightedQuantileLoss")));
        double *out = malloc(sizeof(double) * NS * 4 * H);
        tsrec_forecast *f = forecast_ok(p, NS, H, out);
        assert_true(all_finite(out, NS * 4 * H));
        tsrec_forecast_free(f);
        free(out);
        tsrec_predictor_free(p);
    }
    /* Every value missing in a window's training part of one series and
     * the rest empty: that series is left out, the others are scored. */
    for (int t = 0; t < NH - 20; t++)
        vals[2 * NH + t] = NAN;
    tsrec_dataset_group *g2 = make_group(ctx, vals, NS, NH, "H");
    tsrec_predictor *p = create_ok(g2, request("\"AlgorithmArn\":\"ETS\"", H, 1, "H", nanfill,
                                               ""));
    assert_int_equal(item_count(ctx, p, 0, 0), 1); /* only series 0 */
    tsrec_predictor_free(p);
    /* No series can be scored at all: a clear EMPTY. Series 0 stops at
     * hour 100 (no actuals in the window), series 1 starts at 230, after
     * the split at 216 (no training data). */
    double lone[2 * NH];
    for (int t = 0; t < NH; t++) {
        lone[t] = t < 100 ? seasonal_value(0, t) : NAN;
        lone[NH + t] = t >= 230 ? seasonal_value(1, t) : NAN;
    }
    tsrec_dataset_group *g3 = make_group(ctx, lone, 2, NH, "H");
    create_fails(ctx, g3, request("\"AlgorithmArn\":\"ETS\"", H, 1, "H", nanfill, ""),
                 TSREC_E_EMPTY, "no series has complete observed data");
    tsrec_dataset_group_free(g3);
    tsrec_dataset_group_free(g2);
    tsrec_dataset_group_free(g);
    free(vals);
    tu_ctx_free_checked(ctx);
}

/* Items that start late (cold start): left out of the windows where they
 * have no training data, forecast from what they have. */
static void test_cold_start(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = 4, NH = 336, H = 24 };
    double *vals = malloc(sizeof(double) * NS * NH);
    fill_seasonal(vals, NS, NH);
    /* Windows (H 24, 2 windows, offset 24): splits 288 and 312. Series 2
     * starts at 300 (only in window 1), series 3 at 330 (in neither). */
    for (int t = 0; t < 300; t++)
        vals[2 * NH + t] = NAN;
    for (int t = 0; t < 330; t++)
        vals[3 * NH + t] = NAN;
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    const char *algos[4] = {"ETS", "NPTS", "Theta", "SeasonalNaive"};
    for (int a = 0; a < 4; a++) {
        char clause[64];
        snprintf(clause, sizeof clause, "\"AlgorithmArn\":\"%s\"", algos[a]);
        g_log[0] = '\0';
        tsrec_predictor *p = create_ok(g, request(clause, H, 2, "H", NULL, ""));
        assert_int_equal(item_count(ctx, p, 0, 0), 2);
        assert_int_equal(item_count(ctx, p, 0, 1), 3);
        double *out = malloc(sizeof(double) * NS * 4 * H);
        tsrec_forecast *f = forecast_ok(p, NS, H, out);
        assert_true(all_finite(out, NS * 4 * H));
        /* Series 3 (6 rising values 12..15, shorter than a season) is
         * forecast from them (ETS may extrapolate their trend). */
        for (int j = 0; j < H; j++)
            assert_true(fabs(out[(3 * 4 + 3) * H + j] - 16.0) < 30.0);
        if (a == 3)
            assert_non_null(strstr(g_log, "fallback"));
        tsrec_forecast_free(f);
        free(out);
        tsrec_predictor_free(p);
    }
    tsrec_dataset_group_free(g);
    free(vals);
    tu_ctx_free_checked(ctx);
}

/* ---- frequencies, names, hyperparameters, cancel ------------------------- */

static void test_frequency_mismatch(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = 2, NH = 336 };
    double *vals = malloc(sizeof(double) * NS * NH);
    fill_seasonal(vals, NS, NH);
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    /* Finer than the data: refused. */
    create_fails(ctx, g, request("\"AlgorithmArn\":\"ETS\"", 24, 1, "30min", NULL, ""),
                 TSREC_E_INVALID_ARG, "finer than the data frequency H");
    /* Coarser: hourly values summed per day (14 days, horizon 3). */
    tsrec_predictor *p = create_ok(g, request("\"AlgorithmArn\":\"ETS\"", 3, 1, "D",
                                              "\"aggregation\":\"sum\"", ""));
    double out[NS * 4 * 3];
    tsrec_forecast *f = forecast_ok(p, NS, 3, out);
    int64_t ts[3];
    assert_int_equal(tsrec_forecast_query(f, "item_0", NULL, 0, ts, NULL), TSREC_OK);
    assert_int_equal(ts[0], 1579046400); /* 2020-01-15 00:00 UTC */
    assert_int_equal(ts[1] - ts[0], 86400);
    for (int s = 0; s < NS; s++)
        for (int j = 0; j < 3; j++)
            assert_true(fabs(out[(s * 4 + 3) * 3 + j] - 24.0 * (10.0 + 2.0 * s)) < 3.0);
    tsrec_forecast_free(f);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    /* Data declared daily but holding hourly rows: the group's featurized
     * grid is daily (rows aggregated), a forecast in H is finer. */
    tsrec_dataset_group *gd = make_group(ctx, vals, NS, NH, "D");
    create_fails(ctx, gd, request("\"AlgorithmArn\":\"ETS\"", 24, 1, "H", NULL, ""),
                 TSREC_E_INVALID_ARG, "finer");
    tsrec_dataset_group_free(gd);
    free(vals);
    tu_ctx_free_checked(ctx);
}

static void test_unknown_names(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = 1, NH = 120 };
    double vals[NS * NH];
    fill_seasonal(vals, NS, NH);
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    create_fails(ctx, g, request("\"AlgorithmArn\":\"Prophet\"", 24, 1, "H", NULL, ""),
                 TSREC_E_UNKNOWN_NAME, "'Prophet' is not an available algorithm (ETS, NPTS, "
                                       "or the baselines Naive, SeasonalNaive, Theta)");
    create_fails(ctx, g, request("\"AlgorithmArn\":\"ets\"", 24, 1, "H", NULL, ""),
                 TSREC_E_UNKNOWN_NAME, "'ets'");
    create_fails(ctx, g,
                 request("\"AlgorithmArn\":\"NPTS\"", 24, 1, "H", NULL,
                         ",\"TrainingParameters\":{\"kernal_type\":\"uniform\"}"),
                 TSREC_E_UNKNOWN_NAME, "did you mean 'kernel_type'?");
    create_fails(ctx, g,
                 request("\"AlgorithmArn\":\"NPTS\"", 24, 1, "H", NULL,
                         ",\"TrainingParameters\":{\"Context_Lenght\":\"10\"}"),
                 TSREC_E_UNKNOWN_NAME, "did you mean 'context_length'?");
    create_fails(ctx, g,
                 request("\"AlgorithmArn\":\"NPTS\"", 24, 1, "H", NULL,
                         ",\"TrainingParameters\":{\"learning_rate\":\"0.1\"}"),
                 TSREC_E_UNKNOWN_NAME, "no hyperparameter 'learning_rate'");
    create_fails(ctx, g,
                 request("\"AlgorithmArn\":\"Theta\"", 24, 1, "H", NULL,
                         ",\"TrainingParameters\":{\"theta\":\"2\"}"),
                 TSREC_E_UNKNOWN_NAME, "it takes none");
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* Cancel in the middle of a CreateForecast: no forecast, the predictor
 * still works and its metrics are unchanged. */
static void test_cancel_forecast(void **state)
{
    (void)state;
    tsrec_ctx *ctx = ctx_logging();
    enum { NS = MAX_SERIES, NH = 240, H = 24 };
    double *vals = malloc(sizeof(double) * NS * NH);
    fill_seasonal(vals, NS, NH);
    tsrec_dataset_group *g = make_group(ctx, vals, NS, NH, "H");
    tsrec_predictor *p = create_ok(g, request("\"AlgorithmArn\":\"ETS\"", H, 1, "H", NULL, ""));
    double wql0 = summary_metric(p, "AverageWeightedQuantileLoss");
    size_t live0 = 0, live = 0, peak = 0;
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live0, &peak, NULL), TSREC_OK);
    g_polls = 0;
    g_cancel_armed = 1;
    tsrec_forecast *f = (tsrec_forecast *)(uintptr_t)1;
    assert_int_equal(tsrec_forecast_create(p, NULL, 0, &f), TSREC_E_CANCELLED);
    assert_null(f);
    assert_non_null(strstr(tsrec_errmsg(p), "cancel"));
    assert_true(g_polls > 3); /* it ran until the callback said stop */
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, &peak, NULL), TSREC_OK);
    assert_int_equal(live, live0);
    /* Cancel while a predictor is created, after some series. */
    g_polls = 0;
    tsrec_predictor *p2 = (tsrec_predictor *)(uintptr_t)1;
    const char *req = request("\"PerformAutoML\":true", H, 1, "H", NULL, "");
    assert_int_equal(tsrec_predictor_create(g, req, strlen(req), &p2), TSREC_E_CANCELLED);
    assert_null(p2);
    assert_int_equal(tsrec_ctx_memory_stats(ctx, &live, &peak, NULL), TSREC_OK);
    assert_int_equal(live, live0);
    g_cancel_armed = 0;
    assert_true(summary_metric(p, "AverageWeightedQuantileLoss") == wql0);
    double out[NS * 4 * H];
    f = forecast_ok(p, NS, H, out);
    assert_true(all_finite(out, NS * 4 * H));
    tsrec_forecast_free(f);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    free(vals);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theta),
        cmocka_unit_test(test_automl_candidates),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_degenerate_values),
        cmocka_unit_test(test_nan_filled),
        cmocka_unit_test(test_cold_start),
        cmocka_unit_test(test_frequency_mismatch),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_cancel_forecast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
