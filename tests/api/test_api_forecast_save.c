/* Saving and loading predictors and forecasts (io.h): round trips through
 * files and tsrec_membuf for ETS, NPTS and AutoML predictors on a small
 * generated electricity-like hourly dataset (5 items, each in one of two
 * locations, 300 hours), compared bit for bit with the originals (accuracy
 * JSON, every metric, backtest export files, forecasts made from the
 * loaded predictor); the saved forecast likewise (query JSON, query
 * arrays, CSV export). Then misuse (NULL, freed handles, wrong parent
 * group, changed data, foreign object types), truncated and mutated files
 * (every payload prefix, every byte flipped: a status, never a crash or a
 * leak), a newer state version, a group that went through
 * tsrec_dataset_group_save/load, and the committed v1 fixtures
 * (tests/fixtures/v1/predictor.tsrec, forecast.tsrec), which must keep
 * loading with the same values. Set TSREC_WRITE_FIXTURES=1 to rewrite
 * them (only when the format deliberately changes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container_internal.h"
#include "test_util.h"

static const char *SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"}]}";

#define N_ITEMS 5
#define N_HOURS 300

static const char *const LOCS[2] = {"NYC", "SF"};

/* Electricity-like load: a daily profile per item plus deterministic noise,
 * in integer arithmetic printed with two decimals, so the data (and so the
 * committed fixtures' fingerprint) do not depend on the platform's libm;
 * `shift` (hundredths) changes every value (a group whose data changed). */
static const int PROFILE[24] = {60, 55, 52, 50, 51, 56, 66, 80, 92, 98, 100, 101,
                                99, 97, 96, 97, 100, 106, 110, 108, 100, 88, 76, 66};

static void load_at(int s, int t, uint64_t *lcg, int shift, char *out, size_t cap)
{
    *lcg = *lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    long noise = (long)(*lcg >> 54); /* 0..1023 */
    long v = (long)(20 + 5 * s) * PROFILE[t % 24] + noise + shift;
    snprintf(out, cap, "%ld.%02ld", v / 100, v % 100);
}

/* A Forecast group of N_ITEMS series (item_<prefix><s>, location) over
 * n_hours hours starting 2021-03-01. */
static tsrec_dataset_group *make_group(tsrec_ctx *ctx, const char *prefix, int n_hours,
                                       int shift)
{
    tsrec_schema *schema = NULL;
    assert_int_equal(tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, SCHEMA, strlen(SCHEMA),
                                        &schema),
                     TSREC_OK);
    tsrec_dataset_group *g = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "elec", TSREC_SERVICE_FORECAST, "CUSTOM", &g),
                     TSREC_OK);
    tsrec_dataset *ds = NULL;
    assert_int_equal(tsrec_dataset_group_create_dataset(g, "tts", "TARGET_TIME_SERIES", schema,
                                                        "H", &ds),
                     TSREC_OK);
    tsrec_schema_free(schema);
    int64_t n = N_ITEMS * (int64_t)n_hours;
    const char **cells = calloc((size_t)n * 4, sizeof(char *));
    char(*text)[3][32] = calloc((size_t)n, sizeof(*text));
    assert_non_null(cells);
    assert_non_null(text);
    uint64_t lcg = 987654321;
    int64_t r = 0;
    for (int s = 0; s < N_ITEMS; s++)
        for (int t = 0; t < n_hours; t++, r++) {
            snprintf(text[r][0], 32, "2021-03-%02d %02d:00:00", 1 + t / 24, t % 24);
            load_at(s, t, &lcg, shift, text[r][1], 32);
            snprintf(text[r][2], 32, "item_%s%d", prefix, s);
            cells[r * 4 + 0] = text[r][0];
            cells[r * 4 + 1] = text[r][1];
            cells[r * 4 + 2] = text[r][2];
            cells[r * 4 + 3] = LOCS[s % 2];
        }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, n, 4, NULL, NULL), TSREC_OK);
    free(cells);
    free(text);
    return g;
}

static char g_req[2048];

static const char *request(const char *algo, int horizon, int windows)
{
    snprintf(g_req, sizeof g_req,
             "{\"PredictorName\":\"elec_p\",%s,\"ForecastHorizon\":%d,"
             "\"ForecastTypes\":[\"0.1\",\"0.5\",\"0.9\",\"mean\"],"
             "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":%d},"
             "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\","
             "\"ForecastDimensions\":[\"location\"],\"Featurizations\":[{\"AttributeName\":"
             "\"target_value\",\"FeaturizationPipeline\":[{\"FeaturizationMethodName\":"
             "\"filling\",\"FeaturizationMethodParameters\":{\"aggregation\":\"sum\","
             "\"middlefill\":\"zero\",\"backfill\":\"value\",\"backfill_value\":\"1.5\"}}]}]}}",
             algo, horizon, windows);
    return g_req;
}

static const char *ETS = "\"AlgorithmArn\":\"arn:aws:forecast:::algorithm/ETS\"";
static const char *NPTS = "\"AlgorithmArn\":\"NPTS\",\"TrainingParameters\":"
                          "{\"kernel_type\":\"uniform\"}";
static const char *AUTOML = "\"PerformAutoML\":true,\"OptimizationMetric\":\"WAPE\","
                            "\"AutoMLCandidates\":[\"SeasonalNaive\",\"ETS\",\"NPTS\"]";

