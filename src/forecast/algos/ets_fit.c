/* Model estimation and selection as R forecast::ets (8.20) with its
 * defaults: every candidate of the model space is fitted by etsmodel --
 * smoothing parameters and initial states optimised jointly by Nelder-Mead
 * (R's nmmin semantics, reltol sqrt(eps), maxit 2000) on the lik criterion
 * with bounds "both" -- and the lowest AICc wins (first in R's loop order on
 * ties). A failed candidate counts as AICc = inf, as R's try(). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ets_internal.h"
#include "ets_hw_internal.h"
#include "ets_nm_internal.h"

static const double ETS_LO[4] = {1e-4, 1e-4, 1e-4, 0.8};
static const double ETS_HI[4] = {0.9999, 0.9999, 0.9999, 0.98};

void tsrec__ets_spec_init(tsrec__ets_spec *s)
{
    s->error = TSREC__ETS_Z;
    s->trend = TSREC__ETS_Z;
    s->season = TSREC__ETS_Z;
    s->damped = -1;
    s->additive_only = 0;
    s->allow_mult_trend = 0;
    s->maxit = 2000;
    s->opt_mse = 0;
}

static int comp_code(char c, int allow_n)
{
    switch (c) {
    case 'N': return allow_n ? TSREC__ETS_N : -1;
    case 'A': return TSREC__ETS_A;
    case 'M': return TSREC__ETS_M;
    case 'Z': return TSREC__ETS_Z;
    default: return -1;
    }
}

int tsrec__ets_spec_parse(tsrec__ets_spec *s, tsrec__handle *eh, const char *model)
{
    if (!s || !model || strlen(model) != 3)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: model must be 3 letters like \"ZZZ\"");
    int e = comp_code(model[0], 0), t = comp_code(model[1], 1), se = comp_code(model[2], 1);
    if (e < 0 || t < 0 || se < 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: invalid model \"%s\"", model);
    s->error = e;
    s->trend = t;
    s->season = se;
    return TSREC_OK;
}

void tsrec__ets_model_free(tsrec_ctx *ctx, tsrec__ets_model *mod)
{
    if (!mod)
        return;
    tsrec__free(ctx, mod->fitted);
    tsrec__free(ctx, mod->residuals);
    mod->fitted = mod->residuals = NULL;
}

/* ---- the objective ------------------------------------------------------ */

typedef struct ets_obj {
    const double *y;
    int64_t n;
    int32_t m; /* 1 when non-seasonal */
    int32_t error, trend, season, damped;
    int32_t npar_smooth;
    int32_t opt_mse; /* criterion: mean squared one-step error, not lik */
    double *e, *f; /* n each, in a block of 4 (n + m) that is also the
                      work buffer of tsrec__ets_lik_lanes */
} ets_obj;

/* Unpack the optimiser vector into parameters and the full initial state
 * (adding the implied m-th seasonal state). */
static void unpack(const ets_obj *o, const double *x, double *alpha, double *beta,
                   double *gamma, double *phi, double *x0)
{
    int j = 0;
    *alpha = x[j++];
    *beta = o->trend != TSREC__ETS_N ? x[j++] : 0.0;
    *gamma = o->season != TSREC__ETS_N ? x[j++] : 0.0;
    *phi = o->damped ? x[j++] : 1.0;
    int has_b = o->trend != TSREC__ETS_N;
    int ns_free = 1 + has_b + (o->season != TSREC__ETS_N ? o->m - 1 : 0);
    for (int k = 0; k < ns_free; k++)
        x0[k] = x[j + k];
    if (o->season != TSREC__ETS_N) {
        double s = 0.0;
        for (int k = 1 + has_b; k < ns_free; k++)
            s += x0[k];
        x0[ns_free] = (o->season == TSREC__ETS_M ? (double)o->m : 0.0) - s;
    }
}

/* R's lik function for up to 4 points at once, but for the root test of
 * admissibility (admit below, which the search runs only for the points
 * it uses): points outside the box (or with a negative multiplicative
 * season) are +inf without a pass over the data, the others run side by
 * side in tsrec__ets_lik_lanes. */
