/* Bound-constrained limited-memory quasi-Newton minimiser.
 *
 * This is a projected L-BFGS, not a transcription of Byrd-Lu-Nocedal-Zhu's
 * L-BFGS-B: it keeps R optim's interface and stopping rules (memory m = 5,
 * factr * DBL_EPSILON on the relative reduction of f, pgtol on the
 * infinity norm of the projected gradient, maxit = 100, x0 projected into
 * the box) but replaces the generalized Cauchy point and subspace
 * minimisation with an active-set step:
 *   1. a variable is fixed when it sits on a bound and its gradient pushes
 *      it outwards; every other variable is free;
 *   2. the search direction is -H g over the free variables, H the L-BFGS
 *      inverse Hessian from the two-loop recursion with every inner product
 *      restricted to the free variables (pairs whose restricted curvature
 *      s'y is not positive are skipped, so H stays positive definite and
 *      the direction is a descent direction);
 *   3. a backtracking Armijo line search along the projected path
 *      P(x + t d) (quadratic interpolation, safeguarded to [0.1t, 0.5t]),
 *      with the sufficient-decrease test on the actual projected step;
 *      non-finite values at a trial point count as failures, so regions
 *      where f is NaN are backed out of;
 *   4. if the line search fails the memory is dropped and steepest descent
 *      tried once; a second failure ends with convergence code 52.
 * Variables that reach a bound become fixed at the next iteration, and
 * leave the bound again when their gradient turns inwards, so the active
 * set is identified in finitely many steps on the usual problems; for a
 * strictly convex objective every accumulation point is the constrained
 * minimiser. It needs more iterations than the real L-BFGS-B when many
 * bounds change at once, never different answers. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "optim_internal.h"

#define ARMIJO_C1 1e-4
#define MAX_BACKTRACKS 40

void tsrec__lbfgsb_opts_init(tsrec__lbfgsb_opts *o)
{
    o->m = 5;
    o->factr = 1e7;
    o->pgtol = 0.0;
    o->maxit = 100;
}

typedef struct lb_state {
    int64_t n;
    int32_t m;
    const double *lo, *up;   /* may be NULL */
    double *g, *xn, *gn, *d, *q, *freev;  /* n each; freev 1.0 = free */
    double *s, *y;           /* m x n pairs, circular */
    double *rho, *alpha;     /* m */
    int32_t n_pairs, newest; /* stored pairs, index of the newest */
    tsrec__objective_fn fn;
    void *ud;
    int64_t count;
} lb_state;

static double lower_of(const lb_state *st, int64_t i)
{
    return st->lo ? st->lo[i] : -INFINITY;
}

static double upper_of(const lb_state *st, int64_t i)
{
    return st->up ? st->up[i] : INFINITY;
}

static double clamp(const lb_state *st, int64_t i, double v)
{
    double l = lower_of(st, i), u = upper_of(st, i);
    return v < l ? l : (v > u ? u : v);
}

/* Infinity norm of the projected gradient P(x - g) - x. */
static double proj_grad_norm(const lb_state *st, const double *x, const double *g)
{
    double m = 0.0;
    for (int64_t i = 0; i < st->n; i++) {
        double v = fabs(clamp(st, i, x[i] - g[i]) - x[i]);
        if (v > m)
            m = v;
    }
    return m;
}

/* Restricted inner product over the free variables. */
static double dot_free(const lb_state *st, const double *a, const double *b)
{
    double acc = 0.0;
    for (int64_t i = 0; i < st->n; i++)
        acc += st->freev[i] * a[i] * b[i];
    return acc;
}

/* d = -H g over free variables (0 on fixed ones), via the two-loop
 * recursion. Returns g'd. */
static double direction(lb_state *st, const double *x, int use_memory)
{
    const int64_t n = st->n;
    for (int64_t i = 0; i < n; i++) {
        double l = lower_of(st, i), u = upper_of(st, i);
        int fixed = (x[i] <= l && st->g[i] > 0.0) || (x[i] >= u && st->g[i] < 0.0);
        st->freev[i] = fixed ? 0.0 : 1.0;
        st->q[i] = st->freev[i] * st->g[i];
    }
    double gamma = 1.0;
    int have_gamma = 0;
    if (use_memory) {
        for (int32_t k = 0; k < st->n_pairs; k++) {
            int32_t j = (st->newest - k + st->m) % st->m;
            const double *sj = st->s + (int64_t)j * n, *yj = st->y + (int64_t)j * n;
            double sy = dot_free(st, sj, yj);
            double yy = dot_free(st, yj, yj);
            if (!(sy > DBL_EPSILON * yy) || yy == 0.0) {
                st->rho[j] = 0.0; /* skipped: restricted curvature not positive */
                continue;
            }
            st->rho[j] = 1.0 / sy;
            if (!have_gamma) {
                gamma = sy / yy; /* scaling from the newest usable pair */
                have_gamma = 1;
            }
            st->alpha[j] = st->rho[j] * dot_free(st, sj, st->q);
            for (int64_t i = 0; i < n; i++)
                st->q[i] -= st->alpha[j] * st->freev[i] * yj[i];
        }
        for (int64_t i = 0; i < n; i++)
            st->q[i] *= gamma;
        for (int32_t k = st->n_pairs - 1; k >= 0; k--) {
            int32_t j = (st->newest - k + st->m) % st->m;
            if (st->rho[j] == 0.0)
                continue;
            const double *sj = st->s + (int64_t)j * n, *yj = st->y + (int64_t)j * n;
            double b = st->rho[j] * dot_free(st, yj, st->q);
            for (int64_t i = 0; i < n; i++)
                st->q[i] += st->freev[i] * sj[i] * (st->alpha[j] - b);
        }
    }
    double gd = 0.0;
    for (int64_t i = 0; i < n; i++) {
        st->d[i] = -st->q[i];
        gd += st->g[i] * st->d[i];
    }
    return gd;
}

