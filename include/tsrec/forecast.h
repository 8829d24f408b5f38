/* libtsrec: predictors, backtests, accuracy metrics and forecasts -- the
 * Amazon Forecast CreatePredictor / GetAccuracyMetrics / CreateForecast /
 * QueryForecast / export workflow.
 *
 * Requests are the AWS JSON request bodies (the same text an AWS CLI user
 * writes), so bindings and the tsrec CLI need no extra structs. Results come
 * back as AWS-shaped JSON (two-call pattern: pass buf=NULL/cap=0 to learn the
 * length) and as plain C arrays. A predictor holds its configuration,
 * backtest results and metrics; it is immutable once created and may be
 * read from several threads. Thread-safety: creation is per-handle on the
 * dataset group; reads of a finished predictor or forecast (the functions
 * taking a const handle) are safe from any number of threads at once and
 * report failures only in the calling thread's tsrec_last_error(), never
 * in the shared handle's tsrec_errmsg(). */
#ifndef TSREC_FORECAST_H
#define TSREC_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include <tsrec/dataset.h>
#include <tsrec/export.h>

TSREC_BEGIN_DECLS

typedef struct tsrec_predictor tsrec_predictor;
typedef struct tsrec_forecast tsrec_forecast;

/* Evaluation window selector for metric accessors. */
#define TSREC_WINDOW_SUMMARY (-1)

/* ---- predictors ------------------------------------------------------- */

/* Create and evaluate a predictor on a Forecast dataset group (legacy
 * CreatePredictor). request_json, e.g.
 *   {"PredictorName":"p1","AlgorithmArn":"arn:aws:forecast:::algorithm/ETS",
 *    "ForecastHorizon":24,"ForecastTypes":["0.1","0.5","0.9","mean"],
 *    "PerformAutoML":false,"TrainingParameters":{"kernel_type":"uniform"},
 *    "EvaluationParameters":{"NumberOfBacktestWindows":2,"BackTestWindowOffset":24},
 *    "FeaturizationConfig":{"ForecastFrequency":"H","ForecastDimensions":["location"],
 *      "Featurizations":[{"AttributeName":"target_value","FeaturizationPipeline":
 *        [{"FeaturizationMethodName":"filling","FeaturizationMethodParameters":
 *          {"aggregation":"sum","middlefill":"zero","backfill":"zero"}}]}]}}
 * AlgorithmArn may also be the bare name ("ETS", "NPTS"), or name a
 * libtsrec baseline by bare name only: "Naive", "SeasonalNaive", "Theta".
 * AutoML ("PerformAutoML":true) evaluates ETS and NPTS, as AWS does; the
 * libtsrec-specific key "AutoMLCandidates":["ETS","NPTS","Theta",
 * "SeasonalNaive"] (AutoML only) sets the algorithms it evaluates instead,
 * each checked against the built-in algorithms (tsrec_build_info() lists
 * them). Series an algorithm cannot fit get a naive forecast, logged at
 * TSREC_LOG_INFO with a count. A series is an item id plus the dimension
 * fields listed in ForecastDimensions; the target is aggregated over the
 * dimensions left out (with the target's aggregation method, sum by
 * default), as AWS does. Runs the
 * backtests (per item across the ctx thread pool, with progress and
 * cancel) and computes the accuracy metrics. Errors are recorded on the
 * group; *out_predictor is NULL on failure. */
TSREC_API int tsrec_predictor_create(tsrec_dataset_group *group, const char *request_json,
                                     size_t len, tsrec_predictor **out_predictor);
TSREC_API void tsrec_predictor_free(tsrec_predictor *predictor);

/* Name of the algorithm used (for AutoML: the one chosen), e.g. "ETS". */
TSREC_API int tsrec_predictor_algorithm(const tsrec_predictor *predictor, const char **out_name);

/* GetAccuracyMetrics response JSON ({"PredictorEvaluationResults":[...]}),
 * with one entry per evaluated algorithm (all candidates for AutoML).
 * Writes at most cap bytes including the NUL; *out_len = length without
 * the NUL (call with buf NULL to size). */
TSREC_API int tsrec_predictor_accuracy_json(const tsrec_predictor *predictor, char *buf,
                                            size_t cap, size_t *out_len);

/* One metric of the chosen algorithm: metric is "wQL" (needs quantile),
 * "AverageWeightedQuantileLoss", "WAPE", "RMSE", "MAPE" or "MASE"; window
 * 0..n-1 or TSREC_WINDOW_SUMMARY. */
TSREC_API int tsrec_predictor_metric(const tsrec_predictor *predictor, int32_t window,
                                     const char *metric, double quantile, double *out_value);

/* Write the backtest export (PredictorBacktestExportJob shape): in folder
 * dir, forecasted-values/<name>_part0.csv and
 * accuracy-metrics-values/<name>_part0.csv. */
TSREC_API int tsrec_predictor_export_backtest(const tsrec_predictor *predictor,
                                              const char *dir, const char *name);

