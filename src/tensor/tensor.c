/* Tensor core: creation, views, element access, copy and fill.
 * See tensor_internal.h for the contract. */
#include "tensor_internal.h"

#include <math.h>
#include <string.h>

size_t tsrec__dtype_size(int32_t dtype)
{
    switch (dtype) {
    case TSREC__F32: return sizeof(float);
    case TSREC__F64: return sizeof(double);
    default: return 0;
    }
}

static void reset(tsrec__tensor *t)
{
    memset(t, 0, sizeof(*t));
    t->dtype = TSREC__F64;
    for (int i = 0; i < TSREC__TENSOR_MAX_DIMS; i++)
        t->shape[i] = 1;
}

/* Validate ndim and dims; on success *out_numel and *out_bytes hold the
 * element count and the byte size of a contiguous layout. */
static int check_shape(tsrec__handle *eh, const char *fn, int32_t dtype, int32_t ndim,
                       const int64_t *shape, int64_t *out_numel, size_t *out_bytes)
{
    size_t es = tsrec__dtype_size(dtype);
    if (es == 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: unknown dtype %d", fn, (int)dtype);
    if (ndim < 0 || ndim > TSREC__TENSOR_MAX_DIMS)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: ndim %d is outside 0..%d", fn, (int)ndim,
                           TSREC__TENSOR_MAX_DIMS);
    if (ndim > 0 && shape == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: shape is NULL", fn);
    /* Bound the element count by what a byte size can hold, so numel fits
     * int64 and numel * es fits size_t and ptrdiff_t. */
    const uint64_t limit = (uint64_t)PTRDIFF_MAX / es;
    uint64_t n = 1;
    int zero = 0;
    for (int32_t i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return tsrec__fail(eh, TSREC_E_SHAPE, "%s: dim %d is negative (%lld)", fn, (int)i,
                               (long long)shape[i]);
        if (shape[i] == 0)
            zero = 1;
    }
    for (int32_t i = 0; i < ndim && !zero; i++) {
        uint64_t d = (uint64_t)shape[i];
        if (d != 0 && n > limit / d)
            return tsrec__fail(eh, TSREC_E_SHAPE, "%s: shape is too large (byte size overflows)",
                               fn);
        n *= d;
    }
    if (zero)
        n = 0;
    *out_numel = (int64_t)n;
    *out_bytes = (size_t)n * es;
    return TSREC_OK;
}

static void set_contiguous_strides(tsrec__tensor *t)
{
    int64_t s = (int64_t)tsrec__dtype_size(t->dtype);
    for (int32_t i = t->ndim - 1; i >= 0; i--) {
        t->strides[i] = s;
        s *= t->shape[i] > 0 ? t->shape[i] : 1;
    }
}

int tsrec__tensor_alloc(tsrec__tensor *out, tsrec_ctx *ctx, tsrec__handle *eh,
                        int32_t dtype, int32_t ndim, const int64_t *shape)
{
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tensor_alloc: out is NULL");
    reset(out);
    if (ctx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tensor_alloc: ctx is NULL");
    int64_t numel = 0;
    size_t bytes = 0;
    int rc = check_shape(eh, "tensor_alloc", dtype, ndim, shape, &numel, &bytes);
    if (rc != TSREC_OK)
        return rc;
    /* Always allocate (at least one byte) so an owned tensor has a data
     * pointer and the OOM path is exercised for empty shapes too. */
    void *p = tsrec__alloc_aligned(ctx, bytes ? bytes : 1, TSREC__TENSOR_ALIGN);
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "tensor_alloc: out of memory (%zu bytes)", bytes);
    memset(p, 0, bytes);
    out->dtype = dtype;
    out->ndim = ndim;
    for (int32_t i = 0; i < ndim; i++)
        out->shape[i] = shape[i];
    set_contiguous_strides(out);
    out->data = p;
    out->owns_data = 1;
    out->ctx = ctx;
    return TSREC_OK;
}

int tsrec__tensor_view(tsrec__tensor *out, tsrec_ctx *ctx, tsrec__handle *eh,
                       int32_t dtype, void *data, int32_t ndim,
                       const int64_t *shape, const int64_t *strides)
{
    if (out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tensor_view: out is NULL");
    reset(out);
    int64_t numel = 0;
    size_t bytes = 0;
    int rc = check_shape(eh, "tensor_view", dtype, ndim, shape, &numel, &bytes);
    if (rc != TSREC_OK)
        return rc;
    if (data == NULL && numel > 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tensor_view: data is NULL for %lld elements",
                           (long long)numel);
    const int64_t es = (int64_t)tsrec__dtype_size(dtype);
    tsrec__tensor v;
    reset(&v);
    v.dtype = dtype;
    v.ndim = ndim;
    for (int32_t i = 0; i < ndim; i++)
        v.shape[i] = shape[i];
    if (strides == NULL) {
        set_contiguous_strides(&v);
    } else {
        /* The farthest byte reached on either side of data must fit in
         * ptrdiff_t, so pointer arithmetic on any element is defined. */
        int64_t reach = 0;
        for (int32_t i = 0; i < ndim; i++) {
            int64_t s = strides[i];
            if (s % es != 0)
                return tsrec__fail(eh, TSREC_E_SHAPE,
                                   "tensor_view: stride %d (%lld bytes) is not a multiple of the "
                                   "element size %lld",
                                   (int)i, (long long)s, (long long)es);
            if (s == INT64_MIN)
                return tsrec__fail(eh, TSREC_E_SHAPE, "tensor_view: stride %d overflows", (int)i);
            int64_t as = s < 0 ? -s : s;
            int64_t span_n = shape[i] > 1 ? shape[i] - 1 : 0;
            if (numel > 0 && span_n > 0) {
                if (as != 0 && span_n > (int64_t)(PTRDIFF_MAX / as))
                    return tsrec__fail(eh, TSREC_E_SHAPE,
                                       "tensor_view: extent of dim %d overflows", (int)i);
                int64_t span = span_n * as;
                if (reach > (int64_t)PTRDIFF_MAX - es - span)
                    return tsrec__fail(eh, TSREC_E_SHAPE, "tensor_view: extent overflows");
                reach += span;
            }
            v.strides[i] = s;
        }
    }
    v.data = data;
    v.owns_data = 0;
    v.ctx = ctx;
    *out = v;
    return TSREC_OK;
}

void tsrec__tensor_free(tsrec__tensor *t)
{
    if (t == NULL)
        return;
    if (t->owns_data && t->ctx != NULL)
        tsrec__free(t->ctx, t->data);
    reset(t);
}

int64_t tsrec__tensor_numel(const tsrec__tensor *t)
{
    int64_t n = 1;
    for (int32_t i = 0; i < t->ndim; i++)
        n *= t->shape[i];
    return n;
}

size_t tsrec__tensor_nbytes(const tsrec__tensor *t)
{
    return (size_t)tsrec__tensor_numel(t) * tsrec__dtype_size(t->dtype);
}

int tsrec__tensor_is_contiguous(const tsrec__tensor *t)
{
    if (tsrec__tensor_numel(t) == 0)
        return 1;
    int64_t expect = (int64_t)tsrec__dtype_size(t->dtype);
    for (int32_t i = t->ndim - 1; i >= 0; i--) {
        if (t->shape[i] == 1)
            continue;
        if (t->strides[i] != expect)
            return 0;
        expect *= t->shape[i];
    }
    return 1;
}

int tsrec__tensor_same_shape(const tsrec__tensor *a, const tsrec__tensor *b)
{
    if (a->ndim != b->ndim)
        return 0;
    for (int32_t i = 0; i < a->ndim; i++)
        if (a->shape[i] != b->shape[i])
            return 0;
    return 1;
}

static int check_dim(tsrec__handle *eh, const char *fn, const tsrec__tensor *t, int32_t dim)
{
    if (dim < 0 || dim >= t->ndim)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: dim %d is outside 0..%d", fn, (int)dim,
                           (int)t->ndim - 1);
    return TSREC_OK;
}

int tsrec__tensor_slice(tsrec__tensor *out, const tsrec__tensor *t, tsrec__handle *eh,
                        int32_t dim, int64_t start, int64_t stop, int64_t step)
{
    int rc = check_dim(eh, "tensor_slice", t, dim);
    if (rc != TSREC_OK)
        return rc;
    if (step < 1 || start < 0 || stop < start || stop > t->shape[dim])
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "tensor_slice: [%lld:%lld:%lld] is invalid for dim %d of size %lld",
                           (long long)start, (long long)stop, (long long)step, (int)dim,
                           (long long)t->shape[dim]);
    tsrec__tensor v = *t;
    int64_t len = (stop - start + step - 1) / step;
    v.owns_data = 0;
    if (len > 0)
        v.data = (char *)t->data + start * t->strides[dim];
    v.shape[dim] = len;
    /* stride * step cannot overflow: the original extent covers it when
     * len > 1; otherwise the stride of a size <= 1 dim is never used. */
    v.strides[dim] = len > 1 ? t->strides[dim] * step : t->strides[dim];
    *out = v;
    return TSREC_OK;
}

