/* LAPACKE wrappers: copy in to a column-major f64 workspace, call the
 * *_work routine, turn `info` into a status, copy out.
 * See lapack_internal.h for the contract. */
#include "lapack_internal.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------- */

/* A 1-D tensor seen as one column, a 2-D tensor as is. */
static int as_matrix(tsrec__handle *eh, const char *fn, const char *name, const tsrec__tensor *t,
                     tsrec__tensor *out)
{
    if (t == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: %s is NULL", fn, name);
    if (t->dtype != TSREC__F32 && t->dtype != TSREC__F64)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: %s must be f32 or f64", fn, name);
    if (t->ndim != 1 && t->ndim != 2)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s must be 1-D or 2-D, has %d dims", fn, name,
                           (int)t->ndim);
    *out = *t;
    out->owns_data = 0;
    if (t->ndim == 1) {
        out->ndim = 2;
        out->shape[1] = 1;
        out->strides[1] = (int64_t)tsrec__dtype_size(t->dtype);
    }
    if (out->shape[0] > INT_MAX || out->shape[1] > INT_MAX)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s (%lldx%lld) is too large for LAPACK", fn,
                           name, (long long)out->shape[0], (long long)out->shape[1]);
    return TSREC_OK;
}

static int square(tsrec__handle *eh, const char *fn, const char *name, const tsrec__tensor *t)
{
    if (t->shape[0] != t->shape[1])
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s must be square, is %lldx%lld", fn, name,
                           (long long)t->shape[0], (long long)t->shape[1]);
    return TSREC_OK;
}

static int want_shape(tsrec__handle *eh, const char *fn, const char *name, const tsrec__tensor *t,
                      int64_t rows, int64_t cols)
{
    if (t->shape[0] != rows || t->shape[1] != cols)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s is %lldx%lld, expected %lldx%lld", fn, name,
                           (long long)t->shape[0], (long long)t->shape[1], (long long)rows,
                           (long long)cols);
    return TSREC_OK;
}

/* A column-major view of rows x cols doubles at buf with leading dim ld. */
static void colmajor_view(tsrec__tensor *v, double *buf, int64_t rows, int64_t cols, int64_t ld)
{
    memset(v, 0, sizeof(*v));
    v->dtype = TSREC__F64;
    v->ndim = 2;
    v->shape[0] = rows;
    v->shape[1] = cols;
    v->shape[2] = v->shape[3] = 1;
    v->strides[0] = (int64_t)sizeof(double);
    v->strides[1] = ld * (int64_t)sizeof(double);
    v->data = buf;
}

static int load(tsrec__handle *eh, const tsrec__tensor *src, double *buf, int64_t ld)
{
    tsrec__tensor v = {0};
    colmajor_view(&v, buf, src->shape[0], src->shape[1], ld);
    return tsrec__tensor_copy(&v, src, eh);
}

static int store(tsrec__handle *eh, tsrec__tensor *dst, double *buf, int64_t ld)
{
    tsrec__tensor v = {0};
    colmajor_view(&v, buf, dst->shape[0], dst->shape[1], ld);
    return tsrec__tensor_copy(dst, &v, eh);
}

/* One block from the ctx holding nd doubles followed by ni lapack_ints. */
typedef struct ws {
    double *d;
    lapack_int *i;
} ws;

static int ws_alloc(tsrec_ctx *ctx, tsrec__handle *eh, const char *fn, ws *w, size_t nd,
                    size_t ni)
{
    size_t bytes_d = 0, bytes_i = 0;
    w->d = NULL;
    w->i = NULL;
    if (tsrec__mul_size(nd, sizeof(double), &bytes_d) != 0 ||
        tsrec__mul_size(ni, sizeof(lapack_int), &bytes_i) != 0 || bytes_d > SIZE_MAX - bytes_i - 8)
        return tsrec__fail(eh, TSREC_E_NOMEM, "%s: workspace size overflows", fn);
    void *p = tsrec__alloc(ctx, bytes_d + bytes_i + 8);
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "%s: out of memory (%zu bytes of workspace)", fn,
                           bytes_d + bytes_i);
    w->d = p;
    w->i = (lapack_int *)(void *)(w->d + nd);
    return TSREC_OK;
}

