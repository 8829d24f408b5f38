/* Tensor core (src/tensor/tensor.c): small f32/f64 arrays of up to four
 * dimensions with *byte* strides, either owning their data or viewing
 * memory that someone else owns.
 *
 * A tsrec__tensor is a plain value (no allocation for the struct itself):
 * views, slices, selections and reshapes are built into a caller-provided
 * struct and never allocate, so only tsrec__tensor_alloc and
 * tsrec__tensor_clone can fail with TSREC_E_NOMEM. A view never outlives
 * the memory it views; freeing a view is a no-op on the data.
 *
 * Strides may be negative (a reversed view) or zero on a dimension of
 * size <= 1; they must be multiples of the element size. */
#ifndef TSREC_TENSOR_INTERNAL_H
#define TSREC_TENSOR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

/* Element types, passed as int32_t (never enum-typed). */
enum {
    TSREC__F32 = 1,
    TSREC__F64 = 2
};

#define TSREC__TENSOR_MAX_DIMS 4

/* Owned data is aligned for SIMD and BLAS. */
#define TSREC__TENSOR_ALIGN 64

typedef struct tsrec__tensor {
    int32_t dtype;                            /* TSREC__F32 or TSREC__F64 */
    int32_t ndim;                             /* 0..4; 0 is a scalar */
    int64_t shape[TSREC__TENSOR_MAX_DIMS];    /* unused entries are 1 */
    int64_t strides[TSREC__TENSOR_MAX_DIMS];  /* bytes; unused entries 0 */
    void *data;                               /* first element (may be NULL if empty) */
    int32_t owns_data;                        /* 1: data came from tsrec__tensor_alloc */
    tsrec_ctx *ctx;                           /* allocator for owned data */
} tsrec__tensor;

/* Size in bytes of one element, 0 for an unknown dtype. */
size_t tsrec__dtype_size(int32_t dtype);

/* A new contiguous row-major, zeroed, 64-byte aligned tensor.
 * Returns TSREC_OK, TSREC_E_INVALID_ARG (dtype, ctx or out), TSREC_E_SHAPE
 * (ndim outside 0..4, a negative dim, byte size overflow) or TSREC_E_NOMEM.
 * On failure *out is a valid empty tensor that tsrec__tensor_free accepts. */
int tsrec__tensor_alloc(tsrec__tensor *out, tsrec_ctx *ctx, tsrec__handle *eh,
                        int32_t dtype, int32_t ndim, const int64_t *shape);

/* A view over caller memory. strides are in bytes; NULL means contiguous
 * row-major. data may be NULL only when the view is empty. Validates ndim,
 * dims, stride multiples and that the byte extent fits in ptrdiff_t. */
int tsrec__tensor_view(tsrec__tensor *out, tsrec_ctx *ctx, tsrec__handle *eh,
                       int32_t dtype, void *data, int32_t ndim,
                       const int64_t *shape, const int64_t *strides);

/* Free owned data and reset *t to an empty tensor. NULL is a no-op. A view
 * is only reset. */
void tsrec__tensor_free(tsrec__tensor *t);

int64_t tsrec__tensor_numel(const tsrec__tensor *t);
/* numel * element size (the size of the data when contiguous). */
size_t tsrec__tensor_nbytes(const tsrec__tensor *t);
/* 1 if elements are laid out row-major without gaps (dims of size <= 1 and
 * empty tensors count as contiguous whatever their strides), else 0. */
int tsrec__tensor_is_contiguous(const tsrec__tensor *t);
/* 1 if a and b have the same ndim and shape. */
int tsrec__tensor_same_shape(const tsrec__tensor *a, const tsrec__tensor *b);

/* Sub-views (no allocation; out may alias t).
 * slice: elements start, start+step, ... < stop along `dim` (step >= 1,
 *   0 <= start <= stop <= shape[dim]).
 * select: fix `dim` at `index`, dropping that dimension.
 * transpose: swap dims d0 and d1.
 * reshape: a contiguous tensor seen with a new shape of the same numel. */
int tsrec__tensor_slice(tsrec__tensor *out, const tsrec__tensor *t, tsrec__handle *eh,
                        int32_t dim, int64_t start, int64_t stop, int64_t step);
int tsrec__tensor_select(tsrec__tensor *out, const tsrec__tensor *t, tsrec__handle *eh,
                         int32_t dim, int64_t index);
int tsrec__tensor_transpose(tsrec__tensor *out, const tsrec__tensor *t, tsrec__handle *eh,
                            int32_t d0, int32_t d1);
int tsrec__tensor_reshape(tsrec__tensor *out, const tsrec__tensor *t, tsrec__handle *eh,
                          int32_t ndim, const int64_t *shape);

/* Element access by a multi-index of t->ndim entries (ignored for ndim 0).
 * TSREC_E_OUT_OF_RANGE for an index outside the shape. */
int tsrec__tensor_get(const tsrec__tensor *t, tsrec__handle *eh, const int64_t *idx,
                      double *out_value);
int tsrec__tensor_set(tsrec__tensor *t, tsrec__handle *eh, const int64_t *idx, double value);

/* dst[...] = src[...] for tensors of the same shape, any strides, with
 * dtype conversion. dst and src must not overlap (unless identical views). */
int tsrec__tensor_copy(tsrec__tensor *dst, const tsrec__tensor *src, tsrec__handle *eh);
/* A new contiguous tensor of dtype `dtype` holding a copy of src. */
int tsrec__tensor_clone(tsrec__tensor *out, const tsrec__tensor *src, tsrec_ctx *ctx,
                        tsrec__handle *eh, int32_t dtype);
/* Set every element to value (rounded to f32 for f32 tensors). */
int tsrec__tensor_fill(tsrec__tensor *t, tsrec__handle *eh, double value);
/* TSREC_E_NAN if any element is NaN or infinite; `what` names the tensor
 * in the message. */
int tsrec__tensor_check_finite(const tsrec__tensor *t, tsrec__handle *eh, const char *what);

#endif /* TSREC_TENSOR_INTERNAL_H */
