/* Forecast featurization on plain arrays: aggregation of the target to the
 * forecast frequency, alignment of every series to one time grid, and
 * filling of missing values exactly as Amazon Forecast describes it
 * (aws-surface.md A2.3, A2.4, A3.1, A3.2). The result is a dense
 * tsrec__series_batch that forecasting algorithms consume without knowing
 * about files, schemas or datasets.
 *
 * Files: aggregate.c (bucketing rows into periods), fill.c (filling config
 * and the filling itself), series_batch.c (the batch and the drivers that
 * build it), featurize.c (the adapter from datasets, when present).
 *
 * Terms, per series on the grid of periods 0..n_time-1 (period 0 starts at
 * t0, the earliest period start over all series):
 *   start  first period holding an observed value;
 *   end    one past the last period holding an observed value;
 *   frontfill region  [0, start): always left missing (AWS allows only
 *          "none"), and for related series not filled either;
 *   middlefill region [start, end), missing cells only;
 *   backfill region   [end, n_time) (up to the global end);
 *   futurefill region [n_time, n_time + horizon) (related series only).
 * A series with no observed value has start = end = 0 and is left entirely
 * missing. mean/median/min/max fills use the TSREC__FILL_WINDOW most recent
 * observed values before the gap (AWS: "a rolling window of the 64 most
 * recent data entries before the missing values"); filled values never
 * enter that window. The median of an even count is the mean of the two
 * middle values. */
#ifndef TSREC_FEATURIZE_INTERNAL_H
#define TSREC_FEATURIZE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

/* ---- filling configuration (fill.c) ----------------------------------- */

/* Aggregation functions (target only). 0 = not given. */
#define TSREC__AGG_SUM 1
#define TSREC__AGG_AVG 2
#define TSREC__AGG_FIRST 3 /* value with the earliest timestamp; ties: input order */
#define TSREC__AGG_MIN 4
#define TSREC__AGG_MAX 5

/* Filling methods. 0 = not given (related series have no defaults). */
#define TSREC__FILL_UNSET 0
#define TSREC__FILL_NONE 1   /* frontfill of the target only */
#define TSREC__FILL_ZERO 2
#define TSREC__FILL_NAN 3    /* target only: leave missing for the model */
#define TSREC__FILL_VALUE 4  /* companion "<region>_value" */
#define TSREC__FILL_MEDIAN 5
#define TSREC__FILL_MEAN 6
#define TSREC__FILL_MIN 7
#define TSREC__FILL_MAX 8

/* Regions, indexes into tsrec__fill_config.method/value. */
#define TSREC__REGION_FRONT 0
#define TSREC__REGION_MIDDLE 1
#define TSREC__REGION_BACK 2
#define TSREC__REGION_FUTURE 3
#define TSREC__N_REGIONS 4

/* Observations the statistic fills look back over. */
#define TSREC__FILL_WINDOW 64

typedef struct tsrec__fill_config {
    int32_t related;                   /* 0: target attribute, 1: related */
    int32_t aggregation;               /* TSREC__AGG_*, UNSET for related */
    int32_t method[TSREC__N_REGIONS];  /* TSREC__FILL_* */
    double value[TSREC__N_REGIONS];    /* for TSREC__FILL_VALUE */
} tsrec__fill_config;

/* AWS defaults for a target attribute: sum, frontfill none, middlefill and
 * backfill zero. */
void tsrec__fill_config_target(tsrec__fill_config *c);
/* A related attribute: nothing set (AWS has no defaults there). */
void tsrec__fill_config_related(tsrec__fill_config *c);

/* Override *c (initialised by one of the two functions above) from an AWS
 * FeaturizationMethodParameters string map keys[i] -> values[i], e.g.
 * {"aggregation":"sum","middlefill":"zero","backfill":"value",
 *  "backfill_value":"2"}. Strict: unknown keys or method names
 * (TSREC_E_UNKNOWN_NAME), a key given twice (TSREC_E_DUPLICATE), a value
 * that is not a finite decimal number (TSREC_E_BAD_TYPE), "value" without
 * its "<fill>_value" or a "<fill>_value" without "value", and every
 * combination AWS forbids (TSREC_E_INVALID_ARG). Messages name the
 * attribute `attr`, the region and the method. All or nothing: *c is
 * unchanged on failure. Does not allocate. */
int tsrec__fill_config_parse(tsrec__fill_config *c, tsrec__handle *eh, const char *attr,
                             const char *const *keys, const char *const *values,
                             int64_t n);
/* Check a config built in code against the AWS rules (as the parser). */
int tsrec__fill_config_check(const tsrec__fill_config *c, tsrec__handle *eh,
                             const char *attr);

