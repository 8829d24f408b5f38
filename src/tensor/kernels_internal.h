/* Element-wise and reduction kernels (src/tensor/kernels.c) on contiguous
 * float and double arrays: raw pointer + count, no status, no allocation.
 * Callers validate sizes; n == 0 is always allowed (pointers then unused).
 *
 * Maps (y = f(x)) and binary ops may run in place (y == x, y == a or
 * y == b); other partial overlaps are not allowed. The loops are plain so
 * the compiler can vectorise them (GCC versions them on a run-time overlap
 * check, which is why the pointers are not restrict-qualified: restrict
 * would make the in-place use undefined).
 *
 * Reductions of f32 data accumulate in double and return double.
 * Numerics: sigmoid and softplus never overflow; softmax, log-softmax and
 * log-sum-exp subtract the row maximum. NaN inputs propagate. Special rows:
 * log-sum-exp of an empty or all -inf input is -inf, with a +inf entry
 * +inf; softmax/log-softmax of a row whose maximum is not finite (all -inf,
 * or a +inf entry) is all NaN, as is a row containing NaN. */
#ifndef TSREC_KERNELS_INTERNAL_H
#define TSREC_KERNELS_INTERNAL_H

#include <stdint.h>

/* ---- f64 ---- */
void tsrec__k_exp_f64(const double *x, double *y, int64_t n);
void tsrec__k_log_f64(const double *x, double *y, int64_t n);
void tsrec__k_log1p_f64(const double *x, double *y, int64_t n);
void tsrec__k_tanh_f64(const double *x, double *y, int64_t n);
void tsrec__k_sigmoid_f64(const double *x, double *y, int64_t n);
void tsrec__k_softplus_f64(const double *x, double *y, int64_t n); /* log(1 + e^x) */
void tsrec__k_relu_f64(const double *x, double *y, int64_t n);     /* NaN stays NaN */
void tsrec__k_add_f64(const double *a, const double *b, double *y, int64_t n);
void tsrec__k_mul_f64(const double *a, const double *b, double *y, int64_t n);
void tsrec__k_scale_f64(double alpha, const double *x, double *y, int64_t n);
/* y = alpha x + beta y; beta == 0 does not read y */
void tsrec__k_axpby_f64(double alpha, const double *x, double beta, double *y, int64_t n);
double tsrec__k_sum_f64(const double *x, int64_t n);
double tsrec__k_mean_f64(const double *x, int64_t n);            /* NaN if n == 0 */
double tsrec__k_var_f64(const double *x, int64_t n, int64_t ddof); /* NaN if n <= ddof */
double tsrec__k_min_f64(const double *x, int64_t n);             /* +inf if n == 0 */
double tsrec__k_max_f64(const double *x, int64_t n);             /* -inf if n == 0 */
/* index of the first maximum (of the first NaN if any), -1 if n == 0 */
int64_t tsrec__k_argmax_f64(const double *x, int64_t n);
double tsrec__k_logsumexp_f64(const double *x, int64_t n);
/* row-wise over a row-major rows x cols array; out has rows entries */
void tsrec__k_logsumexp_rows_f64(const double *x, double *out, int64_t rows, int64_t cols);
void tsrec__k_softmax_rows_f64(const double *x, double *y, int64_t rows, int64_t cols);
void tsrec__k_log_softmax_rows_f64(const double *x, double *y, int64_t rows, int64_t cols);

/* ---- f32 ---- */
void tsrec__k_exp_f32(const float *x, float *y, int64_t n);
void tsrec__k_log_f32(const float *x, float *y, int64_t n);
void tsrec__k_log1p_f32(const float *x, float *y, int64_t n);
void tsrec__k_tanh_f32(const float *x, float *y, int64_t n);
void tsrec__k_sigmoid_f32(const float *x, float *y, int64_t n);
void tsrec__k_softplus_f32(const float *x, float *y, int64_t n); /* log(1 + e^x) */
void tsrec__k_relu_f32(const float *x, float *y, int64_t n);     /* NaN stays NaN */
void tsrec__k_add_f32(const float *a, const float *b, float *y, int64_t n);
void tsrec__k_mul_f32(const float *a, const float *b, float *y, int64_t n);
void tsrec__k_scale_f32(float alpha, const float *x, float *y, int64_t n);
/* y = alpha x + beta y; beta == 0 does not read y */
void tsrec__k_axpby_f32(float alpha, const float *x, float beta, float *y, int64_t n);
double tsrec__k_sum_f32(const float *x, int64_t n);
double tsrec__k_mean_f32(const float *x, int64_t n);            /* NaN if n == 0 */
double tsrec__k_var_f32(const float *x, int64_t n, int64_t ddof); /* NaN if n <= ddof */
double tsrec__k_min_f32(const float *x, int64_t n);             /* +inf if n == 0 */
double tsrec__k_max_f32(const float *x, int64_t n);             /* -inf if n == 0 */
/* index of the first maximum (of the first NaN if any), -1 if n == 0 */
int64_t tsrec__k_argmax_f32(const float *x, int64_t n);
double tsrec__k_logsumexp_f32(const float *x, int64_t n);
/* row-wise over a row-major rows x cols array; out has rows entries */
void tsrec__k_logsumexp_rows_f32(const float *x, float *out, int64_t rows, int64_t cols);
void tsrec__k_softmax_rows_f32(const float *x, float *y, int64_t rows, int64_t cols);
void tsrec__k_log_softmax_rows_f32(const float *x, float *y, int64_t rows, int64_t cols);

#endif /* TSREC_KERNELS_INTERNAL_H */
