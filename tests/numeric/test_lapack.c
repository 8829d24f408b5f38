/* LAPACKE wrappers verified by residuals: ||A x - b||, Q^T Q = I,
 * U S V^T = A, A v = lambda v; singular, non-SPD and NaN inputs. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "lapack_internal.h"
#include "rng_internal.h"
#include "tensor_internal.h"

static double rnd(tsrec__rng *r)
{
    return 2.0 * tsrec__rng_uniform(r) - 1.0;
}

static tsrec__tensor mat(tsrec_ctx *ctx, int32_t dtype, int64_t r, int64_t c)
{
    tsrec__tensor t;
    const int64_t s[2] = {r, c};
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, dtype, 2, s), TSREC_OK);
    return t;
}

static tsrec__tensor vec(tsrec_ctx *ctx, int64_t n)
{
    tsrec__tensor t;
    assert_int_equal(tsrec__tensor_alloc(&t, ctx, NULL, TSREC__F64, 1, &n), TSREC_OK);
    return t;
}

static double g(const tsrec__tensor *t, int64_t i, int64_t j)
{
    const int64_t idx[2] = {i, j};
    double v = 0;
    if (t->ndim == 1)
        assert_int_equal(tsrec__tensor_get(t, NULL, &i, &v), TSREC_OK);
    else
        assert_int_equal(tsrec__tensor_get(t, NULL, idx, &v), TSREC_OK);
    return v;
}

static void s(tsrec__tensor *t, int64_t i, int64_t j, double v)
{
    const int64_t idx[2] = {i, j};
    assert_int_equal(tsrec__tensor_set(t, NULL, idx, v), TSREC_OK);
}

static void fill_rand(tsrec__tensor *t, tsrec__rng *r)
{
    for (int64_t i = 0; i < t->shape[0]; i++)
        for (int64_t j = 0; j < t->shape[1]; j++)
            s(t, i, j, rnd(r));
}

/* A = M M^T + n I: symmetric positive definite. */
static tsrec__tensor spd(tsrec_ctx *ctx, tsrec__rng *r, int64_t n)
{
    tsrec__tensor m = mat(ctx, TSREC__F64, n, n), a = mat(ctx, TSREC__F64, n, n);
    fill_rand(&m, r);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            double v = i == j ? (double)n : 0.0;
            for (int64_t k = 0; k < n; k++)
                v += g(&m, i, k) * g(&m, j, k);
            s(&a, i, j, v);
        }
    tsrec__tensor_free(&m);
    return a;
}

/* max |A X - B| (X, B given as n x r or 1-D) */
static double residual(const tsrec__tensor *A, const tsrec__tensor *X, const tsrec__tensor *B)
{
    int64_t r = B->ndim == 1 ? 1 : B->shape[1];
    double worst = 0;
    for (int64_t i = 0; i < A->shape[0]; i++)
        for (int64_t c = 0; c < r; c++) {
            double v = 0;
            for (int64_t k = 0; k < A->shape[1]; k++)
                v += g(A, i, k) * g(X, k, c);
            worst = fmax(worst, fabs(v - g(B, i, c)));
        }
    return worst;
}

