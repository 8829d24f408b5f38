/* Batched Nelder-Mead for the ETS fit; see ets_nm_internal.h. The rules
 * are those of src/tensor/optim_neldermead.c (R's nmmin), restated here
 * step for step: initial simplex by 0.1 * max|x0| steps, the best vertex
 * kept on ties, the first worst vertex, centroid as (sum - worst) / n,
 * reflection, then expansion when the reflection beats the best, else a
 * contraction (from the reflected point when it beat the worst), and a
 * shrink towards the best only when that contraction failed and the
 * reflection was no better than the worst; stop on the relative
 * tolerance, on more than maxit evaluations or on a shrink that did not
 * reduce the simplex. What differs is only when points are evaluated:
 * the second point of an iteration is one of three known in advance, so
 * with batch set all four are evaluated in one batch; the vertices
 * re-evaluated after a shrink go four at a time. The costly root test of
 * admissibility (admit) runs only for the points used. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "ets_nm_internal.h"

#define NM_BIG 1.0e35 /* R's stand-in for a non-finite value */
#define NM_ALPHA 1.0
#define NM_BETA 0.5
#define NM_GAMMA 2.0

typedef struct nm_state {
    int64_t n;
    double *vert; /* (n + 1) x n, row j = vertex j */
    double *fval; /* n + 1 */
    double *cen;  /* centroid */
    double *pt;   /* 4 candidate points: reflection, expansion,
                     contraction of the reflected, of the worst */
    tsrec__ets_batch_fn fn;
    tsrec__ets_admit_fn admit;
    void *ud;
    int64_t count;
    int batch;    /* evaluate the 4 candidate points together */
} nm_state;

static double *vertex(nm_state *s, int64_t j)
{
    return s->vert + j * s->n;
}

static double finite_or_big(double f)
{
    return isfinite(f) ? f : NM_BIG;
}

/* The objective's value from f(x): +inf where x is not admitted. */
static double admitted(const nm_state *s, const double *x, double f)
{
    if (s->admit && !isnan(f) && f != INFINITY && !s->admit(s->ud, x))
        return INFINITY;
    return f;
}

/* Re-evaluate every vertex but lo (initial simplex, after a shrink). */
static int eval_vertices(nm_state *s, int64_t lo)
{
    const double *pts[4];
    int64_t idx[4];
    double f[4];
    int k = 0;
    for (int64_t j = 0; j <= s->n; j++) {
        if (j != lo) {
            pts[k] = vertex(s, j);
            idx[k++] = j;
        }
        if (k == 4 || (j == s->n && k > 0)) {
            int st = s->fn(s->ud, k, pts, f);
            if (st != TSREC_OK)
                return st;
            for (int i = 0; i < k; i++)
                s->fval[idx[i]] = finite_or_big(admitted(s, pts[i], f[i]));
            s->count += k;
            k = 0;
        }
    }
    return TSREC_OK;
}

