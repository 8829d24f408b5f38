/* CBLAS wrappers: layout and shape checks in front of OpenBLAS calls.
 * See blas_internal.h for the contract. */
#include "blas_internal.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>

/* ---- layout descriptions ------------------------------------------------ */

/* A 2-D operand as BLAS sees it: a row-major "stored" matrix of srows x
 * scols with leading dim ld, which is the tensor itself (flip 0) or its
 * transpose (flip 1, a column-major tensor). */
typedef struct mat {
    int64_t rows, cols;   /* logical shape of the tensor */
    int64_t srows, scols; /* shape of the stored row-major matrix */
    int64_t ld;           /* in elements */
    int flip;
    void *p;
} mat;

static int fits_int(int64_t v)
{
    return v >= 0 && v <= INT_MAX;
}

static int describe_mat(tsrec__handle *eh, const char *fn, const char *name,
                        const tsrec__tensor *t, mat *m)
{
    if (t == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: %s is NULL", fn, name);
    if (t->ndim != 2)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s must be 2-D, has %d dims", fn, name,
                           (int)t->ndim);
    const int64_t es = (int64_t)tsrec__dtype_size(t->dtype);
    const int64_t r = t->shape[0], c = t->shape[1];
    const int64_t s0 = t->strides[0], s1 = t->strides[1];
    m->rows = r;
    m->cols = c;
    m->p = t->data;
    /* A dimension of size <= 1 never moves, so its stride does not matter. */
    if ((c <= 1 || s1 == es) && (r <= 1 || (s0 > 0 && s0 / es >= c))) {
        m->flip = 0;
        m->srows = r;
        m->scols = c;
        m->ld = r <= 1 ? TSREC__MAX(c, 1) : s0 / es;
    } else if ((r <= 1 || s0 == es) && (c <= 1 || (s1 > 0 && s1 / es >= r))) {
        m->flip = 1;
        m->srows = c;
        m->scols = r;
        m->ld = c <= 1 ? TSREC__MAX(r, 1) : s1 / es;
    } else {
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "%s: %s (%lldx%lld, byte strides %lld,%lld) needs a unit stride on "
                           "one dim and a leading stride covering the other",
                           fn, name, (long long)r, (long long)c, (long long)s0, (long long)s1);
    }
    if (!fits_int(r) || !fits_int(c) || !fits_int(m->ld))
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s (%lldx%lld) is too large for BLAS", fn,
                           name, (long long)r, (long long)c);
    return TSREC_OK;
}

typedef struct vec {
    int64_t n;
    int64_t inc; /* elements */
    void *base;  /* lowest-addressed element, as BLAS wants for inc < 0 */
} vec;

static int describe_vec(tsrec__handle *eh, const char *fn, const char *name,
                        const tsrec__tensor *t, vec *v)
{
    if (t == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: %s is NULL", fn, name);
    if (t->ndim != 1)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s must be 1-D, has %d dims", fn, name,
                           (int)t->ndim);
    const int64_t es = (int64_t)tsrec__dtype_size(t->dtype);
    v->n = t->shape[0];
    v->inc = v->n <= 1 ? 1 : t->strides[0] / es;
    if (v->inc == 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s has a zero stride", fn, name);
    if (!fits_int(v->n) || v->inc > INT_MAX || v->inc < -INT_MAX)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: %s is too large for BLAS", fn, name);
    v->base = v->inc < 0 ? (char *)t->data + (v->n - 1) * t->strides[0] : t->data;
    return TSREC_OK;
}

static int check_dtypes(tsrec__handle *eh, const char *fn, const tsrec__tensor *a,
                        const tsrec__tensor *b, const tsrec__tensor *c)
{
    int32_t d = a->dtype;
    if ((d != TSREC__F32 && d != TSREC__F64) || b->dtype != d || (c != NULL && c->dtype != d))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: operands must share one dtype (f32 or f64)",
                           fn);
    return TSREC_OK;
}