static void test_cholesky(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 1);
    const int64_t sizes[] = {1, 2, 7, 40};
    for (size_t si = 0; si < TSREC__ARRAY_LEN(sizes); si++) {
        const int64_t n = sizes[si];
        tsrec__tensor A = spd(ctx, &r, n), L = mat(ctx, TSREC__F64, n, n);
        tsrec__tensor B = mat(ctx, TSREC__F64, n, 3), X = mat(ctx, TSREC__F64, n, 3);
        fill_rand(&B, &r);
        assert_int_equal(tsrec__chol(ctx, NULL, &A, &L), TSREC_OK);
        /* L lower triangular with L L^T = A */
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++) {
                if (j > i)
                    assert_true(g(&L, i, j) == 0.0);
                double v = 0;
                for (int64_t k = 0; k < n; k++)
                    v += g(&L, i, k) * g(&L, j, k);
                assert_true(fabs(v - g(&A, i, j)) < 1e-10 * n);
            }
        assert_int_equal(tsrec__chol_solve(ctx, NULL, &L, &B, &X), TSREC_OK);
        assert_true(residual(&A, &X, &B) < 1e-10);
        tsrec__tensor_fill(&X, NULL, 0.0);
        assert_int_equal(tsrec__spd_solve(ctx, NULL, &A, &B, &X), TSREC_OK);
        assert_true(residual(&A, &X, &B) < 1e-10);
        /* inverse: A Ainv = I */
        tsrec__tensor Ai = mat(ctx, TSREC__F32, n, n), I = mat(ctx, TSREC__F64, n, n);
        tsrec__tensor Ai64 = mat(ctx, TSREC__F64, n, n);
        assert_int_equal(tsrec__spd_inverse(ctx, NULL, &A, &Ai64), TSREC_OK);
        assert_int_equal(tsrec__spd_inverse(ctx, NULL, &A, &Ai), TSREC_OK); /* f32 output */
        for (int64_t i = 0; i < n; i++)
            s(&I, i, i, 1.0);
        assert_true(residual(&A, &Ai64, &I) < 1e-10);
        assert_true(residual(&A, &Ai, &I) < 1e-4);
        tsrec__tensor_free(&Ai);
        tsrec__tensor_free(&Ai64);
        tsrec__tensor_free(&I);
        tsrec__tensor_free(&A);
        tsrec__tensor_free(&L);
        tsrec__tensor_free(&B);
        tsrec__tensor_free(&X);
    }
    /* not positive definite: the leading 2x2 minor is negative */
    tsrec__tensor A = mat(ctx, TSREC__F64, 3, 3), L = mat(ctx, TSREC__F64, 3, 3);
    const double v[9] = {1, 2, 0, 2, 1, 0, 0, 0, 1};
    memcpy(A.data, v, sizeof(v));
    assert_int_equal(tsrec__chol(ctx, NULL, &A, &L), TSREC_E_SINGULAR);
    assert_non_null(strstr(tsrec_last_error(), "leading minor of order 2"));
    tsrec__tensor B = vec(ctx, 3);
    tsrec__tensor X = vec(ctx, 3);
    assert_int_equal(tsrec__spd_solve(ctx, NULL, &A, &B, &X), TSREC_E_SINGULAR);
    assert_int_equal(tsrec__spd_inverse(ctx, NULL, &A, &L), TSREC_E_SINGULAR);
    /* NaN input, non-square, wrong output shape */
    ((double *)A.data)[4] = NAN;
    assert_int_equal(tsrec__chol(ctx, NULL, &A, &L), TSREC_E_NAN);
    tsrec__tensor R = mat(ctx, TSREC__F64, 3, 2);
    assert_int_equal(tsrec__chol(ctx, NULL, &R, &L), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "square"));
    assert_int_equal(tsrec__chol(ctx, NULL, &L, &R), TSREC_E_SHAPE);
    assert_int_equal(tsrec__chol(NULL, NULL, &L, &L), TSREC_E_INVALID_ARG);
    tsrec__tensor_free(&A);
    tsrec__tensor_free(&L);
    tsrec__tensor_free(&B);
    tsrec__tensor_free(&X);
    tsrec__tensor_free(&R);
    tu_ctx_free_checked(ctx);
}

