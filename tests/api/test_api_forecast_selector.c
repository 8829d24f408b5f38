/* CreateForecast TimeSeriesSelector: a forecast of only the series a local
 * CSV file (or a folder of CSV / CSV.gz files) names. Checked against a
 * forecast of every series of the same ETS predictor (deterministic): the
 * selected series must carry bit-identical values. Also the item-only
 * selector that matches every location of an item, duplicate and unknown
 * rows (counted in a WARN log line), that only the selected series are
 * computed (the progress total), query / export / save-load of a
 * selected forecast, and every bad request: clear status and message, no
 * forecast, the predictor unchanged. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "test_util.h"

static const char *SCHEMA =
    "{\"Attributes\":[{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"channel\",\"AttributeType\":\"string\"}]}";

#define N_HOURS 240
#define HORIZON 12
#define N_TYPES 4
#define N_SERIES 3

static const char *const ITEMS[N_SERIES] = {"client_1", "client_2", "client_1"};
static const char *const LOCS[N_SERIES] = {"NYC", "NYC", "SF"};

/* Shared by every test: one group, one ETS predictor by item x location,
 * its forecast of every series, a scratch folder, and the WARN log. */
typedef struct fixture {
    tsrec_ctx *ctx;
    tsrec_dataset_group *g;
    tsrec_predictor *p;
    tsrec_forecast *all;
    char dir[64];
} fixture;

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

/* The forecasting step's progress total: how many series it computes. */
static int64_t g_forecast_total;

static void progress_cb(void *user, const char *what, int64_t done, int64_t total)
{
    (void)user;
    (void)done;
    if (strncmp(what, "forecast ", 9) == 0)
        g_forecast_total = total;
}

static double value_at(int s, int t)
{
    uint64_t x = (uint64_t)(s * 1000003 + t) * 0x9E3779B97F4A7C15ULL;
    double noise = (double)(x >> 11) / 9007199254740992.0 - 0.5;
    return 10.0 + 3.0 * s + 4.0 * sin(2.0 * M_PI * (double)(t % 24) / 24.0) + noise;
}

static tsrec_dataset_group *make_group(tsrec_ctx *ctx)
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
                                                        "H", &ds),
                     TSREC_OK);
    tsrec_schema_free(schema);
    int64_t n = N_SERIES * (int64_t)N_HOURS;
    const char **cells = calloc((size_t)n * 5, sizeof(char *));
    char (*text)[2][32] = calloc((size_t)n, sizeof(*text));
    assert_non_null(cells);
    assert_non_null(text);
    int64_t r = 0;
    for (int s = 0; s < N_SERIES; s++)
        for (int t = 0; t < N_HOURS; t++, r++) {
            snprintf(text[r][0], 32, "2020-01-%02d %02d:00:00", 1 + t / 24, t % 24);
            snprintf(text[r][1], 32, "%.6f", value_at(s, t));
            const char *row[5] = {text[r][0], text[r][1], ITEMS[s], LOCS[s], "web"};
            memcpy(&cells[r * 5], row, sizeof row);
        }
    assert_int_equal(tsrec_dataset_import_rows(ds, cells, n, 5, NULL, NULL), TSREC_OK);
    free(cells);
    free(text);
    return g;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.log = log_cb;
    o.log_level = TSREC_LOG_WARN;
    o.progress = progress_cb;
    assert_int_equal(tsrec_ctx_new(&o, &fx->ctx), TSREC_OK);
    fx->g = make_group(fx->ctx);
    char req[1024];
    snprintf(req, sizeof req,
             "{\"PredictorName\":\"p1\",\"AlgorithmArn\":\"ETS\",\"ForecastHorizon\":%d,"
             "\"ForecastTypes\":[\"0.1\",\"0.5\",\"0.9\",\"mean\"],"
             "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":1},"
             "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\","
             "\"ForecastDimensions\":[\"location\"]}}",
             HORIZON);
    int rc = tsrec_predictor_create(fx->g, req, strlen(req), &fx->p);
    if (rc != TSREC_OK)
        print_error("predictor: %s\n", tsrec_errmsg(fx->g));
    assert_int_equal(rc, TSREC_OK);
    assert_int_equal(tsrec_forecast_create(fx->p, NULL, 0, &fx->all), TSREC_OK);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/tsrec_sel_XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    tsrec_forecast_free(fx->all);
    tsrec_predictor_free(fx->p);
    tsrec_dataset_group_free(fx->g);
    tu_ctx_free_checked(fx->ctx);
    free(fx);
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static const char *path_of(const fixture *fx, const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", fx->dir, name);
    return buf[k];
}

