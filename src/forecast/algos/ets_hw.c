/* HoltWintersZZ (non-seasonal) as R forecast uses it for tiny series and
 * constant series: level from y[1], growth from y[2] - y[1] (or the ratio
 * for an exponential trend), smoothing parameters minimising the SSE by
 * L-BFGS-B on [0, 1] from R's initparam start, with optim's central
 * differences (ndeps 1e-3, clipped at the bounds) as the gradient. The
 * result is packaged as an ETS(A,N,N)/(A,A,N)/(M,M,N) model as R does,
 * without likelihood or information criteria (NaN). */
#include <math.h>
#include <string.h>

#include "ets_hw_internal.h"
#include "optim_internal.h"

typedef struct hw_obj {
    const double *y;
    int64_t n;
    int trend;       /* 0 none, 1 additive, 2 exponential */
    double l0, b0;
    double alpha;    /* used when not optimised */
    int nopt;        /* 0, 1 (alpha) or 2 (alpha, beta) */
    double *fit;     /* optional outputs of the last run */
    double *lvl_last, *b_last;
} hw_obj;

/* zzhw's filter; returns the SSE. */
static double hw_run(const hw_obj *o, double alpha, double beta, double *fit,
                     double *l_end, double *b_end)
{
    double l = o->l0, b = o->trend ? o->b0 : 0.0, sse = 0.0;
    for (int64_t i = 0; i < o->n; i++) {
        double xhat = o->trend == 2 ? l * b : l + b;
        double r = o->y[i] - xhat;
        if (fit)
            fit[i] = xhat;
        sse += r * r;
        double nl = alpha * o->y[i] + (1.0 - alpha) * xhat;
        if (o->trend == 1)
            b = beta * (nl - l) + (1.0 - beta) * b;
        else if (o->trend == 2)
            b = beta * (nl / l) + (1.0 - beta) * b;
        l = nl;
    }
    if (l_end)
        *l_end = l;
    if (b_end)
        *b_end = b;
    return sse;
}

static double hw_sse(const hw_obj *o, const double *p)
{
    double alpha = o->nopt ? p[0] : o->alpha;
    double beta = o->nopt == 2 ? p[1] : 0.0;
    return hw_run(o, alpha, beta, NULL, NULL, NULL);
}

/* SSE and R optim's numerical gradient within [0, 1]. */
static int hw_objective(void *ud, const double *p, double *out, double *grad)
{
    const hw_obj *o = ud;
    *out = hw_sse(o, p);
    if (grad) {
        double x[2];
        memcpy(x, p, (size_t)o->nopt * sizeof(double));
        for (int i = 0; i < o->nopt; i++) {
            double eps = 1e-3, used = eps, t = p[i] + eps;
            if (t > 1.0) {
                t = 1.0;
                used = t - p[i];
            }
            x[i] = t;
            double v1 = hw_sse(o, x);
            t = p[i] - eps;
            if (t < 0.0) {
                t = 0.0;
                eps = p[i] - t;
            }
            x[i] = t;
            double v2 = hw_sse(o, x);
            grad[i] = (v1 - v2) / (used + eps);
            x[i] = p[i];
        }
    }
    return isfinite(*out) ? TSREC_OK : TSREC_E_NUMERIC;
}

typedef struct hw_fit {
    int ok;
    int trend;
    double alpha, beta, sigma2, l_end, b_end, l0, b0;
} hw_fit;

static int hw_one(tsrec_ctx *ctx, const double *y, int64_t n, int32_t m, int trend,
                  int fixed_alpha, double *fit, hw_fit *res)
{
    hw_obj o = {y, n, trend, y[0], 0.0, 0.99999, 0, NULL, NULL, NULL};
    memset(res, 0, sizeof *res);
    if (trend && n < 2)
        return TSREC_OK; /* R: x[2] is NA, the fit fails */
    if (trend == 1)
        o.b0 = y[1] - y[0];
    else if (trend == 2)
        o.b0 = y[1] / y[0];
    double p[2];
    if (!fixed_alpha) {
        o.nopt = trend ? 2 : 1;
        p[0] = 0.2 / (double)m;
        p[1] = 0.1 * (p[0] < 1.0 ? p[0] : 1.0);
        double lo[2] = {0.0, 0.0}, hi[2] = {1.0, 1.0};
        tsrec__optim_result r;
        int st = tsrec__lbfgsb(ctx, NULL, o.nopt, p, lo, hi, hw_objective, &o, NULL, &r);
        if (st == TSREC_E_NOMEM)
            return st;
        if (st != TSREC_OK || (r.convergence != 0 && r.convergence <= 50))
            return TSREC_OK; /* R: stop("optimization failure") */
        o.alpha = p[0];
    }
    double beta = o.nopt == 2 ? p[1] : 0.0;
    hw_run(&o, o.alpha, beta, fit, &res->l_end, &res->b_end);
    double s2 = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double r = y[i] - fit[i];
        double v = trend == 2 ? r / fit[i] : r;
        s2 += v * v;
    }
    res->ok = 1;
    res->trend = trend;
    res->alpha = o.alpha;
    res->beta = beta;
    res->sigma2 = s2 / (double)n;
    res->l0 = o.l0;
    res->b0 = o.b0;
    return TSREC_OK;
}

