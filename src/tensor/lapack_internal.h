/* LAPACKE wrappers (src/tensor/lapack.c) for dense linear algebra.
 *
 * Tensor forms accept f32 or f64 tensors of any strides (a 1-D right-hand
 * side counts as one column) and compute in f64: the inputs are copied into
 * a column-major workspace from the ctx allocator, so they are never
 * overwritten and outputs may alias inputs. Outputs may be f32 or f64.
 * All workspace comes from the ctx (the *_work LAPACKE entry points with
 * column-major layout, which do not allocate); OpenBLAS's own internal
 * buffers are outside the ctx allocator's reach.
 *
 * Status: TSREC_E_SHAPE (dimensions), TSREC_E_NAN (non-finite input),
 * TSREC_E_SINGULAR (not positive definite, singular, rank deficient),
 * TSREC_E_NOT_CONVERGED (iterative eigen/SVD solvers), TSREC_E_NUMERIC
 * (LAPACK rejected an argument: info < 0), TSREC_E_NOMEM. */
#ifndef TSREC_LAPACK_INTERNAL_H
#define TSREC_LAPACK_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"
#include "tensor_internal.h"

/* Cholesky factor A = L L^T of a symmetric positive definite n x n A (only
 * its lower triangle is read). L gets the factor with zeros above the
 * diagonal. Not SPD -> TSREC_E_SINGULAR naming the leading minor. */
int tsrec__chol(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A, tsrec__tensor *L);
/* Solve A X = B given L from tsrec__chol (lower triangle read); B is n x r. */
int tsrec__chol_solve(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *L,
                      const tsrec__tensor *B, tsrec__tensor *X);
/* Factor and solve in one call. */
int tsrec__spd_solve(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                     const tsrec__tensor *B, tsrec__tensor *X);
/* Inverse of an SPD matrix (full symmetric result). */
int tsrec__spd_inverse(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                       tsrec__tensor *Ainv);

/* General square solve A X = B by LU with partial pivoting. A matrix that is
 * singular, or whose reciprocal condition number is below machine epsilon,
 * gives TSREC_E_SINGULAR. */
int tsrec__solve(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                 const tsrec__tensor *B, tsrec__tensor *X);

/* Least squares min ||A X - B|| for A m x n, B m x r, X n x r, by QR (m >= n)
 * or minimum norm (m < n) with dgels. A rank-deficient A (a diagonal entry
 * of the triangular factor that is zero or negligible against the largest)
 * gives TSREC_E_SINGULAR: use tsrec__lstsq_svd then. */
int tsrec__lstsq_qr(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                    const tsrec__tensor *B, tsrec__tensor *X);
/* Minimum-norm least squares by SVD (dgelsd): singular values below
 * rcond * s_max count as zero (rcond < 0: machine epsilon). Never
 * TSREC_E_SINGULAR; out_rank (may be NULL) gets the effective rank. */
int tsrec__lstsq_svd(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A,
                     const tsrec__tensor *B, double rcond, tsrec__tensor *X,
                     int64_t *out_rank);

/* Eigen decomposition of a symmetric n x n A (lower triangle read):
 * eigenvalues ascending in w (1-D, n); V (n x n, may be NULL) gets the
 * orthonormal eigenvectors as columns. */
int tsrec__sym_eig(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A, tsrec__tensor *w,
                   tsrec__tensor *V);

/* Thin SVD A = U diag(s) Vt of an m x n A, k = min(m, n): s (1-D, k)
 * descending; U (m x k) and Vt (k x n) may both be NULL for values only. */
int tsrec__svd(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__tensor *A, tsrec__tensor *s,
               tsrec__tensor *U, tsrec__tensor *Vt);

/* Raw in-place forms on a row-major n x n f64 matrix with leading dim lda,
 * for hot loops that keep their own buffers (no allocation):
 * potrf overwrites the lower triangle with L (upper triangle untouched);
 * potrs solves L L^T X = B in place on B (n x nrhs, row-major, ldb). */
int tsrec__potrf_f64(tsrec__handle *eh, int64_t n, double *a, int64_t lda);
int tsrec__potrs_f64(tsrec__handle *eh, int64_t n, int64_t nrhs, const double *l, int64_t ldl,
                     double *b, int64_t ldb);

#endif /* TSREC_LAPACK_INTERNAL_H */