static const char *write_file(const fixture *fx, const char *name, const char *text)
{
    const char *p = path_of(fx, name);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
    return p;
}

static const char *ATTR_ITEM = "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}";
static const char *ATTR_LOC = "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"}";
static const char *BOTH =
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"}";

static char g_req[4096];

/* A CreateForecast request whose selector reads `path` with the
 * attributes `attrs` (the inside of "Attributes":[...]). */
static const char *selector_request(const char *path, const char *attrs)
{
    snprintf(g_req, sizeof g_req,
             "{\"ForecastName\":\"sel\",\"TimeSeriesSelector\":{\"TimeSeriesIdentifiers\":{"
             "\"DataSource\":{\"S3Config\":{\"Path\":\"%s\",\"RoleArn\":\"arn:aws:iam::1:role/r\","
             "\"KMSKeyArn\":\"arn:aws:kms:us-east-1:1:key/k\"}},"
             "\"Schema\":{\"Attributes\":[%s]},\"Format\":\"CSV\"}}}",
             path, attrs);
    return g_req;
}

static tsrec_forecast *create_ok(const fixture *fx, const char *req)
{
    tsrec_forecast *f = NULL;
    int rc = tsrec_forecast_create(fx->p, req, strlen(req), &f);
    if (rc != TSREC_OK)
        fail_msg("create: %d %s", rc, tsrec_errmsg(fx->p));
    return f;
}

static int64_t n_series(const tsrec_forecast *f)
{
    int64_t ns = -1, h = 0, nt = 0;
    assert_int_equal(tsrec_forecast_dims(f, &ns, &h, &nt), TSREC_OK);
    assert_int_equal(h, HORIZON);
    assert_int_equal(nt, N_TYPES);
    return ns;
}

/* Series s of the data is in f with exactly the values of the full
 * forecast. */
static void assert_same(const fixture *fx, const tsrec_forecast *f, int s)
{
    int64_t ts[HORIZON], ts_all[HORIZON];
    double v[N_TYPES * HORIZON], v_all[N_TYPES * HORIZON];
    const char *dims[1] = {LOCS[s]};
    assert_int_equal(tsrec_forecast_query(f, ITEMS[s], dims, 1, ts, v), TSREC_OK);
    assert_int_equal(tsrec_forecast_query(fx->all, ITEMS[s], dims, 1, ts_all, v_all), TSREC_OK);
    assert_memory_equal(ts, ts_all, sizeof ts);
    assert_memory_equal(v, v_all, sizeof v);
}

