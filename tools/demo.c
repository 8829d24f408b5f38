/* tsrec demo: the README's first command. Runs the Amazon Forecast and
 * Amazon Personalize walkthroughs in-process on the bundled MIT-0 sample
 * excerpts (tools/demo-data): import, AutoML with backtest metrics, a
 * P10/P50/P90 forecast and its SVG plots; two solutions with offline
 * metrics, campaign recommendations, and PutEvents changing the next
 * recommendation. Only the public API is used, as a program would. */
#include "demo.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <tsrec/tsrec.h>

#include "plot_svg.h"
#include "progress.h"

#define EXIT_STEP 1
#define EXIT_USAGE 2
#define EXIT_IO 3

#define FC_HORIZON 24
#define FC_WINDOWS 2
#define FC_ITEM "client_12"
#define FC_SHOW_STEPS 6
#define FC_PLOT_HISTORY (7 * 24) /* a week of history before the forecast */
#define PZ_USER "-1519449774703892986" /* a traveller with eight bookings */
#define PZ_SHOW 5

typedef struct demo {
    char data_dir[4096];
    const char *out_dir;
    int32_t threads;
    tsrec_ctx *ctx;
    cli_progress progress;
    double t_start;
} demo;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- small helpers ------------------------------------------------------------ */

/* Print a failed library call with the handle's message; returns EXIT_STEP. */
static int step_failed(demo *d, const char *what, int status, const void *handle)
{
    cli_progress_finish(&d->progress);
    const char *msg = handle != NULL ? tsrec_errmsg(handle) : tsrec_last_error();
    fprintf(stderr, "tsrec demo: %s failed: %s (%s)\n", what,
            msg != NULL && *msg ? msg : tsrec_last_error(), tsrec_status_str(status));
    return EXIT_STEP;
}

static void path_join(char *buf, size_t cap, const char *dir, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
}

/* A whole text file (the schemas), malloc'd and NUL-terminated. */
static char *read_text(const char *path, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *out_len = len;
    return buf;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Is dir a demo-data folder? */
static int has_demo_data(const char *dir)
{
    char p[4200];
    path_join(p, sizeof p, dir, "electricity.csv.gz");
    return file_exists(p);
}

/* Where the data is: --data-dir, $TSREC_DEMO_DATA, the source tree this
 * binary was built from, <exe>/../share/tsrec/demo-data (an installed or
 * relocated tree), then the configured install folder. */
static int find_data_dir(demo *d, const char *given)
{
    const char *cand[4];
    int n = 0;
    char exe_rel[4096] = "";
    if (given != NULL) {
        cand[n++] = given;
    } else {
        const char *env = getenv("TSREC_DEMO_DATA");
        if (env != NULL && *env)
            cand[n++] = env;
#ifdef TSREC_DEMO_DATA_DIR
        cand[n++] = TSREC_DEMO_DATA_DIR;
#endif
        char exe[3000];
        ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (k > 0) {
            exe[k] = '\0';
            char *slash = strrchr(exe, '/');
            if (slash != NULL) {
                *slash = '\0';
                snprintf(exe_rel, sizeof exe_rel, "%s/../share/tsrec/demo-data", exe);
                cand[n++] = exe_rel;
            }
        }
#ifdef TSREC_DEMO_INSTALL_DIR
        cand[n++] = TSREC_DEMO_INSTALL_DIR;
#endif
    }
    for (int i = 0; i < n; i++) {
        if (has_demo_data(cand[i])) {
            snprintf(d->data_dir, sizeof d->data_dir, "%s", cand[i]);
            return 0;
        }
    }
    fprintf(stderr, "tsrec demo: the demo data (electricity.csv.gz) was not found in:\n");
    for (int i = 0; i < n; i++)
        fprintf(stderr, "  %s\n", cand[i]);
    fprintf(stderr, "pass --data-dir DIR (the tools/demo-data folder of the source tree)\n");
    return -1;
}

static void fmt_utc(char *buf, size_t cap, int64_t t, const char *fmt_kind)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL) {
        snprintf(buf, cap, "%lld", (long long)t);
        return;
    }
    size_t n = fmt_kind[0] == 'd' ? strftime(buf, cap, "%Y-%m-%d", &tm)
                                  : strftime(buf, cap, "%Y-%m-%d %H:%M", &tm);
    if (n == 0 && cap > 0)
        buf[0] = '\0';
}

/* ---- a minimal JSON reader for the response documents ------------------------ */

/* The responses are compact, machine-written JSON; these helpers walk
 * them without building a tree. Every function stops at `end`. */
static const char *js_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