static int objective(void *ud, int k, const double *const *x, double *out)
{
    const ets_obj *o = ud;
    double x0[4][TSREC__ETS_MAX_STATES];
    tsrec__ets_lane lanes[4];
    int idx[4], nl = 0;
    const int has_b = o->trend != TSREC__ETS_N;
    for (int i = 0; i < k; i++) {
        double alpha, beta, gamma, phi;
        unpack(o, x[i], &alpha, &beta, &gamma, &phi, x0[nl]);
        out[i] = INFINITY;
        if (!tsrec__ets_params_box(alpha, beta, gamma, phi, has_b,
                                   o->season != TSREC__ETS_N, o->damped))
            continue;
        int neg = 0;
        if (o->season == TSREC__ETS_M)
            for (int j = 1 + has_b; j <= has_b + o->m; j++)
                neg |= x0[nl][j] < 0.0;
        if (neg)
            continue;
        lanes[nl] = (tsrec__ets_lane){alpha, beta, gamma, phi, x0[nl]};
        idx[nl++] = i;
    }
    if (nl == 0)
        return TSREC_OK;
    if (o->opt_mse) {
        /* R's amse[0]: the running mean of squared one-step errors, in its
         * update order. */
        for (int j = 0; j < nl; j++) {
            double lik = tsrec__ets_calc(o->y, o->n, lanes[j].x0, o->m, o->error, o->trend,
                                         o->season, lanes[j].alpha, lanes[j].beta,
                                         lanes[j].gamma, lanes[j].phi, o->e, o->f, NULL);
            double amse = 0.0;
            for (int64_t t = 0; t < o->n; t++) {
                const double d = (double)(t + 1), tmp = o->y[t] - o->f[t];
                amse = (amse * (d - 1.0) + tmp * tmp) / d;
            }
            out[idx[j]] = isnan(lik) ? INFINITY : amse;
        }
        return TSREC_OK;
    }
    double lik[4];
    tsrec__ets_lik_lanes(o->y, o->n, o->m, o->error, o->trend, o->season, lanes, nl,
                         o->e, lik);
    for (int j = 0; j < nl; j++) {
        double v = lik[j];
        if (v < -1e10)
            v = -1e10;
        if (isnan(v))
            v = INFINITY;
        out[idx[j]] = v;
    }
    return TSREC_OK;
}

/* The root part of R's check (see objective). */
static int admit(void *ud, const double *x)
{
    const ets_obj *o = ud;
    double alpha, beta, gamma, phi, x0[TSREC__ETS_MAX_STATES];
    unpack(o, x, &alpha, &beta, &gamma, &phi, x0);
    return tsrec__ets_admissible(alpha, beta, gamma, phi, o->m, o->trend != TSREC__ETS_N,
                                 o->season != TSREC__ETS_N);
}

/* ---- one candidate (etsmodel) -------------------------------------------- */

typedef struct ets_cand {
    double alpha, beta, gamma, phi;
    double x0[TSREC__ETS_MAX_STATES];
    int32_t npar;
    double lik, aicc;
    int64_t evals;
} ets_cand;

/* R's initparam with the default bounds. */
static int initparam(int32_t trend, int32_t season, int damped, int32_t m, double *par)
{
    int j = 0;
    double alpha = ETS_LO[0] + 0.2 * (ETS_HI[0] - ETS_LO[0]) / (double)m;
    if (alpha > 1.0 || alpha < 0.0)
        alpha = ETS_LO[0] + 2e-3;
    par[j++] = alpha;
    if (trend != TSREC__ETS_N) {
        double up = ETS_HI[1] < alpha ? ETS_HI[1] : alpha;
        double beta = ETS_LO[1] + 0.1 * (up - ETS_LO[1]);
        if (beta < 0.0 || beta > alpha)
            beta = alpha - 1e-3;
        par[j++] = beta;
    }
    if (season != TSREC__ETS_N) {
        double up = ETS_HI[2] < 1.0 - alpha ? ETS_HI[2] : 1.0 - alpha;
        double gamma = ETS_LO[2] + 0.05 * (up - ETS_LO[2]);
        if (gamma < 0.0 || gamma > 1.0 - alpha)
            gamma = 1.0 - alpha - 1e-3;
        par[j++] = gamma;
    }
    if (damped) {
        double phi = ETS_LO[3] + 0.99 * (ETS_HI[3] - ETS_LO[3]);
        if (phi < 0.0 || phi > 1.0)
            phi = ETS_HI[3] - 1e-3;
        par[j++] = phi;
    }
    return j;
}

/* Fit one model. A model R would fail on gets aicc = inf and TSREC_OK;
 * only NOMEM / CANCELLED are returned as errors. */