/* Names as AWS writes them ("sum", "median", "backfill"); "?" if unknown. */
const char *tsrec__agg_name(int32_t agg);
const char *tsrec__fill_name(int32_t method);
const char *tsrec__region_name(int32_t region);

/* First and one-past-last index i in [0, n) with observed[i] != 0;
 * both 0 when there is none. */
void tsrec__series_span(const uint8_t *observed, int64_t n, int64_t *out_start,
                        int64_t *out_end);

/* Fill one target row y[0..n_time) in place (observed is not changed:
 * filled cells stay unobserved). c must pass tsrec__fill_config_check. */
void tsrec__fill_target_row(double *y, const uint8_t *observed, int64_t n_time,
                            const tsrec__fill_config *c);

/* Fill one related row x[0..n_cols), n_time <= n_cols being the global end
 * of the target. TSREC_E_INVALID_ARG naming `attr`, the series index and
 * the region when a region holding a missing cell has no method. x is
 * unchanged on failure. */
int tsrec__fill_related_row(double *x, const uint8_t *observed, int64_t n_time,
                            int64_t n_cols, const tsrec__fill_config *c,
                            tsrec__handle *eh, const char *attr, int64_t series);

/* ---- rows and aggregation (aggregate.c) ------------------------------- */

/* Input rows in any order: series index in [0, n_series), a timestamp
 * (seconds since the epoch, UTC) and a value, NaN for a missing one. */
typedef struct tsrec__ts_rows {
    int64_t n;
    const int64_t *series;
    const int64_t *time;
    const double *value;
} tsrec__ts_rows;

/* The grid covering every row's timestamp: t0 = start of the earliest
 * period, n_time = periods up to and including the latest.
 * TSREC_E_EMPTY for no rows, TSREC_E_OUT_OF_RANGE for timestamps outside
 * years 1..9999, TSREC_E_INVALID_ARG for a bad frequency. */
int tsrec__grid_span(const tsrec__ts_rows *rows, int32_t freq, int64_t *out_t0,
                     int64_t *out_n_time, tsrec__handle *eh);

/* Aggregate rows into y (n_series x n_time, row-major) and observed, both
 * written entirely: each row's timestamp goes to the period containing it,
 * the non-missing values of a (series, period) are combined with `agg`; a
 * period with none is NaN and unobserved. Rows whose period falls outside
 * the grid or whose series is out of range are TSREC_E_INVALID_ARG.
 * Allocates scratch for avg and first (TSREC_E_NOMEM). */
int tsrec__aggregate(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__ts_rows *rows,
                     int64_t n_series, int32_t freq, int32_t agg, int64_t t0,
                     int64_t n_time, double *y, uint8_t *observed);

/* Place related rows (never aggregated) into x (n_series x n_cols) and
 * observed, both written entirely. Rows before t0 or at/after period
 * n_cols are ignored. Two rows in one (series, period) are
 * TSREC_E_DUPLICATE naming `attr`. Does not allocate. */
int tsrec__place_related(tsrec__handle *eh, const tsrec__ts_rows *rows, int64_t n_series,
                         int32_t freq, int64_t t0, int64_t n_cols, const char *attr,
                         double *x, uint8_t *observed);

/* ---- the batch (series_batch.c) ------------------------------------- */

typedef struct tsrec__series_batch {
    tsrec_ctx *ctx;
    int32_t freq;           /* tsrec__freq code of the grid */
    int32_t n_dims;         /* dimension codes per series */
    int64_t t0;             /* start of period 0 (the global start) */
    int64_t n_series;
    int64_t n_time;         /* periods up to the global end */
    double *y;              /* n_series x n_time, NaN where missing after filling */
    uint8_t *observed;      /* 1 where the value came from data */
    int64_t *start, *end;   /* per series: first observed, one past the last */
    int64_t *item;          /* per series item code, -1 if not set */
    int64_t *dims;          /* n_series x n_dims dimension codes, -1 if not set */
    /* related features, after tsrec__featurize_related */
    int64_t n_related;
    int64_t horizon;
    int64_t n_time_related; /* n_time + horizon */
    double *related;        /* n_related x n_series x n_time_related, filled */
    uint8_t *related_observed;
    /* item metadata codes, after tsrec__series_batch_add_meta */
    int64_t n_meta;
    int64_t *meta;          /* n_series x n_meta, -1 if not set */
    /* set by the dataset adapter (featurize.c); NULL / 0 otherwise */
    const char **related_names; /* n_related names, borrowed from the RTS schema */
    int64_t n_dropped;          /* target series left out (no related data) */
    int64_t *dropped;           /* n_dropped x (1 + n_dims): item code, dimension codes */
} tsrec__series_batch;

/* Allocate an empty batch: y NaN, observed 0, start = end = 0, codes -1.
 * TSREC_E_INVALID_ARG for a bad frequency or negative sizes, TSREC_E_NOMEM
 * (also on size overflow). On failure *b is zeroed. */