/* One past the value starting at p (after whitespace), or NULL. */
static const char *js_skip(const char *p, const char *end)
{
    p = js_ws(p, end);
    if (p >= end)
        return NULL;
    if (*p == '"') {
        for (p++; p < end; p++) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                return p + 1;
        }
        return NULL;
    }
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = js_ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                p = js_skip(p, end); /* key */
                p = p != NULL ? js_ws(p, end) : NULL;
                if (p == NULL || p >= end || *p != ':')
                    return NULL;
                p++;
            }
            p = js_skip(p, end);
            p = p != NULL ? js_ws(p, end) : NULL;
            if (p == NULL || p >= end)
                return NULL;
            if (*p == close)
                return p + 1;
            if (*p != ',')
                return NULL;
            p++;
        }
    }
    while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n')
        p++;
    return p;
}

/* Value of member `key` of the object at obj, or NULL. */
static const char *js_get(const char *obj, const char *end, const char *key)
{
    if (obj == NULL)
        return NULL;
    const char *p = js_ws(obj, end);
    if (p >= end || *p != '{')
        return NULL;
    p++;
    size_t klen = strlen(key);
    for (;;) {
        p = js_ws(p, end);
        if (p >= end || *p != '"')
            return NULL;
        const char *kend = js_skip(p, end);
        if (kend == NULL)
            return NULL;
        int match = (size_t)(kend - p) == klen + 2 && memcmp(p + 1, key, klen) == 0;
        p = js_ws(kend, end);
        if (p >= end || *p != ':')
            return NULL;
        p = js_ws(p + 1, end);
        if (match)
            return p;
        p = js_skip(p, end);
        p = p != NULL ? js_ws(p, end) : NULL;
        if (p == NULL || p >= end || *p != ',')
            return NULL;
        p++;
    }
}

/* Element i of the array at arr, or NULL. */
static const char *js_at(const char *arr, const char *end, int i)
{
    if (arr == NULL)
        return NULL;
    const char *p = js_ws(arr, end);
    if (p >= end || *p != '[')
        return NULL;
    p = js_ws(p + 1, end);
    if (p < end && *p == ']')
        return NULL;
    for (int k = 0;; k++) {
        if (k == i)
            return p;
        p = js_skip(p, end);
        p = p != NULL ? js_ws(p, end) : NULL;
        if (p == NULL || p >= end || *p != ',')
            return NULL;
        p = js_ws(p + 1, end);
    }
}

static double js_num(const char *v)
{
    if (v == NULL || *v == 'n')
        return NAN; /* absent or null */
    return strtod(v, NULL);
}

/* Copy a string value (escapes are kept as written: ids here have none). */
static void js_str(const char *v, const char *end, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (v == NULL || *v != '"')
        return;
    const char *q = js_skip(v, end);
    if (q == NULL)
        return;
    size_t n = (size_t)(q - v) - 2;
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, v + 1, n);
    buf[n] = '\0';
}

/* ---- Forecast ------------------------------------------------------------------- */

#define N_FC_METRICS 7
static const char *const fc_metric_names[N_FC_METRICS] = {
    "wQL[0.1]", "wQL[0.5]", "wQL[0.9]", "Avg wQL", "WAPE", "RMSE", "MASE"};

typedef struct fc_eval {
    char algo[32];
    double m[N_FC_METRICS];
} fc_eval;

/* Summary metrics of every evaluated algorithm from the GetAccuracyMetrics
 * response. Returns the count. */
static int parse_accuracy(const char *json, size_t len, fc_eval *out, int max)
{
    const char *end = json + len;
    const char *results = js_get(json, end, "PredictorEvaluationResults");
    int n = 0;
    for (const char *r; n < max && (r = js_at(results, end, n)) != NULL; n++) {
        fc_eval *e = &out[n];
        char arn[160];
        js_str(js_get(r, end, "AlgorithmArn"), end, arn, sizeof arn);
        const char *slash = strrchr(arn, '/');
        snprintf(e->algo, sizeof e->algo, "%.31s", slash != NULL ? slash + 1 : arn);
        for (int k = 0; k < N_FC_METRICS; k++)
            e->m[k] = NAN;
        const char *wins = js_get(r, end, "TestWindows");
        const char *summary = NULL;
        for (int w = 0; (summary = js_at(wins, end, w)) != NULL; w++) {
            char type[32];
            js_str(js_get(summary, end, "EvaluationType"), end, type, sizeof type);
            if (strcmp(type, "SUMMARY") == 0)
                break;
        }
        const char *m = js_get(summary, end, "Metrics");
        const char *wql = js_get(m, end, "WeightedQuantileLosses");
        for (int q = 0; q < 16; q++) {
            const char *l = js_at(wql, end, q);
            if (l == NULL)
                break;
            double level = js_num(js_get(l, end, "Quantile"));
            double loss = js_num(js_get(l, end, "LossValue"));
            for (int k = 0; k < 3; k++)
                if (fabs(level - 0.1 * (1 + 4 * k)) < 1e-9)
                    e->m[k] = loss;
        }
        e->m[3] = js_num(js_get(m, end, "AverageWeightedQuantileLoss"));
        const char *em = js_at(js_get(m, end, "ErrorMetrics"), end, 0);
        e->m[4] = js_num(js_get(em, end, "WAPE"));
        e->m[5] = js_num(js_get(em, end, "RMSE"));
        e->m[6] = js_num(js_get(em, end, "MASE"));
    }
    return n;
}

