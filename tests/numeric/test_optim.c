/* Numeric tests of the optimisers (src/tensor/optim_*.c).
 *
 * Nelder-Mead is pinned to R's documented optim() example (Rosenbrock from
 * (-1.2, 1): par 1.000260 1.000506, value 8.825241e-08, 195 function
 * evaluations). L-BFGS-B is checked against known minimisers and, for the
 * bounded problems, against the KKT conditions. The first-order updaters
 * are checked against hand-computed steps and on convex quadratics. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "core_internal.h"
#include "optim_internal.h"

/* ---- objectives ------------------------------------------------------- */

typedef struct obj {
    int64_t n;
    int64_t calls;
    int64_t fail_after; /* > 0: return TSREC_E_IO from this call on */
    const double *lo, *up; /* evaluations must stay inside, when set */
    int outside;
    double c[16];       /* targets of the quadratics */
} obj;

static int note_call(obj *o, const double *x)
{
    o->calls++;
    for (int64_t i = 0; i < o->n; i++)
        if ((o->lo && x[i] < o->lo[i]) || (o->up && x[i] > o->up[i]))
            o->outside = 1;
    if (o->fail_after > 0 && o->calls >= o->fail_after)
        return TSREC_E_IO;
    return TSREC_OK;
}

/* Extended Rosenbrock: sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2. */
static int rosen(void *ud, const double *x, double *f, double *g)
{
    obj *o = ud;
    int st = note_call(o, x);
    if (st != TSREC_OK)
        return st;
    double s = 0.0;
    if (g)
        memset(g, 0, (size_t)o->n * sizeof(double));
    for (int64_t i = 0; i + 1 < o->n; i++) {
        double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
        s += 100.0 * a * a + b * b;
        if (g) {
            g[i] += -400.0 * a * x[i] - 2.0 * b;
            g[i + 1] += 200.0 * a;
        }
    }
    *f = s;
    return TSREC_OK;
}

/* Beale's function, minimum 0 at (3, 0.5). */
static int beale(void *ud, const double *x, double *f, double *g)
{
    int st = note_call(ud, x);
    if (st != TSREC_OK)
        return st;
    double a = x[0], b = x[1];
    double t1 = 1.5 - a + a * b, t2 = 2.25 - a + a * b * b, t3 = 2.625 - a + a * b * b * b;
    *f = t1 * t1 + t2 * t2 + t3 * t3;
    if (g) {
        g[0] = 2 * t1 * (b - 1) + 2 * t2 * (b * b - 1) + 2 * t3 * (b * b * b - 1);
        g[1] = 2 * t1 * a + 2 * t2 * 2 * a * b + 2 * t3 * 3 * a * b * b;
    }
    return TSREC_OK;
}

/* sum (x_i - log x_i) * (i + 1): minimum at all ones; NaN for x_i < 0 and
 * +inf at 0, so over-long steps land in a region without values. */
static int barrier(void *ud, const double *x, double *f, double *g)
{
    obj *o = ud;
    int st = note_call(o, x);
    if (st != TSREC_OK)
        return st;
    double s = 0.0;
    for (int64_t i = 0; i < o->n; i++) {
        double w = (double)(i + 1);
        s += w * (x[i] - log(x[i]));
        if (g)
            g[i] = w * (1.0 - 1.0 / x[i]);
    }
    *f = s;
    return TSREC_OK;
}

/* Coupled quadratic 0.5 x'Ax - c'x with A tridiagonal (2, -0.9). */
static int quad(void *ud, const double *x, double *f, double *g)
{
    obj *o = ud;
    int st = note_call(o, x);
    if (st != TSREC_OK)
        return st;
    double s = 0.0;
    for (int64_t i = 0; i < o->n; i++) {
        double ax = 2.0 * x[i];
        if (i > 0)
            ax -= 0.9 * x[i - 1];
        if (i + 1 < o->n)
            ax -= 0.9 * x[i + 1];
        s += 0.5 * x[i] * ax - o->c[i] * x[i];
        if (g)
            g[i] = ax - o->c[i];
    }
    *f = s;
    return TSREC_OK;
}

