/* tsrec_predictor: CreatePredictor with backtests, AutoML's choice, and
 * the metric accessors (include/tsrec/forecast.h). The predictor borrows
 * its dataset group, which must outlive it (forecasts do not need it). */
#include <math.h>
#include <string.h>

#include "data_internal.h"
#include "predictor_internal.h"

/* Summary value of the optimisation metric (NaN counts as worst). */
static double opt_value(const tsrec__algo_eval *e, const char *metric)
{
    const tsrec__metrics *m = &e->summary;
    double v = strcmp(metric, "WAPE") == 0   ? m->wape
               : strcmp(metric, "RMSE") == 0 ? m->rmse
               : strcmp(metric, "MAPE") == 0 ? m->mape
               : strcmp(metric, "MASE") == 0 ? m->mase
                                             : m->avg_wql;
    return isnan(v) ? INFINITY : v;
}

static void predictor_free(tsrec_ctx *ctx, tsrec_predictor *p)
{
    for (int32_t i = 0; p->evals != NULL && i < p->n_evals; i++)
        tsrec__algo_eval_free(ctx, &p->evals[i]);
    tsrec__free(ctx, p->evals);
    tsrec__series_batch_free(&p->batch);
    tsrec__predictor_config_free(ctx, &p->cfg);
    tsrec__handle_retire(&p->hdr);
    tsrec__free(ctx, p);
}

static int evaluate(tsrec_ctx *ctx, tsrec__handle *eh, tsrec_predictor *p)
{
    tsrec__predictor_config *cfg = &p->cfg;
    int32_t n = cfg->automl ? cfg->n_candidates : 1;
    p->evals = tsrec__calloc(ctx, (size_t)n, sizeof(tsrec__algo_eval));
    if (p->evals == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for predictor results");
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++) {
        const tsrec__forecast_algo *a = cfg->automl ? cfg->candidates[i] : cfg->algo;
        tsrec__params *params = NULL;
        int rc;
        if (cfg->automl) {
            rc = tsrec__params_new(ctx, eh, a->params, tsrec__algo_param_count(a), &params);
        } else {
            params = cfg->params;
            cfg->params = NULL;
            rc = TSREC_OK;
        }
        if (rc == TSREC_OK)
            rc = tsrec__backtest_run(ctx, eh, cfg, a, params, &p->batch, &p->evals[k]);
        if (rc != TSREC_OK) {
            tsrec__params_free(params);
            return rc;
        }
        p->evals[k].params = params;
        p->n_evals = ++k;
        if (p->evals[k - 1].n_fell_back > 0)
            tsrec__log(ctx, TSREC_LOG_INFO,
                       "predictor '%s': %s used the naive fallback for %lld series-windows",
                       cfg->name, a->name, (long long)p->evals[k - 1].n_fell_back);
    }
    p->chosen = 0;
    for (int32_t i = 1; i < p->n_evals; i++)
        if (opt_value(&p->evals[i], cfg->opt_metric) < opt_value(&p->evals[p->chosen],
                                                                  cfg->opt_metric))
            p->chosen = i;
    return TSREC_OK;
}

int tsrec_predictor_create(tsrec_dataset_group *group, const char *request_json, size_t len,
                           tsrec_predictor **out_predictor)
{
    if (out_predictor != NULL)
        *out_predictor = NULL;
    TSREC__CHECK(group, TSREC__MAGIC_GROUP, "tsrec_predictor_create", "tsrec_dataset_group");
    tsrec__handle *eh = &group->hdr;
    tsrec_ctx *ctx = group->hdr.ctx;
    if (out_predictor == NULL || request_json == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_predictor_create: NULL argument");
    if (group->service != TSREC_SERVICE_FORECAST)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "dataset group '%s' is not a Forecast dataset group", group->name);
    tsrec_predictor *p = tsrec__calloc(ctx, 1, sizeof(*p));
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory for a predictor");
    tsrec__handle_init(&p->hdr, TSREC__MAGIC_PREDICTOR, ctx);
    p->group = group;
    int rc = tsrec__predictor_request_parse(ctx, eh, group, request_json, len, &p->cfg);
    if (rc == TSREC_OK) {
        tsrec__featurize_spec spec;
        tsrec__predictor_featurize_spec(&p->cfg, &spec);
        rc = tsrec__featurize_group(&p->batch, group, eh, &spec);
    }
    if (rc == TSREC_OK)
        rc = tsrec__config_check_len(&p->cfg, eh, p->batch.n_time);
    if (rc == TSREC_OK)
        rc = evaluate(ctx, eh, p);
    if (rc != TSREC_OK) {
        predictor_free(ctx, p);
        return rc;
    }
    *out_predictor = p;
    return tsrec__ok(eh);
}

void tsrec_predictor_free(tsrec_predictor *predictor)
{
    if (!tsrec__handle_is(predictor, TSREC__MAGIC_PREDICTOR))
        return;
    predictor_free(predictor->hdr.ctx, predictor);
}

int tsrec_predictor_algorithm(const tsrec_predictor *predictor, const char **out_name)
{
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_predictor_algorithm",
                 "tsrec_predictor");
    tsrec_predictor *p = (tsrec_predictor *)predictor;
    if (out_name == NULL)
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG, "tsrec_predictor_algorithm: NULL out");
    *out_name = p->evals[p->chosen].algo->name;
    return tsrec__ok(NULL);
}

int tsrec_predictor_metric(const tsrec_predictor *predictor, int32_t window, const char *metric,
                           double quantile, double *out_value)
{
    TSREC__CHECK(predictor, TSREC__MAGIC_PREDICTOR, "tsrec_predictor_metric", "tsrec_predictor");
    tsrec_predictor *p = (tsrec_predictor *)predictor;
    if (metric == NULL || out_value == NULL)
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG, "tsrec_predictor_metric: NULL argument");
    const tsrec__algo_eval *e = &p->evals[p->chosen];
    if (window != TSREC_WINDOW_SUMMARY && (window < 0 || window >= e->n_windows))
        return tsrec__fail(NULL, TSREC_E_OUT_OF_RANGE,
                           "window %d: the predictor has %d backtest window(s)", (int)window,
                           (int)e->n_windows);
    const tsrec__metrics *m = window == TSREC_WINDOW_SUMMARY ? &e->summary : &e->win[window];
    if (strcmp(metric, "wQL") == 0) {
        for (int32_t k = 0; k < p->cfg.nq; k++)
            if (fabs(p->cfg.q[k] - quantile) < 1e-9) {
                *out_value = m->wql[k];
                return tsrec__ok(NULL);
            }
        return tsrec__fail(NULL, TSREC_E_INVALID_ARG,
                           "wQL: %g is not one of the predictor's quantile forecast types",
                           quantile);
    }
    if (strcmp(metric, "AverageWeightedQuantileLoss") == 0)
        *out_value = m->avg_wql;
    else if (strcmp(metric, "WAPE") == 0)
        *out_value = m->wape;
    else if (strcmp(metric, "RMSE") == 0)
        *out_value = m->rmse;
    else if (strcmp(metric, "MAPE") == 0)
        *out_value = m->mape;
    else if (strcmp(metric, "MASE") == 0)
        *out_value = m->mase;
    else
        return tsrec__fail(NULL, TSREC_E_UNKNOWN_NAME,
                           "unknown metric '%s' (wQL, AverageWeightedQuantileLoss, WAPE, RMSE, "
                           "MAPE, MASE)",
                           metric);
    return tsrec__ok(NULL);
}