static void print_cell(double v)
{
    if (isnan(v))
        printf("  %9s", "n/a");
    else if (fabs(v) >= 100.0)
        printf("  %9.2f", v);
    else
        printf("  %9.4f", v);
}

/* The forecast chart: the last week of the item's history, its backtest
 * splits that fall in that week, and the P10-P90 forecast. */
static int write_forecast_svg(demo *d, const tsrec_predictor *p, const char *item,
                              const int64_t *t_fc, const double *lo, const double *mid,
                              const double *hi)
{
    int64_t n = 0;
    int rc = tsrec_predictor_history(p, item, NULL, NULL, 0, &n);
    if (rc != TSREC_OK)
        return step_failed(d, "predictor history", rc, p);
    int64_t *ts = malloc(sizeof(int64_t) * (size_t)(n > 0 ? n : 1));
    double *ys = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    int64_t splits[8];
    int64_t n_splits = 0;
    if (ts == NULL || ys == NULL) {
        free(ts);
        free(ys);
        fprintf(stderr, "tsrec demo: out of memory\n");
        return EXIT_STEP;
    }
    rc = tsrec_predictor_history(p, item, ts, ys, n, &n);
    if (rc == TSREC_OK)
        rc = tsrec_predictor_backtest_splits(p, splits, 8, &n_splits);
    if (rc != TSREC_OK) {
        free(ts);
        free(ys);
        return step_failed(d, "predictor history", rc, p);
    }
    int64_t from = n > FC_PLOT_HISTORY ? n - FC_PLOT_HISTORY : 0;
    int32_t shown = 0;
    for (int64_t i = 0; i < n_splits; i++)
        if (n > 0 && splits[i] >= ts[from])
            splits[shown++] = splits[i];
    char path[4200], title[160];
    path_join(path, sizeof path, d->out_dir, "forecast.svg");
    snprintf(title, sizeof title, "Electricity demand of %s (kW, hourly): forecast with P10-P90",
             item);
    FILE *f = fopen(path, "w");
    int ok = f != NULL &&
             plot_forecast_svg(f, title, ts + from, ys + from, n - from, t_fc, lo, mid, hi,
                               FC_HORIZON, "P10", "P50", "P90", splits, shown) == 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    free(ts);
    free(ys);
    if (!ok) {
        fprintf(stderr, "tsrec demo: could not write %s: %s\n", path, strerror(errno));
        return EXIT_IO;
    }
    printf("Wrote %s\n", path);
    return 0;
}

static int write_accuracy_svg(demo *d, const fc_eval *ev, int n_ev, int chosen)
{
    const char *algos[16];
    double values[16 * N_FC_METRICS];
    for (int a = 0; a < n_ev; a++) {
        algos[a] = ev[a].algo;
        for (int m = 0; m < N_FC_METRICS; m++)
            values[a * N_FC_METRICS + m] = ev[a].m[m];
    }
    char path[4200];
    path_join(path, sizeof path, d->out_dir, "accuracy.svg");
    FILE *f = fopen(path, "w");
    int ok = f != NULL && plot_accuracy_svg(f, "AutoML backtest accuracy (electricity demo)",
                                            algos, n_ev, fc_metric_names, N_FC_METRICS, values,
                                            chosen) == 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "tsrec demo: could not write %s: %s\n", path, strerror(errno));
        return EXIT_IO;
    }
    printf("Wrote %s\n", path);
    return 0;
}