/* Separable quadratic with unit curvature: minimiser = clamp(c). */
static int sep_quad(void *ud, const double *x, double *f, double *g)
{
    obj *o = ud;
    int st = note_call(o, x);
    if (st != TSREC_OK)
        return st;
    double s = 0.0;
    for (int64_t i = 0; i < o->n; i++) {
        double d = x[i] - o->c[i];
        s += 0.5 * d * d * (double)(i + 1);
        if (g)
            g[i] = d * (double)(i + 1);
    }
    *f = s;
    return TSREC_OK;
}

static double max_err_to(const double *x, int64_t n, double v)
{
    double e = 0.0;
    for (int64_t i = 0; i < n; i++)
        e = fmax(e, fabs(x[i] - v));
    return e;
}

/* ---- Nelder-Mead ---------------------------------------------------------- */

static void test_nm_matches_r(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    obj o = {.n = 2};
    double x[2] = {-1.2, 1.0};
    tsrec__optim_result r;
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 2, x, rosen, &o, NULL, &r), TSREC_OK);
    /* R: optim(c(-1.2,1), fr) -> 1.000260 1.000506, 8.825241e-08, 195 */
    assert_true(fabs(x[0] - 1.000260) < 5e-7);
    assert_true(fabs(x[1] - 1.000506) < 5e-7);
    assert_true(fabs(r.value - 8.825241e-08) < 5e-14);
    assert_int_equal(r.fn_count, 195);
    assert_int_equal(o.calls, 195);
    assert_int_equal(r.convergence, 0);
    assert_int_equal(r.gr_count, 0);

    /* maxit reached: R reports convergence 1 and keeps going no further. */
    tsrec__nm_opts opts;
    tsrec__nm_opts_init(&opts);
    assert_true(fabs(opts.reltol - 1.490116119384765625e-08) < 1e-20);
    opts.maxit = 50;
    x[0] = -1.2;
    x[1] = 1.0;
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 2, x, rosen, &o, &opts, &r), TSREC_OK);
    assert_int_equal(r.convergence, 1);
    assert_true(r.fn_count > 50 && r.fn_count <= 53);

    /* maxit 0: one evaluation, reported as none, x unchanged. */
    opts.maxit = 0;
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 2, x, rosen, &o, &opts, &r), TSREC_OK);
    assert_int_equal(r.fn_count, 0);
    assert_int_equal(r.convergence, 0);

    /* All-zero start (step 0.1) on a 4-D quadratic. */
    obj q = {.n = 4, .c = {1.0, -2.0, 0.5, 3.0}};
    double z[4] = {0, 0, 0, 0};
    tsrec__nm_opts_init(&opts);
    opts.maxit = 5000;
    opts.reltol = 1e-14;
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 4, z, sep_quad, &q, &opts, &r), TSREC_OK);
    assert_int_equal(r.convergence, 0);
    for (int i = 0; i < 4; i++)
        assert_true(fabs(z[i] - q.c[i]) < 1e-5);
    tu_ctx_free_checked(ctx);
}