int tsrec__ets_hw_fit(tsrec_ctx *ctx, tsrec__handle *eh, const double *y, int64_t n,
                      int32_t m, int which, tsrec__ets_model *out)
{
    double *fit1 = tsrec__calloc(ctx, (size_t)n, sizeof(double));
    double *fit2 = tsrec__calloc(ctx, (size_t)n, sizeof(double));
    double *resid = tsrec__calloc(ctx, (size_t)n, sizeof(double));
    hw_fit a = {0}, b = {0};
    int st = TSREC_OK;
    if (!fit1 || !fit2 || !resid) {
        st = TSREC_E_NOMEM;
        goto fail;
    }
    if (which == TSREC__ETS_HW_CONSTANT) {
        st = hw_one(ctx, y, n, 1, 0, 1, fit2, &b);
    } else {
        if (which != TSREC__ETS_HW_SES)
            st = hw_one(ctx, y, n, m, which == TSREC__ETS_HW_HOLT_EXP ? 2 : 1, 0, fit1, &a);
        if (st == TSREC_OK && (which == TSREC__ETS_HW_SES || which == TSREC__ETS_HW_BEST ||
                               !a.ok))
            st = hw_one(ctx, y, n, m, 0, 0, fit2, &b);
    }
    if (st != TSREC_OK)
        goto fail;
    const hw_fit *w;
    double *fit;
    if (a.ok && (!b.ok || which != TSREC__ETS_HW_BEST || a.sigma2 < b.sigma2)) {
        w = &a;
        fit = fit1;
    } else {
        w = &b;
        fit = fit2;
    }
    if (!w->ok) {
        tsrec__free(ctx, fit1);
        tsrec__free(ctx, fit2);
        tsrec__free(ctx, resid);
        return tsrec__fail(eh, TSREC_E_NUMERIC, "ets: unable to estimate a model");
    }
    for (int64_t i = 0; i < n; i++)
        resid[i] = y[i] - fit[i];
    memset(out, 0, sizeof *out);
    out->error = w->trend == 2 ? TSREC__ETS_M : TSREC__ETS_A;
    out->trend = w->trend == 0 ? TSREC__ETS_N : w->trend == 1 ? TSREC__ETS_A : TSREC__ETS_M;
    out->season = TSREC__ETS_N;
    out->damped = 0;
    out->m = 1;
    out->kind = which == TSREC__ETS_HW_CONSTANT ? TSREC__ETS_FIT_CONSTANT : TSREC__ETS_FIT_HW;
    out->alpha = w->alpha;
    out->beta = w->beta;
    out->gamma = 0.0;
    out->phi = 1.0;
    out->nstates = w->trend ? 2 : 1;
    out->init_state[0] = w->l0;
    out->init_state[1] = w->trend ? w->b0 : 0.0;
    out->last_state[0] = w->l_end;
    out->last_state[1] = w->trend ? w->b_end : 0.0;
    out->npar = (w->trend ? 2 : 1) + out->nstates;
    out->loglik = out->aic = out->aicc = out->bic = NAN;
    out->sigma2 = w->sigma2;
    out->n = n;
    double mse = 0.0;
    for (int64_t i = 0; i < n; i++)
        mse += resid[i] * resid[i];
    out->mse = mse / (double)n;
    out->fitted = fit;
    out->residuals = resid;
    tsrec__free(ctx, fit == fit1 ? fit2 : fit1);
    tsrec__ets_model_name(out);
    return TSREC_OK;
fail:
    tsrec__free(ctx, fit1);
    tsrec__free(ctx, fit2);
    tsrec__free(ctx, resid);
    return tsrec__fail(eh, TSREC_E_NOMEM, "ets: out of memory (Holt-Winters fallback)");
}