/* ---- unchecked calls ------------------------------------------------------ */

/* C (m x n, ld ldc) *= beta, with beta == 0 writing zeros (BLAS semantics:
 * C is not read). Used when k == 0, which not every BLAS handles. */
static void scale_c(int32_t dtype, int64_t m, int64_t n, double beta, void *c, int64_t ldc)
{
    for (int64_t i = 0; i < m; i++) {
        if (dtype == TSREC__F64) {
            double *row = (double *)c + i * ldc;
            for (int64_t j = 0; j < n; j++)
                row[j] = beta == 0.0 ? 0.0 : beta * row[j];
        } else {
            float *row = (float *)c + i * ldc;
            for (int64_t j = 0; j < n; j++)
                row[j] = beta == 0.0 ? 0.0f : (float)beta * row[j];
        }
    }
}

static void gemm_raw(int32_t dtype, int ta, int tb, int64_t m, int64_t n, int64_t k,
                     double alpha, const void *a, int64_t lda, const void *b, int64_t ldb,
                     double beta, void *c, int64_t ldc)
{
    if (m == 0 || n == 0)
        return;
    if (k == 0) {
        scale_c(dtype, m, n, beta, c, ldc);
        return;
    }
    enum CBLAS_TRANSPOSE fa = ta ? CblasTrans : CblasNoTrans;
    enum CBLAS_TRANSPOSE fb = tb ? CblasTrans : CblasNoTrans;
    if (dtype == TSREC__F64)
        cblas_dgemm(CblasRowMajor, fa, fb, (int)m, (int)n, (int)k, alpha, a, (int)lda, b,
                    (int)ldb, beta, c, (int)ldc);
    else
        cblas_sgemm(CblasRowMajor, fa, fb, (int)m, (int)n, (int)k, (float)alpha, a, (int)lda,
                    b, (int)ldb, (float)beta, c, (int)ldc);
}

/* ---- gemm ----------------------------------------------------------------- */

int tsrec__gemm(tsrec__handle *eh, int trans_a, int trans_b, double alpha,
                const tsrec__tensor *A, const tsrec__tensor *B, double beta,
                tsrec__tensor *C)
{
    mat a = {0}, b = {0}, c = {0}; /* zeroed: silences -Wmaybe-uninitialized at -O3 */
    int rc = describe_mat(eh, "gemm", "A", A, &a);
    if (rc == TSREC_OK)
        rc = describe_mat(eh, "gemm", "B", B, &b);
    if (rc == TSREC_OK)
        rc = describe_mat(eh, "gemm", "C", C, &c);
    if (rc == TSREC_OK)
        rc = check_dtypes(eh, "gemm", A, B, C);
    if (rc != TSREC_OK)
        return rc;
    trans_a = trans_a != 0;
    trans_b = trans_b != 0;
    int64_t m = trans_a ? a.cols : a.rows, k = trans_a ? a.rows : a.cols;
    int64_t kb = trans_b ? b.cols : b.rows, n = trans_b ? b.rows : b.cols;
    if (k != kb || c.rows != m || c.cols != n)
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "gemm: op(A) is %lldx%lld, op(B) is %lldx%lld, C is %lldx%lld",
                           (long long)m, (long long)k, (long long)kb, (long long)n,
                           (long long)c.rows, (long long)c.cols);
    if (!c.flip) {
        gemm_raw(C->dtype, trans_a ^ a.flip, trans_b ^ b.flip, m, n, k, alpha, a.p, a.ld, b.p,
                 b.ld, beta, c.p, c.ld);
    } else {
        /* C is column-major: compute its stored transpose,
         * C^T = op(B)^T op(A)^T, which is row-major. */
        gemm_raw(C->dtype, (!trans_b) ^ b.flip, (!trans_a) ^ a.flip, n, m, k, alpha, b.p, b.ld,
                 a.p, a.ld, beta, c.p, c.ld);
    }
    return TSREC_OK;
}

