/* CBLAS wrappers against naive double-precision references, over
 * transposes, strided and transposed views, batching and edge sizes. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "blas_internal.h"
#include "rng_internal.h"
#include "tensor_internal.h"

static double rnd(tsrec__rng *r)
{
    return 2.0 * tsrec__rng_uniform(r) - 1.0;
}

static double getd(const tsrec__tensor *t, int64_t i, int64_t j)
{
    const int64_t idx[2] = {i, j};
    double v = 0;
    assert_int_equal(tsrec__tensor_get(t, NULL, idx, &v), TSREC_OK);
    return v;
}

static void fill_rand(tsrec__tensor *t, tsrec__rng *r)
{
    for (int64_t i = 0; i < t->shape[0]; i++)
        for (int64_t j = 0; j < t->shape[1]; j++) {
            const int64_t idx[2] = {i, j};
            assert_int_equal(tsrec__tensor_set(t, NULL, idx, rnd(r)), TSREC_OK);
        }
}

/* Normalised mean squared error of got against ref. */
static double nmse(const double *got, const double *ref, int64_t n)
{
    double num = 0, den = 0;
    for (int64_t i = 0; i < n; i++) {
        num += (got[i] - ref[i]) * (got[i] - ref[i]);
        den += ref[i] * ref[i];
    }
    return den > 0 ? num / den : num;
}

/* Allocate a 2-D tensor of logical shape r x c; layout 0 row-major,
 * 1 column-major (a transposed view of a c x r buffer), 2 row-major with a
 * padded leading dim (a column slice of a wider buffer). *owner keeps the
 * allocation. */
static void make_mat(tsrec_ctx *ctx, int32_t dtype, int64_t r, int64_t c, int layout,
                     tsrec__tensor *owner, tsrec__tensor *view)
{
    if (layout == 1) {
        const int64_t s[2] = {c, r};
        assert_int_equal(tsrec__tensor_alloc(owner, ctx, NULL, dtype, 2, s), TSREC_OK);
        assert_int_equal(tsrec__tensor_transpose(view, owner, NULL, 0, 1), TSREC_OK);
    } else if (layout == 2) {
        const int64_t s[2] = {r, c + 3};
        assert_int_equal(tsrec__tensor_alloc(owner, ctx, NULL, dtype, 2, s), TSREC_OK);
        assert_int_equal(tsrec__tensor_slice(view, owner, NULL, 1, 1, c + 1, 1), TSREC_OK);
    } else {
        const int64_t s[2] = {r, c};
        assert_int_equal(tsrec__tensor_alloc(owner, ctx, NULL, dtype, 2, s), TSREC_OK);
        *view = *owner;
        view->owns_data = 0;
    }
}

/* C = alpha op(A) op(B) + beta C in double, into ref (m x n row-major). */
static void naive_gemm(int ta, int tb, double alpha, const tsrec__tensor *A,
                       const tsrec__tensor *B, double beta, const tsrec__tensor *C, double *ref)
{
    int64_t m = C->shape[0], n = C->shape[1], k = ta ? A->shape[0] : A->shape[1];
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double s = 0;
            for (int64_t p = 0; p < k; p++)
                s += (ta ? getd(A, p, i) : getd(A, i, p)) * (tb ? getd(B, j, p) : getd(B, p, j));
            ref[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * getd(C, i, j));
        }
}

static void check_gemm_case(tsrec_ctx *ctx, tsrec__rng *r, int32_t dtype, int64_t m, int64_t n,
                            int64_t k, int ta, int tb, int la, int lb, int lc)
{
    tsrec__tensor oa, ob, oc, A, B, C;
    make_mat(ctx, dtype, ta ? k : m, ta ? m : k, la, &oa, &A);
    make_mat(ctx, dtype, tb ? n : k, tb ? k : n, lb, &ob, &B);
    make_mat(ctx, dtype, m, n, lc, &oc, &C);
    fill_rand(&A, r);
    fill_rand(&B, r);
    fill_rand(&C, r);
    const double alpha = 0.75, beta = (m + n) % 2 ? -0.5 : 0.0;
    double *ref = test_malloc((size_t)(m * n + 1) * sizeof(double));
    double *got = test_malloc((size_t)(m * n + 1) * sizeof(double));
    naive_gemm(ta, tb, alpha, &A, &B, beta, &C, ref);
    assert_int_equal(tsrec__gemm(NULL, ta, tb, alpha, &A, &B, beta, &C), TSREC_OK);
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++)
            got[i * n + j] = getd(&C, i, j);
    double e = nmse(got, ref, m * n);
    assert_true(e < (dtype == TSREC__F64 ? 1e-26 : 1e-11));
    test_free(ref);
    test_free(got);
    tsrec__tensor_free(&oa);
    tsrec__tensor_free(&ob);
    tsrec__tensor_free(&oc);
}