static void test_raw_potrf_potrs(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 2);
    const int64_t n = 6, ld = 8;
    tsrec__tensor A = spd(ctx, &r, n);
    double a[6 * 8], b[6 * 2], x[6 * 2];
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++)
            a[i * ld + j] = g(&A, i, j);
    for (int i = 0; i < 12; i++)
        b[i] = x[i] = rnd(&r);
    assert_int_equal(tsrec__potrf_f64(NULL, n, a, ld), TSREC_OK);
    assert_int_equal(tsrec__potrs_f64(NULL, n, 2, a, ld, x, 2), TSREC_OK);
    for (int64_t i = 0; i < n; i++)
        for (int c = 0; c < 2; c++) {
            double v = 0;
            for (int64_t k = 0; k < n; k++)
                v += g(&A, i, k) * x[k * 2 + c];
            assert_true(fabs(v - b[i * 2 + c]) < 1e-10);
        }
    a[3 * ld + 3] = 0.0;
    assert_int_equal(tsrec__potrs_f64(NULL, n, 2, a, ld, x, 2), TSREC_E_SINGULAR);
    a[0] = -1.0;
    assert_int_equal(tsrec__potrf_f64(NULL, n, a, ld), TSREC_E_SINGULAR);
    a[0] = NAN;
    assert_int_equal(tsrec__potrf_f64(NULL, n, a, ld), TSREC_E_NAN);
    assert_int_equal(tsrec__potrf_f64(NULL, n, a, 3), TSREC_E_SHAPE);
    tsrec__tensor_free(&A);
    tu_ctx_free_checked(ctx);
}

static void test_general_solve(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 3);
    for (int64_t n = 1; n <= 33; n += 8) {
        tsrec__tensor A = mat(ctx, TSREC__F64, n, n), B = mat(ctx, TSREC__F64, n, 2);
        tsrec__tensor X = mat(ctx, TSREC__F64, n, 2), At;
        fill_rand(&A, &r);
        fill_rand(&B, &r);
        for (int64_t i = 0; i < n; i++)
            s(&A, i, i, g(&A, i, i) + 4.0); /* well conditioned */
        assert_int_equal(tsrec__solve(ctx, NULL, &A, &B, &X), TSREC_OK);
        assert_true(residual(&A, &X, &B) < 1e-10);
        /* a transposed view as input, solution of A^T x = b */
        assert_int_equal(tsrec__tensor_transpose(&At, &A, NULL, 0, 1), TSREC_OK);
        assert_int_equal(tsrec__solve(ctx, NULL, &At, &B, &X), TSREC_OK);
        assert_true(residual(&At, &X, &B) < 1e-10);
        tsrec__tensor_free(&A);
        tsrec__tensor_free(&B);
        tsrec__tensor_free(&X);
    }
    /* exactly singular, and singular to working precision */
    tsrec__tensor A = mat(ctx, TSREC__F64, 3, 3), b = vec(ctx, 3), x = vec(ctx, 3);
    const double sing[9] = {1, 2, 3, 2, 4, 6, 1, 0, 1};
    memcpy(A.data, sing, sizeof(sing));
    assert_int_equal(tsrec__solve(ctx, NULL, &A, &b, &x), TSREC_E_SINGULAR);
    assert_non_null(strstr(tsrec_last_error(), "singular"));
    const double near[9] = {1, 1, 0, 1, 1 + 1e-17, 0, 0, 0, 1};
    memcpy(A.data, near, sizeof(near));
    assert_int_equal(tsrec__solve(ctx, NULL, &A, &b, &x), TSREC_E_SINGULAR);
    const double nearer[9] = {1, 1, 0, 1, 1 + 4.5e-16, 0, 0, 0, 1};
    memcpy(A.data, nearer, sizeof(nearer));
    assert_int_equal(tsrec__solve(ctx, NULL, &A, &b, &x), TSREC_E_SINGULAR);
    /* shape mismatch and NaN right-hand side */
    tsrec__tensor b4 = vec(ctx, 4);
    assert_int_equal(tsrec__solve(ctx, NULL, &A, &b4, &x), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "B has 4 rows, A needs 3"));
    ((double *)A.data)[4] = 2.0;
    ((double *)b.data)[1] = INFINITY;
    assert_int_equal(tsrec__solve(ctx, NULL, &A, &b, &x), TSREC_E_NAN);
    tsrec__tensor_free(&A);
    tsrec__tensor_free(&b);
    tsrec__tensor_free(&b4);
    tsrec__tensor_free(&x);
    tu_ctx_free_checked(ctx);
}