static int import_file(demo *d, tsrec_dataset *ds, const char *file, const char *label)
{
    char path[4200];
    path_join(path, sizeof path, d->data_dir, file);
    tsrec_import_report *rep = NULL;
    int rc = tsrec_dataset_import_csv(ds, path, NULL, &rep);
    cli_progress_finish(&d->progress);
    if (rc != TSREC_OK) {
        int64_t ne = 0;
        if (rep != NULL && tsrec_import_report_error_count(rep, &ne) == TSREC_OK && ne > 0) {
            const char *ef = NULL, *msg = NULL;
            int64_t line = 0, col = 0;
            if (tsrec_import_report_error(rep, 0, &ef, &line, &col, &msg) == TSREC_OK)
                fprintf(stderr, "  %s:%lld:%lld: %s\n", ef != NULL ? ef : path,
                        (long long)line, (long long)col, msg);
        }
        tsrec_import_report_free(rep);
        return step_failed(d, "CreateDatasetImportJob", rc, ds);
    }
    int64_t rows = 0, rejected = 0;
    double secs = 0.0;
    tsrec_import_report_rows(rep, &rows, &rejected);
    tsrec_import_report_seconds(rep, &secs);
    tsrec_import_report_free(rep);
    printf("Imported %lld %s from %s in %.2f s\n", (long long)rows, label, file, secs);
    return 0;
}

