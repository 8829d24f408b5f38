/* Branch-free float exp, sigmoid and tanh for the fused neural loops.
 *
 * libm's expf/tanhf are scalar calls that stop the compiler vectorising the
 * gate loops, which dominate a GRU step at small hidden sizes. These use
 * only arithmetic and bit moves, so the loops vectorise. Accuracy: exp has
 * a relative error below 2e-7 on [-87, 88]; sigmoid and tanh have an
 * absolute error below 3e-7 (tanh near 0 loses relative accuracy, which
 * does not matter for gate values). Inputs outside the range saturate;
 * NaN propagates. */
#ifndef TSREC_NN_MATH_INTERNAL_H
#define TSREC_NN_MATH_INTERNAL_H

/* Vectorising the gate loops needs two GCC-specific helps, both harmless
 * elsewhere:
 * - the including .c file starts with NN_FAST_LOOPS_BEGIN, which lets GCC
 *   assume FP operations do not trap (-fno-trapping-math, clang's default);
 *   otherwise it will not if-convert the clamps in nn_expf;
 * - hot loop functions are marked NN_VECTOR_CLONES: GCC emits an SSE2,
 *   an AVX2 and an AVX-512 copy and picks one at load time (ifunc), so a
 *   generic x86-64 build still uses the machine's vector width. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && !defined(TSREC_NO_VECTOR_CLONES)
#define NN_VECTOR_CLONES __attribute__((target_clones("default", "avx2", "avx512f")))
#else
#define NN_VECTOR_CLONES
#endif

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core_internal.h"

static inline float nn_expf(float x)
{
    /* e^x = 2^k * e^r with k = round(x / ln 2), |r| <= ln2 / 2. */
    const float log2e = 1.44269504088896341f;
    const float ln2_hi = 0.693359375f;
    const float ln2_lo = -2.12194440e-4f;
    const float shifter = 12582912.0f; /* 1.5 * 2^23: rounds to integer */
    /* Quiet comparisons (isless/isgreater raise no FP exception on NaN) so
     * the compiler may if-convert and vectorise the clamps. */
    x = isless(x, -87.0f) ? -87.0f : x;
    x = isgreater(x, 88.0f) ? 88.0f : x;
    float t = x * log2e + shifter;
    float k = t - shifter;
    float r = x - k * ln2_hi;
    r = r - k * ln2_lo;
    /* Taylor-like minimax polynomial for e^r on [-ln2/2, ln2/2]. */
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    /* 2^k built from the exponent bits: k in [-126, 127] after the clamp.
     * k is read from t's low mantissa bits (no float-to-int conversion, so
     * a NaN input stays defined and yields NaN). */
    uint32_t tbits, sbits;
    memcpy(&tbits, &t, sizeof tbits);
    memcpy(&sbits, &shifter, sizeof sbits);
    uint32_t bits = (tbits - sbits + 127u) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

static inline float nn_sigmoidf(float x)
{
    return 1.0f / (1.0f + nn_expf(-x));
}

static inline float nn_tanhf(float x)
{
    /* tanh(x) = 1 - 2 / (1 + e^{2x}); saturates cleanly at both ends. */
    return 1.0f - 2.0f / (1.0f + nn_expf(2.0f * x));
}

/* Check that a size is in [1, INT_MAX] (CBLAS dimensions are int). */
static inline int nn_dim_ok(int64_t n)
{
    return n >= 1 && n <= (int64_t)INT_MAX;
}

/* a*b as int64 when both are positive and the product fits in INT_MAX-sized
 * leading dimensions' arithmetic and in size_t; -1 otherwise. */
static inline int64_t nn_mul(int64_t a, int64_t b)
{
    if (a < 0 || b < 0)
        return -1;
    if (a != 0 && b > INT64_MAX / a)
        return -1;
    int64_t p = a * b;
    if ((uint64_t)p > (uint64_t)(SIZE_MAX / sizeof(float)))
        return -1;
    return p;
}

#endif /* TSREC_NN_MATH_INTERNAL_H */