static void test_nm_nan_region_and_errors(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__nm_opts opts;
    tsrec__nm_opts_init(&opts);
    opts.maxit = 2000;
    obj o = {.n = 3};
    double x[3] = {3.0, 0.2, 5.0};
    tsrec__optim_result r;
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 3, x, barrier, &o, &opts, &r), TSREC_OK);
    assert_int_equal(r.convergence, 0);
    assert_true(max_err_to(x, 3, 1.0) < 1e-3);

    /* errors */
    double bad[2] = {NAN, 1.0};
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 2, bad, rosen, &o, NULL, &r), TSREC_E_NAN);
    double neg[3] = {-1.0, 1.0, 1.0}; /* f(x0) is NaN */
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 3, neg, barrier, &o, NULL, &r), TSREC_E_NAN);
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 0, x, rosen, &o, NULL, &r),
                     TSREC_E_INVALID_ARG);
    opts.beta = 1.5;
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 2, x, rosen, &o, &opts, &r),
                     TSREC_E_INVALID_ARG);
    /* A failing callback's status comes back unchanged. */
    obj of = {.n = 2, .fail_after = 20};
    double y[2] = {-1.2, 1.0};
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 2, y, rosen, &of, NULL, &r), TSREC_E_IO);
    assert_int_equal(of.calls, 20);
    assert_true(isfinite(y[0]) && isfinite(y[1]));
    tu_ctx_free_checked(ctx);
}

/* ---- L-BFGS-B ----------------------------------------------------------- */

static void test_lbfgsb_rosenbrock(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__lbfgsb_opts opts;
    tsrec__lbfgsb_opts_init(&opts);
    assert_int_equal(opts.m, 5);
    opts.factr = 10.0;
    opts.maxit = 1000;
    for (int64_t n = 2; n <= 10; n += 8) {
        obj o = {.n = n};
        double x[10];
        for (int64_t i = 0; i < n; i++)
            x[i] = i % 2 == 0 ? -1.2 : 1.0;
        tsrec__optim_result r;
        assert_int_equal(tsrec__lbfgsb(ctx, NULL, n, x, NULL, NULL, rosen, &o, &opts, &r),
                         TSREC_OK);
        assert_true(max_err_to(x, n, 1.0) < 1e-6);
        assert_true(r.value < 1e-12);
        assert_int_equal(r.fn_count, o.calls);
        assert_int_equal(r.gr_count, o.calls);
    }
    /* R's defaults (factr 1e7) still get close. */
    obj o = {.n = 2};
    double x[2] = {-1.2, 1.0};
    tsrec__optim_result r;
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, x, NULL, NULL, rosen, &o, NULL, &r), TSREC_OK);
    assert_int_equal(r.convergence, 0);
    assert_true(max_err_to(x, 2, 1.0) < 1e-3);

    /* Beale from (1, 1). */
    obj ob = {.n = 2};
    double b[2] = {1.0, 1.0};
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, b, NULL, NULL, beale, &ob, &opts, &r),
                     TSREC_OK);
    assert_true(fabs(b[0] - 3.0) < 1e-6 && fabs(b[1] - 0.5) < 1e-6);

    /* maxit reached -> convergence 1, not an error. */
    opts.maxit = 3;
    x[0] = -1.2;
    x[1] = 1.0;
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, x, NULL, NULL, rosen, &o, &opts, &r),
                     TSREC_OK);
    assert_int_equal(r.convergence, 1);
    assert_int_equal(r.iterations, 3);
    tu_ctx_free_checked(ctx);
}

/* KKT conditions of a box-constrained minimum, to tolerance tol. */
static void assert_kkt(const double *x, const double *g, const double *lo,
                       const double *up, int64_t n, double tol)
{
    for (int64_t i = 0; i < n; i++) {
        assert_true(x[i] >= lo[i] && x[i] <= up[i]);
        if (x[i] == lo[i])
            assert_true(g[i] >= -tol);
        else if (x[i] == up[i])
            assert_true(g[i] <= tol);
        else if (!(fabs(g[i]) <= tol))
            fail_msg("free variable %lld has gradient %g", (long long)i, g[i]);
    }
}

