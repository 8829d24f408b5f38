/* Predictors and forecasts (include/tsrec/forecast.h): the parsed
 * CreatePredictor request, backtest results per algorithm, and the forecast
 * handle. Files:
 *   predictor_request.c  CreatePredictor JSON -> tsrec__predictor_config
 *   backtest.c           windows, per-series forecasting on the pool,
 *                        metrics per window
 *   predictor.c          create/free/accessors, AutoML choice
 *   predictor_json.c     GetAccuracyMetrics JSON, backtest export CSVs
 *   forecast.c           CreateForecast, accessors
 *   forecast_query.c     QueryForecast JSON and C array form
 *   forecast_export.c    ForecastExportJob CSV
 *   series_keys.c        item / dimension strings of the series
 *   forecast_selector.c  CreateForecast TimeSeriesSelector
 *
 * Backtest windows (AWS documents only the last one): with horizon h,
 * offset o and W windows on a grid of n periods, window w (0 = earliest)
 * tests periods [split_w, split_w + h) with split_w = n - o - (W-1-w) h and
 * trains each series on its periods before split_w. */
#ifndef TSREC_PREDICTOR_INTERNAL_H
#define TSREC_PREDICTOR_INTERNAL_H

#include <stdint.h>

#include "algo_internal.h"
#include "core_internal.h"
#include "featurize_internal.h"
#include "json_internal.h"
#include "metrics_internal.h"
#include "strdict_internal.h"
#include "tsrec/forecast.h"

#define TSREC__MAGIC_PREDICTOR 0x54535052u /* "TSPR" */
#define TSREC__MAGIC_FORECAST 0x54534643u  /* "TSFC" */

#define TSREC__NAME_MAX 63
#define TSREC__MAX_BACKTEST_WINDOWS 5
#define TSREC__MAX_HORIZON 500
#define TSREC__MAX_FORECAST_DIMS 10
#define TSREC__MAX_AUTOML_CANDIDATES 16

/* One forecast type: a quantile ("0.1" -> p10) or the mean. */
typedef struct tsrec__ftype {
    double q;       /* quantile level, NaN for the mean */
    char name[8];   /* export/query column: "p10", "p5", "p99", "mean" */
    char text[8];   /* as requested: "0.1", "mean" */
} tsrec__ftype;

typedef struct tsrec__predictor_config {
    char name[TSREC__NAME_MAX + 1];
    int32_t automl;
    int32_t freq;                 /* forecast frequency */
    const tsrec__forecast_algo *algo; /* NULL with AutoML */
    /* AutoML: the algorithms evaluated, in registry order (the default
     * TSREC__ALGO_AUTOML ones, or the request's AutoMLCandidates). */
    int32_t n_candidates;
    const tsrec__forecast_algo *candidates[TSREC__MAX_AUTOML_CANDIDATES];
    int64_t horizon;
    int32_t n_types;
    tsrec__ftype types[TSREC__MAX_FORECAST_TYPES];
    int32_t nq;                   /* quantile types, in request order */
    double q[TSREC__MAX_FORECAST_TYPES];
    int32_t n_windows;
    int64_t offset;               /* BackTestWindowOffset */
    tsrec__params *params;        /* algorithm hyperparameters (NULL: AutoML) */
    tsrec__fill_config fill;      /* target filling */
    char opt_metric[32];          /* OptimizationMetric (AutoML's choice) */
    int32_t n_related;            /* related-feature filling configs */
    char *related_names[50];
    tsrec__fill_config related[50];
    int32_t n_fdims;              /* ForecastDimensions */
    char *fdims[TSREC__MAX_FORECAST_DIMS];
} tsrec__predictor_config;

/* Parse a CreatePredictor request for group g (needed to check field
 * names). Errors are recorded on eh; *cfg holds nothing to free on
 * failure. The data-length rules are checked later (tsrec__config_check_len). */
int tsrec__predictor_request_parse(tsrec_ctx *ctx, tsrec__handle *eh,
                                   const tsrec_dataset_group *g, const char *json,
                                   size_t len, tsrec__predictor_config *cfg);
/* Horizon and offset rules against the target length n_time. */
int tsrec__config_check_len(const tsrec__predictor_config *cfg, tsrec__handle *eh,
                            int64_t n_time);