static void test_least_squares(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 4);
    const int64_t m = 20, n = 5;
    tsrec__tensor A = mat(ctx, TSREC__F64, m, n), B = mat(ctx, TSREC__F64, m, 2);
    tsrec__tensor X = mat(ctx, TSREC__F64, n, 2), X2 = mat(ctx, TSREC__F64, n, 2);
    fill_rand(&A, &r);
    fill_rand(&B, &r);
    assert_int_equal(tsrec__lstsq_qr(ctx, NULL, &A, &B, &X), TSREC_OK);
    /* optimality: A^T (A X - B) = 0 */
    for (int64_t j = 0; j < n; j++)
        for (int c = 0; c < 2; c++) {
            double gsum = 0;
            for (int64_t i = 0; i < m; i++) {
                double rres = -g(&B, i, c);
                for (int64_t k = 0; k < n; k++)
                    rres += g(&A, i, k) * g(&X, k, c);
                gsum += g(&A, i, j) * rres;
            }
            assert_true(fabs(gsum) < 1e-10);
        }
    int64_t rank = -1;
    assert_int_equal(tsrec__lstsq_svd(ctx, NULL, &A, &B, -1.0, &X2, &rank), TSREC_OK);
    assert_int_equal(rank, n);
    for (int64_t j = 0; j < n; j++)
        assert_true(fabs(g(&X, j, 0) - g(&X2, j, 0)) < 1e-10);
    /* an exact system is solved exactly */
    tsrec__tensor xt = mat(ctx, TSREC__F64, n, 1), bt = mat(ctx, TSREC__F64, m, 1);
    tsrec__tensor xo = mat(ctx, TSREC__F64, n, 1);
    fill_rand(&xt, &r);
    for (int64_t i = 0; i < m; i++) {
        double v = 0;
        for (int64_t k = 0; k < n; k++)
            v += g(&A, i, k) * g(&xt, k, 0);
        s(&bt, i, 0, v);
    }
    assert_int_equal(tsrec__lstsq_qr(ctx, NULL, &A, &bt, &xo), TSREC_OK);
    for (int64_t k = 0; k < n; k++)
        assert_true(fabs(g(&xo, k, 0) - g(&xt, k, 0)) < 1e-12);
    /* rank deficient: column 4 = column 0 + column 1 */
    for (int64_t i = 0; i < m; i++)
        s(&A, i, 4, g(&A, i, 0) + g(&A, i, 1));
    assert_int_equal(tsrec__lstsq_qr(ctx, NULL, &A, &B, &X), TSREC_E_SINGULAR);
    assert_non_null(strstr(tsrec_last_error(), "rank deficient"));
    assert_int_equal(tsrec__lstsq_svd(ctx, NULL, &A, &B, -1.0, &X2, &rank), TSREC_OK);
    assert_int_equal(rank, n - 1);
    /* min-norm solution has no component along the null vector (1,1,0,0,-1) */
    for (int c = 0; c < 2; c++)
        assert_true(fabs(g(&X2, 0, c) + g(&X2, 1, c) - g(&X2, 4, c)) < 1e-10);
    /* underdetermined (m < n): minimum norm, exact fit */
    tsrec__tensor Aw = mat(ctx, TSREC__F64, 3, 6), bw = mat(ctx, TSREC__F64, 3, 1);
    tsrec__tensor xw = mat(ctx, TSREC__F64, 6, 1), xw2 = mat(ctx, TSREC__F64, 6, 1);
    fill_rand(&Aw, &r);
    fill_rand(&bw, &r);
    assert_int_equal(tsrec__lstsq_qr(ctx, NULL, &Aw, &bw, &xw), TSREC_OK);
    assert_true(residual(&Aw, &xw, &bw) < 1e-12);
    assert_int_equal(tsrec__lstsq_svd(ctx, NULL, &Aw, &bw, -1.0, &xw2, NULL), TSREC_OK);
    for (int64_t k = 0; k < 6; k++)
        assert_true(fabs(g(&xw, k, 0) - g(&xw2, k, 0)) < 1e-10);
    /* misuse */
    assert_int_equal(tsrec__lstsq_qr(ctx, NULL, &A, &B, &xo), TSREC_E_SHAPE);
    ((double *)A.data)[3] = NAN;
    assert_int_equal(tsrec__lstsq_svd(ctx, NULL, &A, &B, -1.0, &X2, &rank), TSREC_E_NAN);
    tsrec__tensor *all[] = {&A, &B, &X, &X2, &xt, &bt, &xo, &Aw, &bw, &xw, &xw2};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(all); i++)
        tsrec__tensor_free(all[i]);
    tu_ctx_free_checked(ctx);
}