static void ws_free(tsrec_ctx *ctx, ws *w)
{
    tsrec__free(ctx, w->d);
    w->d = NULL;
    w->i = NULL;
}

/* info < 0: LAPACK says argument -info was invalid (a bug on our side or a
 * value out of LAPACK's domain). */
static int bad_arg(tsrec__handle *eh, const char *routine, lapack_int info)
{
    return tsrec__fail(eh, TSREC_E_NUMERIC, "%s: argument %d had an illegal value", routine,
                       (int)-info);
}

static int need_ctx(tsrec__handle *eh, const char *fn, tsrec_ctx *ctx)
{
    return ctx == NULL ? tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: ctx is NULL", fn) : TSREC_OK;
}

/* Lower-triangular factor in place (column-major); info mapped. */
static int potrf_lower(tsrec__handle *eh, const char *fn, double *a, int64_t n, int64_t lda)
{
    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, a, (lapack_int)lda);
    if (info < 0)
        return bad_arg(eh, "dpotrf", info);
    if (info > 0)
        return tsrec__fail(eh, TSREC_E_SINGULAR,
                           "%s: matrix is not positive definite (leading minor of order %d is "
                           "not positive)",
                           fn, (int)info);
    return TSREC_OK;
}

/* ---- Cholesky ------------------------------------------------------------- */

int tsrec__chol(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A, tsrec__tensor *L)
{
    static const char fn[] = "chol";
    tsrec__tensor a = {0}, l = {0};
    int rc = need_ctx(eh, fn, ctx);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, "A", A, &a);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, "L", L, &l);
    if (rc == TSREC_OK) rc = square(eh, fn, "A", &a);
    if (rc == TSREC_OK) rc = want_shape(eh, fn, "L", &l, a.shape[0], a.shape[0]);
    if (rc == TSREC_OK) rc = tsrec__tensor_check_finite(&a, eh, "chol: A");
    if (rc != TSREC_OK || a.shape[0] == 0)
        return rc;
    const int64_t n = a.shape[0];
    ws w;
    rc = ws_alloc(ctx, eh, fn, &w, (size_t)(n * n), 0);
    if (rc != TSREC_OK)
        return rc;
    rc = load(eh, &a, w.d, n);
    if (rc == TSREC_OK)
        rc = potrf_lower(eh, fn, w.d, n, n);
    if (rc == TSREC_OK) {
        for (int64_t j = 1; j < n; j++)        /* zero the strict upper triangle */
            for (int64_t i = 0; i < j; i++)
                w.d[i + j * n] = 0.0;
        rc = store(eh, &l, w.d, n);
    }
    ws_free(ctx, &w);
    return rc;
}

static int check_rhs(tsrec__handle *eh, const char *fn, const tsrec__tensor *B,
                     const tsrec__tensor *X, int64_t rows_b, int64_t rows_x, tsrec__tensor *b,
                     tsrec__tensor *x)
{
    int rc = as_matrix(eh, fn, "B", B, b);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, "X", X, x);
    if (rc == TSREC_OK && b->shape[0] != rows_b)
        rc = tsrec__fail(eh, TSREC_E_SHAPE, "%s: B has %lld rows, A needs %lld", fn,
                         (long long)b->shape[0], (long long)rows_b);
    if (rc == TSREC_OK) rc = want_shape(eh, fn, "X", x, rows_x, b->shape[1]);
    if (rc == TSREC_OK) rc = tsrec__tensor_check_finite(b, eh, "B");
    return rc;
}

/* The shared preamble of the square solvers: A (named `name`) is a finite
 * square matrix, B and X match it. */