int tsrec__gemm_batched(tsrec__handle *eh, int trans_a, int trans_b, double alpha,
                        const tsrec__tensor *A, const tsrec__tensor *B, double beta,
                        tsrec__tensor *C)
{
    if (A == NULL || B == NULL || C == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "gemm_batched: NULL tensor");
    if (A->ndim != 3 || B->ndim != 3 || C->ndim != 3)
        return tsrec__fail(eh, TSREC_E_SHAPE, "gemm_batched: A, B, C must be 3-D (have %d, %d, %d)",
                           (int)A->ndim, (int)B->ndim, (int)C->ndim);
    const int64_t batch = C->shape[0];
    if ((A->shape[0] != batch && A->shape[0] != 1) || (B->shape[0] != batch && B->shape[0] != 1))
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "gemm_batched: batch sizes A %lld, B %lld, C %lld (A and B need C's "
                           "or 1)",
                           (long long)A->shape[0], (long long)B->shape[0], (long long)batch);
    for (int64_t i = 0; i < batch; i++) {
        tsrec__tensor a, b, c;
        int rc = tsrec__tensor_select(&a, A, eh, 0, A->shape[0] == 1 ? 0 : i);
        if (rc == TSREC_OK)
            rc = tsrec__tensor_select(&b, B, eh, 0, B->shape[0] == 1 ? 0 : i);
        if (rc == TSREC_OK)
            rc = tsrec__tensor_select(&c, C, eh, 0, i);
        if (rc == TSREC_OK)
            rc = tsrec__gemm(eh, trans_a, trans_b, alpha, &a, &b, beta, &c);
        if (rc != TSREC_OK)
            return rc;
    }
    if (batch == 0) {
        /* Still validate the matrices' shapes, on empty-batch views. */
        tsrec__tensor a = *A, b = *B, c = *C;
        a.ndim = b.ndim = c.ndim = 2;
        for (int i = 0; i < 2; i++) {
            a.shape[i] = A->shape[i + 1];
            a.strides[i] = A->strides[i + 1];
            b.shape[i] = B->shape[i + 1];
            b.strides[i] = B->strides[i + 1];
            c.shape[i] = C->shape[i + 1];
            c.strides[i] = C->strides[i + 1];
        }
        mat ma, mb, mc;
        int rc = describe_mat(eh, "gemm_batched", "A", &a, &ma);
        if (rc == TSREC_OK)
            rc = describe_mat(eh, "gemm_batched", "B", &b, &mb);
        if (rc == TSREC_OK)
            rc = describe_mat(eh, "gemm_batched", "C", &c, &mc);
        if (rc == TSREC_OK)
            rc = check_dtypes(eh, "gemm_batched", A, B, C);
        if (rc != TSREC_OK)
            return rc;
        int64_t m = trans_a ? ma.cols : ma.rows, k = trans_a ? ma.rows : ma.cols;
        int64_t kb = trans_b ? mb.cols : mb.rows, n = trans_b ? mb.rows : mb.cols;
        if (k != kb || mc.rows != m || mc.cols != n)
            return tsrec__fail(eh, TSREC_E_SHAPE,
                               "gemm_batched: op(A) is %lldx%lld, op(B) is %lldx%lld, C is "
                               "%lldx%lld",
                               (long long)m, (long long)k, (long long)kb, (long long)n,
                               (long long)mc.rows, (long long)mc.cols);
    }
    return TSREC_OK;
}

