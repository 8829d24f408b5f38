/* Nelder-Mead simplex minimiser with the exact semantics of R's
 * optim(method = "Nelder-Mead") (Nash's nmmin), because ETS fitting must
 * reproduce forecast::ets, which runs on it. Every rule that changes the
 * path of the search follows R:
 *   - initial simplex: x0 plus, for each coordinate k, x0 with x0[k] moved by
 *     step = 0.1 * max|x0| (0.1 if x0 is all zero), the step multiplied by
 *     10 until the coordinate actually changes;
 *   - the best vertex index carries over between iterations and wins ties;
 *     the worst is the first vertex with the largest value;
 *   - the centroid is computed as (sum of all vertices - worst) / n;
 *   - reflection, then expansion if the reflected point beats the best,
 *     otherwise a contraction towards the centroid from the worst point
 *     (replaced first by the reflected one when that is better), and a
 *     shrink towards the best vertex only when the contraction failed and
 *     the reflection was no better than the worst;
 *   - stop when max f <= min f + reltol * (|f(x0)| + reltol), or the best
 *     value is <= abstol, or more than maxit evaluations were made
 *     (convergence 1), or a shrink did not reduce the simplex (code 10);
 *   - non-finite values are replaced by 1e35 so the simplex moves away.
 * The vertices are stored row-wise here; the arithmetic and its order are
 * the same, so results agree with R to the last bit on the same platform. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "optim_internal.h"

/* R's stand-in for a non-finite function value. */
#define NM_BIG 1.0e35

void tsrec__nm_opts_init(tsrec__nm_opts *o)
{
    o->alpha = 1.0;
    o->beta = 0.5;
    o->gamma = 2.0;
    o->reltol = sqrt(DBL_EPSILON);
    o->abstol = -INFINITY;
    o->maxit = 500;
}

typedef struct nm_state {
    int64_t n;
    double *vert;   /* (n + 1) x n vertices, row j = vertex j */
    double *fval;   /* n + 1 values */
    double *cen;    /* centroid, later the reflected point */
    double *trial;  /* point being evaluated */
    tsrec__objective_fn fn;
    void *ud;
    int64_t count;  /* evaluations */
} nm_state;

static double *vertex(nm_state *s, int64_t j)
{
    return s->vert + j * s->n;
}

/* f(trial), counted; non-finite values become NM_BIG. */
static int eval_trial(nm_state *s, double *out)
{
    double f = NAN;
    int st = s->fn(s->ud, s->trial, &f, NULL);
    if (st != TSREC_OK)
        return st;
    s->count++;
    *out = isfinite(f) ? f : NM_BIG;
    return TSREC_OK;
}

static int check_opts(tsrec__handle *eh, const tsrec__nm_opts *o)
{
    if (!(o->alpha > 0.0) || !(o->beta > 0.0 && o->beta < 1.0) ||
        !(o->gamma > 1.0) || isnan(o->reltol) || o->reltol < 0.0 ||
        isnan(o->abstol))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "nelder_mead: need alpha > 0, 0 < beta < 1, "
                           "gamma > 1, reltol >= 0");
    return TSREC_OK;
}

/* The search proper, on an allocated state whose vertex 0 holds x0 with
 * value f0. Sets *best to the index of the returned vertex. */
