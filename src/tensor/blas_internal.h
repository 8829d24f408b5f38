/* Thin CBLAS wrappers (src/tensor/blas.c) for f32 and f64.
 *
 * Tensor forms check dtypes, shapes and layouts and return TSREC_E_SHAPE
 * with a message giving the shapes; they never allocate. A 2-D operand may
 * be row-major (unit stride on dim 1) or column-major (unit stride on
 * dim 0, e.g. a tsrec__tensor_transpose view): the wrapper picks the BLAS
 * transpose flag, so no data is copied. Other layouts give TSREC_E_SHAPE.
 * Vectors may have any non-zero element stride (negative too).
 *
 * Outputs must not overlap inputs (BLAS semantics). As in BLAS, C (or y)
 * is not read when beta == 0, so it may hold NaN or garbage.
 * The library never changes OpenBLAS's thread count. */
#ifndef TSREC_BLAS_INTERNAL_H
#define TSREC_BLAS_INTERNAL_H

#include <stdint.h>

#include "core_internal.h"
#include "tensor_internal.h"

/* C = alpha * op(A) op(B) + beta * C; op(X) = X^T when trans_x != 0.
 * All three 2-D and of the same dtype. */
int tsrec__gemm(tsrec__handle *eh, int trans_a, int trans_b, double alpha,
                const tsrec__tensor *A, const tsrec__tensor *B, double beta,
                tsrec__tensor *C);

/* Batched gemm over the leading dim of 3-D tensors: C[i] = alpha op(A[i])
 * op(B[i]) + beta C[i]. A or B may have a batch size of 1, which is then
 * shared by every C[i] (e.g. one weight matrix for a batch). */
int tsrec__gemm_batched(tsrec__handle *eh, int trans_a, int trans_b, double alpha,
                        const tsrec__tensor *A, const tsrec__tensor *B, double beta,
                        tsrec__tensor *C);

/* Raw row-major forms: op(A) is m x k, op(B) is k x n, C is m x n; leading
 * dims in elements. Validates sizes (>= 0, fit in a BLAS int) and leading
 * dims; NULL pointers are accepted only for empty operands. */
int tsrec__gemm_f64(tsrec__handle *eh, int trans_a, int trans_b, int64_t m, int64_t n,
                    int64_t k, double alpha, const double *A, int64_t lda, const double *B,
                    int64_t ldb, double beta, double *C, int64_t ldc);
int tsrec__gemm_f32(tsrec__handle *eh, int trans_a, int trans_b, int64_t m, int64_t n,
                    int64_t k, float alpha, const float *A, int64_t lda, const float *B,
                    int64_t ldb, float beta, float *C, int64_t ldc);

/* Strided batch: matrix i of A starts at A + i * stride_a (elements), etc.
 * stride_a or stride_b may be 0 to share one matrix across the batch. */
int tsrec__gemm_strided_batched_f64(tsrec__handle *eh, int trans_a, int trans_b, int64_t m,
                                    int64_t n, int64_t k, double alpha, const double *A,
                                    int64_t lda, int64_t stride_a, const double *B, int64_t ldb,
                                    int64_t stride_b, double beta, double *C, int64_t ldc,
                                    int64_t stride_c, int64_t batch);
int tsrec__gemm_strided_batched_f32(tsrec__handle *eh, int trans_a, int trans_b, int64_t m,
                                    int64_t n, int64_t k, float alpha, const float *A,
                                    int64_t lda, int64_t stride_a, const float *B, int64_t ldb,
                                    int64_t stride_b, float beta, float *C, int64_t ldc,
                                    int64_t stride_c, int64_t batch);

/* y = alpha * op(A) x + beta * y; A 2-D, x and y 1-D, same dtype. */
int tsrec__gemv(tsrec__handle *eh, int trans, double alpha, const tsrec__tensor *A,
                const tsrec__tensor *x, double beta, tsrec__tensor *y);

/* Level 1 on 1-D tensors of the same dtype and length. The f32 dot
 * accumulates in double (dsdot). */
int tsrec__axpy(tsrec__handle *eh, double alpha, const tsrec__tensor *x, tsrec__tensor *y);
int tsrec__dot(tsrec__handle *eh, const tsrec__tensor *x, const tsrec__tensor *y,
               double *out_value);
int tsrec__nrm2(tsrec__handle *eh, const tsrec__tensor *x, double *out_value);
int tsrec__scal(tsrec__handle *eh, double alpha, tsrec__tensor *x);

#endif /* TSREC_BLAS_INTERNAL_H */
