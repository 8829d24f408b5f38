/* Dense (linear) and embedding layers, and element-wise activations. */
/* Let GCC assume FP operations do not trap, so the fused gate loops
 * vectorise (see nn_math_internal.h). Must precede every function. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "nn_internal.h"
#include "nn_math_internal.h"

/* ---- dense ---------------------------------------------------------------- */

static int check_dense(tsrec__handle *eh, int64_t batch, int64_t in, int64_t out,
                       const char *fn)
{
    if (!nn_dim_ok(batch) || !nn_dim_ok(in) || !nn_dim_ok(out))
        return tsrec__fail(eh, TSREC_E_SHAPE,
                           "%s: sizes must be in [1, INT_MAX] (batch %lld, in %lld, out %lld)",
                           fn, (long long)batch, (long long)in, (long long)out);
    if (nn_mul(batch, in) < 0 || nn_mul(batch, out) < 0 || nn_mul(in, out) < 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: sizes overflow", fn);
    return TSREC_OK;
}

int tsrec__dense_forward(tsrec__handle *eh, const float *w, const float *b, int64_t batch,
                         int64_t in, int64_t out, const float *x, float *y)
{
    int st = check_dense(eh, batch, in, out, "dense_forward");
    if (st != TSREC_OK)
        return st;
    if (w == NULL || x == NULL || y == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dense_forward: NULL buffer");
    const int B = (int)batch, NI = (int)in, O = (int)out;
    float beta = 0.0f;
    if (b != NULL) {
        /* Seed every row with the bias so the GEMM adds onto it. */
        for (int64_t r = 0; r < batch; r++)
            memcpy(y + r * out, b, (size_t)out * sizeof(float));
        beta = 1.0f;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, O, NI, 1.0f, x, NI, w, NI, beta, y,
                O);
    return TSREC_OK;
}

int tsrec__dense_backward(tsrec__handle *eh, const float *w, int64_t batch, int64_t in,
                          int64_t out, const float *x, const float *dy, float *dx, float *dw,
                          float *db)
{
    int st = check_dense(eh, batch, in, out, "dense_backward");
    if (st != TSREC_OK)
        return st;
    if (dy == NULL || (dx != NULL && w == NULL) || (dw != NULL && x == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dense_backward: NULL buffer");
    const int B = (int)batch, NI = (int)in, O = (int)out;
    if (dw != NULL)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, O, NI, B, 1.0f, dy, O, x, NI, 1.0f,
                    dw, NI);
    if (db != NULL)
        for (int64_t r = 0; r < batch; r++) {
            const float *row = dy + r * out;
            for (int64_t k = 0; k < out; k++)
                db[k] += row[k];
        }
    if (dx != NULL)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, NI, O, 1.0f, dy, O, w, NI,
                    0.0f, dx, NI);
    return TSREC_OK;
}

/* ---- embedding ------------------------------------------------------------ */

static int check_embedding(tsrec__handle *eh, const void *table, int64_t rows, int64_t dim,
                           const int64_t *idx, int64_t n, const void *other, const char *fn)
{
    if (table == NULL || other == NULL || (idx == NULL && n > 0))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL buffer", fn);
    if (rows < 1 || dim < 1 || n < 0 || nn_mul(rows, dim) < 0 || nn_mul(n, dim) < 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: bad sizes (rows %lld, dim %lld, n %lld)",
                           fn, (long long)rows, (long long)dim, (long long)n);
    for (int64_t k = 0; k < n; k++)
        if (idx[k] < 0 || idx[k] >= rows)
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                               "%s: index %lld at position %lld is outside [0, %lld)", fn,
                               (long long)idx[k], (long long)k, (long long)rows);
    return TSREC_OK;
}

int tsrec__embedding_forward(tsrec__handle *eh, const float *table, int64_t rows, int64_t dim,
                             const int64_t *idx, int64_t n, float *out)
{
    int st = check_embedding(eh, table, rows, dim, idx, n, out, "embedding_forward");
    if (st != TSREC_OK)
        return st;
    for (int64_t k = 0; k < n; k++)
        memcpy(out + k * dim, table + idx[k] * dim, (size_t)dim * sizeof(float));
    return TSREC_OK;
}

int tsrec__embedding_backward(tsrec__handle *eh, float *dtable, int64_t rows, int64_t dim,
                              const int64_t *idx, int64_t n, const float *dy)
{
    int st = check_embedding(eh, dtable, rows, dim, idx, n, dy, "embedding_backward");
    if (st != TSREC_OK)
        return st;
    for (int64_t k = 0; k < n; k++) {
        float *restrict dst = dtable + idx[k] * dim;
        const float *restrict src = dy + k * dim;
        for (int64_t j = 0; j < dim; j++)
            dst[j] += src[j];
    }
    return TSREC_OK;
}

/* ---- activations ---------------------------------------------------------- */

/* log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|). */
static float softplusf(float x)
{
    float ax = fabsf(x);
    return (x > 0.0f ? x : 0.0f) + log1pf(expf(-ax));
}

static int check_act(tsrec__handle *eh, int32_t act, int64_t n, const char *fn)
{
    if (act < TSREC__ACT_IDENTITY || act > TSREC__ACT_SOFTPLUS)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: unknown activation %d", fn,
                           (int)act);
    if (n < 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: negative length %lld", fn, (long long)n);
    return TSREC_OK;
}

int tsrec__act_forward(tsrec__handle *eh, int32_t act, int64_t n, const float *x, float *y)
{
    int st = check_act(eh, act, n, "act_forward");
    if (st != TSREC_OK)
        return st;
    if (n > 0 && (x == NULL || y == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "act_forward: NULL buffer");
    switch (act) {
    case TSREC__ACT_SIGMOID:
        for (int64_t k = 0; k < n; k++)
            y[k] = nn_sigmoidf(x[k]);
        break;
    case TSREC__ACT_TANH:
        for (int64_t k = 0; k < n; k++)
            y[k] = nn_tanhf(x[k]);
        break;
    case TSREC__ACT_RELU:
        for (int64_t k = 0; k < n; k++)
            y[k] = x[k] > 0.0f ? x[k] : 0.0f;
        break;
    case TSREC__ACT_SOFTPLUS:
        for (int64_t k = 0; k < n; k++)
            y[k] = softplusf(x[k]);
        break;
    default:
        if (y != x && n > 0)
            memmove(y, x, (size_t)n * sizeof(float));
        break;
    }
    return TSREC_OK;
}

int tsrec__act_backward(tsrec__handle *eh, int32_t act, int64_t n, const float *x,
                        const float *y, const float *dy, float *dx)
{
    int st = check_act(eh, act, n, "act_backward");
    if (st != TSREC_OK)
        return st;
    if (n == 0)
        return TSREC_OK;
    int needs_x = act == TSREC__ACT_RELU || act == TSREC__ACT_SOFTPLUS;
    int needs_y = act == TSREC__ACT_SIGMOID || act == TSREC__ACT_TANH;
    if (dy == NULL || dx == NULL || (needs_x && x == NULL) || (needs_y && y == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "act_backward: NULL buffer");
    switch (act) {
    case TSREC__ACT_SIGMOID:
        for (int64_t k = 0; k < n; k++)
            dx[k] = dy[k] * y[k] * (1.0f - y[k]);
        break;
    case TSREC__ACT_TANH:
        for (int64_t k = 0; k < n; k++)
            dx[k] = dy[k] * (1.0f - y[k] * y[k]);
        break;
    case TSREC__ACT_RELU:
        for (int64_t k = 0; k < n; k++)
            dx[k] = x[k] > 0.0f ? dy[k] : 0.0f;
        break;
    case TSREC__ACT_SOFTPLUS:
        /* d/dx log(1 + e^x) = sigmoid(x). */
        for (int64_t k = 0; k < n; k++)
            dx[k] = dy[k] * nn_sigmoidf(x[k]);
        break;
    default:
        if (dx != dy)
            memmove(dx, dy, (size_t)n * sizeof(float));
        break;
    }
    return TSREC_OK;
}