int tsrec__tensor_select(tsrec__tensor *out, const tsrec__tensor *t, tsrec__handle *eh,
                         int32_t dim, int64_t index)
{
    int rc = check_dim(eh, "tensor_select", t, dim);
    if (rc != TSREC_OK)
        return rc;
    if (index < 0 || index >= t->shape[dim])
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "tensor_select: index %lld is outside dim %d of size %lld",
                           (long long)index, (int)dim, (long long)t->shape[dim]);
    tsrec__tensor v = *t;
    v.owns_data = 0;
    v.data = (char *)t->data + index * t->strides[dim];
    for (int32_t i = dim; i + 1 < t->ndim; i++) {
        v.shape[i] = t->shape[i + 1];
        v.strides[i] = t->strides[i + 1];
    }
    v.ndim = t->ndim - 1;
    v.shape[v.ndim] = 1;
    v.strides[v.ndim] = 0;
    *out = v;
    return TSREC_OK;
}

int tsrec__tensor_transpose(tsrec__tensor *out, const tsrec__tensor *t, tsrec__handle *eh,
                            int32_t d0, int32_t d1)
{
    int rc = check_dim(eh, "tensor_transpose", t, d0);
    if (rc == TSREC_OK)
        rc = check_dim(eh, "tensor_transpose", t, d1);
    if (rc != TSREC_OK)
        return rc;
    tsrec__tensor v = *t;
    v.owns_data = 0;
    v.shape[d0] = t->shape[d1];
    v.shape[d1] = t->shape[d0];
    v.strides[d0] = t->strides[d1];
    v.strides[d1] = t->strides[d0];
    *out = v;
    return TSREC_OK;
}