static tsrec_predictor *create_ok(tsrec_dataset_group *g, const char *req)
{
    tsrec_predictor *p = NULL;
    int rc = tsrec_predictor_create(g, req, strlen(req), &p);
    if (rc != TSREC_OK)
        print_error("create: %s\n", tsrec_errmsg(g));
    assert_int_equal(rc, TSREC_OK);
    return p;
}

/* ---- comparisons ---------------------------------------------------------- */

static char *accuracy(const tsrec_predictor *p)
{
    size_t len = 0;
    assert_int_equal(tsrec_predictor_accuracy_json(p, NULL, 0, &len), TSREC_OK);
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    assert_int_equal(tsrec_predictor_accuracy_json(p, buf, len + 1, &len), TSREC_OK);
    return buf;
}

static char *read_all(const char *path, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (out_len != NULL)
        *out_len = (size_t)n;
    return buf;
}

static void assert_same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *x = read_all(a, &na), *y = read_all(b, &nb);
    assert_non_null(x);
    assert_non_null(y);
    assert_true(na > 0);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void assert_same_predictor(const tsrec_predictor *a, const tsrec_predictor *b, int windows)
{
    const char *na = NULL, *nb = NULL;
    assert_int_equal(tsrec_predictor_algorithm(a, &na), TSREC_OK);
    assert_int_equal(tsrec_predictor_algorithm(b, &nb), TSREC_OK);
    assert_string_equal(na, nb);
    char *ja = accuracy(a), *jb = accuracy(b);
    assert_string_equal(ja, jb);
    free(ja);
    free(jb);
    static const char *const names[] = {"AverageWeightedQuantileLoss", "WAPE", "RMSE", "MAPE",
                                        "MASE", "wQL", "wQL", "wQL"};
    static const double qs[] = {0, 0, 0, 0, 0, 0.1, 0.5, 0.9};
    for (int32_t w = TSREC_WINDOW_SUMMARY; w < windows; w++)
        for (int k = 0; k < 8; k++) {
            /* (a quantile the predictor lacks fails alike on both) */
            double va = NAN, vb = NAN;
            int ra = tsrec_predictor_metric(a, w, names[k], qs[k], &va);
            assert_int_equal(tsrec_predictor_metric(b, w, names[k], qs[k], &vb), ra);
            assert_true(ra == TSREC_OK || k >= 5);
            assert_true(same_bits(va, vb));
        }
    double v = 0;
    assert_int_equal(tsrec_predictor_metric(b, windows, "WAPE", 0, &v), TSREC_E_OUT_OF_RANGE);
    int64_t sa[8], sb[8], n_a = 0, n_b = 0;
    assert_int_equal(tsrec_predictor_backtest_splits(a, sa, 8, &n_a), TSREC_OK);
    assert_int_equal(tsrec_predictor_backtest_splits(b, sb, 8, &n_b), TSREC_OK);
    assert_int_equal(n_a, windows);
    assert_int_equal(n_a, n_b);
    assert_memory_equal(sa, sb, (size_t)n_a * sizeof(int64_t));
    int64_t ta[N_HOURS], tb[N_HOURS];
    double ya[N_HOURS], yb[N_HOURS];
    assert_int_equal(tsrec_predictor_history(a, "item_3", ta, ya, N_HOURS, &n_a), TSREC_OK);
    assert_int_equal(tsrec_predictor_history(b, "item_3", tb, yb, N_HOURS, &n_b), TSREC_OK);
    assert_int_equal(n_a, n_b);
    assert_memory_equal(ta, tb, (size_t)n_a * sizeof(int64_t));
    assert_memory_equal(ya, yb, (size_t)n_a * sizeof(double));
}

static void tmp_path(char *buf, size_t cap, const char *what)
{
    snprintf(buf, cap, "/tmp/tsrec_fcsave_%ld_%s", (long)getpid(), what);
}

static void rm_export(const char *dir)
{
    char p[512];
    snprintf(p, sizeof p, "%s/forecasted-values/bt_part0.csv", dir);
    remove(p);
    snprintf(p, sizeof p, "%s/accuracy-metrics-values/bt_part0.csv", dir);
    remove(p);
    snprintf(p, sizeof p, "%s/forecasted-values", dir);
    rmdir(p);
    snprintf(p, sizeof p, "%s/accuracy-metrics-values", dir);
    rmdir(p);
    rmdir(dir);
}

static void assert_same_export(const tsrec_predictor *a, const tsrec_predictor *b)
{
    char da[256], db[256], fa[512], fb[512];
    tmp_path(da, sizeof da, "bt_a");
    tmp_path(db, sizeof db, "bt_b");
    assert_int_equal(tsrec_predictor_export_backtest(a, da, "bt"), TSREC_OK);
    assert_int_equal(tsrec_predictor_export_backtest(b, db, "bt"), TSREC_OK);
    const char *sub[2] = {"forecasted-values", "accuracy-metrics-values"};
    for (int i = 0; i < 2; i++) {
        snprintf(fa, sizeof fa, "%s/%s/bt_part0.csv", da, sub[i]);
        snprintf(fb, sizeof fb, "%s/%s/bt_part0.csv", db, sub[i]);
        assert_same_file(fa, fb);
    }
    rm_export(da);
    rm_export(db);
}

static char *query_json(const tsrec_forecast *f, const char *item, const char *loc)
{
    char filters[128];
    snprintf(filters, sizeof filters, "{\"item_id\":\"%s\",\"location\":\"%s\"}", item, loc);
    size_t len = 0;
    assert_int_equal(tsrec_forecast_query_json(f, filters, strlen(filters), NULL, 0, &len),
                     TSREC_OK);
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    assert_int_equal(tsrec_forecast_query_json(f, filters, strlen(filters), buf, len + 1, &len),
                     TSREC_OK);
    return buf;
}