static int run_forecast(demo *d)
{
    int rc, ret = EXIT_STEP;
    tsrec_schema *schema = NULL;
    tsrec_dataset_group *g = NULL;
    tsrec_predictor *p = NULL;
    tsrec_forecast *fc = NULL;
    char *acc = NULL;
    char path[4200];

    printf("== Amazon Forecast: hourly electricity demand of 3 clients (UCI, via the MIT-0 "
           "AWS samples) ==\n\n");
    path_join(path, sizeof path, d->data_dir, "electricity-schema.json");
    size_t slen = 0;
    char *sjson = read_text(path, &slen);
    if (sjson == NULL) {
        fprintf(stderr, "tsrec demo: cannot read %s: %s\n", path, strerror(errno));
        return EXIT_IO;
    }
    rc = tsrec_schema_parse(d->ctx, TSREC_SERVICE_FORECAST, sjson, slen, &schema);
    free(sjson);
    if (rc != TSREC_OK)
        return step_failed(d, "CreateDataset (schema)", rc, d->ctx);
    rc = tsrec_dataset_group_new(d->ctx, "demo_electricity", TSREC_SERVICE_FORECAST, "CUSTOM",
                                 &g);
    if (rc != TSREC_OK) {
        step_failed(d, "CreateDatasetGroup", rc, d->ctx);
        goto done;
    }
    tsrec_dataset *ds = NULL;
    rc = tsrec_dataset_group_create_dataset(g, "electricity_tts", "TARGET_TIME_SERIES", schema,
                                            "H", &ds);
    if (rc != TSREC_OK) {
        step_failed(d, "CreateDataset", rc, g);
        goto done;
    }
    if ((ret = import_file(d, ds, "electricity.csv.gz", "hourly readings")) != 0)
        goto done;
    ret = EXIT_STEP;

    static const char req[] =
        "{\"PredictorName\":\"demo_automl\",\"PerformAutoML\":true,"
        "\"AutoMLCandidates\":[\"ETS\",\"NPTS\",\"Theta\",\"SeasonalNaive\"],"
        "\"ForecastHorizon\":24,\"ForecastTypes\":[\"0.1\",\"0.5\",\"0.9\"],"
        "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":2,\"BackTestWindowOffset\":24},"
        "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";
    printf("\nCreatePredictor with AutoML (ETS, NPTS, Theta, SeasonalNaive), horizon %d h, "
           "%d backtest windows ...\n",
           FC_HORIZON, FC_WINDOWS);
    double t = now_seconds();
    rc = tsrec_predictor_create(g, req, sizeof req - 1, &p);
    cli_progress_finish(&d->progress);
    if (rc != TSREC_OK) {
        step_failed(d, "CreatePredictor", rc, g);
        goto done;
    }
    const char *chosen_name = NULL;
    tsrec_predictor_algorithm(p, &chosen_name);
    printf("Trained and backtested in %.2f s; AutoML chose %s.\n\n", now_seconds() - t,
           chosen_name != NULL ? chosen_name : "?");

    /* GetAccuracyMetrics: one row per candidate. */
    size_t alen = 0;
    rc = tsrec_predictor_accuracy_json(p, NULL, 0, &alen);
    if (rc == TSREC_OK && (acc = malloc(alen + 1)) == NULL)
        rc = TSREC_E_NOMEM;
    if (rc == TSREC_OK)
        rc = tsrec_predictor_accuracy_json(p, acc, alen + 1, &alen);
    if (rc != TSREC_OK) {
        step_failed(d, "GetAccuracyMetrics", rc, p);
        goto done;
    }
    fc_eval ev[16];
    int n_ev = parse_accuracy(acc, alen, ev, 16);
    int chosen = -1;
    printf("GetAccuracyMetrics (average over the backtest windows; lower is better):\n");
    printf("  %-15s", "Algorithm");
    for (int k = 0; k < N_FC_METRICS; k++)
        printf("  %9s", fc_metric_names[k]);
    printf("\n");
    for (int a = 0; a < n_ev; a++) {
        int is_chosen = chosen_name != NULL && strcmp(ev[a].algo, chosen_name) == 0;
        if (is_chosen)
            chosen = a;
        printf("  %-13s%s", ev[a].algo, is_chosen ? " *" : "  ");
        for (int k = 0; k < N_FC_METRICS; k++)
            print_cell(ev[a].m[k]);
        printf("\n");
    }
    char opt[64];
    js_str(js_get(acc, acc + alen, "OptimizationMetric"), acc + alen, opt, sizeof opt);
    printf("  (* chosen by AutoML on %s)\n\n", opt[0] ? opt : "AverageWeightedQuantileLoss");

    /* CreateForecast and the first hours of one item. */
    t = now_seconds();
    rc = tsrec_forecast_create(p, NULL, 0, &fc);
    cli_progress_finish(&d->progress);
    if (rc != TSREC_OK) {
        step_failed(d, "CreateForecast", rc, p);
        goto done;
    }
    int64_t n_series = 0, horizon = 0, n_types = 0;
    tsrec_forecast_dims(fc, &n_series, &horizon, &n_types);
    int ti[3] = {-1, -1, -1};
    static const char *const want[3] = {"p10", "p50", "p90"};
    for (int64_t k = 0; k < n_types; k++) {
        const char *name = NULL;
        if (tsrec_forecast_type_name(fc, k, &name) != TSREC_OK)
            continue;
        for (int j = 0; j < 3; j++)
            if (strcmp(name, want[j]) == 0)
                ti[j] = (int)k;
    }
    if (horizon != FC_HORIZON || ti[0] < 0 || ti[1] < 0 || ti[2] < 0) {
        fprintf(stderr, "tsrec demo: unexpected forecast shape\n");
        goto done;
    }
    int64_t ts[FC_HORIZON];
    double vals[FC_HORIZON * 8];
    if (n_types > 8) {
        fprintf(stderr, "tsrec demo: unexpected forecast shape\n");
        goto done;
    }
    rc = tsrec_forecast_query(fc, FC_ITEM, NULL, 0, ts, vals);
    if (rc != TSREC_OK) {
        step_failed(d, "QueryForecast", rc, fc);
        goto done;
    }
    const double *lo = vals + ti[0] * FC_HORIZON, *mid = vals + ti[1] * FC_HORIZON,
                 *hi = vals + ti[2] * FC_HORIZON;
    printf("CreateForecast: %lld series x %lld hours in %.2f s. QueryForecast for %s "
           "(kW), first %d hours:\n",
           (long long)n_series, (long long)horizon, now_seconds() - t, FC_ITEM, FC_SHOW_STEPS);
    printf("  %-18s  %9s  %9s  %9s\n", "time (UTC)", "P10", "P50", "P90");
    for (int k = 0; k < FC_SHOW_STEPS; k++) {
        char when[40];
        fmt_utc(when, sizeof when, ts[k], "t");
        printf("  %-18s  %9.2f  %9.2f  %9.2f\n", when, lo[k], mid[k], hi[k]);
    }
    printf("\n");
    if ((ret = write_forecast_svg(d, p, FC_ITEM, ts, lo, mid, hi)) != 0)
        goto done;
    if (n_ev > 0 && (ret = write_accuracy_svg(d, ev, n_ev, chosen)) != 0)
        goto done;
    ret = 0;
done:
    free(acc);
    tsrec_forecast_free(fc);
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    tsrec_schema_free(schema);
    return ret;
}

/* ---- Personalize -------------------------------------------------------------- */

/* Flight descriptions (route and airline) by item id, to print
 * recommendations readably. Loaded from travel-items.csv.gz. */
typedef struct item_names {
    int n;
    char (*id)[24];
    char (*text)[96];
} item_names;

