/* GetAccuracyMetrics JSON and the PredictorBacktestExportJob CSVs
 * (aws-surface A6). Timestamps: TestWindowStart/End as
 * "yyyy-MM-ddTHH:mm:ss" (UTC) in JSON; CSV columns as
 * "yyyy-MM-ddTHH:mm:ssZ". A window ends at the start of the period after
 * its last one. Undefined metrics (no item, MAPE with only zero actuals,
 * MASE with a flat history) are JSON null and empty CSV cells. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#if defined(_WIN32)
#include <direct.h>
#else
#include <sys/stat.h>
#include <sys/types.h>
#endif
#include <errno.h>

#include "json_internal.h"
#include "predictor_internal.h"
#include "time_internal.h"

static int fmt_time(const tsrec_predictor *p, int64_t period, int with_z, char *buf,
                    tsrec__handle *eh)
{
    int64_t t = 0;
    int rc = tsrec__time_add_periods(p->batch.t0, p->batch.freq, period, &t, eh);
    if (rc == TSREC_OK)
        rc = tsrec__time_format(t, TSREC__TIME_FMT_ISO, buf, TSREC__TIME_STR_MAX, eh);
    if (rc == TSREC_OK && !with_z)
        buf[strlen(buf) - 1] = '\0';
    return rc;
}

static void jw_num(tsrec__json_writer *w, double v)
{
    if (isfinite(v))
        tsrec__jw_double(w, v);
    else
        tsrec__jw_null(w);
}

static void jw_key(tsrec__json_writer *w, const char *k)
{
    tsrec__jw_key(w, k, strlen(k));
}

static void metrics_json(tsrec__json_writer *w, const tsrec__predictor_config *cfg,
                         const tsrec__metrics *m)
{
    jw_key(w, "Metrics");
    tsrec__jw_object_begin(w);
    jw_key(w, "RMSE");
    jw_num(w, m->rmse);
    jw_key(w, "WeightedQuantileLosses");
    tsrec__jw_array_begin(w);
    /* AWS lists the quantiles from the highest down. */
    for (int32_t k = cfg->nq - 1; k >= 0; k--) {
        tsrec__jw_object_begin(w);
        jw_key(w, "Quantile");
        tsrec__jw_double(w, cfg->q[k]);
        jw_key(w, "LossValue");
        jw_num(w, m->wql[k]);
        tsrec__jw_object_end(w);
    }
    tsrec__jw_array_end(w);
    jw_key(w, "ErrorMetrics");
    tsrec__jw_array_begin(w);
    tsrec__jw_object_begin(w);
    jw_key(w, "ForecastType");
    tsrec__jw_string(w, "mean", 4);
    jw_key(w, "WAPE");
    jw_num(w, m->wape);
    jw_key(w, "RMSE");
    jw_num(w, m->rmse);
    jw_key(w, "MASE");
    jw_num(w, m->mase);
    jw_key(w, "MAPE");
    jw_num(w, m->mape);
    tsrec__jw_object_end(w);
    tsrec__jw_array_end(w);
    jw_key(w, "AverageWeightedQuantileLoss");
    jw_num(w, m->avg_wql);
    tsrec__jw_object_end(w);
}