static void assert_absent(const tsrec_forecast *f, int s)
{
    const char *dims[1] = {LOCS[s]};
    double v[N_TYPES * HORIZON];
    assert_int_equal(tsrec_forecast_query(f, ITEMS[s], dims, 1, NULL, v), TSREC_E_UNKNOWN_NAME);
    char filt[128];
    size_t len = 0;
    snprintf(filt, sizeof filt, "{\"item_id\":\"%s\",\"location\":\"%s\"}", ITEMS[s], LOCS[s]);
    assert_int_equal(tsrec_forecast_query_json(f, filt, strlen(filt), NULL, 0, &len),
                     TSREC_E_UNKNOWN_NAME);
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = calloc(1, 1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    fclose(fp);
    buf[n] = 0;
    return buf;
}

static int count_lines(const char *s, const char *prefix)
{
    int n = 0;
    for (const char *p = s; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        n += strncmp(p, prefix, strlen(prefix)) == 0;
    return n;
}

/* ---- selection ---------------------------------------------------------- */

/* One of three series: the same values bit for bit, the others are gone
 * from the dims, queries and the export. */
static void test_select_one(void **state)
{
    fixture *fx = *state;
    g_log[0] = '\0';
    const char *p = write_file(fx, "one.csv", "client_2,NYC\n");
    g_forecast_total = -1;
    tsrec_forecast *f = create_ok(fx, selector_request(p, BOTH));
    assert_int_equal(n_series(f), 1);
    assert_int_equal(g_forecast_total, 1); /* the others were never computed */
    assert_same(fx, f, 1);
    assert_absent(f, 0);
    assert_absent(f, 2);
    assert_int_equal(g_log[0], '\0'); /* every row matched: nothing to report */
    const char *out = path_of(fx, "one_export.csv");
    assert_int_equal(tsrec_forecast_export_csv(f, out), TSREC_OK);
    char *csv = read_all(out);
    assert_int_equal(strncmp(csv, "item_id,location,date,p10,p50,p90,mean\n", 39), 0);
    assert_int_equal(count_lines(csv, "client_2,NYC,"), HORIZON);
    assert_int_equal(count_lines(csv, "client_1,"), 0);
    free(csv);
    tsrec_forecast_free(f);
}

/* A folder of two files, one gzipped and one with a header line. */
static void test_select_folder(void **state)
{
    fixture *fx = *state;
    char folder[128];
    snprintf(folder, sizeof folder, "%s/folder", fx->dir);
    assert_int_equal(mkdir(folder, 0700), 0);
    write_file(fx, "folder/a.csv", "item_id,location\nclient_1,SF\n");
    const char *gz = path_of(fx, "folder/b.csv.gz");
    gzFile z = gzopen(gz, "wb");
    assert_non_null(z);
    const char *text = "client_2,NYC\r\n";
    assert_int_equal(gzwrite(z, text, (unsigned)strlen(text)), (int)strlen(text));
    assert_int_equal(gzclose(z), Z_OK);
    tsrec_forecast *f = create_ok(fx, selector_request(folder, BOTH));
    assert_int_equal(n_series(f), 2);
    assert_same(fx, f, 1);
    assert_same(fx, f, 2);
    assert_absent(f, 0);
    tsrec_forecast_free(f);
}

/* Only the item id while ForecastDimensions is ["location"]: the row
 * selects the item at every location (libtsrec's reading). */
static void test_select_item_only(void **state)
{
    fixture *fx = *state;
    const char *p = write_file(fx, "items.csv", "client_1\n");
    tsrec_forecast *f = create_ok(fx, selector_request(p, ATTR_ITEM));
    assert_int_equal(n_series(f), 2);
    assert_same(fx, f, 0);
    assert_same(fx, f, 2);
    assert_absent(f, 1);
    tsrec_forecast_free(f);
}

/* Repeated rows count once; rows naming no series (an unknown item, a
 * known item at a location it does not have, "NaN", which is just an id)
 * are ignored and counted in the log. Columns may come in any order. */
static void test_unmatched_and_duplicates(void **state)
{
    fixture *fx = *state;
    g_log[0] = '\0';
    const char *p = write_file(fx, "dups.csv",
                               "NYC,client_2\nNYC,client_2\nNYC,nobody\nNYC,NaN\n"
                               "SF,client_2\nNYC,nobody\n\"NYC\",\"client_2\"\n");
    char attrs[256];
    snprintf(attrs, sizeof attrs, "%s,%s", ATTR_LOC, ATTR_ITEM);
    tsrec_forecast *f = create_ok(fx, selector_request(p, attrs));
    assert_int_equal(n_series(f), 1);
    assert_same(fx, f, 1);
    if (strstr(g_log, "3 TimeSeriesSelector rows") == NULL ||
        strstr(g_log, "no series") == NULL)
        fail_msg("log: %s", g_log);
    tsrec_forecast_free(f);
}

/* A selected forecast saves and loads with the same series and values. */
static void test_save_load(void **state)
{
    fixture *fx = *state;
    const char *p = write_file(fx, "save.csv", "client_1,SF\n");
    tsrec_forecast *f = create_ok(fx, selector_request(p, BOTH));
    const char *file = path_of(fx, "sel.tsrec");
    assert_int_equal(tsrec_forecast_save(f, file), TSREC_OK);
    tsrec_forecast *g = NULL;
    assert_int_equal(tsrec_forecast_load(fx->ctx, file, &g), TSREC_OK);
    assert_int_equal(n_series(g), 1);
    assert_same(fx, g, 2);
    assert_absent(g, 0);
    assert_absent(g, 1);
    const char *e1 = path_of(fx, "e1.csv"), *e2 = path_of(fx, "e2.csv");
    assert_int_equal(tsrec_forecast_export_csv(f, e1), TSREC_OK);
    assert_int_equal(tsrec_forecast_export_csv(g, e2), TSREC_OK);
    char *a = read_all(e1), *b = read_all(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    tsrec_forecast_free(g);
    tsrec_forecast_free(f);
}

/* ---- bad input ----------------------------------------------------------- */

static void fails(const fixture *fx, const char *req, int status, const char *needle)
{
    tsrec_forecast *f = (tsrec_forecast *)(uintptr_t)1;
    int rc = tsrec_forecast_create(fx->p, req, strlen(req), &f);
    if (rc != status || strstr(tsrec_errmsg(fx->p), needle) == NULL)
        fail_msg("%s\n  got %d (%s), want %d '%s'", req, rc, tsrec_errmsg(fx->p), status,
                 needle);
    assert_null(f);
}

/* A request with the TimeSeriesSelector value `sel` as given. */
static const char *raw_request(const char *sel)
{
    snprintf(g_req, sizeof g_req, "{\"TimeSeriesSelector\":%s}", sel);
    return g_req;
}

static void test_bad_requests(void **state)
{
    fixture *fx = *state;
    size_t live0 = 0, live = 0;
    assert_int_equal(tsrec_ctx_memory_stats(fx->ctx, &live0, NULL, NULL), TSREC_OK);
    double wql0 = NAN;
    assert_int_equal(tsrec_predictor_metric(fx->p, TSREC_WINDOW_SUMMARY,
                                            "AverageWeightedQuantileLoss", 0, &wql0),
                     TSREC_OK);
    const char *good = write_file(fx, "good.csv", "client_1,NYC\n");
    char buf[2048];

    /* The request's shape. */
    fails(fx, raw_request("{}"), TSREC_E_INVALID_ARG, "TimeSeriesIdentifiers is required");
    fails(fx, raw_request("[]"), TSREC_E_BAD_TYPE, "must be an object");
    fails(fx, raw_request("{\"TimeSeriesIdentifiers\":{},\"Extra\":1}"), TSREC_E_INVALID_ARG,
          "unknown key 'Extra'");
    snprintf(buf, sizeof buf,
             "{\"TimeSeriesIdentifiers\":{\"Schema\":{\"Attributes\":[%s]}}}", BOTH);
    fails(fx, raw_request(buf), TSREC_E_INVALID_ARG, "DataSource is required");
    snprintf(buf, sizeof buf,
             "{\"TimeSeriesIdentifiers\":{\"DataSource\":{},\"Schema\":{\"Attributes\":[%s]}}}",
             BOTH);
    fails(fx, raw_request(buf), TSREC_E_INVALID_ARG, "S3Config is required");
    snprintf(buf, sizeof buf,
             "{\"TimeSeriesIdentifiers\":{\"DataSource\":{\"S3Config\":{\"RoleArn\":\"r\"}},"
             "\"Schema\":{\"Attributes\":[%s]}}}",
             BOTH);
    fails(fx, raw_request(buf), TSREC_E_INVALID_ARG, "Path is required");
    snprintf(buf, sizeof buf,
             "{\"TimeSeriesIdentifiers\":{\"DataSource\":{\"S3Config\":{\"Path\":7}},"
             "\"Schema\":{\"Attributes\":[%s]}}}",
             BOTH);
    fails(fx, raw_request(buf), TSREC_E_BAD_TYPE, "Path");
    snprintf(buf, sizeof buf,
             "{\"TimeSeriesIdentifiers\":{\"DataSource\":{\"S3Config\":{\"Path\":\"%s\"}}}}",
             good);
    fails(fx, raw_request(buf), TSREC_E_INVALID_ARG, "Schema is required");
    fails(fx, selector_request("s3://bucket/ids.csv", BOTH), TSREC_E_UNSUPPORTED, "S3");

    /* Format. */
    snprintf(buf, sizeof buf,
             "{\"TimeSeriesIdentifiers\":{\"DataSource\":{\"S3Config\":{\"Path\":\"%s\"}},"
             "\"Schema\":{\"Attributes\":[%s]},\"Format\":\"PARQUET\"}}",
             good, BOTH);
    fails(fx, raw_request(buf), TSREC_E_UNSUPPORTED, "PARQUET");
    snprintf(buf, sizeof buf,
             "{\"TimeSeriesIdentifiers\":{\"DataSource\":{\"S3Config\":{\"Path\":\"%s\"}},"
             "\"Schema\":{\"Attributes\":[%s]},\"Format\":\"csv\"}}",
             good, BOTH);
    fails(fx, raw_request(buf), TSREC_E_INVALID_ARG, "Format must be CSV or PARQUET");

    /* Schema. */
    fails(fx, selector_request(good, ATTR_LOC), TSREC_E_SCHEMA, "must list the item id");
    fails(fx, selector_request(good,
                               "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
                               "{\"AttributeName\":\"channel\",\"AttributeType\":\"string\"}"),
          TSREC_E_SCHEMA, "'channel' is neither the item id field 'item_id' nor");
    fails(fx, selector_request(good,
                               "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"}"),
          TSREC_E_SCHEMA, "'target_value' is neither");
    fails(fx, selector_request(good,
                               "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
                               "{\"AttributeName\":\"location\",\"AttributeType\":\"integer\"}"),
          TSREC_E_SCHEMA, "'location' must have AttributeType \"string\", not \"integer\"");
    snprintf(buf, sizeof buf, "%s,%s", BOTH, ATTR_LOC);
    fails(fx, selector_request(good, buf), TSREC_E_DUPLICATE, "appears twice");
    fails(fx, selector_request(good, ""), TSREC_E_SCHEMA, "TimeSeriesSelector Schema");

    /* The file. */
    fails(fx, selector_request(path_of(fx, "missing.csv"), BOTH), TSREC_E_IO,
          "does not exist");
    fails(fx, selector_request(write_file(fx, "empty.csv", ""), BOTH), TSREC_E_EMPTY,
          "holds no rows");
    fails(fx, selector_request(write_file(fx, "header.csv", "ITEM_ID,Location\n"), BOTH),
          TSREC_E_EMPTY, "holds no rows");
    char empty_dir[128];
    snprintf(empty_dir, sizeof empty_dir, "%s/empty_dir", fx->dir);
    assert_int_equal(mkdir(empty_dir, 0700), 0);
    fails(fx, selector_request(empty_dir, BOTH), TSREC_E_EMPTY, "holds no rows");
    fails(fx, selector_request(write_file(fx, "cols.csv", "client_1,NYC\nclient_2\n"), BOTH),
          TSREC_E_SCHEMA, "line 2 has 1 field; the Schema lists 2");
    fails(fx, selector_request(write_file(fx, "cols3.csv", "client_1,NYC,web\n"), BOTH),
          TSREC_E_SCHEMA, "line 1 has 3 fields");
    fails(fx, selector_request(write_file(fx, "quote.csv", "client_1,NYC\n\"client_2,NYC\n"),
                               BOTH),
          TSREC_E_PARSE, "invalid CSV");
    fails(fx, selector_request(write_file(fx, "none.csv", "nobody,NYC\nclient_2,SF\n"), BOTH),
          TSREC_E_UNKNOWN_NAME, "none of the 2 rows");

    /* Nothing was created or leaked, and the predictor is as it was: same
     * metric, same full forecast. */
    assert_int_equal(tsrec_ctx_memory_stats(fx->ctx, &live, NULL, NULL), TSREC_OK);
    assert_int_equal(live, live0);
    double wql = NAN;
    assert_int_equal(tsrec_predictor_metric(fx->p, TSREC_WINDOW_SUMMARY,
                                            "AverageWeightedQuantileLoss", 0, &wql),
                     TSREC_OK);
    assert_memory_equal(&wql, &wql0, sizeof wql);
    tsrec_forecast *f = create_ok(fx, "{\"ForecastName\":\"again\"}");
    assert_int_equal(n_series(f), N_SERIES);
    for (int s = 0; s < N_SERIES; s++)
        assert_same(fx, f, s);
    tsrec_forecast_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_one),
        cmocka_unit_test(test_select_folder),
        cmocka_unit_test(test_select_item_only),
        cmocka_unit_test(test_unmatched_and_duplicates),
        cmocka_unit_test(test_save_load),
        cmocka_unit_test(test_bad_requests),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
