/* Categorical sampling by the alias method, built with Vose's (1991)
 * numerically stable variant: O(n) build, O(1) draw (one bounded integer
 * and one uniform). */
#include <math.h>
#include <string.h>

#include "rng_internal.h"

void tsrec__alias_free(tsrec__alias *a, tsrec_ctx *ctx)
{
    if (a == NULL)
        return;
    tsrec__free(ctx, a->prob);
    tsrec__free(ctx, a->alias);
    a->prob = NULL;
    a->alias = NULL;
    a->n = 0;
}

/* Check the weights and return their maximum (> 0) through *out_max. */
static int check_weights(tsrec__handle *eh, const double *w, int64_t n,
                         double *out_max, int64_t *out_argmax)
{
    double wmax = 0.0;
    int64_t imax = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(w[i]) || w[i] < 0.0)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "alias table: weight %lld is %g; weights must "
                               "be finite and non-negative",
                               (long long)i, w[i]);
        if (w[i] > wmax) {
            wmax = w[i];
            imax = i;
        }
    }
    if (wmax <= 0.0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "alias table: all %lld weights are zero",
                           (long long)n);
    *out_max = wmax;
    *out_argmax = imax;
    return TSREC_OK;
}

int tsrec__alias_init(tsrec__alias *a, tsrec_ctx *ctx, tsrec__handle *eh,
                      const double *weights, int64_t n)
{
    if (a == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "alias table: NULL table");
    memset(a, 0, sizeof(*a));
    if (ctx == NULL || weights == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "alias table: NULL ctx or weights");
    if (n < 1)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "alias table: need at least one weight, got %lld",
                           (long long)n);
    if ((uint64_t)n > SIZE_MAX / sizeof(double))
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "alias table: %lld entries overflow size_t",
                           (long long)n);
    double wmax = 0.0;
    int64_t imax = 0;
    int st = check_weights(eh, weights, n, &wmax, &imax);
    if (st != TSREC_OK)
        return st;

    double *prob = tsrec__calloc(ctx, (size_t)n, sizeof(double));
    int64_t *alias = tsrec__calloc(ctx, (size_t)n, sizeof(int64_t));
    /* Work list: "small" indices grow from the front, "large" from the
     * back; together they never hold more than n entries. */
    int64_t *work = tsrec__calloc(ctx, (size_t)n, sizeof(int64_t));
    if (prob == NULL || alias == NULL || work == NULL) {
        tsrec__free(ctx, prob);
        tsrec__free(ctx, alias);
        tsrec__free(ctx, work);
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "alias table: out of memory for %lld entries",
                           (long long)n);
    }

    /* Dividing by the maximum first keeps the sum finite (<= n) even when
     * the weights are near DBL_MAX. */
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++)
        sum += weights[i] / wmax;
    const double scale = (double)n / sum;
    int64_t n_small = 0;
    int64_t large_begin = n;
    for (int64_t i = 0; i < n; i++) {
        prob[i] = weights[i] / wmax * scale;
        alias[i] = i;
        if (prob[i] < 1.0)
            work[n_small++] = i;
        else
            work[--large_begin] = i;
    }
    /* Pair each under-full column with an over-full one; the over-full
     * column gives away exactly what fills the other and is re-filed by
     * its remaining mass. */
    while (n_small > 0 && large_begin < n) {
        int64_t s = work[--n_small];
        int64_t l = work[large_begin++];
        alias[s] = l;
        prob[l] = (prob[l] + prob[s]) - 1.0;
        if (prob[l] < 1.0)
            work[n_small++] = l;
        else
            work[--large_begin] = l;
    }
    /* Whatever is left is 1 up to rounding, except that a zero weight
     * must never be drawn: such a column defers wholly to the heaviest. */
    while (large_begin < n)
        prob[work[large_begin++]] = 1.0;
    while (n_small > 0) {
        int64_t s = work[--n_small];
        if (weights[s] > 0.0) {
            prob[s] = 1.0;
        } else {
            prob[s] = 0.0;
            alias[s] = imax;
        }
    }

    tsrec__free(ctx, work);
    a->n = n;
    a->prob = prob;
    a->alias = alias;
    return TSREC_OK;
}

int64_t tsrec__alias_draw(const tsrec__alias *a, tsrec__rng *r)
{
    if (a == NULL || a->n < 1 || a->prob == NULL)
        return -1;
    int64_t i = (int64_t)tsrec__rng_below(r, (uint64_t)a->n);
    return tsrec__rng_uniform(r) < a->prob[i] ? i : a->alias[i];
}