static void test_sym_eig(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 5);
    const int64_t n = 12;
    tsrec__tensor A = mat(ctx, TSREC__F64, n, n), V = mat(ctx, TSREC__F64, n, n);
    tsrec__tensor w = vec(ctx, n), w2 = vec(ctx, n);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j <= i; j++) {
            double v = rnd(&r);
            s(&A, i, j, v);
            s(&A, j, i, v);
        }
    assert_int_equal(tsrec__sym_eig(ctx, NULL, &A, &w, &V), TSREC_OK);
    for (int64_t j = 0; j < n; j++) {
        if (j > 0)
            assert_true(g(&w, j, 0) >= g(&w, j - 1, 0));
        for (int64_t i = 0; i < n; i++) {
            double av = 0, vv = 0;
            for (int64_t k = 0; k < n; k++) {
                av += g(&A, i, k) * g(&V, k, j);
                vv += g(&V, k, i) * g(&V, k, j); /* V^T V */
            }
            assert_true(fabs(av - g(&w, j, 0) * g(&V, i, j)) < 1e-12);
            assert_true(fabs(vv - (i == j ? 1.0 : 0.0)) < 1e-12);
        }
    }
    /* values only agree; the trace is the eigenvalue sum */
    assert_int_equal(tsrec__sym_eig(ctx, NULL, &A, &w2, NULL), TSREC_OK);
    double tr = 0, sum = 0;
    for (int64_t i = 0; i < n; i++) {
        assert_true(fabs(g(&w, i, 0) - g(&w2, i, 0)) < 1e-12);
        tr += g(&A, i, i);
        sum += g(&w2, i, 0);
    }
    assert_true(fabs(tr - sum) < 1e-12);
    /* known values: [[2,1],[1,2]] -> 1, 3 */
    tsrec__tensor B = mat(ctx, TSREC__F32, 2, 2), wb = vec(ctx, 2);
    const float bv[4] = {2, 1, 1, 2};
    memcpy(B.data, bv, sizeof(bv));
    assert_int_equal(tsrec__sym_eig(ctx, NULL, &B, &wb, NULL), TSREC_OK);
    assert_true(fabs(g(&wb, 0, 0) - 1.0) < 1e-12 && fabs(g(&wb, 1, 0) - 3.0) < 1e-12);
    assert_int_equal(tsrec__sym_eig(ctx, NULL, &A, &wb, NULL), TSREC_E_SHAPE);
    ((double *)A.data)[0] = NAN;
    assert_int_equal(tsrec__sym_eig(ctx, NULL, &A, &w, &V), TSREC_E_NAN);
    tsrec__tensor *all[] = {&A, &V, &w, &w2, &B, &wb};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(all); i++)
        tsrec__tensor_free(all[i]);
    tu_ctx_free_checked(ctx);
}

