/* examples/forecast.c: the Amazon Forecast workflow with libtsrec.
 *
 *   dataset group -> dataset with a schema -> CSV import -> predictor
 *   (backtests + accuracy metrics) -> forecast -> P10/P50/P90 of one item
 *
 * Usage: forecast [file.csv [item_id]]
 *   file.csv  hourly data without a header, columns timestamp,target_value,
 *             item_id (the layout of the AWS electricity sample); without it
 *             the program writes a small generated file and uses that.
 *   item_id   the series to print (default: the first item of the file).
 *
 * Build against the installed library:
 *   cc -std=c11 forecast.c $(pkg-config --cflags --libs libtsrec) -lm -o forecast
 *
 * Every call returns TSREC_OK or a status code; the message of a failure is
 * on the handle the call was made on (tsrec_errmsg), or for a ctx that could
 * not be created in tsrec_last_error(). */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tsrec/tsrec.h>

static const char SCHEMA[] =
    "{\"Attributes\":["
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}";

/* CreatePredictor: NPTS, one day ahead, the three default quantiles. */
static const char PREDICTOR_REQUEST[] =
    "{\"PredictorName\":\"example_predictor\",\"AlgorithmArn\":\"arn:aws:forecast:::algorithm/NPTS\","
    "\"ForecastHorizon\":24,\"ForecastTypes\":[\"0.1\",\"0.5\",\"0.9\"],"
    "\"EvaluationParameters\":{\"NumberOfBacktestWindows\":1,\"BackTestWindowOffset\":24},"
    "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\"}}";

/* Print what failed and the library's message, return 1 for main's exit. */
static int fail(const char *what, int status, const void *handle)
{
    fprintf(stderr, "forecast: %s failed: %s: %s\n", what, tsrec_status_str(status),
            handle != NULL ? tsrec_errmsg(handle) : tsrec_last_error());
    return 1;
}

/* Two weeks of hourly demand for three items: a daily cycle plus a level
 * per item and a little deterministic noise. Returns 0 on success. */