static void test_lbfgsb_bounds(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__lbfgsb_opts opts;
    tsrec__lbfgsb_opts_init(&opts);
    opts.factr = 10.0;
    opts.pgtol = 1e-12;
    opts.maxit = 500;

    /* Separable: the answer is clamp(c) exactly; x0 outside the box is
     * projected first (no evaluation outside). */
    const double lo[6] = {-1, -1, -1, 0, -INFINITY, 2};
    const double up[6] = {2, 2, 2, INFINITY, 0.5, 2};
    obj o = {.n = 6, .c = {-3.0, 0.5, 7.0, -2.0, 4.0, 1.0}, .lo = lo, .up = up};
    double x[6] = {10, -10, 0, -5, 3, 0};
    tsrec__optim_result r;
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 6, x, lo, up, sep_quad, &o, &opts, &r),
                     TSREC_OK);
    assert_false(o.outside);
    const double want[6] = {-1.0, 0.5, 2.0, 0.0, 0.5, 2.0};
    for (int i = 0; i < 6; i++)
        assert_true(fabs(x[i] - want[i]) < 1e-9);

    /* Coupled quadratic with several active bounds: check KKT. */
    double lo2[8], up2[8], x2[8], g2[8], f;
    obj q = {.n = 8, .c = {3, -4, 5, 1, -2, 6, 0.5, -3}, .lo = lo2, .up = up2};
    for (int i = 0; i < 8; i++) {
        lo2[i] = -1.0;
        up2[i] = 1.5;
        x2[i] = 0.0;
    }
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 8, x2, lo2, up2, quad, &q, &opts, &r),
                     TSREC_OK);
    assert_false(q.outside);
    quad(&q, x2, &f, g2);
    assert_kkt(x2, g2, lo2, up2, 8, 1e-7);
    int active = 0;
    for (int i = 0; i < 8; i++)
        active += x2[i] == lo2[i] || x2[i] == up2[i];
    assert_true(active >= 3);

    /* Rosenbrock with the minimum cut off by a bound: x1 <= 0.5 puts the
     * constrained minimum at (0.5, 0.25). */
    const double lo3[2] = {-INFINITY, -INFINITY}, up3[2] = {0.5, INFINITY};
    obj rb = {.n = 2};
    double x3[2] = {-1.2, 1.0};
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, x3, lo3, up3, rosen, &rb, &opts, &r),
                     TSREC_OK);
    assert_true(fabs(x3[0] - 0.5) < 1e-9 && fabs(x3[1] - 0.25) < 1e-6);
    tu_ctx_free_checked(ctx);
}

static void test_lbfgsb_nan_region_and_errors(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__lbfgsb_opts opts;
    tsrec__lbfgsb_opts_init(&opts);
    opts.factr = 10.0;
    opts.maxit = 500;
    obj o = {.n = 3};
    double x[3] = {10.0, 0.05, 3.0};
    tsrec__optim_result r;
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 3, x, NULL, NULL, barrier, &o, &opts, &r),
                     TSREC_OK);
    assert_true(max_err_to(x, 3, 1.0) < 1e-6);

    double lo[2] = {0.0, 0.0}, up[2] = {1.0, -1.0};
    double y[2] = {0.5, 0.5};
    obj ro = {.n = 2};
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, y, lo, up, rosen, &ro, NULL, &r),
                     TSREC_E_INVALID_ARG);
    up[1] = NAN;
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, y, lo, up, rosen, &ro, NULL, &r),
                     TSREC_E_NAN);
    y[0] = NAN;
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, y, NULL, NULL, rosen, &ro, NULL, &r),
                     TSREC_E_NAN);
    double neg[3] = {-1.0, 1.0, 1.0};
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 3, neg, NULL, NULL, barrier, &o, NULL, &r),
                     TSREC_E_NAN);
    obj of = {.n = 2, .fail_after = 7};
    double z[2] = {-1.2, 1.0};
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, z, NULL, NULL, rosen, &of, NULL, &r),
                     TSREC_E_IO);
    assert_int_equal(of.calls, 7);
    tu_ctx_free_checked(ctx);
}

/* ---- cancel ----------------------------------------------------------- */

static int cancel_after(void *ud)
{
    int *left = ud;
    return --*left < 0;
}