static void check_svd(tsrec_ctx *ctx, tsrec__rng *r, int64_t m, int64_t n)
{
    const int64_t k = m < n ? m : n;
    tsrec__tensor A = mat(ctx, TSREC__F64, m, n), U = mat(ctx, TSREC__F64, m, k);
    tsrec__tensor Vt = mat(ctx, TSREC__F64, k, n), sv = vec(ctx, k), s2 = vec(ctx, k);
    fill_rand(&A, r);
    assert_int_equal(tsrec__svd(ctx, NULL, &A, &sv, &U, &Vt), TSREC_OK);
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double v = 0;
            for (int64_t p = 0; p < k; p++)
                v += g(&U, i, p) * g(&sv, p, 0) * g(&Vt, p, j);
            assert_true(fabs(v - g(&A, i, j)) < 1e-12);
        }
    for (int64_t p = 0; p < k; p++) {
        if (p > 0)
            assert_true(g(&sv, p, 0) <= g(&sv, p - 1, 0));
        for (int64_t q = 0; q < k; q++) {
            double uu = 0, vv = 0;
            for (int64_t i = 0; i < m; i++)
                uu += g(&U, i, p) * g(&U, i, q);
            for (int64_t j = 0; j < n; j++)
                vv += g(&Vt, p, j) * g(&Vt, q, j);
            assert_true(fabs(uu - (p == q)) < 1e-12);
            assert_true(fabs(vv - (p == q)) < 1e-12);
        }
    }
    assert_int_equal(tsrec__svd(ctx, NULL, &A, &s2, NULL, NULL), TSREC_OK);
    for (int64_t p = 0; p < k; p++)
        assert_true(fabs(g(&sv, p, 0) - g(&s2, p, 0)) < 1e-12);
    tsrec__tensor *all[] = {&A, &U, &Vt, &sv, &s2};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(all); i++)
        tsrec__tensor_free(all[i]);
}

static void test_svd(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 6);
    check_svd(ctx, &r, 9, 4);
    check_svd(ctx, &r, 4, 9);
    check_svd(ctx, &r, 1, 1);
    check_svd(ctx, &r, 7, 7);
    /* known: diag(3, 2) padded */
    tsrec__tensor A = mat(ctx, TSREC__F64, 3, 2), sv = vec(ctx, 2), U = mat(ctx, TSREC__F64, 3, 2);
    s(&A, 0, 1, 2.0);
    s(&A, 2, 0, -3.0);
    assert_int_equal(tsrec__svd(ctx, NULL, &A, &sv, NULL, NULL), TSREC_OK);
    assert_true(fabs(g(&sv, 0, 0) - 3.0) < 1e-14 && fabs(g(&sv, 1, 0) - 2.0) < 1e-14);
    assert_int_equal(tsrec__svd(ctx, NULL, &A, &sv, &U, NULL), TSREC_E_INVALID_ARG);
    tsrec__tensor s3 = vec(ctx, 3);
    assert_int_equal(tsrec__svd(ctx, NULL, &A, &s3, NULL, NULL), TSREC_E_SHAPE);
    ((double *)A.data)[1] = NAN;
    assert_int_equal(tsrec__svd(ctx, NULL, &A, &sv, NULL, NULL), TSREC_E_NAN);
    /* empty matrix: nothing to do */
    tsrec__tensor E = mat(ctx, TSREC__F64, 0, 3), se = vec(ctx, 0);
    assert_int_equal(tsrec__svd(ctx, NULL, &E, &se, NULL, NULL), TSREC_OK);
    tsrec__tensor *all[] = {&A, &sv, &U, &s3, &E, &se};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(all); i++)
        tsrec__tensor_free(all[i]);
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cholesky),
        cmocka_unit_test(test_raw_potrf_potrs),
        cmocka_unit_test(test_general_solve),
        cmocka_unit_test(test_least_squares),
        cmocka_unit_test(test_sym_eig),
        cmocka_unit_test(test_svd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