void tsrec__predictor_config_free(tsrec_ctx *ctx, tsrec__predictor_config *cfg);
/* The featurization a config asks for (frequency, horizon, filling,
 * ForecastDimensions); spec borrows from cfg. */
void tsrec__predictor_featurize_spec(const tsrec__predictor_config *cfg,
                                     tsrec__featurize_spec *spec);
/* Check a name against ^[a-zA-Z][a-zA-Z0-9_]*$ (1-63); `what` for messages. */
int tsrec__check_resource_name(tsrec__handle *eh, const char *what, const char *s,
                               size_t len);
/* Parse a ForecastTypes entry ("0.1", ".05", "mean") into *t. */
int tsrec__ftype_parse(tsrec__handle *eh, const char *s, size_t len, tsrec__ftype *t);

/* ---- per-series forecasting (backtest.c) -------------------------------- */

/* Forecast series [0, b->n_series) of a batch from the periods before
 * `split` (one past the last period used) for h steps. Series s is
 * skipped when skip != NULL && skip[s]. out_mean[s * h + t] and
 * out_q[(s * nq + k) * h + t]. fell_back[s] = 1 when the algorithm used its
 * fallback (may be NULL). Runs on the ctx pool; deterministic; cancel
 * checked between series; progress reported under `what`. */
int tsrec__forecast_batch(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__forecast_algo *algo,
                          const tsrec__params *params, const tsrec__series_batch *b,
                          int64_t split, int64_t h, const double *q, int32_t nq,
                          const uint8_t *skip, double *out_mean, double *out_q,
                          uint8_t *fell_back, const char *what);

/* One evaluated algorithm. */
typedef struct tsrec__algo_eval {
    const tsrec__forecast_algo *algo;
    tsrec__params *params;        /* owned; set by the caller after the run */
    int32_t n_windows;
    int64_t split[TSREC__MAX_BACKTEST_WINDOWS];       /* grid index */
    tsrec__metrics win[TSREC__MAX_BACKTEST_WINDOWS];
    tsrec__metrics summary;
    /* per window w, series s: included in the window (complete actuals) */
    uint8_t *included;    /* n_windows x n_series */
    double *mean;         /* n_windows x n_series x h */
    double *qv;           /* n_windows x n_series x nq x h */
    int64_t n_fell_back;  /* series-windows that used the fallback */
} tsrec__algo_eval;

/* Run every backtest window of one algorithm. */
int tsrec__backtest_run(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__predictor_config *cfg,
                        const tsrec__forecast_algo *algo, const tsrec__params *params,
                        const tsrec__series_batch *b, tsrec__algo_eval *out);
void tsrec__algo_eval_free(tsrec_ctx *ctx, tsrec__algo_eval *e);

/* ---- series keys (series_keys.c) ---------------------------------------- */

/* Item id and dimension strings of every series of a batch, the names of
 * the id field and of the ForecastDimensions (in request order). dims are
 * n_series x n_dims, in ForecastDimensions order. */
typedef struct tsrec__series_keys {
    int64_t n_series;
    int32_t n_dims;
    char *id_name;
    char *target_name;
    char *dim_names[TSREC__MAX_FORECAST_DIMS];
    char **items;
    char **dims;
} tsrec__series_keys;

int tsrec__series_keys_build(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec_dataset_group *g,
                             const tsrec__predictor_config *cfg, const tsrec__series_batch *b,
                             tsrec__series_keys *out);
void tsrec__series_keys_free(tsrec_ctx *ctx, tsrec__series_keys *k);

/* Keep only the series s with !skip[s], in order, freeing the others'
 * strings. Never allocates, so it cannot fail. */
void tsrec__series_keys_keep(tsrec_ctx *ctx, tsrec__series_keys *k, const uint8_t *skip);

/* ---- TimeSeriesSelector (forecast_selector.c) --------------------------- */

/* A parsed CreateForecast TimeSeriesSelector and, once read, its distinct
 * rows. A row is interned as one key: the item id, then the values of the
 * listed ForecastDimensions in ForecastDimensions order, joined by NUL
 * bytes (the CSV reader refuses NUL inside a field, so keys never clash). */