static void test_cancel(void **state)
{
    (void)state;
    int left = 0;
    tsrec_ctx_options co;
    tsrec_ctx_options_init(&co);
    co.cancel = cancel_after;
    co.cancel_user_data = &left;
    tsrec_ctx *ctx = NULL;
    assert_int_equal(tsrec_ctx_new(&co, &ctx), TSREC_OK);
    tsrec__optim_result r;
    obj o = {.n = 2};
    double x[2] = {-1.2, 1.0};
    left = 10;
    assert_int_equal(tsrec__nelder_mead(ctx, NULL, 2, x, rosen, &o, NULL, &r),
                     TSREC_E_CANCELLED);
    assert_true(o.calls > 3 && o.calls < 40);
    left = 5;
    o.calls = 0;
    x[0] = -1.2;
    x[1] = 1.0;
    assert_int_equal(tsrec__lbfgsb(ctx, NULL, 2, x, NULL, NULL, rosen, &o, NULL, &r),
                     TSREC_E_CANCELLED);
    assert_true(o.calls >= 5 && o.calls < 40);
    tu_ctx_free_checked(ctx);
}

/* ---- first-order updaters --------------------------------------------- */

/* Gradient of 0.5 sum a_i (p_i - c_i)^2. */
static void quad_grad(const float *p, float *g, int n)
{
    for (int i = 0; i < n; i++)
        g[i] = (float)((0.5 + i) * ((double)p[i] - (i - 3.0)));
}

static void test_adam(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    enum { N = 8 };
    tsrec__updater *u = NULL;
    tsrec__adam_opts ao;
    tsrec__adam_opts_init(&ao);
    ao.lr = 0.1;
    assert_int_equal(tsrec__adam_new(ctx, NULL, N, &ao, &u), TSREC_OK);

    /* Two steps against a double-precision reference of the update rule. */
    float p[N], g[N];
    double rp[N], rm[N] = {0}, rv[N] = {0};
    for (int i = 0; i < N; i++)
        p[i] = (float)(rp[i] = 0.25 * i - 1.0);
    for (int t = 1; t <= 2; t++) {
        quad_grad(p, g, N);
        for (int i = 0; i < N; i++) {
            rm[i] = 0.9 * rm[i] + 0.1 * g[i];
            rv[i] = 0.999 * rv[i] + 0.001 * (double)g[i] * g[i];
            double mh = rm[i] / (1 - pow(0.9, t)), vh = rv[i] / (1 - pow(0.999, t));
            rp[i] -= 0.1 * mh / (sqrt(vh) + 1e-8);
        }
        assert_int_equal(tsrec__updater_step(u, NULL, p, g), TSREC_OK);
        for (int i = 0; i < N; i++)
            assert_true(fabs(p[i] - rp[i]) < 1e-5);
    }
    /* Converges on the quadratic. */
    for (int t = 0; t < 3000; t++) {
        quad_grad(p, g, N);
        assert_int_equal(tsrec__updater_step(u, NULL, p, g), TSREC_OK);
        if (t == 1500)
            u->adam.lr = 0.01; /* as a schedule would */
    }
    for (int i = 0; i < N; i++)
        assert_true(fabs(p[i] - (i - 3.0)) < 1e-3);
    assert_int_equal(u->t, 3002);

    /* A NaN gradient is refused and changes nothing. */
    float before[N];
    memcpy(before, p, sizeof(p));
    g[3] = NAN;
    assert_int_equal(tsrec__updater_step(u, NULL, p, g), TSREC_E_NAN);
    assert_memory_equal(before, p, sizeof(p));
    assert_int_equal(u->t, 3002);
    tsrec__updater_free(u);

    /* AdamW: zero gradient leaves only the decoupled decay. */
    ao.decoupled = 1;
    ao.grad.weight_decay = 0.5;
    assert_int_equal(tsrec__adam_new(ctx, NULL, N, &ao, &u), TSREC_OK);
    memset(g, 0, sizeof(g));
    for (int i = 0; i < N; i++)
        p[i] = 2.0f;
    assert_int_equal(tsrec__updater_step(u, NULL, p, g), TSREC_OK);
    for (int i = 0; i < N; i++)
        assert_true(fabs(p[i] - 2.0 * (1 - 0.1 * 0.5)) < 1e-6);
    tsrec__updater_free(u);

    ao.beta2 = 1.0;
    assert_int_equal(tsrec__adam_new(ctx, NULL, N, &ao, &u), TSREC_E_INVALID_ARG);
    assert_null(u);
    tu_ctx_free_checked(ctx);
}