int tsrec__series_batch_init(tsrec__series_batch *b, tsrec_ctx *ctx, tsrec__handle *eh,
                             int32_t freq, int64_t t0, int64_t n_series, int64_t n_time,
                             int32_t n_dims);
/* Allocate n_meta metadata codes per series (all -1). All or nothing. */
int tsrec__series_batch_add_meta(tsrec__series_batch *b, tsrec__handle *eh, int64_t n_meta);
/* Free everything and zero *b. NULL and zeroed batches are fine. */
void tsrec__series_batch_free(tsrec__series_batch *b);

/* Row s of the target, and of related feature f. */
static inline double *tsrec__series_batch_y(const tsrec__series_batch *b, int64_t s)
{
    return b->y + s * b->n_time;
}
static inline double *tsrec__series_batch_related(const tsrec__series_batch *b, int64_t f,
                                                  int64_t s)
{
    return b->related + (f * b->n_series + s) * b->n_time_related;
}

/* Build a batch from target rows: check the frequencies (data_freq 0 =
 * unknown; a forecast frequency finer than the data frequency is
 * TSREC_E_INVALID_ARG) and the config, aggregate to `freq`, align to the
 * global grid, record per-series start/end and fill. `attr` names the
 * target in messages. TSREC_E_EMPTY for no rows or no series. On failure
 * *out is zeroed. */
int tsrec__featurize_target(tsrec__series_batch *out, tsrec_ctx *ctx, tsrec__handle *eh,
                            const tsrec__ts_rows *rows, int64_t n_series, int32_t data_freq,
                            int32_t freq, const char *attr, const tsrec__fill_config *cfg,
                            int32_t n_dims);

/* Add n_related related features to a batch built by
 * tsrec__featurize_target: rows[f] (series indices of the batch), names[f]
 * and cfgs[f] per feature. rts_freq is the related dataset's frequency (0 =
 * unknown) and must equal the batch's. Each feature is placed on
 * [0, n_time + horizon) and filled per its config; for every series with
 * observed target values, the related series must start on or before the
 * target's start (TSREC_E_SCHEMA otherwise). Series whose target has no
 * observation are left as placed. All or nothing: on failure the batch has
 * no related features. */
int tsrec__featurize_related(tsrec__series_batch *b, tsrec__handle *eh, int64_t horizon,
                             int64_t n_related, const tsrec__ts_rows *rows,
                             const char *const *names, const tsrec__fill_config *cfgs,
                             int32_t rts_freq);

/* ---- adapter from a dataset group (featurize.c) ---------------------- */

struct tsrec_dataset_group;

typedef struct tsrec__featurize_spec {
    int32_t freq;                  /* forecast frequency (tsrec__freq code) */
    int32_t reserved;
    int64_t horizon;               /* periods of related futurefill */
    tsrec__fill_config target;     /* from tsrec__fill_config_target (+ parse) */
    int64_t n_related_cfg;         /* filling configs of related attributes, */
    const char *const *related_names; /* by attribute name; an attribute not */
    const tsrec__fill_config *related_cfgs; /* listed has nothing set */
    /* ForecastDimensions: with dims_listed, a series is an item id plus the
     * n_dims dimension fields named in dims, and rows that differ only in
     * other dimensions are aggregated into it (as AWS does); without it,
     * every dimension field of the target is part of the key. */
    int32_t dims_listed;
    int32_t n_dims;
    const char *const *dims;
} tsrec__featurize_spec;

/* Build a batch from a Forecast dataset group: the TARGET_TIME_SERIES
 * dataset (series key = item id + dimension values, in first-seen row
 * order; rows with a missing timestamp are skipped, a missing target is a
 * missing value), every numeric feature of the RELATED_TIME_SERIES dataset
 * if there is one (matched on item id + the dimensions it has, which must
 * be target dimensions; target series without related rows are dropped, as
 * AWS does, and listed in out->dropped), and the ITEM_METADATA codes per
 * series if there is an ITEM_METADATA dataset (-1 for items it lacks).
 * The series key's dimensions are the target's dimension fields in schema
 * order, or with spec->dims_listed only those spec->dims names (a name
 * that is not a target dimension is TSREC_E_SCHEMA).
 * Errors as tsrec__featurize_target / _related, TSREC_E_EMPTY when the
 * group has no target rows or every series is dropped, TSREC_E_SCHEMA for
 * related dimensions that are not among the key's dimensions. On failure
 * *out is zeroed. */
int tsrec__featurize_group(tsrec__series_batch *out, struct tsrec_dataset_group *g,
                           tsrec__handle *eh, const tsrec__featurize_spec *spec);

#endif /* TSREC_FEATURIZE_INTERNAL_H */