static int accuracy_doc(const tsrec_predictor *p, tsrec__json_writer *w, tsrec__handle *eh)
{
    const tsrec__predictor_config *cfg = &p->cfg;
    tsrec__jw_object_begin(w);
    jw_key(w, "PredictorEvaluationResults");
    tsrec__jw_array_begin(w);
    for (int32_t i = 0; i < p->n_evals; i++) {
        const tsrec__algo_eval *e = &p->evals[i];
        char arn[128];
        if (e->algo->flags & TSREC__ALGO_AWS)
            snprintf(arn, sizeof arn, "%s%s", TSREC__ALGO_ARN_PREFIX, e->algo->name);
        else
            snprintf(arn, sizeof arn, "%s", e->algo->name);
        tsrec__jw_object_begin(w);
        jw_key(w, "AlgorithmArn");
        tsrec__jw_string(w, arn, strlen(arn));
        jw_key(w, "TestWindows");
        tsrec__jw_array_begin(w);
        tsrec__jw_object_begin(w);
        jw_key(w, "EvaluationType");
        tsrec__jw_string(w, "SUMMARY", 7);
        metrics_json(w, cfg, &e->summary);
        tsrec__jw_object_end(w);
        for (int32_t k = 0; k < e->n_windows; k++) {
            char a[TSREC__TIME_STR_MAX], b[TSREC__TIME_STR_MAX];
            int rc = fmt_time(p, e->split[k], 0, a, eh);
            if (rc == TSREC_OK)
                rc = fmt_time(p, e->split[k] + cfg->horizon, 0, b, eh);
            if (rc != TSREC_OK)
                return rc;
            tsrec__jw_object_begin(w);
            jw_key(w, "TestWindowStart");
            tsrec__jw_string(w, a, strlen(a));
            jw_key(w, "TestWindowEnd");
            tsrec__jw_string(w, b, strlen(b));
            jw_key(w, "ItemCount");
            tsrec__jw_int64(w, e->win[k].item_count);
            jw_key(w, "EvaluationType");
            tsrec__jw_string(w, "COMPUTED", 8);
            metrics_json(w, cfg, &e->win[k]);
            tsrec__jw_object_end(w);
        }
        tsrec__jw_array_end(w);
        tsrec__jw_object_end(w);
    }
    tsrec__jw_array_end(w);
    jw_key(w, "IsAutoPredictor");
    tsrec__jw_bool(w, 0);
    jw_key(w, "OptimizationMetric");
    tsrec__jw_string(w, cfg->opt_metric, strlen(cfg->opt_metric));
    tsrec__jw_object_end(w);
    return TSREC_OK;
}

