/* The forecast.h entry points when the library is built with
 * -Dforecast=false: the symbols exist (the map file lists them) and answer
 * TSREC_E_UNSUPPORTED, so a caller learns the feature is not built in. */
#include "core_internal.h"
#include "tsrec/forecast.h"
#include "tsrec/io.h"

static int not_built(const char *fn)
{
    return tsrec__fail_tls(TSREC_E_UNSUPPORTED,
                           "%s: libtsrec was built without the Forecast half (-Dforecast=false)",
                           fn);
}

int tsrec_predictor_create(tsrec_dataset_group *group, const char *request_json, size_t len,
                           tsrec_predictor **out_predictor)
{
    (void)group;
    (void)request_json;
    (void)len;
    if (out_predictor != NULL)
        *out_predictor = NULL;
    return not_built("tsrec_predictor_create");
}

void tsrec_predictor_free(tsrec_predictor *predictor)
{
    (void)predictor;
}

int tsrec_predictor_algorithm(const tsrec_predictor *predictor, const char **out_name)
{
    (void)predictor;
    (void)out_name;
    return not_built("tsrec_predictor_algorithm");
}

int tsrec_predictor_accuracy_json(const tsrec_predictor *predictor, char *buf, size_t cap,
                                  size_t *out_len)
{
    (void)predictor;
    (void)buf;
    (void)cap;
    (void)out_len;
    return not_built("tsrec_predictor_accuracy_json");
}

int tsrec_predictor_metric(const tsrec_predictor *predictor, int32_t window, const char *metric,
                           double quantile, double *out_value)
{
    (void)predictor;
    (void)window;
    (void)metric;
    (void)quantile;
    (void)out_value;
    return not_built("tsrec_predictor_metric");
}

int tsrec_predictor_export_backtest(const tsrec_predictor *predictor, const char *dir,
                                    const char *name)
{
    (void)predictor;
    (void)dir;
    (void)name;
    return not_built("tsrec_predictor_export_backtest");
}

int tsrec_predictor_history(const tsrec_predictor *predictor, const char *item_id,
                            int64_t *out_timestamps, double *out_values, int64_t cap,
                            int64_t *out_n)
{
    (void)predictor;
    (void)item_id;
    (void)out_timestamps;
    (void)out_values;
    (void)cap;
    if (out_n != NULL)
        *out_n = 0;
    return not_built("tsrec_predictor_history");
}

int tsrec_predictor_backtest_splits(const tsrec_predictor *predictor, int64_t *out_timestamps,
                                    int64_t cap, int64_t *out_n)
{
    (void)predictor;
    (void)out_timestamps;
    (void)cap;
    if (out_n != NULL)
        *out_n = 0;
    return not_built("tsrec_predictor_backtest_splits");
}

int tsrec_forecast_create(tsrec_predictor *predictor, const char *request_json, size_t len,
                          tsrec_forecast **out_forecast)
{
    (void)predictor;
    (void)request_json;
    (void)len;
    if (out_forecast != NULL)
        *out_forecast = NULL;
    return not_built("tsrec_forecast_create");
}

void tsrec_forecast_free(tsrec_forecast *forecast)
{
    (void)forecast;
}

int tsrec_forecast_dims(const tsrec_forecast *forecast, int64_t *out_series, int64_t *out_horizon,
                        int64_t *out_types)
{
    (void)forecast;
    (void)out_series;
    (void)out_horizon;
    (void)out_types;
    return not_built("tsrec_forecast_dims");
}

int tsrec_forecast_type_name(const tsrec_forecast *forecast, int64_t i, const char **out_name)
{
    (void)forecast;
    (void)i;
    (void)out_name;
    return not_built("tsrec_forecast_type_name");
}

int tsrec_forecast_query_json(const tsrec_forecast *forecast, const char *filters_json,
                              size_t len, char *buf, size_t cap, size_t *out_len)
{
    (void)forecast;
    (void)filters_json;
    (void)len;
    (void)buf;
    (void)cap;
    (void)out_len;
    return not_built("tsrec_forecast_query_json");
}

int tsrec_forecast_query(const tsrec_forecast *forecast, const char *item_id,
                         const char *const *dims, int64_t n_dims, int64_t *out_timestamps,
                         double *out_values)
{
    (void)forecast;
    (void)item_id;
    (void)dims;
    (void)n_dims;
    (void)out_timestamps;
    (void)out_values;
    return not_built("tsrec_forecast_query");
}

int tsrec_forecast_export_csv(const tsrec_forecast *forecast, const char *path)
{
    (void)forecast;
    (void)path;
    return not_built("tsrec_forecast_export_csv");
}

/* ---- io.h: predictors and forecasts ---------------------------------------- */

int tsrec_predictor_save(const tsrec_predictor *predictor, const char *path)
{
    (void)predictor;
    (void)path;
    return not_built("tsrec_predictor_save");
}

int tsrec_predictor_save_to(const tsrec_predictor *predictor, tsrec_write_fn write, void *user)
{
    (void)predictor;
    (void)write;
    (void)user;
    return not_built("tsrec_predictor_save_to");
}

int tsrec_predictor_load(tsrec_dataset_group *group, const char *path,
                         tsrec_predictor **out_predictor)
{
    (void)group;
    (void)path;
    if (out_predictor != NULL)
        *out_predictor = NULL;
    return not_built("tsrec_predictor_load");
}

int tsrec_predictor_load_from(tsrec_dataset_group *group, tsrec_read_fn read, void *user,
                              tsrec_predictor **out_predictor)
{
    (void)group;
    (void)read;
    (void)user;
    if (out_predictor != NULL)
        *out_predictor = NULL;
    return not_built("tsrec_predictor_load_from");
}

int tsrec_forecast_save(const tsrec_forecast *forecast, const char *path)
{
    (void)forecast;
    (void)path;
    return not_built("tsrec_forecast_save");
}

int tsrec_forecast_save_to(const tsrec_forecast *forecast, tsrec_write_fn write, void *user)
{
    (void)forecast;
    (void)write;
    (void)user;
    return not_built("tsrec_forecast_save_to");
}

int tsrec_forecast_load(tsrec_ctx *ctx, const char *path, tsrec_forecast **out_forecast)
{
    (void)ctx;
    (void)path;
    if (out_forecast != NULL)
        *out_forecast = NULL;
    return not_built("tsrec_forecast_load");
}

int tsrec_forecast_load_from(tsrec_ctx *ctx, tsrec_read_fn read, void *user,
                             tsrec_forecast **out_forecast)
{
    (void)ctx;
    (void)read;
    (void)user;
    if (out_forecast != NULL)
        *out_forecast = NULL;
    return not_built("tsrec_forecast_load_from");
}
