/* Fuzz target for CreatePredictor and CreateForecast request bodies on a
 * small Forecast dataset group (two items x two locations, hourly, with a
 * related price series and item metadata). The first byte picks the body:
 * even = a CreatePredictor request, odd = a CreateForecast request against
 * a fixed ETS predictor. Properties checked: the status is a documented
 * one, a failed call returns no handle, a created predictor answers its
 * metrics and makes a forecast, and nothing leaks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { N_HOURS = 96, HORIZON = 6 };

static const char *TTS =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"target_value\",\"AttributeType\":\"float\"},"
    "{\"AttributeName\":\"location\",\"AttributeType\":\"string\"}]}";
static const char *RTS =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"timestamp\",\"AttributeType\":\"timestamp\"},"
    "{\"AttributeName\":\"price\",\"AttributeType\":\"float\"}]}";
static const char *IM =
    "{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"},"
    "{\"AttributeName\":\"category\",\"AttributeType\":\"string\"}]}";

static tsrec_dataset *dataset(tsrec_ctx *ctx, tsrec_dataset_group *g, const char *type,
                              const char *schema, const char *freq)
{
    tsrec_schema *s = NULL;
    tsrec_dataset *ds = NULL;
    if (tsrec_schema_parse(ctx, TSREC_SERVICE_FORECAST, schema, strlen(schema), &s) !=
            TSREC_OK ||
        tsrec_dataset_group_create_dataset(g, type, type, s, freq, &ds) != TSREC_OK)
        abort();
    tsrec_schema_free(s);
    return ds;
}

static void fill(tsrec_dataset *tts, tsrec_dataset *rts, tsrec_dataset *im)
{
    static char text[4 * (N_HOURS + HORIZON)][2][32];
    static const char *cells[4 * (N_HOURS + HORIZON) * 4];
    static const char *const ITEM[4] = {"a", "a", "b", "b"}, *const LOC[4] = {"x", "y", "x", "y"};
    int64_t r = 0;
    for (int s = 0; s < 4; s++)
        for (int t = 0; t < N_HOURS; t++, r++) {
            snprintf(text[r][0], 32, "2021-03-%02d %02d:00:00", 1 + t / 24, t % 24);
            snprintf(text[r][1], 32, "%d", 10 + s + (t % 24 < 12 ? t % 7 : 0));
            const char *row[4] = {ITEM[s], text[r][0], t % 17 == 3 ? "" : text[r][1], LOC[s]};
            memcpy(&cells[r * 4], row, sizeof row);
        }
    if (tsrec_dataset_import_rows(tts, cells, r, 4, NULL, NULL) != TSREC_OK)
        abort();
    r = 0;
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < N_HOURS + HORIZON; t++, r++) {
            snprintf(text[r][0], 32, "2021-03-%02d %02d:00:00", 1 + t / 24, t % 24);
            const char *row[3] = {s ? "b" : "a", text[r][0], t % 2 ? "1.5" : "2"};
            memcpy(&cells[r * 3], row, sizeof row);
        }
    if (tsrec_dataset_import_rows(rts, cells, r, 3, NULL, NULL) != TSREC_OK)
        abort();
    const char *meta[4] = {"a", "toys", "b", "books"};
    if (tsrec_dataset_import_rows(im, meta, 2, 2, NULL, NULL) != TSREC_OK)
        abort();
}

static int known_status(int rc)
{
    switch (rc) {
    case TSREC_OK:
    case TSREC_E_INVALID_ARG:
    case TSREC_E_UNKNOWN_NAME:
    case TSREC_E_BAD_TYPE:
    case TSREC_E_OUT_OF_RANGE:
    case TSREC_E_UNSUPPORTED:
    case TSREC_E_EXISTS:
    case TSREC_E_PARSE:
    case TSREC_E_DUPLICATE:
    case TSREC_E_SCHEMA:
    case TSREC_E_EMPTY:
    case TSREC_E_IO:
        return 1;
    default:
        return 0;
    }
}

static void use_forecast(tsrec_predictor *p, const char *req, size_t len)
{
    tsrec_forecast *f = NULL;
    int rc = tsrec_forecast_create(p, req, len, &f);
    if (!known_status(rc) || (rc == TSREC_OK) != (f != NULL))
        abort();
    if (f != NULL) {
        int64_t ns = 0, h = 0, nt = 0;
        if (tsrec_forecast_dims(f, &ns, &h, &nt) != TSREC_OK || ns < 1 || h < 1 || nt < 1)
            abort();
        tsrec_forecast_free(f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    /* A TimeSeriesSelector names a file to read: keep the fuzzer off the
     * machine's files (the selector's own parsing is covered up to Path). */
    for (size_t i = 0; i + 4 <= size; i++)
        if (memcmp(data + i, "Path", 4) == 0)
            return 0;
    tsrec_ctx *ctx = fuzz_ctx_new();
    tsrec_dataset_group *g = NULL;
    if (tsrec_dataset_group_new(ctx, "g", TSREC_SERVICE_FORECAST, "CUSTOM", &g) != TSREC_OK)
        abort();
    fill(dataset(ctx, g, "TARGET_TIME_SERIES", TTS, "H"),
         dataset(ctx, g, "RELATED_TIME_SERIES", RTS, "H"),
         dataset(ctx, g, "ITEM_METADATA", IM, NULL));
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    tsrec_predictor *p = NULL;
    if (data[0] % 2 == 0) {
        int rc = tsrec_predictor_create(g, body, len, &p);
        if (getenv("TSREC_FUZZ_VERBOSE") != NULL) /* what a corpus file exercises */
            fprintf(stderr, "create: %s %s\n", tsrec_status_str(rc), tsrec_errmsg(g));
        if (!known_status(rc) || (rc == TSREC_OK) != (p != NULL))
            abort();
        if (p != NULL) {
            double wape = 0;
            if (tsrec_predictor_metric(p, TSREC_WINDOW_SUMMARY, "WAPE", 0, &wape) != TSREC_OK)
                abort();
            use_forecast(p, NULL, 0);
        }
    } else {
        static const char *ETS =
            "{\"PredictorName\":\"p\",\"AlgorithmArn\":\"ETS\",\"ForecastHorizon\":6,"
            "\"FeaturizationConfig\":{\"ForecastFrequency\":\"H\","
            "\"ForecastDimensions\":[\"location\"]}}";
        if (tsrec_predictor_create(g, ETS, strlen(ETS), &p) != TSREC_OK)
            abort();
        use_forecast(p, body, len);
    }
    tsrec_predictor_free(p);
    tsrec_dataset_group_free(g);
    fuzz_ctx_free(ctx);
    return 0;
}