int tsrec_predictor_accuracy_json(const tsrec_predictor *predictor, char *buf, size_t cap,
                                  size_t *out_len)
{
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_predictor_accuracy_json",
                 "tsrec_predictor");
    tsrec_predictor *p = (tsrec_predictor *)predictor;
    tsrec__handle *eh = NULL; /* a shared read: failures go to tsrec_last_error() only */
    if (out_len == NULL || (buf == NULL && cap > 0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_predictor_accuracy_json: bad buffer");
    tsrec__json_writer w;
    tsrec__jw_init(&w, p->hdr.ctx);
    int rc = accuracy_doc(p, &w, eh);
    const char *text = NULL;
    size_t len = 0;
    if (rc == TSREC_OK)
        rc = tsrec__jw_finish(&w, eh, &text, &len);
    if (rc == TSREC_OK) {
        *out_len = len;
        if (buf != NULL && cap > 0) {
            size_t n = len < cap - 1 ? len : cap - 1;
            memcpy(buf, text, n);
            buf[n] = '\0';
        }
    }
    tsrec__jw_free(&w);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

/* ---- backtest export ------------------------------------------------------ */

static int make_dir(tsrec__handle *eh, const char *path)
{
#if defined(_WIN32)
    int r = _mkdir(path);
#else
    int r = mkdir(path, 0777);
#endif
    if (r != 0 && errno != EEXIST)
        return tsrec__fail(eh, TSREC_E_IO, "cannot create folder '%s': %s", path,
                           strerror(errno));
    return TSREC_OK;
}

static void key_cells(tsrec__textbuf *t, const tsrec__series_keys *k, int64_t s)
{
    tsrec__tb_csv_field(t, k->items[s]);
    for (int32_t d = 0; d < k->n_dims; d++) {
        tsrec__tb_puts(t, ",");
        tsrec__tb_csv_field(t, k->dims[s * k->n_dims + d]);
    }
}

static void key_header(tsrec__textbuf *t, const tsrec__series_keys *k)
{
    tsrec__tb_csv_field(t, k->id_name);
    for (int32_t d = 0; d < k->n_dims; d++) {
        tsrec__tb_puts(t, ",");
        tsrec__tb_csv_field(t, k->dim_names[d]);
    }
}

static int forecasted_values(const tsrec_predictor *p, const tsrec__series_keys *k,
                             tsrec__textbuf *t, tsrec__handle *eh)
{
    const tsrec__predictor_config *cfg = &p->cfg;
    const tsrec__algo_eval *e = &p->evals[p->chosen];
    const int64_t n = p->batch.n_series, h = cfg->horizon;
    key_header(t, k);
    tsrec__tb_puts(t, ",timestamp,");
    tsrec__tb_csv_field(t, k->target_name);
    for (int32_t i = 0; i < cfg->n_types; i++)
        tsrec__tb_printf(t, ",%s", cfg->types[i].name);
    tsrec__tb_puts(t, ",backtestwindow_start_time,backtestwindow_end_time\n");
    for (int32_t w = 0; w < e->n_windows; w++) {
        char ws[TSREC__TIME_STR_MAX], we[TSREC__TIME_STR_MAX], ts[TSREC__TIME_STR_MAX];
        int rc = fmt_time(p, e->split[w], 1, ws, eh);
        if (rc == TSREC_OK)
            rc = fmt_time(p, e->split[w] + h, 1, we, eh);
        if (rc != TSREC_OK)
            return rc;
        for (int64_t s = 0; s < n; s++) {
            if (!e->included[w * n + s])
                continue;
            const double *y = tsrec__series_batch_y(&p->batch, s) + e->split[w];
            const double *mean = e->mean + (w * n + s) * h;
            const double *qv = e->qv + (w * n + s) * cfg->nq * h;
            for (int64_t j = 0; j < h; j++) {
                if ((rc = fmt_time(p, e->split[w] + j, 1, ts, eh)) != TSREC_OK)
                    return rc;
                key_cells(t, k, s);
                tsrec__tb_printf(t, ",%s,", ts);
                tsrec__tb_double(t, y[j]);
                int32_t kq = 0;
                for (int32_t i = 0; i < cfg->n_types; i++) {
                    tsrec__tb_puts(t, ",");
                    tsrec__tb_double(t, isnan(cfg->types[i].q) ? mean[j] : qv[kq++ * h + j]);
                }
                tsrec__tb_printf(t, ",%s,%s\n", ws, we);
            }
        }
    }
    return TSREC_OK;
}

static void metric_cells(tsrec__textbuf *t, const tsrec__predictor_config *cfg,
                         const tsrec__metrics *m)
{
    for (int32_t k = 0; k < cfg->nq; k++) {
        tsrec__tb_puts(t, ",");
        tsrec__tb_double(t, m->wql[k]);
    }
    const double v[4] = {m->rmse, m->wape, m->mape, m->mase};
    for (int i = 0; i < 4; i++) {
        tsrec__tb_puts(t, ",");
        tsrec__tb_double(t, v[i]);
    }
    tsrec__tb_puts(t, "\n");
}

static int accuracy_values(const tsrec_predictor *p, const tsrec__series_keys *k,
                           tsrec__textbuf *t, tsrec__handle *eh)
{
    const tsrec__predictor_config *cfg = &p->cfg;
    const tsrec__algo_eval *e = &p->evals[p->chosen];
    const int64_t n = p->batch.n_series, h = cfg->horizon;
    const int32_t m = tsrec__mase_season(p->batch.freq);
    key_header(t, k);
    tsrec__tb_puts(t, ",backtest_window,backtestwindow_start_time,backtestwindow_end_time");
    for (int32_t i = 0; i < cfg->nq; i++) {
        tsrec__tb_puts(t, ",wQL[");
        tsrec__tb_double(t, cfg->q[i]);
        tsrec__tb_puts(t, "]");
    }
    tsrec__tb_puts(t, ",RMSE,WAPE,MAPE,MASE\n");
    char first[TSREC__TIME_STR_MAX], last[TSREC__TIME_STR_MAX];
    int rc = fmt_time(p, e->split[0], 1, first, eh);
    if (rc == TSREC_OK)
        rc = fmt_time(p, e->split[e->n_windows - 1] + h, 1, last, eh);
    for (int64_t s = 0; s < n && rc == TSREC_OK; s++) {
        tsrec__metrics per[TSREC__MAX_BACKTEST_WINDOWS];
        int32_t n_per = 0;
        const double *y = tsrec__series_batch_y(&p->batch, s);
        int64_t start = p->batch.start[s];
        for (int32_t w = 0; w < e->n_windows && rc == TSREC_OK; w++) {
            if (!e->included[w * n + s])
                continue;
            char ws[TSREC__TIME_STR_MAX], we[TSREC__TIME_STR_MAX];
            rc = fmt_time(p, e->split[w], 1, ws, eh);
            if (rc == TSREC_OK)
                rc = fmt_time(p, e->split[w] + h, 1, we, eh);
            if (rc != TSREC_OK)
                break;
            tsrec__metric_acc acc;
            tsrec__metric_acc_init(&acc, cfg->q, cfg->nq);
            int64_t split = e->split[w];
            tsrec__metric_acc_add(&acc, y + split, h, e->mean + (w * n + s) * h,
                                  e->qv + (w * n + s) * cfg->nq * h, y + start, split - start, m);
            tsrec__metric_acc_finish(&acc, &per[n_per]);
            key_cells(t, k, s);
            tsrec__tb_printf(t, ",Computed,%s,%s", ws, we);
            metric_cells(t, cfg, &per[n_per]);
            n_per++;
        }
        if (n_per > 0 && rc == TSREC_OK) {
            tsrec__metrics sum;
            tsrec__metrics_mean(per, n_per, &sum);
            key_cells(t, k, s);
            tsrec__tb_printf(t, ",Summary,%s,%s", first, last);
            metric_cells(t, cfg, &sum);
        }
    }
    return rc;
}

int tsrec_predictor_export_backtest(const tsrec_predictor *predictor, const char *dir,
                                    const char *name)
{
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_predictor_export_backtest",
                 "tsrec_predictor");
    tsrec_predictor *p = (tsrec_predictor *)predictor;
    tsrec__handle *eh = NULL; /* a shared read: failures go to tsrec_last_error() only */
    tsrec_ctx *ctx = p->hdr.ctx;
    if (dir == NULL || name == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "tsrec_predictor_export_backtest: NULL argument");
    int rc = tsrec__check_resource_name(eh, "export job name", name, strlen(name));
    if (rc != TSREC_OK)
        return rc;
    size_t plen = strlen(dir) + strlen(name) + 64;
    char *path = tsrec__alloc(ctx, plen);
    tsrec__series_keys keys;
    memset(&keys, 0, sizeof keys);
    tsrec__textbuf fv, am;
    tsrec__tb_init(&fv, ctx);
    tsrec__tb_init(&am, ctx);
    if (path == NULL)
        rc = tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for the export path");
    if (rc == TSREC_OK)
        rc = tsrec__series_keys_build(ctx, eh, p->group, &p->cfg, &p->batch, &keys);
    if (rc == TSREC_OK)
        rc = forecasted_values(p, &keys, &fv, eh);
    if (rc == TSREC_OK)
        rc = accuracy_values(p, &keys, &am, eh);
    if (rc == TSREC_OK && (fv.status != TSREC_OK || am.status != TSREC_OK))
        rc = tsrec__fail(eh, fv.status != TSREC_OK ? fv.status : am.status,
                         "out of memory writing the backtest export");
    if (rc == TSREC_OK)
        rc = make_dir(eh, dir);
    if (rc == TSREC_OK) {
        snprintf(path, plen, "%s/forecasted-values", dir);
        rc = make_dir(eh, path);
    }
    if (rc == TSREC_OK) {
        snprintf(path, plen, "%s/forecasted-values/%s_part0.csv", dir, name);
        rc = tsrec__write_file(eh, path, fv.p != NULL ? fv.p : "", fv.len);
    }
    if (rc == TSREC_OK) {
        snprintf(path, plen, "%s/accuracy-metrics-values", dir);
        rc = make_dir(eh, path);
    }
    if (rc == TSREC_OK) {
        snprintf(path, plen, "%s/accuracy-metrics-values/%s_part0.csv", dir, name);
        rc = tsrec__write_file(eh, path, am.p != NULL ? am.p : "", am.len);
    }
    tsrec__tb_free(&fv);
    tsrec__tb_free(&am);
    tsrec__series_keys_free(ctx, &keys);
    tsrec__free(ctx, path);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}