static int square_system_args(tsrec_ctx *ctx, tsrec__handle *eh, const char *fn,
                              const char *name, const tsrec__tensor *A, const tsrec__tensor *B,
                              tsrec__tensor *X, tsrec__tensor *a, tsrec__tensor *b,
                              tsrec__tensor *x)
{
    char what[48];
    snprintf(what, sizeof what, "%s: %s", fn, name);
    int rc = need_ctx(eh, fn, ctx);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, name, A, a);
    if (rc == TSREC_OK) rc = square(eh, fn, name, a);
    if (rc == TSREC_OK) rc = check_rhs(eh, fn, B, X, a->shape[0], a->shape[0], b, x);
    if (rc == TSREC_OK) rc = tsrec__tensor_check_finite(a, eh, what);
    return rc;
}

int tsrec__chol_solve(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *L,
                      const tsrec__tensor *B, tsrec__tensor *X)
{
    static const char fn[] = "chol_solve";
    tsrec__tensor l = {0}, b = {0}, x = {0};
    int rc = square_system_args(ctx, eh, fn, "L", L, B, X, &l, &b, &x);
    const int64_t n = l.shape[0], r = b.shape[1];
    if (rc != TSREC_OK || n == 0 || r == 0)
        return rc;
    ws w;
    rc = ws_alloc(ctx, eh, fn, &w, (size_t)(n * n + n * r), 0);
    if (rc != TSREC_OK)
        return rc;
    double *lw = w.d, *bw = w.d + n * n;
    rc = load(eh, &l, lw, n);
    for (int64_t i = 0; rc == TSREC_OK && i < n; i++)
        if (!(lw[i + i * n] != 0.0))
            rc = tsrec__fail(eh, TSREC_E_SINGULAR, "%s: L has a zero on its diagonal at %lld", fn,
                             (long long)i);
    if (rc == TSREC_OK) rc = load(eh, &b, bw, n);
    if (rc == TSREC_OK) {
        lapack_int info = LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, (lapack_int)r,
                                              lw, (lapack_int)n, bw, (lapack_int)n);
        if (info < 0)
            rc = bad_arg(eh, "dpotrs", info);
    }
    if (rc == TSREC_OK) rc = store(eh, &x, bw, n);
    ws_free(ctx, &w);
    return rc;
}

int tsrec__spd_solve(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                     const tsrec__tensor *B, tsrec__tensor *X)
{
    static const char fn[] = "spd_solve";
    tsrec__tensor a = {0}, b = {0}, x = {0};
    int rc = square_system_args(ctx, eh, fn, "A", A, B, X, &a, &b, &x);
    const int64_t n = a.shape[0], r = b.shape[1];
    if (rc != TSREC_OK || n == 0 || r == 0)
        return rc;
    ws w;
    rc = ws_alloc(ctx, eh, fn, &w, (size_t)(n * n + n * r), 0);
    if (rc != TSREC_OK)
        return rc;
    double *aw = w.d, *bw = w.d + n * n;
    rc = load(eh, &a, aw, n);
    if (rc == TSREC_OK) rc = load(eh, &b, bw, n);
    if (rc == TSREC_OK) rc = potrf_lower(eh, fn, aw, n, n);
    if (rc == TSREC_OK) {
        lapack_int info = LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, (lapack_int)r,
                                              aw, (lapack_int)n, bw, (lapack_int)n);
        if (info < 0)
            rc = bad_arg(eh, "dpotrs", info);
    }
    if (rc == TSREC_OK) rc = store(eh, &x, bw, n);
    ws_free(ctx, &w);
    return rc;
}