static void test_gemm_all_layouts(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 42);
    const int64_t sizes[][3] = {{1, 1, 1}, {3, 5, 7}, {8, 1, 9}, {1, 6, 2}, {17, 13, 11},
                                {0, 4, 3}, {4, 0, 3}, {4, 3, 0}, {33, 31, 64}};
    for (size_t s = 0; s < TSREC__ARRAY_LEN(sizes); s++)
        for (int dt = 1; dt <= 2; dt++)
            for (int t = 0; t < 4; t++)
                for (int lay = 0; lay < 27; lay++)
                    check_gemm_case(ctx, &r, dt, sizes[s][0], sizes[s][1], sizes[s][2], t & 1,
                                    (t >> 1) & 1, lay % 3, (lay / 3) % 3, lay / 9);
    tu_ctx_free_checked(ctx);
}

static void test_gemm_misuse(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__tensor A, B, C, s;
    const int64_t sa[2] = {3, 4}, sb[2] = {5, 2}, sc[2] = {3, 2};
    assert_int_equal(tsrec__tensor_alloc(&A, ctx, NULL, TSREC__F64, 2, sa), TSREC_OK);
    assert_int_equal(tsrec__tensor_alloc(&B, ctx, NULL, TSREC__F64, 2, sb), TSREC_OK);
    assert_int_equal(tsrec__tensor_alloc(&C, ctx, NULL, TSREC__F64, 2, sc), TSREC_OK);
    assert_int_equal(tsrec__gemm(NULL, 0, 0, 1, &A, &B, 0, &C), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "op(A) is 3x4, op(B) is 5x2, C is 3x2"));
    /* a non-unit inner stride on both dims is refused */
    assert_int_equal(tsrec__tensor_slice(&s, &B, NULL, 1, 0, 2, 2), TSREC_OK);
    assert_int_equal(tsrec__tensor_slice(&s, &s, NULL, 0, 0, 4, 1), TSREC_OK);
    const int64_t wide[2] = {5, 4};
    tsrec__tensor W;
    assert_int_equal(tsrec__tensor_alloc(&W, ctx, NULL, TSREC__F64, 2, wide), TSREC_OK);
    assert_int_equal(tsrec__tensor_slice(&s, &W, NULL, 1, 0, 4, 2), TSREC_OK); /* 5x2, stride 16 */
    assert_int_equal(tsrec__tensor_slice(&s, &s, NULL, 0, 0, 4, 1), TSREC_OK); /* 4x2 */
    assert_int_equal(tsrec__gemm(NULL, 0, 0, 1, &A, &s, 0, &C), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "unit stride"));
    /* dtype mismatch */
    tsrec__tensor F;
    const int64_t sf[2] = {4, 2};
    assert_int_equal(tsrec__tensor_alloc(&F, ctx, NULL, TSREC__F32, 2, sf), TSREC_OK);
    assert_int_equal(tsrec__gemm(NULL, 0, 0, 1, &A, &F, 0, &C), TSREC_E_INVALID_ARG);
    /* wrong ndim */
    tsrec__tensor v;
    assert_int_equal(tsrec__tensor_select(&v, &A, NULL, 0, 0), TSREC_OK);
    assert_int_equal(tsrec__gemm(NULL, 0, 0, 1, &v, &B, 0, &C), TSREC_E_SHAPE);
    /* raw forms: bad leading dims, negative sizes */
    double a[12] = {0}, b[8] = {0}, c[6] = {0};
    assert_int_equal(tsrec__gemm_f64(NULL, 0, 0, 3, 2, 4, 1, a, 3, b, 2, 0, c, 2), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "lda=3"));
    assert_int_equal(tsrec__gemm_f64(NULL, 0, 0, -1, 2, 4, 1, a, 4, b, 2, 0, c, 2), TSREC_E_SHAPE);
    assert_int_equal(tsrec__gemm_f64(NULL, 0, 0, 3, 2, 4, 1, NULL, 4, b, 2, 0, c, 2),
                     TSREC_E_INVALID_ARG);
    tsrec__tensor_free(&A);
    tsrec__tensor_free(&B);
    tsrec__tensor_free(&C);
    tsrec__tensor_free(&W);
    tsrec__tensor_free(&F);
    tu_ctx_free_checked(ctx);
}