static int nm_run(tsrec_ctx *ctx, tsrec__handle *eh, nm_state *s,
                  const tsrec__nm_opts *o, double f0, int64_t *best,
                  tsrec__optim_result *res)
{
    const int64_t n = s->n;
    const double convtol = o->reltol * (fabs(f0) + o->reltol);
    double *x0 = vertex(s, 0);

    /* Initial simplex. */
    double step = 0.0;
    for (int64_t i = 0; i < n; i++)
        if (0.1 * fabs(x0[i]) > step)
            step = 0.1 * fabs(x0[i]);
    if (step == 0.0)
        step = 0.1;
    double size = 0.0;
    for (int64_t j = 1; j <= n; j++) {
        double *vj = vertex(s, j);
        memcpy(vj, x0, (size_t)n * sizeof(double));
        double trystep = step;
        while (vj[j - 1] == x0[j - 1]) {
            vj[j - 1] = x0[j - 1] + trystep;
            trystep *= 10.0;
        }
        size += trystep;
    }
    double oldsize = size;

    int64_t lo = 0; /* best vertex; 0 holds x0 and its value f0 */
    int recompute = 1;
    int64_t iter = 0;
    res->convergence = 0;
    for (;;) {
        *best = lo;
        if (tsrec__cancelled(ctx))
            return tsrec__fail(eh, TSREC_E_CANCELLED, "nelder_mead: cancelled");
        if (recompute) {
            for (int64_t j = 0; j <= n; j++) {
                if (j == lo)
                    continue;
                memcpy(s->trial, vertex(s, j), (size_t)n * sizeof(double));
                int st = eval_trial(s, &s->fval[j]);
                if (st != TSREC_OK)
                    return st;
            }
            recompute = 0;
        }

        /* Best (ties keep the previous best) and worst vertex. */
        double vl = s->fval[lo], vh = vl;
        int64_t hi = lo;
        for (int64_t j = 0; j <= n; j++) {
            if (j == lo)
                continue;
            double f = s->fval[j];
            if (f < vl) {
                lo = j;
                vl = f;
            }
            if (f > vh) {
                hi = j;
                vh = f;
            }
        }
        *best = lo;
        if (vh <= vl + convtol || vl <= o->abstol)
            break;
        iter++;

        /* Centroid of all vertices but the worst. */
        double *vhi = vertex(s, hi);
        for (int64_t i = 0; i < n; i++) {
            double acc = -vhi[i];
            for (int64_t j = 0; j <= n; j++)
                acc += s->vert[j * n + i];
            s->cen[i] = acc / (double)n;
        }

        /* Reflection of the worst point through the centroid. */
        for (int64_t i = 0; i < n; i++)
            s->trial[i] = (1.0 + o->alpha) * s->cen[i] - o->alpha * vhi[i];
        double vr;
        int st = eval_trial(s, &vr);
        if (st != TSREC_OK)
            return st;

        if (vr < vl) {
            /* Try expanding further; cen keeps the reflected point. */
            for (int64_t i = 0; i < n; i++) {
                double e = o->gamma * s->trial[i] + (1.0 - o->gamma) * s->cen[i];
                s->cen[i] = s->trial[i];
                s->trial[i] = e;
            }
            double fe;
            st = eval_trial(s, &fe);
            if (st != TSREC_OK)
                return st;
            if (fe < vr) {
                memcpy(vhi, s->trial, (size_t)n * sizeof(double));
                s->fval[hi] = fe;
            } else {
                memcpy(vhi, s->cen, (size_t)n * sizeof(double));
                s->fval[hi] = vr;
            }
        } else {
            if (vr < vh) {
                memcpy(vhi, s->trial, (size_t)n * sizeof(double));
                s->fval[hi] = vr;
            }
            /* Contraction between the (possibly replaced) worst point and
             * the centroid. */
            for (int64_t i = 0; i < n; i++)
                s->trial[i] = (1.0 - o->beta) * vhi[i] + o->beta * s->cen[i];
            double fc;
            st = eval_trial(s, &fc);
            if (st != TSREC_OK)
                return st;
            if (fc < s->fval[hi]) {
                memcpy(vhi, s->trial, (size_t)n * sizeof(double));
                s->fval[hi] = fc;
            } else if (vr >= vh) {
                /* Shrink every vertex towards the best one. */
                const double *vlo = vertex(s, lo);
                recompute = 1;
                size = 0.0;
                for (int64_t j = 0; j <= n; j++) {
                    if (j == lo)
                        continue;
                    double *vj = vertex(s, j);
                    for (int64_t i = 0; i < n; i++) {
                        vj[i] = o->beta * (vj[i] - vlo[i]) + vlo[i];
                        size += fabs(vj[i] - vlo[i]);
                    }
                }
                if (size < oldsize) {
                    oldsize = size;
                } else {
                    res->convergence = 10; /* degenerate simplex */
                    break;
                }
            }
        }
        if (s->count > o->maxit)
            break;
    }
    res->iterations = iter;
    if (s->count > o->maxit)
        res->convergence = 1;
    return TSREC_OK;
}

int tsrec__nelder_mead(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n, double *x,
                       tsrec__objective_fn fn, void *ud,
                       const tsrec__nm_opts *opts, tsrec__optim_result *out)
{
    tsrec__nm_opts defaults;
    tsrec__optim_result res = {NAN, 0, 0, 0, 0};
    if (!opts) {
        tsrec__nm_opts_init(&defaults);
        opts = &defaults;
    }
    if (!ctx || !x || !fn || n < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "nelder_mead: NULL argument or n < 1");
    int st = check_opts(eh, opts);
    if (st != TSREC_OK)
        return st;
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return tsrec__fail(eh, TSREC_E_NAN,
                               "nelder_mead: x0[%lld] is not finite", (long long)i);

    double f0 = NAN;
    st = fn(ud, x, &f0, NULL);
    if (st != TSREC_OK)
        return st;
    if (opts->maxit <= 0) {
        /* R: evaluate once, report no evaluations and success. */
        res.value = f0;
        if (out)
            *out = res;
        return TSREC_OK;
    }
    if (!isfinite(f0))
        return tsrec__fail(eh, TSREC_E_NAN,
                           "nelder_mead: function cannot be evaluated at the "
                           "initial parameters");

    /* One block: (n + 1) * n vertices, n + 1 values, centroid, trial. */
    size_t np1 = (size_t)n + 1, cells, bytes;
    if ((uint64_t)n > SIZE_MAX / 8 || tsrec__mul_size(np1, (size_t)n, &cells) ||
        cells > SIZE_MAX - 3 * np1 ||
        tsrec__mul_size(cells + 3 * np1, sizeof(double), &bytes))
        return tsrec__fail(eh, TSREC_E_NOMEM, "nelder_mead: n too large");
    double *block = tsrec__alloc(ctx, bytes);
    if (!block)
        return tsrec__fail(eh, TSREC_E_NOMEM, "nelder_mead: out of memory");
    nm_state s = {n, block, block + cells, block + cells + np1,
                  block + cells + 2 * np1, fn, ud, 1};
    memcpy(s.vert, x, (size_t)n * sizeof(double));
    s.fval[0] = f0;

    int64_t best = 0;
    st = nm_run(ctx, eh, &s, opts, f0, &best, &res);
    memcpy(x, vertex(&s, best), (size_t)n * sizeof(double));
    res.value = s.fval[best];
    res.fn_count = s.count;
    tsrec__free(ctx, block);
    if (out)
        *out = res;
    return st;
}