int tsrec__spd_inverse(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                       tsrec__tensor *Ainv)
{
    static const char fn[] = "spd_inverse";
    tsrec__tensor a = {0}, ai = {0};
    int rc = need_ctx(eh, fn, ctx);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, "A", A, &a);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, "Ainv", Ainv, &ai);
    if (rc == TSREC_OK) rc = square(eh, fn, "A", &a);
    if (rc == TSREC_OK) rc = want_shape(eh, fn, "Ainv", &ai, a.shape[0], a.shape[0]);
    if (rc == TSREC_OK) rc = tsrec__tensor_check_finite(&a, eh, "spd_inverse: A");
    const int64_t n = a.shape[0];
    if (rc != TSREC_OK || n == 0)
        return rc;
    ws w;
    rc = ws_alloc(ctx, eh, fn, &w, (size_t)(n * n), 0);
    if (rc != TSREC_OK)
        return rc;
    rc = load(eh, &a, w.d, n);
    if (rc == TSREC_OK) rc = potrf_lower(eh, fn, w.d, n, n);
    if (rc == TSREC_OK) {
        lapack_int info = LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, w.d,
                                              (lapack_int)n);
        if (info < 0)
            rc = bad_arg(eh, "dpotri", info);
        else if (info > 0)
            rc = tsrec__fail(eh, TSREC_E_SINGULAR, "%s: factor has a zero at diagonal %d", fn,
                             (int)info);
    }
    if (rc == TSREC_OK) {
        for (int64_t j = 1; j < n; j++)          /* mirror lower to upper */
            for (int64_t i = 0; i < j; i++)
                w.d[i + j * n] = w.d[j + i * n];
        rc = store(eh, &ai, w.d, n);
    }
    ws_free(ctx, &w);
    return rc;
}

/* ---- LU solve -------------------------------------------------------------- */

int tsrec__solve(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                 const tsrec__tensor *B, tsrec__tensor *X)
{
    static const char fn[] = "solve";
    tsrec__tensor a = {0}, b = {0}, x = {0};
    int rc = square_system_args(ctx, eh, fn, "A", A, B, X, &a, &b, &x);
    const int64_t n = a.shape[0], r = b.shape[1];
    if (rc != TSREC_OK || n == 0)
        return rc;
    ws w; /* A, B, dgecon work (4n); ipiv (n), dgecon iwork (n) */
    rc = ws_alloc(ctx, eh, fn, &w, (size_t)(n * n + n * r + 4 * n), (size_t)(2 * n));
    if (rc != TSREC_OK)
        return rc;
    double *aw = w.d, *bw = w.d + n * n, *work = bw + n * r;
    lapack_int *ipiv = w.i, *iwork = w.i + n;
    rc = load(eh, &a, aw, n);
    if (rc == TSREC_OK && r > 0) rc = load(eh, &b, bw, n);
    double anorm = 0.0; /* 1-norm: largest absolute column sum */
    for (int64_t j = 0; rc == TSREC_OK && j < n; j++) {
        double s = 0.0;
        for (int64_t i = 0; i < n; i++)
            s += fabs(aw[i + j * n]);
        anorm = s > anorm ? s : anorm;
    }
    if (rc == TSREC_OK) {
        lapack_int info = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, aw,
                                              (lapack_int)n, ipiv);
        if (info < 0)
            rc = bad_arg(eh, "dgetrf", info);
        else if (info > 0)
            rc = tsrec__fail(eh, TSREC_E_SINGULAR,
                             "%s: matrix is singular (U(%d,%d) is exactly zero)", fn, (int)info,
                             (int)info);
    }
    if (rc == TSREC_OK) {
        double rcond = 0.0;
        lapack_int info = LAPACKE_dgecon_work(LAPACK_COL_MAJOR, '1', (lapack_int)n, aw,
                                              (lapack_int)n, anorm, &rcond, work, iwork);
        if (info < 0)
            rc = bad_arg(eh, "dgecon", info);
        else if (!(rcond >= DBL_EPSILON))
            rc = tsrec__fail(eh, TSREC_E_SINGULAR,
                             "%s: matrix is singular to working precision (rcond %.3g)", fn,
                             rcond);
    }
    if (rc == TSREC_OK && r > 0) {
        lapack_int info = LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'N', (lapack_int)n, (lapack_int)r,
                                              aw, (lapack_int)n, ipiv, bw, (lapack_int)n);
        if (info < 0)
            rc = bad_arg(eh, "dgetrs", info);
        if (rc == TSREC_OK) rc = store(eh, &x, bw, n);
    }
    ws_free(ctx, &w);
    return rc;
}