static void test_gemm_raw_and_batched(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 7);
    enum { BATCH = 5, M = 4, N = 3, K = 6 };
    /* 3-D batched with a shared (batch 1) B, transposed A per batch */
    tsrec__tensor A, B, C;
    const int64_t sa[3] = {BATCH, K, M}, sb[3] = {1, K, N}, sc[3] = {BATCH, M, N};
    assert_int_equal(tsrec__tensor_alloc(&A, ctx, NULL, TSREC__F64, 3, sa), TSREC_OK);
    assert_int_equal(tsrec__tensor_alloc(&B, ctx, NULL, TSREC__F64, 3, sb), TSREC_OK);
    assert_int_equal(tsrec__tensor_alloc(&C, ctx, NULL, TSREC__F64, 3, sc), TSREC_OK);
    double *a = A.data, *b = B.data, *c = C.data;
    for (int i = 0; i < BATCH * K * M; i++)
        a[i] = rnd(&r);
    for (int i = 0; i < K * N; i++)
        b[i] = rnd(&r);
    assert_int_equal(tsrec__gemm_batched(NULL, 1, 0, 2.0, &A, &B, 0.0, &C), TSREC_OK);
    for (int bi = 0; bi < BATCH; bi++)
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int p = 0; p < K; p++)
                    s += a[bi * K * M + p * M + i] * b[p * N + j];
                assert_true(fabs(c[bi * M * N + i * N + j] - 2.0 * s) < 1e-12);
            }
    /* same through the strided raw form with stride_b = 0 */
    double out[BATCH * M * N];
    for (int i = 0; i < BATCH * M * N; i++)
        out[i] = 1.0;
    assert_int_equal(tsrec__gemm_strided_batched_f64(NULL, 1, 0, M, N, K, 2.0, a, M, K * M, b, N, 0,
                                                     1.0, out, N, M * N, BATCH),
                     TSREC_OK);
    for (int i = 0; i < BATCH * M * N; i++)
        assert_true(fabs(out[i] - (c[i] + 1.0)) < 1e-12);
    /* f32 raw gemm against the f64 result */
    float af[BATCH * K * M], bf[K * N], cf[M * N];
    for (int i = 0; i < K * M; i++)
        af[i] = (float)a[i];
    for (int i = 0; i < K * N; i++)
        bf[i] = (float)b[i];
    assert_int_equal(tsrec__gemm_f32(NULL, 1, 0, M, N, K, 2.0f, af, M, bf, N, 0.0f, cf, N), TSREC_OK);
    for (int i = 0; i < M * N; i++)
        assert_true(fabs(cf[i] - c[i]) < 1e-5);
    assert_int_equal(tsrec__gemm_strided_batched_f32(NULL, 1, 0, M, N, K, 1.0f, af, M, K * M, bf,
                                                     N, 0, 0.0f, cf, N, 0, 2),
                     TSREC_E_SHAPE);
    /* batch mismatch */
    const int64_t sbad[3] = {2, K, N};
    tsrec__tensor Bb;
    assert_int_equal(tsrec__tensor_alloc(&Bb, ctx, NULL, TSREC__F64, 3, sbad), TSREC_OK);
    assert_int_equal(tsrec__gemm_batched(NULL, 1, 0, 1.0, &A, &Bb, 0.0, &C), TSREC_E_SHAPE);
    assert_non_null(strstr(tsrec_last_error(), "batch sizes"));
    /* empty batch still checks the matrix shapes */
    tsrec__tensor A0, C0;
    assert_int_equal(tsrec__tensor_slice(&A0, &A, NULL, 0, 0, 0, 1), TSREC_OK);
    assert_int_equal(tsrec__tensor_slice(&C0, &C, NULL, 0, 0, 0, 1), TSREC_OK);
    assert_int_equal(tsrec__gemm_batched(NULL, 1, 0, 1.0, &A0, &B, 0.0, &C0), TSREC_OK);
    assert_int_equal(tsrec__gemm_batched(NULL, 0, 0, 1.0, &A0, &B, 0.0, &C0), TSREC_E_SHAPE);
    tsrec__tensor_free(&A);
    tsrec__tensor_free(&B);
    tsrec__tensor_free(&Bb);
    tsrec__tensor_free(&C);
    tu_ctx_free_checked(ctx);
}