static int fit_one(tsrec_ctx *ctx, tsrec__handle *eh, ets_obj *o, int64_t maxit,
                   ets_cand *c)
{
    double par[4 + TSREC__ETS_MAX_STATES];
    c->aicc = INFINITY;
    c->evals = 0;
    int np = initparam(o->trend, o->season, o->damped, o->m, par);
    double a0 = par[0], b0 = o->trend != TSREC__ETS_N ? par[1] : 0.0;
    double g0 = o->season != TSREC__ETS_N ? par[1 + (o->trend != TSREC__ETS_N)] : 0.0;
    double p0 = o->damped ? par[np - 1] : 1.0;
    if (!tsrec__ets_params_ok(a0, b0, g0, p0, o->m, o->trend != TSREC__ETS_N,
                              o->season != TSREC__ETS_N, o->damped))
        return TSREC_OK; /* R: stop("Parameters out of range") */
    o->npar_smooth = np;
    int32_t ns = 0;
    int st = tsrec__ets_initstate(ctx, NULL, o->y, o->n, o->m, o->trend, o->season,
                                  par + np, &ns);
    if (st == TSREC_E_NOMEM)
        return tsrec__fail(eh, st, "ets: out of memory (initial states)");
    if (st != TSREC_OK)
        return TSREC_OK;
    np += ns;
    if ((int64_t)np >= o->n - 1)
        return TSREC_OK; /* not enough data for this model */

    tsrec__optim_result res;
    /* Additive errors: the recursion is latency-bound, 4 points cost about
     * one. Multiplicative ones spend their time on log |forecast| per
     * step, so extra points cost their full price. */
    st = tsrec__ets_nelder_mead(ctx, NULL, np, par, objective, admit, o, maxit,
                                o->error == TSREC__ETS_A && !o->opt_mse, &res);
    c->evals = res.fn_count;
    if (st == TSREC_E_NOMEM || st == TSREC_E_CANCELLED)
        return tsrec__fail(eh, st, st == TSREC_E_NOMEM ? "ets: out of memory (optimiser)"
                                                       : "ets: cancelled");
    if (st != TSREC_OK)
        return TSREC_OK; /* R: "function cannot be evaluated at initial parameters" */

    unpack(o, par, &c->alpha, &c->beta, &c->gamma, &c->phi, c->x0);
    double lik = tsrec__ets_calc(o->y, o->n, c->x0, o->m, o->error, o->trend, o->season,
                                 c->alpha, c->beta, c->gamma, c->phi, o->e, o->f, NULL);
    if (isnan(lik))
        return TSREC_OK;
    c->npar = np;
    c->lik = lik;
    double k = (double)(np + 1), nn = (double)o->n;
    c->aicc = lik + 2.0 * k + 2.0 * k * (k + 1.0) / (nn - k - 1.0);
    if (isnan(c->aicc))
        c->aicc = INFINITY;
    return TSREC_OK;
}

/* Fill the result from the winning candidate: final recursion with states,
 * R's fitted/residuals/sigma2/IC. */
static int finish(tsrec_ctx *ctx, tsrec__handle *eh, const ets_obj *o, const ets_cand *c,
                  tsrec__ets_model *out)
{
    const int64_t n = o->n;
    const int has_b = o->trend != TSREC__ETS_N, has_s = o->season != TSREC__ETS_N;
    const int32_t ns = 1 + has_b + (has_s ? o->m : 0);
    size_t bytes;
    if (tsrec__mul_size((size_t)n + 1, (size_t)ns * sizeof(double), &bytes))
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets: series too long");
    double *states = tsrec__alloc(ctx, bytes);
    out->fitted = tsrec__calloc(ctx, (size_t)n, sizeof(double));
    out->residuals = tsrec__calloc(ctx, (size_t)n, sizeof(double));
    if (!states || !out->fitted || !out->residuals) {
        tsrec__free(ctx, states);
        tsrec__ets_model_free(ctx, out);
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets: out of memory (result)");
    }
    double lik = tsrec__ets_calc(o->y, n, c->x0, o->m, o->error, o->trend, o->season,
                                 c->alpha, c->beta, c->gamma, c->phi, out->residuals,
                                 out->fitted, states);
    double sse = 0.0, mse = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double e = out->residuals[i];
        double d = o->y[i] - out->fitted[i];
        mse += d * d;
        out->fitted[i] = o->error == TSREC__ETS_A ? o->y[i] - e : o->y[i] / (1.0 + e);
        sse += e * e;
    }
    out->error = o->error;
    out->trend = o->trend;
    out->season = o->season;
    out->damped = o->damped;
    out->m = o->m;
    out->kind = TSREC__ETS_FIT_OPTIMISED;
    out->alpha = c->alpha;
    out->beta = c->beta;
    out->gamma = c->gamma;
    out->phi = c->phi;
    out->nstates = ns;
    memcpy(out->init_state, c->x0, (size_t)ns * sizeof(double));
    memcpy(out->last_state, states + n * ns, (size_t)ns * sizeof(double));
    tsrec__free(ctx, states);
    out->npar = c->npar;
    double k = (double)(c->npar + 1), nn = (double)n;
    out->loglik = -0.5 * lik;
    out->aic = lik + 2.0 * k;
    out->bic = lik + log(nn) * k;
    out->aicc = out->aic + 2.0 * k * (k + 1.0) / (nn - k - 1.0);
    out->sigma2 = sse / (nn - (double)c->npar);
    out->mse = mse / nn;
    out->n = n;
    tsrec__ets_model_name(out);
    return TSREC_OK;
}