/* ---- least squares ----------------------------------------------------------- */

static int lstsq_args(tsrec_ctx *ctx, tsrec__handle *eh, const char *fn, const tsrec__tensor *A,
                      const tsrec__tensor *B, tsrec__tensor *X, tsrec__tensor *a,
                      tsrec__tensor *b, tsrec__tensor *x)
{
    int rc = need_ctx(eh, fn, ctx);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, "A", A, a);
    if (rc == TSREC_OK) rc = check_rhs(eh, fn, B, X, a->shape[0], a->shape[1], b, x);
    if (rc == TSREC_OK) rc = tsrec__tensor_check_finite(a, eh, "A");
    return rc;
}

int tsrec__lstsq_qr(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                    const tsrec__tensor *B, tsrec__tensor *X)
{
    static const char fn[] = "lstsq_qr";
    tsrec__tensor a = {0}, b = {0}, x = {0};
    int rc = lstsq_args(ctx, eh, fn, A, B, X, &a, &b, &x);
    if (rc != TSREC_OK)
        return rc;
    const int64_t m = a.shape[0], n = a.shape[1], r = b.shape[1];
    if (r == 0 || n == 0)
        return TSREC_OK;
    if (m == 0)
        return tsrec__tensor_fill(&x, eh, 0.0); /* minimum-norm solution */
    const int64_t lda = m, ldb = TSREC__MAX(m, n);
    double q = 0.0;
    lapack_int info = LAPACKE_dgels_work(LAPACK_COL_MAJOR, 'N', (lapack_int)m, (lapack_int)n,
                                         (lapack_int)r, &q, (lapack_int)lda, &q, (lapack_int)ldb,
                                         &q, -1);
    if (info < 0)
        return bad_arg(eh, "dgels", info);
    const int64_t lwork = (int64_t)q > 1 ? (int64_t)q : 1;
    ws w;
    rc = ws_alloc(ctx, eh, fn, &w, (size_t)(m * n + ldb * r + lwork), 0);
    if (rc != TSREC_OK)
        return rc;
    double *aw = w.d, *bw = w.d + m * n, *work = bw + ldb * r;
    rc = load(eh, &a, aw, lda);
    if (rc == TSREC_OK) rc = load(eh, &b, bw, ldb);
    if (rc == TSREC_OK) {
        info = LAPACKE_dgels_work(LAPACK_COL_MAJOR, 'N', (lapack_int)m, (lapack_int)n,
                                  (lapack_int)r, aw, (lapack_int)lda, bw, (lapack_int)ldb, work,
                                  (lapack_int)lwork);
        if (info < 0)
            rc = bad_arg(eh, "dgels", info);
        else if (info > 0)
            rc = tsrec__fail(eh, TSREC_E_SINGULAR,
                             "%s: A is rank deficient (diagonal %d of the triangular factor is "
                             "zero)",
                             fn, (int)info);
    }
    if (rc == TSREC_OK) {
        /* dgels only catches exact zeros; a diagonal that is negligible
         * against the largest means the solution is noise. */
        const int64_t k = TSREC__MIN(m, n);
        double dmax = 0.0;
        for (int64_t i = 0; i < k; i++)
            dmax = TSREC__MAX(dmax, fabs(aw[i + i * lda]));
        const double tol = dmax * DBL_EPSILON * (double)TSREC__MAX(m, n);
        for (int64_t i = 0; i < k && rc == TSREC_OK; i++)
            if (!(fabs(aw[i + i * lda]) > tol))
                rc = tsrec__fail(eh, TSREC_E_SINGULAR,
                                 "%s: A is numerically rank deficient (diagonal %lld of the "
                                 "triangular factor is %.3g, largest %.3g); use lstsq_svd",
                                 fn, (long long)i + 1, fabs(aw[i + i * lda]), dmax);
    }
    if (rc == TSREC_OK) rc = store(eh, &x, bw, ldb);
    ws_free(ctx, &w);
    return rc;
}