static void test_clipping_and_sgd(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__sgd_opts so;
    tsrec__sgd_opts_init(&so);
    so.lr = 1.0;
    so.grad.clip_norm = 1.0;
    tsrec__updater *u = NULL;
    assert_int_equal(tsrec__sgd_new(ctx, NULL, 4, &so, &u), TSREC_OK);
    /* |g| = 10 split over two segments: the step is g / 10 overall. */
    float a[2] = {0, 0}, b[2] = {0, 0};
    const float ga[2] = {6.0f, 0.0f}, gb[2] = {0.0f, -8.0f};
    float *ps[2] = {a, b};
    const float *gs[2] = {ga, gb};
    const int64_t lens[2] = {2, 2};
    assert_int_equal(tsrec__updater_step_multi(u, NULL, 2, ps, gs, lens), TSREC_OK);
    assert_true(fabs(u->last_grad_norm - 10.0) < 1e-12);
    assert_true(fabs(a[0] + 0.6) < 1e-6 && a[1] == 0.0f);
    assert_true(fabs(b[1] - 0.8) < 1e-6 && b[0] == 0.0f);
    /* Wrong total length. */
    const int64_t bad[2] = {2, 1};
    assert_int_equal(tsrec__updater_step_multi(u, NULL, 2, ps, gs, bad), TSREC_E_SHAPE);
    tsrec__updater_free(u);

    /* Element clipping and L2 weight decay. */
    so.grad.clip_norm = 0.0;
    so.grad.clip_value = 0.5;
    so.grad.weight_decay = 0.1;
    so.lr = 0.1;
    assert_int_equal(tsrec__sgd_new(ctx, NULL, 2, &so, &u), TSREC_OK);
    float p[2] = {1.0f, 1.0f};
    const float g[2] = {3.0f, -0.2f};
    assert_int_equal(tsrec__updater_step(u, NULL, p, g), TSREC_OK);
    assert_true(fabs(p[0] - (1.0 - 0.1 * (0.5 + 0.1))) < 1e-6);
    assert_true(fabs(p[1] - (1.0 - 0.1 * (-0.2 + 0.1))) < 1e-6);
    tsrec__updater_free(u);

    /* Momentum (and Nesterov) SGD converge on the quadratic. */
    for (int nest = 0; nest <= 1; nest++) {
        enum { N = 6 };
        tsrec__sgd_opts_init(&so);
        so.lr = 0.05;
        so.momentum = 0.9;
        so.nesterov = nest;
        assert_int_equal(tsrec__sgd_new(ctx, NULL, N, &so, &u), TSREC_OK);
        float q[N] = {0}, gq[N];
        for (int t = 0; t < 2000; t++) {
            quad_grad(q, gq, N);
            assert_int_equal(tsrec__updater_step(u, NULL, q, gq), TSREC_OK);
        }
        for (int i = 0; i < N; i++)
            assert_true(fabs(q[i] - (i - 3.0)) < 1e-4);
        tsrec__updater_free(u);
    }
    tu_ctx_free_checked(ctx);
}

