/* Bucketing of time-series rows into the periods of a forecast frequency:
 * the global grid, aggregation of the target (sum, avg, first, min, max)
 * and placement of related series, which AWS never aggregates. Each
 * timestamp belongs to the period [boundary, next boundary) containing it
 * (Monday weeks, first-of-month months, ...; tsrec__time_truncate). */
#include "featurize_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "time_internal.h"

int tsrec__grid_span(const tsrec__ts_rows *rows, int32_t freq, int64_t *out_t0,
                     int64_t *out_n_time, tsrec__handle *eh)
{
    if (rows == NULL || out_t0 == NULL || out_n_time == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "grid_span: NULL argument");
    if (!tsrec__freq_valid(freq))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "grid_span: invalid frequency code %d",
                           (int)freq);
    if (rows->n <= 0)
        return tsrec__fail(eh, TSREC_E_EMPTY, "no time series rows to featurize");
    if (rows->time == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "grid_span: NULL timestamps");
    int64_t lo = rows->time[0], hi = rows->time[0];
    for (int64_t i = 1; i < rows->n; i++) {
        lo = rows->time[i] < lo ? rows->time[i] : lo;
        hi = rows->time[i] > hi ? rows->time[i] : hi;
    }
    int64_t t0, last;
    int rc = tsrec__time_truncate(lo, freq, &t0, eh);
    if (rc == TSREC_OK)
        rc = tsrec__time_period_index(t0, freq, hi, &last, eh);
    if (rc != TSREC_OK)
        return rc;
    *out_t0 = t0;
    *out_n_time = last + 1;
    return TSREC_OK;
}

/* Period of row i on the grid, checking the series index. */
static int row_cell(const tsrec__ts_rows *rows, int64_t i, int64_t n_series, int32_t freq,
                    int64_t t0, int64_t *out_series, int64_t *out_period, tsrec__handle *eh)
{
    int64_t s = rows->series[i];
    if (s < 0 || s >= n_series)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "row %" PRId64 ": series index %" PRId64 " is outside 0..%" PRId64,
                           i, s, n_series - 1);
    *out_series = s;
    return tsrec__time_period_index(t0, freq, rows->time[i], out_period, eh);
}

static int check_rows(const tsrec__ts_rows *rows, int64_t n_series, int32_t freq,
                      int64_t n_time, tsrec__handle *eh)
{
    if (rows == NULL || (rows->n > 0 && (rows->series == NULL || rows->time == NULL ||
                                         rows->value == NULL)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "featurize: NULL row arrays");
    if (rows->n < 0 || n_series < 0 || n_time < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "featurize: negative size");
    if (!tsrec__freq_valid(freq))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "featurize: invalid frequency code %d",
                           (int)freq);
    return TSREC_OK;
}

/* Combine value v into the cell holding `cur` (ignored for the first). */
static double combine(int32_t agg, double cur, double v)
{
    switch (agg) {
    case TSREC__AGG_MIN:
        return v < cur ? v : cur;
    case TSREC__AGG_MAX:
        return v > cur ? v : cur;
    default: /* sum, and avg's running sum */
        return cur + v;
    }
}