static int nm_run(tsrec_ctx *ctx, tsrec__handle *eh, nm_state *s, int64_t maxit, double f0,
                  int64_t *best, tsrec__optim_result *res)
{
    const int64_t n = s->n;
    const double reltol = sqrt(DBL_EPSILON);
    const double convtol = reltol * (fabs(f0) + reltol);
    const size_t row = (size_t)n * sizeof(double);
    double *x0 = vertex(s, 0);
    double *xr = s->pt, *xe = s->pt + n, *xc1 = s->pt + 2 * n, *xc2 = s->pt + 3 * n;

    double step = 0.0;
    for (int64_t i = 0; i < n; i++)
        if (0.1 * fabs(x0[i]) > step)
            step = 0.1 * fabs(x0[i]);
    if (step == 0.0)
        step = 0.1;
    double size = 0.0;
    for (int64_t j = 1; j <= n; j++) {
        double *vj = vertex(s, j);
        memcpy(vj, x0, row);
        double trystep = step;
        while (vj[j - 1] == x0[j - 1]) {
            vj[j - 1] = x0[j - 1] + trystep;
            trystep *= 10.0;
        }
        size += trystep;
    }
    double oldsize = size;

    int64_t lo = 0;
    int recompute = 1;
    int64_t iter = 0;
    res->convergence = 0;
    for (;;) {
        *best = lo;
        if (tsrec__cancelled(ctx))
            return tsrec__fail(eh, TSREC_E_CANCELLED, "ets: cancelled");
        if (recompute) {
            int st = eval_vertices(s, lo);
            if (st != TSREC_OK)
                return st;
            recompute = 0;
        }

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
        if (vh <= vl + convtol)
            break;
        iter++;

        double *vhi = vertex(s, hi);
        for (int64_t i = 0; i < n; i++) {
            double acc = -vhi[i];
            for (int64_t j = 0; j <= n; j++)
                acc += s->vert[j * n + i];
            s->cen[i] = acc / (double)n;
        }
        for (int64_t i = 0; i < n; i++) {
            xr[i] = (1.0 + NM_ALPHA) * s->cen[i] - NM_ALPHA * vhi[i];
            xe[i] = NM_GAMMA * xr[i] + (1.0 - NM_GAMMA) * s->cen[i];
            xc1[i] = (1.0 - NM_BETA) * xr[i] + NM_BETA * s->cen[i];
            xc2[i] = (1.0 - NM_BETA) * vhi[i] + NM_BETA * s->cen[i];
        }
        const double *pts[4] = {xr, xe, xc1, xc2};
        double f[4];
        int st = s->fn(s->ud, s->batch ? 4 : 1, pts, f);
        if (st != TSREC_OK)
            return st;
        const double vr = finite_or_big(admitted(s, xr, f[0]));
        /* The one point R goes on to. */
        const int which = vr < vl ? 1 : vr < vh ? 2 : 3;
        if (!s->batch) {
            st = s->fn(s->ud, 1, &pts[which], &f[which]);
            if (st != TSREC_OK)
                return st;
        }
        f[which] = admitted(s, pts[which], f[which]);
        s->count += 2; /* the reflection and the one point R goes on to */
        if (vr < vl) {
            const double fe = finite_or_big(f[1]);
            if (fe < vr) {
                memcpy(vhi, xe, row);
                s->fval[hi] = fe;
            } else {
                memcpy(vhi, xr, row);
                s->fval[hi] = vr;
            }
        } else {
            if (vr < vh) {
                memcpy(vhi, xr, row);
                s->fval[hi] = vr;
            }
            const double *xc = vr < vh ? xc1 : xc2;
            const double fc = finite_or_big(vr < vh ? f[2] : f[3]);
            if (fc < s->fval[hi]) {
                memcpy(vhi, xc, row);
                s->fval[hi] = fc;
            } else if (vr >= vh) {
                const double *vlo = vertex(s, lo);
                recompute = 1;
                size = 0.0;
                for (int64_t j = 0; j <= n; j++) {
                    if (j == lo)
                        continue;
                    double *vj = vertex(s, j);
                    for (int64_t i = 0; i < n; i++) {
                        vj[i] = NM_BETA * (vj[i] - vlo[i]) + vlo[i];
                        size += fabs(vj[i] - vlo[i]);
                    }
                }
                if (size < oldsize) {
                    oldsize = size;
                } else {
                    res->convergence = 10;
                    break;
                }
            }
        }
        if (s->count > maxit)
            break;
    }
    res->iterations = iter;
    if (s->count > maxit)
        res->convergence = 1;
    return TSREC_OK;
}

int tsrec__ets_nelder_mead(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n, double *x,
                           tsrec__ets_batch_fn fn, tsrec__ets_admit_fn admit, void *ud,
                           int64_t maxit, int batch, tsrec__optim_result *out)
{
    tsrec__optim_result res = {NAN, 0, 0, 0, 0};
    if (!ctx || !x || !fn || n < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "ets: NULL argument or n < 1");
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return tsrec__fail(eh, TSREC_E_NAN, "ets: x0[%lld] is not finite", (long long)i);
    double f0 = NAN;
    const double *p0 = x;
    int st = fn(ud, 1, &p0, &f0);
    if (st != TSREC_OK)
        return st;
    nm_state s = {n, NULL, NULL, NULL, NULL, fn, admit, ud, 1, batch};
    f0 = admitted(&s, x, f0);
    if (maxit <= 0) {
        res.value = f0;
        if (out)
            *out = res;
        return TSREC_OK;
    }
    if (!isfinite(f0))
        return tsrec__fail(eh, TSREC_E_NAN,
                           "ets: function cannot be evaluated at the initial parameters");

    /* One block: (n + 1) * n vertices, n + 1 values, centroid, 4 points. */
    size_t np1 = (size_t)n + 1, cells, bytes;
    if ((uint64_t)n > SIZE_MAX / 16 || tsrec__mul_size(np1, (size_t)n, &cells) ||
        cells > SIZE_MAX / 2 - 6 * np1 ||
        tsrec__mul_size(cells + 6 * np1, sizeof(double), &bytes))
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets: too many parameters");
    double *block = tsrec__alloc(ctx, bytes);
    if (!block)
        return tsrec__fail(eh, TSREC_E_NOMEM, "ets: out of memory (optimiser)");
    s.vert = block;
    s.fval = block + cells;
    s.cen = block + cells + np1;
    s.pt = block + cells + 2 * np1;
    memcpy(s.vert, x, (size_t)n * sizeof(double));
    s.fval[0] = f0;
    int64_t best = 0;
    st = nm_run(ctx, eh, &s, maxit, f0, &best, &res);
    memcpy(x, vertex(&s, best), (size_t)n * sizeof(double));
    res.value = s.fval[best];
    res.fn_count = s.count;
    tsrec__free(ctx, block);
    if (out)
        *out = res;
    return st;
}