static void push_pair(lb_state *st, const double *x)
{
    const int64_t n = st->n;
    int32_t j = (st->newest + 1) % st->m;
    double *sj = st->s + (int64_t)j * n, *yj = st->y + (int64_t)j * n;
    double sy = 0.0, yy = 0.0;
    for (int64_t i = 0; i < n; i++) {
        sj[i] = st->xn[i] - x[i];
        yj[i] = st->gn[i] - st->g[i];
        sy += sj[i] * yj[i];
        yy += yj[i] * yj[i];
    }
    if (!(sy > DBL_EPSILON * yy))
        return; /* no positive curvature: keep the old memory */
    st->newest = j;
    if (st->n_pairs < st->m)
        st->n_pairs++;
}

/* Evaluate f and gradient at xn into *f, gn. *ok = 0 if non-finite. */
static int eval_at(lb_state *st, const double *xv, double *gv, double *f, int *ok)
{
    *f = NAN;
    int rc = st->fn(st->ud, xv, f, gv);
    if (rc != TSREC_OK)
        return rc;
    st->count++;
    *ok = isfinite(*f);
    for (int64_t i = 0; *ok && i < st->n; i++)
        if (!isfinite(gv[i]))
            *ok = 0;
    return TSREC_OK;
}

/* Projected backtracking search from x along d. On success xn, gn, *fn_out
 * hold the accepted point and *found = 1. */
static int line_search(lb_state *st, const double *x, double f, double t,
                       double *fn_out, int *found)
{
    const int64_t n = st->n;
    *found = 0;
    for (int k = 0; k < MAX_BACKTRACKS; k++) {
        double pred = 0.0; /* g'(P(x + t d) - x): linear change predicted */
        int moved = 0;
        for (int64_t i = 0; i < n; i++) {
            st->xn[i] = clamp(st, i, x[i] + t * st->d[i]);
            double dx = st->xn[i] - x[i];
            moved |= dx != 0.0;
            pred += st->g[i] * dx;
        }
        if (!moved || !(pred < 0.0))
            return TSREC_OK; /* the step vanished: no progress possible */
        double fnew;
        int ok;
        int rc = eval_at(st, st->xn, st->gn, &fnew, &ok);
        if (rc != TSREC_OK)
            return rc;
        if (ok && fnew <= f + ARMIJO_C1 * pred) {
            *fn_out = fnew;
            *found = 1;
            return TSREC_OK;
        }
        double shrink = 0.25;
        if (ok) {
            /* Minimiser of the quadratic through f, slope pred, fnew. */
            double curv = fnew - f - pred;
            shrink = curv > 0.0 ? -pred / (2.0 * curv) : 0.5;
            shrink = shrink < 0.1 ? 0.1 : (shrink > 0.5 ? 0.5 : shrink);
        }
        t *= shrink;
    }
    return TSREC_OK;
}

static int check_args(tsrec__handle *eh, int64_t n, const double *x,
                      const double *lower, const double *upper,
                      const tsrec__lbfgsb_opts *o)
{
    if (o->m < 1 || !(o->factr >= 0.0) || !(o->pgtol >= 0.0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "lbfgsb: need m >= 1, factr >= 0, pgtol >= 0");
    for (int64_t i = 0; i < n; i++) {
        double l = lower ? lower[i] : -INFINITY;
        double u = upper ? upper[i] : INFINITY;
        if (isnan(x[i]) || isnan(l) || isnan(u))
            return tsrec__fail(eh, TSREC_E_NAN,
                               "lbfgsb: NaN in x0 or bounds at %lld", (long long)i);
        if (isinf(x[i]))
            return tsrec__fail(eh, TSREC_E_NAN, "lbfgsb: x0[%lld] is infinite",
                               (long long)i);
        if (l > u || l == INFINITY || u == -INFINITY)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "lbfgsb: empty box for variable %lld", (long long)i);
    }
    return TSREC_OK;
}