int tsrec__lstsq_svd(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                     const tsrec__tensor *B, double rcond, tsrec__tensor *X,
                     int64_t *out_rank)
{
    static const char fn[] = "lstsq_svd";
    tsrec__tensor a = {0}, b = {0}, x = {0};
    int rc = lstsq_args(ctx, eh, fn, A, B, X, &a, &b, &x);
    if (rc == TSREC_OK && isnan(rcond))
        rc = tsrec__fail(eh, TSREC_E_NAN, "%s: rcond is NaN", fn);
    if (rc != TSREC_OK)
        return rc;
    const int64_t m = a.shape[0], n = a.shape[1], r = b.shape[1];
    if (out_rank != NULL)
        *out_rank = 0;
    if (m == 0 || n == 0 || r == 0)
        return tsrec__tensor_fill(&x, eh, 0.0);
    const int64_t lda = m, ldb = TSREC__MAX(m, n), k = TSREC__MIN(m, n);
    double q = 0.0, dummy = 0.0;
    lapack_int iq = 0, rank = 0;
    lapack_int info = LAPACKE_dgelsd_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n,
                                          (lapack_int)r, &dummy, (lapack_int)lda, &dummy,
                                          (lapack_int)ldb, &dummy, rcond, &rank, &q, -1, &iq);
    if (info < 0)
        return bad_arg(eh, "dgelsd", info);
    const int64_t lwork = (int64_t)q > 1 ? (int64_t)q : 1;
    const int64_t liwork = iq > 1 ? (int64_t)iq : 1;
    ws w;
    rc = ws_alloc(ctx, eh, fn, &w, (size_t)(m * n + ldb * r + k + lwork), (size_t)liwork);
    if (rc != TSREC_OK)
        return rc;
    double *aw = w.d, *bw = aw + m * n, *sw = bw + ldb * r, *work = sw + k;
    rc = load(eh, &a, aw, lda);
    if (rc == TSREC_OK) rc = load(eh, &b, bw, ldb);
    if (rc == TSREC_OK) {
        info = LAPACKE_dgelsd_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, (lapack_int)r,
                                   aw, (lapack_int)lda, bw, (lapack_int)ldb, sw, rcond, &rank,
                                   work, (lapack_int)lwork, w.i);
        if (info < 0)
            rc = bad_arg(eh, "dgelsd", info);
        else if (info > 0)
            rc = tsrec__fail(eh, TSREC_E_NOT_CONVERGED,
                             "%s: SVD did not converge (%d off-diagonal elements)", fn, (int)info);
    }
    if (rc == TSREC_OK) rc = store(eh, &x, bw, ldb);
    if (rc == TSREC_OK && out_rank != NULL)
        *out_rank = rank;
    ws_free(ctx, &w);
    return rc;
}

/* ---- eigen and SVD ---------------------------------------------------------- */

static int as_vector(tsrec__handle *eh, const char *fn, const char *name, const tsrec__tensor *t,
                     int64_t n, tsrec__tensor *out)
{
    if (t == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: %s is NULL", fn, name);
    if (t->ndim != 1 || t->shape[0] != n)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s must be 1-D of length %lld", fn, name,
                           (long long)n);
    int rc = as_matrix(eh, fn, name, t, out);
    return rc;
}