typedef struct tsrec__selector {
    char *path;                   /* NULL: no selector (every series) */
    int32_t n_cols;               /* Schema attributes = CSV columns */
    char *col_names[1 + TSREC__MAX_FORECAST_DIMS];
    /* Per column: -1 for the item id, else its ForecastDimensions index. */
    int32_t col_dim[1 + TSREC__MAX_FORECAST_DIMS];
    /* Key part k (0 = item id, then listed dimensions in
     * ForecastDimensions order) comes from column key_col[k]. */
    int32_t key_col[1 + TSREC__MAX_FORECAST_DIMS];
    uint8_t dim_listed[TSREC__MAX_FORECAST_DIMS];
    int64_t n_rows;               /* rows read (duplicates included) */
    int64_t n_too_long;           /* rows too long to be a series key */
    tsrec__strdict rows;          /* distinct rows as keys */
    int32_t rows_ready;           /* rows initialised (to free) */
    char *key;                    /* scratch for one key, TSREC__STRDICT_MAX_LEN bytes */
} tsrec__selector;

/* Parse the TimeSeriesSelector value v of a CreateForecast request for a
 * predictor of group g with config cfg. Checks the shape, Format and
 * Schema (the id field and listed ForecastDimensions, all string); does
 * not touch the file. On failure *sel holds nothing to free. */
int tsrec__selector_parse(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec_dataset_group *g,
                          const tsrec__predictor_config *cfg, const tsrec__json *v,
                          tsrec__selector *sel);
/* Read the rows of sel->path (a CSV / CSV.gz file or a folder of them). */
int tsrec__selector_read(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__selector *sel);
/* Set skip[s] = 1 for every series of k that no row selects and count
 * the selected series (TSREC_E_UNKNOWN_NAME when none) and the distinct
 * rows that select nothing (*out_unmatched). */
int tsrec__selector_match(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__selector *sel,
                          const tsrec__series_keys *k, uint8_t *skip, int64_t *out_selected,
                          int64_t *out_unmatched);
void tsrec__selector_free(tsrec_ctx *ctx, tsrec__selector *sel); /* zeroed is fine */

/* ---- handles ------------------------------------------------------------ */

struct tsrec_predictor {
    tsrec__handle hdr;
    tsrec_dataset_group *group;   /* borrowed: must outlive the predictor */
    tsrec__predictor_config cfg;
    tsrec__series_batch batch;    /* the featurized data the backtests used */
    int32_t n_evals;
    int32_t chosen;               /* index into evals */
    tsrec__algo_eval *evals;
};

struct tsrec_forecast {
    tsrec__handle hdr;
    char name[TSREC__NAME_MAX + 1];
    int32_t freq;
    int64_t horizon;
    int32_t n_types;
    tsrec__ftype types[TSREC__MAX_FORECAST_TYPES];
    int64_t *timestamps;          /* horizon period starts */
    double *values;               /* n_series x n_types x horizon */
    tsrec__series_keys keys;
};

/* Write text to path (TSREC_E_IO naming the path). */
int tsrec__write_file(tsrec__handle *eh, const char *path, const char *text, size_t len);

/* Growable text buffer for CSV output. */
typedef struct tsrec__textbuf {
    tsrec_ctx *ctx;
    char *p;
    size_t len, cap;
    int status;
} tsrec__textbuf;
void tsrec__tb_init(tsrec__textbuf *t, tsrec_ctx *ctx);
void tsrec__tb_free(tsrec__textbuf *t);
void tsrec__tb_puts(tsrec__textbuf *t, const char *s);
void tsrec__tb_printf(tsrec__textbuf *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A CSV field, quoted when it holds a comma, quote or newline. */
void tsrec__tb_csv_field(tsrec__textbuf *t, const char *s);
/* A double in the shortest form that reads back exactly ("" for NaN). */
void tsrec__tb_double(tsrec__textbuf *t, double v);

/* ---- saved predictors (predictor_save.c, predictor_load.c) -------------- */

/* State version of a saved predictor (io.h); loading refuses newer ones. */
#define TSREC__PREDICTOR_STATE_VERSION 1u

/* Fingerprint of a featurized batch saved with a predictor: a 64-bit hash
 * of the filled target, its observed flags and per-series spans,
 * independent of byte order (values as bit patterns, every NaN alike). A
 * loaded predictor's group must featurize to the same value. */
uint64_t tsrec__predictor_data_hash(const tsrec__series_batch *b);

#endif /* TSREC_PREDICTOR_INTERNAL_H */