static void load_item_names(demo *d, item_names *names)
{
    memset(names, 0, sizeof *names);
    char path[4200];
    path_join(path, sizeof path, d->data_dir, "travel-items.csv.gz");
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL)
        return; /* descriptions are a nicety: ids alone still work */
    char line[512];
    int cap = 0;
    int header = 1;
    while (gzgets(gz, line, sizeof line) != NULL) {
        if (header) {
            header = 0;
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        /* ITEM_ID,DSTCity,SRCCity,Airline */
        char *f[4] = {line, NULL, NULL, NULL};
        for (int k = 1; k < 4; k++) {
            char *c = f[k - 1] != NULL ? strchr(f[k - 1], ',') : NULL;
            if (c != NULL) {
                *c = '\0';
                f[k] = c + 1;
            }
        }
        if (f[3] == NULL)
            continue;
        if (names->n == cap) {
            int ncap = cap ? cap * 2 : 512;
            void *a = realloc(names->id, sizeof *names->id * (size_t)ncap);
            if (a == NULL)
                break;
            names->id = a;
            void *b = realloc(names->text, sizeof *names->text * (size_t)ncap);
            if (b == NULL)
                break;
            names->text = b;
            cap = ncap;
        }
        if (strlen(f[0]) >= sizeof names->id[0])
            continue; /* not an id of this data set */
        memcpy(names->id[names->n], f[0], strlen(f[0]) + 1);
        snprintf(names->text[names->n], sizeof names->text[0], "%.28s -> %.28s, %.28s", f[2],
                 f[1], f[3]);
        names->n++;
    }
    gzclose(gz);
}

static const char *item_text(const item_names *names, const char *id)
{
    for (int i = 0; i < names->n; i++)
        if (strcmp(names->id[i], id) == 0)
            return names->text[i];
    return "";
}

static void print_recs(const item_names *names, const char *const *ids, const double *scores,
                       int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        printf("  %2lld. %-21s %8.4f  %s\n", (long long)i + 1, ids[i], scores[i],
               item_text(names, ids[i]));
}

#define N_PZ_METRICS 6
static const char *const pz_metric_keys[N_PZ_METRICS] = {
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_10",
    "precision_at_25"};
static const char *const pz_metric_short[N_PZ_METRICS] = {"coverage", "MRR@25", "NDCG@10",
                                                          "NDCG@25", "P@10", "P@25"};

static int make_campaign(demo *d, tsrec_dataset_group *g, const char *recipe,
                         tsrec_solution **out_s, tsrec_campaign **out_c)
{
    char req[256];
    snprintf(req, sizeof req,
             "{\"name\":\"demo_%s\",\"recipeArn\":\"arn:aws:personalize:::recipe/%s\"}",
             strcmp(recipe, "aws-sims") == 0 ? "sims" : "popularity", recipe);
    int rc = tsrec_solution_create(g, req, strlen(req), out_s);
    if (rc != TSREC_OK)
        return step_failed(d, "CreateSolution", rc, g);
    tsrec_solution_version *v = NULL;
    double t = now_seconds();
    rc = tsrec_solution_train(*out_s, TSREC_TRAINING_FULL, &v);
    cli_progress_finish(&d->progress);
    if (rc != TSREC_OK)
        return step_failed(d, "CreateSolutionVersion", rc, *out_s);
    printf("  %-22s", recipe);
    for (int k = 0; k < N_PZ_METRICS; k++) {
        double m = NAN;
        tsrec_solution_version_metric(v, pz_metric_keys[k], &m);
        printf("  %8.4f", m);
    }
    printf("  %6.2f s\n", now_seconds() - t);
    snprintf(req, sizeof req, "{\"name\":\"demo_%s_campaign\",\"minProvisionedTPS\":1}",
             strcmp(recipe, "aws-sims") == 0 ? "sims" : "popularity");
    rc = tsrec_campaign_create(v, req, strlen(req), out_c);
    if (rc != TSREC_OK)
        return step_failed(d, "CreateCampaign", rc, v);
    return 0;
}