/* Two forecasts answer every query identically (values bit for bit). */
static void assert_same_forecast(const tsrec_forecast *a, const tsrec_forecast *b,
                                 const char *prefix)
{
    int64_t sa = 0, ha = 0, ka = 0, sb = 0, hb = 0, kb = 0;
    assert_int_equal(tsrec_forecast_dims(a, &sa, &ha, &ka), TSREC_OK);
    assert_int_equal(tsrec_forecast_dims(b, &sb, &hb, &kb), TSREC_OK);
    assert_int_equal(sa, N_ITEMS);
    assert_int_equal(sa, sb);
    assert_int_equal(ha, hb);
    assert_int_equal(ka, kb);
    for (int64_t t = 0; t < ka; t++) {
        const char *x = NULL, *y = NULL;
        assert_int_equal(tsrec_forecast_type_name(a, t, &x), TSREC_OK);
        assert_int_equal(tsrec_forecast_type_name(b, t, &y), TSREC_OK);
        assert_string_equal(x, y);
    }
    size_t nv = (size_t)(ha * ka);
    int64_t *ta = calloc((size_t)ha, sizeof(int64_t)), *tb = calloc((size_t)ha, sizeof(int64_t));
    double *va = calloc(nv, sizeof(double)), *vb = calloc(nv, sizeof(double));
    assert_true(ta != NULL && tb != NULL && va != NULL && vb != NULL);
    for (int s = 0; s < N_ITEMS; s++) {
        char item[32];
        snprintf(item, sizeof item, "item_%s%d", prefix, s);
        const char *dims[1] = {LOCS[s % 2]};
        assert_int_equal(tsrec_forecast_query(a, item, dims, 1, ta, va), TSREC_OK);
        assert_int_equal(tsrec_forecast_query(b, item, dims, 1, tb, vb), TSREC_OK);
        assert_memory_equal(ta, tb, (size_t)ha * sizeof(int64_t));
        assert_memory_equal(va, vb, nv * sizeof(double));
        for (size_t i = 0; i < nv; i++)
            assert_true(isfinite(va[i]));
        char *ja = query_json(a, item, LOCS[s % 2]), *jb = query_json(b, item, LOCS[s % 2]);
        assert_string_equal(ja, jb);
        free(ja);
        free(jb);
    }
    const char *dims[1] = {"LA"};
    assert_int_equal(tsrec_forecast_query(b, "item_0", dims, 1, tb, vb), TSREC_E_UNKNOWN_NAME);
    free(ta);
    free(tb);
    free(va);
    free(vb);
    char pa[256], pb[256];
    tmp_path(pa, sizeof pa, "fa.csv");
    tmp_path(pb, sizeof pb, "fb.csv");
    assert_int_equal(tsrec_forecast_export_csv(a, pa), TSREC_OK);
    assert_int_equal(tsrec_forecast_export_csv(b, pb), TSREC_OK);
    assert_same_file(pa, pb);
    remove(pa);
    remove(pb);
}

/* ---- memory streams --------------------------------------------------------- */

/* Save into a malloc'd membuf (size query first). */
static tsrec_membuf save_predictor_mem(const tsrec_predictor *p)
{
    tsrec_membuf m = {NULL, 0, 0, 0};
    assert_int_equal(tsrec_predictor_save_to(p, tsrec_membuf_write, &m), TSREC_OK);
    size_t need = m.len;
    assert_true(need > TSREC__CONTAINER_HEADER);
    m.data = malloc(need);
    m.cap = need;
    m.len = 0;
    assert_non_null(m.data);
    assert_int_equal(tsrec_predictor_save_to(p, tsrec_membuf_write, &m), TSREC_OK);
    assert_int_equal(m.len, need);
    return m;
}

static tsrec_membuf save_forecast_mem(const tsrec_forecast *f)
{
    tsrec_membuf m = {NULL, 0, 0, 0};
    assert_int_equal(tsrec_forecast_save_to(f, tsrec_membuf_write, &m), TSREC_OK);
    size_t need = m.len;
    m.data = malloc(need);
    m.cap = need;
    m.len = 0;
    assert_non_null(m.data);
    assert_int_equal(tsrec_forecast_save_to(f, tsrec_membuf_write, &m), TSREC_OK);
    return m;
}

static tsrec_predictor *load_predictor_mem(tsrec_dataset_group *g, tsrec_membuf *m)
{
    m->pos = 0;
    tsrec_predictor *p = NULL;
    int rc = tsrec_predictor_load_from(g, tsrec_membuf_read, m, &p);
    if (rc != TSREC_OK)
        print_error("load: %s\n", tsrec_errmsg(g));
    assert_int_equal(rc, TSREC_OK);
    assert_non_null(p);
    return p;
}

/* ---- round trips ------------------------------------------------------------ */

/* Create, save (file or memory), load, compare everything; the loaded
 * predictor saves to the same bytes and forecasts bit-identically. */