int tsrec__tensor_reshape(tsrec__tensor *out, const tsrec__tensor *t, tsrec__handle *eh,
                          int32_t ndim, const int64_t *shape)
{
    int64_t numel = 0;
    size_t bytes = 0;
    int rc = check_shape(eh, "tensor_reshape", t->dtype, ndim, shape, &numel, &bytes);
    if (rc != TSREC_OK)
        return rc;
    if (numel != tsrec__tensor_numel(t))
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "tensor_reshape: %lld elements cannot be seen as %lld",
                           (long long)tsrec__tensor_numel(t), (long long)numel);
    if (!tsrec__tensor_is_contiguous(t))
        return tsrec__fail(eh, TSREC_E_SHAPE, "tensor_reshape: tensor is not contiguous");
    tsrec__tensor v = *t;
    v.owns_data = 0;
    v.ndim = ndim;
    for (int32_t i = 0; i < TSREC__TENSOR_MAX_DIMS; i++) {
        v.shape[i] = i < ndim ? shape[i] : 1;
        v.strides[i] = 0;
    }
    set_contiguous_strides(&v);
    *out = v;
    return TSREC_OK;
}

/* Address of the element at idx in *out_p, or a failure status. */
static int element_at(const tsrec__tensor *t, tsrec__handle *eh, const int64_t *idx,
                      const char *fn, char **out_p)
{
    if (t == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: tensor is NULL", fn);
    if (t->ndim > 0 && idx == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: index is NULL", fn);
    char *p = t->data;
    for (int32_t i = 0; i < t->ndim; i++) {
        if (idx[i] < 0 || idx[i] >= t->shape[i])
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                               "%s: index %lld is outside dim %d of size %lld", fn,
                               (long long)idx[i], (int)i, (long long)t->shape[i]);
        p += idx[i] * t->strides[i];
    }
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: tensor has no data", fn);
    *out_p = p;
    return TSREC_OK;
}

int tsrec__tensor_get(const tsrec__tensor *t, tsrec__handle *eh, const int64_t *idx,
                      double *out_value)
{
    char *p = NULL;
    int rc = element_at(t, eh, idx, "tensor_get", &p);
    if (rc != TSREC_OK)
        return rc;
    *out_value = t->dtype == TSREC__F32 ? (double)*(const float *)(void *)p
                                        : *(const double *)(void *)p;
    return TSREC_OK;
}

int tsrec__tensor_set(tsrec__tensor *t, tsrec__handle *eh, const int64_t *idx, double value)
{
    char *p = NULL;
    int rc = element_at(t, eh, idx, "tensor_set", &p);
    if (rc != TSREC_OK)
        return rc;
    if (t->dtype == TSREC__F32)
        *(float *)(void *)p = (float)value;
    else
        *(double *)(void *)p = value;
    return TSREC_OK;
}

/* Expand a tensor to exactly four dims (leading dims of size 1). */
static void pad4(const tsrec__tensor *t, int64_t shape[4], int64_t strides[4])
{
    int32_t off = TSREC__TENSOR_MAX_DIMS - t->ndim;
    for (int32_t i = 0; i < TSREC__TENSOR_MAX_DIMS; i++) {
        shape[i] = i < off ? 1 : t->shape[i - off];
        strides[i] = i < off ? 0 : t->strides[i - off];
    }
}

/* One strided row of n elements, with conversion. */
static void copy_row(char *d, int64_t ds, int32_t dt, const char *s, int64_t ss, int32_t st,
                     int64_t n)
{
    if (dt == TSREC__F64 && st == TSREC__F64) {
        for (int64_t i = 0; i < n; i++)
            *(double *)(void *)(d + i * ds) = *(const double *)(const void *)(s + i * ss);
    } else if (dt == TSREC__F32 && st == TSREC__F32) {
        for (int64_t i = 0; i < n; i++)
            *(float *)(void *)(d + i * ds) = *(const float *)(const void *)(s + i * ss);
    } else if (dt == TSREC__F64) {
        for (int64_t i = 0; i < n; i++)
            *(double *)(void *)(d + i * ds) = (double)*(const float *)(const void *)(s + i * ss);
    } else {
        for (int64_t i = 0; i < n; i++)
            *(float *)(void *)(d + i * ds) = (float)*(const double *)(const void *)(s + i * ss);
    }
}

int tsrec__tensor_copy(tsrec__tensor *dst, const tsrec__tensor *src, tsrec__handle *eh)
{
    if (dst == NULL || src == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tensor_copy: NULL tensor");
    if (!tsrec__tensor_same_shape(dst, src))
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "tensor_copy: shapes differ ([%lld,%lld,%lld,%lld] ndim %d vs "
                           "[%lld,%lld,%lld,%lld] ndim %d)",
                           (long long)dst->shape[0], (long long)dst->shape[1],
                           (long long)dst->shape[2], (long long)dst->shape[3], (int)dst->ndim,
                           (long long)src->shape[0], (long long)src->shape[1],
                           (long long)src->shape[2], (long long)src->shape[3], (int)src->ndim);
    if (tsrec__tensor_numel(src) == 0)
        return TSREC_OK;
    if (dst->data == src->data && dst->dtype == src->dtype &&
        memcmp(dst->strides, src->strides, sizeof(dst->strides)) == 0)
        return TSREC_OK; /* the same view: nothing to do */
    if (dst->dtype == src->dtype && tsrec__tensor_is_contiguous(dst) &&
        tsrec__tensor_is_contiguous(src)) {
        memcpy(dst->data, src->data, tsrec__tensor_nbytes(src));
        return TSREC_OK;
    }
    int64_t sh[4], ds[4], ss[4];
    pad4(dst, sh, ds);
    pad4(src, sh, ss);
    for (int64_t i0 = 0; i0 < sh[0]; i0++)
        for (int64_t i1 = 0; i1 < sh[1]; i1++)
            for (int64_t i2 = 0; i2 < sh[2]; i2++) {
                char *d = (char *)dst->data + i0 * ds[0] + i1 * ds[1] + i2 * ds[2];
                const char *s = (const char *)src->data + i0 * ss[0] + i1 * ss[1] + i2 * ss[2];
                copy_row(d, ds[3], dst->dtype, s, ss[3], src->dtype, sh[3]);
            }
    return TSREC_OK;
}

int tsrec__tensor_clone(tsrec__tensor *out, const tsrec__tensor *src, tsrec_ctx *ctx,
                        tsrec__handle *eh, int32_t dtype)
{
    if (src == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tensor_clone: src is NULL");
    int rc = tsrec__tensor_alloc(out, ctx, eh, dtype, src->ndim, src->shape);
    if (rc == TSREC_OK)
        rc = tsrec__tensor_copy(out, src, eh);
    if (rc != TSREC_OK)
        tsrec__tensor_free(out);
    return rc;
}

int tsrec__tensor_fill(tsrec__tensor *t, tsrec__handle *eh, double value)
{
    if (t == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tensor_fill: tensor is NULL");
    if (tsrec__tensor_numel(t) == 0)
        return TSREC_OK;
    int64_t sh[4], st[4];
    pad4(t, sh, st);
    float vf = (float)value;
    for (int64_t i0 = 0; i0 < sh[0]; i0++)
        for (int64_t i1 = 0; i1 < sh[1]; i1++)
            for (int64_t i2 = 0; i2 < sh[2]; i2++) {
                char *d = (char *)t->data + i0 * st[0] + i1 * st[1] + i2 * st[2];
                if (t->dtype == TSREC__F32)
                    for (int64_t i = 0; i < sh[3]; i++)
                        *(float *)(void *)(d + i * st[3]) = vf;
                else
                    for (int64_t i = 0; i < sh[3]; i++)
                        *(double *)(void *)(d + i * st[3]) = value;
            }
    return TSREC_OK;
}

int tsrec__tensor_check_finite(const tsrec__tensor *t, tsrec__handle *eh, const char *what)
{
    if (tsrec__tensor_numel(t) == 0)
        return TSREC_OK;
    int64_t sh[4], st[4];
    pad4(t, sh, st);
    for (int64_t i0 = 0; i0 < sh[0]; i0++)
        for (int64_t i1 = 0; i1 < sh[1]; i1++)
            for (int64_t i2 = 0; i2 < sh[2]; i2++) {
                const char *d = (const char *)t->data + i0 * st[0] + i1 * st[1] + i2 * st[2];
                for (int64_t i = 0; i < sh[3]; i++) {
                    const char *p = d + i * st[3];
                    double v = t->dtype == TSREC__F32 ? (double)*(const float *)(const void *)p
                                                      : *(const double *)(const void *)p;
                    if (!isfinite(v))
                        return tsrec__fail(eh, TSREC_E_NAN,
                                           "%s contains a non-finite value at [%lld,%lld,%lld,%lld]",
                                           what ? what : "tensor", (long long)i0, (long long)i1,
                                           (long long)i2, (long long)i);
                }
            }
    return TSREC_OK;
}