int tsrec__aggregate(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__ts_rows *rows,
                     int64_t n_series, int32_t freq, int32_t agg, int64_t t0,
                     int64_t n_time, double *y, uint8_t *observed)
{
    int rc = check_rows(rows, n_series, freq, n_time, eh);
    if (rc != TSREC_OK)
        return rc;
    if (agg < TSREC__AGG_SUM || agg > TSREC__AGG_MAX)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "aggregate: invalid aggregation %d",
                           (int)agg);
    size_t cells;
    if (tsrec__mul_size((size_t)n_series, (size_t)n_time, &cells) != 0)
        return tsrec__fail(eh, TSREC_E_NOMEM, "aggregate: grid size overflows");
    /* avg needs a count per cell, first the timestamp of the value kept. */
    int64_t *aux = NULL;
    if (agg == TSREC__AGG_AVG || agg == TSREC__AGG_FIRST) {
        aux = tsrec__calloc(ctx, cells == 0 ? 1 : cells, sizeof(int64_t));
        if (aux == NULL)
            return tsrec__fail(eh, TSREC_E_NOMEM,
                               "out of memory aggregating %zu cells", cells);
    }
    for (size_t k = 0; k < cells; k++) {
        y[k] = NAN;
        observed[k] = 0;
    }
    for (int64_t i = 0; i < rows->n; i++) {
        int64_t s = 0, p = 0;
        rc = row_cell(rows, i, n_series, freq, t0, &s, &p, eh);
        if (rc == TSREC_OK && (p < 0 || p >= n_time))
            rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                             "row %" PRId64 ": timestamp %" PRId64 " is outside the grid", i,
                             rows->time[i]);
        if (rc != TSREC_OK)
            break;
        double v = rows->value[i];
        if (isnan(v))
            continue; /* missing values take no part in aggregation */
        if (isinf(v)) {
            rc = tsrec__fail(eh, TSREC_E_NAN,
                             "row %" PRId64 ": infinite target value (NaN marks a missing "
                             "one)",
                             i);
            break;
        }
        size_t k = (size_t)s * (size_t)n_time + (size_t)p;
        if (!observed[k]) {
            observed[k] = 1;
            y[k] = v;
            if (aux != NULL)
                aux[k] = agg == TSREC__AGG_AVG ? 1 : rows->time[i];
            continue;
        }
        if (agg == TSREC__AGG_FIRST) {
            /* Strictly earlier only: on a tie the row seen first stays. */
            if (rows->time[i] < aux[k]) {
                aux[k] = rows->time[i];
                y[k] = v;
            }
            continue;
        }
        y[k] = combine(agg, y[k], v);
        if (agg == TSREC__AGG_AVG)
            aux[k]++;
    }
    if (rc == TSREC_OK && agg == TSREC__AGG_AVG)
        for (size_t k = 0; k < cells; k++)
            if (observed[k])
                y[k] /= (double)aux[k];
    tsrec__free(ctx, aux);
    return rc;
}

/* Marks a cell that received a row with a missing value, so a second row
 * for the same cell is still caught as a duplicate. */
#define SEEN_MISSING 2

int tsrec__place_related(tsrec__handle *eh, const tsrec__ts_rows *rows, int64_t n_series,
                         int32_t freq, int64_t t0, int64_t n_cols, const char *attr,
                         double *x, uint8_t *observed)
{
    int rc = check_rows(rows, n_series, freq, n_cols, eh);
    if (rc != TSREC_OK)
        return rc;
    size_t cells;
    if (tsrec__mul_size((size_t)n_series, (size_t)n_cols, &cells) != 0)
        return tsrec__fail(eh, TSREC_E_NOMEM, "place_related: grid size overflows");
    for (size_t k = 0; k < cells; k++) {
        x[k] = NAN;
        observed[k] = 0;
    }
    for (int64_t i = 0; i < rows->n && rc == TSREC_OK; i++) {
        int64_t s = 0, p = 0;
        rc = row_cell(rows, i, n_series, freq, t0, &s, &p, eh);
        if (rc != TSREC_OK)
            break;
        /* Before the global start no target needs it; past the horizon
         * no forecast does. */
        if (p < 0 || p >= n_cols)
            continue;
        size_t k = (size_t)s * (size_t)n_cols + (size_t)p;
        if (observed[k] != 0) {
            char when[TSREC__TIME_STR_MAX];
            if (tsrec__time_format(rows->time[i], TSREC__TIME_FMT_DATETIME, when,
                                   sizeof when, NULL) != TSREC_OK)
                strcpy(when, "?");
            rc = tsrec__fail(eh, TSREC_E_DUPLICATE,
                             "related attribute '%s': series %" PRId64
                             " has two values in the period containing %s (related time "
                             "series are never aggregated)",
                             attr != NULL ? attr : "?", s, when);
            break;
        }
        double v = rows->value[i];
        if (isinf(v)) {
            rc = tsrec__fail(eh, TSREC_E_NAN,
                             "related attribute '%s': row %" PRId64 " has an infinite value",
                             attr != NULL ? attr : "?", i);
            break;
        }
        if (isnan(v)) {
            observed[k] = SEEN_MISSING;
        } else {
            observed[k] = 1;
            x[k] = v;
        }
    }
    for (size_t k = 0; k < cells; k++)
        if (observed[k] == SEEN_MISSING)
            observed[k] = 0;
    return rc;
}