/* Checks shared by the raw gemm forms. */
static int check_raw(tsrec__handle *eh, const char *fn, int ta, int tb, int64_t m, int64_t n,
                     int64_t k, const void *A, int64_t lda, const void *B, int64_t ldb,
                     const void *C, int64_t ldc)
{
    if (!fits_int(m) || !fits_int(n) || !fits_int(k))
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: m=%lld n=%lld k=%lld must be in 0..INT_MAX",
                           fn, (long long)m, (long long)n, (long long)k);
    int64_t need_a = TSREC__MAX(ta ? m : k, 1);
    int64_t need_b = TSREC__MAX(tb ? k : n, 1);
    int64_t need_c = TSREC__MAX(n, 1);
    if (lda < need_a || ldb < need_b || ldc < need_c || !fits_int(lda) || !fits_int(ldb) ||
        !fits_int(ldc))
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "%s: leading dims lda=%lld ldb=%lld ldc=%lld, need at least %lld, "
                           "%lld, %lld (m=%lld n=%lld k=%lld)",
                           fn, (long long)lda, (long long)ldb, (long long)ldc, (long long)need_a,
                           (long long)need_b, (long long)need_c, (long long)m, (long long)n,
                           (long long)k);
    if (m > 0 && n > 0 && (C == NULL || (k > 0 && (A == NULL || B == NULL))))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL matrix", fn);
    return TSREC_OK;
}

int tsrec__gemm_f64(tsrec__handle *eh, int trans_a, int trans_b, int64_t m, int64_t n,
                    int64_t k, double alpha, const double *A, int64_t lda, const double *B,
                    int64_t ldb, double beta, double *C, int64_t ldc)
{
    int rc = check_raw(eh, "gemm_f64", trans_a, trans_b, m, n, k, A, lda, B, ldb, C, ldc);
    if (rc != TSREC_OK)
        return rc;
    gemm_raw(TSREC__F64, trans_a != 0, trans_b != 0, m, n, k, alpha, A, lda, B, ldb, beta, C,
             ldc);
    return TSREC_OK;
}

int tsrec__gemm_f32(tsrec__handle *eh, int trans_a, int trans_b, int64_t m, int64_t n,
                    int64_t k, float alpha, const float *A, int64_t lda, const float *B,
                    int64_t ldb, float beta, float *C, int64_t ldc)
{
    int rc = check_raw(eh, "gemm_f32", trans_a, trans_b, m, n, k, A, lda, B, ldb, C, ldc);
    if (rc != TSREC_OK)
        return rc;
    gemm_raw(TSREC__F32, trans_a != 0, trans_b != 0, m, n, k, alpha, A, lda, B, ldb, beta, C,
             ldc);
    return TSREC_OK;
}

static int strided_batched(tsrec__handle *eh, const char *fn, int32_t dtype, int ta, int tb,
                           int64_t m, int64_t n, int64_t k, double alpha, const void *A,
                           int64_t lda, int64_t sa, const void *B, int64_t ldb, int64_t sb,
                           double beta, void *C, int64_t ldc, int64_t sc, int64_t batch)
{
    int rc = check_raw(eh, fn, ta, tb, m, n, k, A, lda, B, ldb, C, ldc);
    if (rc != TSREC_OK)
        return rc;
    if (batch < 0 || sa < 0 || sb < 0 || sc < 0)
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "%s: batch %lld and strides %lld,%lld,%lld must be >= 0", fn,
                           (long long)batch, (long long)sa, (long long)sb, (long long)sc);
    const int64_t es = (int64_t)tsrec__dtype_size(dtype);
    const int64_t lim = (int64_t)(PTRDIFF_MAX / es);
    if (batch > 1 && (sa > lim / (batch - 1) || sb > lim / (batch - 1) || sc > lim / (batch - 1)))
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: batch offsets overflow", fn);
    if (batch > 1 && m > 0 && n > 0 && sc == 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: stride_c is 0 for a batch of %lld", fn,
                           (long long)batch);
    for (int64_t i = 0; i < batch; i++)
        gemm_raw(dtype, ta != 0, tb != 0, m, n, k, alpha, (const char *)A + i * sa * es, lda,
                 (const char *)B + i * sb * es, ldb, beta, (char *)C + i * sc * es, ldc);
    return TSREC_OK;
}

