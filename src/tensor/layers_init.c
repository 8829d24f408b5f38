/* Weight initialisation for the neural layers, drawn from a caller-seeded
 * tsrec__rng so training is reproducible. */
#include <math.h>

#include "nn_internal.h"
#include "nn_math_internal.h"
#include "rng_internal.h"

void tsrec__nn_init_uniform(float *w, int64_t n, float bound, tsrec__rng *rng)
{
    for (int64_t k = 0; k < n; k++)
        w[k] = (float)((2.0 * tsrec__rng_uniform(rng) - 1.0) * (double)bound);
}

void tsrec__nn_init_xavier(float *w, int64_t fan_out, int64_t fan_in, tsrec__rng *rng)
{
    double bound = sqrt(6.0 / ((double)fan_in + (double)fan_out));
    tsrec__nn_init_uniform(w, fan_out * fan_in, (float)bound, rng);
}

int tsrec__rnn_init(tsrec__handle *eh, tsrec__rnn_params *p, int64_t gates, int32_t scheme,
                    float forget_bias, tsrec__rng *rng)
{
    if (p == NULL || rng == NULL || p->w_ih == NULL || p->w_hh == NULL || p->b_ih == NULL ||
        p->b_hh == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "rnn_init: NULL argument");
    if (gates != TSREC__GRU_GATES && gates != TSREC__LSTM_GATES)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "rnn_init: %lld gates (3 or 4)",
                           (long long)gates);
    if (tsrec__rnn_param_count(gates, p->in, p->hidden) < 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "rnn_init: bad sizes (in %lld, hidden %lld)",
                           (long long)p->in, (long long)p->hidden);
    if (!isfinite(forget_bias))
        return tsrec__fail(eh, TSREC_E_NAN, "rnn_init: forget bias is not finite");
    const int64_t H = p->hidden, gh = gates * H;
    if (scheme == TSREC__INIT_UNIFORM) {
        float bound = (float)(1.0 / sqrt((double)H));
        tsrec__nn_init_uniform(p->w_ih, gh * p->in, bound, rng);
        tsrec__nn_init_uniform(p->w_hh, gh * H, bound, rng);
        tsrec__nn_init_uniform(p->b_ih, gh, bound, rng);
        tsrec__nn_init_uniform(p->b_hh, gh, bound, rng);
    } else if (scheme == TSREC__INIT_XAVIER) {
        /* Each gate block is its own [H x in] / [H x H] map. */
        for (int64_t g = 0; g < gates; g++) {
            tsrec__nn_init_xavier(p->w_ih + g * H * p->in, H, p->in, rng);
            tsrec__nn_init_xavier(p->w_hh + g * H * H, H, H, rng);
        }
        for (int64_t k = 0; k < gh; k++) {
            p->b_ih[k] = 0.0f;
            p->b_hh[k] = 0.0f;
        }
    } else {
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "rnn_init: unknown scheme %d",
                           (int)scheme);
    }
    if (gates == TSREC__LSTM_GATES)
        for (int64_t j = 0; j < H; j++) {
            p->b_ih[H + j] += forget_bias;
            p->b_hh[H + j] = 0.0f;
        }
    return TSREC_OK;
}

int tsrec__dense_init(tsrec__handle *eh, float *w, float *b, int64_t in, int64_t out,
                      int32_t scheme, tsrec__rng *rng)
{
    if (w == NULL || rng == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dense_init: NULL argument");
    if (in < 1 || out < 1 || nn_mul(in, out) < 0)
        return tsrec__fail(eh, TSREC_E_SHAPE, "dense_init: bad sizes (in %lld, out %lld)",
                           (long long)in, (long long)out);
    float bound = (float)(1.0 / sqrt((double)in));
    if (scheme == TSREC__INIT_UNIFORM) {
        tsrec__nn_init_uniform(w, in * out, bound, rng);
        if (b != NULL)
            tsrec__nn_init_uniform(b, out, bound, rng);
    } else if (scheme == TSREC__INIT_XAVIER) {
        tsrec__nn_init_xavier(w, out, in, rng);
        if (b != NULL)
            for (int64_t k = 0; k < out; k++)
                b[k] = 0.0f;
    } else {
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "dense_init: unknown scheme %d",
                           (int)scheme);
    }
    return TSREC_OK;
}