static void roundtrip(const char *algo, int horizon, int windows, int via_file)
{
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx, "", N_HOURS, 0);
    tsrec_predictor *p = create_ok(g, request(algo, horizon, windows));
    tsrec_membuf m1 = save_predictor_mem(p);
    printf("# %.20s...: %zu bytes saved\n", algo, m1.len);
    tsrec_predictor *q = NULL;
    if (via_file) {
        char path[256];
        tmp_path(path, sizeof path, "p.tsrec");
        assert_int_equal(tsrec_predictor_save(p, path), TSREC_OK);
        int rc = tsrec_predictor_load(g, path, &q);
        if (rc != TSREC_OK)
            print_error("load: %s\n", tsrec_errmsg(g));
        assert_int_equal(rc, TSREC_OK);
        size_t n = 0;
        char *bytes = read_all(path, &n);
        assert_int_equal(n, m1.len);
        assert_memory_equal(bytes, m1.data, n);
        free(bytes);
        remove(path);
    } else {
        q = load_predictor_mem(g, &m1);
    }
    assert_string_equal(tsrec_errmsg(g), "");
    assert_same_predictor(p, q, windows);
    assert_same_export(p, q);
    /* Saving the loaded predictor gives the same bytes. */
    tsrec_membuf m2 = save_predictor_mem(q);
    assert_int_equal(m1.len, m2.len);
    assert_memory_equal(m1.data, m2.data, m1.len);
    /* Forecasts from both are identical; so is a saved and loaded one. */
    const char *freq = "{\"ForecastName\":\"elec_f\"}";
    tsrec_forecast *fa = NULL, *fb = NULL, *fc = NULL;
    assert_int_equal(tsrec_forecast_create(p, freq, strlen(freq), &fa), TSREC_OK);
    assert_int_equal(tsrec_forecast_create(q, freq, strlen(freq), &fb), TSREC_OK);
    assert_same_forecast(fa, fb, "");
    tsrec_membuf fm = save_forecast_mem(fb);
    assert_int_equal(tsrec_forecast_load_from(ctx, tsrec_membuf_read, &fm, &fc), TSREC_OK);
    assert_same_forecast(fa, fc, "");
    tsrec_forecast_free(fa);
    tsrec_forecast_free(fb);
    tsrec_forecast_free(fc);
    free(fm.data);
    free(m1.data);
    free(m2.data);
    tsrec_predictor_free(q);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

static void test_ets_file(void **state)
{
    (void)state;
    roundtrip(ETS, 24, 2, 1);
}

static void test_npts_membuf(void **state)
{
    (void)state;
    roundtrip(NPTS, 24, 3, 0);
}

static void test_automl_file(void **state)
{
    (void)state;
    roundtrip(AUTOML, 12, 2, 1);
}

/* The loaded predictor outlives the original and is independent of it. */
static void test_independent(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx, "", N_HOURS, 0);
    tsrec_predictor *p = create_ok(g, request(NPTS, 24, 1));
    char *ja = accuracy(p);
    tsrec_membuf m = save_predictor_mem(p);
    tsrec_predictor_free(p);
    tsrec_predictor *q = load_predictor_mem(g, &m);
    tsrec_predictor *r = load_predictor_mem(g, &m);
    char *jb = accuracy(q);
    assert_string_equal(ja, jb);
    tsrec_predictor_free(q);
    free(jb);
    jb = accuracy(r);
    assert_string_equal(ja, jb);
    free(ja);
    free(jb);
    free(m.data);
    tsrec_predictor_free(r);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* The whole story: group and predictor saved, everything freed, both
 * loaded (the group with tsrec_dataset_group_load_from) and the predictor
 * answers as before and forecasts the same values. */
static void test_with_loaded_group(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx, "", N_HOURS, 0);
    tsrec_predictor *p = create_ok(g, request(NPTS, 24, 2));
    tsrec_forecast *fa = NULL, *fb = NULL;
    assert_int_equal(tsrec_forecast_create(p, NULL, 0, &fa), TSREC_OK);
    char *ja = accuracy(p);
    tsrec_membuf gm = {NULL, 0, 0, 0};
    assert_int_equal(tsrec_dataset_group_save_to(g, tsrec_membuf_write, &gm), TSREC_OK);
    gm.data = malloc(gm.len);
    gm.cap = gm.len;
    gm.len = 0;
    assert_non_null(gm.data);
    assert_int_equal(tsrec_dataset_group_save_to(g, tsrec_membuf_write, &gm), TSREC_OK);
    tsrec_membuf pm = save_predictor_mem(p);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    g = NULL;
    int rc = tsrec_dataset_group_load_from(ctx, tsrec_membuf_read, &gm, &g);
    if (rc != TSREC_OK)
        print_error("group load: %s\n", tsrec_errmsg(ctx));
    assert_int_equal(rc, TSREC_OK);
    tsrec_predictor *q = load_predictor_mem(g, &pm);
    char *jb = accuracy(q);
    assert_string_equal(ja, jb);
    assert_int_equal(tsrec_forecast_create(q, NULL, 0, &fb), TSREC_OK);
    assert_same_forecast(fa, fb, "");
    free(ja);
    free(jb);
    free(gm.data);
    free(pm.data);
    tsrec_forecast_free(fa);
    tsrec_forecast_free(fb);
    tsrec_predictor_free(q);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* A forecast through a file, on another ctx than it was made on. */