int tsrec__gemm_strided_batched_f64(tsrec__handle *eh, int trans_a, int trans_b, int64_t m,
                                    int64_t n, int64_t k, double alpha, const double *A,
                                    int64_t lda, int64_t stride_a, const double *B, int64_t ldb,
                                    int64_t stride_b, double beta, double *C, int64_t ldc,
                                    int64_t stride_c, int64_t batch)
{
    return strided_batched(eh, "gemm_strided_batched_f64", TSREC__F64, trans_a, trans_b, m, n, k,
                           alpha, A, lda, stride_a, B, ldb, stride_b, beta, C, ldc, stride_c,
                           batch);
}

int tsrec__gemm_strided_batched_f32(tsrec__handle *eh, int trans_a, int trans_b, int64_t m,
                                    int64_t n, int64_t k, float alpha, const float *A,
                                    int64_t lda, int64_t stride_a, const float *B, int64_t ldb,
                                    int64_t stride_b, float beta, float *C, int64_t ldc,
                                    int64_t stride_c, int64_t batch)
{
    return strided_batched(eh, "gemm_strided_batched_f32", TSREC__F32, trans_a, trans_b, m, n, k,
                           alpha, A, lda, stride_a, B, ldb, stride_b, beta, C, ldc, stride_c,
                           batch);
}

/* ---- gemv and level 1 ------------------------------------------------------ */

/* y *= beta over a strided vector (beta == 0 writes zeros). */
static void scale_vec(int32_t dtype, const vec *y, double beta)
{
    const int64_t start = y->inc < 0 ? -(y->n - 1) * y->inc : 0;
    for (int64_t i = 0; i < y->n; i++) {
        int64_t off = start + i * y->inc;
        if (dtype == TSREC__F64) {
            double *p = (double *)y->base + off;
            *p = beta == 0.0 ? 0.0 : beta * *p;
        } else {
            float *p = (float *)y->base + off;
            *p = beta == 0.0 ? 0.0f : (float)beta * *p;
        }
    }
}

int tsrec__gemv(tsrec__handle *eh, int trans, double alpha, const tsrec__tensor *A,
                const tsrec__tensor *x, double beta, tsrec__tensor *y)
{
    mat a = {0};
    vec vx = {0}, vy = {0};
    int rc = describe_mat(eh, "gemv", "A", A, &a);
    if (rc == TSREC_OK)
        rc = describe_vec(eh, "gemv", "x", x, &vx);
    if (rc == TSREC_OK)
        rc = describe_vec(eh, "gemv", "y", y, &vy);
    if (rc == TSREC_OK)
        rc = check_dtypes(eh, "gemv", A, x, y);
    if (rc != TSREC_OK)
        return rc;
    trans = trans != 0;
    int64_t m = trans ? a.cols : a.rows, n = trans ? a.rows : a.cols;
    if (vx.n != n || vy.n != m)
        return tsrec__fail(eh, TSREC_E_SHAPE, "gemv: op(A) is %lldx%lld, x has %lld, y has %lld",
                           (long long)m, (long long)n, (long long)vx.n, (long long)vy.n);
    if (m == 0)
        return TSREC_OK;
    if (n == 0) {
        scale_vec(y->dtype, &vy, beta);
        return TSREC_OK;
    }
    enum CBLAS_TRANSPOSE f = (trans ^ a.flip) ? CblasTrans : CblasNoTrans;
    if (A->dtype == TSREC__F64)
        cblas_dgemv(CblasRowMajor, f, (int)a.srows, (int)a.scols, alpha, a.p, (int)a.ld, vx.base,
                    (int)vx.inc, beta, vy.base, (int)vy.inc);
    else
        cblas_sgemv(CblasRowMajor, f, (int)a.srows, (int)a.scols, (float)alpha, a.p, (int)a.ld,
                    vx.base, (int)vx.inc, (float)beta, vy.base, (int)vy.inc);
    return TSREC_OK;
}