int tsrec__sym_eig(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A, tsrec__tensor *w,
                   tsrec__tensor *V)
{
    static const char fn[] = "sym_eig";
    tsrec__tensor a = {0}, wv = {0}, v = {0};
    int rc = need_ctx(eh, fn, ctx);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, "A", A, &a);
    if (rc == TSREC_OK) rc = square(eh, fn, "A", &a);
    if (rc == TSREC_OK) rc = as_vector(eh, fn, "w", w, a.shape[0], &wv);
    if (rc == TSREC_OK && V != NULL) rc = as_matrix(eh, fn, "V", V, &v);
    if (rc == TSREC_OK && V != NULL) rc = want_shape(eh, fn, "V", &v, a.shape[0], a.shape[0]);
    if (rc == TSREC_OK) rc = tsrec__tensor_check_finite(&a, eh, "sym_eig: A");
    const int64_t n = a.shape[0];
    if (rc != TSREC_OK || n == 0)
        return rc;
    const char jobz = V != NULL ? 'V' : 'N';
    double q = 0.0, dummy = 0.0;
    lapack_int iq = 0;
    lapack_int info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, 'L', (lapack_int)n, &dummy,
                                          (lapack_int)n, &dummy, &q, -1, &iq, -1);
    if (info < 0)
        return bad_arg(eh, "dsyevd", info);
    const int64_t lwork = (int64_t)q > 1 ? (int64_t)q : 1;
    const int64_t liwork = iq > 1 ? (int64_t)iq : 1;
    ws ww;
    rc = ws_alloc(ctx, eh, fn, &ww, (size_t)(n * n + n + lwork), (size_t)liwork);
    if (rc != TSREC_OK)
        return rc;
    double *aw = ww.d, *ew = aw + n * n, *work = ew + n;
    rc = load(eh, &a, aw, n);
    if (rc == TSREC_OK) {
        info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, 'L', (lapack_int)n, aw, (lapack_int)n,
                                   ew, work, (lapack_int)lwork, ww.i, (lapack_int)liwork);
        if (info < 0)
            rc = bad_arg(eh, "dsyevd", info);
        else if (info > 0)
            rc = tsrec__fail(eh, TSREC_E_NOT_CONVERGED, "%s: eigensolver did not converge (%d)",
                             fn, (int)info);
    }
    if (rc == TSREC_OK) rc = store(eh, &wv, ew, n);
    if (rc == TSREC_OK && V != NULL) rc = store(eh, &v, aw, n);
    ws_free(ctx, &ww);
    return rc;
}

int tsrec__svd(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A, tsrec__tensor *s,
               tsrec__tensor *U, tsrec__tensor *Vt)
{
    static const char fn[] = "svd";
    tsrec__tensor a = {0}, sv = {0}, u = {0}, vt = {0};
    int rc = need_ctx(eh, fn, ctx);
    if (rc == TSREC_OK) rc = as_matrix(eh, fn, "A", A, &a);
    const int64_t m = a.shape[0], n = a.shape[1], k = TSREC__MIN(m, n);
    if (rc == TSREC_OK && (U == NULL) != (Vt == NULL))
        rc = tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: give both U and Vt, or neither", fn);
    if (rc == TSREC_OK) rc = as_vector(eh, fn, "s", s, k, &sv);
    if (rc == TSREC_OK && U != NULL) rc = as_matrix(eh, fn, "U", U, &u);
    if (rc == TSREC_OK && U != NULL) rc = want_shape(eh, fn, "U", &u, m, k);
    if (rc == TSREC_OK && U != NULL) rc = as_matrix(eh, fn, "Vt", Vt, &vt);
    if (rc == TSREC_OK && U != NULL) rc = want_shape(eh, fn, "Vt", &vt, k, n);
    if (rc == TSREC_OK) rc = tsrec__tensor_check_finite(&a, eh, "svd: A");
    if (rc != TSREC_OK || k == 0)
        return rc;
    const char jobz = U != NULL ? 'S' : 'N';
    const int64_t ldu = m, ldvt = k;
    double q = 0.0, dummy = 0.0;
    lapack_int iq = 0;
    lapack_int info = LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, jobz, (lapack_int)m, (lapack_int)n,
                                          &dummy, (lapack_int)m, &dummy, &dummy, (lapack_int)ldu,
                                          &dummy, (lapack_int)ldvt, &q, -1, &iq);
    if (info < 0)
        return bad_arg(eh, "dgesdd", info);
    const int64_t lwork = (int64_t)q > 1 ? (int64_t)q : 1;
    const int64_t nu = U != NULL ? m * k : 0, nvt = U != NULL ? k * n : 0;
    ws w;
    rc = ws_alloc(ctx, eh, fn, &w, (size_t)(m * n + k + nu + nvt + lwork), (size_t)(8 * k));
    if (rc != TSREC_OK)
        return rc;
    double *aw = w.d, *sw = aw + m * n, *uw = sw + k, *vtw = uw + nu, *work = vtw + nvt;
    rc = load(eh, &a, aw, m);
    if (rc == TSREC_OK) {
        info = LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, jobz, (lapack_int)m, (lapack_int)n, aw,
                                   (lapack_int)m, sw, uw, (lapack_int)ldu, vtw, (lapack_int)ldvt,
                                   work, (lapack_int)lwork, w.i);
        if (info < 0)
            rc = bad_arg(eh, "dgesdd", info);
        else if (info > 0)
            rc = tsrec__fail(eh, TSREC_E_NOT_CONVERGED, "%s: SVD did not converge (%d)", fn,
                             (int)info);
    }
    if (rc == TSREC_OK) rc = store(eh, &sv, sw, k);
    if (rc == TSREC_OK && U != NULL) rc = store(eh, &u, uw, ldu);
    if (rc == TSREC_OK && U != NULL) rc = store(eh, &vt, vtw, ldvt);
    ws_free(ctx, &w);
    return rc;
}