void tsrec__ets_model_name(tsrec__ets_model *mod)
{
    static const char L[] = "NAM";
    snprintf(mod->name, sizeof mod->name, "ETS(%c,%c%s,%c)", L[mod->error], L[mod->trend],
             mod->damped ? "d" : "", L[mod->season]);
}

/* R's is.constant: all.equal(x, rep(x[1], n)) with tolerance 1.5e-8. */
static int is_constant(const double *y, int64_t n)
{
    long double d = 0.0L, s = 0.0L;
    for (int64_t i = 0; i < n; i++) {
        d += fabs(y[i] - y[0]);
        s += fabs(y[i]);
    }
    d /= (long double)n;
    s /= (long double)n;
    if (isfinite((double)s) && s > 1.5e-8L)
        d /= s;
    return d <= 1.5e-8L;
}

int tsrec__ets_fit(tsrec_ctx *ctx, tsrec__handle *eh, const double *y, int64_t n,
                   int32_t m, const tsrec__ets_spec *spec, tsrec__ets_model *out)
{
    tsrec__ets_spec def;
    if (!ctx || !y || !out)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: NULL argument");
    memset(out, 0, sizeof *out);
    if (!spec) {
        tsrec__ets_spec_init(&def);
        spec = &def;
    }
    if (n < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: empty series");
    if (m < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: period m must be >= 1");
    if (spec->error < TSREC__ETS_A || spec->error > TSREC__ETS_Z || spec->trend < 0 ||
        spec->trend > TSREC__ETS_Z || spec->season < 0 || spec->season > TSREC__ETS_Z ||
        spec->damped < -1 || spec->damped > 1 || spec->maxit < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: invalid model specification");
    double ymin = INFINITY;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            return tsrec__fail(eh, TSREC_E_NAN, "ets: y[%lld] is not finite",
                               (long long)i);
        if (y[i] < ymin)
            ymin = y[i];
    }
    int32_t et = spec->error, tt = spec->trend, st = spec->season;
    const int all_auto = et == TSREC__ETS_Z && tt == TSREC__ETS_Z && st == TSREC__ETS_Z &&
                         spec->damped < 0;
    if (all_auto && is_constant(y, n))
        return tsrec__ets_hw_fit(ctx, eh, y, n, m, TSREC__ETS_HW_CONSTANT, out);

    if (n <= m)
        st = TSREC__ETS_N;
    if (m == 1) {
        if (st == TSREC__ETS_A || st == TSREC__ETS_M)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: nonseasonal data (m = 1)");
        st = TSREC__ETS_N;
    }
    if (m > TSREC__ETS_MAX_M) {
        if (st == TSREC__ETS_A || st == TSREC__ETS_M)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "ets: frequency too high for a seasonal model (m > 24)");
        st = TSREC__ETS_N; /* R warns and ignores the season */
    }
    if ((et == TSREC__ETS_A && (tt == TSREC__ETS_M || st == TSREC__ETS_M)) ||
        (et == TSREC__ETS_M && tt == TSREC__ETS_M && st == TSREC__ETS_A) ||
        (spec->additive_only &&
         (et == TSREC__ETS_M || tt == TSREC__ETS_M || st == TSREC__ETS_M)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: forbidden model combination");
    const int positive = ymin > 0.0;
    if (!positive && et == TSREC__ETS_M)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "ets: multiplicative error needs positive data");
    if (spec->damped == 1 && tt == TSREC__ETS_N)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: damped needs a trend");

    int64_t npars = 2;
    if (tt == TSREC__ETS_A || tt == TSREC__ETS_M)
        npars += 2;
    if (st == TSREC__ETS_A || st == TSREC__ETS_M)
        npars += m;
    if (spec->damped == 1)
        npars += 1;
    if (n <= npars + 4) {
        int which = TSREC__ETS_HW_BEST;
        if (tt == TSREC__ETS_A || tt == TSREC__ETS_M)
            which = tt == TSREC__ETS_M ? TSREC__ETS_HW_HOLT_EXP : TSREC__ETS_HW_HOLT;
        else if (tt == TSREC__ETS_N && (st == TSREC__ETS_N || st == TSREC__ETS_Z))
            which = st == TSREC__ETS_N ? TSREC__ETS_HW_SES : TSREC__ETS_HW_BEST;
        return tsrec__ets_hw_fit(ctx, eh, y, n, m, which, out);
    }

    int32_t errs[2], trends[3], seas[3], damps[2];
    int ne = 0, ntr = 0, nse = 0, nd = 0;
    if (et == TSREC__ETS_Z) {
        errs[ne++] = TSREC__ETS_A;
        errs[ne++] = TSREC__ETS_M;
    } else {
        errs[ne++] = et;
    }
    if (tt == TSREC__ETS_Z) {
        trends[ntr++] = TSREC__ETS_N;
        trends[ntr++] = TSREC__ETS_A;
        if (spec->allow_mult_trend)
            trends[ntr++] = TSREC__ETS_M;
    } else {
        trends[ntr++] = tt;
    }
    if (st == TSREC__ETS_Z) {
        seas[nse++] = TSREC__ETS_N;
        seas[nse++] = TSREC__ETS_A;
        seas[nse++] = TSREC__ETS_M;
    } else {
        seas[nse++] = st;
    }
    if (spec->damped < 0) {
        damps[nd++] = 1;
        damps[nd++] = 0;
    } else {
        damps[nd++] = spec->damped;
    }

    size_t bytes;
    if ((uint64_t)n > SIZE_MAX / 4 - TSREC__ETS_MAX_M ||
        tsrec__mul_size((size_t)n + TSREC__ETS_MAX_M, 4 * sizeof(double), &bytes))
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets: series too long");
    double *work = tsrec__alloc(ctx, bytes);
    if (!work)
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets: out of memory");
    ets_obj best_o = {0};
    ets_cand best = {0};
    best.aicc = INFINITY;
    int64_t evals = 0;
    int rc = TSREC_OK;
    for (int i = 0; i < ne && rc == TSREC_OK; i++)
        for (int j = 0; j < ntr && rc == TSREC_OK; j++)
            for (int k = 0; k < nse && rc == TSREC_OK; k++)
                for (int l = 0; l < nd && rc == TSREC_OK; l++) {
                    int32_t e = errs[i], t = trends[j], s = seas[k];
                    if (t == TSREC__ETS_N && damps[l])
                        continue;
                    if (e == TSREC__ETS_A && (t == TSREC__ETS_M || s == TSREC__ETS_M))
                        continue;
                    if (e == TSREC__ETS_M && t == TSREC__ETS_M && s == TSREC__ETS_A)
                        continue;
                    if (spec->additive_only &&
                        (e == TSREC__ETS_M || t == TSREC__ETS_M || s == TSREC__ETS_M))
                        continue;
                    if (!positive && e == TSREC__ETS_M)
                        continue;
                    ets_obj o = {y, n, s != TSREC__ETS_N ? m : 1, e, t, s, damps[l], 0,
                                 spec->opt_mse != 0, work, work + n};
                    ets_cand c;
                    rc = fit_one(ctx, eh, &o, spec->maxit, &c);
                    evals += c.evals;
                    if (rc == TSREC_OK && c.aicc < best.aicc) {
                        best = c;
                        best_o = o;
                    }
                }
    tsrec__free(ctx, work);
    if (rc != TSREC_OK)
        return rc;
    if (!(best.aicc < INFINITY))
        return tsrec__fail(eh, TSREC_E_NUMERIC, "ets: no model able to be fitted");
    rc = finish(ctx, eh, &best_o, &best, out);
    out->nm_evals = evals;
    return rc;
}