static void test_gemv_and_level1(void **state)
{
    (void)state;
    tsrec_ctx *ctx = tu_ctx_new();
    tsrec__rng r;
    tsrec__rng_seed(&r, 99);
    for (int dt = 1; dt <= 2; dt++) {
        const double tol = dt == TSREC__F64 ? 1e-12 : 1e-4;
        for (int lay = 0; lay < 3; lay++)
            for (int trans = 0; trans < 2; trans++) {
                const int64_t m = 7, n = 5;
                tsrec__tensor oa, A, X, Y, xr, yr;
                make_mat(ctx, dt, trans ? n : m, trans ? m : n, lay, &oa, &A);
                fill_rand(&A, &r);
                /* x: every other element of a buffer, y: reversed */
                const int64_t sx[1] = {2 * n}, sy[1] = {m};
                assert_int_equal(tsrec__tensor_alloc(&X, ctx, NULL, dt, 1, sx), TSREC_OK);
                assert_int_equal(tsrec__tensor_alloc(&Y, ctx, NULL, dt, 1, sy), TSREC_OK);
                assert_int_equal(tsrec__tensor_slice(&xr, &X, NULL, 0, 0, 2 * n, 2), TSREC_OK);
                const int64_t rs[1] = {-(int64_t)tsrec__dtype_size(dt)};
                assert_int_equal(tsrec__tensor_view(&yr, NULL, NULL, dt,
                                                    (char *)Y.data + (m - 1) * -rs[0], 1, sy, rs),
                                 TSREC_OK);
                double xv[5], yv[7], ref[7];
                for (int64_t i = 0; i < n; i++) {
                    xv[i] = rnd(&r);
                    assert_int_equal(tsrec__tensor_set(&xr, NULL, &i, xv[i]), TSREC_OK);
                }
                for (int64_t i = 0; i < m; i++) {
                    yv[i] = rnd(&r);
                    assert_int_equal(tsrec__tensor_set(&yr, NULL, &i, yv[i]), TSREC_OK);
                    double s = 0;
                    for (int64_t j = 0; j < n; j++)
                        s += (trans ? getd(&A, j, i) : getd(&A, i, j)) * xv[j];
                    ref[i] = 1.5 * s - 0.25 * yv[i];
                }
                assert_int_equal(tsrec__gemv(NULL, trans, 1.5, &A, &xr, -0.25, &yr), TSREC_OK);
                for (int64_t i = 0; i < m; i++) {
                    double v;
                    assert_int_equal(tsrec__tensor_get(&yr, NULL, &i, &v), TSREC_OK);
                    assert_true(fabs(v - ref[i]) < tol);
                }
                /* wrong x length */
                assert_int_equal(tsrec__gemv(NULL, !trans, 1.0, &A, &xr, 0.0, &yr), TSREC_E_SHAPE);
                tsrec__tensor_free(&oa);
                tsrec__tensor_free(&X);
                tsrec__tensor_free(&Y);
            }
        /* level 1 on a strided x and reversed y */
        const int64_t n = 9, s2[1] = {2 * n}, s1[1] = {n};
        tsrec__tensor X, Y, xs, yrev;
        assert_int_equal(tsrec__tensor_alloc(&X, ctx, NULL, dt, 1, s2), TSREC_OK);
        assert_int_equal(tsrec__tensor_alloc(&Y, ctx, NULL, dt, 1, s1), TSREC_OK);
        assert_int_equal(tsrec__tensor_slice(&xs, &X, NULL, 0, 1, 2 * n, 2), TSREC_OK);
        const int64_t rs[1] = {-(int64_t)tsrec__dtype_size(dt)};
        assert_int_equal(tsrec__tensor_view(&yrev, NULL, NULL, dt,
                                            (char *)Y.data + (n - 1) * -rs[0], 1, s1, rs),
                         TSREC_OK);
        double xv[9], yv[9], dot = 0, nrm = 0;
        for (int64_t i = 0; i < n; i++) {
            xv[i] = rnd(&r);
            yv[i] = rnd(&r);
            assert_int_equal(tsrec__tensor_set(&xs, NULL, &i, xv[i]), TSREC_OK);
            assert_int_equal(tsrec__tensor_set(&yrev, NULL, &i, yv[i]), TSREC_OK);
            xv[i] = dt == TSREC__F32 ? (double)(float)xv[i] : xv[i];
            yv[i] = dt == TSREC__F32 ? (double)(float)yv[i] : yv[i];
            dot += xv[i] * yv[i];
            nrm += xv[i] * xv[i];
        }
        double got;
        assert_int_equal(tsrec__dot(NULL, &xs, &yrev, &got), TSREC_OK);
        assert_true(fabs(got - dot) < tol);
        assert_int_equal(tsrec__nrm2(NULL, &xs, &got), TSREC_OK);
        assert_true(fabs(got - sqrt(nrm)) < tol);
        assert_int_equal(tsrec__nrm2(NULL, &yrev, &got), TSREC_OK);
        assert_true(got > 0);
        assert_int_equal(tsrec__axpy(NULL, 3.0, &xs, &yrev), TSREC_OK);
        for (int64_t i = 0; i < n; i++) {
            double v;
            assert_int_equal(tsrec__tensor_get(&yrev, NULL, &i, &v), TSREC_OK);
            assert_true(fabs(v - (yv[i] + 3.0 * xv[i])) < tol);
        }
        assert_int_equal(tsrec__scal(NULL, -2.0, &yrev), TSREC_OK);
        for (int64_t i = 0; i < n; i++) {
            double v;
            assert_int_equal(tsrec__tensor_get(&yrev, NULL, &i, &v), TSREC_OK);
            assert_true(fabs(v + 2.0 * (yv[i] + 3.0 * xv[i])) < 4 * tol);
        }
        /* length mismatch and zero stride */
        tsrec__tensor xshort;
        assert_int_equal(tsrec__tensor_slice(&xshort, &xs, NULL, 0, 0, n - 1, 1), TSREC_OK);
        assert_int_equal(tsrec__dot(NULL, &xshort, &yrev, &got), TSREC_E_SHAPE);
        assert_non_null(strstr(tsrec_last_error(), "x has 8 elements, y has 9"));
        tsrec__tensor z = xs;
        z.strides[0] = 0;
        assert_int_equal(tsrec__axpy(NULL, 1.0, &z, &yrev), TSREC_E_SHAPE);
        /* empty vectors */
        tsrec__tensor e0, e1;
        assert_int_equal(tsrec__tensor_slice(&e0, &xs, NULL, 0, 0, 0, 1), TSREC_OK);
        assert_int_equal(tsrec__tensor_slice(&e1, &yrev, NULL, 0, 0, 0, 1), TSREC_OK);
        assert_int_equal(tsrec__dot(NULL, &e0, &e1, &got), TSREC_OK);
        assert_true(got == 0.0);
        tsrec__tensor_free(&X);
        tsrec__tensor_free(&Y);
    }
    tu_ctx_free_checked(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gemm_all_layouts),
        cmocka_unit_test(test_gemm_misuse),
        cmocka_unit_test(test_gemm_raw_and_batched),
        cmocka_unit_test(test_gemv_and_level1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