static void test_forecast_file(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx, "", N_HOURS, 0);
    tsrec_predictor *p = create_ok(g, request(ETS, 24, 1));
    const char *req = "{\"ForecastName\":\"f2\",\"ForecastTypes\":[\"mean\",\"0.9\"]}";
    tsrec_forecast *f = NULL, *h = NULL;
    assert_int_equal(tsrec_forecast_create(p, req, strlen(req), &f), TSREC_OK);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    char path[256];
    tmp_path(path, sizeof path, "f.tsrec");
    assert_int_equal(tsrec_forecast_save(f, path), TSREC_OK);
    int32_t type = 0, fmt = 0, sv = 0;
    assert_int_equal(tsrec_file_info(ctx, path, &type, &fmt, &sv), TSREC_OK);
    assert_int_equal(type, TSREC_OBJECT_FORECAST);
    assert_int_equal(sv, 1);
    tsrec_ctx *ctx2 = tu_ctx_new();
    assert_int_equal(tsrec_forecast_load(ctx2, path, &h), TSREC_OK);
    assert_string_equal(tsrec_errmsg(ctx2), "");
    assert_same_forecast(f, h, "");
    const char *name = NULL;
    assert_int_equal(tsrec_forecast_type_name(h, 0, &name), TSREC_OK);
    assert_string_equal(name, "mean");
    remove(path);
    tsrec_forecast_free(f);
    tsrec_forecast_free(h);
    tu_ctx_free_checked(ctx);
    tu_ctx_free_checked(ctx2);
}

/* ---- misuse ------------------------------------------------------------------ */

/* An allocator that keeps freed blocks until the test ends, so freed
 * handles can be passed back safely even under ASan. */
typedef struct keeper {
    void **blocks;
    size_t n, cap;
} keeper;

static void *keep_alloc(void *ud, size_t size, size_t align)
{
    keeper *k = ud;
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 1024;
        void **b = realloc(k->blocks, cap * sizeof *b);
        if (b == NULL)
            return NULL;
        k->blocks = b;
        k->cap = cap;
    }
    void *p = NULL;
    if (posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align, size ? size : 1))
        return NULL;
    k->blocks[k->n++] = p;
    return p;
}

static void *keep_realloc(void *ud, void *ptr, size_t old, size_t size, size_t align)
{
    void *p = keep_alloc(ud, size, align);
    if (p != NULL && ptr != NULL)
        memcpy(p, ptr, old < size ? old : size);
    return p;
}

static void keep_free(void *ud, void *ptr, size_t size)
{
    (void)ud;
    (void)ptr;
    (void)size;
}

static void assert_has(const char *msg, const char *kw)
{
    if (strstr(msg, kw) == NULL)
        print_error("message '%s' lacks '%s'\n", msg, kw);
    assert_non_null(strstr(msg, kw));
}