static int two_vectors(tsrec__handle *eh, const char *fn, const tsrec__tensor *x,
                       const tsrec__tensor *y, vec *vx, vec *vy)
{
    int rc = describe_vec(eh, fn, "x", x, vx);
    if (rc == TSREC_OK)
        rc = describe_vec(eh, fn, "y", y, vy);
    if (rc == TSREC_OK)
        rc = check_dtypes(eh, fn, x, y, NULL);
    if (rc == TSREC_OK && vx->n != vy->n)
        rc = tsrec__fail(eh, TSREC_E_SHAPE, "%s: x has %lld elements, y has %lld", fn,
                         (long long)vx->n, (long long)vy->n);
    return rc;
}

int tsrec__axpy(tsrec__handle *eh, double alpha, const tsrec__tensor *x, tsrec__tensor *y)
{
    vec vx = {0}, vy = {0};
    int rc = two_vectors(eh, "axpy", x, y, &vx, &vy);
    if (rc != TSREC_OK || vx.n == 0)
        return rc;
    if (x->dtype == TSREC__F64)
        cblas_daxpy((int)vx.n, alpha, vx.base, (int)vx.inc, vy.base, (int)vy.inc);
    else
        cblas_saxpy((int)vx.n, (float)alpha, vx.base, (int)vx.inc, vy.base, (int)vy.inc);
    return TSREC_OK;
}

int tsrec__dot(tsrec__handle *eh, const tsrec__tensor *x, const tsrec__tensor *y,
               double *out_value)
{
    vec vx = {0}, vy = {0};
    int rc = two_vectors(eh, "dot", x, y, &vx, &vy);
    if (rc != TSREC_OK)
        return rc;
    if (out_value == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dot: out_value is NULL");
    if (vx.n == 0)
        *out_value = 0.0;
    else if (x->dtype == TSREC__F64)
        *out_value = cblas_ddot((int)vx.n, vx.base, (int)vx.inc, vy.base, (int)vy.inc);
    else
        *out_value = cblas_dsdot((int)vx.n, vx.base, (int)vx.inc, vy.base, (int)vy.inc);
    return TSREC_OK;
}

int tsrec__nrm2(tsrec__handle *eh, const tsrec__tensor *x, double *out_value)
{
    vec vx = {0};
    int rc = describe_vec(eh, "nrm2", "x", x, &vx);
    if (rc != TSREC_OK)
        return rc;
    if (x->dtype != TSREC__F32 && x->dtype != TSREC__F64)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "nrm2: dtype must be f32 or f64");
    if (out_value == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "nrm2: out_value is NULL");
    /* BLAS nrm2 with a negative increment returns 0; the norm does not
     * depend on the order, so walk forwards. */
    int inc = (int)(vx.inc < 0 ? -vx.inc : vx.inc);
    if (vx.n == 0)
        *out_value = 0.0;
    else if (x->dtype == TSREC__F64)
        *out_value = cblas_dnrm2((int)vx.n, vx.base, inc);
    else
        *out_value = (double)cblas_snrm2((int)vx.n, vx.base, inc);
    return TSREC_OK;
}

int tsrec__scal(tsrec__handle *eh, double alpha, tsrec__tensor *x)
{
    vec vx = {0};
    int rc = describe_vec(eh, "scal", "x", x, &vx);
    if (rc != TSREC_OK)
        return rc;
    if (x->dtype != TSREC__F32 && x->dtype != TSREC__F64)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "scal: dtype must be f32 or f64");
    if (vx.n == 0)
        return TSREC_OK;
    int inc = (int)(vx.inc < 0 ? -vx.inc : vx.inc); /* order does not matter */
    if (x->dtype == TSREC__F64)
        cblas_dscal((int)vx.n, alpha, vx.base, inc);
    else
        cblas_sscal((int)vx.n, (float)alpha, vx.base, inc);
    return TSREC_OK;
}
