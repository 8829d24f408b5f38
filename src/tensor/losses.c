/* Training losses with their gradients, averaged over the batch: softmax
 * cross-entropy, and GRU4Rec's session-parallel ranking losses BPR and TOP1
 * on an in-batch score matrix whose diagonal holds the positives.
 * Sums run in double; element terms use the float libm functions. */
#include <math.h>
#include <string.h>

#include "nn_internal.h"
#include "nn_math_internal.h"

static int check_scores(tsrec__handle *eh, int64_t batch, int64_t cols, const float *scores,
                        const double *out_loss, const char *fn)
{
    if (scores == NULL || out_loss == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL buffer", fn);
    if (batch < 1 || cols < 1 || nn_mul(batch, cols) < 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "%s: bad sizes (batch %lld, cols %lld)", fn,
                           (long long)batch, (long long)cols);
    return TSREC_OK;
}

static int finish(tsrec__handle *eh, double loss, double *out_loss, const char *fn)
{
    if (!isfinite(loss))
        return tsrec__fail(eh, TSREC_E_NAN, "%s: loss is not finite (NaN or Inf in the input)",
                           fn);
    *out_loss = loss;
    return TSREC_OK;
}

int tsrec__loss_softmax_xent(tsrec__handle *eh, int64_t batch, int64_t classes,
                             const float *logits, const int64_t *target, double *out_loss,
                             float *dlogits)
{
    const char *fn = "loss_softmax_xent";
    int st = check_scores(eh, batch, classes, logits, out_loss, fn);
    if (st != TSREC_OK)
        return st;
    if (target == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "%s: NULL targets", fn);
    for (int64_t b = 0; b < batch; b++)
        if (target[b] < 0 || target[b] >= classes)
            return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                               "%s: target %lld of row %lld is outside [0, %lld)", fn,
                               (long long)target[b], (long long)b, (long long)classes);
    const double inv_b = 1.0 / (double)batch;
    double total = 0.0;
    for (int64_t b = 0; b < batch; b++) {
        const float *l = logits + b * classes;
        float mx = l[0];
        for (int64_t k = 1; k < classes; k++)
            mx = l[k] > mx ? l[k] : mx;
        double sum = 0.0;
        for (int64_t k = 0; k < classes; k++)
            sum += (double)expf(l[k] - mx);
        double lse = (double)mx + log(sum);
        total += lse - (double)l[target[b]];
        if (dlogits != NULL) {
            float *d = dlogits + b * classes;
            const float scale = (float)(inv_b / sum);
            for (int64_t k = 0; k < classes; k++)
                d[k] = expf(l[k] - mx) * scale;
            d[target[b]] -= (float)inv_b;
        }
    }
    return finish(eh, total * inv_b, out_loss, fn);
}

static int check_ranking(tsrec__handle *eh, int64_t batch, int64_t cols, const float *scores,
                         const double *out_loss, const char *fn)
{
    int st = check_scores(eh, batch, cols, scores, out_loss, fn);
    if (st == TSREC_OK && cols < batch)
        st = tsrec__fail(eh, TSREC_E_SHAPE,
                         "%s: %lld score columns for %lld rows (the positives sit on the "
                         "diagonal, so cols >= batch)",
                         fn, (long long)cols, (long long)batch);
    return st;
}

/* sigmoid in float via libm for the loss terms (accuracy over speed). */
static float sigf(float x)
{
    return x >= 0.0f ? 1.0f / (1.0f + expf(-x)) : expf(x) / (1.0f + expf(x));
}

/* log(1 + e^x) without overflow. */
static float softplusf(float x)
{
    return (x > 0.0f ? x : 0.0f) + log1pf(expf(-fabsf(x)));
}

int tsrec__loss_bpr(tsrec__handle *eh, int64_t batch, int64_t cols, const float *scores,
                    double *out_loss, float *dscores)
{
    const char *fn = "loss_bpr";
    int st = check_ranking(eh, batch, cols, scores, out_loss, fn);
    if (st != TSREC_OK)
        return st;
    const float c = (float)(1.0 / ((double)batch * (double)cols));
    double total = 0.0;
    for (int64_t b = 0; b < batch; b++) {
        const float *s = scores + b * cols;
        const float pos = s[b];
        float *d = dscores ? dscores + b * cols : NULL;
        double dpos = 0.0;
        /* -log sig(pos - s_j) = softplus(s_j - pos); its slope is sig(s_j - pos). */
        for (int64_t j = 0; j < cols; j++) {
            float diff = s[j] - pos;
            total += (double)softplusf(diff);
            if (d != NULL) {
                float g = sigf(diff) * c;
                d[j] = g;
                dpos += (double)g;
            }
        }
        if (d != NULL)
            d[b] -= (float)dpos;
    }
    return finish(eh, total / ((double)batch * (double)cols), out_loss, fn);
}

int tsrec__loss_top1(tsrec__handle *eh, int64_t batch, int64_t cols, const float *scores,
                     double *out_loss, float *dscores)
{
    const char *fn = "loss_top1";
    int st = check_ranking(eh, batch, cols, scores, out_loss, fn);
    if (st != TSREC_OK)
        return st;
    const float c = (float)(1.0 / ((double)batch * (double)cols));
    double total = 0.0;
    for (int64_t b = 0; b < batch; b++) {
        const float *s = scores + b * cols;
        const float pos = s[b];
        float *d = dscores ? dscores + b * cols : NULL;
        double row = 0.0, dpos = 0.0;
        for (int64_t j = 0; j < cols; j++) {
            float rank = sigf(s[j] - pos);
            float reg = sigf(s[j] * s[j]);
            row += (double)rank + (double)reg;
            if (d != NULL) {
                float grank = rank * (1.0f - rank) * c;
                d[j] = grank + reg * (1.0f - reg) * 2.0f * s[j] * c;
                dpos += (double)grank;
            }
        }
        /* Remove the positive's own regulariser sig(pos^2) (GRU4Rec). */
        float preg = sigf(pos * pos);
        row -= (double)preg;
        total += row;
        if (d != NULL)
            d[b] -= (float)dpos + preg * (1.0f - preg) * 2.0f * pos * c;
    }
    return finish(eh, total / ((double)batch * (double)cols), out_loss, fn);
}