static void test_misuse(void **state)
{
    (void)state;
    keeper k = {NULL, 0, 0};
    tsrec_ctx_options o;
    assert_int_equal(tsrec_ctx_options_init(&o), TSREC_OK);
    o.allocator.alloc = keep_alloc;
    o.allocator.realloc = keep_realloc;
    o.allocator.free = keep_free;
    o.allocator.user_data = &k;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&o, &ctx), TSREC_OK);
    tsrec_dataset_group *g = make_group(ctx, "", N_HOURS, 0);
    tsrec_predictor *p = create_ok(g, request(ETS, 24, 1));
    tsrec_forecast *f = NULL;
    assert_int_equal(tsrec_forecast_create(p, NULL, 0, &f), TSREC_OK);
    tsrec_membuf pm = save_predictor_mem(p), fm = save_forecast_mem(f);
    tsrec_membuf empty = {NULL, 0, 0, 0};
    tsrec_predictor *q = (tsrec_predictor *)1;
    tsrec_forecast *h = (tsrec_forecast *)1;

    /* NULL handles and arguments */
    assert_int_equal(tsrec_predictor_save(NULL, "/tmp/x"), TSREC_E_MISUSE);
    assert_int_equal(tsrec_predictor_save(p, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_save_to(NULL, tsrec_membuf_write, &empty), TSREC_E_MISUSE);
    assert_int_equal(tsrec_predictor_save_to(p, NULL, &empty), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_load(NULL, "/tmp/x", &q), TSREC_E_MISUSE);
    assert_null(q);
    assert_int_equal(tsrec_predictor_load(g, NULL, &q), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_load(g, "/tmp/x", NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_load_from(g, NULL, &pm, &q), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_predictor_load_from((tsrec_dataset_group *)(void *)ctx,
                                               tsrec_membuf_read, &pm, &q),
                     TSREC_E_MISUSE);
    assert_int_equal(tsrec_forecast_save(NULL, "/tmp/x"), TSREC_E_MISUSE);
    assert_int_equal(tsrec_forecast_save(f, NULL), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_forecast_save_to(NULL, tsrec_membuf_write, &empty), TSREC_E_MISUSE);
    assert_int_equal(tsrec_forecast_save_to(f, NULL, &empty), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_forecast_load(NULL, "/tmp/x", &h), TSREC_E_MISUSE);
    assert_null(h);
    assert_int_equal(tsrec_forecast_load(ctx, NULL, &h), TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_forecast_load_from(ctx, tsrec_membuf_read, &fm, NULL),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec_forecast_load_from((tsrec_ctx *)(void *)g, tsrec_membuf_read, &fm,
                                              &h),
                     TSREC_E_MISUSE);

    /* missing files and failing streams */
    assert_int_equal(tsrec_predictor_load(g, "/nonexistent/dir/p.tsrec", &q), TSREC_E_IO);
    assert_int_equal(tsrec_forecast_load(ctx, "/nonexistent/dir/f.tsrec", &h), TSREC_E_IO);
    assert_int_equal(tsrec_predictor_save(p, "/nonexistent/dir/p.tsrec"), TSREC_E_IO);
    tsrec_membuf small = {malloc(16), 16, 0, 0};
    assert_int_equal(tsrec_predictor_save_to(p, tsrec_membuf_write, &small), TSREC_E_IO);
    small.len = 0;
    assert_int_equal(tsrec_forecast_save_to(f, tsrec_membuf_write, &small), TSREC_E_IO);
    free(small.data);

    /* foreign object types: each loader refuses the other's file */
    pm.pos = fm.pos = 0;
    assert_int_equal(tsrec_forecast_load_from(ctx, tsrec_membuf_read, &pm, &h), TSREC_E_FORMAT);
    assert_null(h);
    assert_int_equal(tsrec_predictor_load_from(g, tsrec_membuf_read, &fm, &q), TSREC_E_FORMAT);
    assert_null(q);

    /* an empty stream, and a non-Forecast group */
    empty.pos = 0;
    assert_int_equal(tsrec_predictor_load_from(g, tsrec_membuf_read, &empty, &q),
                     TSREC_E_FORMAT);
    tsrec_dataset_group *pg = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "pz", TSREC_SERVICE_PERSONALIZE, NULL, &pg),
                     TSREC_OK);
    pm.pos = 0;
    assert_int_equal(tsrec_predictor_load_from(pg, tsrec_membuf_read, &pm, &q),
                     TSREC_E_INVALID_ARG);
    assert_has(tsrec_errmsg(pg), "not a Forecast");

    /* wrong parent: other items; same items with other values; a shorter
     * history; a group without data */
    tsrec_dataset_group *other = make_group(ctx, "x", N_HOURS, 0);
    pm.pos = 0;
    assert_int_equal(tsrec_predictor_load_from(other, tsrec_membuf_read, &pm, &q),
                     TSREC_E_SCHEMA);
    assert_null(q);
    assert_has(tsrec_errmsg(other), "item_0");
    assert_has(tsrec_errmsg(other), "item_x0");
    tsrec_dataset_group *changed = make_group(ctx, "", N_HOURS, 25);
    pm.pos = 0;
    assert_int_equal(tsrec_predictor_load_from(changed, tsrec_membuf_read, &pm, &q),
                     TSREC_E_SCHEMA);
    assert_has(tsrec_errmsg(changed), "differ");
    tsrec_dataset_group *shorter = make_group(ctx, "", N_HOURS - 24, 0);
    pm.pos = 0;
    assert_int_equal(tsrec_predictor_load_from(shorter, tsrec_membuf_read, &pm, &q),
                     TSREC_E_SCHEMA);
    assert_has(tsrec_errmsg(shorter), "periods");
    tsrec_dataset_group *bare = NULL;
    assert_int_equal(tsrec_dataset_group_new(ctx, "bare", TSREC_SERVICE_FORECAST, "CUSTOM",
                                             &bare),
                     TSREC_OK);
    pm.pos = 0;
    assert_int_equal(tsrec_predictor_load_from(bare, tsrec_membuf_read, &pm, &q),
                     TSREC_E_SCHEMA);

    /* freed handles */
    tsrec_predictor_free(p);
    tsrec_forecast_free(f);
    assert_int_equal(tsrec_predictor_save_to(p, tsrec_membuf_write, &empty), TSREC_E_MISUSE);
    assert_has(tsrec_last_error(), "freed");
    assert_int_equal(tsrec_forecast_save(f, "/tmp/x"), TSREC_E_MISUSE);
    tsrec_dataset_group_free(g);
    pm.pos = 0;
    assert_int_equal(tsrec_predictor_load_from(g, tsrec_membuf_read, &pm, &q), TSREC_E_MISUSE);
    assert_null(q);

    /* a predictor whose group was freed cannot be saved */
    tsrec_dataset_group *g2 = make_group(ctx, "", N_HOURS, 0);
    tsrec_predictor *p2 = create_ok(g2, request(ETS, 24, 1));
    tsrec_dataset_group_free(g2);
    assert_int_equal(tsrec_predictor_save_to(p2, tsrec_membuf_write, &empty), TSREC_E_MISUSE);
    assert_has(tsrec_errmsg(p2), "group was freed");
    tsrec_predictor_free(p2);

    free(pm.data);
    free(fm.data);
    tsrec_dataset_group_free(other);
    tsrec_dataset_group_free(changed);
    tsrec_dataset_group_free(shorter);
    tsrec_dataset_group_free(bare);
    tsrec_dataset_group_free(pg);
    tsrec_ctx_free(ctx);
    for (size_t i = 0; i < k.n; i++)
        free(k.blocks[i]);
    free(k.blocks);
}

/* ---- corrupt files ---------------------------------------------------------- */

/* The payload of a saved object (inflated through the container). */
static tsrec__payload payload_of(tsrec_ctx *ctx, tsrec_membuf *m, uint32_t type)
{
    tsrec__payload pl;
    memset(&pl, 0, sizeof pl);
    m->pos = 0;
    assert_int_equal(tsrec__container_read(NULL, ctx, type, 1, tsrec_membuf_read, m, &pl),
                     TSREC_OK);
    return pl;
}

/* Wrap bytes as a valid container (correct CRCs) of the given type. */
static tsrec_membuf wrap(tsrec_ctx *ctx, uint32_t type, const unsigned char *data, size_t len)
{
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_bytes(&b, data, len);
    tsrec_membuf m = {NULL, 0, 0, 0};
    assert_int_equal(tsrec__container_write(NULL, type, 1, &b, tsrec_membuf_write, &m),
                     TSREC_OK);
    m.data = malloc(m.len);
    m.cap = m.len;
    m.len = 0;
    assert_int_equal(tsrec__container_write(NULL, type, 1, &b, tsrec_membuf_write, &m),
                     TSREC_OK);
    tsrec__wbuf_free(&b);
    return m;
}