static int lb_run(tsrec_ctx *ctx, tsrec__handle *eh, lb_state *st, double *x,
                  const tsrec__lbfgsb_opts *o, tsrec__optim_result *res)
{
    const int64_t n = st->n;
    double f;
    int ok;
    int rc = eval_at(st, x, st->g, &f, &ok);
    if (rc != TSREC_OK)
        return rc;
    if (!ok)
        return tsrec__fail(eh, TSREC_E_NAN,
                           "lbfgsb: f or its gradient is not finite at x0");
    res->value = f;
    const double tol = o->factr * DBL_EPSILON;
    for (int64_t iter = 0;; iter++) {
        res->iterations = iter;
        res->value = f;
        if (proj_grad_norm(st, x, st->g) <= o->pgtol) {
            res->convergence = 0;
            return TSREC_OK;
        }
        if (iter >= o->maxit) {
            res->convergence = 1;
            return TSREC_OK;
        }
        if (tsrec__cancelled(ctx))
            return tsrec__fail(eh, TSREC_E_CANCELLED, "lbfgsb: cancelled");

        double fnew = f;
        int found = 0;
        for (int attempt = 0; attempt < 2 && !found; attempt++) {
            int use_mem = attempt == 0 && st->n_pairs > 0;
            double gd = direction(st, x, use_mem);
            if (!(gd < 0.0) && use_mem)
                gd = direction(st, x, 0);
            if (!(gd < 0.0))
                break;
            /* Unit step for quasi-Newton directions; steepest descent starts
             * with a step of length 1 in x (as L-BFGS-B's first iteration). */
            double t = 1.0;
            if (!use_mem) {
                double dn = 0.0;
                for (int64_t i = 0; i < n; i++)
                    dn += st->d[i] * st->d[i];
                dn = sqrt(dn);
                t = dn > 1.0 ? 1.0 / dn : 1.0;
            }
            rc = line_search(st, x, f, t, &fnew, &found);
            if (rc != TSREC_OK)
                return rc;
            if (!found)
                st->n_pairs = 0; /* drop a misleading memory and retry */
        }
        if (!found) {
            res->convergence = 52;
            return TSREC_OK;
        }
        push_pair(st, x);
        double reduction = f - fnew;
        double scale = fmax(fmax(fabs(f), fabs(fnew)), 1.0);
        memcpy(x, st->xn, (size_t)n * sizeof(double));
        memcpy(st->g, st->gn, (size_t)n * sizeof(double));
        f = fnew;
        if (reduction <= tol * scale) {
            res->iterations = iter + 1;
            res->value = f;
            res->convergence = 0;
            return TSREC_OK;
        }
    }
}

int tsrec__lbfgsb(tsrec_ctx *ctx, tsrec__handle *eh, int64_t n, double *x,
                  const double *lower, const double *upper,
                  tsrec__objective_fn fn, void *ud,
                  const tsrec__lbfgsb_opts *opts, tsrec__optim_result *out)
{
    tsrec__lbfgsb_opts defaults;
    tsrec__optim_result res = {NAN, 0, 0, 0, 0};
    if (!opts) {
        tsrec__lbfgsb_opts_init(&defaults);
        opts = &defaults;
    }
    if (!ctx || !x || !fn || n < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "lbfgsb: NULL argument or n < 1");
    int rc = check_args(eh, n, x, lower, upper, opts);
    if (rc != TSREC_OK)
        return rc;

    /* One block: 6 vectors of n, 2 * m vectors of n, 2 * m scalars. */
    size_t m = (size_t)opts->m, vecs, cells, bytes;
    if ((uint64_t)n > SIZE_MAX / 16 || m > SIZE_MAX / 4 - 3 ||
        tsrec__mul_size(6 + 2 * m, (size_t)n, &vecs) || vecs > SIZE_MAX - 2 * m)
        return tsrec__fail(eh, TSREC_E_NOMEM, "lbfgsb: problem too large");
    cells = vecs + 2 * m;
    if (tsrec__mul_size(cells, sizeof(double), &bytes))
        return tsrec__fail(eh, TSREC_E_NOMEM, "lbfgsb: problem too large");
    double *block = tsrec__alloc(ctx, bytes);
    if (!block)
        return tsrec__fail(eh, TSREC_E_NOMEM, "lbfgsb: out of memory");
    size_t un = (size_t)n;
    lb_state st = {
        .n = n, .m = opts->m, .lo = lower, .up = upper,
        .g = block, .xn = block + un, .gn = block + 2 * un, .d = block + 3 * un,
        .q = block + 4 * un, .freev = block + 5 * un,
        .s = block + 6 * un, .y = block + (6 + m) * un,
        .rho = block + vecs, .alpha = block + vecs + m,
        .n_pairs = 0, .newest = opts->m - 1, .fn = fn, .ud = ud, .count = 0,
    };
    /* R projects the start into the box. */
    for (int64_t i = 0; i < n; i++)
        x[i] = clamp(&st, i, x[i]);
    rc = lb_run(ctx, eh, &st, x, opts, &res);
    res.fn_count = st.count;
    res.gr_count = st.count;
    tsrec__free(ctx, block);
    if (out)
        *out = res;
    return rc;
}