/* ---- raw in-place forms ------------------------------------------------------- */

int tsrec__potrf_f64(tsrec__handle *eh, int64_t n, double *a, int64_t lda)
{
    if (n < 0 || n > INT_MAX || lda < TSREC__MAX(n, 1) || lda > INT_MAX)
        return tsrec__fail(eh, TSREC_E_SHAPE, "potrf_f64: n=%lld lda=%lld", (long long)n,
                           (long long)lda);
    if (n == 0)
        return TSREC_OK;
    if (a == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "potrf_f64: a is NULL");
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j <= i; j++)
            if (!isfinite(a[i * lda + j]))
                return tsrec__fail(eh, TSREC_E_NAN, "potrf_f64: a[%lld,%lld] is not finite",
                                   (long long)i, (long long)j);
    /* Row-major lower == column-major upper of the same memory:
     * A = U^T U with U = L^T. */
    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', (lapack_int)n, a, (lapack_int)lda);
    if (info < 0)
        return bad_arg(eh, "dpotrf", info);
    if (info > 0)
        return tsrec__fail(eh, TSREC_E_SINGULAR,
                           "potrf_f64: matrix is not positive definite (leading minor of order "
                           "%d is not positive)",
                           (int)info);
    return TSREC_OK;
}

int tsrec__potrs_f64(tsrec__handle *eh, int64_t n, int64_t nrhs, const double *l, int64_t ldl,
                     double *b, int64_t ldb)
{
    if (n < 0 || nrhs < 0 || n > INT_MAX || nrhs > INT_MAX || ldl < TSREC__MAX(n, 1) ||
        ldb < TSREC__MAX(nrhs, 1) || ldl > INT_MAX || ldb > INT_MAX)
        return tsrec__fail(eh, TSREC_E_SHAPE, "potrs_f64: n=%lld nrhs=%lld ldl=%lld ldb=%lld",
                           (long long)n, (long long)nrhs, (long long)ldl, (long long)ldb);
    if (n == 0 || nrhs == 0)
        return TSREC_OK;
    if (l == NULL || b == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "potrs_f64: NULL matrix");
    for (int64_t i = 0; i < n; i++)
        if (!(l[i * ldl + i] != 0.0))
            return tsrec__fail(eh, TSREC_E_SINGULAR, "potrs_f64: L has a zero at diagonal %lld",
                               (long long)i);
    /* L y = b, then L^T x = y, by two triangular solves. */
    cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, (int)n,
                (int)nrhs, 1.0, l, (int)ldl, b, (int)ldb);
    cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, (int)n, (int)nrhs,
                1.0, l, (int)ldl, b, (int)ldb);
    return TSREC_OK;
}