/* Load a re-wrapped payload: a status, never a crash; returns it. */
static int try_load(tsrec_ctx *ctx, tsrec_dataset_group *g, uint32_t type,
                    const unsigned char *data, size_t len)
{
    tsrec_membuf m = wrap(ctx, type, data, len);
    int rc;
    if (type == TSREC_OBJECT_PREDICTOR) {
        tsrec_predictor *q = NULL;
        rc = tsrec_predictor_load_from(g, tsrec_membuf_read, &m, &q);
        assert_true((rc == TSREC_OK) == (q != NULL));
        tsrec_predictor_free(q);
    } else {
        tsrec_forecast *h = NULL;
        rc = tsrec_forecast_load_from(ctx, tsrec_membuf_read, &m, &h);
        assert_true((rc == TSREC_OK) == (h != NULL));
        tsrec_forecast_free(h);
    }
    free(m.data);
    return rc;
}

static void fuzz(tsrec_ctx *ctx, tsrec_dataset_group *g, uint32_t type, tsrec_membuf *m)
{
    tsrec__payload pl = payload_of(ctx, m, type);
    /* The intact payload loads. */
    assert_int_equal(try_load(ctx, g, type, pl.data, pl.len), TSREC_OK);
    /* Every proper prefix is refused as corrupt. */
    for (size_t n = 0; n < pl.len; n++) {
        int rc = try_load(ctx, g, type, pl.data, n);
        if (rc != TSREC_E_FORMAT)
            print_error("prefix %zu of %zu: %s\n", n, pl.len,
                        type == TSREC_OBJECT_PREDICTOR ? tsrec_errmsg(g) : tsrec_errmsg(ctx));
        assert_int_equal(rc, TSREC_E_FORMAT);
    }
    /* A trailing byte is refused too. */
    unsigned char *copy = malloc(pl.len + 1);
    assert_non_null(copy);
    memcpy(copy, pl.data, pl.len);
    copy[pl.len] = 0;
    assert_int_equal(try_load(ctx, g, type, copy, pl.len + 1), TSREC_E_FORMAT);
    /* Every byte flipped: any status, no crash, no leak. */
    int64_t refused = 0;
    for (size_t i = 0; i < pl.len; i++) {
        memcpy(copy, pl.data, pl.len);
        copy[i] ^= 0xA5;
        refused += try_load(ctx, g, type, copy, pl.len) != TSREC_OK;
    }
    /* Most of the payload is structure or checked data. */
    assert_true(refused > 0);
    free(copy);
    /* A newer state version of the object is refused as such. */
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_bytes(&b, pl.data, pl.len);
    unsigned char big[1 << 14];
    tsrec_membuf v2 = {big, sizeof big, 0, 0};
    assert_int_equal(tsrec__container_write(NULL, type, 2, &b, tsrec_membuf_write, &v2),
                     TSREC_OK);
    tsrec__wbuf_free(&b);
    int rc2 = type == TSREC_OBJECT_PREDICTOR
                  ? tsrec_predictor_load_from(g, tsrec_membuf_read, &v2,
                                              &(tsrec_predictor *){NULL})
                  : tsrec_forecast_load_from(ctx, tsrec_membuf_read, &v2,
                                             &(tsrec_forecast *){NULL});
    assert_int_equal(rc2, TSREC_E_VERSION);
    tsrec__payload_free(&pl);
    /* A truncated file (container level). */
    for (size_t n = 0; n < m->len; n += 1 + n / 4) {
        tsrec_membuf t = *m;
        t.len = n;
        t.pos = 0;
        int rc = type == TSREC_OBJECT_PREDICTOR
                     ? tsrec_predictor_load_from(g, tsrec_membuf_read, &t,
                                                 &(tsrec_predictor *){NULL})
                     : tsrec_forecast_load_from(ctx, tsrec_membuf_read, &t,
                                                &(tsrec_forecast *){NULL});
        assert_int_equal(rc, TSREC_E_FORMAT);
    }
}

static void test_corrupt(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx, "", 120, 0);
    /* Small objects keep the every-byte loops short. */
    const char *req = "{\"PredictorName\":\"tiny\",\"PerformAutoML\":true,"
                      "\"AutoMLCandidates\":[\"Naive\",\"SeasonalNaive\"],"
                      "\"ForecastHorizon\":3,\"ForecastTypes\":[\"0.5\",\"mean\"],"
                      "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\","
                      "\"ForecastDimensions\":[\"location\"]}}";
    tsrec_predictor *p = create_ok(g, req);
    tsrec_forecast *f = NULL;
    assert_int_equal(tsrec_forecast_create(p, NULL, 0, &f), TSREC_OK);
    tsrec_membuf pm = save_predictor_mem(p), fm = save_forecast_mem(f);
    fuzz(ctx, g, TSREC_OBJECT_PREDICTOR, &pm);
    fuzz(ctx, g, TSREC_OBJECT_FORECAST, &fm);
    free(pm.data);
    free(fm.data);
    tsrec_forecast_free(f);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

/* ---- committed v1 fixtures ---------------------------------------------------- */

/* tests/fixtures/v1, found from TSREC_TEST_DATA (tests/numeric/data). */
static int fixture_path(char *buf, size_t cap, const char *name)
{
    const char *root = getenv("TSREC_TEST_DATA");
    if (root == NULL)
        return 0;
    snprintf(buf, cap, "%s/../../fixtures/v1/%s", root, name);
    return 1;
}