static int run_personalize(demo *d)
{
    int rc, ret = EXIT_STEP;
    tsrec_schema *schema = NULL;
    tsrec_dataset_group *g = NULL;
    tsrec_solution *s_sims = NULL, *s_pop = NULL;
    tsrec_campaign *c_sims = NULL, *c_pop = NULL;
    tsrec_event_tracker *tracker = NULL;
    item_names names;
    char path[4200];
    load_item_names(d, &names);

    printf("\n== Amazon Personalize: flight bookings (synthetic travel sample, MIT-0) ==\n\n");
    path_join(path, sizeof path, d->data_dir, "travel-interactions-schema.json");
    size_t slen = 0;
    char *sjson = read_text(path, &slen);
    if (sjson == NULL) {
        fprintf(stderr, "tsrec demo: cannot read %s: %s\n", path, strerror(errno));
        ret = EXIT_IO;
        goto done;
    }
    rc = tsrec_schema_parse(d->ctx, TSREC_SERVICE_PERSONALIZE, sjson, slen, &schema);
    free(sjson);
    if (rc != TSREC_OK) {
        step_failed(d, "CreateSchema", rc, d->ctx);
        goto done;
    }
    rc = tsrec_dataset_group_new(d->ctx, "demo_travel", TSREC_SERVICE_PERSONALIZE, NULL, &g);
    if (rc != TSREC_OK) {
        step_failed(d, "CreateDatasetGroup", rc, d->ctx);
        goto done;
    }
    tsrec_dataset *ds = NULL;
    rc = tsrec_dataset_group_create_dataset(g, "travel_interactions", "Interactions", schema,
                                            NULL, &ds);
    if (rc != TSREC_OK) {
        step_failed(d, "CreateDataset", rc, g);
        goto done;
    }
    if ((ret = import_file(d, ds, "travel-interactions.csv.gz", "interactions")) != 0)
        goto done;
    ret = EXIT_STEP;

    printf("\nCreateSolution + CreateSolutionVersion, GetSolutionMetrics (offline evaluation:\n"
           "held-out users' latest bookings against their top 25 recommendations):\n");
    printf("  %-22s", "Recipe");
    for (int k = 0; k < N_PZ_METRICS; k++)
        printf("  %8s", pz_metric_short[k]);
    printf("  %8s\n", "train");
    if (make_campaign(d, g, "aws-sims", &s_sims, &c_sims) != 0 ||
        make_campaign(d, g, "aws-popularity-count", &s_pop, &c_pop) != 0)
        goto done;

    const char *ids[PZ_SHOW + 1];
    double scores[PZ_SHOW + 1];
    int64_t n = 0;
    rc = tsrec_campaign_recommend(c_pop, PZ_USER, NULL, PZ_SHOW, ids, scores, &n);
    if (rc != TSREC_OK || n < 1) {
        step_failed(d, "GetRecommendations", rc != TSREC_OK ? rc : TSREC_E_EMPTY, c_pop);
        goto done;
    }
    printf("\nGetRecommendations for user %s (aws-popularity-count campaign):\n", PZ_USER);
    print_recs(&names, ids, scores, n);
    char picked[64];
    snprintf(picked, sizeof picked, "%s", ids[0]);

    /* SIMS leaves out the most popular tenth of the items (as AWS does), so
     * show it on the first of the user's candidates it has neighbours for. */
    const char *cand[100];
    double cand_scores[100];
    int64_t n_cand = 0;
    rc = tsrec_campaign_recommend(c_pop, PZ_USER, NULL, 100, cand, cand_scores, &n_cand);
    int64_t ns = 0;
    const char *sids[PZ_SHOW];
    double sscores[PZ_SHOW];
    char sims_item[64];
    snprintf(sims_item, sizeof sims_item, "%s", picked);
    for (int64_t i = 0; rc == TSREC_OK && i <= n_cand; i++) {
        const char *item = i < n_cand ? cand[i] : picked; /* none found: the first again */
        rc = tsrec_campaign_recommend(c_sims, NULL, item, PZ_SHOW, sids, sscores, &ns);
        snprintf(sims_item, sizeof sims_item, "%s", item);
        if (rc == TSREC_OK && ns > 0 && sscores[0] > 0.0)
            break;
    }
    if (rc != TSREC_OK) {
        step_failed(d, "GetRecommendations", rc, c_sims);
        goto done;
    }
    printf("\nGetRecommendations for item %s (%s) from the aws-sims campaign,\n"
           "flights booked by the same travellers:\n",
           sims_item, item_text(&names, sims_item));
    print_recs(&names, sids, sscores, ns);

    /* PutEvents: the user books the top recommendation; the campaign sees
     * the event at once and stops recommending what was just booked. */
    static const char treq[] = "{\"name\":\"demo_tracker\"}";
    rc = tsrec_event_tracker_create(g, treq, sizeof treq - 1, &tracker);
    if (rc == TSREC_OK)
        rc = tsrec_event_tracker_attach(tracker, c_pop);
    if (rc != TSREC_OK) {
        step_failed(d, "CreateEventTracker", rc, tracker != NULL ? (void *)tracker : (void *)g);
        goto done;
    }
    char ereq[512];
    snprintf(ereq, sizeof ereq,
             "{\"trackingId\":\"demo\",\"sessionId\":\"demo-session-1\",\"userId\":\"%s\","
             "\"eventList\":[{\"eventType\":\"RATING\",\"eventValue\":9.0,"
             "\"sentAt\":1700000000,\"itemId\":\"%s\"}]}",
             PZ_USER, picked);
    rc = tsrec_event_tracker_put_events(tracker, ereq, strlen(ereq));
    if (rc != TSREC_OK) {
        step_failed(d, "PutEvents", rc, tracker);
        goto done;
    }
    printf("\nPutEvents: user %s books item %s (%s)\n", PZ_USER, picked,
           item_text(&names, picked));
    rc = tsrec_campaign_recommend(c_pop, PZ_USER, NULL, PZ_SHOW, ids, scores, &n);
    if (rc != TSREC_OK) {
        step_failed(d, "GetRecommendations", rc, c_pop);
        goto done;
    }
    int still = 0;
    for (int64_t i = 0; i < n; i++)
        still |= strcmp(ids[i], picked) == 0;
    printf("GetRecommendations for user %s after the event:\n", PZ_USER);
    print_recs(&names, ids, scores, n);
    printf("Next recommendation changed: %s -> %s (%s)\n", picked, n > 0 ? ids[0] : "-",
           still ? "the booked item is still listed" : "the booked item is excluded");
    ret = still ? EXIT_STEP : 0;
done:
    tsrec_event_tracker_free(tracker);
    tsrec_campaign_free(c_sims);
    tsrec_campaign_free(c_pop);
    tsrec_solution_free(s_sims);
    tsrec_solution_free(s_pop);
    tsrec_dataset_group_free(g);
    tsrec_schema_free(schema);
    free(names.id);
    free(names.text);
    return ret;
}