static int write_sample_csv(char *path_template)
{
    int fd = mkstemp(path_template);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    if (f == NULL) {
        close(fd);
        return -1;
    }
    const double pi = 3.14159265358979323846;
    unsigned seed = 7;
    for (int item = 0; item < 3; item++) {
        for (int h = 0; h < 14 * 24; h++) {
            seed = seed * 1103515245u + 12345u;
            double noise = (double)((seed >> 16) % 1000) / 1000.0;
            double v = 10.0 + 5.0 * item + 4.0 * sin(2.0 * pi * (h % 24) / 24.0) + noise;
            fprintf(f, "2024-03-%02d %02d:00:00,%.3f,item_%d\n", 1 + h / 24, h % 24, v, item);
        }
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* The item id in the first line of a CSV file (third column). */
static int first_item(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[512];
    int rc = -1;
    if (fgets(line, sizeof line, f) != NULL) {
        char *c = strrchr(line, ',');
        if (c != NULL) {
            c[strcspn(c, "\r\n")] = '\0';
            if (strlen(c + 1) + 1 <= cap) {
                strcpy(out, c + 1);
                rc = 0;
            }
        }
    }
    fclose(f);
    return rc;
}

/* The whole workflow on one ctx; every handle is freed on every path. */
static int run(tsrec_ctx *ctx, const char *csv_path, const char *item_id)
{
    int status, ret = 1;
    tsrec_schema *schema = NULL;
    tsrec_dataset_group *group = NULL;
    tsrec_predictor *predictor = NULL;
    tsrec_forecast *forecast = NULL;
    tsrec_import_report *report = NULL;
    char *json = NULL;

    status = tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, SCHEMA, strlen(SCHEMA), &schema);
    if (status != TSREC_OK) {
        ret = fail("tsrec_schema_parse", status, ctx);
        goto done;
    }
    status = tsrec_dataset_group_new(ctx, "example_group", TSREC_SERVICE_FORECAST, "CUSTOM",
                                     &group);
    if (status != TSREC_OK) {
        ret = fail("tsrec_dataset_group_new", status, ctx);
        goto done;
    }
    tsrec_dataset *dataset = NULL; /* owned by the group */
    status = tsrec_dataset_group_create_dataset(group, "example_demand", "TARGET_TIME_SERIES",
                                                schema, "H", &dataset);
    if (status != TSREC_OK) {
        ret = fail("tsrec_dataset_group_create_dataset", status, group);
        goto done;
    }

    /* Import; on failure the report says which rows were bad and why. */
    status = tsrec_dataset_import_csv(dataset, csv_path, NULL, &report);
    if (status != TSREC_OK) {
        ret = fail("tsrec_dataset_import_csv", status, dataset);
        int64_t n_err = 0;
        if (report != NULL && tsrec_import_report_error_count(report, &n_err) == TSREC_OK) {
            for (int64_t i = 0; i < n_err; i++) {
                const char *file = NULL, *msg = NULL;
                int64_t line = 0, col = 0;
                if (tsrec_import_report_error(report, i, &file, &line, &col, &msg) == TSREC_OK)
                    fprintf(stderr, "  %s:%lld:%lld: %s\n", file ? file : "-", (long long)line,
                            (long long)col, msg);
            }
        }
        goto done;
    }
    int64_t rows = 0, rejected = 0;
    status = tsrec_import_report_rows(report, &rows, &rejected);
    if (status != TSREC_OK) {
        ret = fail("tsrec_import_report_rows", status, report);
        goto done;
    }
    printf("imported %lld rows from %s\n", (long long)rows, csv_path);

    /* CreatePredictor runs the backtest and computes the accuracy metrics. */
    status = tsrec_predictor_create(group, PREDICTOR_REQUEST, strlen(PREDICTOR_REQUEST),
                                    &predictor);
    if (status != TSREC_OK) {
        ret = fail("tsrec_predictor_create", status, group);
        goto done;
    }
    const char *algo = NULL;
    status = tsrec_predictor_algorithm(predictor, &algo);
    if (status != TSREC_OK) {
        ret = fail("tsrec_predictor_algorithm", status, predictor);
        goto done;
    }
    printf("predictor: %s\n", algo);
    static const char *const metrics[] = {"AverageWeightedQuantileLoss", "WAPE", "RMSE",
                                          "MAPE", "MASE"};
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        double v = 0.0;
        status = tsrec_predictor_metric(predictor, TSREC_WINDOW_SUMMARY, metrics[i], 0.0, &v);
        if (status != TSREC_OK) {
            ret = fail("tsrec_predictor_metric", status, predictor);
            goto done;
        }
        printf("  %-28s %.4f\n", metrics[i], v);
    }
    static const double quantiles[] = {0.1, 0.5, 0.9};
    for (size_t i = 0; i < 3; i++) {
        double v = 0.0;
        status = tsrec_predictor_metric(predictor, TSREC_WINDOW_SUMMARY, "wQL", quantiles[i], &v);
        if (status != TSREC_OK) {
            ret = fail("tsrec_predictor_metric", status, predictor);
            goto done;
        }
        printf("  wQL[%.1f]%20s %.4f\n", quantiles[i], "", v);
    }

    /* CreateForecast retrains on all data and forecasts 24 hours ahead. */
    status = tsrec_forecast_create(predictor, NULL, 0, &forecast);
    if (status != TSREC_OK) {
        ret = fail("tsrec_forecast_create", status, predictor);
        goto done;
    }
    int64_t n_series = 0, horizon = 0, n_types = 0;
    status = tsrec_forecast_dims(forecast, &n_series, &horizon, &n_types);
    if (status != TSREC_OK) {
        ret = fail("tsrec_forecast_dims", status, forecast);
        goto done;
    }
    printf("forecast: %lld series x %lld hours x %lld types\n", (long long)n_series,
           (long long)horizon, (long long)n_types);

    /* QueryForecast in its C array form: values are type-major. */
    int64_t *ts = malloc((size_t)horizon * sizeof *ts);
    double *values = malloc((size_t)(horizon * n_types) * sizeof *values);
    if (ts == NULL || values == NULL) {
        free(ts);
        free(values);
        fprintf(stderr, "forecast: out of memory\n");
        goto done;
    }
    status = tsrec_forecast_query(forecast, item_id, NULL, 0, ts, values);
    if (status != TSREC_OK) {
        free(ts);
        free(values);
        ret = fail("tsrec_forecast_query", status, forecast);
        goto done;
    }
    printf("%s:\n  %-16s", item_id, "hour (UTC)");
    for (int64_t t = 0; t < n_types; t++) {
        const char *name = NULL;
        if (tsrec_forecast_type_name(forecast, t, &name) != TSREC_OK)
            name = "?";
        printf(" %10s", name);
    }
    printf("\n");
    for (int64_t k = 0; k < horizon; k++) {
        char when[32] = "?";
        time_t secs = (time_t)ts[k];
        const struct tm *tm = gmtime(&secs);
        if (tm != NULL)
            strftime(when, sizeof when, "%Y-%m-%d %H:%M", tm);
        printf("  %-16s", when);
        for (int64_t t = 0; t < n_types; t++)
            printf(" %10.3f", values[t * horizon + k]);
        printf("\n");
    }
    free(ts);
    free(values);

    /* The same query as AWS JSON (two calls: size, then fill). */
    char filters[300];
    snprintf(filters, sizeof filters, "{\"item_id\":\"%s\"}", item_id);
    size_t len = 0;
    status = tsrec_forecast_query_json(forecast, filters, strlen(filters), NULL, 0, &len);
    if (status != TSREC_OK) {
        ret = fail("tsrec_forecast_query_json", status, forecast);
        goto done;
    }
    json = malloc(len + 1);
    if (json == NULL) {
        fprintf(stderr, "forecast: out of memory\n");
        goto done;
    }
    status = tsrec_forecast_query_json(forecast, filters, strlen(filters), json, len + 1, &len);
    if (status != TSREC_OK) {
        ret = fail("tsrec_forecast_query_json", status, forecast);
        goto done;
    }
    printf("QueryForecast response: %zu bytes, begins %.60s...\n", len, json);
    ret = 0;

done:
    free(json);
    tsrec_forecast_free(forecast);
    tsrec_predictor_free(predictor);
    tsrec_import_report_free(report);
    tsrec_dataset_group_free(group);
    tsrec_schema_free(schema);
    return ret;
}

int main(int argc, char **argv)
{
    char generated[] = "/tmp/tsrec-forecast-example-XXXXXX";
    const char *csv_path = argc > 1 ? argv[1] : NULL;
    if (csv_path == NULL) {
        if (write_sample_csv(generated) != 0) {
            perror("forecast: cannot write the sample CSV");
            return 1;
        }
        csv_path = generated;
    }
    char item[256];
    if (argc > 2) {
        snprintf(item, sizeof item, "%s", argv[2]);
    } else if (first_item(csv_path, item, sizeof item) != 0) {
        fprintf(stderr, "forecast: cannot read an item id from %s\n", csv_path);
        return 1;
    }

    printf("libtsrec %s\n", tsrec_version_string());
    tsrec_ctx_options opts;
    tsrec_ctx_options_init(&opts);
    opts.n_threads = 2;
    tsrec_ctx *ctx = NULL;
    int status = tsrec_ctx_new(&opts, &ctx);
    int ret = status == TSREC_OK ? run(ctx, csv_path, item) : fail("tsrec_ctx_new", status, NULL);
    tsrec_ctx_free(ctx);
    if (csv_path == generated)
        remove(generated);
    return ret;
}