#define FIXTURE_REQUEST                                                                          \
    "{\"PredictorName\":\"fixture_v1\",\"PerformAutoML\":true,"                                \
    "\"AutoMLCandidates\":[\"ETS\",\"NPTS\"],\"ForecastHorizon\":6,"                             \
    "\"ForecastTypes\":[\"0.1\",\"0.9\",\"mean\"],"                                              \
    "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":2},"                                  \
    "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\","                                      \
    "\"ForecastDimensions\":[\"location\"]}}"

/* Values the v1 fixtures hold (printed with %.17g when they were
 * written): read back from the files, so they hold exactly on any
 * platform. */
static const char *const FIX_ALGO = "ETS";
/* summary WAPE of the chosen algorithm, and its wQL[0.1] in window 0 */
static const double FIX_WAPE = 0.089227092125484742;
static const double FIX_WQL10_W0 = 0.024952675564487384;
/* forecast p10 of item_4 (NYC) in the first hour, mean of item_1 (SF) in
 * the last */
static const double FIX_P10_ITEM4 = 23.076101572845321;
static const double FIX_MEAN_ITEM1 = 20.605328777289959;

static void check_fixture(const tsrec_predictor *p, const tsrec_forecast *f)
{
    const char *name = NULL;
    assert_int_equal(tsrec_predictor_algorithm(p, &name), TSREC_OK);
    int64_t s = 0, h = 0, t = 0;
    assert_int_equal(tsrec_forecast_dims(f, &s, &h, &t), TSREC_OK);
    assert_int_equal(s, N_ITEMS);
    assert_int_equal(h, 6);
    assert_int_equal(t, 3);
    double wape = NAN, wql = NAN, v4[18], v1[18];
    int64_t ts[6];
    assert_int_equal(tsrec_predictor_metric(p, TSREC_WINDOW_SUMMARY, "WAPE", 0, &wape), TSREC_OK);
    assert_int_equal(tsrec_predictor_metric(p, 0, "wQL", 0.1, &wql), TSREC_OK);
    const char *sf[1] = {"SF"};
    const char *nyc[1] = {"NYC"};
    assert_int_equal(tsrec_forecast_query(f, "item_4", nyc, 1, ts, v4), TSREC_OK);
    assert_int_equal(tsrec_forecast_query(f, "item_1", sf, 1, ts, v1), TSREC_OK);
    printf("# fixture: %s WAPE %.17g wQL %.17g p10 %.17g mean %.17g first %lld\n", name, wape,
           wql, v4[0], v1[2 * 6 + 5], (long long)ts[0]);
    assert_string_equal(name, FIX_ALGO);
    assert_true(same_bits(wape, FIX_WAPE));
    assert_true(same_bits(wql, FIX_WQL10_W0));
    assert_true(same_bits(v4[0], FIX_P10_ITEM4));
    assert_true(same_bits(v1[2 * 6 + 5], FIX_MEAN_ITEM1));
    /* 2021-03-06 00:00 UTC: the hour after the 120 hours of data. */
    assert_int_equal(ts[0], 1614988800);
}

static void test_fixtures(void **state)
{
    (void)state;
    char pp[1024], fp[1024];
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec_dataset_group *g = make_group(ctx, "", 120, 0);
    tsrec_predictor *orig = create_ok(g, FIXTURE_REQUEST);
    tsrec_forecast *forig = NULL;
    assert_int_equal(tsrec_forecast_create(orig, NULL, 0, &forig), TSREC_OK);
    if (!fixture_path(pp, sizeof pp, "predictor.tsrec") ||
        !fixture_path(fp, sizeof fp, "forecast.tsrec")) {
        printf("# TSREC_TEST_DATA not set: fixtures not found\n");
    } else if (getenv("TSREC_WRITE_FIXTURES") != NULL) {
        assert_int_equal(tsrec_predictor_save(orig, pp), TSREC_OK);
        assert_int_equal(tsrec_forecast_save(forig, fp), TSREC_OK);
        printf("# wrote %s and %s\n", pp, fp);
    } else if (access(pp, R_OK) != 0 || access(fp, R_OK) != 0) {
        printf("# fixtures %s, %s not found\n", pp, fp);
    } else {
        tsrec_predictor *p = NULL;
        tsrec_forecast *f = NULL;
        int rc = tsrec_predictor_load(g, pp, &p);
        if (rc != TSREC_OK)
            print_error("fixture: %s\n", tsrec_errmsg(g));
        assert_int_equal(rc, TSREC_OK);
        assert_int_equal(tsrec_forecast_load(ctx, fp, &f), TSREC_OK);
        check_fixture(p, f);
        /* The v1 files describe exactly what this build computes from the
         * same data: same metrics, same forecast. */
        assert_same_predictor(orig, p, 2);
        assert_same_export(orig, p);
        assert_same_forecast(forig, f, "");
        tsrec_forecast *f2 = NULL;
        assert_int_equal(tsrec_forecast_create(p, NULL, 0, &f2), TSREC_OK);
        assert_same_forecast(f, f2, "");
        tsrec_forecast_free(f2);
        tsrec_forecast_free(f);
        tsrec_predictor_free(p);
    }
    tsrec_forecast_free(forig);
    tsrec_predictor_free(orig);
    tsrec_dataset_group_free(g);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ets_file),     cmocka_unit_test(test_npts_membuf),
        cmocka_unit_test(test_automl_file),  cmocka_unit_test(test_independent),
        cmocka_unit_test(test_forecast_file), cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_corrupt),      cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_with_loaded_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