/* The target history the predictor was trained on for one item, on its
 * forecast grid after filling (NaN where a period has no value): period
 * start timestamps (epoch seconds) and values, *out_n periods. Two-call
 * pattern: both outputs NULL (cap 0) gives *out_n; otherwise cap must be
 * >= *out_n and either output may be NULL. With ForecastDimensions the
 * item's first series (in data order) is returned. TSREC_E_UNKNOWN_NAME
 * when the item is not in the data. The dataset group must still exist. */
TSREC_API int tsrec_predictor_history(const tsrec_predictor *predictor, const char *item_id,
                                      int64_t *out_timestamps, double *out_values,
                                      int64_t cap, int64_t *out_n);

/* Start of each backtest window's test period (the split between training
 * and testing data), earliest first, *out_n = NumberOfBacktestWindows.
 * Two-call pattern as above. */
TSREC_API int tsrec_predictor_backtest_splits(const tsrec_predictor *predictor,
                                              int64_t *out_timestamps, int64_t cap,
                                              int64_t *out_n);

/* ---- forecasts --------------------------------------------------------- */

/* CreateForecast: forecast every series of the group's target dataset for
 * ForecastHorizon periods after its last timestamp, retraining on all data.
 * request_json may be NULL or {"ForecastName":"f1","ForecastTypes":[...],
 * "TimeSeriesSelector":{...}}, every member optional; ForecastTypes is a
 * subset of the predictor's types. The predictor must outlive nothing: the
 * forecast copies what it needs.
 *
 * TimeSeriesSelector forecasts only the series a file names:
 *   {"TimeSeriesIdentifiers":{
 *      "DataSource":{"S3Config":{"Path":"ids.csv","RoleArn":"...","KMSKeyArn":"..."}},
 *      "Schema":{"Attributes":[{"AttributeName":"item_id","AttributeType":"string"},
 *                              {"AttributeName":"store","AttributeType":"string"}]},
 *      "Format":"CSV"}}
 * Path is a local CSV or CSV.gz file or a folder of them (no S3; RoleArn
 * and KMSKeyArn are accepted and ignored). Format is "CSV" (default);
 * "PARQUET" gives TSREC_E_UNSUPPORTED. The Schema gives the file's columns
 * in order: the item id field (required) and any of the predictor's
 * ForecastDimensions, all "string". Files have no header (a first line
 * spelling the attribute names is skipped, as in imports). A row selects
 * the series with that item id and those dimension values; with fewer
 * dimensions than ForecastDimensions it selects every series that matches
 * on the listed ones (a libtsrec choice: AWS does not say). Only the
 * selected series are computed and kept: tsrec_forecast_dims counts them,
 * queries of other series give TSREC_E_UNKNOWN_NAME, the export and saved
 * file hold only them. Repeated rows count once; rows that name no series
 * are ignored and their number logged at TSREC_LOG_WARN. Errors: a missing
 * member (TSREC_E_INVALID_ARG), a bad Schema (TSREC_E_SCHEMA), a Path that
 * does not exist (TSREC_E_IO), no rows (TSREC_E_EMPTY), a row with the
 * wrong number of fields (TSREC_E_SCHEMA), malformed CSV (TSREC_E_PARSE),
 * no row naming a series (TSREC_E_UNKNOWN_NAME). */
TSREC_API int tsrec_forecast_create(tsrec_predictor *predictor, const char *request_json,
                                    size_t len, tsrec_forecast **out_forecast);
TSREC_API void tsrec_forecast_free(tsrec_forecast *forecast);

/* Shape: series, horizon and forecast types (e.g. "p10", "p50", "mean"). */
TSREC_API int tsrec_forecast_dims(const tsrec_forecast *forecast, int64_t *out_series,
                                  int64_t *out_horizon, int64_t *out_types);
TSREC_API int tsrec_forecast_type_name(const tsrec_forecast *forecast, int64_t i,
                                       const char **out_name);

/* QueryForecast: filters_json is the Filters map, e.g.
 * {"item_id":"client_1","location":"NYC"}; the response JSON is
 * {"Forecast":{"Predictions":{"p10":[{"Timestamp":"...","Value":...}],...}}}.
 * TSREC_E_UNKNOWN_NAME (ResourceNotFound) when no series matches. */
TSREC_API int tsrec_forecast_query_json(const tsrec_forecast *forecast, const char *filters_json,
                                        size_t len, char *buf, size_t cap, size_t *out_len);

/* C array form of a query: series selected by item id and dimension values
 * (n_dims values in the order of ForecastDimensions). out_timestamps gets
 * horizon epoch seconds, out_values horizon x types values (type-major:
 * out_values[t * horizon + k]). Either output may be NULL. */
TSREC_API int tsrec_forecast_query(const tsrec_forecast *forecast, const char *item_id,
                                   const char *const *dims, int64_t n_dims,
                                   int64_t *out_timestamps, double *out_values);

/* ForecastExportJob CSV: item_id[,dims],date,p10,p50,p90[,mean]. */
TSREC_API int tsrec_forecast_export_csv(const tsrec_forecast *forecast, const char *path);

TSREC_END_DECLS

#endif /* TSREC_FORECAST_H */