static void test_adagrad(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    enum { N = 6 };
    tsrec__adagrad_opts ao;
    tsrec__adagrad_opts_init(&ao);
    ao.lr = 0.5;
    tsrec__updater *u = NULL;
    assert_int_equal(tsrec__adagrad_new(ctx, NULL, N, &ao, &u), TSREC_OK);
    float p[N] = {0}, g[N];
    quad_grad(p, g, N);
    assert_int_equal(tsrec__updater_step(u, NULL, p, g), TSREC_OK);
    /* First step: lr * g / |g| = lr * sign(g). */
    for (int i = 0; i < N; i++) {
        double want = g[i] == 0.0f ? 0.0 : (g[i] > 0 ? -0.5 : 0.5);
        assert_true(fabs(p[i] - want) < 1e-6);
    }
    for (int t = 0; t < 3000; t++) {
        quad_grad(p, g, N);
        assert_int_equal(tsrec__updater_step(u, NULL, p, g), TSREC_OK);
    }
    for (int i = 0; i < N; i++)
        assert_true(fabs(p[i] - (i - 3.0)) < 1e-3);
    tsrec__updater_reset(u);
    assert_int_equal(u->t, 0);
    assert_true(u->m[0] == 0.0f);
    tsrec__updater_free(u);
    tsrec__updater_free(NULL);
    tu_ctx_free_checked(ctx);
}

static void test_lr_schedules(void **state)
{
    (void)state;
    tsrec__lr_sched s;
    assert_int_equal(tsrec__lr_sched_init(&s, NULL, TSREC__LR_STEP, 1.0, 0.5, 2, 0.1,
                                          0, 0.0), TSREC_OK);
    const double step_want[6] = {1.0, 0.5, 0.5, 0.25, 0.25, 0.125};
    for (int e = 0; e < 6; e++)
        assert_true(fabs(tsrec__lr_sched_epoch_end(&s, 0.0) - fmax(step_want[e], 0.1)) < 1e-15);
    assert_true(fabs(tsrec__lr_sched_epoch_end(&s, 0.0) - 0.125) < 1e-15);
    for (int e = 0; e < 4; e++)
        tsrec__lr_sched_epoch_end(&s, 0.0);
    assert_true(s.lr == 0.1); /* floored */

    assert_int_equal(tsrec__lr_sched_init(&s, NULL, TSREC__LR_EXPONENTIAL, 0.2, 0.9, 0,
                                          0.0, 0, 0.0), TSREC_OK);
    for (int e = 1; e <= 5; e++)
        assert_true(fabs(tsrec__lr_sched_epoch_end(&s, 0.0) - 0.2 * pow(0.9, e)) < 1e-15);

    /* Plateau, patience 1: two epochs without improvement halve the rate. */
    assert_int_equal(tsrec__lr_sched_init(&s, NULL, TSREC__LR_PLATEAU, 1.0, 0.5, 0,
                                          0.0, 1, 1e-4), TSREC_OK);
    assert_true(tsrec__lr_sched_epoch_end(&s, 10.0) == 1.0);
    assert_true(tsrec__lr_sched_epoch_end(&s, 9.0) == 1.0);
    assert_true(tsrec__lr_sched_epoch_end(&s, 9.0) == 1.0);
    assert_true(tsrec__lr_sched_epoch_end(&s, NAN) == 0.5);
    assert_true(tsrec__lr_sched_epoch_end(&s, 8.0) == 0.5);

    assert_int_equal(tsrec__lr_sched_init(&s, NULL, 7, 1.0, 0.5, 1, 0, 0, 0),
                     TSREC_E_INVALID_ARG);
    assert_int_equal(tsrec__lr_sched_init(&s, NULL, TSREC__LR_STEP, 1.0, 1.5, 1, 0, 0, 0),
                     TSREC_E_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nm_matches_r),
        cmocka_unit_test(test_nm_nan_region_and_errors),
        cmocka_unit_test(test_lbfgsb_rosenbrock),
        cmocka_unit_test(test_lbfgsb_bounds),
        cmocka_unit_test(test_lbfgsb_nan_region_and_errors),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_adam),
        cmocka_unit_test(test_clipping_and_sgd),
        cmocka_unit_test(test_adagrad),
        cmocka_unit_test(test_lr_schedules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
