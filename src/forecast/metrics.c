/* Accuracy metrics (metrics_internal.h; AWS definitions, aws-surface A6). */
#include "metrics_internal.h"

#include <math.h>
#include <string.h>

#include "time_internal.h"

int32_t tsrec__mase_season(int32_t freq)
{
    switch (freq) {
    case TSREC__FREQ_1MIN: return 1440;
    case TSREC__FREQ_5MIN: return 288;
    case TSREC__FREQ_10MIN: return 144;
    case TSREC__FREQ_15MIN: return 96;
    case TSREC__FREQ_30MIN: return 48;
    case TSREC__FREQ_H: return 24;
    case TSREC__FREQ_M: return 12;
    default: return 1; /* D, W, Y */
    }
}

void tsrec__metric_acc_init(tsrec__metric_acc *a, const double *q, int32_t nq)
{
    memset(a, 0, sizeof(*a));
    if (nq < 0)
        nq = 0;
    if (nq > TSREC__MAX_FORECAST_TYPES)
        nq = TSREC__MAX_FORECAST_TYPES;
    a->nq = nq;
    for (int32_t k = 0; k < nq; k++)
        a->q[k] = q[k];
}

/* Mean absolute seasonal difference of the finite pairs, NaN if none. */
static double mase_scale(const double *hist, int64_t n, int32_t m)
{
    if (m < 1 || (int64_t)m >= n)
        m = 1;
    double s = 0.0;
    int64_t k = 0;
    for (int64_t t = m; t < n; t++) {
        double d = hist[t] - hist[t - m];
        if (isfinite(d)) {
            s += fabs(d);
            k++;
        }
    }
    return k > 0 ? s / (double)k : NAN;
}

void tsrec__metric_acc_add(tsrec__metric_acc *a, const double *y, int64_t h,
                           const double *mean, const double *qv, const double *hist,
                           int64_t n_hist, int32_t m)
{
    double abs_err = 0.0, ape = 0.0;
    int64_t n_ape = 0;
    for (int64_t t = 0; t < h; t++) {
        double e = y[t] - mean[t];
        abs_err += fabs(e);
        a->sum_sq_err += e * e;
        a->sum_abs_y += fabs(y[t]);
        if (y[t] != 0.0) {
            ape += fabs(e / y[t]);
            n_ape++;
        }
        for (int32_t k = 0; k < a->nq; k++) {
            double d = y[t] - qv[(int64_t)k * h + t];
            a->ql[k] += d > 0.0 ? a->q[k] * d : (a->q[k] - 1.0) * d;
        }
    }
    a->sum_abs_err += abs_err;
    a->points += h;
    a->items++;
    if (n_ape > 0) {
        a->mape_sum += ape / (double)n_ape;
        a->mape_series++;
    }
    double scale = hist != NULL ? mase_scale(hist, n_hist, m) : NAN;
    if (isfinite(scale) && scale > 0.0 && h > 0) {
        a->mase_sum += abs_err / (double)h / scale;
        a->mase_series++;
    }
}

void tsrec__metric_acc_finish(const tsrec__metric_acc *a, tsrec__metrics *out)
{
    memset(out, 0, sizeof(*out));
    out->nq = a->nq;
    out->item_count = a->items;
    if (a->items == 0 || a->points == 0) {
        for (int32_t k = 0; k < TSREC__MAX_FORECAST_TYPES; k++)
            out->wql[k] = NAN;
        out->avg_wql = out->wape = out->rmse = out->mape = out->mase = NAN;
        out->item_count = 0;
        return;
    }
    int zero = a->sum_abs_y < TSREC__METRIC_ZERO;
    double denom = zero ? 1.0 : a->sum_abs_y;
    double sum = 0.0;
    for (int32_t k = 0; k < TSREC__MAX_FORECAST_TYPES; k++)
        out->wql[k] = NAN;
    for (int32_t k = 0; k < a->nq; k++) {
        out->wql[k] = 2.0 * a->ql[k] / denom;
        sum += out->wql[k];
    }
    out->avg_wql = a->nq > 0 ? sum / (double)a->nq : NAN;
    out->wape = a->sum_abs_err / denom;
    out->rmse = sqrt(a->sum_sq_err / (double)a->points);
    out->mape = a->mape_series > 0 ? a->mape_sum / (double)a->mape_series : NAN;
    out->mase = a->mase_series > 0 ? a->mase_sum / (double)a->mase_series : NAN;
}

static double mean_finite(const double *v, int64_t n, size_t stride)
{
    double s = 0.0;
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) {
        double x = *(const double *)((const char *)v + (size_t)i * stride);
        if (isfinite(x)) {
            s += x;
            k++;
        }
    }
    return k > 0 ? s / (double)k : NAN;
}

void tsrec__metrics_mean(const tsrec__metrics *w, int64_t n, tsrec__metrics *out)
{
    memset(out, 0, sizeof(*out));
    out->nq = n > 0 ? w[0].nq : 0;
    size_t st = sizeof(tsrec__metrics);
    for (int32_t k = 0; k < TSREC__MAX_FORECAST_TYPES; k++)
        out->wql[k] = n > 0 ? mean_finite(&w[0].wql[k], n, st) : NAN;
    out->avg_wql = n > 0 ? mean_finite(&w[0].avg_wql, n, st) : NAN;
    out->wape = n > 0 ? mean_finite(&w[0].wape, n, st) : NAN;
    out->rmse = n > 0 ? mean_finite(&w[0].rmse, n, st) : NAN;
    out->mape = n > 0 ? mean_finite(&w[0].mape, n, st) : NAN;
    out->mase = n > 0 ? mean_finite(&w[0].mase, n, st) : NAN;
    int64_t items = 0;
    for (int64_t i = 0; i < n; i++)
        items += w[i].item_count;
    out->item_count = n > 0 ? items / n : 0;
}