/* ---- entry ------------------------------------------------------------------ */

static int usage(FILE *f)
{
    fprintf(f, "usage: tsrec demo [--output-dir DIR] [--threads N] [--data-dir DIR]\n"
               "\n"
               "Runs the Amazon Forecast and Amazon Personalize walkthroughs on the bundled\n"
               "sample data: import, AutoML predictor with backtest metrics, a P10/P50/P90\n"
               "forecast, two solutions with offline metrics, campaign recommendations and\n"
               "PutEvents changing the next recommendation. Writes forecast.svg and\n"
               "accuracy.svg into DIR (default ./tsrec-demo). N defaults to the online cores.\n");
    return f == stderr ? EXIT_USAGE : 0;
}

int cli_demo_main(int argc, char **argv)
{
    demo d;
    memset(&d, 0, sizeof d);
    d.out_dir = "tsrec-demo";
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    d.threads = cores > 0 && cores < 256 ? (int32_t)cores : 1;
    const char *data_dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return usage(stdout);
        if (i + 1 >= argc) {
            fprintf(stderr, "tsrec demo: unknown option or missing value: %s\n", a);
            return usage(stderr);
        }
        if (strcmp(a, "--output-dir") == 0) {
            d.out_dir = argv[++i];
        } else if (strcmp(a, "--data-dir") == 0) {
            data_dir = argv[++i];
        } else if (strcmp(a, "--threads") == 0) {
            char *end = NULL;
            long v = strtol(argv[++i], &end, 10);
            if (end == argv[i] || *end != '\0' || v < 1 || v > 256) {
                fprintf(stderr, "tsrec demo: --threads wants 1..256, got '%s'\n", argv[i]);
                return EXIT_USAGE;
            }
            d.threads = (int32_t)v;
        } else {
            fprintf(stderr, "tsrec demo: unknown option %s\n", a);
            return usage(stderr);
        }
    }
    if (find_data_dir(&d, data_dir) != 0)
        return EXIT_IO;
    if (mkdir(d.out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tsrec demo: cannot create %s: %s\n", d.out_dir, strerror(errno));
        return EXIT_IO;
    }
    d.t_start = now_seconds();
    cli_progress_init(&d.progress);
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    o.n_threads = d.threads;
    o.progress = cli_progress_fn;
    o.progress_user_data = &d.progress;
    int rc = tsrec_ctx_new(&o, &d.ctx);
    if (rc != TSREC_OK) {
        fprintf(stderr, "tsrec demo: %s\n", tsrec_last_error());
        return EXIT_STEP;
    }
    printf("libtsrec %s demo: %d thread%s, data from %s\n\n", tsrec_version_string(),
           (int)d.threads, d.threads == 1 ? "" : "s", d.data_dir);
    int ret = run_forecast(&d);
    if (ret == 0)
        ret = run_personalize(&d);
    cli_progress_finish(&d.progress);
    tsrec_ctx_free(d.ctx);
    if (ret == 0)
        printf("\nDemo finished in %.1f s. Open %s/forecast.svg and %s/accuracy.svg in a "
               "browser.\n",
               now_seconds() - d.t_start, d.out_dir, d.out_dir);
    return ret;
}
